"""Self-check quizzes (``coopcourse.exercises.self_check``): a set of a question bank, its title
from the data, an exercise id that can never be an exercise's id."""

from __future__ import annotations

import ipywidgets as widgets
import pytest

from coopcourse import content
from coopcourse.components import Quiz
from coopcourse.exercises.self_check import quiz_id, self_check
from coopcourse.text import text
from tests.components.frames import all_html, exercise_builders, results

SETS = [
    (name.removeprefix("questions/"), set_id)
    for name in content.content_files()
    if name.startswith("questions/")
    for set_id in content.load(name)["sets"]
]


def test_every_question_bank_has_sets() -> None:
    banks = {bank for bank, _ in SETS}
    assert {"think_coop", "start_coop", "manage_governance"} <= banks
    assert len(SETS) >= 15


@pytest.fixture(scope="module")
def exercise_ids() -> list[str]:
    return [build().exercise_id for build in exercise_builders().values()]


def test_the_exercises_are_all_found_and_have_distinct_ids(exercise_ids: list[str]) -> None:
    assert len(exercise_ids) >= 20
    assert "start_coop.feasibility" in exercise_ids and "think_coop.joint_purchasing" in exercise_ids
    assert len(set(exercise_ids)) == len(exercise_ids)


@pytest.mark.parametrize(("bank", "set_id"), SETS, ids=[f"{bank}.{set_id}" for bank, set_id in SETS])
def test_a_self_check_shows_its_title_from_the_data_under_an_id_no_exercise_has(
    bank: str, set_id: str, exercise_ids: list[str]
) -> None:
    frame = self_check(bank, set_id)
    title = content.load(f"questions/{bank}")["sets"][set_id]["title"]
    assert f'<h3 class="coop-title">{title}</h3>' in all_html(frame)  # titles are plain words: no escaping
    assert text("question.instructions") in all_html(frame)
    assert frame.exercise_id == quiz_id(bank, set_id) == f"quiz.{bank}.{set_id}"
    # Work is saved under the exercise id: a quiz must never share it with an exercise
    # ("start_coop.feasibility" is the feasibility calculator).
    assert frame.exercise_id not in exercise_ids
    quiz = results(frame)[0]
    assert [card.question.id for card in quiz.cards] == [
        q["id"] for q in content.load(f"questions/{bank}")["sets"][set_id]["questions"]
    ]


def test_self_check_quiz_from_the_question_bank() -> None:
    frame = self_check("think_coop", "definition")
    quiz = results(frame)[0]
    card = quiz.cards[0]
    assert card.question.id == "definition-owners"
    total = len(quiz.cards)
    card.answer_input.value = "c"
    card.check_button.click()
    assert card.feedback.kind == "error"
    assert "investor-owned" in card.feedback.message
    assert quiz.score.message == text("question.score", right=0, total=total, tried=1)
    card.answer_input.value = "a"
    card.check_button.click()
    assert card.feedback.kind == "success"
    assert quiz.score.message == text("question.score", right=1, total=total, tried=1)


def test_self_check_numeric_question() -> None:
    frame = self_check("think_coop", "principles")
    card = results(frame)[0].cards[0]
    assert card.question.kind == "number" and card.question.answer == 7
    card.answer_input.entry.value = "5"
    card.check_button.click()
    assert card.feedback.message == "There are more than that."
    card.answer_input.entry.value = "7"
    card.check_button.click()
    assert card.feedback.kind == "success"


def test_self_check_has_the_governance_questions() -> None:
    frame = self_check("manage_governance", "roles_and_rules")
    quiz = results(frame)[0]
    assert len(quiz.cards) == 8
    card = quiz.cards[3]  # quorum: 40 members x 25%
    card.answer_input.entry.value = "10"
    card.check_button.click()
    assert card.feedback.kind == "success"


def test_oral_mode_waits_for_the_show_of_hands_before_the_buttons() -> None:
    frame = self_check("think_coop", "relationships")
    (quiz,) = [w for w in results(frame) if isinstance(w, Quiz)]
    card = quiz.cards[0]
    assert card.answer_input in card.children and quiz.oral.value is False
    quiz.oral.value = True
    shown = [w for box in card.children for w in (box, *getattr(box, "children", ()))]
    assert card.answer_input not in shown and card.check_button not in shown
    listing = card.children[1].value
    for number, choice in enumerate(card.question.choices, 1):
        assert f"<li>{choice.text}" in listing.replace("&#x27;", "'"), f"answer {number} is read aloud"
    assert "one finger for answer 1" in listing
    (voted,) = [w for w in card.children if isinstance(w, widgets.Button)]
    voted.click()
    assert card.answer_input in card.children
    card.answer_input.value = next(c.id for c in card.question.choices if c.correct)
    card.check()
    assert quiz.correct_count == 1
    quiz.oral.value = False
    quiz.oral.value = True  # a question already answered keeps its answer in view
    assert card.answer_input in card.children and quiz.cards[1].answer_input not in quiz.cards[1].children


def test_oral_mode_for_a_number_question_asks_for_paper_first() -> None:
    number_sets = [(b, s) for b, s in SETS if any(q.kind == "number" for q in content.question_set(b, s).questions)]
    bank, set_id = number_sets[0]
    (quiz,) = [w for w in results(self_check(bank, set_id)) if isinstance(w, Quiz)]
    card = next(c for c in quiz.cards if c.question.kind == "number")
    quiz.oral.value = True
    assert "on paper" in card.children[1].value and card.answer_input not in card.children
