"""Is a cooperative right for us? A checklist tally that points the group to what to discuss."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum

from coopcourse.calculations.rounding import shown
from coopcourse.calculations.validation import (
    check_choice,
    check_items,
    check_kind,
    check_mapping,
    checked,
)
from coopcourse.errors import CourseInputError
from coopcourse.text import text


class Answer(str, Enum):
    YES = "yes"
    PARTLY = "partly"
    NO = "no"

    @property
    def points(self) -> int:
        return {Answer.YES: 2, Answer.PARTLY: 1, Answer.NO: 0}[self]


@dataclass(frozen=True)
@checked()
class Statement:
    id: str
    theme: str
    text: str


class Verdict(str, Enum):
    INCOMPLETE = "incomplete"
    READY = "ready"
    PROMISING = "promising"
    NOT_YET = "not_yet"


@dataclass(frozen=True)
@checked()
class ReadinessSummary:
    answered: int
    total: int
    score_percent: float
    theme_percent: Mapping[str, float]
    to_discuss: tuple[Statement, ...]
    verdict: Verdict


READY_FROM_PERCENT = 75.0
PROMISING_FROM_PERCENT = 50.0


def readiness_summary(statements: Sequence[Statement], answers: Mapping[str, Answer | str]) -> ReadinessSummary:
    """Sum up the answers: a score over the answered statements, a score per theme, and the
    statements answered "no" or "partly" as the list of things to talk over."""
    label = text("readiness.statements")
    statements = tuple(check_kind(s, Statement, label) for s in check_items(statements, label))
    answers = check_mapping(answers, text("readiness.answers"))
    if not statements:
        raise CourseInputError(text("readiness.error_no_statements"))
    known = {statement.id for statement in statements}
    parsed: dict[str, Answer] = {}
    for statement_id, answer in answers.items():
        if statement_id not in known:
            raise CourseInputError(text("readiness.error_unknown_statement"))
        try:
            parsed[statement_id] = check_choice(answer, Answer, text("readiness.answers"))
        except CourseInputError:
            raise CourseInputError(text("readiness.error_unknown_answer")) from None

    theme_points: dict[str, list[int]] = {}
    for statement in statements:
        if statement.id in parsed:
            theme_points.setdefault(statement.theme, []).append(parsed[statement.id].points)
    earned = sum(sum(values) for values in theme_points.values())
    answered = len(parsed)
    score = 100.0 * earned / (2 * answered) if answered else 0.0
    theme_percent = {theme: 100.0 * sum(values) / (2 * len(values)) for theme, values in theme_points.items()}
    to_discuss = tuple(s for s in statements if parsed.get(s.id) in (Answer.NO, Answer.PARTLY))
    if answered < len(statements):
        verdict = Verdict.INCOMPLETE
    elif shown(score, 1) >= READY_FROM_PERCENT:  # as the page shows the score: 74.96% is "75.0%"
        verdict = Verdict.READY
    elif shown(score, 1) >= PROMISING_FROM_PERCENT:
        verdict = Verdict.PROMISING
    else:
        verdict = Verdict.NOT_YET
    return ReadinessSummary(answered, len(statements), score, theme_percent, to_discuss, verdict)
