"""Meeting role play: quorum, one-member-one-vote tally, role rotation and the minutes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopcourse import documents
from coopcourse.calculations import meeting as mt
from coopcourse.calculations import reports
from coopcourse.calculations.governance import Majority, quorum_needed, votes_needed
from coopcourse.errors import CourseInputError

GA = mt.MeetingType.GENERAL_ASSEMBLY
BOARD = mt.MeetingType.BOARD_MEETING


def people(*pairs: tuple[str, str]) -> tuple[mt.Participant, ...]:
    return tuple(mt.Participant(name, role) for name, role in pairs)


ASSEMBLY = people(
    ("Amina", "chair"),
    ("Bao", "secretary"),
    ("Carlos", "teller"),
    ("Dewi", "board_member"),
    ("Farid", "manager"),
    ("Gloria", "supervisory_committee"),
    ("Hugo", "ordinary_member"),
)


# --- hand-worked cases ---------------------------------------------------------------------------


def test_quorum_of_40_members_at_25_percent_is_10() -> None:
    assert quorum_needed(40, 25) == 10


def test_quorum_rounds_up() -> None:
    # 9 voters x 25% = 2.25 -> 3 must be present
    assert quorum_needed(9, 25) == 3


def test_two_thirds_of_23_cast_needs_16() -> None:
    assert votes_needed(23, Majority.TWO_THIRDS) == 16


def test_simple_majority_of_20_needs_11() -> None:
    assert votes_needed(20, Majority.SIMPLE) == 11


def test_three_quarters_of_12_needs_9() -> None:
    assert votes_needed(12, Majority.THREE_QUARTERS) == 9


def test_who_votes_at_an_assembly_and_at_the_board() -> None:
    assert mt.voters(ASSEMBLY, GA) == ("Amina", "Bao", "Carlos", "Dewi", "Gloria", "Hugo")
    assert mt.voters(ASSEMBLY, BOARD) == ("Amina", "Bao", "Carlos", "Dewi")


def test_quorum_counts_only_present_members_with_a_vote() -> None:
    quorum = mt.check_quorum(ASSEMBLY, ["Amina", "Farid", "Hugo"], GA, 50)
    assert (quorum.entitled, quorum.present, quorum.needed, quorum.reached) == (6, 2, 3, False)
    quorum = mt.check_quorum(ASSEMBLY, ["Amina", "Farid", "Hugo", "Bao"], GA, 50)
    assert quorum.reached


@pytest.mark.parametrize("percent", [0, -5, 150, float("nan")])
def test_quorum_percent_out_of_range_is_a_learner_error(percent: float, learner_message) -> None:
    with pytest.raises(CourseInputError) as caught:
        mt.check_quorum(ASSEMBLY, [], GA, percent)
    assert caught.value.field == "quorum_percent"
    learner_message(caught.value.message)


def test_tally_abstentions_are_not_votes_cast() -> None:
    votes = {"Amina": "for", "Bao": "for", "Carlos": "against", "Dewi": "abstain", "Hugo": "abstain"}
    result = mt.tally(votes, ["Amina", "Bao", "Carlos", "Dewi", "Hugo"], "simple")
    assert (result.votes_for, result.against, result.abstain, result.cast) == (2, 1, 2, 3)
    assert result.needed == 2 and result.carried


def test_tally_two_thirds_fails_by_one_vote() -> None:
    voting = [f"M{i}" for i in range(23)]
    votes = {name: ("for" if i < 15 else "against") for i, name in enumerate(voting)}
    result = mt.tally(votes, voting, Majority.TWO_THIRDS)
    assert result.needed == 16 and not result.carried
    votes["M15"] = "for"
    assert mt.tally(votes, voting, Majority.TWO_THIRDS).carried


def test_tally_tie_is_not_carried() -> None:
    result = mt.tally({"A": "for", "B": "against"}, ["A", "B"], "simple")
    assert result.needed == 2 and not result.carried


def test_everybody_abstains_is_not_carried() -> None:
    result = mt.tally({"A": "abstain", "B": "abstain"}, ["A", "B"], "simple")
    assert result.cast == 0 and not result.carried


def test_tally_ignores_people_without_a_vote_and_names_who_has_not_voted(learner_message) -> None:
    votes = {"Amina": "for", "Farid": "against"}  # Farid (manager) has no vote
    with pytest.raises(CourseInputError) as caught:
        mt.tally(votes, ["Amina", "Hugo"], "simple")
    assert "Hugo" in caught.value.message and caught.value.field == "votes"
    learner_message(caught.value.message)
    assert mt.tally({**votes, "Hugo": "for"}, ["Amina", "Hugo"], "simple").votes_for == 2


def test_tally_with_nobody_voting_is_a_learner_error(learner_message) -> None:
    with pytest.raises(CourseInputError) as caught:
        mt.tally({}, [], "simple")
    learner_message(caught.value.message)


def test_rotation_passes_each_role_to_the_next_person() -> None:
    assert mt.rotate_roles(["chair", "secretary", "teller", "ordinary_member"]) == (
        "ordinary_member",
        "chair",
        "secretary",
        "teller",
    )
    turned = mt.rotate_participants(people(("A", "chair"), ("B", "secretary"), ("C", "teller")))
    assert [(p.name, p.role) for p in turned] == [("A", "teller"), ("B", "chair"), ("C", "secretary")]


@pytest.mark.parametrize(
    ("pairs", "message_part"),
    [
        ((), "Add the people"),
        ((("A", "secretary"), ("B", "ordinary_member")), "exactly one chair"),
        ((("A", "chair"), ("B", "chair"), ("C", "secretary")), "exactly one chair"),
        ((("A", "chair"), ("B", "ordinary_member")), "exactly one secretary"),
        ((("A", "chair"), ("a ", "secretary")), "twice"),
    ],
)
def test_setup_problems_are_explained(pairs, message_part: str, learner_message) -> None:
    with pytest.raises(CourseInputError) as caught:
        mt.check_setup(people(*pairs), GA)
    assert caught.value.field == "members"
    learner_message(caught.value.message)
    if message_part != "twice":
        assert message_part in caught.value.message


def test_board_meeting_needs_a_director(learner_message) -> None:
    with pytest.raises(CourseInputError) as caught:
        mt.check_quorum(people(("C", "manager"), ("D", "supervisory_committee")), ["C"], BOARD, 50)
    assert caught.value.field == "members" and "board meeting" in caught.value.message.casefold()
    mt.check_setup(people(("A", "chair"), ("B", "secretary")), BOARD)  # the chair is a director
    with pytest.raises(CourseInputError):
        mt.Participant("X", "king")
    with pytest.raises(CourseInputError) as caught:
        mt.Participant("  ", "chair")
    learner_message(caught.value.message)


def test_motions_from_rows_checks_text_and_majority(learner_message) -> None:
    motions = mt.motions_from_rows(
        [{"text": " Approve accounts ", "majority": "simple"}, {"text": "Amend by-law 9", "majority": "two_thirds"}]
    )
    assert motions == (mt.Motion("Approve accounts", Majority.SIMPLE), mt.Motion("Amend by-law 9", Majority.TWO_THIRDS))
    for rows in (
        [{"text": "", "majority": "simple"}],
        [{"text": "X", "majority": "most"}],
        [{"text": "X", "majority": "simple"}, {"text": "x", "majority": "simple"}],
    ):
        with pytest.raises(CourseInputError) as caught:
            mt.motions_from_rows(rows)
        assert caught.value.field == "motions"
        learner_message(caught.value.message)


def test_next_step_follows_the_meeting() -> None:
    motions = (mt.Motion("Approve accounts", Majority.SIMPLE), mt.Motion("Amend by-law 9", Majority.TWO_THIRDS))
    no_quorum = mt.Quorum(6, 1, 2, 25)
    quorum = mt.Quorum(6, 3, 2, 25)
    assert mt.next_step(no_quorum, [], motions, ()).stage is mt.Stage.ATTENDANCE
    assert mt.next_step(no_quorum, ["A"], motions, ()).stage is mt.Stage.NO_QUORUM
    assert mt.next_step(quorum, ["A"], (), ()).stage is mt.Stage.AGENDA
    step = mt.next_step(quorum, ["A"], motions, ())
    assert (step.stage, step.motion_number, step.motion) == (mt.Stage.VOTE, 1, "Approve accounts")
    first = mt.VoteRecord(1, "approve accounts", Majority.SIMPLE, 3, 0, 0, 3, 2, "A", "B")
    assert mt.next_step(quorum, ["A"], motions, (first,)).motion_number == 2
    second = mt.VoteRecord(1, "Amend by-law 9", Majority.TWO_THIRDS, 1, 2, 0, 3, 2, "A", "B")
    assert mt.next_step(quorum, ["A"], motions, (first, second)).stage is mt.Stage.MINUTES
    rotation = mt.RotationRecord(2, (("A", "chair"), ("B", "secretary")), (("A", "secretary"), ("B", "chair")))
    assert mt.next_step(quorum, ["A"], motions, (first, second, rotation)).motion_number == 1  # a new round


def test_log_round_trips_and_skips_what_it_cannot_read() -> None:
    vote = mt.VoteRecord(1, "Approve accounts", Majority.SIMPLE, 3, 1, 1, 5, 3, "Amina", "Bao")
    rotation = mt.RotationRecord(
        2, (("Amina", "chair"), ("Bao", "secretary")), (("Amina", "secretary"), ("Bao", "chair"))
    )
    raw = [
        vote.to_dict(),
        rotation.to_dict(),
        {"kind": "vote", "round": "x"},
        "junk",
        {"kind": "other"},
        {**vote.to_dict(), "for": -1},
        {**rotation.to_dict(), "after": [{"name": "A", "role": "king"}]},
    ]
    assert mt.parse_log(raw) == (vote, rotation)
    assert mt.parse_log("not a list") == ()
    assert mt.current_round(mt.parse_log(raw)) == 2
    assert rotation.changes() == (("Amina", "chair", "secretary"), ("Bao", "secretary", "chair"))


def test_minutes_contain_attendance_quorum_motions_and_rounds() -> None:
    motions = (mt.Motion("Approve the accounts", Majority.SIMPLE), mt.Motion("Amend by-law 9", Majority.TWO_THIRDS))
    before = tuple((p.name, p.role) for p in ASSEMBLY)
    after_people = mt.rotate_participants(ASSEMBLY)
    log = (
        mt.VoteRecord(1, "Approve the accounts", Majority.SIMPLE, 4, 1, 1, 6, 2, "Amina", "Bao"),
        mt.RotationRecord(2, before, tuple((p.name, p.role) for p in after_people)),
        mt.VoteRecord(2, "Amend by-law 9", Majority.TWO_THIRDS, 3, 2, 1, 6, 2, "Bao", "Carlos"),
    )
    record = mt.MeetingRecord(
        "Cerro Verde",
        GA,
        "14 March",
        after_people,
        ("Amina", "Bao", "Carlos", "Dewi", "Gloria", "Hugo"),
        mt.check_quorum(after_people, ["Amina", "Bao", "Carlos", "Dewi", "Gloria", "Hugo"], GA, 25),
        motions,
        log,
    )
    markdown = documents.to_markdown(reports.minutes(record))
    assert "Cerro Verde" in markdown and "14 March" in markdown
    assert "Round 1: chaired by Amina; minutes taken by Bao." in markdown
    assert "Round 2: chaired by Bao; minutes taken by Carlos." in markdown
    assert "Absent (1): Farid (Board member)" in markdown
    assert '"Approve the accounts" was carried. For: 4; against: 1; abstaining: 1.' in markdown
    assert (
        '"Amend by-law 9" was not carried' in markdown and "votes cast: 5, of which 4 were needed in favour" in markdown
    )
    assert "Abstentions are not counted as votes cast" in markdown
    assert "Amina, Chair to Member" in markdown
    assert "Not voted on: Approve the accounts." not in markdown  # voted in round 1


def test_minutes_without_votes_say_so() -> None:
    record = mt.MeetingRecord(
        "",
        BOARD,
        "",
        ASSEMBLY,
        (),
        mt.check_quorum(ASSEMBLY, [], BOARD, 51),
        (mt.Motion("Hire a manager", Majority.SIMPLE),),
        (),
    )
    markdown = documents.to_markdown(reports.minutes(record))
    assert "No vote was recorded." in markdown and "Not voted on: Hire a manager." in markdown
    assert "date not recorded" in markdown and "could not take decisions" in markdown


# --- properties ----------------------------------------------------------------------------------

choices = st.sampled_from(["for", "against", "abstain"])


@given(st.lists(choices, min_size=1, max_size=60), st.sampled_from(list(Majority)))
def test_carried_iff_for_votes_reach_the_number_needed(ballots: list[str], majority: Majority) -> None:
    voting = [f"M{i}" for i in range(len(ballots))]
    result = mt.tally(dict(zip(voting, ballots)), voting, majority)
    assert result.votes_for + result.against + result.abstain == len(ballots)
    assert result.carried == (result.cast > 0 and result.votes_for >= result.needed)
    assert result.carried == (
        result.cast > 0 and result.votes_for > result.cast * majority.share
        if majority is Majority.SIMPLE
        else result.cast > 0 and result.votes_for >= result.cast * majority.share
    )


@given(st.lists(choices, min_size=1, max_size=40), st.sampled_from(list(Majority)))
def test_abstaining_instead_of_voting_against_never_hurts_a_motion(ballots: list[str], majority: Majority) -> None:
    voting = [f"M{i}" for i in range(len(ballots))]
    before = mt.tally(dict(zip(voting, ballots)), voting, majority)
    softer = ["abstain" if b == "against" else b for b in ballots]
    after = mt.tally(dict(zip(voting, softer)), voting, majority)
    assert after.carried or not before.carried


@given(st.integers(min_value=1, max_value=100_000), st.floats(min_value=0.01, max_value=100))
def test_quorum_needed_is_the_smallest_count_reaching_the_share(members: int, percent: float) -> None:
    needed = quorum_needed(members, percent)
    assert 1 <= needed <= members
    assert needed >= members * percent / 100 - 1e-6
    assert needed - 1 < members * percent / 100 + 1e-6 or needed == 1


@given(st.lists(st.sampled_from(mt.ROLES), min_size=1, max_size=30))
def test_rotation_is_a_permutation_that_returns_after_n_rounds(roles: list[str]) -> None:
    turned = mt.rotate_roles(roles)
    assert sorted(turned) == sorted(roles)
    state = tuple(roles)
    for _ in range(len(roles)):
        state = mt.rotate_roles(state)
    assert state == tuple(roles)


@given(st.integers(min_value=2, max_value=25))
def test_everyone_holds_the_chair_once_in_n_rounds(n: int) -> None:
    roles: tuple[str, ...] = ("chair",) + ("ordinary_member",) * (n - 1)
    chairs = []
    for _ in range(n):
        chairs.append(roles.index("chair"))
        roles = mt.rotate_roles(roles)
    assert sorted(chairs) == list(range(n))
