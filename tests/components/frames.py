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


def open_work_as(bar, name: str, pin: str = "") -> None:  # type: ignore[no-untyped-def]
    """Type a name in the saved-work bar and open it as a learner does: where the name already
    has saved work the bar asks first, and the learner confirms it is theirs (with its PIN)."""
    from coopcourse.text import text

    bar.name.entry.value = name
    bar.open_work()
    buttons = [w for w in _walk(bar.name_box) if isinstance(w, widgets.Button)]
    confirm = [b for b in buttons if b.description == text("saving.confirm_open")]
    if confirm:
        for field in _walk(bar.name_box):
            if getattr(field, "label", None) == text("saving.pin_label"):
                field.entry.value = pin
        confirm[0].click()


def _walk(widget: widgets.Widget):  # type: ignore[no-untyped-def]
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)
