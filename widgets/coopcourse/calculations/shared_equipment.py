"""Shared equipment: owning a machine alone versus sharing it, with costs split by use.

Annual ownership cost follows the usual farm-machinery budget (Iowa State AgDM A3-29/A3-34):
depreciation ``(price - salvage) / life`` plus interest on the average investment
``(price + salvage) / 2 * rate`` plus insurance and housing. Fixed costs spread over more hours
or hectares cost less per unit, which is the whole case for sharing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from coopcourse.calculations.rounding import cents, split_cents
from coopcourse.calculations.validation import (
    check_items,
    check_kind,
    check_not_empty,
    check_number,
    check_unique_names,
    checked,
)
from coopcourse.errors import CourseInputError
from coopcourse.text import text


@dataclass(frozen=True)
@checked()
class Machine:
    price: float
    life_years: float
    salvage_value: float
    interest_rate_percent: float
    insurance_and_housing: float
    operating_cost_per_unit: float

    def __post_init__(self) -> None:
        check_number(self.price, text("equipment.price"), above_minimum=True, field="price")
        check_number(self.life_years, text("equipment.life_years"), minimum=1, maximum=100, field="life_years")
        check_number(self.salvage_value, text("equipment.salvage_value"), field="salvage_value")
        check_number(
            self.interest_rate_percent, text("equipment.interest_rate"), maximum=100, field="interest_rate_percent"
        )
        check_number(self.insurance_and_housing, text("equipment.insurance_and_housing"), field="insurance_and_housing")
        check_number(self.operating_cost_per_unit, text("equipment.operating_cost"), field="operating_cost_per_unit")
        if self.salvage_value > self.price:
            raise CourseInputError(text("equipment.error_salvage_above_price"), "salvage_value")

    @property
    def annual_fixed_cost(self) -> float:
        depreciation = (self.price - self.salvage_value) / self.life_years
        interest = (self.price + self.salvage_value) / 2 * self.interest_rate_percent / 100
        return depreciation + interest + self.insurance_and_housing


@dataclass(frozen=True)
@checked(field="members", deferred=True)
class MemberUse:
    name: str
    use_per_year: float


@dataclass(frozen=True)
@checked()
class MemberShare:
    name: str
    use_per_year: float
    use_fraction: float
    cost_shared: float  # this member's part of the year's cost, in whole cents
    cost_alone: float  # in whole cents, as the page shows it

    def __post_init__(self) -> None:
        check_number(
            self.use_per_year,
            text("equipment.use_of", name=self.name),
            above_minimum=True,
            maximum=1e300,
            field="members",
        )

    @property
    def saving(self) -> float:
        return float(_money(self.cost_alone) - _money(self.cost_shared))

    @property
    def cost_per_unit_shared(self) -> float:
        return self.cost_shared / self.use_per_year

    @property
    def cost_per_unit_alone(self) -> float:
        return self.cost_alone / self.use_per_year


def _money(amount: float) -> Decimal:
    return Decimal(repr(float(amount)))


@dataclass(frozen=True)
@checked()
class SharingResult:
    machine: Machine
    total_use: float
    members: tuple[MemberShare, ...]

    def __post_init__(self) -> None:
        check_number(self.total_use, text("equipment.members"), above_minimum=True, maximum=1e300, field="members")

    @property
    def total_saving(self) -> float:
        """The members' savings added up: exactly what their rows show."""
        return float(sum((_money(m.cost_alone) - _money(m.cost_shared) for m in self.members), Decimal(0)))

    @property
    def total_cost(self) -> float:
        return self.machine.annual_fixed_cost + self.machine.operating_cost_per_unit * self.total_use

    @property
    def cost_per_unit(self) -> float:
        return self.total_cost / self.total_use


def cost_alone(machine: Machine, use_per_year: float) -> float:
    """A year's cost for one owner who uses the machine ``use_per_year`` hours or hectares."""
    machine = check_kind(machine, Machine, text("equipment.title"))
    use_per_year = check_number(use_per_year, text("equipment.use_per_year"), field="members")
    return machine.annual_fixed_cost + machine.operating_cost_per_unit * use_per_year


def share_machine(machine: Machine, uses: Sequence[MemberUse]) -> SharingResult:
    """Split the year's cost of one shared machine in proportion to each member's use."""
    machine = check_kind(machine, Machine, text("equipment.title"))
    label = text("equipment.members")
    uses = tuple(check_kind(use, MemberUse, label, "members") for use in check_items(uses, label, "members"))
    check_not_empty(uses, label, field="members")
    check_unique_names([use.name for use in uses], label, field="members")
    for use in uses:
        check_number(use.use_per_year, text("equipment.use_of", name=use.name), above_minimum=True, field="members")
    total_use = sum(use.use_per_year for use in uses)
    total_cost = machine.annual_fixed_cost + machine.operating_cost_per_unit * total_use
    # The year's cost in whole cents, each member's part by the largest-remainder method: the parts
    # add up exactly to the cost the page shows.
    parts = split_cents(total_cost, [use.use_per_year for use in uses])
    members = tuple(
        MemberShare(
            name=use.name,
            use_per_year=use.use_per_year,
            use_fraction=use.use_per_year / total_use,
            cost_shared=float(part),
            cost_alone=float(cents(cost_alone(machine, use.use_per_year))),
        )
        for use, part in zip(uses, parts)
    )
    return SharingResult(machine, total_use, members)


def total_saving(result: SharingResult) -> float:
    """What the members save together by sharing, compared with each buying a machine alone
    (``SharingResult.total_saving``: exactly what their rows show)."""
    return check_kind(result, SharingResult).total_saving
