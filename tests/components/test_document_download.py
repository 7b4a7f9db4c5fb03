"""The one Markdown + Word download pair (components.DocumentDownload), and every document export of
the course running through its exercise's guard: a learner's mistake is shown next to its field, an
unexpected failure as a calm message, never as a traceback."""

from __future__ import annotations

import base64
import io

import pytest
from docx import Document as WordDocument

from coopcourse import documents
from coopcourse.components import DocumentDownload, ExerciseFrame, NumberField
from coopcourse.components.download import WORD_TYPE
from coopcourse.errors import CourseInputError
from coopcourse.exercises import start_coop
from coopcourse.exercises.manage_coop import communication, finance, governance
from coopcourse.text import text

DOCUMENT = documents.Document("Plan <b>", "Our group", (documents.Section("Risks", ("Drought.",)),))


def small_frame(prepare):  # type: ignore[no-untyped-def]
    amount = NumberField("Amount", 1)
    download = DocumentDownload("Prepare")
    frame = ExerciseFrame("test.download", "Title", "Do this.", {"amount": amount}, [download])
    download.bind(frame, prepare, then=lambda: frame.feedback.show("success", "Ready"))
    frame.bind(lambda: None)
    return frame, download


def test_offers_the_document_as_markdown_and_word_named_from_the_stem() -> None:
    frame, download = small_frame(lambda: (DOCUMENT, "plan-our-group"))
    download.button.click()
    assert (download.markdown.filename, download.word.filename) == ("plan-our-group.md", "plan-our-group.docx")
    assert download.markdown.data.decode("utf-8").startswith("# Plan &lt;b&gt;")
    assert WordDocument(io.BytesIO(download.word.data)).paragraphs[0].text == "Plan <b>"
    assert (
        f'href="data:{WORD_TYPE};base64,{base64.b64encode(download.word.data).decode("ascii")}"' in download.word.value
    )
    assert frame.feedback.kind == "success" and frame.feedback.message == "Ready"
    download.withdraw()
    assert download.markdown.value == download.word.value == "" and download.word.data == b""


def test_a_learners_mistake_goes_next_to_its_field_and_offers_nothing() -> None:
    def prepare() -> tuple[documents.Document, str]:
        raise CourseInputError("Amount must be more than 1.", "amount")

    frame, download = small_frame(prepare)
    download.button.click()
    assert frame.fields["amount"].error == "Amount must be more than 1."
    assert frame.feedback.kind == "warning"
    assert download.markdown.value == "" and download.word.value == ""


def _fail(_document: documents.Document) -> bytes:
    raise RuntimeError("a bug in making the Word file")


@pytest.mark.parametrize(
    ("build", "label"),
    [
        (start_coop.business_plan, "plan.export"),
        (lambda: finance.surplus_distribution(), "surplus.export"),
        (communication.agenda_builder, "agenda.export"),
        (lambda: governance.role_play_tracker(), "meeting.minutes_button"),
    ],
)
def test_every_export_is_guarded(build, label: str, monkeypatch: pytest.MonkeyPatch, allow_coopcourse_errors) -> None:  # type: ignore[no-untyped-def]
    frame = build()
    downloads = [w for w in frame.children[-1].children if isinstance(w, DocumentDownload)]
    assert len(downloads) == 1 and downloads[0].button.description == text(label)
    if "present" in frame.fields:  # the minutes need everyone present (a quorum) first
        frame.fields["present"].value = [row["name"] for row in frame.fields["members"].value]
    monkeypatch.setattr(documents, "to_docx", _fail)
    downloads[0].button.click()  # with the tests' strict callbacks, an unguarded button raises here
    assert frame.feedback.kind == "internal"
    assert [r.exc_info[0] for r in allow_coopcourse_errors.records if r.exc_info] == [RuntimeError]
