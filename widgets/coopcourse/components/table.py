"""A results table rendered from columns of cells, every cell escaped.

Columns whose cells all read as numbers ("1,250.50", "-3", "12.5%") are right-aligned so the
figures line up; text columns stay left-aligned.

The table needs no pandas: exercises give it a mapping ``{column: cells}`` or rows and column
names. ``frame`` builds a pandas DataFrame only when something reads it (tests, handouts), so a
learner's kernel never imports pandas (about 0.2 CPU-s and 30 MB per page)."""

from __future__ import annotations

import html
import math
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from coopcourse.components import shared

if TYPE_CHECKING:
    import pandas as pd

_NUMBER = re.compile(r"^[+\-−]?[\d.,\s]+%?$|^$")


def _cell(value: object) -> str:
    # None, NaN and pandas' NA/NaT (a DataFrame given as is) show as an empty cell.
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if type(value).__name__ in ("NAType", "NaTType"):
        return ""
    return str(value)


class ResultsTable(widgets.HTML):
    def __init__(self, caption: str = "") -> None:
        super().__init__(layout=shared.layout(), style=shared.html_style())
        self.caption = caption
        self.columns: list[str] = []
        self.rows: list[list[Any]] = []
        self._frame: pd.DataFrame | None = None
        self._shown = False
        self.add_class("coop-table-box")

    @property
    def frame(self) -> pd.DataFrame | None:
        """What the table shows as a DataFrame (None before the first ``show``); built when read."""
        if self._frame is None and self._shown:
            import pandas as pd

            self._frame = pd.DataFrame(self.rows, columns=self.columns)
        return self._frame

    def show(
        self,
        data: Mapping[str, Sequence[Any]] | Sequence[Sequence[Any]] | pd.DataFrame,
        caption: str | None = None,
        *,
        columns: Sequence[str] | None = None,
    ) -> None:
        """Render ``data``: a mapping ``{column name: cells}``, rows with ``columns`` (their
        names), or a DataFrame. Format numbers before calling (the table shows what it is given)."""
        self._frame = None
        if columns is not None:
            self.columns = [str(c) for c in columns]
            self.rows = [list(row) for row in data]  # type: ignore[union-attr]
        elif isinstance(data, Mapping):
            lists = [list(cells) for cells in data.values()]
            if len({len(cells) for cells in lists}) > 1:
                raise ValueError("every column of a table needs as many cells as the others")
            self.columns = [str(c) for c in data]
            self.rows = [list(row) for row in zip(*lists)]
        else:  # a DataFrame
            self._frame = data  # type: ignore[assignment]
            self.columns = [str(c) for c in data.columns]  # type: ignore[union-attr]
            self.rows = [list(row) for row in data.itertuples(index=False)]  # type: ignore[union-attr]
        self._shown = True
        if caption is not None:
            self.caption = caption
        cells = [[_cell(v) for v in row] for row in self.rows]
        numeric = [
            bool(cells) and all(_NUMBER.match(row[i].strip()) for row in cells) and any(row[i].strip() for row in cells)
            for i in range(len(self.columns))
        ]
        align = ['class="coop-num"' if flag else 'class="coop-text"' for flag in numeric]
        head = "".join(f'<th scope="col" {a}>{html.escape(c)}</th>' for c, a in zip(self.columns, align))
        body = "".join(
            "<tr>" + "".join(f"<td {a}>{html.escape(v)}</td>" for v, a in zip(row, align)) + "</tr>" for row in cells
        )
        caption_html = f"<caption>{html.escape(self.caption)}</caption>" if self.caption else ""
        self.value = (
            f'<div class="coop-table-scroll" tabindex="0" role="region" aria-label="{html.escape(self.caption)}">'
            f'<table class="coop-table">{caption_html}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'
        )
