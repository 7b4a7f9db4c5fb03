"""The facilitator guide's notes as the presenter view's speaker notes (coopcourse.handouts.speaker_notes).

The filter only has the notebook's file name (Voila gives a template no more), so file names must
be unique across the course; the notes are the guide's own, escaped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coopcourse import content
from coopcourse.handouts import speaker_notes as sn
from coopcourse.handouts.notebook import modules

COURSE = Path(__file__).resolve().parent.parent / "course"
GUIDE = content.load("facilitator")["modules"]


def test_notebook_file_names_are_unique_across_the_course() -> None:
    names = [path.stem for path in COURSE.rglob("*.ipynb") if ".ipynb_checkpoints" not in path.parts]
    assert len(names) == len(set(names)), sorted(names)


def test_every_module_in_the_guide_is_a_notebook_of_the_course() -> None:
    for path in GUIDE:
        assert (COURSE / f"{path}.ipynb").exists(), path


def _first_markdown(notebook: Path, starts: str) -> str:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return next(
        "".join(c["source"])
        for c in cells
        if c["cell_type"] == "markdown" and "".join(c["source"]).lstrip().startswith(starts)
    )


@pytest.mark.parametrize("module", modules(COURSE), ids=lambda m: m.path)
def test_title_and_activity_slides_carry_the_guides_notes(module) -> None:  # type: ignore[no-untyped-def]
    notebook = COURSE / f"{module.path}.ipynb"
    guide = GUIDE[module.path]
    title = sn.speaker_notes(_first_markdown(notebook, "# "), notebook.stem)
    for item in guide.get("materials", []):
        assert item.replace("'", "&#x27;").replace('"', "&quot;") in title
    for section in module.sections:
        notes = guide.get("activities", {}).get(section.activity or "", {})
        if not notes:
            continue
        shown = sn.speaker_notes(f"## {section.heading}\n\nSome text.", notebook.stem)
        for item in notes.get("listen_for", []) + notes.get("notes", []):
            assert item.replace("'", "&#x27;").replace('"', "&quot;") in shown, (module.path, section.heading)


def test_cells_that_start_no_slide_with_notes_have_none() -> None:
    assert sn.speaker_notes("Just a paragraph.", "02_collective_action") == ""
    assert sn.speaker_notes("## Key messages", "02_collective_action") == ""
    assert sn.speaker_notes("# Anything", "no_such_notebook") == ""


def test_notes_are_escaped(monkeypatch: pytest.MonkeyPatch) -> None:
    hostile = {"modules": {"x/01_m": {"materials": ["<script>alert(1)</script> & co"]}}}
    monkeypatch.setattr(sn.content, "load", lambda name: hostile)
    shown = sn.speaker_notes("# Title", "01_m")
    assert "<script>" not in shown and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in shown
