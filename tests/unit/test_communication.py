"""Communication plan checks and meeting-agenda timing (calculations.communication)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopcourse.calculations import communication as cm
from coopcourse.errors import CourseInputError


def row(audience="members", information="Prices", channel="meeting", frequency="monthly", responsible="Ana"):
    return {
        "audience": audience,
        "information": information,
        "channel": channel,
        "frequency": frequency,
        "responsible": responsible,
    }


def item(title="Report", minutes=10, kind="information"):
    return {"title": title, "minutes": minutes, "kind": kind}


# --- plan ---------------------------------------------------------------------------------------------


def test_a_complete_plan_has_no_problems():
    review = cm.review_plan([row(), row(audience="board", channel="meeting", frequency="weekly")])
    assert not review.has_problems
    assert review.missing_required == ()
    assert "staff" in review.missing_other and "members" not in review.missing_other
    assert review.total_per_year == 12 + 52


def test_members_and_board_must_be_covered():
    review = cm.review_plan([row(audience="staff")])
    assert review.missing_required == ("members", "board")
    assert review.has_problems


def test_one_way_channels_for_members_are_flagged():
    review = cm.review_plan([row(channel="notice_board"), row(channel="newsletter"), row(audience="board")])
    assert review.members_one_way_only
    review = cm.review_plan([row(channel="notice_board"), row(channel="suggestion_box"), row(audience="board")])
    assert not review.members_one_way_only


def test_no_member_items_is_not_called_one_way():
    # That case is reported as "members not covered" instead.
    review = cm.review_plan([row(audience="board", channel="radio")])
    assert not review.members_one_way_only and review.missing_required == ("members",)


def test_items_nobody_is_responsible_for():
    review = cm.review_plan([row(responsible="  "), row(audience="board"), row(information="Dates", responsible="")])
    assert [i.row for i in review.unassigned] == [1, 3]


def test_messages_per_year_by_channel_hand_worked():
    review = cm.review_plan(
        [
            row(channel="meeting", frequency="monthly"),  # 12
            row(channel="meeting", frequency="quarterly"),  # 4
            row(channel="radio", frequency="when_needed"),  # counted apart
            row(audience="board", channel="phone_group", frequency="weekly"),  # 52
            row(channel="general_assembly", frequency="yearly"),  # 1
        ]
    )
    uses = {u.channel: u for u in review.channels}
    assert (uses["meeting"].items, uses["meeting"].per_year, uses["meeting"].when_needed) == (2, 16, 0)
    assert (uses["radio"].per_year, uses["radio"].when_needed) == (0, 1)
    assert uses["phone_group"].per_year == 52 and uses["general_assembly"].per_year == 1
    assert review.total_per_year == 69
    # channels come in the fixed order of CHANNELS
    assert [u.channel for u in review.channels] == [c for c in cm.CHANNELS if c in uses]


def test_grouped_by_audience_keeps_the_learners_order_within_a_group():
    items = cm.plan_items(
        [
            row(audience="board", information="B1"),
            row(information="M1"),
            row(audience="board", information="B2"),
            row(information="M2"),
        ]
    )
    assert [i.information for i in cm.grouped_by_audience(items)] == ["M1", "M2", "B1", "B2"]


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        ({"information": "   "}, "Row 1: write what information"),
        ({"audience": "aliens"}, "Row 1: choose one of the options"),
        ({"channel": "<script>"}, "Row 1: choose one of the options"),
        ({"frequency": None}, "Row 1: choose one of the options"),
    ],
)
def test_invalid_plan_rows_raise_learner_errors(bad, words, learner_message):
    with pytest.raises(CourseInputError) as caught:
        cm.review_plan([{**row(), **bad}])
    assert caught.value.message.startswith(words) and caught.value.field == "plan"
    learner_message(caught.value.message)


def test_an_empty_plan_is_an_error(learner_message):
    with pytest.raises(CourseInputError) as caught:
        cm.review_plan([])
    learner_message(caught.value.message)


plan_rows = st.lists(
    st.builds(
        row,
        audience=st.sampled_from(cm.AUDIENCES),
        channel=st.sampled_from(cm.CHANNELS),
        frequency=st.sampled_from(list(cm.FREQUENCIES)),
        responsible=st.sampled_from(["", "Ana", " "]),
    ),
    min_size=1,
    max_size=20,
)


@given(plan_rows)
def test_plan_review_properties(rows):
    review = cm.review_plan(rows)
    covered = {r["audience"] for r in rows}
    assert set(review.missing_required) | set(review.missing_other) == set(cm.AUDIENCES) - covered
    assert sum(u.items for u in review.channels) == len(rows)
    assert review.total_per_year == sum(cm.FREQUENCIES[r["frequency"]] or 0 for r in rows)
    assert len(review.unassigned) == sum(1 for r in rows if not r["responsible"].strip())
    assert sorted(i.row for i in cm.grouped_by_audience(review.items)) == list(range(1, len(rows) + 1))


# --- agenda -------------------------------------------------------------------------------------------


def test_clock():
    assert cm.clock(18 * 60 + 5) == "18:05"
    assert cm.clock(0) == "00:00"
    assert cm.clock(24 * 60 + 30) == "00:30"  # past midnight


def test_agenda_times_hand_worked():
    # 18:30 start, 90 minutes planned: 18:30-18:35, 18:35-19:00, 19:00-19:30, 19:30-19:50, 19:50-19:55
    agenda = cm.build_agenda(
        18,
        30,
        90,
        [
            item("Opening", 5),
            item("Report", 25),
            item("Loan", 30, "discussion"),
            item("Decide the loan", 20, "decision"),
            item("Any other business", 5),
        ],
    )
    assert [(cm.clock(i.start), cm.clock(i.end)) for i in agenda.items] == [
        ("18:30", "18:35"),
        ("18:35", "19:00"),
        ("19:00", "19:30"),
        ("19:30", "19:50"),
        ("19:50", "19:55"),
    ]
    assert agenda.total_minutes == 85 and agenda.spare == 5 and agenda.over_by == 0
    assert cm.clock(agenda.end) == "19:55" and cm.clock(agenda.planned_end) == "20:00"
    # the decision starts at minute 60 of 90: before 75% (67.5), and ends in time
    assert agenda.warnings == () and agenda.has_other_business


def test_over_time_hand_worked():
    agenda = cm.build_agenda(9, 0, 60, [item("A", 30), item("B", 40), item("AOB", 5)])
    assert agenda.total_minutes == 75 and agenda.over_by == 15
    assert cm.clock(agenda.end) == "10:15" and cm.clock(agenda.planned_end) == "10:00"
    assert agenda.warnings == (cm.OVER_TIME,)


def test_decision_squeezed_at_the_end():
    # 60 minutes planned: 75% is minute 45; the decision starts at minute 45
    agenda = cm.build_agenda(
        18, 0, 60, [item("Reports", 45), item("Vote on the price", 10, "decision"), item("Any other business", 5)]
    )
    assert [i.title for i in agenda.squeezed] == ["Vote on the price"]
    assert agenda.warnings == (cm.DECISIONS_LATE,)
    # one minute earlier it is fine
    agenda = cm.build_agenda(18, 0, 60, [item("Reports", 44), item("Vote", 10, "decision"), item("AOB", 6)])
    assert agenda.squeezed == () and agenda.warnings == ()


def test_a_decision_that_runs_past_the_planned_end_is_squeezed():
    agenda = cm.build_agenda(18, 0, 100, [item("Vote", 120, "decision")])
    assert agenda.squeezed and cm.OVER_TIME in agenda.warnings


def test_no_time_for_other_business():
    agenda = cm.build_agenda(18, 0, 60, [item("Report", 57)])
    assert agenda.warnings == (cm.NO_OTHER_BUSINESS,)
    assert cm.build_agenda(18, 0, 60, [item("Report", 55)]).warnings == ()  # 5 minutes spare
    assert cm.build_agenda(18, 0, 60, [item("Report", 58), item("A.O.B.", 2)]).warnings == ()


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Any other business", True),
        ("AOB", True),
        ("a.o.b.", True),
        ("Other business and close", True),
        ("Boab tree planting", False),
        ("Business plan", False),
    ],
)
def test_other_business_titles(title, expected):
    assert cm.is_other_business(title) is expected


def test_meeting_past_midnight_wraps_the_clock():
    agenda = cm.build_agenda(23, 30, 60, [item("Night shift", 45), item("AOB", 15)])
    assert cm.clock(agenda.items[1].start) == "00:15" and cm.clock(agenda.end) == "00:30"


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ((24, 0, 60, [item()]), "start_hour"),
        ((-1, 0, 60, [item()]), "start_hour"),
        ((18, 60, 60, [item()]), "start_minute"),
        ((18, 0, 0, [item()]), "planned_minutes"),
        ((18, 0, 60.5, [item()]), "planned_minutes"),
        ((18, 0, 60, []), "items"),
        ((18, 0, 60, [item(title="  ")]), "items"),
        ((18, 0, 60, [item(minutes=0)]), "items"),
        ((18, 0, 60, [item(minutes=-5)]), "items"),
        ((18, 0, 60, [item(minutes="abc")]), "items"),
        ((18, 0, 60, [item(minutes=2.5)]), "items"),
        ((18, 0, 60, [item(minutes=241)]), "items"),
        ((18, 0, 60, [item(kind="party")]), "items"),
        ((18, 0, 60, [item(minutes=240)] * 4), "items"),  # 16 hours
    ],
)
def test_invalid_agenda_inputs_raise_learner_errors(args, field, learner_message):
    with pytest.raises(CourseInputError) as caught:
        cm.build_agenda(*args)
    assert caught.value.field == field
    learner_message(caught.value.message)


agenda_items = st.lists(
    st.builds(
        item,
        title=st.sampled_from(["Report", "Vote", "Any other business", "Plan"]),
        minutes=st.integers(1, 60),
        kind=st.sampled_from(cm.ITEM_KINDS),
    ),
    min_size=1,
    max_size=12,
)


@given(st.integers(0, 23), st.integers(0, 59), st.integers(1, 720), agenda_items)
def test_agenda_properties(hour, minute, planned, items):
    agenda = cm.build_agenda(hour, minute, planned, items)
    assert agenda.start == hour * 60 + minute
    assert agenda.items[0].start == agenda.start
    for before, after in zip(agenda.items, agenda.items[1:]):
        assert after.start == before.end  # no gaps, no overlaps
    assert agenda.total_minutes == sum(i["minutes"] for i in items)
    assert agenda.end == agenda.items[-1].end
    assert agenda.over_by - agenda.spare == agenda.total_minutes - planned
    assert (cm.OVER_TIME in agenda.warnings) == (agenda.total_minutes > planned)
    assert (cm.DECISIONS_LATE in agenda.warnings) == bool(agenda.squeezed)
    assert all(i.kind == "decision" for i in agenda.squeezed)
    if cm.NO_OTHER_BUSINESS in agenda.warnings:
        assert not agenda.has_other_business and agenda.spare < cm.OTHER_BUSINESS_MINUTES
    assert len(cm.clock(agenda.end)) == 5
