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
from coopcourse.text import speaking
from tests.notebooks import english_notebooks, published_languages

COURSE = Path(__file__).resolve().parent.parent / "course"
GUIDE = content.load("facilitator")["modules"]
PUBLISHED = published_languages()


def test_notebook_file_names_are_unique_across_the_course() -> None:
    names = [path.stem for path in english_notebooks(COURSE)]  # a translation repeats its source's name
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


def _escaped(item: str) -> str:
    return item.replace("'", "&#x27;").replace('"', "&quot;")


@pytest.mark.parametrize("language", ["en", *PUBLISHED])
@pytest.mark.parametrize("module", modules(COURSE), ids=lambda m: m.path)
def test_title_and_activity_slides_carry_the_guides_notes(module, language) -> None:  # type: ignore[no-untyped-def]
    """In the page's language: the server renders English, Spanish and French slides side by side."""
    folder = COURSE if language == "en" else COURSE / language
    notebook = folder / f"{module.path}.ipynb"
    guide = content.load("facilitator", language)["modules"][module.path]
    with speaking(language):
        page = next(m for m in modules(folder) if m.path == module.path)
    title = sn.speaker_notes(_first_markdown(notebook, "# "), notebook.stem, language)
    assert guide.get("materials") and all(_escaped(item) in title for item in guide["materials"])
    # Every activity the English module has is found in the page's language (its headings use
    # the word handouts.activity_heading), and its slide carries that activity's notes.
    assert [s.activity for s in page.sections if s.activity] == [s.activity for s in module.sections if s.activity]
    for section in page.sections:
        notes = guide.get("activities", {}).get(section.activity or "", {})
        if not notes:
            continue
        shown = sn.speaker_notes(f"## {section.heading}\n\nSome text.", notebook.stem, language)
        for item in notes.get("listen_for", []) + notes.get("notes", []):
            assert _escaped(item) in shown, (module.path, section.heading)


def test_cells_that_start_no_slide_with_notes_have_none() -> None:
    assert sn.speaker_notes("Just a paragraph.", "02_collective_action") == ""
    assert sn.speaker_notes("## Key messages", "02_collective_action") == ""
    assert sn.speaker_notes("# Anything", "no_such_notebook") == ""


def test_notes_are_escaped(monkeypatch: pytest.MonkeyPatch) -> None:
    hostile = {"modules": {"x/01_m": {"materials": ["<script>alert(1)</script> & co"]}}}
    monkeypatch.setattr(sn.content, "load", lambda name: hostile)
    shown = sn.speaker_notes("# Title", "01_m")
    assert "<script>" not in shown and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in shown
