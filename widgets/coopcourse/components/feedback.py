"""A line that tells the learner how they are doing, in words and not by colour alone."""

from __future__ import annotations

import html
from typing import Literal

import ipywidgets as widgets

from coopcourse.components import shared
from coopcourse.text import text

Kind = Literal["info", "success", "warning", "error", "internal"]

_ROLE = {"error": "alert", "internal": "alert", "warning": "status", "success": "status", "info": "status"}


def feedback_html(kind: Kind, message: str) -> str:
    """The line's markup: the kind in words first (not by colour alone), then the message, escaped."""
    prefix = text(f"feedback.prefix_{kind}")
    return (
        f'<div class="coop-feedback coop-{kind}" role="{_ROLE[kind]}">'
        f"<strong>{html.escape(prefix)}</strong> {html.escape(message)}</div>"
    )


class FeedbackLine:
    """A feedback line kept in the kernel and drawn by a component's own view (the self-check's
    quiz.js), so it costs no widget model: ``kind`` and ``message`` like ``Feedback``, and its ``html``."""

    def __init__(self) -> None:
        self.kind: Kind | None = None
        self.message = ""
        self.html = ""

    def show(self, kind: Kind, message: str) -> None:
        self.kind, self.message, self.html = kind, message, feedback_html(kind, message)


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
        self.value = feedback_html(kind, message)

    def clear(self) -> None:
        self.kind, self.message, self.value = None, "", ""
