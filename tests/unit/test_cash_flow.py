"""The 12-month cash-flow projection of the business plan: hand-worked cases and properties."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopcourse.calculations import cash_flow as cf
from coopcourse.calculations.rounding import shown
from coopcourse.errors import CourseInputError


def flow_inputs(**changes) -> cf.CashFlowInputs:
    base = dict(
        opening_cash=1_000,
        full_monthly_volume=120,
        ramp_up_months=2,
        price=10,
        variable_cost=6,
        monthly_fixed_costs=300,
        monthly_loan_repayment=50,
    )
    base.update(changes)
    return cf.CashFlowInputs(**base)


def test_ramp_up_year_worked_by_hand() -> None:
    # Full volume 120 a month, reached after 2 months: month 1 sells 120 x 1/3 = 40, month 2 80.
    # Month 1: in 40 x 10 = 400; out 40 x 6 + 300 + 50 = 590; cash 1,000 - 190 = 810.
    # Month 2: in 800; out 480 + 350 = 830; cash 810 - 30 = 780 (the lowest point).
    # Months 3-12: in 1,200; out 720 + 350 = 1,070; +130 a month: 780 + 10 x 130 = 2,080.
    flow = cf.project(flow_inputs())
    assert len(flow.months) == 12 and [r.month for r in flow.months] == list(range(1, 13))
    first, second, third = flow.months[:3]
    assert (first.volume, first.receipts, first.payments, first.net, first.closing_cash) == (40, 400, 590, -190, 810)
    assert (second.volume, second.receipts, second.payments, second.closing_cash) == (80, 800, 830, 780)
    assert (third.volume, third.receipts, third.payments, third.net, third.closing_cash) == (
        120,
        1_200,
        1_070,
        130,
        910,
    )
    assert flow.closing_cash == 2_080
    assert flow.lowest_cash == 780
    assert flow.first_short_month is None
    # Totals: 40 + 80 + 10 x 120 = 1,320 units; 13,200 in; 13,200 - 12,080 ... checked as sums.
    assert sum(r.volume for r in flow.months) == 1_320
    assert sum(r.receipts for r in flow.months) == 13_200
    assert sum(r.payments for r in flow.months) == 590 + 830 + 10 * 1_070
    assert 1_000 + sum(r.net for r in flow.months) == flow.closing_cash


def test_cash_running_out_names_the_first_short_month() -> None:
    # 0.30 at the start, 0.10 out each month and nothing in: 0.20, 0.10, exactly 0.00 in month 3
    # (not short), -0.10 in month 4 (short), -0.90 at the end.
    flow = cf.project(
        flow_inputs(
            opening_cash=0.3, full_monthly_volume=0, ramp_up_months=0, monthly_fixed_costs=0.1, monthly_loan_repayment=0
        )
    )
    assert [r.closing_cash for r in flow.months][:4] == [0.2, 0.1, 0.0, -0.1]
    assert flow.first_short_month == 4
    assert flow.lowest_cash == pytest.approx(-0.9)


def test_a_month_that_exactly_breaks_even_is_not_short() -> None:
    # 1 unit at 0.30, costing 0.20, with 0.10 fixed costs: exactly nothing left, every month.
    flow = cf.project(
        flow_inputs(
            opening_cash=0,
            full_monthly_volume=1,
            ramp_up_months=0,
            price=0.3,
            variable_cost=0.2,
            monthly_fixed_costs=0.1,
            monthly_loan_repayment=0,
        )
    )
    assert all(r.closing_cash == 0 for r in flow.months)
    assert flow.first_short_month is None and flow.lowest_cash == 0


def test_starting_in_debt_is_short_from_month_one() -> None:
    flow = cf.project(flow_inputs(opening_cash=-500, ramp_up_months=0))
    assert flow.first_short_month == 1
    assert flow.months[0].closing_cash == -500 + 130


def test_ramp_up_of_twelve_months_never_reaches_full_volume_within_the_year() -> None:
    volumes = [r.volume for r in cf.project(flow_inputs(ramp_up_months=12)).months]
    assert volumes[0] == pytest.approx(120 / 13) and volumes[-1] == pytest.approx(120 * 12 / 13)
    assert cf.monthly_volume(1, 120, 0) == 120
    assert cf.monthly_volume(3, 120, 2) == 120
    assert cf.monthly_volume(2, 120, 3) == 60


@pytest.mark.parametrize(
    "changes, field, says",
    [
        ({"ramp_up_months": 13}, "ramp_up_months", "at most 12"),
        ({"ramp_up_months": -1}, "ramp_up_months", "at least 0"),
        ({"ramp_up_months": 1.5}, "ramp_up_months", "whole number"),
        ({"full_monthly_volume": -1}, "full_monthly_volume", "Sales volume per month must be at least 0"),
        ({"price": float("nan")}, "price", "please enter a number"),
        ({"variable_cost": -1}, "variable_cost", "at least 0"),
        ({"monthly_fixed_costs": "12"}, "monthly_fixed_costs", "please enter a number"),
        ({"monthly_loan_repayment": -3}, "monthly_loan_repayment", "Loan repayment per month must be at least 0"),
        ({"opening_cash": -2e12}, "opening_cash", "Cash at the start must be at least"),
        ({"opening_cash": float("inf")}, "opening_cash", "please enter a number"),
    ],
    ids=lambda v: str(v)[:40],
)
def test_invalid_inputs_say_what_to_fix(changes, field, says, learner_message) -> None:
    with pytest.raises(CourseInputError) as caught:
        flow_inputs(**changes)
    assert caught.value.field == field
    assert says in caught.value.message
    learner_message(caught.value.message)


amounts = st.floats(min_value=0, max_value=1e7, allow_nan=False, allow_infinity=False)


@given(
    opening=st.floats(min_value=-1e7, max_value=1e7, allow_nan=False),
    volume=amounts,
    ramp=st.integers(min_value=0, max_value=12),
    price=amounts,
    variable_cost=amounts,
    fixed=amounts,
    repayment=amounts,
)
def test_each_month_starts_with_the_cash_the_last_one_ended_with(
    opening, volume, ramp, price, variable_cost, fixed, repayment
) -> None:
    flow = cf.project(cf.CashFlowInputs(opening, volume, ramp, price, variable_cost, fixed, repayment))
    tolerance = 1e-9 * max(1.0, abs(opening), volume * max(price, variable_cost), fixed, repayment)
    previous = opening
    for row in flow.months:
        assert math.isclose(row.closing_cash, previous + row.net, rel_tol=1e-12, abs_tol=tolerance)
        assert math.isclose(row.receipts, row.volume * price, rel_tol=1e-12, abs_tol=tolerance)
        assert math.isclose(
            row.payments, row.volume * variable_cost + fixed + repayment, rel_tol=1e-12, abs_tol=tolerance
        )
        previous = row.closing_cash
    # Volumes climb to the full volume and stay there; the year's total is full x (12 - ramp / 2).
    volumes = [r.volume for r in flow.months]
    assert volumes == sorted(volumes) and all(v <= volume for v in volumes)
    assert math.isclose(sum(volumes), volume * (12 - ramp / 2), rel_tol=1e-12, abs_tol=1e-9)
    assert flow.lowest_cash == min(r.closing_cash for r in flow.months)
    # Cash runs short in the first month the page shows below 0.00.
    short = flow.first_short_month
    if short is None:
        assert shown(flow.lowest_cash) >= 0
    else:
        assert shown(flow.months[short - 1].closing_cash) < 0
        assert all(shown(r.closing_cash) >= 0 for r in flow.months[: short - 1])


def test_cash_shown_as_0_00_is_not_short() -> None:
    # 0.004 short is shown as "-0.00" -> "0.00": the page must not warn that cash runs out.
    flow = cf.project(cf.CashFlowInputs(-0.004, 0, 0, 1, 0, 0, 0))
    assert flow.lowest_cash == -0.004 and flow.first_short_month is None
    assert cf.project(cf.CashFlowInputs(-0.005001, 0, 0, 1, 0, 0, 0)).first_short_month == 1
