"""Joint purchasing: tiers, each member's cost alone and in the group, break-even size, free riding."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from coopcourse.calculations import joint_purchasing as jp
from coopcourse.calculations.rounding import cents
from coopcourse.errors import CourseInputError

# Amounts come in whole cents: the bill is rounded (half a cent at most) and split by the largest
# remainder (under a cent more), so a member's part is off their exact share by less than this.
CENTS_OFF = 0.015

# The fertiliser scenario: 100 a bag, 95 from 100 bags, 90 from 250 bags.
TIERS = [jp.PriceTier(0, 100), jp.PriceTier(100, 95), jp.PriceTier(250, 90)]
FERTILISER = [
    jp.MemberOrder("Amina", 60),
    jp.MemberOrder("Bao", 45),
    jp.MemberOrder("Carlos", 30),
    jp.MemberOrder("Dewi", 25),
    jp.MemberOrder("Esi", 80),
    jp.MemberOrder("Farid", 20),
]


def by_name(purchase: jp.GroupPurchase) -> dict[str, jp.MemberOutcome]:
    return {m.name: m for m in purchase.members}


# --- hand-worked cases ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quantity", "price"), [(1, 100), (99, 100), (99.99, 100), (100, 95), (249, 95), (250, 90), (10_000, 90)]
)
def test_unit_price_is_that_of_the_highest_tier_reached(quantity: float, price: float) -> None:
    assert jp.unit_price(quantity, TIERS) == price


def test_fertiliser_scenario_by_hand() -> None:
    # Total 60+45+30+25+80+20 = 260 bags >= 250, so every bag costs 90.
    # Bill = 260 * 90 + 600 coordination = 23,400 + 600 = 24,000; per bag 24,000 / 260 = 92.31.
    # Amina alone: 60 * 100 = 6,000 (below 100 bags); together 24,000 * 60/260 = 5,538.46.
    # Esi alone: 80 * 100 = 8,000; together 24,000 * 80/260 = 7,384.62.
    # Farid alone: 20 * 100 = 2,000; together 24,000 * 20/260 = 1,846.15.
    # Everyone alone: 260 * 100 = 26,000, so the group saves 26,000 - 24,000 = 2,000.
    group = jp.buy_together(FERTILISER, TIERS, 600)
    members = by_name(group)
    assert group.total_quantity == 260
    assert group.tier_price == 90
    assert group.total_cost == pytest.approx(24_000)
    assert group.unit_cost == pytest.approx(92.3077, abs=1e-4)
    assert members["Amina"].cost_alone == 6_000
    assert members["Amina"].cost_in_group == pytest.approx(5_538.46, abs=0.01)
    assert members["Amina"].saving == pytest.approx(461.54, abs=0.01)
    assert members["Esi"].cost_alone == 8_000
    assert members["Esi"].cost_in_group == pytest.approx(7_384.62, abs=0.01)
    assert members["Farid"].cost_in_group == pytest.approx(1_846.15, abs=0.01)
    assert group.total_saving == pytest.approx(2_000)
    assert [m.name for m in group.members] == ["Amina", "Bao", "Carlos", "Dewi", "Esi", "Farid"]


def test_large_buyer_can_lose_when_coordination_is_shared_by_quantity() -> None:
    # Big buys 300 (already 90 alone = 27,000); Small buys 10 (1,000 alone).
    # Together: 310 * 90 + 620 = 28,520, i.e. 92 a unit. Big pays 300 * 92 = 27,600 (loses 600),
    # Small pays 10 * 92 = 920 (saves 80).
    group = jp.buy_together([jp.MemberOrder("Big", 300), jp.MemberOrder("Small", 10)], TIERS, 620)
    members = by_name(group)
    assert group.unit_cost == pytest.approx(92)
    assert members["Big"].saving == pytest.approx(-600)
    assert members["Small"].saving == pytest.approx(80)


def test_unsorted_tiers_are_put_in_order() -> None:
    shuffled = [TIERS[2], TIERS[0], TIERS[1]]
    assert jp.check_tiers(shuffled) == tuple(TIERS)
    assert jp.buy_together(FERTILISER, shuffled, 600) == jp.buy_together(FERTILISER, TIERS, 600)


@pytest.mark.parametrize(
    ("typical", "coordination", "expected"),
    [
        # 50 each, 600 to coordinate. 2 members: 100 bags at 95 + 600/100 = 101 > 100, no.
        # 3 members: 150 bags at 95 + 600/150 = 99 < 100, yes.
        (50, 600, 3),
        # Without coordination cost 2 members reach the 100-bag tier: 95 < 100.
        (50, 0, 2),
        # 10 each: 10 members = 100 bags at 95 + 600/100 = 101, no; 11: 95 + 600/110 = 100.45, no;
        # 12: 95 + 5 = 100, not less; 13: 95 + 4.62 = 99.62, yes.
        (10, 600, 13),
        # 60 each (fertiliser-like): 2 = 120 bags at 95 + 5 = 100, not less; 3 = 180 at 95 + 3.33, yes.
        (60, 600, 3),
        # 300 each already buy at 90 alone; together never below 90 with a coordination cost.
        (300, 600, None),
        # ... nor without one: 90 is not less than 90.
        (300, 0, None),
    ],
)
def test_break_even_group_size_by_hand(typical: float, coordination: float, expected: int | None) -> None:
    assert jp.break_even_group_size(typical, TIERS, coordination) == expected


def test_break_even_gives_up_at_the_largest_group() -> None:
    # 1 bag each at 100; the 100-bag tier needs 100 members, and coordination 1 adds 0.01 a bag.
    assert jp.break_even_group_size(1, TIERS, 1, largest_group=99) is None
    assert jp.break_even_group_size(1, TIERS, 1, largest_group=100) == 100


def test_free_riding_by_hand() -> None:
    # Esi (80) buys alone. The 180 bags left reach only the 95 tier:
    # bill 180 * 95 + 600 = 17,700, so Amina pays 17,700 * 60/180 = 5,900 (saves 100, was 461.54).
    # Those who stay would have saved 2,000 - 615.38 = 1,384.62 with Esi; now 18,000 - 17,700 = 300.
    outcome = jp.free_riding(FERTILISER, TIERS, 600, {"Esi"})
    assert outcome.remaining is not None
    assert [m.name for m in outcome.buying_alone] == ["Esi"]
    assert "Esi" not in by_name(outcome.remaining)
    assert outcome.remaining.tier_price == 95
    assert by_name(outcome.remaining)["Amina"].cost_in_group == pytest.approx(5_900)
    assert outcome.remaining.total_saving == pytest.approx(300)
    assert outcome.saving_lost_by_group == pytest.approx(1_084.62, abs=0.01)


def test_everyone_buying_alone_leaves_no_group() -> None:
    outcome = jp.free_riding(FERTILISER, TIERS, 600, {o.name for o in FERTILISER})
    assert outcome.remaining is None
    assert len(outcome.buying_alone) == len(FERTILISER)
    assert outcome.saving_lost_by_group == 0


def test_nobody_buying_alone_loses_nothing() -> None:
    outcome = jp.free_riding(FERTILISER, TIERS, 600, set())
    assert outcome.remaining == outcome.everyone
    assert outcome.saving_lost_by_group == 0


# --- invalid input --------------------------------------------------------------------------------

nan, inf = float("nan"), float("inf")


@pytest.mark.parametrize(
    ("orders", "tiers", "coordination", "field"),
    [
        ([], TIERS, 0, "members"),
        ([jp.MemberOrder("A", -5)], TIERS, 0, "members"),
        ([jp.MemberOrder("A", 0)], TIERS, 0, "members"),
        ([jp.MemberOrder("A", nan)], TIERS, 0, "members"),
        ([jp.MemberOrder("A", inf)], TIERS, 0, "members"),
        ([jp.MemberOrder("A", 2e12)], TIERS, 0, "members"),
        ([jp.MemberOrder("A", 1), jp.MemberOrder("a ", 1)], TIERS, 0, "members"),
        ([jp.MemberOrder("A", 1), jp.MemberOrder(" ", 1)], TIERS, 0, "members"),
        ([jp.MemberOrder("A", 1)], TIERS, -1, "coordination_cost"),
        ([jp.MemberOrder("A", 1)], TIERS, nan, "coordination_cost"),
        ([jp.MemberOrder("A", 1)], TIERS, 1e13, "coordination_cost"),
        ([jp.MemberOrder("A", 1)], [], 0, "tiers"),
        ([jp.MemberOrder("A", 1)], [jp.PriceTier(10, 100)], 0, "tiers"),  # no tier at 0
        ([jp.MemberOrder("A", 1)], [jp.PriceTier(0, 100), jp.PriceTier(0, 90)], 0, "tiers"),
        ([jp.MemberOrder("A", 1)], [jp.PriceTier(0, 90), jp.PriceTier(50, 95)], 0, "tiers"),  # rises
        ([jp.MemberOrder("A", 1)], [jp.PriceTier(0, 0)], 0, "tiers"),  # free is not a price
        ([jp.MemberOrder("A", 1)], [jp.PriceTier(0, -3)], 0, "tiers"),
        ([jp.MemberOrder("A", 1)], [jp.PriceTier(-10, 100)], 0, "tiers"),
        ([jp.MemberOrder("A", 1)], [jp.PriceTier(0, nan)], 0, "tiers"),
        ([jp.MemberOrder("A", 1)], [jp.PriceTier(0, 100), jp.PriceTier(inf, 90)], 0, "tiers"),
    ],
)
def test_invalid_input_is_a_learner_message(orders, tiers, coordination, field, learner_message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CourseInputError) as caught:
        jp.buy_together(orders, tiers, coordination)
    assert caught.value.field == field
    learner_message(caught.value.message)


@pytest.mark.parametrize(
    ("price", "coordination", "field"),
    [(10**400, 0, "tiers"), (5, 10**400, "coordination_cost"), (-1, 0, "tiers")],
)
def test_a_group_purchase_built_with_a_huge_price_or_cost_is_a_learner_message(
    price: int, coordination: int, field: str
) -> None:
    # A whole number too large for a float once multiplied raised OverflowError (found by the
    # hostile-values test).
    with pytest.raises(CourseInputError) as raised:
        jp.GroupPurchase(total_quantity=2, tier_price=price, coordination_cost=coordination, members=())
    assert raised.value.field == field


def test_hostile_member_name_is_quoted_as_text_not_interpreted() -> None:
    name = "<img src=x onerror=alert(1)>"
    with pytest.raises(CourseInputError) as caught:
        jp.buy_together([jp.MemberOrder(name, 1), jp.MemberOrder(name, 2)], TIERS, 0)
    assert name in caught.value.message  # escaped only where it is shown, as every message is


@pytest.mark.parametrize("typical", [0, -1, nan, inf])
def test_break_even_rejects_bad_typical_quantity(typical: float, learner_message) -> None:
    with pytest.raises(CourseInputError) as caught:
        jp.break_even_group_size(typical, TIERS, 0)
    learner_message(caught.value.message)


# --- properties -----------------------------------------------------------------------------------

quantities = st.floats(min_value=0.5, max_value=5_000, allow_nan=False)
prices = st.floats(min_value=0.01, max_value=1_000, allow_nan=False)
costs = st.floats(min_value=0, max_value=10_000, allow_nan=False)


@st.composite
def tier_lists(draw: st.DrawFn) -> list[jp.PriceTier]:
    starts = draw(st.lists(st.floats(min_value=1, max_value=20_000, allow_nan=False), max_size=4, unique=True))
    first = draw(prices)
    cuts = draw(st.lists(st.floats(min_value=0.5, max_value=1.0), min_size=len(starts), max_size=len(starts)))
    tiers, price = [jp.PriceTier(0, first)], first
    for start, cut in zip(sorted(starts), cuts):
        price = max(price * cut, 0.01) if price * cut > 0 else price
        price = min(price, tiers[-1].unit_price)
        tiers.append(jp.PriceTier(start, price))
    return draw(st.permutations(tiers))


@st.composite
def order_lists(draw: st.DrawFn, min_size: int = 1) -> list[jp.MemberOrder]:
    amounts = draw(st.lists(quantities, min_size=min_size, max_size=12))
    return [jp.MemberOrder(f"Member {i}", q) for i, q in enumerate(amounts, 1)]


@given(order_lists(), tier_lists(), costs)
def test_members_shares_sum_to_the_group_bill(orders, tiers, coordination) -> None:  # type: ignore[no-untyped-def]
    group = jp.buy_together(orders, tiers, coordination)
    assert sum(Decimal(repr(m.cost_in_group)) for m in group.members) == cents(group.total_cost)
    assert group.total_cost == pytest.approx(group.total_quantity * group.tier_price + coordination)
    assert group.total_quantity == pytest.approx(math.fsum(o.quantity for o in orders))
    alone = math.fsum(m.cost_alone for m in group.members)
    assert group.total_saving == pytest.approx(alone - float(cents(group.total_cost)), rel=1e-9, abs=1e-6)


@given(order_lists(), tier_lists(), costs)
def test_everyone_pays_the_same_per_unit_in_the_group(orders, tiers, coordination) -> None:  # type: ignore[no-untyped-def]
    # Each part is in whole cents: off the exact share by the rounding only (under a cent and a half).
    group = jp.buy_together(orders, tiers, coordination)
    for member in group.members:
        assert member.cost_in_group == pytest.approx(member.quantity * group.unit_cost, rel=1e-9, abs=CENTS_OFF)
    # ... and the parts add up exactly to the bill as the page shows it.
    assert sum(Decimal(repr(m.cost_in_group)) for m in group.members) == cents(group.total_cost)
    assert cents(group.total_saving) == sum(cents(m.saving) for m in group.members)


@given(order_lists(), tier_lists(), costs)
def test_no_member_loses_when_the_group_unit_cost_is_not_above_their_price_alone(orders, tiers, coordination) -> None:  # type: ignore[no-untyped-def]
    group = jp.buy_together(orders, tiers, coordination)
    for member in group.members:
        if group.unit_cost <= jp.unit_price(member.quantity, tiers):
            assert member.saving >= -1e-9 * member.cost_alone - 2 * CENTS_OFF
        else:
            assert member.saving <= 1e-9 * member.cost_alone + 2 * CENTS_OFF


@given(order_lists(), tier_lists())
def test_without_coordination_cost_nobody_loses(orders, tiers) -> None:  # type: ignore[no-untyped-def]
    # The group's total reaches at least every member's own tier, and tiers never rise.
    group = jp.buy_together(orders, tiers, 0)
    for member in group.members:
        assert member.saving >= -1e-9 * member.cost_alone - 2 * CENTS_OFF


@given(quantities, st.integers(min_value=1, max_value=30), tier_lists())
def test_equal_orders_without_coordination_cost_never_lose(quantity, size, tiers) -> None:  # type: ignore[no-untyped-def]
    orders = [jp.MemberOrder(f"M{i}", quantity) for i in range(size)]
    savings = [m.saving for m in jp.buy_together(orders, tiers, 0).members]
    assert all(s >= -1e-9 * quantity * tiers[0].unit_price - 2 * CENTS_OFF for s in savings)
    assert max(savings) - min(savings) <= 0.01 + 1e-9  # and all save the same, to the cent


def _pays(size: int, typical: float, tiers: list[jp.PriceTier], coordination: float) -> bool:
    total = size * typical
    together = jp.unit_price(total, tiers) + coordination / total
    alone = jp.unit_price(typical, tiers)
    return together < alone and not math.isclose(together, alone)


@given(st.floats(min_value=0.5, max_value=500), tier_lists(), st.floats(min_value=0, max_value=2_000))
def test_break_even_is_the_smallest_group_that_pays(typical, tiers, coordination) -> None:  # type: ignore[no-untyped-def]
    largest = 60
    size = jp.break_even_group_size(typical, tiers, coordination, largest_group=largest)
    if size is None:
        assert not any(_pays(n, typical, tiers, coordination) for n in range(2, largest + 1))
        return
    assert 2 <= size <= largest
    assert _pays(size, typical, tiers, coordination)
    assert not any(_pays(n, typical, tiers, coordination) for n in range(2, size))  # size-1 and below do not
    # And the members of a group that size really are better off, bill shared as the exercise does.
    group = jp.buy_together([jp.MemberOrder(f"M{i}", typical) for i in range(size)], tiers, coordination)
    # (to the cent: splitting the bill in whole cents can leave one member a cent short of a saving)
    assert all(m.saving > -CENTS_OFF for m in group.members)


@given(order_lists(min_size=2), tier_lists(), costs, st.data())
def test_free_riding_never_raises_the_savings_of_those_who_stay(orders, tiers, coordination, data) -> None:  # type: ignore[no-untyped-def]
    names = [o.name for o in orders]
    leavers = set(data.draw(st.lists(st.sampled_from(names), max_size=len(names) - 1, unique=True)))
    outcome = jp.free_riding(orders, tiers, coordination, leavers)
    assert outcome.remaining is not None
    before = by_name(outcome.everyone)
    for member in outcome.remaining.members:
        assert member.name not in leavers
        assert member.saving <= before[member.name].saving + 1e-9 * max(1.0, member.cost_alone) + 2 * CENTS_OFF
    assert outcome.saving_lost_by_group >= -1e-6 * max(1.0, outcome.everyone.total_cost) - 2 * CENTS_OFF * len(orders)
    assert {m.name for m in outcome.buying_alone} == leavers


@given(order_lists(), tier_lists(), costs)
def test_tier_order_does_not_matter(orders, tiers, coordination) -> None:  # type: ignore[no-untyped-def]
    ordered = sorted(tiers, key=lambda t: t.min_quantity)
    assert jp.buy_together(orders, tiers, coordination) == jp.buy_together(orders, ordered, coordination)


@given(tier_lists(), quantities, quantities)
def test_unit_price_never_rises_with_quantity(tiers, a, b) -> None:  # type: ignore[no-untyped-def]
    assume(a != b)
    small, large = sorted((a, b))
    assert jp.unit_price(large, tiers) <= jp.unit_price(small, tiers)
