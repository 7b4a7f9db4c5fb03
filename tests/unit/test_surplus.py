"""Surplus distribution: hand-worked cases (including the course's worked example) and properties."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from coopcourse.calculations import surplus as sp
from coopcourse.calculations.rounding import cents
from coopcourse.errors import CourseInputError


def inputs(**changes) -> sp.SurplusInputs:
    base = dict(
        net_surplus=1_000_000,
        reserve_percent=10,
        education_percent=10,
        community_percent=3,
        optional_percent=7,
        isc_share_percent=70,
        isc_rate_cap_percent=10,
        members=(sp.Member("A", 7_000_000, 21_000_000),),
    )
    base.update(changes)
    return sp.SurplusInputs(**base)


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)


# --- hand-worked cases -------------------------------------------------------------------------


def test_the_worked_example_of_the_brief() -> None:
    # 1,000,000 - (10 + 10 + 3 + 7)% = 700,000; 70/30 -> 490,000 ISC and 210,000 refunds.
    result = sp.worked_example()
    assert result.funds == {"reserve": 100_000, "education": 100_000, "community": 30_000, "optional": 70_000}
    assert result.remainder == 700_000
    assert result.isc_pool == 490_000
    assert result.refund_pool == 210_000
    assert not result.capped and result.moved_to_refunds == 0
    assert close(result.isc_rate, 0.07)  # 490,000 / 7,000,000
    assert close(result.refund_rate, 0.01)  # 210,000 / 21,000,000


def test_members_get_interest_by_capital_and_refunds_by_business() -> None:
    members = (
        sp.Member("Rice", 3_000_000, 8_000_000),
        sp.Member("Veg", 2_000_000, 7_000_000),
        sp.Member("Store", 1_500_000, 5_000_000),
        sp.Member("Staff", 500_000, 1_000_000),
    )
    result = sp.distribute(inputs(members=members))
    by_name = {m.name: m for m in result.members}
    assert close(by_name["Rice"].interest, 210_000)  # 7% of 3,000,000
    assert close(by_name["Rice"].refund, 80_000)  # 1% of 8,000,000
    assert close(by_name["Staff"].interest, 35_000)
    assert close(by_name["Staff"].refund, 10_000)
    assert close(by_name["Staff"].total, 45_000)
    assert close(sum(m.interest for m in result.members), 490_000)
    assert close(sum(m.refund for m in result.members), 210_000)


def test_the_cap_moves_excess_interest_to_refunds() -> None:
    # Weavers: 36,000 -> 25,200 after funds -> ISC 17,640 would be 29.4% on 60,000 of capital.
    # The 8% cap allows 4,800; the other 12,840 goes to refunds: 7,560 + 12,840 = 20,400.
    members = (
        sp.Member("Amina", 15_000, 52_000),
        sp.Member("Beatrice", 10_000, 61_000),
        sp.Member("Chiara", 10_000, 18_000),
        sp.Member("Dalia", 10_000, 40_000),
        sp.Member("Esther", 10_000, 27_000),
        sp.Member("Fatou", 5_000, 12_000),
    )
    result = sp.distribute(inputs(net_surplus=36_000, isc_rate_cap_percent=8, members=members))
    assert close(result.remainder, 25_200)
    assert close(result.isc_pool_before_cap, 17_640)
    assert close(result.isc_pool, 4_800)
    assert close(result.moved_to_refunds, 12_840)
    assert close(result.refund_pool, 20_400)
    assert result.capped
    assert close(result.isc_rate, 0.08)
    assert close(result.members[0].interest, 1_200)
    assert result.members[0].refund == 5_051.43  # 20,400 x 52,000 / 210,000 = 5,051.428..., in cents


def test_no_share_capital_sends_the_whole_remainder_to_refunds() -> None:
    result = sp.distribute(inputs(members=(sp.Member("A", 0, 100), sp.Member("B", 0, 300))))
    assert result.isc_pool == 0 and close(result.refund_pool, 700_000)
    assert close(result.members[1].refund, 525_000)


def test_funds_taking_everything_leave_nothing_for_members() -> None:
    result = sp.distribute(inputs(reserve_percent=40, education_percent=30, community_percent=20, optional_percent=10))
    assert result.remainder == 0 and result.isc_pool == 0 and result.refund_pool == 0
    assert close(result.total_funds, 1_000_000)


@pytest.mark.parametrize("surplus", [0, -250_000])
def test_a_loss_or_zero_distributes_nothing(surplus: float) -> None:
    result = sp.distribute(inputs(net_surplus=surplus))
    assert not result.has_surplus
    assert all(amount == 0 for _key, amount in result.allocations())
    assert all(m.total == 0 for m in result.members)


# The Philippine Cooperative Code's limits (RA 9520 Art. 86), as a country profile gives them.
PHILIPPINE_LIMITS = {
    "reserve": sp.FundLimit(10.0, None),
    "education": sp.FundLimit(None, 10.0),
    "community": sp.FundLimit(3.0, None),
    "optional": sp.FundLimit(None, 7.0),
}


def test_a_laws_limits_give_advice_not_an_error() -> None:
    assert sp.guidance_notes(inputs(), PHILIPPINE_LIMITS, "RA 9520") == ()
    notes = sp.guidance_notes(
        inputs(reserve_percent=5, education_percent=12, community_percent=1, optional_percent=8),
        PHILIPPINE_LIMITS,
        "RA 9520",
    )
    assert len(notes) == 4
    assert "below the 10% minimum of RA 9520" in notes[0] and "above the 10% maximum of RA 9520" in notes[1]
    sp.distribute(inputs(reserve_percent=5))  # still computes


def test_without_a_countrys_law_there_is_no_advice_about_its_limits() -> None:
    assert sp.guidance_notes(inputs(reserve_percent=0, education_percent=50), {}, "") == ()


def test_three_equal_members_sharing_100_are_shown_rows_that_add_up() -> None:
    # Not 33.33 three times against a total of 100.00: the cent left over goes to one member.
    result = sp.distribute(
        sp.SurplusInputs(
            net_surplus=100,
            reserve_percent=0,
            education_percent=0,
            community_percent=0,
            optional_percent=0,
            isc_share_percent=0,
            isc_rate_cap_percent=10,
            members=tuple(sp.Member(name, 10, 50) for name in ("Ana", "Ben", "Chidi")),
        )
    )
    assert result.refund_pool == 100
    assert [m.refund for m in result.members] == [33.34, 33.33, 33.33]
    assert sum(Decimal(repr(m.total)) for m in result.members) == Decimal("100.00")


def test_funds_and_pools_add_up_to_the_surplus_in_cents() -> None:
    # 1,000.01 at 10 / 10 / 3 / 7 %: the funds are 100.00, 100.00, 30.00 and 70.00 (plus one cent to
    # the largest remainder), the pools share the rest; every row is in cents and they add up.
    result = sp.distribute(inputs(net_surplus=1_000.01))
    amounts = [Decimal(repr(amount)) for _key, amount in result.allocations()]
    assert all(amount == amount.quantize(Decimal("0.01")) for amount in amounts)
    assert sum(amounts) == Decimal("1000.01")


def test_guidance_compares_the_percentages_as_shown() -> None:
    # 9.9999999% is shown as "10%": not below the minimum of 10%.
    def notes(reserve: float) -> tuple[str, ...]:
        return sp.guidance_notes(inputs(reserve_percent=reserve), PHILIPPINE_LIMITS, "RA 9520")

    assert notes(9.9999999) == notes(10) == ()
    assert any("9.9%" in note for note in notes(9.9))


def test_blank_rows_are_skipped() -> None:
    rows = [{"name": "A", "share_capital": 10, "transactions": 5}, {"name": "", "share_capital": 0, "transactions": 0}]
    assert sp.members_from_rows(rows) == (sp.Member("A", 10, 5),)


# --- invalid inputs ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes, field, says",
    [
        (
            {"reserve_percent": 50, "education_percent": 40, "community_percent": 20},
            "community_percent",
            "more than 100%",
        ),
        ({"optional_percent": 78}, "optional_percent", "101% of the surplus"),
        ({"reserve_percent": -1}, "reserve_percent", "at least 0"),
        ({"education_percent": 101}, "education_percent", "at most 100"),
        ({"isc_share_percent": -5}, "isc_share_percent", "at least 0"),
        ({"isc_rate_cap_percent": 150}, "isc_rate_cap_percent", "at most 100"),
        ({"net_surplus": float("nan")}, "net_surplus", "please enter a number"),
        ({"net_surplus": 1e15}, "net_surplus", "at most"),
        ({"members": ()}, "members", "add at least one row"),
        ({"members": (sp.Member("A", 1, 1), sp.Member(" a ", 1, 1))}, "members", "appears twice"),
        ({"members": (sp.Member("", 1, 1),)}, "members", "needs a name"),
        ({"members": (sp.Member("A", -1, 1),)}, "members", "Average share capital of A"),
        ({"members": (sp.Member("A", 1, float("inf")),)}, "members", "Business with the cooperative of A"),
        ({"members": (sp.Member("A", 100, 0),)}, "members", "No member has any business"),
    ],
    ids=lambda v: str(v)[:40],
)
def test_invalid_inputs_say_what_to_fix(changes, field, says, learner_message) -> None:
    with pytest.raises(CourseInputError) as caught:
        sp.distribute(inputs(**changes))
    assert caught.value.field == field
    assert says in caught.value.message
    learner_message(caught.value.message)


# --- properties --------------------------------------------------------------------------------

money = st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False)
positive = st.floats(min_value=0.01, max_value=1e9, allow_nan=False, allow_infinity=False)
pct = st.floats(min_value=0, max_value=100, allow_nan=False)
member_lists = st.lists(st.tuples(money, positive), min_size=1, max_size=8).map(
    lambda rows: tuple(sp.Member(f"Member {i}", c, t) for i, (c, t) in enumerate(rows))
)


@st.composite
def valid_inputs(draw) -> sp.SurplusInputs:
    shares = draw(st.lists(pct, min_size=4, max_size=4))
    total = sum(shares)
    if total > 100:  # scale into 0..100 in all
        shares = [s * 100 / total * 0.999 for s in shares]
    return sp.SurplusInputs(
        net_surplus=draw(positive),
        reserve_percent=shares[0],
        education_percent=shares[1],
        community_percent=shares[2],
        optional_percent=shares[3],
        isc_share_percent=draw(pct),
        isc_rate_cap_percent=draw(pct),
        members=draw(member_lists),
    )


@given(valid_inputs())
def test_allocations_add_up_to_the_surplus(given_inputs: sp.SurplusInputs) -> None:
    result = sp.distribute(given_inputs)
    # In whole cents that add up exactly to the net surplus as the page shows it.
    total = sum(Decimal(repr(amount)) for _key, amount in result.allocations())
    assert total == cents(given_inputs.net_surplus)
    assert all(amount >= 0 for _key, amount in result.allocations())


@given(valid_inputs())
def test_members_receive_exactly_the_two_pools(given_inputs: sp.SurplusInputs) -> None:
    result = sp.distribute(given_inputs)
    # Exactly, to the cent: the rows of the members' table add up to the pools shown.
    assert sum(Decimal(repr(m.interest)) for m in result.members) == Decimal(repr(result.isc_pool))
    assert sum(Decimal(repr(m.refund)) for m in result.members) == Decimal(repr(result.refund_pool))
    assert Decimal(repr(result.isc_pool)) + Decimal(repr(result.refund_pool)) == Decimal(repr(result.remainder))


@given(valid_inputs())
def test_interest_rate_never_above_the_cap(given_inputs: sp.SurplusInputs) -> None:
    result = sp.distribute(given_inputs)
    assert result.isc_rate <= given_inputs.isc_rate_cap_percent / 100 * (1 + 1e-9)
    # (a member's part may be one cent above their exact share: the cents of a split go somewhere)
    for member in result.members:
        assert member.interest <= member.share_capital * given_inputs.isc_rate_cap_percent / 100 * (1 + 1e-9) + 0.01


@given(valid_inputs())
def test_each_refund_is_proportional_to_business(given_inputs: sp.SurplusInputs) -> None:
    result = sp.distribute(given_inputs)
    for member in result.members:
        # Off the exact proportional share by less than a cent (the largest-remainder rounding).
        expected = result.refund_pool * member.transactions / result.total_transactions
        assert math.isclose(member.refund, expected, rel_tol=1e-9, abs_tol=0.01)
        assert math.isclose(member.refund, member.transactions * result.refund_rate, rel_tol=1e-9, abs_tol=0.01)


@given(valid_inputs(), st.floats(min_value=-1e9, max_value=0, allow_nan=False))
def test_no_surplus_means_nothing_for_anyone(given_inputs: sp.SurplusInputs, loss: float) -> None:
    result = sp.distribute(sp.SurplusInputs(**{**given_inputs.__dict__, "net_surplus": loss}))
    assert all(m.total == 0 for m in result.members)


@given(st.lists(pct, min_size=4, max_size=4))
def test_funds_over_100_percent_always_rejected(shares: list[float]) -> None:
    assume(sum(shares) > 100.001)
    with pytest.raises(CourseInputError) as caught:
        sp.distribute(
            inputs(
                reserve_percent=shares[0],
                education_percent=shares[1],
                community_percent=shares[2],
                optional_percent=shares[3],
            )
        )
    assert caught.value.field in {f"{fund}_percent" for fund in sp.FUNDS}
    assert "more than 100%" in caught.value.message
