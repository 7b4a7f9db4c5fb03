"""An editable list of rows (members and their quantities, price tiers, ...), each cell checked
like a field; rows are added and removed with buttons, so it works from the keyboard.

The whole list is one widget model drawn by ``rows.js``: as separate ipywidgets, each row cost
seven models (a box, a hidden row name, a box and an input per cell, a remove button), and a
course page had up to 26 rows. Every model is a message to send and a view for a phone to build,
and CPU time for the laptop that serves a room. The kernel keeps all the checking and every word;
the device only draws and sends what is typed or pressed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import anywidget
import traitlets

from coopcourse.calculations.validation import Bounds
from coopcourse.components import shared
from coopcourse.components.fields import format_number
from coopcourse.errors import CourseInputError
from coopcourse.text import text

TEXT_CELL_LENGTH = 60
# Longer text from a device is cut before it is checked: the message says what the limit is.
LONGEST_TYPED = 10_000


def cut_text(typed: str) -> str:
    """A text cell's value: no spaces around it, at most ``TEXT_CELL_LENGTH`` characters (the
    same again when it comes back from saved work)."""
    return typed.strip()[:TEXT_CELL_LENGTH].rstrip()


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "number"  # "number", "text" or "choice"
    default: Any = 0.0
    options: tuple[tuple[str, str], ...] = ()  # (label, id) pairs for a "choice" column
    bounds: Bounds = Bounds()  # for a "number" column
    width: str = "14em"

    def shown(self, value: Any) -> str:
        """How a cell's value is written in its box."""
        return format_number(value) if self.kind == "number" else str(value)

    def view(self) -> dict[str, Any]:
        """What the device needs to draw the column's boxes."""
        return {"label": self.label, "kind": self.kind, "width": self.width, "options": [list(o) for o in self.options]}


class TypedText(traitlets.HasTraits):
    """What a cell's box holds on the device: set by the device's messages (and by tests)."""

    value = traitlets.Unicode()


class RowCell(traitlets.HasTraits):
    """One cell: ``entry.value`` is what is typed, ``value`` the last valid value, ``error`` what is
    wrong with the typing ("" if nothing). A slip keeps ``value``, like a field does."""

    value = traitlets.Any()
    valid = traitlets.Bool(True)
    error = traitlets.Unicode()

    def __init__(self, column: Column, value: Any) -> None:
        super().__init__()
        self.column = column
        self.label = column.label
        self.value = value
        self.entry = TypedText(value=column.shown(value))
        self.entry.observe(self._on_typed, names="value")

    def _on_typed(self, change: dict) -> None:
        typed = change["new"][:LONGEST_TYPED]
        column = self.column
        if column.kind == "number":
            try:
                self.value = column.bounds.read(typed, column.label)
            except CourseInputError as error:
                self.valid, self.error = False, error.message
                return
            self.valid, self.error = True, ""
        elif column.kind == "choice":
            if typed in {option_id for _, option_id in column.options}:
                self.value = typed
            else:  # a forged or stale option: keep what was chosen
                self.entry.value = self.value
        else:
            self.error = (
                text("error.too_long", label=column.label, maximum=TEXT_CELL_LENGTH)
                if len(typed.strip()) > TEXT_CELL_LENGTH
                else ""
            )
            self.value = cut_text(typed)


