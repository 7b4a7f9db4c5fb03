"""Feasibility of a cooperative's business idea: the textbook figures and a go / no-go reading.

Formulas (content brief, section 3): contribution per unit = price - variable cost; break-even
units = fixed costs / contribution, rounded up; margin of safety = expected volume - break-even
volume; payback (years) = investment / annual net cash inflow; capital the members raise =
investment - loans - grants, shared equally or in proportion to planned use (as in a CUMA).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from fractions import Fraction

from coopcourse.calculations.rounding import shown, split_cents, split_cents_equally
from coopcourse.calculations.validation import (
    check_count,
    check_items,
    check_kind,
    check_not_empty,
    check_number,
    check_unique_names,
    checked,
    fit,
)
from coopcourse.errors import CourseInputError
from coopcourse.formatting import amount, decimal, money, percent, whole
from coopcourse.text import text


class ShareRule(str, Enum):
    EQUAL = "equal"
    BY_USE = "by_use"


@dataclass(frozen=True)
@checked(field="planned_use", deferred=True)
class PlannedUse:
    name: str
    use_per_year: float


@dataclass(frozen=True)
@checked()
class FeasibilityInputs:
    price: float
    variable_cost: float
    fixed_costs: float
    expected_volume: float
    market_size: float
    investment: float
    loans: float
    grants: float
    members: int
    share_rule: ShareRule = ShareRule.EQUAL
    planned_use: tuple[PlannedUse, ...] = ()
    affordable_share: float = 0.0  # what one member can put in; 0 means not known

    def __post_init__(self) -> None:
        check_number(self.price, text("feasibility.price"), above_minimum=True, field="price")
        check_number(self.variable_cost, text("feasibility.variable_cost"), field="variable_cost")
        check_number(self.fixed_costs, text("feasibility.fixed_costs"), field="fixed_costs")
        check_number(self.expected_volume, text("feasibility.expected_volume"), field="expected_volume")
        check_number(self.market_size, text("feasibility.market_size"), field="market_size")
        check_number(self.investment, text("feasibility.investment"), field="investment")
        check_number(self.loans, text("feasibility.loans"), field="loans")
        check_number(self.grants, text("feasibility.grants"), field="grants")
        check_count(self.members, text("feasibility.members"), field="members")
        check_number(self.affordable_share, text("feasibility.affordable_share"), field="affordable_share")
        if self.market_size and self.expected_volume > self.market_size:
            raise CourseInputError(text("feasibility.error_volume_above_market"), "expected_volume")
        if self.share_rule is ShareRule.BY_USE:
            label = text("feasibility.planned_use")
            check_not_empty(self.planned_use, label, field="planned_use")
            check_unique_names([u.name for u in self.planned_use], label, field="planned_use")
            for use in self.planned_use:
                check_number(
                    use.use_per_year, text("feasibility.use_of", name=use.name), above_minimum=True, field="planned_use"
                )


@dataclass(frozen=True)
@checked()
class MemberCapital:
    name: str
    share: float  # what each of these members puts in, in whole cents
    members: int = 1  # how many members put in this share (equal shares: the cents left over go to some)


@dataclass(frozen=True)
@checked()
class FeasibilityResult:
    contribution_per_unit: float
    break_even_volume: int | None  # None when each unit loses money
    margin_of_safety: float | None
    margin_of_safety_percent: float | None
    annual_profit: float
    payback_years: float | None  # None when the business never pays back
    capital_to_raise: float
    member_shares: tuple[MemberCapital, ...]
    market_share_percent: float | None

    @property
    def largest_share(self) -> float:
        return max((m.share for m in self.member_shares), default=0.0)

    @property
    def total_shares(self) -> float:
        """What the rows of shares add up to: the capital to raise, to the cent, as the page shows it."""
        return float(sum(Fraction(str(m.share)) * m.members for m in self.member_shares))


def _exact(value: float) -> Fraction:
    """A number as the learner typed it: 0.3 - 0.2 is 0.1, not 0.09999999999999998, so a
    break-even that divides exactly is never one unit too many."""
    return Fraction(Decimal(repr(float(value))))


def _figures(
    price: Fraction, variable_cost: Fraction, fixed_costs: Fraction, volume: Fraction
) -> tuple[Fraction, int | None, Fraction]:
    """Contribution per unit, break-even units (rounded up; None when each unit loses money)
    and the year's profit, in exact arithmetic."""
    contribution = price - variable_cost
    break_even = math.ceil(fixed_costs / contribution) if contribution > 0 else None
    return contribution, break_even, contribution * volume - fixed_costs


def analyse(inputs: FeasibilityInputs) -> FeasibilityResult:
    check_kind(inputs, FeasibilityInputs)
    contribution, break_even, profit = _figures(
        _exact(inputs.price), _exact(inputs.variable_cost), _exact(inputs.fixed_costs), _exact(inputs.expected_volume)
    )
    margin: float | None = None
    margin_percent: float | None = None
    if break_even is not None:
        fit(break_even, text("feasibility.break_even"))
        exact_margin = _exact(inputs.expected_volume) - break_even
        margin = fit(exact_margin, text("feasibility.margin_of_safety"))
        if shown(inputs.expected_volume) > 0:  # a volume shown as 0.00 has no margin in percent
            margin_percent = fit(
                100 * exact_margin / _exact(inputs.expected_volume), text("feasibility.margin_of_safety")
            )
    # Paid back out of the profit the page shows: a profit shown as 0.00 pays nothing back.
    payback = float(_exact(inputs.investment) / profit) if shown(float(profit)) > 0 else None
    capital = float(max(Fraction(0), _exact(inputs.investment) - _exact(inputs.loans) - _exact(inputs.grants)))
    # Shares in whole cents that add up to the capital shown.
    if inputs.share_rule is ShareRule.BY_USE:
        amounts = split_cents(capital, [u.use_per_year for u in inputs.planned_use])
        shares = tuple(MemberCapital(u.name, float(amount)) for u, amount in zip(inputs.planned_use, amounts))
    else:
        groups = split_cents_equally(capital, inputs.members)
        if len(groups) == 1:
            shares = (MemberCapital(text("feasibility.each_member"), float(groups[0][0]), inputs.members),)
        else:
            shares = tuple(
                MemberCapital(text("feasibility.members_paying", count=count), float(amount), count)
                for amount, count in groups
            )
    market_share = 100.0 * inputs.expected_volume / inputs.market_size if inputs.market_size else None
    return FeasibilityResult(
        float(contribution), break_even, margin, margin_percent, float(profit), payback, capital, shares, market_share
    )


