"""Self-check answers: choices and numbers, with the numeric tolerance."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopcourse.calculations.self_check import Choice, Question, check_choice, check_number
from coopcourse.errors import CourseInputError
from coopcourse.text import text

CHOICE = Question(
    "owners",
    "choice",
    "Who owns a cooperative?",
    ("Read the definition.",),
    "Its members.",
    choices=(Choice("a", "Its members", True, "Yes."), Choice("b", "The state", False, "No: autonomous.")),
)


def number_question(answer: float, tolerance: float = 0.0, **feedback: str) -> Question:
    return Question("n", "number", "How many?", ("Count.",), "Seven.", answer=answer, tolerance=tolerance, **feedback)


def test_choice_feedback() -> None:
    assert check_choice(CHOICE, "a").correct
    wrong = check_choice(CHOICE, "b")
    assert not wrong.correct
    assert wrong.feedback == "No: autonomous."


@pytest.mark.parametrize("choice", [None, "z", ""])
def test_no_or_unknown_choice_asks_to_choose(choice: str | None, learner_message) -> None:
    with pytest.raises(CourseInputError) as caught:
        check_choice(CHOICE, choice)
    assert caught.value.message == text("question.error_choose_first")
    assert caught.value.field == "owners"
    learner_message(caught.value.message)


def test_exact_numeric_answer() -> None:
    question = number_question(7, feedback_low="More.", feedback_high="Fewer.")
    assert check_number(question, 7).correct
    assert check_number(question, 7.0).feedback == text("question.correct")
    assert check_number(question, 6) == check_number(question, 6.9999)
    assert check_number(question, 6).feedback == "More."
    assert not check_number(question, 7.0001).correct
    assert check_number(question, 8).feedback == "Fewer."


def test_default_feedback_for_low_and_high() -> None:
    question = number_question(7)
    assert check_number(question, 1).feedback == text("question.too_low")
    assert check_number(question, 100).feedback == text("question.too_high")


@pytest.mark.parametrize(
    ("answer", "tolerance", "response", "correct"),
    [
        (7, 0.5, 6.5, True),  # the tolerance is inclusive on both sides
        (7, 0.5, 7.5, True),
        (7, 0.5, 7.51, False),
        (7, 0.5, 6.49, False),
        # Decimal edges that binary floats cannot hold exactly: 0.4 - 0.3 = 0.10000000000000003.
        (0.3, 0.1, 0.4, True),
        (0.3, 0.1, 0.2, True),
        (1.1, 0.2, 1.3, True),
        (1.1, 0.2, 0.9, True),
        (0.3, 0, 0.1 + 0.2, True),  # 0.30000000000000004 is 0.3 to anyone
        (0.3, 0.1, 0.41, False),
    ],
)
def test_numeric_tolerance(answer: float, tolerance: float, response: float, correct: bool) -> None:
    assert check_number(number_question(answer, tolerance), response).correct is correct


@pytest.mark.parametrize("response", [float("nan"), float("inf"), float("-inf")])
def test_non_finite_response_is_a_learner_message(response: float, learner_message) -> None:
    with pytest.raises(CourseInputError) as caught:
        check_number(number_question(7), response)
    learner_message(caught.value.message)


@given(
    st.floats(min_value=-1e6, max_value=1e6),
    st.floats(min_value=0, max_value=1e3),
    st.floats(min_value=-1e7, max_value=1e7),
)
def test_correct_exactly_within_tolerance(answer: float, tolerance: float, response: float) -> None:
    verdict = check_number(number_question(answer, tolerance, feedback_low="low", feedback_high="high"), response)
    distance = abs(response - answer)
    if distance <= tolerance:
        assert verdict.correct
    elif distance > tolerance * (1 + 1e-6) + 1e-9:
        assert not verdict.correct
        assert verdict.feedback == ("low" if response < answer else "high")
