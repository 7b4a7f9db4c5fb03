"""Printable documents (business plan, meeting minutes) as Markdown and Word files.

A document is plain data: a title and sections of paragraphs, bullet points and tables. The
same data renders to Markdown (readable anywhere) and to .docx with python-docx (prints well and
opens in Word, LibreOffice and Google Docs). No UI here."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from docx import Document as WordDocument


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


def _md_text(value: str) -> str:
    # Learner text is kept as typed but cannot start Markdown structure or inject HTML.
    return value.replace("\\", "\\\\").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")


def to_markdown(document: Document) -> str:
    lines = [f"# {_md_text(document.title)}", ""]
    if document.subtitle:
        lines += [f"_{_md_text(document.subtitle)}_", ""]
    for section in document.sections:
        lines += [f"## {_md_text(section.heading)}", ""]
        for paragraph in section.paragraphs:
            lines += [_md_text(paragraph), ""]
        if section.bullets:
            lines += [f"- {_md_text(item)}" for item in section.bullets] + [""]
        if section.table is not None:
            lines.append("| " + " | ".join(_md_text(h) for h in section.table.header) + " |")
            lines.append("|" + "---|" * len(section.table.header))
            lines += ["| " + " | ".join(_md_text(c) for c in row) + " |" for row in section.table.rows]
            lines.append("")
    return "\n".join(lines)


def to_docx(document: Document) -> bytes:
    word = WordDocument()
    word.add_heading(document.title, level=0)
    if document.subtitle:
        word.add_paragraph().add_run(document.subtitle).italic = True
    for section in document.sections:
        word.add_heading(section.heading, level=1)
        for paragraph in section.paragraphs:
            word.add_paragraph(paragraph)
        for item in section.bullets:
            word.add_paragraph(item, style="List Bullet")
        if section.table is not None:
            table = word.add_table(rows=1, cols=len(section.table.header))
            table.style = "Light Grid Accent 1"
            for cell, heading in zip(table.rows[0].cells, section.table.header):
                cell.text = heading
            for row in section.table.rows:
                for cell, value in zip(table.add_row().cells, row):
                    cell.text = value
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()
