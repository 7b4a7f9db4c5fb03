"""A download link for a file made in the kernel (work file, business plan, minutes).

The file travels inside the link as a data URI, so it works the same in Voila, in JupyterLab
and offline, with no file left on the server."""

from __future__ import annotations

import base64
import html
import re
import unicodedata

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
    """A safe file-name part from a learner's name, in any script: letters, digits and the marks
    and joiners that spell them are kept, anything else becomes a hyphen
    ("Group <One>" -> "group-one", "Coopérative Été" -> "coopérative-été")."""
    kept = "".join(ch if ch.isalnum() or unicodedata.category(ch).startswith("M") or ch in "\u200c\u200d" else "-"
                   for ch in unicodedata.normalize("NFC", name).casefold())
    slug = re.sub(r"-+", "-", kept).strip("-")[:40].strip("-")
    return slug if any(ch.isalnum() for ch in slug) else "work"
