"""A download link for a file made in the kernel (work file, business plan, minutes).

The file travels inside the link as a data URI, so it works the same in Voila, in JupyterLab
and offline, with no file left on the server."""

from __future__ import annotations

import base64
import html
import re

import ipywidgets as widgets

from coopcourse.text import text


class DownloadLink(widgets.HTML):
    def __init__(self) -> None:
        super().__init__()
        self.filename = ""
        self.data = b""

    def offer(self, filename: str, data: bytes, mime_type: str) -> None:
        self.filename, self.data = filename, data
        encoded = base64.b64encode(data).decode("ascii")
        self.value = (
            f'<a class="coop-download" download="{html.escape(filename)}" '
            f'href="data:{mime_type};base64,{encoded}">{html.escape(text("download.link", file=filename))}</a>'
        )


def file_slug(name: str) -> str:
    """A safe file-name part from a learner's name ("Group <One>" -> "group-one")."""
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")[:40] or "work"
