"""Self-check questions: feedback for each answer, stepped hints, a revealable explanation, an
oral mode for groups that vote by a show of hands, and a running score.

A whole quiz is one widget model drawn by ``quiz.js``: as separate ipywidgets each question cost
nine models (a box, the prompt, the answer's radio buttons or field, a row of three buttons, the
feedback), and every course page has a quiz of three to eight questions. The kernel keeps the
answers, every check and every word (each piece of text escaped here); the device draws the
controls and sends what is chosen, typed or pressed."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from importlib import resources
from typing import Any

import anywidget
import ipywidgets as widgets
import traitlets

from coopcourse.calculations import self_check
from coopcourse.calculations.self_check import Question
from coopcourse.calculations.validation import Bounds
from coopcourse.components import shared
from coopcourse.components.feedback import FeedbackLine, Kind
from coopcourse.components.fields import format_number
from coopcourse.errors import CourseInputError
from coopcourse.text import text

# Longer typing from a device is cut before it is read as a number.
LONGEST_TYPED = 200
ANY_NUMBER = Bounds(minimum=None)


class QuestionCard(traitlets.HasTraits):
    """One question: ``value`` holds the learner's last checked answer (choice id or number),
    whether it was right and the attempts; ``correct`` whether the last check was right. What the
    device shows of the card is ``spec()`` (fixed) and ``state()`` (changes with every action)."""

    value = traitlets.Dict()
    correct = traitlets.Bool(False)

    def __init__(self, question: Question, number: int | None = None, changed: Callable[[], None] = lambda: None):
        super().__init__()
        self.question = question
        self._changed = changed
        heading = f"{number}. " if number is not None else ""
        self.prompt_html = f'<p class="coop-question">{html.escape(heading + question.prompt)}</p>'
        unit = question.unit if question.kind == "number" else ""
        label = text("question.your_answer")
        self.answer_label = f"{label} ({unit})" if unit else label
        self.chosen: str | None = None  # a choice question's answer, by choice id
        self.typed = format_number(0)  # a number question's box, as typed
        self.typing_error = ""  # what is wrong with ``typed`` ("" if it is a number)
        self.feedback = FeedbackLine()
        self.hints_shown = 0
        self.explained = False
        self.attempts = 0
        self.voting = False  # oral mode: the question read aloud, the answer buttons not shown yet

    # --- What the learner does (the quiz's view sends these; tests call them directly) ---------

    def choose(self, choice_id: object) -> None:
        """A choice question's answer. An id the question does not have (a forged or stale
        message) is ignored: the answer chosen before stays."""
        if self.question.kind == "choice" and any(choice_id == choice.id for choice in self.question.choices):
            self.chosen = str(choice_id)
            self._changed()

    def type_answer(self, typed: object) -> None:
        """What is in a number question's box; a slip is said under the box and keeps nothing."""
        if self.question.kind != "number" or not isinstance(typed, str):
            return
        self.typed = typed[:LONGEST_TYPED]
        try:
            self._typed_number()
        except CourseInputError as error:
            self.typing_error = error.message
        else:
            self.typing_error = ""
        self._changed()

    def put_answer(self, answer: object) -> None:
        """A saved answer back in its place (a choice id, or a number written in the box)."""
        if self.question.kind == "choice":
            self.choose(answer)
        elif isinstance(answer, int | float) and not isinstance(answer, bool):
            self.type_answer(format_number(answer))

    def check(self) -> None:
        try:
            if self.question.kind == "choice":
                verdict = self_check.check_choice(self.question, self.chosen)  # type: ignore[arg-type]
                answer: object = self.chosen
            else:
                number = self._typed_number()
                answer = number
                verdict = self_check.check_number(self.question, number)
        except CourseInputError as error:
            self.feedback.show("warning", error.message)
            self._changed()
            return
        self.attempts += 1
        self.correct = verdict.correct
        self.feedback.show("success" if verdict.correct else "error", verdict.feedback)
        self.value = {"answer": answer, "correct": verdict.correct, "attempts": self.attempts}
        self._changed()

    def _typed_number(self) -> float:
        """The number in the box, or a ``CourseInputError`` that says what is wrong with it."""
        return ANY_NUMBER.read(self.typed, self.answer_label)

    def next_hint(self) -> None:
        self.hints_shown = min(self.hints_shown + 1, len(self.question.hints))
        self._changed()

    def reveal_explanation(self) -> None:
        self.explained = True
        self._changed()

    def set_oral(self, oral: bool) -> None:
        """Oral mode: the question and its answers are read aloud, everyone shows an answer by a
        show of hands, and only then does the group see the buttons (``voted``). A question
        already answered keeps its answer in view."""
        self.voting = oral and not self.attempts
        self._changed()

    def voted(self) -> None:
        self.voting = False
        self._changed()

    # --- What the device draws --------------------------------------------------------------------

    @property
    def hints_html(self) -> str:
        """The hints shown so far, as a numbered list ("" before the first)."""
        if not self.hints_shown:
            return ""
        items = "".join(f"<li>{html.escape(h)}</li>" for h in self.question.hints[: self.hints_shown])
        return f'<ol class="coop-hints" aria-label="{html.escape(text("question.hints"))}">{items}</ol>'

    @property
    def explanation_html(self) -> str:
        if not self.explained:
            return ""
        return (
            f'<div class="coop-explanation"><strong>{html.escape(text("question.explanation"))}</strong> '
            f"{html.escape(self.question.explanation)}</div>"
        )

    @property
    def hint_label(self) -> str:
        return text("question.hint_button", shown=self.hints_shown, total=len(self.question.hints))

    def _voting_html(self) -> str:
        if self.question.kind == "choice":
            items = "".join(f"<li>{html.escape(choice.text)}</li>" for choice in self.question.choices)
            how = html.escape(text("question.oral_choice"))
            return f'<p class="coop-instructions">{how}</p><ol class="coop-vote">{items}</ol>'
        return f'<p class="coop-instructions">{html.escape(text("question.oral_number"))}</p>'

    def spec(self) -> dict[str, Any]:
        """What does not change: the prompt, the answers to choose from, the buttons' words."""
        return {
            "prompt": self.prompt_html,
            "kind": self.question.kind,
            "answer_label": self.answer_label,
            "choices": [[choice.text, choice.id] for choice in self.question.choices],
            "check_label": text("question.check"),
            "explain_label": text("question.show_explanation"),
            "voting": self._voting_html(),
            "voted_label": text("question.oral_voted"),
        }

    def state(self) -> dict[str, Any]:
        """What changes as the group works through the question."""
        return {
            "chosen": self.chosen,
            "typed": self.typed,
            "error": self.typing_error,
            "voting": self.voting,
            "hint_label": self.hint_label,
            "hint_disabled": self.hints_shown >= len(self.question.hints),
            "explain_disabled": self.explained,
            "feedback": self.feedback.html,
            "hints": self.hints_html,
            "explanation": self.explanation_html,
        }


