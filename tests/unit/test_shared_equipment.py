"""Shared equipment: the yearly cost of owning a machine, alone and shared in proportion to use."""

from __future__ import annotations

import math
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopcourse.calculations import shared_equipment as se
from coopcourse.calculations.rounding import cents
from coopcourse.errors import CourseInputError

# Amounts come in whole cents: the year's cost is rounded (half a cent at most) and split by the
# largest remainder (under a cent more), so a member's part is off their exact share by less than this.
CENTS_OFF = 0.015

# Iowa State Ag Decision Maker A3-34: a 180,000 combine, used on 1,000 and 500 acres.
COMBINE = se.Machine(
    price=180_000,
    life_years=10,
    salvage_value=45_000,
    interest_rate_percent=6,
    insurance_and_housing=1_800,
    operating_cost_per_unit=12,
)
FARMS = [se.MemberUse("Farm A", 1_000), se.MemberUse("Farm B", 500)]


def test_annual_fixed_cost_by_hand() -> None:
    # Depreciation (180,000 - 45,000) / 10 = 13,500
    # Interest on average investment (180,000 + 45,000) / 2 * 6% = 112,500 * 0.06 = 6,750
    # Insurance and housing 1,800
    # Fixed cost 13,500 + 6,750 + 1,800 = 22,050 a year.
    assert COMBINE.annual_fixed_cost == pytest.approx(22_050)


def test_combine_shared_two_thirds_one_third() -> None:
    # Total use 1,500 acres: 22,050 + 12 * 1,500 = 40,050 a year, 26.70 an acre.
    # Farm A: 1,000/1,500 = 2/3 of 40,050 = 26,700; alone 22,050 + 12,000 = 34,050, saves 7,350.
    # Farm B: 1/3 = 13,350; alone 22,050 + 6,000 = 28,050, saves 14,700.
    result = se.share_machine(COMBINE, FARMS)
    a, b = result.members
    assert result.total_use == 1_500
    assert result.total_cost == pytest.approx(40_050)
    assert result.cost_per_unit == pytest.approx(26.70)
    assert a.use_fraction == pytest.approx(2 / 3)
    assert b.use_fraction == pytest.approx(1 / 3)
    assert a.cost_shared == pytest.approx(26_700)
    assert b.cost_shared == pytest.approx(13_350)
    assert a.cost_alone == pytest.approx(34_050)
    assert b.cost_alone == pytest.approx(28_050)
    assert a.saving == pytest.approx(7_350)
    assert b.saving == pytest.approx(14_700)
    assert a.cost_per_unit_alone == pytest.approx(34.05)
    assert b.cost_per_unit_alone == pytest.approx(56.10)
    assert a.cost_per_unit_shared == b.cost_per_unit_shared == pytest.approx(26.70)


def test_cost_alone_by_hand() -> None:
    assert se.cost_alone(COMBINE, 0) == pytest.approx(22_050)  # an idle machine still costs its fixed cost
    assert se.cost_alone(COMBINE, 100) == pytest.approx(23_250)


def test_no_salvage_and_no_interest() -> None:
    # 10,000 over 5 years, nothing left, no interest, no insurance: 2,000 a year.
    machine = se.Machine(10_000, 5, 0, 0, 0, 0)
    assert machine.annual_fixed_cost == pytest.approx(2_000)


# --- invalid input --------------------------------------------------------------------------------

nan, inf = float("nan"), float("inf")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"price": 0}, "price"),
        ({"price": -180_000}, "price"),
        ({"price": nan}, "price"),
        ({"price": inf}, "price"),
        ({"price": 2e12}, "price"),
        ({"life_years": 0}, "life_years"),
        ({"life_years": 0.5}, "life_years"),
        ({"life_years": 101}, "life_years"),
        ({"salvage_value": -1}, "salvage_value"),
        ({"salvage_value": 180_001}, "salvage_value"),  # worth more at the end than new
        ({"interest_rate_percent": -1}, "interest_rate_percent"),
        ({"interest_rate_percent": 101}, "interest_rate_percent"),
        ({"insurance_and_housing": -5}, "insurance_and_housing"),
        ({"insurance_and_housing": nan}, "insurance_and_housing"),
        ({"operating_cost_per_unit": -12}, "operating_cost_per_unit"),
    ],
)
def test_invalid_machine_is_a_learner_message(changes: dict, field: str, learner_message) -> None:
    values = {
        "price": 180_000,
        "life_years": 10,
        "salvage_value": 45_000,
        "interest_rate_percent": 6,
        "insurance_and_housing": 1_800,
        "operating_cost_per_unit": 12,
    } | changes
    with pytest.raises(CourseInputError) as caught:
        se.Machine(**values)
    assert caught.value.field == field
    learner_message(caught.value.message)


