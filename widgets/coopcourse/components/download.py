"""Download links for files made in the kernel (work file, business plan, statements, agenda, minutes).

The file travels inside the link as a data URI, so it works the same in Voila, in JupyterLab
and offline, with no file left on the server."""

from __future__ import annotations

import base64
import html
import re
import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING

import ipywidgets as widgets

from coopcourse import documents
from coopcourse.components import shared
from coopcourse.text import text

if TYPE_CHECKING:
    from coopcourse.components.frame import ExerciseFrame

MARKDOWN_TYPE = "text/markdown"
WORD_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class DownloadLink(widgets.HTML):
    def __init__(self) -> None:
        super().__init__(layout=shared.layout(), style=shared.html_style())
        self.filename = ""
        self.data = b""

    def offer(self, filename: str, data: bytes, mime_type: str) -> None:
        self.filename, self.data = filename, data
        encoded = base64.b64encode(data).decode("ascii")
        self.value = (
            f'<a class="coop-download" download="{html.escape(filename)}" '
            f'href="data:{mime_type};base64,{encoded}">{html.escape(text("download.link", file=filename))}</a>'
        )

    def withdraw(self) -> None:
        self.filename, self.data, self.value = "", b"", ""


class DocumentDownload(widgets.HBox):
    """A button that prepares a document, and the pair of links it then offers: the document as
    Markdown (readable anywhere) and as Word (prints well). ``bind`` is the only way to make the
    button work, and it runs through the exercise's ``guard``: a learner's mistake is shown next to
    its field, an unexpected failure never as a traceback."""

    def __init__(self, label: str) -> None:
        self.button = shared.button(
            description=label, button_style="primary", icon="file", layout=shared.layout(width="auto")
        )
        self.markdown, self.word = DownloadLink(), DownloadLink()
        super().__init__(
            [self.button, self.markdown, self.word], layout=shared.layout(flex_flow="row wrap", align_items="center")
        )
        self.add_class("coop-document-download")

    def bind(
        self,
        frame: ExerciseFrame,
        prepare: Callable[[], tuple[documents.Document, str]],
        then: Callable[[], None] | None = None,
    ) -> DocumentDownload:
        """On a click: ``prepare()`` gives the document and its file stem ("business-plan-our-group"),
        the links offer it, then ``then()`` runs (e.g. to say the files are ready)."""

        def prepare_and_offer() -> None:
            self.offer(*prepare())
            if then is not None:
                then()

        self.button.on_click(frame.guard(prepare_and_offer))
        return self

    def offer(self, document: documents.Document, stem: str) -> None:
        self.markdown.offer(f"{stem}.md", documents.to_markdown(document).encode("utf-8"), MARKDOWN_TYPE)
        self.word.offer(f"{stem}.docx", documents.to_docx(document), WORD_TYPE)

    def withdraw(self) -> None:
        """Take the links away (the document no longer matches what is on screen)."""
        self.markdown.withdraw()
        self.word.withdraw()


def file_name(kind: str, name: str | None, fallback: str = "files.unnamed") -> str:
    """The name of a downloaded file in the page's language (``files.<kind>`` of the strings, no
    extension): ``business-plan-umoja`` or ``plan-de-negocios-umoja``."""
    return file_slug(text(f"files.{kind}", name=file_slug(name or text(fallback))))


def file_slug(name: str) -> str:
    """A safe file-name part from a learner's name, in any script: letters, digits and the marks
    and joiners that spell them are kept, anything else becomes a hyphen
    ("Group <One>" -> "group-one", "Coopérative Été" -> "coopérative-été")."""
    kept = "".join(
        ch if ch.isalnum() or unicodedata.category(ch).startswith("M") or ch in "\u200c\u200d" else "-"
        for ch in unicodedata.normalize("NFC", name).casefold()
    )
    slug = re.sub(r"-+", "-", kept).strip("-")[:40].strip("-")
    return slug if any(ch.isalnum() for ch in slug) else text("files.unnamed")
