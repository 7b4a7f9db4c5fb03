"""Self-check questions: feedback for each answer, stepped hints, a revealable explanation.

A card's hints and explanation are built when first asked for: most are never opened, and a
page of cards otherwise sends two empty widgets per question."""

from __future__ import annotations

import html
from collections.abc import Sequence

import ipywidgets as widgets
import traitlets

from coopcourse.calculations import self_check
from coopcourse.calculations.self_check import Question
from coopcourse.calculations.validation import Bounds
from coopcourse.components import shared
from coopcourse.components.feedback import Feedback, Kind
from coopcourse.components.fields import NumberField
from coopcourse.errors import CourseInputError
from coopcourse.text import text


class QuestionCard(widgets.VBox):
    """``value`` holds the learner's answer (choice id or number) and whether it was right."""

    value = traitlets.Dict()
    correct = traitlets.Bool(False)

    def __init__(self, question: Question, number: int | None = None) -> None:
        self.question = question
        heading = f"{number}. " if number is not None else ""
        self.prompt = shared.html(f'<p class="coop-question">{html.escape(heading + question.prompt)}</p>')
        self.answer_input: widgets.RadioButtons | NumberField
        if question.kind == "choice":
            self.answer_input = widgets.RadioButtons(
                options=[(choice.text, choice.id) for choice in question.choices],
                value=None,
                description=text("question.your_answer"),
                style=shared.style(widgets.RadioButtons, description_width="initial"),
                layout=shared.layout(width="auto"),
            )
        else:
            label = text("question.your_answer")
            self.answer_input = NumberField(label, 0, Bounds(minimum=None), unit=question.unit)
        self.check_button = shared.button(description=text("question.check"), button_style="primary", icon="check")
        self.hint_button = shared.button(
            description=text("question.hint_button", shown=0, total=len(question.hints)),
            icon="lightbulb-o",
            disabled=not question.hints,
        )
        self.explain_button = shared.button(description=text("question.show_explanation"), icon="book")
        self.feedback = Feedback()
        self._hints: widgets.HTML | None = None
        self._explanation: widgets.HTML | None = None
        self.hints_shown = 0
        self.attempts = 0
        buttons = shared.hbox(
            [self.check_button, self.hint_button, self.explain_button], layout=shared.layout(flex_flow="row wrap")
        )
        self.answering: list[widgets.Widget] = [self.answer_input, buttons]
        self.voting: list[widgets.Widget] = []  # built when the group first chooses oral mode
        self.middle = self.answering
        super().__init__(self._children(), layout=shared.layout())
        self.add_class("coop-question-card")
        self.check_button.on_click(lambda _b: self.check())
        self.hint_button.on_click(lambda _b: self.next_hint())
        self.explain_button.on_click(lambda _b: self.reveal_explanation())

    def _children(self) -> list[widgets.Widget]:
        opened = [w for w in (self._hints, self._explanation) if w is not None]
        return [self.prompt, *self.middle, self.feedback, *opened]

    @property
    def hints(self) -> widgets.HTML:
        """The hints shown so far (made, under the feedback, by the first hint)."""
        if self._hints is None:
            self._hints = shared.html()
            self.children = self._children()
        return self._hints

    @property
    def explanation(self) -> widgets.HTML:
        """The explanation (made, under the hints, when first revealed)."""
        if self._explanation is None:
            self._explanation = shared.html()
            self.children = self._children()
        return self._explanation

    def check(self) -> None:
        try:
            if self.question.kind == "choice":
                verdict = self_check.check_choice(self.question, self.answer_input.value)
                answer: object = self.answer_input.value
            else:
                assert isinstance(self.answer_input, NumberField)
                if not self.answer_input.valid:
                    raise CourseInputError(self.answer_input.error, self.question.id)
                number: float = self.answer_input.value
                answer = number
                verdict = self_check.check_number(self.question, number)
        except CourseInputError as error:
            self.feedback.show("warning", error.message)
            return
        self.attempts += 1
        self.correct = verdict.correct
        self.value = {"answer": answer, "correct": verdict.correct, "attempts": self.attempts}
        self.feedback.show("success" if verdict.correct else "error", verdict.feedback)

    def next_hint(self) -> None:
        total = len(self.question.hints)
        if self.hints_shown < total:
            self.hints_shown += 1
        items = "".join(f"<li>{html.escape(h)}</li>" for h in self.question.hints[: self.hints_shown])
        self.hints.value = f'<ol class="coop-hints" aria-label="{html.escape(text("question.hints"))}">{items}</ol>'
        self.hint_button.description = text("question.hint_button", shown=self.hints_shown, total=total)
        self.hint_button.disabled = self.hints_shown >= total

    def set_oral(self, oral: bool) -> None:
        """Oral mode: the question and its answers are read aloud, everyone shows an answer by a
        show of hands, and only then does the group see the buttons (``voted``)."""
        if oral and not self.voting:
            if self.question.kind == "choice":
                items = "".join(f"<li>{html.escape(choice.text)}</li>" for choice in self.question.choices)
                how = text("question.oral_choice")
                listing = f'<p class="coop-instructions">{html.escape(how)}</p><ol class="coop-vote">{items}</ol>'
            else:
                listing = f'<p class="coop-instructions">{html.escape(text("question.oral_number"))}</p>'
            voted = shared.button(description=text("question.oral_voted"), icon="hand-paper-o")
            voted.on_click(lambda _b: self.voted())
            self.voting = [shared.html(listing), voted]
        self.middle = self.voting if oral and not self.attempts else self.answering
        self.children = self._children()

    def voted(self) -> None:
        self.middle = self.answering
        self.children = self._children()

    def reveal_explanation(self) -> None:
        self.explanation.value = (
            f'<div class="coop-explanation"><strong>{html.escape(text("question.explanation"))}</strong> '
            f"{html.escape(self.question.explanation)}</div>"
        )
        self.explain_button.disabled = True


