"""Feasibility (Start.Coop module 2): hand-worked cases, edge cases, invalid inputs and properties.

Formulas (content brief, section 3): contribution per unit = price - variable cost; break-even
units = fixed costs / contribution, rounded up; margin of safety = expected - break-even (and as a
share of expected); payback = investment / yearly profit; capital to raise = investment - loans -
grants (never below 0), shared equally or in proportion to planned use.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from coopcourse.calculations import feasibility as fz
from coopcourse.calculations.rounding import cents as to_cents
from coopcourse.calculations.rounding import shown
from coopcourse.errors import CourseInputError


def inputs(**changes) -> fz.FeasibilityInputs:
    """A honey cooperative (the course's first example until issue 11; figures for the tests), with changes."""
    base = dict(
        price=9,
        variable_cost=5.5,
        fixed_costs=14_000,
        expected_volume=6_000,
        market_size=40_000,
        investment=30_000,
        loans=12_000,
        grants=6_000,
        members=15,
        affordable_share=1_000,
    )
    base.update(changes)
    return fz.FeasibilityInputs(**base)


def rice_mill(**changes) -> fz.FeasibilityInputs:
    base = dict(
        price=12,
        variable_cost=7,
        fixed_costs=22_000,
        expected_volume=5_500,
        market_size=20_000,
        investment=45_000,
        loans=25_000,
        grants=0,
        members=40,
        share_rule=fz.ShareRule.BY_USE,
        planned_use=(fz.PlannedUse("A", 2_000), fz.PlannedUse("B", 2_500), fz.PlannedUse("C", 1_000)),
        affordable_share=9_000,
    )
    base.update(changes)
    return fz.FeasibilityInputs(**base)


def close(a: float | None, b: float) -> bool:
    return a is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


# --- hand-worked cases -------------------------------------------------------------------------


def test_honey_cooperative_worked_by_hand() -> None:
    # contribution = 9 - 5.5 = 3.5; break-even = 14,000 / 3.5 = 4,000 jars
    # margin of safety = 6,000 - 4,000 = 2,000 jars = 2,000 / 6,000 = 33.3%
    # profit = 3.5 x 6,000 - 14,000 = 7,000; payback = 30,000 / 7,000 = 4.29 years
    # capital to raise = 30,000 - 12,000 - 6,000 = 12,000; 12,000 / 15 members = 800 each
    # market share = 6,000 / 40,000 = 15%
    result = fz.analyse(inputs())
    assert close(result.contribution_per_unit, 3.5)
    assert result.break_even_volume == 4_000
    assert close(result.margin_of_safety, 2_000)
    assert close(result.margin_of_safety_percent, 100 / 3)
    assert close(result.annual_profit, 7_000)
    assert close(result.payback_years, 30 / 7)
    assert close(result.capital_to_raise, 12_000)
    assert len(result.member_shares) == 1 and close(result.member_shares[0].share, 800)
    assert close(result.largest_share, 800)
    assert close(result.market_share_percent, 15)
    # 33% margin, 4.3 years, 15% of the market, 800 <= 1,000 affordable: go, with the reasons.
    verdict = fz.go_no_go(inputs(), result)
    assert verdict.decision is fz.Decision.GO
    assert verdict.reasons == (
        "Sales are 33% above break-even: there is room for a bad year.",
        "The investment pays back in 4.3 years.",
    )


def test_rice_mill_shares_by_planned_use_worked_by_hand() -> None:
    # contribution 12 - 7 = 5; break-even 22,000 / 5 = 4,400; margin 5,500 - 4,400 = 1,100 = 20%
    # profit 5 x 5,500 - 22,000 = 5,500; payback 45,000 / 5,500 = 8.18 years (slow)
    # capital 45,000 - 25,000 - 0 = 20,000, shared by use 2,000 : 2,500 : 1,000 of 5,500:
    #   A 7,272.73, B 9,090.91, C 3,636.36; B's share is above the 9,000 a member can afford.
    result = fz.analyse(rice_mill())
    assert result.break_even_volume == 4_400
    assert close(result.margin_of_safety, 1_100) and close(result.margin_of_safety_percent, 20)
    assert close(result.annual_profit, 5_500)
    assert close(result.payback_years, 45_000 / 5_500)
    assert close(result.capital_to_raise, 20_000)
    shares = {m.name: m.share for m in result.member_shares}
    assert shares.keys() == {"A", "B", "C"}
    assert round(shares["A"], 2) == 7_272.73
    assert round(shares["B"], 2) == 9_090.91
    assert round(shares["C"], 2) == 3_636.36
    assert close(result.market_share_percent, 27.5)
    verdict = fz.go_no_go(rice_mill(), result)
    assert verdict.decision is fz.Decision.NO_GO
    # Worst first: the stop (unaffordable share), then the caution (slow payback), then the good news.
    assert len(verdict.reasons) == 3
    assert "up to 9,090.91, more than the 9,000.00" in verdict.reasons[0]
    assert "8.2 years" in verdict.reasons[1]
    assert "20% above break-even" in verdict.reasons[2]
    # With a little more that members can afford, only the slow payback is left: go with care.
    assert fz.go_no_go(rice_mill(affordable_share=9_100), result).decision is fz.Decision.CAUTION


def test_a_profit_shown_is_never_read_as_a_loss() -> None:
    # contribution 10 - 7 = 3; break-even 100 / 3 = 33.3, shown rounded up as 34 units; 33.5 units
    # earn 3 x 33.5 - 100 = 0.50. The page shows a profit of 0.50: the reading must not say "loss".
    case = inputs(
        price=10,
        variable_cost=7,
        fixed_costs=100,
        expected_volume=33.5,
        market_size=0,
        investment=0,
        loans=0,
        grants=0,
        affordable_share=0,
    )
    result = fz.analyse(case)
    assert result.break_even_volume == 34 and close(result.annual_profit, 0.5)
    verdict = fz.go_no_go(case, result)
    assert verdict.decision is fz.Decision.CAUTION
    assert not any("loss" in reason for reason in verdict.reasons)
    assert "only just reach the break-even volume (34 units)" in verdict.reasons[0]
    assert "(33.50 units)" in verdict.reasons[0]


def test_readings_use_the_figures_as_shown() -> None:
    # A margin of safety of 19.96% is shown as 20.0%: not thin. A market share of 30.04% is shown
    # as 30.0%: not above 30%. Payback 5.04 years is shown as 5.0: not slow.
    # contribution 1, fixed 4,004 -> break-even 4,004; volume 5,002.5 -> margin 998.5 = 19.96%
    case = inputs(
        price=2,
        variable_cost=1,
        fixed_costs=4_004,
        expected_volume=5_002.5,
        market_size=16_653.3,
        investment=5_003.5,
        loans=0,
        grants=0,
        members=1,
        affordable_share=0,
    )
    result = fz.analyse(case)
    assert 19.9 < result.margin_of_safety_percent < 20 and 30 < result.market_share_percent < 30.05
    assert 5 < result.payback_years < 5.05
    verdict = fz.go_no_go(case, result)
    assert verdict.decision is fz.Decision.GO, verdict.reasons
    assert verdict.reasons[0] == "Sales are 20% above break-even: there is room for a bad year."


def test_three_equal_members_sharing_100_pay_in_cents_that_add_up() -> None:
    result = fz.analyse(inputs(investment=100, loans=0, grants=0, members=3, affordable_share=0))
    assert [(m.share, m.members) for m in result.member_shares] == [(33.34, 1), (33.33, 2)]
    assert [m.name for m in result.member_shares] == ["1 of the members, each", "2 of the members, each"]
    assert result.total_shares == 100 and result.largest_share == 33.34


def test_below_break_even_worked_by_hand() -> None:
    # contribution 10 - 6 = 4; break-even 10,000 / 4 = 2,500; expected 2,000 is 500 short (-25%)
    # profit 4 x 2,000 - 10,000 = -2,000: a loss, so the 5,000 investment never pays back.
    case = inputs(price=10, variable_cost=6, fixed_costs=10_000, expected_volume=2_000, investment=5_000, market_size=0)
    result = fz.analyse(case)
    assert result.break_even_volume == 2_500
    assert close(result.margin_of_safety, -500) and close(result.margin_of_safety_percent, -25)
    assert close(result.annual_profit, -2_000)
    assert result.payback_years is None
    assert result.market_share_percent is None  # market size 0: not known
    verdict = fz.go_no_go(case, result)
    assert verdict.decision is fz.Decision.NO_GO
    assert verdict.reasons[0] == (
        "Expected sales (2,000 units) are below the break-even volume (2,500 units): the business would make a loss."
    )
    assert "never paid back" in verdict.reasons[1]


def test_break_even_is_rounded_up_to_whole_units() -> None:
    # 1,000 / (5 - 2) = 333.3 units: 333 units leave 1 unpaid, so 334 are needed.
    assert fz.analyse(inputs(price=5, variable_cost=2, fixed_costs=1_000, expected_volume=500)).break_even_volume == 334


@pytest.mark.parametrize(
    "price, variable_cost, fixed_costs, units",
    [
        (0.3, 0.2, 10_000_000, 100_000_000),  # 0.3 - 0.2 is 0.09999999999999998 in binary floating point
        (1.1, 1.0, 110, 1_100),
        (100_000.1, 100_000, 1_000, 10_000),
        (2.35, 2.2, 1.5, 10),
    ],
)
def test_break_even_is_exact_for_amounts_typed_in_decimals(price, variable_cost, fixed_costs, units) -> None:
    # Each case divides exactly: the break-even must not be one unit too many because of rounding
    # inside the computer.
    result = fz.analyse(
        inputs(price=price, variable_cost=variable_cost, fixed_costs=fixed_costs, expected_volume=0, market_size=0)
    )
    assert result.break_even_volume == units


def test_thin_margin_and_big_market_share_are_cautions() -> None:
    # contribution 3.5; break-even 4,000; expected 4,400 is 400 above = 9.1% (< 20%): caution.
    # 4,400 of a 10,000 market is 44% (> 30%): caution too.
    case = inputs(expected_volume=4_400, market_size=10_000, investment=0, loans=0, grants=0)
    result = fz.analyse(case)
    verdict = fz.go_no_go(case, result)
    assert verdict.decision is fz.Decision.CAUTION
    assert verdict.reasons == (
        "Sales are only 9% above break-even: a small drop in sales would bring a loss.",
        "The plan needs 44% of the whole market: can a new cooperative win that many buyers?",
    )


def test_sensitivity_worked_by_hand() -> None:
    rows = fz.sensitivity(inputs())
    assert [(r.factor, r.change_percent) for r in rows][:5] == [("price", c) for c in (-20, -10, 0, 10, 20)]
    assert {r.factor for r in rows} == {"price", "variable_cost", "expected_volume"}
    by = {(r.factor, r.change_percent): r for r in rows}
    # Price -10%: 8.10 - 5.50 = 2.60; break-even 14,000 / 2.6 = 5,384.6 -> 5,385;
    # profit 2.6 x 6,000 - 14,000 = 1,600.
    assert by["price", -10].break_even_volume == 5_385
    assert close(by["price", -10].annual_profit, 1_600)
    # Price -20%: 7.20 - 5.50 = 1.70; break-even 8,235.3 -> 8,236; profit 10,200 - 14,000 = -3,800.
    assert by["price", -20].break_even_volume == 8_236
    assert close(by["price", -20].annual_profit, -3_800)
    # Variable cost +20%: 9 - 6.60 = 2.40; break-even 5,833.3 -> 5,834; profit 14,400 - 14,000 = 400.
    assert by["variable_cost", 20].break_even_volume == 5_834
    assert close(by["variable_cost", 20].annual_profit, 400)
    # Volume -20%: break-even unchanged (4,000); profit 3.5 x 4,800 - 14,000 = 2,800.
    assert by["expected_volume", -20].break_even_volume == 4_000
    assert close(by["expected_volume", -20].annual_profit, 2_800)
    # No change: the base case.
    for factor in ("price", "variable_cost", "expected_volume"):
        assert by[factor, 0].break_even_volume == 4_000 and close(by[factor, 0].annual_profit, 7_000)


def test_sensitivity_above_the_largest_amount_still_works() -> None:
    # Price at the largest amount a field takes: +20% goes beyond it, and must still be computed
    # (the learner typed nothing wrong).
    case = inputs(price=1e12, variable_cost=9e11, fixed_costs=1e11, expected_volume=1e12, market_size=0)
    rows = fz.sensitivity(case)
    by = {(r.factor, r.change_percent): r for r in rows}
    assert by["price", 20].break_even_volume == 1  # 1e11 / (1.2e12 - 9e11) = 0.33 -> 1
    assert by["variable_cost", 20].break_even_volume is None  # 1.08e12 > 1e12: each unit loses
    assert close(by["expected_volume", 20].annual_profit, 1e11 * 1.2e12 - 1e11)


# --- edge cases --------------------------------------------------------------------------------


@pytest.mark.parametrize("variable_cost", [9, 12.5])
def test_price_not_above_variable_cost_never_breaks_even(variable_cost) -> None:
    case = inputs(variable_cost=variable_cost)
    result = fz.analyse(case)
    assert result.contribution_per_unit <= 0
    assert result.break_even_volume is None
    assert result.margin_of_safety is None and result.margin_of_safety_percent is None
    assert result.payback_years is None
    assert close(result.annual_profit, (9 - variable_cost) * 6_000 - 14_000)
    verdict = fz.go_no_go(case, result)
    assert verdict.decision is fz.Decision.NO_GO
    assert verdict.reasons[0].startswith("Each unit sells for no more than it costs to make")
    # The no-contribution reason explains it; "never paid back" would only repeat it.
    assert not any("never paid back" in r for r in verdict.reasons)


def test_zero_expected_volume_is_not_a_go() -> None:
    # Nothing sold: no margin of safety to speak of, no profit. Even with no fixed costs and no
    # investment, selling nothing is not a business.
    case = inputs(expected_volume=0, fixed_costs=0, investment=0, loans=0, grants=0)
    result = fz.analyse(case)
    assert result.break_even_volume == 0
    assert result.margin_of_safety == 0 and result.margin_of_safety_percent is None
    assert result.annual_profit == 0 and result.payback_years is None
    assert close(result.market_share_percent, 0)
    verdict = fz.go_no_go(case, result)
    assert verdict.decision is fz.Decision.NO_GO
    assert not any("above break-even" in r for r in verdict.reasons)
    assert any("no sales" in r.lower() for r in verdict.reasons)
    # With fixed costs, zero sales is below break-even.
    case = inputs(expected_volume=0)
    verdict = fz.go_no_go(case, fz.analyse(case))
    assert verdict.decision is fz.Decision.NO_GO


def test_grants_and_loans_above_the_investment_leave_nothing_to_raise() -> None:
    result = fz.analyse(inputs(investment=10_000, loans=4_000, grants=8_000))
    assert result.capital_to_raise == 0
    assert all(m.share == 0 for m in result.member_shares)
    assert fz.analyse(inputs(investment=10_000, loans=4_000, grants=6_000)).capital_to_raise == 0
    # 0.3 - 0.1 - 0.2 is exactly nothing (not 0.00000000000000006 left for members to raise).
    result = fz.analyse(inputs(investment=0.3, loans=0.1, grants=0.2, affordable_share=1e-20))
    assert result.capital_to_raise == 0 and result.largest_share == 0


def test_one_member_puts_in_all_the_capital() -> None:
    result = fz.analyse(inputs(members=1))
    assert close(result.largest_share, 12_000)
    verdict = fz.go_no_go(inputs(members=1), result)
    assert verdict.decision is fz.Decision.NO_GO  # 12,000 > 1,000 a member can afford
    assert "up to 12,000.00, more than the 1,000.00" in verdict.reasons[0]


def test_affordability_unknown_is_not_checked() -> None:
    case = inputs(members=1, affordable_share=0)
    assert fz.go_no_go(case, fz.analyse(case)).decision is fz.Decision.GO


def test_no_investment_pays_back_at_once_and_says_nothing_about_payback() -> None:
    case = inputs(investment=0, loans=0, grants=0)
    result = fz.analyse(case)
    assert result.payback_years == 0 and result.capital_to_raise == 0
    verdict = fz.go_no_go(case, result)
    assert verdict.decision is fz.Decision.GO
    assert not any("pay" in r for r in verdict.reasons)


def test_equal_rule_ignores_planned_use_and_by_use_ignores_member_count() -> None:
    with_use = inputs(planned_use=(fz.PlannedUse("A", 1),))
    assert fz.analyse(with_use) == fz.analyse(inputs())
    assert fz.analyse(rice_mill(members=1)).member_shares == fz.analyse(rice_mill()).member_shares


def test_volume_equal_to_the_market_is_allowed() -> None:
    assert close(fz.analyse(inputs(expected_volume=40_000)).market_share_percent, 100)


# --- invalid inputs ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes, field, says",
    [
        ({"price": 0}, "price", "Selling price per unit must be more than 0"),
        ({"price": -1}, "price", "must be more than 0"),
        ({"price": float("nan")}, "price", "please enter a number"),
        ({"price": "abc"}, "price", "please enter a number"),
        ({"price": True}, "price", "please enter a number"),
        ({"variable_cost": -0.01}, "variable_cost", "Variable cost per unit must be at least 0"),
        ({"fixed_costs": -5}, "fixed_costs", "Fixed costs per year must be at least 0"),
        ({"fixed_costs": float("inf")}, "fixed_costs", "please enter a number"),
        ({"expected_volume": -1}, "expected_volume", "at least 0"),
        ({"expected_volume": 50_000}, "expected_volume", "cannot be larger than the whole market"),
        ({"market_size": -1}, "market_size", "at least 0"),
        ({"investment": 2e12}, "investment", "at most 1,000,000,000,000"),
        ({"loans": -1}, "loans", "Loans must be at least 0"),
        ({"grants": None}, "grants", "please enter a number"),
        ({"members": 0}, "members", "Number of members must be at least 1"),
        ({"members": 2.5}, "members", "must be a whole number"),
        ({"affordable_share": -100}, "affordable_share", "at least 0"),
    ],
    ids=lambda v: str(v)[:40],
)
def test_invalid_inputs_say_what_to_fix(changes, field, says, learner_message) -> None:
    with pytest.raises(CourseInputError) as caught:
        inputs(**changes)
    assert caught.value.field == field
    assert says in caught.value.message
    learner_message(caught.value.message)


