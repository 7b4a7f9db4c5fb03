"""Manage.Coop module 2 exercises, driven as a learner would: add rows, choose options, type
wrong things, export the agenda."""

from __future__ import annotations

import io

import ipywidgets as widgets
from docx import Document as WordDocument

from coopcourse import saving
from coopcourse.components import DownloadLink
from coopcourse.exercises.manage_coop import communication
from tests import hostile
from tests.components.frames import results


def find(widget, kind, **attributes):
    """Every widget of type ``kind`` under ``widget`` whose attributes match."""
    found = []
    if isinstance(widget, kind) and all(getattr(widget, k, None) == v for k, v in attributes.items()):
        found.append(widget)
    for child in getattr(widget, "children", ()):
        found += find(child, kind, **attributes)
    return found


def column(frame, index):
    return [row[index] for row in frame]


# --- communication plan -------------------------------------------------------------------------------


def test_plan_starts_with_an_example_and_groups_by_audience(learner_message):
    frame = communication.communication_plan()
    assert frame.feedback.kind == "success"
    learner_message(frame.feedback.message)
    plan, channels = find(frame, communication.ResultsTable)
    assert plan.frame.iloc[:, 0].tolist() == ["Members", "", "Board"]
    assert set(channels.frame["Channel"]) == {"General assembly", "Notice board", "Meeting"}


def test_adding_rows_and_choosing_options_updates_the_checks(learner_message):
    frame = communication.communication_plan()
    plan = frame.fields["plan"]
    tables = find(frame, communication.ResultsTable)
    # Remove the general assembly: members now hear only through the notice board.
    plan.remove_row(0)
    assert frame.feedback.kind == "warning"
    checks = results(frame)[0].value
    assert "one-way channels" in checks and "Notice board" in checks
    # Add a row: members, via a suggestion box, with nobody responsible.
    plan.add_row()
    row = plan.cells[-1]
    row[0].entry.value = "members"
    row[1].entry.value = "Questions about payments"
    row[2].entry.value = "suggestion_box"
    row[3].entry.value = "when_needed"
    checks = results(frame)[0].value
    assert "one-way" not in checks
    assert "Nobody is responsible for: row 3 (Questions about payments)" in checks
    assert "Suggestion box" in tables[1].frame["Channel"].tolist()
    row[4].entry.value = "Secretary"
    assert frame.feedback.kind == "success"
    learner_message(frame.feedback.message)
    # Without any board item the board is reported missing.
    plan.remove_row(1)
    assert "Nothing is planned yet for: Board" in results(frame)[0].value


def test_hostile_text_in_the_plan_is_shown_escaped():
    frame = communication.communication_plan()
    frame.fields["plan"].cells[0][1].entry.value = hostile.SCRIPT
    frame.fields["plan"].cells[0][4].entry.value = hostile.SCRIPT
    table = find(frame, communication.ResultsTable)[0]
    assert hostile.SCRIPT in table.frame.values
    assert "<script>" not in table.value and "&lt;script&gt;" in table.value


# --- agenda -------------------------------------------------------------------------------------------


def agenda_times(frame):
    return column(find(frame, communication.ResultsTable)[0].frame.values.tolist(), 0)


def test_agenda_shows_clock_times_and_warns(learner_message):
    frame = communication.agenda_builder()
    assert agenda_times(frame)[:2] == ["18:00–18:05", "18:05–18:15"]
    assert frame.feedback.kind == "success" and "ends at 19:25" in frame.feedback.message
    frame.fields["start_minute"].entry.value = "30"
    assert agenda_times(frame)[0] == "18:30–18:35"
    # Make the report longer: over time, and the truck decision slides to the end.
    items = frame.fields["items"]
    items.cells[2][1].entry.value = "40"
    assert frame.feedback.kind == "warning"
    learner_message(frame.feedback.message)
    warnings = results(frame)[0].value
    assert "20 minutes more than planned" in warnings and "would end at 20:20 instead of 20:00" in warnings
    assert "Decisions come late" in warnings and "Decide: buy a second delivery truck?" in warnings
    # Remove "Any other business": no room for it any more.
    items.remove_row(5)
    assert "no time for any other business" in results(frame)[0].value


def test_agenda_add_an_item_and_choose_its_type():
    frame = communication.agenda_builder()
    items = frame.fields["items"]
    items.add_row()
    new = items.cells[-1]
    new[0].entry.value = "Elect a new treasurer"
    new[1].entry.value = "15"
    new[2].entry.value = "decision"
    table = find(frame, communication.ResultsTable)[0].frame
    assert table.iloc[-1].tolist() == ["19:25–19:40", "Elect a new treasurer", "Decision", "15"]


def test_minutes_of_an_item_move_the_times_after_it():
    # (Bad minutes and a bad start hour: tests/components/test_bad_input.py.)
    frame = communication.agenda_builder()
    cell = frame.fields["items"].cells[1][1]
    cell.entry.value = "20"
    assert not cell.error and agenda_times(frame)[1] == "18:05–18:25"


def test_an_item_without_a_title_is_explained(learner_message):
    frame = communication.agenda_builder()
    frame.fields["items"].cells[0][0].entry.value = ""
    assert "Item 1: write what the item is about" in frame.feedback.message
    learner_message(frame.feedback.message)


def test_agenda_exports_as_markdown_and_word_with_hostile_text_escaped():
    frame = communication.agenda_builder()
    frame.fields["meeting"].entry.value = "Board " + hostile.SCRIPT
    frame.fields["items"].cells[0][0].entry.value = hostile.SCRIPT
    table = find(frame, communication.ResultsTable)[0]
    assert "<script>" not in table.value
    find(frame, widgets.Button, description="Prepare the agenda as a document")[0].click()
    links = find(frame, DownloadLink)
    markdown, word = links
    assert markdown.filename.endswith(".md") and word.filename.endswith(".docx")
    assert "<script>" not in markdown.value
    text = markdown.data.decode("utf-8")
    assert "18:00–18:05" in text and "&lt;script&gt;" in text and "<script>" not in text
    document = WordDocument(io.BytesIO(word.data))
    assert any("Any other business" in cell.text for t in document.tables for row in t.rows for cell in row.cells)
    # A change after export withdraws the now outdated files.
    frame.fields["planned_minutes"].entry.value = "120"
    assert markdown.value == "" and word.value == ""


def test_plan_and_agenda_are_saved_and_restored():
    session = saving.current_session()
    session.open("Lakeside board")
    frame = communication.agenda_builder()
    frame.fields["items"].cells[0][1].entry.value = "7"
    plan = communication.communication_plan()
    plan.fields["plan"].add_row()
    plan.fields["plan"].cells[-1][1].entry.value = "Training dates"
    saving.start_new_session()  # a new page
    saving.current_session().open("Lakeside board")
    again = communication.agenda_builder()
    assert again.fields["items"].value[0]["minutes"] == 7
    assert agenda_times(again)[0] == "18:00–18:07"
    plan_again = communication.communication_plan()
    assert plan_again.fields["plan"].value[-1]["information"] == "Training dates"
