"""Printable documents (business plan, meeting minutes) as Markdown and Word files.

A document is plain data: a title and sections of paragraphs, bullet points and tables. The
same data renders to Markdown (readable anywhere) and to .docx with python-docx (prints well and
opens in Word, LibreOffice and Google Docs). No UI here."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...] = ()
    bullets: tuple[str, ...] = ()
    table: Table | None = None


@dataclass(frozen=True)
class Document:
    title: str
    subtitle: str = ""
    sections: tuple[Section, ...] = field(default=())


# Characters an XML (Word) file cannot hold, and lone surrogates, which no UTF-8 file can: a vertical
# tab or form feed (as pasted from some office programs) becomes a line break, the rest is dropped.
_LINE_BREAKS = re.compile(r"[\x0b\x0c]")
# Bidirectional embeddings, overrides and isolates are dropped too: typed into a motion or a plan,
# they would make the printed text read in another order than it was written.
_UNWRITABLE = re.compile(r"[\x00-\x08\x0e-\x1f\ufffe\uffff\ud800-\udfff\u202a-\u202e\u2066-\u2069]")
# Characters with a meaning anywhere in a Markdown line (CommonMark and GitHub tables, strikethrough
# and the dollar signs of maths): escaped with a backslash, which CommonMark allows before any ASCII
# punctuation; < and > become entities, so no renderer ever sees a tag.
_INLINE = re.compile(r"([\\`*_\[\]&|~$!])")
# What starts a block at the beginning of a line: heading, list item, setext underline.
_LINE_START = re.compile(r"^([#+=-]|\d+(?=[.)]))")


def _clean(value: str) -> str:
    return _UNWRITABLE.sub("", _LINE_BREAKS.sub("\n", value.replace("\r\n", "\n")))


def _md_inline(value: str) -> str:
    return _INLINE.sub(r"\\\1", value).replace("<", "&lt;").replace(">", "&gt;")


def _md_lines(value: str, line_starts: bool = True) -> list[str]:
    """Learner text, line by line, that cannot start Markdown structure or inject HTML
    (``line_starts=False`` inside a table cell, where no block can start: "-190.00" stays as is)."""
    lines = [line.strip() for line in _clean(value).splitlines()]
    escaped = []
    for line in lines:
        if not line:
            continue
        line = _md_inline(line)
        start = _LINE_START.match(line) if line_starts else None
        if start and start.group(1).isdigit():
            line = line[: start.end()] + "\\" + line[start.end() :]  # "1." as text, not a numbered list
        elif start:
            line = "\\" + line
        escaped.append(line)
    return escaped


def _md_text(value: str, line_starts: bool = True) -> str:
    """One line of text (a heading, a table cell): line breaks become spaces."""
    return " ".join(_md_lines(value, line_starts))


def _md_block(value: str, indent: str = "") -> str:
    """A paragraph or a list item: line breaks are kept as hard line breaks."""
    return ("  \n" + indent).join(_md_lines(value))


def to_markdown(document: Document) -> str:
    lines = [f"# {_md_text(document.title)}", ""]
    if document.subtitle:
        lines += [f"_{_md_text(document.subtitle)}_", ""]
    for section in document.sections:
        lines += [f"## {_md_text(section.heading)}", ""]
        for paragraph in section.paragraphs:
            lines += [_md_block(paragraph), ""]
        if section.bullets:
            lines += [f"- {_md_block(item, '  ')}" for item in section.bullets] + [""]
        if section.table is not None:
            lines.append("| " + " | ".join(_md_text(h, False) for h in section.table.header) + " |")
            lines.append("|" + "---|" * len(section.table.header))
            lines += ["| " + " | ".join(_md_text(c, False) for c in row) + " |" for row in section.table.rows]
            lines.append("")
    return "\n".join(lines)


def to_docx(document: Document) -> bytes:
    # python-docx and lxml load only when a learner downloads a Word file, not with every app.
    from docx import Document as WordDocument

    word = WordDocument()
    word.add_heading(_clean(document.title), level=0)
    if document.subtitle:
        word.add_paragraph().add_run(_clean(document.subtitle)).italic = True
    for section in document.sections:
        word.add_heading(_clean(section.heading), level=1)
        for paragraph in section.paragraphs:
            word.add_paragraph(_clean(paragraph))
        for item in section.bullets:
            word.add_paragraph(_clean(item), style="List Bullet")
        if section.table is not None:
            table = word.add_table(rows=1, cols=len(section.table.header))
            table.style = "Light Grid Accent 1"
            for cell, heading in zip(table.rows[0].cells, section.table.header):
                cell.text = _clean(heading)
            for row in section.table.rows:
                for cell, value in zip(table.add_row().cells, row):
                    cell.text = _clean(value)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()
