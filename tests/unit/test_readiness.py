"""Readiness checklist: score, themes, what to discuss, and the verdict at its thresholds."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopcourse.calculations.readiness import (
    PROMISING_FROM_PERCENT,
    READY_FROM_PERCENT,
    Answer,
    Statement,
    Verdict,
    readiness_summary,
)
from coopcourse.errors import CourseInputError

TWO = (Statement("a", "need", "We share a need."), Statement("b", "people", "We trust each other."))
FOUR = (*TWO, Statement("c", "need", "We can say what we gain."), Statement("d", "people", "We give time."))


def test_thresholds_are_as_documented() -> None:
    assert READY_FROM_PERCENT == 75
    assert PROMISING_FROM_PERCENT == 50


@pytest.mark.parametrize(
    ("answers", "score", "verdict"),
    [
        # yes = 2 points, partly = 1, no = 0, out of 2 per statement.
        ({"a": "yes", "b": "yes"}, 100.0, Verdict.READY),
        ({"a": "yes", "b": "partly"}, 75.0, Verdict.READY),  # exactly 75: ready
        ({"a": "partly", "b": "partly"}, 50.0, Verdict.PROMISING),  # exactly 50: promising
        ({"a": "yes", "b": "no"}, 50.0, Verdict.PROMISING),
        ({"a": "partly", "b": "no"}, 25.0, Verdict.NOT_YET),
        ({"a": "no", "b": "no"}, 0.0, Verdict.NOT_YET),
    ],
)
def test_verdict_at_the_thresholds(answers: dict[str, str], score: float, verdict: Verdict) -> None:
    summary = readiness_summary(TWO, answers)
    assert summary.score_percent == score
    assert summary.verdict is verdict
    assert summary.answered == summary.total == 2


@pytest.mark.parametrize(
    ("answers", "verdict"),
    [
        # 8 points possible. yes, yes, yes, no = 6/8 = 75%: ready. yes, yes, partly, no = 5/8 = 62.5%.
        ({"a": "yes", "b": "yes", "c": "yes", "d": "no"}, Verdict.READY),
        ({"a": "yes", "b": "yes", "c": "partly", "d": "no"}, Verdict.PROMISING),
        # yes, partly, partly, partly = 5/8. yes, no, partly, no = 3/8 = 37.5%.
        ({"a": "yes", "b": "partly", "c": "partly", "d": "partly"}, Verdict.PROMISING),
        ({"a": "yes", "b": "no", "c": "partly", "d": "no"}, Verdict.NOT_YET),
    ],
)
def test_verdict_just_around_the_thresholds(answers: dict[str, str], verdict: Verdict) -> None:
    assert readiness_summary(FOUR, answers).verdict is verdict


def test_by_hand_themes_and_things_to_discuss() -> None:
    # need: a yes (2) + c no (0) = 2/4 = 50%; people: b partly (1) + d yes (2) = 3/4 = 75%.
    summary = readiness_summary(FOUR, {"a": "yes", "b": "partly", "c": "no", "d": Answer.YES})
    assert summary.theme_percent == {"need": 50.0, "people": 75.0}
    assert summary.score_percent == 62.5
    assert [s.id for s in summary.to_discuss] == ["b", "c"]  # in checklist order, not answer order


def test_partial_answers_are_incomplete_and_scored_over_what_is_answered() -> None:
    summary = readiness_summary(FOUR, {"a": "yes"})
    assert summary.verdict is Verdict.INCOMPLETE
    assert summary.score_percent == 100.0
    assert summary.answered == 1 and summary.total == 4
    assert summary.theme_percent == {"need": 100.0}
    empty = readiness_summary(FOUR, {})
    assert empty.verdict is Verdict.INCOMPLETE
    assert empty.score_percent == 0.0
    assert empty.theme_percent == {}


@pytest.mark.parametrize(
    ("statements", "answers"),
    [((), {}), (TWO, {"z": "yes"}), (TWO, {"a": "maybe"}), (TWO, {"a": None})],
)
def test_invalid_input_is_a_learner_message(statements, answers, learner_message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CourseInputError) as caught:
        readiness_summary(statements, answers)
    learner_message(caught.value.message)


@given(st.lists(st.sampled_from(list(Answer)), min_size=1, max_size=12), st.data())
def test_summary_properties(answers_list: list[Answer], data: st.DataObject) -> None:
    statements = tuple(Statement(f"s{i}", f"t{i % 3}", f"Statement {i}") for i in range(len(answers_list)))
    answered = data.draw(st.lists(st.booleans(), min_size=len(statements), max_size=len(statements)))
    answers = {s.id: a.value for s, a, keep in zip(statements, answers_list, answered) if keep}
    summary = readiness_summary(statements, answers)
    assert 0 <= summary.score_percent <= 100
    assert all(0 <= v <= 100 for v in summary.theme_percent.values())
    assert summary.answered == len(answers)
    assert {s.id for s in summary.to_discuss} == {k for k, v in answers.items() if v != "yes"}
    if len(answers) < len(statements):
        assert summary.verdict is Verdict.INCOMPLETE
    elif summary.score_percent >= 75:
        assert summary.verdict is Verdict.READY
    elif summary.score_percent >= 50:
        assert summary.verdict is Verdict.PROMISING
    else:
        assert summary.verdict is Verdict.NOT_YET


def test_a_score_shown_as_75_0_percent_is_ready() -> None:
    # 1,874 of 2,500 points is 74.96%, which the page shows as "75.0%": the verdict must say ready.
    statements = tuple(Statement(f"s{i}", "need", f"Statement {i}") for i in range(1_250))
    answers = {s.id: ("yes" if i < 624 else "partly") for i, s in enumerate(statements)}
    summary = readiness_summary(statements, answers)
    assert 74.95 < summary.score_percent < 75 and f"{summary.score_percent:.1f}%" == "75.0%"
    assert summary.verdict is Verdict.READY