@pytest.mark.parametrize(
    "planned_use, says",
    [
        ((), "add at least one row"),
        ((fz.PlannedUse("A", 1), fz.PlannedUse(" a ", 2)), "appears twice"),
        ((fz.PlannedUse("  ", 1),), "needs a name"),
        ((fz.PlannedUse("A", 0),), "Planned use of A must be more than 0"),
        ((fz.PlannedUse("A", -3),), "more than 0"),
        ((fz.PlannedUse("A", float("nan")),), "please enter a number"),
    ],
)
def test_invalid_planned_use_says_what_to_fix(planned_use, says, learner_message) -> None:
    with pytest.raises(CourseInputError) as caught:
        rice_mill(planned_use=planned_use)
    assert caught.value.field == "planned_use"
    assert says in caught.value.message
    learner_message(caught.value.message)


def test_the_error_is_the_projects_one_and_a_value_error() -> None:
    with pytest.raises(ValueError):
        inputs(price=0)


# --- properties --------------------------------------------------------------------------------

cents = st.integers(min_value=1, max_value=10**8).map(lambda c: c / 100)
amounts = st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False)
prices = st.floats(min_value=0.01, max_value=1e6, allow_nan=False, allow_infinity=False)
volumes = st.floats(min_value=0, max_value=1e7, allow_nan=False, allow_infinity=False)