def test_salvage_equal_to_price_is_allowed() -> None:
    assert se.Machine(1_000, 5, 1_000, 0, 0, 0).annual_fixed_cost == 0


@pytest.mark.parametrize(
    "uses",
    [
        [],
        [se.MemberUse("Farm A", 0)],
        [se.MemberUse("Farm A", -10)],
        [se.MemberUse("Farm A", nan)],
        [se.MemberUse("Farm A", inf)],
        [se.MemberUse("Farm A", 5e12)],
        [se.MemberUse("Farm A", 10), se.MemberUse("farm a", 10)],
        [se.MemberUse("Farm A", 10), se.MemberUse("", 10)],
    ],
)
def test_invalid_members_are_a_learner_message(uses: list[se.MemberUse], learner_message) -> None:
    with pytest.raises(CourseInputError) as caught:
        se.share_machine(COMBINE, uses)
    assert caught.value.field == "members"
    learner_message(caught.value.message)


# --- properties -----------------------------------------------------------------------------------


@st.composite
def machines(draw: st.DrawFn) -> se.Machine:
    price = draw(st.floats(min_value=100, max_value=2_000_000))
    return se.Machine(
        price=price,
        life_years=draw(st.floats(min_value=1, max_value=100)),
        salvage_value=draw(st.floats(min_value=0, max_value=1)) * price,
        interest_rate_percent=draw(st.floats(min_value=0, max_value=100)),
        insurance_and_housing=draw(st.floats(min_value=0, max_value=50_000)),
        operating_cost_per_unit=draw(st.floats(min_value=0, max_value=500)),
    )


uses_lists = st.lists(st.floats(min_value=0.1, max_value=100_000), min_size=1, max_size=15).map(
    lambda amounts: [se.MemberUse(f"Member {i}", u) for i, u in enumerate(amounts, 1)]
)


@given(machines(), uses_lists)
def test_shares_sum_to_the_total_cost(machine: se.Machine, uses: list[se.MemberUse]) -> None:
    result = se.share_machine(machine, uses)
    # Whole cents that add up exactly to the year's cost as the page shows it.
    assert sum(Decimal(repr(m.cost_shared)) for m in result.members) == cents(result.total_cost)
    assert cents(result.total_saving) == sum(cents(m.saving) for m in result.members)
    assert math.fsum(m.use_fraction for m in result.members) == pytest.approx(1.0)
    assert result.total_cost == pytest.approx(se.cost_alone(machine, result.total_use))


@given(machines(), uses_lists)
def test_sharing_never_costs_a_member_more_per_unit(machine: se.Machine, uses: list[se.MemberUse]) -> None:
    # Shared: fixed / total use + operating. Alone: fixed / own use + operating. Total use is at
    # least each member's own, so no member pays more per unit, the largest user included.
    # (to the cent: each member's part is in whole cents, off their exact share by under CENTS_OFF)
    result = se.share_machine(machine, uses)
    for member in result.members:
        slack = 2 * CENTS_OFF / member.use_per_year
        assert member.cost_per_unit_shared <= member.cost_per_unit_alone * (1 + 1e-9) + slack
        assert member.saving >= -1e-9 * member.cost_alone - 2 * CENTS_OFF
        assert member.cost_shared == pytest.approx(member.use_per_year * result.cost_per_unit, rel=1e-9, abs=CENTS_OFF)
    largest = max(result.members, key=lambda m: m.use_per_year)
    slack = 2 * CENTS_OFF / largest.use_per_year
    assert largest.cost_per_unit_shared <= largest.cost_per_unit_alone * (1 + 1e-9) + slack


@given(machines(), uses_lists)
def test_group_saving_is_one_fixed_cost_per_extra_member(machine: se.Machine, uses: list[se.MemberUse]) -> None:
    # Everyone alone pays n fixed costs; sharing pays one. Operating costs are the same either way.
    result = se.share_machine(machine, uses)
    saving = math.fsum(m.saving for m in result.members)
    expected = (len(uses) - 1) * machine.annual_fixed_cost
    rounding = 2 * CENTS_OFF * len(uses)  # every row in whole cents
    assert saving == pytest.approx(expected, rel=1e-6, abs=1e-6 * max(1.0, result.total_cost) + rounding)


@given(machines(), st.floats(min_value=0, max_value=1e5), st.floats(min_value=0, max_value=1e5))
def test_higher_interest_rate_never_lowers_the_fixed_cost(machine: se.Machine, a: float, b: float) -> None:
    # A higher interest rate never lowers the fixed cost.
    low, high = sorted((a % 100, b % 100))
    cheap = replace(machine, interest_rate_percent=low)
    dear = replace(machine, interest_rate_percent=high)
    assert cheap.annual_fixed_cost <= dear.annual_fixed_cost * (1 + 1e-12) + 1e-9