class RowsEditor(anywidget.AnyWidget):
    """``value`` is a list of rows, each a dict ``{column key: last valid value}``; ``valid`` says
    whether every cell holds what is typed in it."""

    _esm = (resources.files("coopcourse") / "components" / "rows.js").read_text(encoding="utf-8")

    value: traitlets.List[dict[str, Any]] = traitlets.List(traitlets.Dict())
    valid = traitlets.Bool(True)

    # Drawn by the device; all of it made here, in the course's language.
    label = traitlets.Unicode().tag(sync=True)
    add_label = traitlets.Unicode().tag(sync=True)
    add_tooltip = traitlets.Unicode().tag(sync=True)
    column_specs: traitlets.List[dict[str, Any]] = traitlets.List(traitlets.Dict()).tag(sync=True)
    entries: traitlets.List[list[str]] = traitlets.List(traitlets.List(traitlets.Unicode())).tag(sync=True)
    errors: traitlets.List[list[str]] = traitlets.List(traitlets.List(traitlets.Unicode())).tag(sync=True)
    row_names: traitlets.List[str] = traitlets.List(traitlets.Unicode()).tag(sync=True)
    remove_labels: traitlets.List[str] = traitlets.List(traitlets.Unicode()).tag(sync=True)
    message = traitlets.Unicode().tag(sync=True)
    # Counts changes to which rows there are: a device's edit made before a change it had not seen
    # yet is refused (and the device redrawn) rather than put into the wrong row.
    revision = traitlets.Int(0).tag(sync=True)

    def __init__(
        self,
        columns: Sequence[Column],
        rows: Sequence[dict[str, Any]],
        *,
        label: str,
        min_rows: int = 1,
        max_rows: int = 60,
    ) -> None:
        self.columns = tuple(columns)
        self.min_rows, self.max_rows = min_rows, max_rows
        self._cells: list[list[RowCell]] = []
        self._building = False
        super().__init__(
            label=label,
            add_label=text("rows.add"),
            add_tooltip=text("rows.add_tooltip", label=label),
            column_specs=[column.view() for column in self.columns],
            layout=shared.layout(),
        )
        self.add_class("coop-rows")
        self._set_rows(list(rows))
        self.observe(self._on_value_set, names="value")
        self.on_msg(self._on_device_message)

    @property
    def cells(self) -> list[list[RowCell]]:
        return self._cells

    @property
    def error(self) -> str:
        return self.message

    def show_error(self, message: str) -> None:
        self.message = message

    def clear_error(self) -> None:
        self.message = ""

    def add_row(self, row: dict[str, Any] | None = None) -> None:
        if len(self._cells) >= self.max_rows:
            self.show_error(text("rows.too_many", maximum=self.max_rows))
            return
        fresh = row or {c.key: ("" if c.kind == "text" else c.default) for c in self.columns}
        self.clear_error()
        # The other rows keep their cells, and with them what is typed (a slip included).
        self._cells.append(self._make_cells(fresh))
        self._rows_changed()

    def remove_row(self, index: int) -> None:
        if len(self._cells) <= self.min_rows:
            self.show_error(text("rows.too_few", minimum=self.min_rows))
            return
        self.clear_error()
        del self._cells[index]
        self._rows_changed()

    def check_saved(self, value: object) -> list[dict[str, Any]]:
        """Saved rows as this editor would hold them: a list of rows, each cell checked like its
        column (a missing cell takes the column's default, an unknown one is dropped)."""
        if not isinstance(value, list) or not self.min_rows <= len(value) <= self.max_rows:
            raise CourseInputError(text("error.saved_value_unusable", label=self.label))
        return [self._check_row(row) for row in value]

    def _check_row(self, row: object) -> dict[str, Any]:
        if not isinstance(row, dict):
            raise CourseInputError(text("error.saved_value_unusable", label=self.label))
        checked: dict[str, Any] = {}
        for column in self.columns:
            cell = row.get(column.key, "" if column.kind == "text" else column.default)
            if column.kind == "number":
                checked[column.key] = column.bounds.check(cell, column.label)
            elif column.kind == "choice" and cell in {option_id for _, option_id in column.options}:
                checked[column.key] = cell
            elif column.kind == "text" and isinstance(cell, str):
                checked[column.key] = cut_text(cell)
            else:
                raise CourseInputError(text("error.saved_value_unusable", label=self.label))
        return checked

    def _make_cells(self, row: dict[str, Any]) -> list[RowCell]:
        cells = []
        for column in self.columns:
            value = row.get(column.key, "" if column.kind == "text" else column.default)
            if column.kind == "number":
                value = column.bounds.check(value, column.label)
            elif column.kind == "choice" and value not in {option_id for _, option_id in column.options}:
                value = column.options[0][1]
            elif column.kind == "text":
                value = cut_text(str(value))
            cell = RowCell(column, value)
            cell.observe(self._on_cell_changed, names=["value", "error"])
            cell.entry.observe(self._on_cell_changed, names="value")
            cells.append(cell)
        return cells

    def _set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.clear_error()
        self._cells = [self._make_cells(row) for row in rows]
        self._rows_changed()

    def _rows_changed(self) -> None:
        self.revision += 1
        self._publish()

    def _publish(self) -> None:
        """Bring ``value``, ``valid`` and what the device draws up to date with the cells."""
        self._building = True
        try:
            count = len(self._cells)
            with self.hold_sync():
                self.entries = [[cell.entry.value for cell in row] for row in self._cells]
                self.errors = [[cell.error for cell in row] for row in self._cells]
                if len(self.row_names) != count:
                    self.row_names = [text("rows.row_of", number=n, label=self.label) for n in range(1, count + 1)]
                    self.remove_labels = [text("rows.remove", number=n) for n in range(1, count + 1)]
            self.valid = all(cell.valid for row in self._cells for cell in row)
            self.value = [{c.key: cell.value for c, cell in zip(self.columns, row)} for row in self._cells]
        finally:
            self._building = False

    def _on_cell_changed(self, _change: dict) -> None:
        if not self._building:
            self._publish()

    def _on_value_set(self, change: dict) -> None:
        # Set from code (restoring saved work): rebuild the rows unless they already match.
        if not self._building and change["new"] != [
            {c.key: cell.value for c, cell in zip(self.columns, row)} for row in self._cells
        ]:
            self._set_rows(list(change["new"]))

    def _on_device_message(self, _widget: object, content: object, _buffers: object) -> None:
        """What the device sends: ``{"event": "add"}``, ``{"event": "remove", "row": i}``, or
        ``{"event": "typed", "row": i, "column": j, "text": ...}``. Anything else is ignored: a
        page cannot break the exercise."""
        if not isinstance(content, dict):
            return
        event = content.get("event")
        if event == "add":
            self.add_row()
            return
        row, column = content.get("row"), content.get("column")
        if not isinstance(row, int) or not _is_index(row, len(self._cells)):
            return
        if content.get("revision") != self.revision:
            # Sent before the device had drawn the latest rows: taking it could change the wrong
            # row. The device draws the rows as they are, and the learner sees the edit undone.
            self.send({"event": "redraw"})
            return
        if event == "remove":
            self.remove_row(row)
        elif (
            event == "typed"
            and isinstance(column, int)
            and _is_index(column, len(self.columns))
            and isinstance(content.get("text"), str)
        ):
            self._cells[row][column].entry.value = content["text"]


def _is_index(value: object, length: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < length