def _exact(value: float) -> Fraction:
    """The number as a learner typed it (its shortest decimal form)."""
    return Fraction(Decimal(repr(value)))


@given(price=prices, variable_cost=prices, fixed_costs=amounts, volume=volumes)
def test_break_even_is_the_fewest_units_that_cover_fixed_costs(price, variable_cost, fixed_costs, volume) -> None:
    result = fz.analyse(
        inputs(price=price, variable_cost=variable_cost, fixed_costs=fixed_costs, expected_volume=volume, market_size=0)
    )
    contribution = _exact(price) - _exact(variable_cost)
    if contribution <= 0:
        assert result.break_even_volume is None
        return
    units = result.break_even_volume
    assert units is not None and units >= 0
    assert units * contribution >= _exact(fixed_costs)
    assert units == 0 or (units - 1) * contribution < _exact(fixed_costs)
    assert math.isclose(result.margin_of_safety, volume - units, rel_tol=1e-12, abs_tol=1e-6)


@given(
    contribution_cents=st.integers(min_value=1, max_value=10**7),
    units=st.integers(min_value=0, max_value=10**7),
    variable_cents=st.integers(min_value=0, max_value=10**7),
)
def test_break_even_times_contribution_is_the_fixed_costs(contribution_cents, units, variable_cents) -> None:
    # Fixed costs that a whole number of units covers exactly: break-even is that number.
    fixed_costs = float(Decimal(contribution_cents * units) / 100)
    assume(fixed_costs <= 1e12)
    price = float(Decimal(variable_cents + contribution_cents) / 100)
    variable_cost = float(Decimal(variable_cents) / 100)
    result = fz.analyse(
        inputs(price=price, variable_cost=variable_cost, fixed_costs=fixed_costs, expected_volume=0, market_size=0)
    )
    assert result.break_even_volume == units
    assert math.isclose(
        result.break_even_volume * result.contribution_per_unit, fixed_costs, rel_tol=1e-12, abs_tol=1e-9
    )


