"""A results table rendered from a pandas DataFrame, every cell escaped."""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd


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
        table = frame.to_html(index=False, escape=True, border=0, classes="coop-table", na_rep="")
        caption_html = f"<caption>{html.escape(self.caption)}</caption>" if self.caption else ""
        table = table.replace(">", f">{caption_html}", 1) if caption_html else table
        self.value = f'<div class="coop-table-scroll" tabindex="0" role="region" aria-label="{html.escape(self.caption)}">{table}</div>'
