"""Checking a learner's answer to a self-check question (multiple choice or numeric)."""

from __future__ import annotations

from dataclasses import dataclass

from coopcourse.calculations.validation import check_kind, checked
from coopcourse.calculations.validation import check_number as check_value
from coopcourse.errors import CourseInputError
from coopcourse.text import text


@dataclass(frozen=True)
@checked()
class Choice:
    id: str
    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
@checked()
class Question:
    id: str
    kind: str  # "choice" or "number"
    prompt: str
    hints: tuple[str, ...]
    explanation: str
    choices: tuple[Choice, ...] = ()
    answer: float | None = None
    tolerance: float = 0.0
    unit: str = ""
    feedback_low: str = ""
    feedback_high: str = ""
    feedback_correct: str = ""

    def __post_init__(self) -> None:
        label = text("question.question")
        check_value(self.tolerance, label, maximum=1e15, field=self.id)
        if self.answer is not None:
            check_value(self.answer, label, minimum=-1e15, maximum=1e15, field=self.id)


@dataclass(frozen=True)
@checked()
class Verdict:
    correct: bool
    feedback: str


def check_choice(question: Question, choice_id: str | None) -> Verdict:
    question = check_kind(question, Question, text("question.question"))
    if not isinstance(choice_id, str):
        raise CourseInputError(text("question.error_choose_first"), question.id)
    for choice in question.choices:
        if choice.id == choice_id:
            return Verdict(choice.correct, choice.feedback)
    raise CourseInputError(text("question.error_choose_first"), question.id)


def check_number(question: Question, response: float) -> Verdict:
    question = check_kind(question, Question, text("question.question"))
    if question.answer is None:
        raise CourseInputError(text("question.error_no_answer"), question.id)
    response = check_value(response, text("question.your_answer"), minimum=-1e15, maximum=1e15, field=question.id)
    # A hair of slack so that answers on the edge of the tolerance, or decimals that binary floats
    # cannot hold exactly (0.4 - 0.3 > 0.1), count as the learner meant them.
    slack = 1e-9 * max(1.0, abs(question.answer), question.tolerance)
    if abs(response - question.answer) <= question.tolerance + slack:
        return Verdict(True, question.feedback_correct or text("question.correct"))
    if response < question.answer:
        return Verdict(False, question.feedback_low or text("question.too_low"))
    return Verdict(False, question.feedback_high or text("question.too_high"))
