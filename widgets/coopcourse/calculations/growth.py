"""Growth-strategy simulator: a cooperative's surplus, year by year, with and without a growth
strategy, and the expected result once the chance that the strategy fails is counted.

Model (our own teaching arithmetic, content brief: [derived]):

- No growth: every year sales stay at this year's level; costs = variable cost share x sales +
  fixed costs; surplus = sales - costs.
- Strategy: sales grow by ``growth_percent`` each year (year t: sales x (1 + g)^t); the group pays
  ``investment`` once at the start and ``extra_fixed_costs`` every year on top of the fixed costs.
  Cumulative surplus after the investment = - investment + the running sum of yearly surplus.
- Chance of success p: if the strategy succeeds the group gets the strategy's line; if it fails we
  assume the investment is lost, sales stay at this year's level and the extra costs are stopped,
  so the group gets the no-growth line minus the investment. Expected = p x success + (1 - p) x
  failure, year by year.
- The investment is recovered in the first year in which the strategy's cumulative surplus (after
  the investment) catches up with the no-growth cumulative surplus, that is, when the extra
  surplus the strategy brought adds up to the investment.
"""

from __future__ import annotations

from dataclasses import dataclass

from coopcourse.calculations.rounding import cents, shown
from coopcourse.calculations.validation import (
    check_count,
    check_kind,
    check_not_empty,
    check_number,
    checked,
)
from coopcourse.text import text

LONGEST_PROJECTION_YEARS = 10
LOWEST_GROWTH_PERCENT = -50.0
HIGHEST_GROWTH_PERCENT = 100.0


@dataclass(frozen=True)
@checked()
class GrowthInputs:
    sales: float  # this year's sales
    variable_cost_percent: float  # variable costs as % of sales
    fixed_costs: float  # per year, before the strategy
    years: int  # years to project, 1 to 10
    growth_percent: float  # yearly sales growth with the strategy
    investment: float  # paid once, at the start
    extra_fixed_costs: float  # per year, on top of the fixed costs
    success_percent: float  # chance that the strategy works

    def __post_init__(self) -> None:
        check_number(self.sales, text("growth.sales"), above_minimum=True, field="sales")
        check_number(
            self.variable_cost_percent, text("growth.variable_cost_percent"), maximum=100, field="variable_cost_percent"
        )
        check_number(self.fixed_costs, text("growth.fixed_costs"), field="fixed_costs")
        check_count(self.years, text("growth.years"), minimum=1, maximum=LONGEST_PROJECTION_YEARS, field="years")
        check_number(
            self.growth_percent,
            text("growth.growth_percent"),
            minimum=LOWEST_GROWTH_PERCENT,
            maximum=HIGHEST_GROWTH_PERCENT,
            field="growth_percent",
        )
        check_number(self.investment, text("growth.investment"), field="investment")
        check_number(self.extra_fixed_costs, text("growth.extra_fixed_costs"), field="extra_fixed_costs")
        check_number(self.success_percent, text("growth.success_percent"), maximum=100, field="success_percent")


@dataclass(frozen=True)
@checked()
class YearRow:
    year: int
    sales: float
    costs: float
    surplus: float
    cumulative: float  # strategy: running sum of surplus, minus the investment
    no_growth_surplus: float
    no_growth_cumulative: float
    expected_cumulative: float  # counting the chance of success


@dataclass(frozen=True)
@checked()
class GrowthResult:
    investment: float
    rows: tuple[YearRow, ...]
    recovery_year: int | None  # first year the investment is recovered; None if not within the years

    def __post_init__(self) -> None:
        check_not_empty(self.rows, text("growth.years"), field="years")

    @property
    def total(self) -> float:
        """Strategy: surplus over all the years, after the investment."""
        return self.rows[-1].cumulative

    @property
    def no_growth_total(self) -> float:
        return self.rows[-1].no_growth_cumulative

    @property
    def expected_total(self) -> float:
        return self.rows[-1].expected_cumulative

    # The gains are the differences of the totals as the page shows them (to the cent), so that
    # "0.00 more" is never read as a gain and a verdict never contradicts the totals next to it.
    @property
    def gain_over_no_growth(self) -> float:
        return float(cents(self.total) - cents(self.no_growth_total))

    @property
    def expected_gain_over_no_growth(self) -> float:
        return float(cents(self.expected_total) - cents(self.no_growth_total))