@given(
    price=cents,
    rise=cents,
    variable_cost=st.integers(min_value=0, max_value=10**6).map(lambda c: c / 100),
    fixed_costs=amounts,
)
def test_a_higher_price_never_needs_more_sales(price, rise, variable_cost, fixed_costs) -> None:
    low = fz.analyse(inputs(price=price, variable_cost=variable_cost, fixed_costs=fixed_costs, market_size=0))
    high = fz.analyse(inputs(price=price + rise, variable_cost=variable_cost, fixed_costs=fixed_costs, market_size=0))
    if low.break_even_volume is not None:
        assert high.break_even_volume is not None and high.break_even_volume <= low.break_even_volume
    if price + rise > variable_cost:
        assert high.break_even_volume is not None
    assert high.annual_profit >= low.annual_profit - 1e-6


@given(price=prices, variable_cost=prices, fixed_costs=amounts, more=amounts)
def test_higher_fixed_costs_never_need_fewer_sales(price, variable_cost, fixed_costs, more) -> None:
    low = fz.analyse(inputs(price=price, variable_cost=variable_cost, fixed_costs=fixed_costs, market_size=0))
    high = fz.analyse(inputs(price=price, variable_cost=variable_cost, fixed_costs=fixed_costs + more, market_size=0))
    if low.break_even_volume is None:
        assert high.break_even_volume is None
    else:
        assert high.break_even_volume >= low.break_even_volume