class QuizAnswers(widgets.Box):
    """The answers a group checked, ``{question id: answer}``, as a field of the self-check, so they
    are saved with the group's work (the plenary view shows each group's score). Not shown: the
    question cards show them. Setting ``value`` (saved work coming back) puts each answer back in
    its card and checks it again."""

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


class Quiz(widgets.VBox):
    """A set of question cards with a running score."""

    def __init__(self, questions: Sequence[Question]) -> None:
        self.cards = [QuestionCard(question, number) for number, question in enumerate(questions, 1)]
        self.score = Feedback()
        self.answers = QuizAnswers(self.cards)
        self._restoring = False
        for card in self.cards:
            card.observe(lambda _change: self._checked(), names="value")
        self.answers.observe(self._restore, names="value")
        self.oral = widgets.Checkbox(
            value=False,
            description=text("question.oral_mode"),
            indent=False,
            layout=shared.layout(),
            style=shared.style(widgets.Checkbox),
        )
        self.oral.observe(lambda change: self.set_oral(bool(change["new"])), names="value")
        super().__init__([self.oral, *self.cards, self.score, self.answers], layout=shared.layout())
        self._update_score()

    def set_oral(self, oral: bool) -> None:
        for card in self.cards:
            card.set_oral(oral)

    def _checked(self) -> None:
        self._update_score()
        if not self._restoring:
            self.answers.value = {card.question.id: card.value["answer"] for card in self.cards if card.value}

    def _restore(self, change: dict) -> None:
        """Saved answers: each one back in its card, checked (feedback and score as they were)."""
        if self._restoring:
            return
        self._restoring = True
        try:
            for card in self.cards:
                answer = change["new"].get(card.question.id)
                if answer is None or (card.value and card.value.get("answer") == answer):
                    continue
                card.answer_input.value = answer
                card.check()
                card.set_oral(self.oral.value)  # an answered question shows its answer, oral mode or not
        finally:
            self._restoring = False

    @property
    def correct_count(self) -> int:
        return sum(card.correct for card in self.cards)

    def _update_score(self) -> None:
        total, right = len(self.cards), self.correct_count
        tried = sum(1 for card in self.cards if card.attempts)
        kind: Kind = "success" if right == total else "info"
        self.score.show(kind, text("question.score", right=right, total=total, tried=tried))
