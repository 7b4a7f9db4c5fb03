"""Slide metadata for the presenter view (Voila's reveal.js template ``coop-reveal``).

    python tools/slides.py            # update every notebook under course/
    python tools/slides.py --check    # change nothing; exit 1 and list what is missing

Rules (only cell metadata is touched, never a cell's text):
- a Markdown cell that starts with an H1 or H2 heading (``# `` or ``## ``) starts a new slide;
- every other cell without a slide type continues the current slide (``"-"``), so an exercise
  stays on the slide of its activity's heading;
- a slide type an author chose by hand on a cell without a heading (``subslide``, ``fragment``,
  ``skip``, ``notes``, or ``slide`` for a break without a heading) is kept.

Running it twice changes nothing. ``tests/test_hygiene.py`` fails when a notebook needs it.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
COURSE = REPO / "course"

SLIDE_TYPES = {"slide", "subslide", "fragment", "-", "skip", "notes"}
HEADING = re.compile(r"\A\s*#{1,2}\s+\S")  # H1 or H2 on the cell's first non-blank line


def starts_slide(cell: nbformat.NotebookNode) -> bool:
    """Whether the cell is a Markdown cell opening with an H1 or H2 heading."""
    return cell.cell_type == "markdown" and bool(HEADING.match(cell.source))


def slide_type(cell: nbformat.NotebookNode) -> str | None:
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type")


def wanted(cell: nbformat.NotebookNode) -> str:
    """The slide type the cell should have."""
    if starts_slide(cell):
        return "slide"
    current = slide_type(cell)
    return current if current in SLIDE_TYPES else "-"


def problems(nb: nbformat.NotebookNode) -> list[str]:
    """What this script would change, in words (empty when the notebook is up to date)."""
    found = []
    for index, cell in enumerate(nb.cells):
        have, want = slide_type(cell), wanted(cell)
        if have != want:
            first = cell.source.strip().splitlines()[0][:60] if cell.source.strip() else ""
            found.append(f"cell {index} ({cell.cell_type}, {first!r}): slide_type {have!r}, expected {want!r}")
    return found


def apply(nb: nbformat.NotebookNode) -> bool:
    """Set the slide types in place; True if anything changed."""
    changed = False
    for cell in nb.cells:
        want = wanted(cell)
        if slide_type(cell) != want:
            cell.setdefault("metadata", {}).setdefault("slideshow", {})["slide_type"] = want
            changed = True
    return changed


def notebooks() -> list[Path]:
    return sorted(p for p in COURSE.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def main(argv: list[str]) -> int:
    check = "--check" in argv
    status = 0
    for path in notebooks():
        nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
        name = path.relative_to(REPO).as_posix()
        if check:
            found = problems(nb)
            if found:
                status = 1
                print(f"{name}:\n  " + "\n  ".join(found))
        elif apply(nb):
            # nbformat's own layout (1-space indent) plus the final newline Jupyter writes.
            path.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
            print(f"updated {name}")
    if check and status:
        print("run: .venv/bin/python tools/slides.py")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
