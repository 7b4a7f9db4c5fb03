"""Governance rules of Start.Coop module 4: board design, quorum, majorities; hand cases and properties."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopcourse.calculations import governance as gv
from coopcourse.errors import CourseInputError


def design(**changes) -> gv.GovernanceDesign:
    base = dict(
        members=25,
        board_size=5,
        board_term_years=2,
        staggered_terms=True,
        supervisory_committee=True,
        committee_size=3,
        hires_manager=False,
        assemblies_per_year=1,
        quorum_percent=25,
    )
    base.update(changes)
    return gv.GovernanceDesign(**base)


@pytest.mark.parametrize(
    "members, percent, needed",
    [
        (25, 25, 7),  # 25 x 25% = 6.25: 6 are not enough, 7 are
        (100, 25, 25),  # exactly 25
        (3, 50, 2),  # 1.5 -> 2
        (1, 1, 1),  # at least one person, always
        (1000, 5, 50),  # Maryland: 5% of up to 1,000 members
        (30, 33.3, 10),  # 9.99 -> 10
        (1_000_000, 33.3, 333_000),  # exactly 333,000: not one more because of rounding in the computer
        (7, 100, 7),
    ],
)
def test_quorum_worked_by_hand(members, percent, needed) -> None:
    assert gv.quorum_needed(members, percent) == needed


@pytest.mark.parametrize(
    "cast, majority, needed",
    [
        (10, gv.Majority.SIMPLE, 6),  # more than half of 10
        (9, gv.Majority.SIMPLE, 5),  # more than 4.5
        (1, gv.Majority.SIMPLE, 1),
        (9, gv.Majority.TWO_THIRDS, 6),  # exactly 6 of 9
        (10, gv.Majority.TWO_THIRDS, 7),  # 6.67 -> 7
        (8, gv.Majority.THREE_QUARTERS, 6),  # exactly 6 of 8
        (10, gv.Majority.THREE_QUARTERS, 8),  # 7.5 -> 8
        (0, gv.Majority.SIMPLE, 1),
    ],
)
def test_votes_needed_worked_by_hand(cast, majority, needed) -> None:
    assert gv.votes_needed(cast, majority) == needed


def test_motions_carry_or_fail_as_counted_by_hand() -> None:
    assert gv.motion_carried(6, 4, gv.Majority.SIMPLE)
    assert not gv.motion_carried(5, 5, gv.Majority.SIMPLE)  # a tie is not a majority
    assert gv.motion_carried(2, 1, gv.Majority.TWO_THIRDS)  # exactly two thirds
    assert not gv.motion_carried(5, 3, gv.Majority.TWO_THIRDS)  # 62.5%
    assert gv.motion_carried(3, 1, gv.Majority.THREE_QUARTERS)
    assert not gv.motion_carried(0, 0, gv.Majority.SIMPLE)  # nobody voted


def test_a_balanced_design_needs_no_advice() -> None:
    assert gv.design_advice(design()) == ()


def test_advice_worked_by_hand() -> None:
    advice = gv.design_advice(
        design(
            members=60,
            board_size=4,
            board_term_years=3,
            staggered_terms=False,
            supervisory_committee=False,
            committee_size=0,
        )
    )
    assert len(advice) == 3
    assert "even number" in advice[0] and "staggering" in advice[1] and "supervisory committee" in advice[2]
    # A board of 3 in a cooperative of 8 (fewer than 3 x 3) is 37.5% of the members: who holds it
    # to account? A cooperative of 9 has enough ordinary members.
    assert gv.design_advice(design(members=9, board_size=3, committee_size=3)) == ()
    small = gv.design_advice(design(members=8, board_size=3, committee_size=3))
    assert small == ("The board is 38% of all members: fewer ordinary members are left to hold it to account.",)
    big = gv.design_advice(design(members=150, committee_size=3))
    assert any("needs a manager" in a for a in big)
    assert not any("needs a manager" in a for a in gv.design_advice(design(members=150, hires_manager=True)))
    # A one-year term needs no staggering.
    assert gv.design_advice(design(board_term_years=1, staggered_terms=False)) == ()


def test_without_a_committee_its_size_does_not_count() -> None:
    design(members=5, board_size=5, supervisory_committee=False, committee_size=3)


@pytest.mark.parametrize(
    "changes, field, says",
    [
        ({"members": 0}, "members", "Number of members must be at least 1"),
        ({"board_size": 2}, "board_size", "Board members must be at least 3"),
        ({"board_size": 30}, "board_size", "The board cannot have more members than the cooperative"),
        ({"board_size": 4.5}, "board_size", "whole number"),
        ({"board_term_years": 0}, "board_term_years", "at least 1"),
        ({"board_term_years": 7}, "board_term_years", "Board term (years) must be at most 6"),
        ({"committee_size": 0}, "committee_size", "needs at least 1 member, or untick it"),
        ({"committee_size": 21}, "committee_size", "Board and supervisory committee together"),
        ({"committee_size": 26}, "committee_size", "at most 25"),
        ({"assemblies_per_year": 0}, "assemblies_per_year", "at least 1"),
        ({"assemblies_per_year": 13}, "assemblies_per_year", "at most 12"),
        ({"quorum_percent": 0}, "quorum_percent", "must be more than 0"),
        ({"quorum_percent": 100.5}, "quorum_percent", "at most 100"),
        ({"quorum_percent": float("nan")}, "quorum_percent", "please enter a number"),
    ],
    ids=lambda v: str(v)[:40],
)
def test_invalid_design_says_what_to_fix(changes, field, says, learner_message) -> None:
    with pytest.raises(CourseInputError) as caught:
        design(**changes)
    assert caught.value.field == field
    assert says in caught.value.message
    learner_message(caught.value.message)


@pytest.mark.parametrize(
    "call, field",
    [
        (lambda: gv.quorum_needed(0, 25), "members"),
        (lambda: gv.quorum_needed(10, 0), "quorum_percent"),
        (lambda: gv.quorum_needed(10, 120), "quorum_percent"),
        (lambda: gv.motion_carried(-1, 3, gv.Majority.SIMPLE), "votes"),
        (lambda: gv.motion_carried(1, 2.5, gv.Majority.SIMPLE), "votes"),
    ],
)
def test_invalid_counts_say_what_to_fix(call, field, learner_message) -> None:
    with pytest.raises(CourseInputError) as caught:
        call()
    assert caught.value.field == field
    learner_message(caught.value.message)


@given(members=st.integers(min_value=1, max_value=1_000_000), tenths=st.integers(min_value=1, max_value=1000))
def test_quorum_is_the_fewest_members_reaching_the_percentage(members, tenths) -> None:
    percent = float(Decimal(tenths) / 10)  # as typed: 0.1% to 100.0%
    needed = gv.quorum_needed(members, percent)
    share = Fraction(members) * Fraction(tenths, 10) / 100
    assert 1 <= needed <= members
    assert needed >= share and (needed == 1 or needed - 1 < share)


@given(
    members=st.integers(min_value=1, max_value=10_000),
    low=st.floats(min_value=0.01, max_value=100),
    high=st.floats(min_value=0.01, max_value=100),
)
def test_a_higher_quorum_never_needs_fewer_members(members, low, high) -> None:
    low, high = sorted((low, high))
    assert gv.quorum_needed(members, low) <= gv.quorum_needed(members, high)


@given(
    yes=st.integers(min_value=0, max_value=10_000),
    no=st.integers(min_value=0, max_value=10_000),
    majority=st.sampled_from(list(gv.Majority)),
)
def test_a_motion_carries_exactly_when_its_share_of_votes_is_reached(yes, no, majority) -> None:
    carried = gv.motion_carried(yes, no, majority)
    if yes + no == 0:
        assert not carried
    elif majority is gv.Majority.SIMPLE:
        assert carried == (Fraction(yes, yes + no) > Fraction(1, 2))
    else:
        assert carried == (Fraction(yes, yes + no) >= majority.share)


@given(cast=st.integers(min_value=1, max_value=100_000), majority=st.sampled_from(list(gv.Majority)))
def test_votes_needed_is_the_smallest_winning_count(cast, majority) -> None:
    needed = gv.votes_needed(cast, majority)
    assert 1 <= needed <= cast
    assert gv.motion_carried(needed, cast - needed, majority)
    assert not gv.motion_carried(needed - 1, cast - needed + 1, majority)


@given(
    members=st.integers(min_value=3, max_value=500),
    board=st.integers(min_value=3, max_value=101),
    committee=st.integers(min_value=0, max_value=25),
    has_committee=st.booleans(),
)
def test_a_valid_design_fits_in_the_membership(members, board, committee, has_committee) -> None:
    try:
        made = design(members=members, board_size=board, committee_size=committee, supervisory_committee=has_committee)
    except CourseInputError as error:
        assert error.field in {"board_size", "committee_size"}
        assert board > members or (has_committee and (committee < 1 or board + committee > members))
        return
    assert made.board_size <= members
    if has_committee:
        assert 1 <= made.committee_size and made.board_size + made.committee_size <= members
    for advice in gv.design_advice(made):
        assert "{" not in advice


def test_quorum_note_names_the_law_only_when_the_profile_has_a_figure() -> None:
    assert "your country's law and your by-laws" in gv.quorum_note(25, None, "")
    assert gv.quorum_note(50, 50, "Ley 79") == gv.quorum_note(60, 50, "Ley 79").replace("60%", "50%")
    below = gv.quorum_note(49.5, 50, "Ley 79")
    assert "lower than the 50%" in below and "49.5%" in below and "Ley 79" in below


@given(st.floats(min_value=0.01, max_value=100), st.floats(min_value=0.01, max_value=100))
def test_quorum_note_warns_exactly_when_the_groups_figure_is_below_the_law(ours: float, law: float) -> None:
    assert ("lower than" in gv.quorum_note(ours, law, "the act")) == (ours < law)


def test_quorum_note_refuses_a_quorum_that_is_not_a_percentage() -> None:
    with pytest.raises(CourseInputError):
        gv.quorum_note(0, 50, "Ley 79")
    with pytest.raises(CourseInputError):
        gv.quorum_note(101, None, "")
