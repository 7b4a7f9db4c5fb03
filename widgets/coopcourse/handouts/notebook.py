"""A module notebook read as a sequence of printable sections.

The content conventions mark cells with tags (``objectives``, ``how-to-work``, ``read-aloud``,
``key-messages``, ``next-module``, ``sources``, ``agenda``) and give timed headings a
``coop.minutes`` metadata number. A notebook without them (or a cell without a tag) still reads:
every H2 heading starts a section, and a heading's minutes are read from ``(25 minutes)`` in its
text. Code cells become exercise references (``think_coop.joint_purchasing()``) and self-checks
(``self_check("think_coop", "collective_action")``); nothing in a notebook is run.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coopcourse.handouts.markdown import Block, blocks, plain
from coopcourse.text import text

TAGS = ("objectives", "how-to-work", "read-aloud", "key-messages", "next-module", "sources", "agenda")
_MINUTES = re.compile(r"\((\d+)\s*(?:minutes?|min)\)", re.IGNORECASE)


def activity_number(heading: str) -> str | None:
    """The number of the activity a heading starts ("Activity 1A: ..." -> "1A"), in the current
    language's word for it ("Actividad 2: ...", "Activité 2 : ..."); None for any other heading."""
    word = re.escape(text("handouts.activity_heading"))
    found = re.match(rf"^{word}\s+(\w+)\s*:", heading.strip(), re.IGNORECASE)
    return found.group(1) if found else None


@dataclass(frozen=True)
class Exercise:
    module: str  # "coopcourse.exercises.think_coop"
    function: str  # "joint_purchasing"


@dataclass(frozen=True)
class SelfCheck:
    bank: str
    set_id: str


@dataclass
class Piece:
    """One cell's worth of a section: Markdown blocks (with the cell's tag), or an exercise or a
    self-check."""

    tag: str = ""
    blocks: list[Block] = field(default_factory=list)
    exercise: Exercise | None = None
    self_check: SelfCheck | None = None


@dataclass
class Section:
    heading: str  # without the "## "; "" for the part before the first H2
    minutes: int | None = None
    pieces: list[Piece] = field(default_factory=list)
    # The activity's number as written in its heading ("1", "1A"), if it is one; read with the
    # notebook, in its language.
    activity: str | None = None

    @property
    def exercises(self) -> list[Exercise]:
        return [p.exercise for p in self.pieces if p.exercise is not None]

    @property
    def self_checks(self) -> list[SelfCheck]:
        return [p.self_check for p in self.pieces if p.self_check is not None]

    def tagged(self, tag: str) -> list[Piece]:
        return [p for p in self.pieces if p.tag == tag]


@dataclass
class Module:
    path: str  # "think_coop/02_collective_action" (under course/, without .ipynb)
    title: str
    minutes: int | None
    intro: list[Block]
    sections: list[Section]

    @property
    def part(self) -> str:
        return self.path.split("/")[0]

    def tagged(self, tag: str) -> list[Piece]:
        return [p for s in self.sections for p in s.tagged(tag)]

    @property
    def timed(self) -> list[Section]:
        return [s for s in self.sections if s.minutes is not None]

    @property
    def exercises(self) -> list[Exercise]:
        return [e for s in self.sections for e in s.exercises]

    @property
    def self_checks(self) -> list[SelfCheck]:
        return [c for s in self.sections for c in s.self_checks]

    @property
    def total_minutes(self) -> int:
        """The module's time: the first cell's ``coop.minutes``, else the sum of its sections'."""
        return self.minutes if self.minutes is not None else sum(s.minutes or 0 for s in self.sections)


def _source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _tag(cell: dict[str, Any]) -> str:
    tags = cell.get("metadata", {}).get("tags", [])
    return next((t for t in tags if t in TAGS), "")


def _minutes(cell: dict[str, Any], heading: str) -> int | None:
    given = cell.get("metadata", {}).get("coop", {}).get("minutes")
    if isinstance(given, int) and not isinstance(given, bool):
        return given
    found = _MINUTES.search(heading)
    return int(found.group(1)) if found else None


def code_pieces(source: str) -> list[Piece]:
    """The exercises and self-checks a code cell shows (read from its syntax, never run)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    imported: dict[str, str] = {}
    found: list[Piece] = []
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("coopcourse.exercises"):
            for alias in node.names:
                imported[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            call = node.value
            arguments = [a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if isinstance(call.func, ast.Name) and call.func.id == "self_check" and len(arguments) == 2:
                found.append(Piece(self_check=SelfCheck(arguments[0], arguments[1])))
            elif (
                isinstance(call.func, ast.Attribute)
                and isinstance(call.func.value, ast.Name)
                and call.func.value.id in imported
            ):
                found.append(Piece(exercise=Exercise(imported[call.func.value.id], call.func.attr)))
    return found


def read(path: Path, course: Path) -> Module:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cells = notebook.get("cells", [])
    name = path.relative_to(course).with_suffix("").as_posix()
    title, minutes, intro = name, None, []
    sections: list[Section] = []
    current: Section | None = None
    for number, cell in enumerate(cells):
        source = _source(cell)
        if cell.get("cell_type") == "code":
            if current is not None:
                current.pieces.extend(code_pieces(source))
            continue
        if cell.get("cell_type") != "markdown":
            continue
        tag = _tag(cell)
        found = blocks(source)
        if number == 0 and found and found[0].kind == "heading" and found[0].level == 1:
            title = plain(found[0].text)
            minutes = _minutes(cell, "")
            intro = found[1:]
            continue
        if found and found[0].kind == "heading" and found[0].level <= 2:
            heading = plain(found[0].text)
            current = Section(heading, _minutes(cell, heading), activity=activity_number(heading))
            sections.append(current)
            found = found[1:]
        elif current is None:
            current = Section("")
            sections.append(current)
        if found or tag:
            current.pieces.append(Piece(tag=tag, blocks=found))
    return Module(name, title, minutes, intro, sections)


def modules(course: Path) -> list[Module]:
    """Every module notebook of the course (``course/<part>/NN_*.ipynb``), in course order."""
    order = {"think_coop": 0, "start_coop": 1, "manage_coop": 2}
    paths = sorted(course.glob("*/[0-9][0-9]_*.ipynb"), key=lambda p: (order.get(p.parent.name, 9), p.name))
    return [read(path, course) for path in paths]