class QuizAnswers(widgets.Box):
    """The answers a group checked, ``{question id: answer}``, as a field of the self-check, so they
    are saved with the group's work (the plenary view shows each group's score). Not shown: the
    quiz shows them. Setting ``value`` (saved work coming back) puts each answer back in its card
    and checks it again."""

    value = traitlets.Dict()

    def __init__(self, cards: Sequence[QuestionCard]) -> None:
        super().__init__(layout=shared.layout(display="none"))
        self.cards = {card.question.id: card for card in cards}

    def check_saved(self, value: object) -> dict[str, object]:
        """``value`` if every answer is one its question can take, else a ``CourseInputError``."""
        if not isinstance(value, dict):
            raise CourseInputError(text("question.error_choose_first"))
        for question_id, answer in value.items():
            card = self.cards.get(question_id)
            if card is None:
                continue  # a question the bank no longer has: left out below
            question = card.question
            if question.kind == "choice":
                self_check.check_choice(question, answer)  # type: ignore[arg-type]
            else:
                Bounds(minimum=-1e15, maximum=1e15).check(answer, text("question.your_answer"))
        return {key: answer for key, answer in value.items() if key in self.cards}


class Quiz(anywidget.AnyWidget):
    """A set of questions with a running score, drawn as one widget (``quiz.js``)."""

    _esm = (resources.files("coopcourse") / "components" / "quiz.js").read_text(encoding="utf-8")

    oral = traitlets.Bool(False).tag(sync=True)
    oral_label = traitlets.Unicode().tag(sync=True)
    card_specs: traitlets.List[dict[str, Any]] = traitlets.List(traitlets.Dict()).tag(sync=True)
    card_states: traitlets.List[dict[str, Any]] = traitlets.List(traitlets.Dict()).tag(sync=True)
    score_html = traitlets.Unicode().tag(sync=True)

    def __init__(self, questions: Sequence[Question]) -> None:
        self._restoring = False
        self._quiet = True  # no drawing while the cards are made
        self.cards = [QuestionCard(question, number, self._publish) for number, question in enumerate(questions, 1)]
        self.score = FeedbackLine()
        self.answers = QuizAnswers(self.cards)
        super().__init__(
            oral_label=text("question.oral_mode"),
            card_specs=[card.spec() for card in self.cards],
            layout=shared.layout(),
        )
        self.add_class("coop-quiz")
        for card in self.cards:
            card.observe(lambda _change: self._checked(), names="value")
        self.answers.observe(self._restore, names="value")
        self.observe(lambda change: self.set_oral(bool(change["new"])), names="oral")
        self.on_msg(self._on_device_message)
        self._quiet = False
        self._update_score()  # and the first drawing

    def set_oral(self, oral: bool) -> None:
        self._quiet = True
        try:
            for card in self.cards:
                card.set_oral(oral)
        finally:
            self._quiet = False
        self._publish()

    @property
    def correct_count(self) -> int:
        return sum(card.correct for card in self.cards)

    def _publish(self) -> None:
        if not self._quiet:
            with self.hold_sync():
                self.card_states = [card.state() for card in self.cards]
                self.score_html = self.score.html

    def _checked(self) -> None:
        self._update_score()
        if not self._restoring:
            self.answers.value = {card.question.id: card.value["answer"] for card in self.cards if card.value}

    def _restore(self, change: dict) -> None:
        """Saved answers: each one back in its card, checked (feedback and score as they were)."""
        if self._restoring:
            return
        self._restoring = True
        self._quiet = True
        try:
            for card in self.cards:
                answer = change["new"].get(card.question.id)
                if answer is None or (card.value and card.value.get("answer") == answer):
                    continue
                card.put_answer(answer)
                card.check()
                card.set_oral(self.oral)  # an answered question shows its answer, oral mode or not
        finally:
            self._restoring = False
            self._quiet = False
        self._publish()

    def _update_score(self) -> None:
        total, right = len(self.cards), self.correct_count
        tried = sum(1 for card in self.cards if card.attempts)
        kind: Kind = "success" if right == total else "info"
        self.score.show(kind, text("question.score", right=right, total=total, tried=tried))
        self._publish()

    def _on_device_message(self, _widget: object, content: object, _buffers: object) -> None:
        """What the device sends: ``{"event": e, "card": i}`` with e one of ``check``, ``hint``,
        ``explain``, ``voted``, or ``chosen`` / ``typed`` with a ``value``. Anything else is
        ignored: a page cannot break the quiz."""
        if not isinstance(content, dict):
            return
        index = content.get("card")
        if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(self.cards):
            return
        card = self.cards[index]
        actions: dict[object, Callable[[], None]] = {
            "check": card.check,
            "hint": card.next_hint,
            "explain": card.reveal_explanation,
            "voted": card.voted,
            "chosen": lambda: card.choose(content.get("value")),
            "typed": lambda: card.type_answer(content.get("value")),
        }
        action = actions.get(content.get("event"))
        if action is not None:
            action()
