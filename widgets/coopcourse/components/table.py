"""A results table rendered from a pandas DataFrame, every cell escaped.

Columns whose cells all read as numbers ("1,250.50", "-3", "12.5%") are right-aligned so the
figures line up; text columns stay left-aligned."""

from __future__ import annotations

import html
import re

import ipywidgets as widgets
import pandas as pd

_NUMBER = re.compile(r"^[+\-−]?[\d.,\s]+%?$|^$")


class ResultsTable(widgets.HTML):
    def __init__(self, caption: str = "") -> None:
        super().__init__()
        self.caption = caption
        self.frame: pd.DataFrame | None = None
        self.add_class("coop-table-box")

    def show(self, frame: pd.DataFrame, caption: str | None = None) -> None:
        """Render ``frame``; format numbers before calling (the table shows what it is given)."""
        self.frame = frame
        if caption is not None:
            self.caption = caption
        cells = [[("" if pd.isna(v) else str(v)) for v in row] for row in frame.itertuples(index=False)]
        numeric = [
            bool(cells) and all(_NUMBER.match(row[i].strip()) for row in cells) and any(row[i].strip() for row in cells)
            for i in range(len(frame.columns))
        ]
        align = ['class="coop-num"' if flag else 'class="coop-text"' for flag in numeric]
        head = "".join(f'<th scope="col" {a}>{html.escape(str(c))}</th>' for c, a in zip(frame.columns, align))
        body = "".join(
            "<tr>" + "".join(f"<td {a}>{html.escape(v)}</td>" for v, a in zip(row, align)) + "</tr>" for row in cells
        )
        caption_html = f"<caption>{html.escape(self.caption)}</caption>" if self.caption else ""
        self.value = (
            f'<div class="coop-table-scroll" tabindex="0" role="region" aria-label="{html.escape(self.caption)}">'
            f'<table class="coop-table">{caption_html}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'
        )