@given(investment=amounts, loans=amounts, grants=amounts, members=st.integers(min_value=1, max_value=10_000))
def test_equal_shares_add_up_to_the_capital_to_raise(investment, loans, grants, members) -> None:
    result = fz.analyse(inputs(investment=investment, loans=loans, grants=grants, members=members))
    assert result.capital_to_raise >= 0
    assert math.isclose(result.capital_to_raise, max(0.0, investment - loans - grants), rel_tol=1e-12, abs_tol=1e-6)
    # Whole cents that add up exactly to the capital as the page shows it; no two members differ by more
    # than a cent.
    assert sum(m.members for m in result.member_shares) == members
    assert sum(Decimal(str(m.share)) * m.members for m in result.member_shares) == to_cents(result.capital_to_raise)
    assert result.total_shares == float(to_cents(result.capital_to_raise))
    amounts = [Decimal(str(m.share)) for m in result.member_shares]
    assert max(amounts) - min(amounts) <= Decimal("0.01")


@given(
    investment=amounts,
    loans=amounts,
    grants=amounts,
    uses=st.lists(st.floats(min_value=0.01, max_value=1e6, allow_nan=False), min_size=1, max_size=12),
)
def test_shares_by_use_add_up_and_follow_use(investment, loans, grants, uses) -> None:
    planned = tuple(fz.PlannedUse(f"Member {i}", use) for i, use in enumerate(uses))
    result = fz.analyse(rice_mill(investment=investment, loans=loans, grants=grants, planned_use=planned))
    shares = [m.share for m in result.member_shares]
    assert [m.name for m in result.member_shares] == [p.name for p in planned]
    assert sum(Decimal(str(s)) for s in shares) == to_cents(result.capital_to_raise)
    assert all(s >= 0 for s in shares)
    for (use_a, share_a), (use_b, share_b) in zip(zip(uses, shares), zip(uses[1:], shares[1:])):
        if use_a < use_b:
            assert share_a <= share_b + 1e-9


