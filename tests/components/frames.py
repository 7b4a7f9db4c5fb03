"""Helpers shared by the component tests: drive an exercise frame like a learner and read what
its widget tree sends to the browser."""

from __future__ import annotations

import ipywidgets as widgets


def type_into(frame, key: str, typed: str) -> None:  # type: ignore[no-untyped-def]
    """Type ``typed`` into the text box of the frame's field ``key``."""
    frame.fields[key].entry.value = typed


def all_html(widget: widgets.Widget) -> str:
    """Every piece of HTML the widget tree renders (labels and descriptions are plain text)."""
    parts = [widget.value] if isinstance(widget, widgets.HTML) else []
    for child in getattr(widget, "children", ()):
        parts.append(all_html(child))
    return "\n".join(parts)
