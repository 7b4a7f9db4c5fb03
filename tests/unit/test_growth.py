"""Growth-strategy simulator: surplus year by year with a strategy, with no growth, and expected."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopcourse import content
from coopcourse.calculations import growth as gr
from coopcourse.calculations.rounding import shown
from coopcourse.errors import CourseInputError

# The "coffee cooperative looks for new buyers" scenario.
COFFEE = gr.GrowthInputs(
    sales=200_000,
    variable_cost_percent=60,
    fixed_costs=50_000,
    years=5,
    growth_percent=10,
    investment=30_000,
    extra_fixed_costs=10_000,
    success_percent=60,
)


def test_coffee_new_markets_by_hand() -> None:
    # No growth: 200,000 x 40% - 50,000 = 30,000 a year; 150,000 in five years.
    # Strategy: sales 220,000; 242,000; 266,200; 292,820; 322,102.
    # Surplus = 40% of sales - 60,000: 28,000; 36,800; 46,480; 57,128; 68,840.80 (sum 237,248.80).
    # Cumulative after the 30,000 investment: -2,000; 34,800; 81,280; 138,408; 207,248.80.
    # No growth cumulative: 30,000; 60,000; 90,000; 120,000; 150,000.
    # Recovered when the strategy's line catches up with no growth: year 4 (138,408 >= 120,000).
    result = gr.project(COFFEE)
    assert [r.sales for r in result.rows] == pytest.approx([220_000, 242_000, 266_200, 292_820, 322_102])
    assert [r.surplus for r in result.rows] == pytest.approx([28_000, 36_800, 46_480, 57_128, 68_840.8])
    assert [r.costs for r in result.rows] == pytest.approx([192_000, 205_200, 219_720, 235_692, 253_261.2])
    assert [r.cumulative for r in result.rows] == pytest.approx([-2_000, 34_800, 81_280, 138_408, 207_248.8])
    assert [r.no_growth_cumulative for r in result.rows] == pytest.approx([30_000, 60_000, 90_000, 120_000, 150_000])
    assert result.recovery_year == 4
    assert result.total == pytest.approx(207_248.8)
    assert result.gain_over_no_growth == pytest.approx(57_248.8)
    # Expected, 60% chance: 0.6 x 207,248.80 + 0.4 x (150,000 - 30,000) = 124,349.28 + 48,000.
    assert result.expected_total == pytest.approx(172_349.28)
    assert result.expected_gain_over_no_growth == pytest.approx(22_349.28)


def test_expected_year_one_by_hand() -> None:
    # Year 1: success -2,000; failure 30,000 - 30,000 = 0; expected 0.6 x -2,000 + 0.4 x 0 = -1,200.
    assert gr.project(COFFEE).rows[0].expected_cumulative == pytest.approx(-1_200)


def test_never_recovered_when_growth_does_not_cover_extra_costs() -> None:
    # 2% growth on 200,000 adds 1,600 of contribution in year 1, less than the 10,000 extra costs.
    result = gr.project(replace(COFFEE, growth_percent=2))
    assert result.recovery_year is None
    assert result.gain_over_no_growth < 0


def test_no_investment_means_nothing_to_recover() -> None:
    assert gr.project(replace(COFFEE, investment=0)).recovery_year is None


def test_recovered_in_the_exact_year_the_extra_surplus_equals_the_investment() -> None:
    # Fixed extra surplus: 10% growth of 1,000 sales at 0% variable cost, one year: +100 = investment.
    inputs = gr.GrowthInputs(1_000, 0, 0, 1, 10, 100, 0, 100)
    assert gr.project(inputs).recovery_year == 1


def test_loss_making_cooperative() -> None:
    # 10,000 sales, 80% variable costs, 5,000 fixed: 2,000 - 5,000 = -3,000 a year.
    result = gr.project(gr.GrowthInputs(10_000, 80, 5_000, 2, 0, 0, 0, 50))
    assert [r.no_growth_surplus for r in result.rows] == pytest.approx([-3_000, -3_000])
    assert result.no_growth_total == pytest.approx(-6_000)


def test_strategy_defaults_scale_with_sales() -> None:
    preset = gr.strategy_defaults(200_000, 10, 15, 5, 60)
    assert preset == gr.StrategyDefaults(10, 30_000, 10_000, 60)
    assert gr.strategy_defaults(333, 5, 5, 2, 80).investment == 17  # 16.65 rounded


def test_strategy_data_chance_of_success_falls_as_risk_grows() -> None:
    strategies = content.load("growth_strategies")["strategies"]
    assert [s["id"] for s in strategies] == ["penetration", "new_markets", "new_products", "diversification"]
    chances = [s["success_percent"] for s in strategies]
    assert chances == sorted(chances, reverse=True) and len(set(chances)) == 4


@pytest.mark.parametrize(
    "field, value",
    [
        ("sales", 0),
        ("sales", -5),
        ("variable_cost_percent", 101),
        ("variable_cost_percent", -1),
        ("fixed_costs", -1),
        ("years", 0),
        ("years", 11),
        ("years", 2.5),
        ("growth_percent", -60),
        ("growth_percent", 150),
        ("investment", -100),
        ("extra_fixed_costs", -1),
        ("success_percent", 101),
        ("success_percent", -1),
        ("sales", 1e15),
        ("investment", float("nan")),
        ("fixed_costs", float("inf")),
        ("sales", "abc"),
    ],
)
def test_invalid_inputs_raise_a_learner_message(field: str, value: object, learner_message) -> None:
    with pytest.raises(CourseInputError) as caught:
        replace(COFFEE, **{field: value})
    assert caught.value.field == field
    learner_message(caught.value.message)


def test_years_messages_say_the_range() -> None:
    with pytest.raises(CourseInputError, match="at least 1"):
        replace(COFFEE, years=0)
    with pytest.raises(CourseInputError, match="at most 10"):
        replace(COFFEE, years=11)


amounts = st.floats(min_value=0, max_value=1e9, allow_nan=False)
percents = st.floats(min_value=0, max_value=100, allow_nan=False)
growth_inputs = st.builds(
    gr.GrowthInputs,
    sales=st.floats(min_value=0.01, max_value=1e9),
    variable_cost_percent=percents,
    fixed_costs=amounts,
    years=st.integers(min_value=1, max_value=10),
    growth_percent=st.floats(min_value=-50, max_value=100),
    investment=amounts,
    extra_fixed_costs=amounts,
    success_percent=percents,
)


@given(growth_inputs)
def test_zero_growth_zero_investment_zero_extra_costs_is_the_no_growth_line(inputs: gr.GrowthInputs) -> None:
    flat = replace(inputs, growth_percent=0, investment=0, extra_fixed_costs=0)
    result = gr.project(flat)
    for row in result.rows:
        assert row.sales == flat.sales
        assert row.surplus == pytest.approx(row.no_growth_surplus)
        assert row.cumulative == pytest.approx(row.no_growth_cumulative)
        assert row.expected_cumulative == pytest.approx(row.no_growth_cumulative)


@given(growth_inputs)
def test_cumulative_is_the_running_sum_after_the_investment(inputs: gr.GrowthInputs) -> None:
    result = gr.project(inputs)
    assert len(result.rows) == inputs.years
    running = -inputs.investment
    scale = max(1.0, inputs.investment, *(abs(r.cumulative) for r in result.rows))
    for row in result.rows:
        running += row.surplus
        assert row.cumulative == pytest.approx(running, rel=1e-9, abs=1e-9 * scale)
        assert row.surplus == pytest.approx(row.sales - row.costs, rel=1e-9, abs=1e-9 * max(1.0, row.sales))
        assert row.costs == pytest.approx(
            row.sales * inputs.variable_cost_percent / 100 + inputs.fixed_costs + inputs.extra_fixed_costs, rel=1e-9
        )


@given(growth_inputs)
def test_expected_lies_between_success_and_failure(inputs: gr.GrowthInputs) -> None:
    for row in gr.project(inputs).rows:
        failure = row.no_growth_cumulative - inputs.investment
        low, high = sorted((failure, row.cumulative))
        slack = 1e-9 * max(1.0, abs(low), abs(high))
        assert low - slack <= row.expected_cumulative <= high + slack


@given(growth_inputs)
def test_certain_success_expects_the_strategy_and_certain_failure_the_no_growth_line(inputs: gr.GrowthInputs) -> None:
    sure = gr.project(replace(inputs, success_percent=100))
    assert sure.expected_total == pytest.approx(sure.total)
    never = gr.project(replace(inputs, success_percent=0))
    assert never.expected_total == pytest.approx(
        never.no_growth_total - inputs.investment, abs=1e-9 * max(1.0, abs(never.no_growth_total), inputs.investment)
    )


@given(growth_inputs)
def test_recovery_year_is_the_first_year_the_strategy_catches_up(inputs: gr.GrowthInputs) -> None:
    """Caught up means the two running totals as the page shows them, to the cent: a strategy
    half a cent behind is shown level, and the page must not say it has not caught up yet."""
    result = gr.project(inputs)
    if result.recovery_year is None:
        for row in result.rows:
            assert shown(inputs.investment) == 0 or shown(row.cumulative) < shown(row.no_growth_cumulative)
        return
    assert inputs.investment > 0
    row = result.rows[result.recovery_year - 1]
    assert shown(row.cumulative) >= shown(row.no_growth_cumulative)
    for earlier in result.rows[: result.recovery_year - 1]:
        assert shown(earlier.cumulative) < shown(earlier.no_growth_cumulative)


@given(growth_inputs, st.floats(min_value=0.1, max_value=50))
def test_more_growth_never_lowers_the_total_when_each_sale_makes_a_surplus(
    inputs: gr.GrowthInputs, extra: float
) -> None:
    more = replace(inputs, growth_percent=min(100.0, inputs.growth_percent + extra))
    assert gr.project(more).total >= gr.project(inputs).total - 1e-6 * max(1.0, abs(gr.project(inputs).total))


def test_gains_are_the_difference_of_the_totals_as_shown() -> None:
    # Both totals are shown as 100.00: the page must not call the strategy a gain of 0.01.
    row = gr.YearRow(
        year=1,
        sales=100,
        costs=0,
        surplus=100.004,
        cumulative=100.004,
        no_growth_surplus=99.996,
        no_growth_cumulative=99.996,
        expected_cumulative=100.004,
    )
    result = gr.GrowthResult(investment=0, rows=(row,), recovery_year=None)
    assert f"{result.total:,.2f}" == f"{result.no_growth_total:,.2f}" == "100.00"
    assert result.gain_over_no_growth == 0 and result.expected_gain_over_no_growth == 0