def yearly_surplus(sales: float, variable_cost_percent: float, fixed_costs: float) -> tuple[float, float]:
    """(costs, surplus) of one year."""
    sales = check_number(sales, text("growth.sales"), field="sales")
    variable_cost_percent = check_number(
        variable_cost_percent, text("growth.variable_cost_percent"), maximum=100, field="variable_cost_percent"
    )
    fixed_costs = check_number(fixed_costs, text("growth.fixed_costs"), field="fixed_costs")
    return _yearly(sales, variable_cost_percent, fixed_costs)


def _yearly(sales: float, variable_cost_percent: float, fixed_costs: float) -> tuple[float, float]:
    costs = sales * variable_cost_percent / 100 + fixed_costs
    return costs, sales - costs


def project(inputs: GrowthInputs) -> GrowthResult:
    check_kind(inputs, GrowthInputs)
    chance = inputs.success_percent / 100
    _base_costs, base_surplus = _yearly(inputs.sales, inputs.variable_cost_percent, inputs.fixed_costs)
    rows: list[YearRow] = []
    cumulative = -inputs.investment
    no_growth_cumulative = 0.0
    recovery_year: int | None = None
    for year in range(1, int(inputs.years) + 1):
        sales = inputs.sales * (1 + inputs.growth_percent / 100) ** year
        costs, surplus = _yearly(sales, inputs.variable_cost_percent, inputs.fixed_costs + inputs.extra_fixed_costs)
        cumulative += surplus
        no_growth_cumulative += base_surplus
        expected = chance * cumulative + (1 - chance) * (no_growth_cumulative - inputs.investment)
        rows.append(YearRow(year, sales, costs, surplus, cumulative, base_surplus, no_growth_cumulative, expected))
        # Recovered when the two running totals, as the page shows them to the cent, have caught up.
        if recovery_year is None and shown(inputs.investment) > 0 and shown(cumulative) >= shown(no_growth_cumulative):
            recovery_year = year
    return GrowthResult(inputs.investment, tuple(rows), recovery_year)


@dataclass(frozen=True)
@checked()
class StrategyDefaults:
    """What choosing a strategy presets: teaching assumptions, to be edited by the group."""

    growth_percent: float
    investment: float
    extra_fixed_costs: float
    success_percent: float


def strategy_defaults(
    sales: float,
    growth_percent: float,
    investment_percent_of_sales: float,
    extra_fixed_percent_of_sales: float,
    success_percent: float,
) -> StrategyDefaults:
    """Turn a strategy's defaults (investment and extra costs as a share of this year's sales)
    into amounts for this cooperative, rounded to whole units."""
    sales = check_number(sales, text("growth.sales"), field="sales")
    growth_percent = check_number(
        growth_percent,
        text("growth.growth_percent"),
        minimum=LOWEST_GROWTH_PERCENT,
        maximum=HIGHEST_GROWTH_PERCENT,
        field="growth_percent",
    )
    investment_percent_of_sales = check_number(
        investment_percent_of_sales, text("growth.investment"), maximum=1000, field="investment"
    )
    extra_fixed_percent_of_sales = check_number(
        extra_fixed_percent_of_sales, text("growth.extra_fixed_costs"), maximum=1000, field="extra_fixed_costs"
    )
    success_percent = check_number(
        success_percent, text("growth.success_percent"), maximum=100, field="success_percent"
    )
    return StrategyDefaults(
        growth_percent=growth_percent,
        investment=float(round(sales * investment_percent_of_sales / 100)),
        extra_fixed_costs=float(round(sales * extra_fixed_percent_of_sales / 100)),
        success_percent=success_percent,
    )
