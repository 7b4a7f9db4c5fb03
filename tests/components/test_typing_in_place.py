"""What a learner is still typing is never touched by the kernel.

The course's template sends a text box's content to the kernel about a second after the last key,
with the cursor still in the box (``coop/connection.html.j2``). That is only safe if no exercise
answers half-typed text by replacing the box or rewriting what is in it: a box replaced on the
page loses the cursor, a rewritten one loses the keys typed since. Every text and number box of
every exercise gets half-typed text (a name with a trailing space, a number still being written,
a slip) and must keep it, in the same widget."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator

import ipywidgets as widgets
import pytest

import coopcourse.exercises
from coopcourse.components import ExerciseFrame
from coopcourse.components.fields import NumberField, TextField

HALF_TYPED = {TextField: ("Amin", "Amina ", "Amina D"), NumberField: ("1", "12.", "-", "12,5", "1e")}


def _walk(widget: widgets.Widget) -> Iterator[widgets.Widget]:
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def _boxes(frame: ExerciseFrame) -> list[TextField | NumberField]:
    return [widget for widget in _walk(frame) if isinstance(widget, (TextField, NumberField))]


def _exercises() -> list[Callable[[], ExerciseFrame]]:
    found: list[Callable[[], ExerciseFrame]] = []
    for module_info in pkgutil.walk_packages(coopcourse.exercises.__path__, coopcourse.exercises.__name__ + "."):
        module = importlib.import_module(module_info.name)
        for name, function in inspect.getmembers(module, inspect.isfunction):
            signature = inspect.signature(function)
            if (
                function.__module__ == module.__name__
                and not name.startswith("_")
                and signature.return_annotation in ("ExerciseFrame", ExerciseFrame)
                and all(p.default is not p.empty for p in signature.parameters.values())
            ):
                found.append(function)
    return found


def test_there_are_boxes_to_type_in() -> None:
    assert sum(len(_boxes(factory())) for factory in _exercises()) > 50


@pytest.mark.parametrize("factory", _exercises(), ids=lambda factory: factory.__name__)
def test_half_typed_text_stays_as_typed(factory: Callable[[], ExerciseFrame]) -> None:
    frame = factory()
    for index in range(len(_boxes(frame))):
        box = _boxes(frame)[index]
        entry = box.entry
        kind = TextField if isinstance(box, TextField) else NumberField
        for typed in HALF_TYPED[kind]:
            entry.value = typed
            assert entry.value == typed, f"{factory.__name__}, {box.label!r}: {typed!r} became {entry.value!r}"
            assert any(widget is entry for widget in _walk(frame)), (
                f"{factory.__name__}, {box.label!r}: the box was replaced while {typed!r} was being typed"
            )
            assert frame.feedback.kind != "internal", f"{factory.__name__}, {box.label!r} = {typed!r}"