@given(price=prices, variable_cost=prices, fixed_costs=amounts, volume=volumes, investment=amounts)
def test_payback_times_profit_is_the_investment(price, variable_cost, fixed_costs, volume, investment) -> None:
    result = fz.analyse(
        inputs(
            price=price,
            variable_cost=variable_cost,
            fixed_costs=fixed_costs,
            expected_volume=volume,
            market_size=0,
            investment=investment,
            loans=0,
            grants=0,
        )
    )
    if shown(result.annual_profit) > 0:
        assert result.payback_years is not None
        assert math.isclose(result.payback_years * result.annual_profit, investment, rel_tol=1e-9, abs_tol=1e-6)
    else:
        assert result.payback_years is None


@given(
    price=prices,
    variable_cost=prices,
    fixed_costs=amounts,
    volume=volumes,
    investment=amounts,
    affordable=amounts,
    members=st.integers(min_value=1, max_value=500),
)
def test_go_no_go_always_gives_reasons_and_no_go_means_a_stop(
    price, variable_cost, fixed_costs, volume, investment, affordable, members
) -> None:
    case = inputs(
        price=price,
        variable_cost=variable_cost,
        fixed_costs=fixed_costs,
        expected_volume=volume,
        market_size=0,
        investment=investment,
        loans=0,
        grants=0,
        members=members,
        affordable_share=affordable,
    )
    result = fz.analyse(case)
    verdict = fz.go_no_go(case, result)
    assert verdict.reasons, "a decision always says why"
    # Judged on the figures as the page shows them (money to the cent).
    if shown(result.annual_profit) < 0 or (shown(result.annual_profit) == 0 and shown(investment) > 0):
        assert verdict.decision is fz.Decision.NO_GO
    if shown(result.annual_profit) > 0 and shown(volume) > 0:
        assert not any("make a loss" in reason for reason in verdict.reasons)
    if affordable and shown(result.largest_share) > shown(affordable):
        assert verdict.decision is fz.Decision.NO_GO
    for reason in verdict.reasons:
        assert "{" not in reason and "None" not in reason


@given(price=prices, variable_cost=prices, fixed_costs=amounts, volume=volumes)
def test_sensitivity_has_every_row_and_the_base_case(price, variable_cost, fixed_costs, volume) -> None:
    case = inputs(
        price=price, variable_cost=variable_cost, fixed_costs=fixed_costs, expected_volume=volume, market_size=0
    )
    base = fz.analyse(case)
    rows = fz.sensitivity(case)
    assert len(rows) == 15
    for row in rows:
        if row.change_percent == 0:
            assert row.break_even_volume == base.break_even_volume
            assert math.isclose(row.annual_profit, base.annual_profit, rel_tol=1e-9, abs_tol=1e-6)
    price_rows = [r for r in rows if r.factor == "price"]
    profits = [r.annual_profit for r in price_rows]
    assert profits == sorted(profits)  # a higher price never earns less
