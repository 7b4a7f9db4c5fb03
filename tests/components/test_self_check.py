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
    card.put_answer("c")
    card.check()
    assert card.feedback.kind == "error"
    assert "investor-owned" in card.feedback.message
    assert quiz.score.message == text("question.score", right=0, total=total, tried=1)
    card.put_answer("a")
    card.check()
    assert card.feedback.kind == "success"
    assert quiz.score.message == text("question.score", right=1, total=total, tried=1)


def test_self_check_numeric_question() -> None:
    frame = self_check("think_coop", "principles")
    card = results(frame)[0].cards[0]
    assert card.question.kind == "number" and card.question.answer == 7
    card.type_answer("5")
    card.check()
    assert card.feedback.message == "There are more than that."
    card.type_answer("7")
    card.check()
    assert card.feedback.kind == "success"


def test_self_check_has_the_governance_questions() -> None:
    frame = self_check("manage_governance", "roles_and_rules")
    quiz = results(frame)[0]
    assert len(quiz.cards) == 8
    card = quiz.cards[3]  # quorum: 40 members x 25%
    card.type_answer("10")
    card.check()
    assert card.feedback.kind == "success"


def _device(quiz: Quiz, event: str, card: int, **rest: object) -> None:
    """What the quiz's view sends when the group chooses, types or presses something."""
    quiz._on_device_message(quiz, {"event": event, "card": card, **rest}, [])


def test_oral_mode_waits_for_the_show_of_hands_before_the_buttons() -> None:
    frame = self_check("think_coop", "relationships")
    (quiz,) = [w for w in results(frame) if isinstance(w, Quiz)]
    card = quiz.cards[0]
    assert quiz.oral is False and quiz.card_states[0]["voting"] is False
    quiz.oral = True  # the view's tick box sets the trait
    assert quiz.card_states[0]["voting"] is True
    listing = quiz.card_specs[0]["voting"]
    for number, choice in enumerate(card.question.choices, 1):
        assert f"<li>{choice.text}" in listing.replace("&#x27;", "'"), f"answer {number} is read aloud"
    assert "one finger for answer 1" in listing
    _device(quiz, "voted", 0)
    assert quiz.card_states[0]["voting"] is False
    _device(quiz, "chosen", 0, value=next(c.id for c in card.question.choices if c.correct))
    _device(quiz, "check", 0)
    assert quiz.correct_count == 1
    quiz.oral = False
    quiz.oral = True  # a question already answered keeps its answer in view
    assert quiz.card_states[0]["voting"] is False and quiz.card_states[1]["voting"] is True


def test_oral_mode_for_a_number_question_asks_for_paper_first() -> None:
    number_sets = [(b, s) for b, s in SETS if any(q.kind == "number" for q in content.question_set(b, s).questions)]
    bank, set_id = number_sets[0]
    (quiz,) = [w for w in results(self_check(bank, set_id)) if isinstance(w, Quiz)]
    index = next(i for i, c in enumerate(quiz.cards) if c.question.kind == "number")
    quiz.oral = True
    assert "on paper" in quiz.card_specs[index]["voting"] and quiz.card_states[index]["voting"]


def test_a_quiz_is_one_widget_model_whatever_its_length() -> None:
    """Each question used to be nine models; the whole quiz is now drawn from one (and the saved
    answers are one more, hidden)."""
    models = widgets.widget._instances  # every live widget model of the kernel, by id
    before = set(models)
    quiz = Quiz(content.question_set("manage_governance", "roles_and_rules").questions)
    made = [models[key] for key in set(models) - before]
    assert len(quiz.cards) == 8
    assert sorted(type(w).__name__ for w in made if not isinstance(w, widgets.Layout)) == ["Quiz", "QuizAnswers"]


def test_the_device_drives_the_quiz_through_its_messages() -> None:
    (quiz,) = [w for w in results(self_check("think_coop", "principles")) if isinstance(w, Quiz)]
    number = quiz.cards[0]
    assert number.question.kind == "number" and number.question.answer == 7
    _device(quiz, "typed", 0, value="seven")
    assert quiz.card_states[0]["error"] and quiz.card_states[0]["typed"] == "seven"
    _device(quiz, "check", 0)
    assert number.feedback.kind == "warning" and number.attempts == 0  # a slip is not an attempt
    _device(quiz, "typed", 0, value="7")
    assert quiz.card_states[0]["error"] == ""
    _device(quiz, "check", 0)
    assert number.feedback.kind == "success" and quiz.card_states[0]["feedback"] == number.feedback.html
    assert quiz.answers.value == {number.question.id: 7}
    _device(quiz, "hint", 0)
    assert number.question.hints[0].split()[0] in quiz.card_states[0]["hints"]
    _device(quiz, "explain", 0)
    assert quiz.card_states[0]["explain_disabled"] and "coop-explanation" in quiz.card_states[0]["explanation"]
    assert text("question.score", right=1, total=len(quiz.cards), tried=1) in quiz.score_html


@pytest.mark.parametrize(
    "content",
    [
        None,
        "check",
        {"event": "check"},
        {"event": "check", "card": 99},
        {"event": "check", "card": -1},
        {"event": "check", "card": True},
        {"event": "check", "card": "0"},
        {"event": "erase", "card": 1},
        {"event": "chosen", "card": 1, "value": "not-a-choice"},
        {"event": "chosen", "card": 1, "value": ["a"]},
        {"event": "typed", "card": 1, "value": 7},
        {"event": "typed", "card": 0, "value": None},
    ],
)
def test_a_message_the_quiz_cannot_take_changes_nothing(content: object) -> None:
    (quiz,) = [w for w in results(self_check("think_coop", "principles")) if isinstance(w, Quiz)]
    before = (list(quiz.card_states), quiz.score_html, dict(quiz.answers.value))
    quiz._on_device_message(quiz, content, [])
    assert (list(quiz.card_states), quiz.score_html, dict(quiz.answers.value)) == before


def test_very_long_typing_is_cut_and_refused_in_words() -> None:
    (quiz,) = [w for w in results(self_check("think_coop", "principles")) if isinstance(w, Quiz)]
    _device(quiz, "typed", 0, value="9" * 100_000)
    state = quiz.card_states[0]
    assert len(state["typed"]) <= 200
    _device(quiz, "check", 0)
    assert quiz.cards[0].feedback.kind in {"warning", "error"} and quiz.cards[0].attempts <= 1