@dataclass(frozen=True)
@checked()
class SensitivityRow:
    factor: str  # "price", "variable_cost" or "expected_volume"
    change_percent: float
    break_even_volume: int | None
    annual_profit: float


def sensitivity(
    inputs: FeasibilityInputs, changes: Sequence[float] = (-20, -10, 0, 10, 20)
) -> tuple[SensitivityRow, ...]:
    """How break-even and profit move when price, variable cost or volume change by a percentage.

    A varied figure may go beyond what a learner could type (a price at the largest amount, plus
    20%): it is computed, not checked again."""
    check_kind(inputs, FeasibilityInputs)
    label = text("feasibility.col_change")
    changes = tuple(check_number(change, label, minimum=-100, maximum=1000) for change in check_items(changes, label))
    rows = []
    base = {
        "price": _exact(inputs.price),
        "variable_cost": _exact(inputs.variable_cost),
        "fixed_costs": _exact(inputs.fixed_costs),
        "expected_volume": _exact(inputs.expected_volume),
    }
    for factor in ("price", "variable_cost", "expected_volume"):
        for change in changes:
            varied = {**base, factor: base[factor] * (100 + _exact(change)) / 100}
            _contribution, break_even, profit = _figures(
                varied["price"], varied["variable_cost"], varied["fixed_costs"], varied["expected_volume"]
            )
            rows.append(SensitivityRow(factor, change, break_even, float(profit)))
    return tuple(rows)


class Decision(str, Enum):
    GO = "go"
    CAUTION = "caution"
    NO_GO = "no_go"


# Thresholds for the go / no-go reading: rules of thumb for a discussion, not laws.
SAFE_MARGIN_PERCENT = 20.0
LONGEST_COMFORTABLE_PAYBACK_YEARS = 5.0
LARGEST_PLAUSIBLE_MARKET_SHARE = 30.0


@dataclass(frozen=True)
@checked()
class GoNoGo:
    decision: Decision
    reasons: tuple[str, ...]


def go_no_go(inputs: FeasibilityInputs, result: FeasibilityResult) -> GoNoGo:
    """A go / no-go reading that states its reasons, worst first. Every comparison uses a figure as
    the page shows it (profit and money to the cent, percentages to 0.1, years to 0.1), so a
    reading never contradicts the figures next to it."""
    check_kind(inputs, FeasibilityInputs)
    check_kind(result, FeasibilityResult)
    stops: list[str] = []
    cautions: list[str] = []
    goods: list[str] = []
    margin = result.margin_of_safety_percent
    if shown(result.contribution_per_unit) <= 0:
        stops.append(text("feasibility.reason_no_contribution"))
    elif shown(inputs.expected_volume) <= 0:
        stops.append(text("feasibility.reason_no_sales"))
    elif shown(result.annual_profit) < 0:
        stops.append(
            text(
                "feasibility.reason_below_break_even",
                volume=amount(inputs.expected_volume),
                break_even=whole(result.break_even_volume or 0),
            )
        )
    elif margin is not None and shown(margin, 1) <= 0:
        # No loss, but no margin either: sales just about cover the costs.
        cautions.append(
            text(
                "feasibility.reason_at_break_even",
                volume=amount(inputs.expected_volume),
                break_even=whole(result.break_even_volume or 0),
            )
        )
    elif margin is not None and shown(margin, 1) < SAFE_MARGIN_PERCENT:
        cautions.append(text("feasibility.reason_thin_margin", margin=percent(margin, 0)))
    else:
        goods.append(text("feasibility.reason_good_margin", margin=percent(margin or 0, 0)))
    if result.payback_years is None:
        if shown(result.contribution_per_unit) > 0 and shown(inputs.investment) > 0:
            stops.append(text("feasibility.reason_never_pays_back"))
    elif shown(result.payback_years, 1) > LONGEST_COMFORTABLE_PAYBACK_YEARS:
        cautions.append(text("feasibility.reason_slow_payback", years=decimal(result.payback_years)))
    elif shown(inputs.investment) > 0:
        goods.append(text("feasibility.reason_quick_payback", years=decimal(result.payback_years)))
    if (
        result.market_share_percent is not None
        and shown(result.market_share_percent, 1) > LARGEST_PLAUSIBLE_MARKET_SHARE
    ):
        cautions.append(text("feasibility.reason_big_market_share", share=percent(result.market_share_percent, 0)))
    if inputs.affordable_share and shown(result.largest_share) > shown(inputs.affordable_share):
        stops.append(
            text(
                "feasibility.reason_share_unaffordable",
                share=money(result.largest_share),
                affordable=money(inputs.affordable_share),
            )
        )
    decision = Decision.NO_GO if stops else Decision.CAUTION if cautions else Decision.GO
    return GoNoGo(decision, tuple(stops + cautions + goods))
