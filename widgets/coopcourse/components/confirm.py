"""A button that asks once before doing something that replaces the learner's work.

The confirm and cancel buttons are made the first time they are needed (most learners never load
an example), then shown and hidden."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from coopcourse.components import shared
from coopcourse.components.feedback import Feedback
from coopcourse.text import text


class ConfirmButton(widgets.VBox):
    def __init__(self, label: str, action: Callable[[], object], warning: str) -> None:
        self.action = action
        self.warning = warning
        self.button = shared.button(description=label, layout=shared.layout(width="auto"))
        self._answers: tuple[widgets.Button, widgets.Button] | None = None
        self.note = Feedback()
        self.row = shared.hbox([self.button], layout=shared.layout(flex_flow="row wrap"))
        super().__init__([self.row, self.note], layout=shared.layout())
        self.button.on_click(lambda _b: self._ask())

    def _make_answers(self) -> tuple[widgets.Button, widgets.Button]:
        if self._answers is None:
            confirm = shared.button(
                description=text("confirm.accept"),
                button_style="warning",
                layout=widgets.Layout(width="auto", display="none"),  # its own: shown and hidden
            )
            cancel = shared.button(
                description=text("confirm.cancel"), layout=widgets.Layout(width="auto", display="none")
            )
            confirm.on_click(lambda _b: self._do())
            cancel.on_click(lambda _b: self._reset())
            self._answers = (confirm, cancel)
            self.row.children = (self.button, confirm, cancel)
        return self._answers

    @property
    def confirm(self) -> widgets.Button:
        return self._make_answers()[0]

    @property
    def cancel(self) -> widgets.Button:
        return self._make_answers()[1]

    def _ask(self) -> None:
        self.note.show("warning", self.warning)
        self.confirm.layout.display = self.cancel.layout.display = None

    def _do(self) -> None:
        self._reset()
        self.action()

    def _reset(self) -> None:
        self.note.clear()
        if self._answers is not None:
            self.confirm.layout.display = self.cancel.layout.display = "none"
