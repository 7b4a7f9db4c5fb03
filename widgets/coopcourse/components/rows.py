"""An editable list of rows (members and their quantities, price tiers, ...), each cell a
validated field; rows can be added and removed with buttons, so it works from the keyboard."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets
import traitlets

from coopcourse.calculations.validation import Bounds
from coopcourse.components import shared
from coopcourse.components.fields import ChoiceField, MessageMixin, NumberField, TextField
from coopcourse.errors import CourseInputError
from coopcourse.text import text

Cell = NumberField | TextField | ChoiceField
TEXT_CELL_LENGTH = 60


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "number"  # "number", "text" or "choice"
    default: Any = 0.0
    options: tuple[tuple[str, str], ...] = ()  # (label, id) pairs for a "choice" column
    bounds: Bounds = Bounds()  # for a "number" column
    width: str = "14em"


class RowsEditor(MessageMixin, widgets.VBox):
    """``value`` is a list of rows, each a dict ``{column key: last valid value}``."""

    value: traitlets.List[dict[str, Any]] = traitlets.List(traitlets.Dict())
    valid = traitlets.Bool(True)

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
        self.label = label
        self.min_rows, self.max_rows = min_rows, max_rows
        self.caption = shared.html(f'<span class="coop-rows-label">{html.escape(label)}</span>')
        self.rows_box = shared.vbox()
        self.add_button = shared.button(
            description=text("rows.add"), icon="plus", tooltip=text("rows.add_tooltip", label=label)
        )
        self._cells: list[list[Cell]] = []
        super().__init__([self.caption, self.rows_box, self.add_button], layout=shared.layout())
        self.add_class("coop-rows")
        self.add_button.on_click(lambda _button: self.add_row())
        self._building = False
        self._set_rows(list(rows))
        self.observe(self._on_value_set, names="value")

    def add_row(self, row: dict[str, Any] | None = None) -> None:
        if len(self._cells) >= self.max_rows:
            self.show_error(text("rows.too_many", maximum=self.max_rows))
            return
        fresh = row or {c.key: ("" if c.kind == "text" else c.default) for c in self.columns}
        self._set_rows([*self.value, fresh])

    def remove_row(self, index: int) -> None:
        if len(self._cells) <= self.min_rows:
            self.show_error(text("rows.too_few", minimum=self.min_rows))
            return
        rows = list(self.value)
        del rows[index]
        self._set_rows(rows)

    @property
    def cells(self) -> list[list[Cell]]:
        return self._cells

    def _update_valid(self, _change: object = None) -> None:
        self.valid = all(getattr(cell, "valid", True) for row in self._cells for cell in row)

    def _set_rows(self, rows: list[dict[str, Any]]) -> None:
        self._building = True
        self.clear_error()
        self._cells = [self._make_cells(index, row) for index, row in enumerate(rows)]
        self.rows_box.children = [self._row_box(index, cells) for index, cells in enumerate(self._cells)]
        self.value = self._collect()
        self._update_valid()
        self._building = False

    def _make_cells(self, index: int, row: dict[str, Any]) -> list[Cell]:
        cells: list[Cell] = []
        for column in self.columns:
            cell: Cell
            if column.kind == "choice":
                cell = ChoiceField(
                    column.label, list(column.options), row.get(column.key, column.default), width=column.width
                )
            elif column.kind == "number":
                cell = NumberField(column.label, row.get(column.key, column.default), column.bounds, width=column.width)
            else:
                cell = TextField(
                    column.label, str(row.get(column.key, "")), max_length=TEXT_CELL_LENGTH, width=column.width
                )
            cell.observe(self._on_cell_changed, names="value")
            if cell.has_trait("valid"):
                cell.observe(self._update_valid, names="valid")
            cells.append(cell)
        return cells

    def _row_box(self, index: int, cells: list[Cell]) -> widgets.HBox:
        # Named with its row ("Remove row 2"): a plain "Remove" on every row says nothing to
        # someone who hears the buttons one after another.
        remove = shared.button(
            description=text("rows.remove", number=index + 1), icon="trash", layout=shared.layout(width="auto")
        )
        remove.on_click(self._remover(index))
        # Every row repeats the same labels ("Name", "Quantity"): a hidden "Row 2 of ..." that the
        # course's template links to each field of the row (aria-describedby) says which row a
        # field belongs to when it is reached with Tab, as sighted learners see at a glance.
        where = shared.html(
            f'<span class="coop-row-name">{html.escape(text("rows.row_of", number=index + 1, label=self.label))}</span>'
        )
        where.add_class("coop-sr-only")
        box = shared.hbox([where, *cells, remove], layout=shared.layout(flex_flow="row wrap", align_items="flex-start"))
        box.add_class("coop-row")
        return box

    def _remover(self, index: int) -> Callable[[widgets.Button], None]:
        return lambda _button: self.remove_row(index)

    def _collect(self) -> list[dict[str, Any]]:
        return [{c.key: cell.value for c, cell in zip(self.columns, cells)} for cells in self._cells]

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
                checked[column.key] = cell.strip()[:TEXT_CELL_LENGTH]
            else:
                raise CourseInputError(text("error.saved_value_unusable", label=self.label))
        return checked

    def _on_cell_changed(self, _change: dict) -> None:
        if not self._building:
            self.value = self._collect()

    def _on_value_set(self, change: dict) -> None:
        # Set from code (restoring saved work): rebuild the rows unless they already match.
        if not self._building and change["new"] != self._collect():
            self._set_rows(list(change["new"]))
