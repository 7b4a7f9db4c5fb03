"""The facilitator notes as reveal.js speaker notes in the presenter view (``?template=coop-reveal``).

The notes are the facilitator guide's (``content/<language>/facilitator.yaml``), never a second
copy: a module's title slide gets what to prepare (materials, room, common mistakes) and an
activity's slide ("## Activity 2: ...") gets that activity's notes, what to listen for and common
mistakes. Voila's exporter runs :func:`speaker_notes` as the Jinja filter ``coop_speaker_notes``
(named in voila.json) while it renders the slides, in the server, not in the page's kernel.
"""

from __future__ import annotations

import html
import re
from typing import Any

from coopcourse import content
from coopcourse.handouts.notebook import activity_number
from coopcourse.text import DEFAULT_LANGUAGE, speaking, text

_TITLE = re.compile(r"^#\s+\S", re.MULTILINE)
_HEADING_2 = re.compile(r"^##\s+(.+)$", re.MULTILINE)
_MODULE_NOTES = (("materials", "handouts.materials"), ("room", "handouts.room"), ("mistakes", "handouts.mistakes"))
_ACTIVITY_NOTES = (
    ("notes", "handouts.notes"),
    ("listen_for", "handouts.listen_for"),
    ("mistakes", "handouts.mistakes"),
)


def module_notes(notebook_name: str) -> dict[str, Any]:
    """The guide's notes of the module whose notebook is ``notebook_name`` (its file name without
    ``.ipynb``, which is all Voila gives a template; file names are unique across the course)."""
    modules: dict[str, Any] = content.load("facilitator")["modules"]
    return next((notes for path, notes in modules.items() if path.rsplit("/", 1)[-1] == notebook_name), {})


def speaker_notes(source: str, notebook_name: str, language: str = DEFAULT_LANGUAGE) -> str:
    """HTML for the speaker notes of the slide a Markdown cell starts, or "" when it has none, in
    the page's ``language`` (the server renders pages of every language)."""
    with speaking(language):
        return _speaker_notes(source, notebook_name)


def _speaker_notes(source: str, notebook_name: str) -> str:
    notes = module_notes(notebook_name)
    if not notes:
        return ""
    activity = next((n for n in map(activity_number, _HEADING_2.findall(source)) if n), None)
    if activity:
        found = notes.get("activities", {}).get(activity, {})
        parts = _ACTIVITY_NOTES
    elif _TITLE.search(source):
        found, parts = notes, _MODULE_NOTES
    else:
        return ""
    sections = [
        f"<p><strong>{html.escape(text(label))}</strong></p><ul>"
        + "".join(f"<li>{html.escape(str(item))}</li>" for item in found[key])
        + "</ul>"
        for key, label in parts
        if found.get(key)
    ]
    if not sections:
        return ""
    return f'<p class="coop-notes-title">{html.escape(text("handouts.speaker_notes_title"))}</p>' + "".join(sections)
