"""The documents a group takes home (business plan, members' statements, agenda, minutes) are in
the page's language from title to last line: strings, the example's content and the numbers."""

from __future__ import annotations

import re

import pytest

from coopcourse.components import DocumentDownload
from coopcourse.exercises import start_coop
from coopcourse.exercises.manage_coop import communication, finance, governance
from coopcourse.text import speaking
from tests.english import english_lines
from tests.notebooks import published_languages

PUBLISHED = published_languages()


def _download(frame) -> DocumentDownload:  # type: ignore[no-untyped-def]
    return next(w for w in frame.children[-1].children if isinstance(w, DocumentDownload))


def _meeting_with_a_vote():  # type: ignore[no-untyped-def]
    """The example assembly, everyone present, one motion voted and recorded."""
    frame = governance.role_play_tracker()
    names = [row["name"] for row in frame.fields["members"].value]
    frame.fields["present"].value = names
    for name, toggle in frame.fields["votes"].toggles.items():
        toggle.value = "against" if name == names[-1] else "for"
    frame.fields["votes"].record_button.click()
    assert frame.feedback.kind == "success", frame.feedback.message
    return frame


EXPORTS = {
    "business_plan": start_coop.business_plan,
    "statements": lambda: finance.surplus_distribution(),
    "agenda": communication.agenda_builder,
    "minutes": _meeting_with_a_vote,
}


def _document(language: str, export: str) -> str:
    with speaking(language):
        frame = EXPORTS[export]()
        _download(frame).button.click()
    assert frame.feedback.kind in ("success", "info", "warning"), frame.feedback.message
    document = _download(frame).markdown.data.decode("utf-8")
    assert document.count("\n") > 5, document
    return document


@pytest.mark.parametrize("language", PUBLISHED)
@pytest.mark.parametrize("export", sorted(EXPORTS))
def test_an_exported_document_has_no_english_sentence(language: str, export: str) -> None:
    """No line that reads as English, and no piece of the English document's text (an agenda's
    terse rows have few of the words the first check counts)."""
    document = _document(language, export)
    left = english_lines(document) + sorted(_pieces(_document("en", export)) & _pieces(document))
    assert not left, f"{export} in {language}: English left:\n" + "\n".join(left[:10])


def _pieces(document: str) -> set[str]:
    """The document's phrases of three words or more (table cells and sentences)."""
    cells = (cell.strip(" _*#.:") for line in document.splitlines() for cell in re.split(r"[|.;:]", line))
    return {cell for cell in cells if len(re.findall(r"[^\W\d_]{2,}", cell)) >= 3}


def test_the_checks_find_english() -> None:
    assert english_lines(_document("en", "business_plan"))
    assert _pieces(_document("en", "agenda"))
