"""An exercise of the course as a paper worksheet, read from the exercise itself.

The exercise is built as the page builds it (no kernel, no browser): its input fields give the
worksheet's labels and blank tables, the values it opens with are the worked example (the first
scenario where it has scenarios), and its results tables, computed by the calculation functions
from those values, are the expected results the facilitator guide prints. The formulas come from
``content/<language>/worksheets.yaml``, so a worksheet changes only when the exercise or that file does.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as widgets
import pandas as pd

from coopcourse import content
from coopcourse.components.fields import ChoiceField, NumberField, PickManyField, TextAreaField, TextField
from coopcourse.components.rows import RowsEditor
from coopcourse.components.table import ResultsTable
from coopcourse.formatting import trimmed
from coopcourse.handouts.notebook import Exercise


@dataclass
class Input:
    key: str
    label: str
    kind: str  # "number", "text", "long_text", "choice", "ticks", "rows"
    value: str = ""  # the worked example's value, as text ("" when none)
    options: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)  # for "rows"
    rows: list[list[str]] = field(default_factory=list)  # the worked example's rows


@dataclass
class Results:
    caption: str
    columns: list[str]
    rows: list[list[str]]


@dataclass
class Worksheet:
    exercise_id: str
    title: str
    inputs: list[Input]
    results: list[Results]
    feedback: str  # the sentence the page shows for the worked example
    example_title: str  # the scenario's title ("" when the example is not a named scenario)
    example_story: str
    formulas: list[str]

    @property
    def is_calculator(self) -> bool:
        return bool(self.results)

    @property
    def has_example(self) -> bool:
        return any(i.value or i.rows for i in self.inputs if i.kind not in ("long_text",))


def _walk(widget: Any) -> Iterator[Any]:
    yield widget
    for child in getattr(widget, "children", ()) or ():
        yield from _walk(child)


def _number(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return trimmed(value)


def _cells(frame: pd.DataFrame) -> list[list[str]]:
    return [["" if pd.isna(v) else str(v) for v in row] for row in frame.itertuples(index=False)]


def _input(key: str, field_widget: Any) -> Input | None:
    label = str(getattr(field_widget, "label", "") or getattr(field_widget, "description", "") or "")
    if not label:
        return None  # a widget that is a tool of the page (votes, a log), not something to fill in
    value = getattr(field_widget, "value", None)
    if isinstance(field_widget, RowsEditor):
        columns = list(field_widget.columns)
        rows = []
        for row in value or []:
            cells = []
            for column in columns:
                cell = row.get(column.key, "")
                if column.kind == "choice":
                    cell = next((name for name, option in column.options if option == cell), cell)
                cells.append(_number(cell) if column.kind == "number" else str(cell))
            rows.append(cells)
        return Input(key, label, "rows", columns=[c.label for c in columns], rows=rows)
    if isinstance(field_widget, NumberField):
        return Input(key, label, "number", _number(value))
    if isinstance(field_widget, TextAreaField):
        return Input(key, label, "long_text", str(value or ""))
    if isinstance(field_widget, TextField):
        return Input(key, label, "text", str(value or ""))
    if isinstance(field_widget, ChoiceField):
        options = list(field_widget.entry.options)
        chosen = next((name for name, option in options if option == value), "")
        return Input(key, label, "choice", chosen, options=[name for name, _ in options])
    if isinstance(field_widget, PickManyField):
        return Input(key, label, "ticks", ", ".join(value or []), options=list(field_widget._checkboxes))
    if isinstance(field_widget, widgets.Checkbox):
        return Input(key, label, "ticks", label if value else "", options=[label])
    offered = getattr(field_widget, "options", None)
    if offered:
        names = [o[0] if isinstance(o, tuple) else str(o) for o in offered]
        return Input(key, label, "ticks", "", options=names)
    return Input(key, label, "long_text", "")


def _scenario(exercise_name: str, state: dict[str, Any]) -> dict[str, Any]:
    """The scenario of ``content/<language>/scenarios/`` whose values the exercise opens with."""
    for name in content.content_files():
        if not name.startswith("scenarios/"):
            continue
        document = content.load(name)
        if document.get("exercise") != exercise_name:
            continue
        for scenario in document["scenarios"]:
            if all(state.get(key) == value for key, value in scenario["values"].items()):
                return dict(scenario)
    return {}


def worksheet(exercise: Exercise) -> Worksheet:
    frame = getattr(importlib.import_module(exercise.module), exercise.function)()
    state = frame.state()
    inputs = [found for key, widget in frame.fields.items() if (found := _input(key, widget)) is not None]
    results = [
        Results(table.caption, [str(c) for c in table.frame.columns], _cells(table.frame))
        for table in _walk(frame)
        if isinstance(table, ResultsTable) and table.frame is not None and len(table.frame.columns) > 1
    ]
    scenario = _scenario(frame.exercise_id.split(".", 1)[1], state)
    formulas = content.load("worksheets")["worksheets"].get(frame.exercise_id, {}).get("formulas", [])
    return Worksheet(
        exercise_id=frame.exercise_id,
        title=frame.title,
        inputs=inputs,
        results=results,
        feedback=frame.feedback.message if frame.feedback.kind in ("success", "info", "warning") else "",
        example_title=str(scenario.get("title", "")),
        example_story=" ".join(str(scenario.get("story", "")).split()),
        formulas=list(formulas),
    )
