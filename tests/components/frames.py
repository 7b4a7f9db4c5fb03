"""Helpers shared by the component tests: find every exercise, drive an exercise frame like a
learner and read what its widget tree sends to the browser."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable

import ipywidgets as widgets

import coopcourse.exercises
from coopcourse.components import ExerciseFrame


def exercise_builders() -> dict[str, Callable[[], ExerciseFrame]]:
    """Every exercise a notebook shows with a call without arguments, by ``module.function``
    relative to ``coopcourse.exercises`` (``"start_coop.feasibility_calculator"``,
    ``"manage_coop.finance.surplus_distribution"``), found by walking the package."""
    package = coopcourse.exercises
    found: dict[str, Callable[[], ExerciseFrame]] = {}
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        module = importlib.import_module(info.name)
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != module.__name__ or name.startswith("_"):
                continue
            signature = inspect.signature(function)
            if signature.return_annotation not in ("ExerciseFrame", ExerciseFrame):
                continue
            if any(p.default is inspect.Parameter.empty for p in signature.parameters.values()):
                continue  # self_check(bank, set_id): built from its question banks instead
            found[f"{info.name.removeprefix(package.__name__ + '.')}.{name}"] = function
    return found


def results(frame: ExerciseFrame) -> tuple[widgets.Widget, ...]:
    """The widgets an exercise shows its results in (tables, charts, downloads), in order."""
    return tuple(frame.children[-1].children)


def type_into(frame, key: str, typed: str) -> None:  # type: ignore[no-untyped-def]
    """Type ``typed`` into the text box of the frame's field ``key``."""
    frame.fields[key].entry.value = typed


def all_html(widget: widgets.Widget) -> str:
    """Every piece of HTML the widget tree renders (labels and descriptions are plain text)."""
    parts = [widget.value] if isinstance(widget, widgets.HTML) else []
    for child in getattr(widget, "children", ()):
        parts.append(all_html(child))
    return "\n".join(parts)


def assert_never_html(widget: widgets.Widget, typed: str) -> None:
    """What a learner typed (``typed``, markup in it) is nowhere in the widget tree as markup."""
    shown = all_html(widget)
    assert typed not in shown
    tags = re.findall(r"<[^>]*>", shown)
    assert not any("onerror" in tag or "script" in tag for tag in tags), "typed text became markup"


def open_work_as(bar, name: str, pin: str = "") -> None:  # type: ignore[no-untyped-def]
    """Type a name in the saved-work bar and open it as a learner does: where the name already
    has saved work the bar asks first, and the learner confirms it is theirs (with its PIN)."""
    from coopcourse.text import text

    bar.name.entry.value = name
    bar.open_work()
    buttons = [w for w in walk(bar.name_box) if isinstance(w, widgets.Button)]
    confirm = [b for b in buttons if b.description == text("saving.confirm_open")]
    if confirm:
        for field in walk(bar.name_box):
            if getattr(field, "label", None) == text("saving.pin_label"):
                field.entry.value = pin
        confirm[0].click()


def walk(widget: widgets.Widget):  # type: ignore[no-untyped-def]
    """The widget and every widget inside it."""
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)
