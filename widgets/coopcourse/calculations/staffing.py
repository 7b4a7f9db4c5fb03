"""Staffing planner: who does the cooperative's work, paid staff or member volunteers, what it
costs, and where the plan puts the cooperative or its volunteers at risk.

Arithmetic ([derived]): hours per year = hours per week x weeks worked per year; paid staff cost
= paid hours per year x pay per hour; volunteer time is valued at the same pay rates; volunteer
hours per member per week = volunteer hours per week / number of members.

The warning thresholds are rules of thumb for a group discussion, not laws: the right level
depends on the kind of cooperative (a workers' service cooperative spends far more on people than
a farmers' marketing cooperative).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from coopcourse.calculations.rounding import shown
from coopcourse.calculations.validation import (
    check_count,
    check_items,
    check_kind,
    check_not_empty,
    check_number,
    check_text,
    check_unique_names,
    checked,
)
from coopcourse.errors import CourseInputError
from coopcourse.formatting import decimal, percent, whole
from coopcourse.text import text

# Teaching assumptions (said plainly in the exercise and the notebook).
STAFF_COST_SHARE_LIMIT_PERCENT = 40.0  # paid staff costs above this share of revenue: check
VOLUNTEER_HOURS_PER_MEMBER_LIMIT = 3.0  # average volunteer hours per member per week: burnout risk
LONGEST_ROLE_HOURS_PER_WEEK = 1000.0  # 25 full-time people: split a bigger role into several


class Who(str, Enum):
    PAID = "paid"
    VOLUNTEER = "volunteer"


@dataclass(frozen=True)
@checked(field="roles", deferred=True)
class Role:
    name: str
    hours_per_week: float
    pay_per_hour: float
    who: Who


@dataclass(frozen=True)
@checked()
class StaffingInputs:
    roles: tuple[Role, ...]
    weeks_per_year: int
    revenue: float  # yearly
    members: int

    def __post_init__(self) -> None:
        label = text("staffing.roles")
        check_not_empty(self.roles, label, field="roles")
        check_unique_names([r.name for r in self.roles], label, field="roles")
        for role in self.roles:
            name = role.name.strip()
            check_number(
                role.hours_per_week,
                text("staffing.hours_of", name=name),
                maximum=LONGEST_ROLE_HOURS_PER_WEEK,
                field="roles",
            )
            check_number(role.pay_per_hour, text("staffing.pay_of", name=name), field="roles")
            if not isinstance(role.who, Who):
                raise CourseInputError(text("staffing.error_who", name=name), "roles")
        check_count(self.weeks_per_year, text("staffing.weeks_per_year"), minimum=1, maximum=52, field="weeks_per_year")
        check_number(self.revenue, text("staffing.revenue"), field="revenue")
        check_count(self.members, text("staffing.members"), minimum=1, field="members")


@dataclass(frozen=True)
@checked()
class RoleResult:
    name: str
    who: Who
    hours_per_week: float
    hours_per_year: float
    cost_per_year: float  # paid: what it costs; volunteer: what the time is worth at that pay rate


class Concern(str, Enum):
    STAFF_COSTS_HIGH = "staff_costs_high"
    NO_REVENUE = "no_revenue"
    VOLUNTEER_LOAD_HIGH = "volunteer_load_high"
    KEY_ROLE_VOLUNTEER_ONLY = "key_role_volunteer_only"


@dataclass(frozen=True)
@checked()
class StaffingWarning:
    code: Concern
    message: str


@dataclass(frozen=True)
@checked()
class StaffingResult:
    roles: tuple[RoleResult, ...]
    paid_hours_per_year: float
    paid_cost: float
    staff_cost_percent: float | None  # None when there is no revenue
    volunteer_hours_per_year: float
    volunteer_value: float
    volunteer_hours_per_member_per_week: float
    warnings: tuple[StaffingWarning, ...]

    @property
    def codes(self) -> set[Concern]:
        return {w.code for w in self.warnings}


def key_words_from_text(words: str) -> tuple[str, ...]:
    """The comma-separated words that mark a key role ("bookkeep, accounts, treasurer")."""
    words = check_text(words, text("staffing.roles"))
    return tuple(w.strip().casefold() for w in words.split(",") if w.strip())


def plan(inputs: StaffingInputs, key_words: Sequence[str] | None = None) -> StaffingResult:
    """Costs and hours per role, the totals, and the warnings (worst first)."""
    inputs = check_kind(inputs, StaffingInputs)
    if key_words is None:
        key_words = key_words_from_text(text("staffing.key_role_words"))
    label = text("staffing.roles")
    key_words = tuple(check_text(word, label, "roles") for word in check_items(key_words, label, "roles"))
    weeks = inputs.weeks_per_year
    roles = tuple(
        RoleResult(
            r.name.strip(), r.who, r.hours_per_week, r.hours_per_week * weeks, r.hours_per_week * weeks * r.pay_per_hour
        )
        for r in inputs.roles
    )
    paid = [r for r in roles if r.who is Who.PAID]
    unpaid = [r for r in roles if r.who is Who.VOLUNTEER]
    paid_cost = sum(r.cost_per_year for r in paid)
    # A revenue shown as 0.00 is no revenue; every warning below compares a figure as the page shows it.
    share = 100 * paid_cost / inputs.revenue if shown(inputs.revenue) > 0 else None
    volunteer_weekly = sum(r.hours_per_week for r in unpaid)
    per_member = volunteer_weekly / inputs.members

    warnings: list[StaffingWarning] = []
    if share is not None and shown(share, 1) > STAFF_COST_SHARE_LIMIT_PERCENT:
        warnings.append(
            StaffingWarning(
                Concern.STAFF_COSTS_HIGH,
                text(
                    "staffing.warn_staff_costs", share=percent(share), limit=percent(STAFF_COST_SHARE_LIMIT_PERCENT, 0)
                ),
            )
        )
    if share is None and shown(paid_cost) > 0:
        warnings.append(StaffingWarning(Concern.NO_REVENUE, text("staffing.warn_no_revenue")))
    flagged: set[tuple[str, ...]] = set()
    for word in key_words:
        matching = tuple(r.name for r in roles if word in r.name.casefold())
        if matching and matching not in flagged and all(r.who is Who.VOLUNTEER for r in roles if r.name in matching):
            flagged.add(matching)
            warnings.append(
                StaffingWarning(
                    Concern.KEY_ROLE_VOLUNTEER_ONLY, text("staffing.warn_key_role", roles=", ".join(matching))
                )
            )
    if shown(per_member, 1) > VOLUNTEER_HOURS_PER_MEMBER_LIMIT:
        warnings.append(
            StaffingWarning(
                Concern.VOLUNTEER_LOAD_HIGH,
                text(
                    "staffing.warn_volunteer_load",
                    hours=decimal(per_member),
                    limit=whole(VOLUNTEER_HOURS_PER_MEMBER_LIMIT),
                ),
            )
        )
    return StaffingResult(
        roles=roles,
        paid_hours_per_year=sum(r.hours_per_year for r in paid),
        paid_cost=paid_cost,
        staff_cost_percent=share,
        volunteer_hours_per_year=sum(r.hours_per_year for r in unpaid),
        volunteer_value=sum(r.cost_per_year for r in unpaid),
        volunteer_hours_per_member_per_week=per_member,
        warnings=tuple(warnings),
    )
