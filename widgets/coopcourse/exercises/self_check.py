"""Self-check questions: one set of a question bank, shown as a quiz.

A notebook shows one with ``self_check("<bank>", "<set id>")``; the bank is
``content/<language>/questions/<bank>.yaml`` and the set there gives the title and the questions.
"""

from __future__ import annotations

from coopcourse import content
from coopcourse.components import ExerciseFrame, Quiz
from coopcourse.text import text

QUIZ_PREFIX = "quiz."


def quiz_id(bank: str, set_id: str) -> str:
    """The exercise id of a self-check. The ``quiz.`` prefix keeps it apart from every exercise id
    (``start_coop.feasibility`` is an exercise; its self-check is ``quiz.start_coop.feasibility``)."""
    return f"{QUIZ_PREFIX}{bank}.{set_id}"


def self_check(bank: str, set_id: str) -> ExerciseFrame:
    """Set ``set_id`` of the question bank ``bank`` as a quiz, under the title the set gives."""
    questions = content.question_set(bank, set_id)
    quiz = Quiz(questions.questions)
    frame = ExerciseFrame(
        quiz_id(bank, set_id), questions.title, text("question.instructions"), {"answers": quiz.answers}, [quiz]
    )
    # The answers checked are saved with the group's work (and come back with it); nothing else to update.
    return frame.bind(lambda: None)
