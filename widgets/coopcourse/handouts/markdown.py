"""Notebook Markdown as a few kinds of printable blocks: headings, paragraphs, lists and tables.

Only what the course's notebooks use is understood. Inline, links keep their words and lose the
address, images keep their description, code marks are dropped; bold stays ``**bold**`` and italics
become ``__italics__`` (fpdf2's markers), and marker look-alikes in the text are neutralised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_AUTOLINK = re.compile(r"<(https?://[^>]+)>")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_ITALIC = re.compile(r"(?<![*\w])\*(?!\*)(?=\S)(.+?)(?<=\S)\*(?![*\w])|(?<![_\w])_(?!_)(?=\S)(.+?)(?<=\S)_(?![_\w])")
_ORDERED = re.compile(r"^(\d+)[.)]\s+(.*)$")
_BULLET = re.compile(r"^[-*+]\s+(.*)$")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def inline(source: str) -> str:
    """One line or paragraph of Markdown as fpdf2 markdown text."""
    words = re.sub(r"[ \t]*\n[ \t]*", " ", source)
    words = words.replace("--", "–").replace("__", "_")  # fpdf2 reads "--" as underline, "__" as italics
    words = _IMAGE.sub(r"\1", words)
    words = _LINK.sub(r"\1", words)
    words = _AUTOLINK.sub(r"\1", words)
    words = _TAG.sub("", words)
    words = words.replace("`", "").replace("\\*", "*").replace("&nbsp;", " ")
    words = _ITALIC.sub(lambda m: f"__{m.group(1) or m.group(2)}__", words)
    return words.strip()


def plain(source: str) -> str:
    """The words only, without any emphasis marker (for table cells and titles)."""
    return inline(source).replace("**", "").replace("__", "")


@dataclass
class Block:
    kind: str  # "heading", "paragraph", "bullets", "numbered", "table"
    text: str = ""
    level: int = 0
    items: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    start: int = 1  # first number of a numbered list


def blocks(source: str) -> list[Block]:
    """The blocks of one Markdown cell, in order."""
    found: list[Block] = []
    lines = source.replace("\r\n", "\n").split("\n")
    paragraph: list[str] = []
    current: Block | None = None  # the list being read

    def close_paragraph() -> None:
        if paragraph:
            found.append(Block("paragraph", inline("\n".join(paragraph))))
            paragraph.clear()

    index = 0
    while index < len(lines):
        line = lines[index]
        stripped = line.strip()
        heading = _HEADING.match(stripped)
        ordered = _ORDERED.match(stripped) if not line.startswith("    ") else None
        bullet = _BULLET.match(stripped) if stripped != "---" and not line.startswith("    ") else None
        if not stripped:
            close_paragraph()
            if current is not None and not _continues(lines, index + 1):
                current = None
        elif heading:
            close_paragraph()
            current = None
            found.append(Block("heading", inline(heading.group(2)), level=len(heading.group(1))))
        elif stripped.startswith("|"):
            close_paragraph()
            current = None
            rows: list[list[str]] = []
            while index < len(lines) and lines[index].strip().startswith("|"):
                cells = [plain(cell) for cell in lines[index].strip().strip("|").split("|")]
                if not all(re.fullmatch(r":?-{2,}:?", cell.replace("–", "--")) for cell in cells if cell):
                    rows.append(cells)
                index += 1
            found.append(Block("table", rows=rows))
            continue
        elif ordered or bullet:
            close_paragraph()
            kind = "numbered" if ordered else "bullets"
            words = (ordered or bullet).group(2 if ordered else 1)  # type: ignore[union-attr]
            if current is None or current.kind != kind:
                current = Block(kind, start=int(ordered.group(1)) if ordered else 1)
                found.append(current)
            current.items.append(inline(words))
        elif current is not None and line[:1] in (" ", "\t"):
            current.items[-1] = inline(current.items[-1] + " " + stripped)
        elif stripped in ("---", "***"):
            close_paragraph()
            current = None
        else:
            if current is not None:
                current = None
            paragraph.append(stripped.removeprefix("> "))
        index += 1
    close_paragraph()
    return found


def _continues(lines: list[str], index: int) -> bool:
    """Whether the list goes on after a blank line (the next line is a list item or indented)."""
    if index >= len(lines):
        return False
    line = lines[index]
    return bool(_ORDERED.match(line.strip()) or _BULLET.match(line.strip()) or line.startswith("  "))
