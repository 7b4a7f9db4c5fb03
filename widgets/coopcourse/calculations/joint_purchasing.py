"""Joint purchasing: a group pools its orders to reach a supplier's volume-discount tiers.

Model (all-units discounts): the unit price of the tier an order reaches applies to the whole
order. Buying together also has a coordination cost (transport, a member's time, phone credit),
shared, like the bill itself, in proportion to each member's quantity.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from coopcourse.calculations.rounding import cents, split_cents
from coopcourse.calculations.validation import (
    check_count,
    check_items,
    check_kind,
    check_not_empty,
    check_number,
    check_text,
    check_unique_names,
    checked,
    fit,
)
from coopcourse.errors import CourseInputError
from coopcourse.text import text


@dataclass(frozen=True)
@checked(field="tiers", deferred=True)
class PriceTier:
    """From ``min_quantity`` units upwards, every unit of the order costs ``unit_price``."""

    min_quantity: float
    unit_price: float


@dataclass(frozen=True)
@checked(field="members", deferred=True)
class MemberOrder:
    name: str
    quantity: float


@dataclass(frozen=True)
@checked()
class MemberOutcome:
    name: str
    quantity: float
    cost_alone: float  # in whole cents, as the page shows it
    cost_in_group: float  # this member's part of the group bill, in whole cents

    @property
    def saving(self) -> float:
        return float(_money(self.cost_alone) - _money(self.cost_in_group))


def _money(amount: float) -> Decimal:
    return Decimal(repr(float(amount)))


@dataclass(frozen=True)
@checked()
class GroupPurchase:
    total_quantity: float
    tier_price: float
    coordination_cost: float
    members: tuple[MemberOutcome, ...]

    def __post_init__(self) -> None:
        check_number(
            self.total_quantity, text("joint_purchasing.quantity"), above_minimum=True, maximum=1e300, field="members"
        )
        # The price and cost within the inputs' limits before they are multiplied (a huge whole
        # number would overflow the float product).
        check_number(self.tier_price, text("joint_purchasing.tier_unit_price"), above_minimum=True, field="tiers")
        check_number(self.coordination_cost, text("joint_purchasing.coordination_cost"), field="coordination_cost")
        # A tiny quantity sharing the coordination cost gives a unit cost too large to show.
        fit(self.unit_cost, text("joint_purchasing.quantity"), "members")

    @property
    def total_cost(self) -> float:
        return self.total_quantity * self.tier_price + self.coordination_cost

    @property
    def unit_cost(self) -> float:
        """What one unit costs each member once the coordination cost is shared."""
        return self.total_cost / self.total_quantity

    @property
    def total_saving(self) -> float:
        """The members' savings added up: exactly what their rows show."""
        return float(sum((_money(m.cost_alone) - _money(m.cost_in_group) for m in self.members), Decimal(0)))


@dataclass(frozen=True)
@checked()
class FreeRidingOutcome:
    everyone: GroupPurchase
    remaining: GroupPurchase | None
    buying_alone: tuple[MemberOutcome, ...]

    @property
    def saving_lost_by_group(self) -> float:
        """How much less the members who stayed save because others left."""
        stayed = {m.name for m in self.remaining.members} if self.remaining else set()
        before = sum(m.saving for m in self.everyone.members if m.name in stayed)
        after = self.remaining.total_saving if self.remaining else 0.0
        return before - after


def check_tiers(tiers: Sequence[PriceTier]) -> tuple[PriceTier, ...]:
    """Tiers sorted by quantity; the first must start at 0 (the list price)."""
    label = text("joint_purchasing.tiers")
    tiers = tuple(check_kind(tier, PriceTier, label, "tiers") for tier in check_items(tiers, label, "tiers"))
    check_not_empty(tiers, label, field="tiers")
    for tier in tiers:
        check_number(tier.min_quantity, text("joint_purchasing.tier_min_quantity"), field="tiers")
        check_number(tier.unit_price, text("joint_purchasing.tier_unit_price"), above_minimum=True, field="tiers")
    ordered = tuple(sorted(tiers, key=lambda tier: tier.min_quantity))
    if ordered[0].min_quantity != 0:
        raise CourseInputError(text("joint_purchasing.error_first_tier"), "tiers")
    for lower, upper in itertools.pairwise(ordered):
        if upper.min_quantity == lower.min_quantity:
            raise CourseInputError(text("joint_purchasing.error_same_tier_start"), "tiers")
        if upper.unit_price > lower.unit_price:
            raise CourseInputError(text("joint_purchasing.error_price_rises"), "tiers")
    return ordered


