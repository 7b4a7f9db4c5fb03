"""A line that tells the learner how they are doing, in words and not by colour alone."""

from __future__ import annotations

import html
from typing import Literal

import ipywidgets as widgets

from coopcourse.components import shared
from coopcourse.text import text

Kind = Literal["info", "success", "warning", "error", "internal"]

_ROLE = {"error": "alert", "internal": "alert", "warning": "status", "success": "status", "info": "status"}


class Feedback(widgets.HTML):
    """Escaped message with a kind (``info``, ``success``, ``warning``, ``error``, ``internal``).

    ``internal`` is for an unexpected failure in the course's own code: tests look for its class.
    """

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("layout", shared.layout())
        kwargs.setdefault("style", shared.html_style())
        super().__init__(**kwargs)
        self.kind: Kind | None = None
        self.message = ""

    def show(self, kind: Kind, message: str) -> None:
        self.kind, self.message = kind, message
        prefix = text(f"feedback.prefix_{kind}")
        self.value = (
            f'<div class="coop-feedback coop-{kind}" role="{_ROLE[kind]}">'
            f"<strong>{html.escape(prefix)}</strong> {html.escape(message)}</div>"
        )

    def clear(self) -> None:
        self.kind, self.message, self.value = None, "", ""
