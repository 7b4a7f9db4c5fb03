"""A button that asks once before doing something that replaces the learner's work."""

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
        self.confirm = shared.button(
            description=text("confirm.accept"),
            button_style="warning",
            layout=widgets.Layout(width="auto", display="none"),  # its own: shown and hidden
        )
        self.cancel = shared.button(
            description=text("confirm.cancel"), layout=widgets.Layout(width="auto", display="none")
        )
        self.note = Feedback()
        super().__init__(
            [
                shared.hbox([self.button, self.confirm, self.cancel], layout=shared.layout(flex_flow="row wrap")),
                self.note,
            ],
            layout=shared.layout(),
        )
        self.button.on_click(lambda _b: self._ask())
        self.confirm.on_click(lambda _b: self._do())
        self.cancel.on_click(lambda _b: self._reset())

    def _ask(self) -> None:
        self.note.show("warning", self.warning)
        self.confirm.layout.display = self.cancel.layout.display = None

    def _do(self) -> None:
        self._reset()
        self.action()

    def _reset(self) -> None:
        self.note.clear()
        self.confirm.layout.display = self.cancel.layout.display = "none"