def unit_price(quantity: float, tiers: Sequence[PriceTier]) -> float:
    """The unit price of the highest tier that ``quantity`` reaches."""
    ordered = check_tiers(tiers)
    check_number(quantity, text("joint_purchasing.quantity"), above_minimum=True, field="members")
    return _tier_price(quantity, ordered)


def _tier_price(quantity: float, ordered: tuple[PriceTier, ...]) -> float:
    price = ordered[0].unit_price
    for tier in ordered:
        if quantity >= tier.min_quantity:
            price = tier.unit_price
    return price


def buy_together(orders: Sequence[MemberOrder], tiers: Sequence[PriceTier], coordination_cost: float) -> GroupPurchase:
    """Each member's cost alone and in the group, the group bill shared pro rata to quantity."""
    ordered = check_tiers(tiers)
    label = text("joint_purchasing.members")
    orders = tuple(check_kind(order, MemberOrder, label, "members") for order in check_items(orders, label, "members"))
    check_not_empty(orders, label, field="members")
    check_unique_names([order.name for order in orders], text("joint_purchasing.members"), field="members")
    for order in orders:
        check_number(
            order.quantity, text("joint_purchasing.quantity_of", name=order.name), above_minimum=True, field="members"
        )
    check_number(coordination_cost, text("joint_purchasing.coordination_cost"), field="coordination_cost")

    total = sum(order.quantity for order in orders)
    price = _tier_price(total, ordered)
    bill = total * price + coordination_cost
    # The bill in whole cents, each member's part by the largest-remainder method: the parts add
    # up exactly to the bill the page shows.
    parts = split_cents(bill, [order.quantity for order in orders])
    members = tuple(
        MemberOutcome(
            name=order.name,
            quantity=order.quantity,
            cost_alone=float(cents(order.quantity * _tier_price(order.quantity, ordered))),
            cost_in_group=float(part),
        )
        for order, part in zip(orders, parts)
    )
    return GroupPurchase(total, price, coordination_cost, members)


def break_even_group_size(
    typical_quantity: float,
    tiers: Sequence[PriceTier],
    coordination_cost: float,
    largest_group: int = 1000,
) -> int | None:
    """The smallest number of members, each ordering ``typical_quantity``, for whom buying
    together costs each of them less than buying alone; ``None`` if no group up to
    ``largest_group`` members gets there."""
    ordered = check_tiers(tiers)
    check_number(typical_quantity, text("joint_purchasing.typical_quantity"), above_minimum=True, field="members")
    check_number(coordination_cost, text("joint_purchasing.coordination_cost"), field="coordination_cost")
    largest = check_count(largest_group, text("joint_purchasing.members"), minimum=1, maximum=100_000, field="members")
    alone = _tier_price(typical_quantity, ordered)
    for size in range(2, largest + 1):
        total = size * typical_quantity
        together = _tier_price(total, ordered) + coordination_cost / total
        if together < alone and not math.isclose(together, alone):
            return size
    return None


def free_riding(
    orders: Sequence[MemberOrder],
    tiers: Sequence[PriceTier],
    coordination_cost: float,
    buying_alone: Collection[str],
) -> FreeRidingOutcome:
    """Compare everyone buying together with the group that is left when the members named in
    ``buying_alone`` place their own orders instead."""
    label = text("joint_purchasing.buying_alone")
    if isinstance(buying_alone, (str, bytes, Mapping)) or not isinstance(buying_alone, Collection):
        raise CourseInputError(text("error.not_a_list", label=label), "buying_alone")
    buying_alone = {check_text(name, label, "buying_alone") for name in buying_alone}
    orders = check_items(orders, text("joint_purchasing.members"), "members")
    everyone = buy_together(orders, tiers, coordination_cost)
    leavers = tuple(m for m in everyone.members if m.name in buying_alone)
    stayers = [order for order in orders if isinstance(order, MemberOrder) and order.name not in buying_alone]
    remaining = buy_together(stayers, tiers, coordination_cost) if stayers else None
    return FreeRidingOutcome(everyone, remaining, leavers)


def typical_quantity(group: GroupPurchase) -> float:
    """The average order of the group's members."""
    group = check_kind(group, GroupPurchase)
    return group.total_quantity / len(group.members) if group.members else 0.0
