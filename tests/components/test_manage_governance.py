"""The governance role-play tracker, driven like a group around one screen: load a scenario card,
tick who is present, vote, record, rotate the roles, download the minutes."""

from __future__ import annotations

import base64
import io
import re

import ipywidgets as widgets
import pytest
from docx import Document as WordDocument

from coopcourse.exercises.manage_coop import governance
from coopcourse.saving import current_session
from coopcourse.text import text
from tests import hostile
from tests.components.frames import all_html, results


def step(frame) -> str:  # type: ignore[no-untyped-def]
    return frame.tools.children[1].message


def cards(frame):  # type: ignore[no-untyped-def]
    return frame.tools.children[0]


def log_table(frame):  # type: ignore[no-untyped-def]
    return results(frame)[1]


def rotate_button(frame) -> widgets.Button:  # type: ignore[no-untyped-def]
    return results(frame)[2].children[0]


def minutes_controls(frame):  # type: ignore[no-untyped-def]
    button, markdown, word = results(frame)[-1].children
    return button, markdown, word


def load_card(frame, card_id: str) -> None:  # type: ignore[no-untyped-def]
    box = cards(frame)
    box.choose.value = card_id
    box.load.button.click()
    box.load.confirm.click()


def vote(frame, choices: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    for name, choice in choices.items():
        frame.fields["votes"].toggles[name].value = choice


@pytest.fixture
def tracker():  # type: ignore[no-untyped-def]
    return governance.role_play_tracker()


def test_starts_with_the_coffee_assembly_and_asks_for_attendance(tracker) -> None:  # type: ignore[no-untyped-def]
    assert [m["name"] for m in tracker.fields["members"].value][:3] == ["Amina", "Bao", "Carlos"]
    assert "Round 1" in step(tracker) and "secretary (Bao)" in step(tracker) and "present" in step(tracker)
    assert tracker.feedback.kind == "warning" and "No quorum yet" in tracker.feedback.message
    assert "3 are needed" in tracker.feedback.message  # 9 with a vote (the manager has none) x 25%
    assert tracker.fields["votes"].toggles == {}


def test_a_whole_meeting_with_minutes_in_word(tracker, learner_message) -> None:  # type: ignore[no-untyped-def]
    load_card(tracker, "board_hires_manager")
    assert tracker.fields["meeting_type"].value == "board_meeting"
    names = [m["name"] for m in tracker.fields["members"].value]
    assert names == ["Dewi", "Esi", "Amina", "Hugo", "Ines", "Gloria"]

    # Attendance: the secretary ticks who is present, one checkbox each.
    for box in tracker.fields["present"].boxes.children:
        box.value = box.description in {"Dewi", "Esi", "Amina", "Gloria"}
    # 5 directors, 51% -> 3 needed; Gloria (supervisory committee) does not count at a board meeting.
    assert tracker.feedback.kind == "success"
    assert "3 present of 5 with a vote; 3 needed" in tracker.feedback.message
    assert "motion 1" in step(tracker) and "Hire a manager" in step(tracker)
    assert list(tracker.fields["votes"].toggles) == ["Dewi", "Esi", "Amina"]  # Gloria has no vote

    # Not everyone has voted yet: recording is refused, naming who is missing.
    vote(tracker, {"Dewi": "for", "Esi": "for"})
    assert "2 for, 0 against, 0 abstaining; 1 still to vote" in tracker.fields["votes"].count.value
    tracker.fields["votes"].record_button.click()
    assert tracker.feedback.kind == "warning" and "Amina" in tracker.feedback.message
    learner_message(tracker.feedback.message)
    assert tracker.fields["log"].value == []

    vote(tracker, {"Amina": "abstain"})
    tracker.fields["votes"].record_button.click()
    assert tracker.feedback.kind == "success"
    assert "carried" in tracker.feedback.message and "Abstentions are not counted" in tracker.feedback.message
    assert "the votes cast are 2" in tracker.feedback.message and "needed 2" in tracker.feedback.message
    assert tracker.fields["votes"].value == {}  # a fresh ballot for the next motion
    assert "motion 2" in step(tracker)
    table = log_table(tracker).frame
    assert list(table[text("meeting.col_result")]) == ["carried"]
    assert list(table[text("meeting.col_votes")]) == ["2 / 0 / 1"]

    vote(tracker, {"Dewi": "for", "Esi": "against", "Amina": "against"})
    tracker.fields["votes"].record_button.click()
    assert "not carried" in tracker.feedback.message
    assert "Every motion has been voted on" in step(tracker)
    tracker.fields["votes"].record_button.click()
    assert "Every motion on the agenda has been voted on" in tracker.feedback.message

    # Next round: roles pass to the next person; the agenda can be played again.
    rotate_button(tracker).click()
    roles = {m["name"]: m["role"] for m in tracker.fields["members"].value}
    assert roles["Esi"] == "chair" and roles["Amina"] == "secretary" and roles["Dewi"] == "supervisory_committee"
    assert "Round 2" in step(tracker) and "chair (Esi)" in step(tracker) and "motion 1" in step(tracker)
    assert "Round 2" in results(tracker)[0].value
    assert "Esi now chairs" in results(tracker)[3].value

    # Minutes: Markdown and Word.
    tracker.fields["meeting_date"].entry.value = "14 March"
    button, markdown_link, word_link = minutes_controls(tracker)
    button.click()
    assert markdown_link.filename == "minutes-cerro-verde-coffee-cooperative.md"
    markdown = markdown_link.data.decode("utf-8")
    assert "Minutes of the Board meeting" in markdown and "14 March" in markdown
    assert "Round 1: chaired by Dewi; minutes taken by Esi." in markdown
    assert "Round 2: chaired by Esi; minutes taken by Amina." in markdown
    word = WordDocument(io.BytesIO(word_link.data))
    body = "\n".join(p.text for p in word.paragraphs)
    cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    assert "Hire a manager on a one-year contract" in body and "was carried" in body
    assert "The manager reports to the board every month" in cells and "not carried" in cells
    assert "Dewi, Chair to Supervisory committee" in body
    assert base64.b64encode(word_link.data).decode("ascii") in word_link.value


def test_the_meeting_is_saved_and_restored(tracker) -> None:  # type: ignore[no-untyped-def]
    session = current_session()
    session.open("Group One")
    tracker.fields["present"].value = ["Amina", "Bao", "Carlos", "Dewi"]
    vote(tracker, {"Amina": "for", "Bao": "for", "Carlos": "for", "Dewi": "against"})
    tracker.fields["votes"].record_button.click()
    vote(tracker, {"Amina": "against"})  # a vote in progress is saved too
    saved = session.store.load("Group One", tracker.exercise_id)
    assert saved is not None and len(saved["log"]) == 1 and saved["votes"] == {"Amina": "against"}

    again = governance.role_play_tracker()
    again.apply(saved)
    assert again.fields["log"].value == saved["log"]
    assert again.fields["present"].value == ["Amina", "Bao", "Carlos", "Dewi"]
    assert again.fields["votes"].toggles["Amina"].value == "against"
    assert "motion 2" in step(again)


@pytest.mark.parametrize("present_first", [False, True])
def test_attendance_of_a_member_added_to_the_list_is_restored(tracker, present_first: bool) -> None:  # type: ignore[no-untyped-def]
    """Saved work brings back a person added to the card's list *and* their tick, whichever of the
    two fields is set first (found in the browser: the tick of the new person was dropped)."""
    members = [*tracker.fields["members"].value, {"name": "Kofi", "role": "ordinary_member"}]
    tracker.fields["members"].value = members
    tracker.fields["present"].value = ["Amina", "Bao", "Kofi"]
    saved = tracker.state()

    again = governance.role_play_tracker()
    order = ["present", "members"] if present_first else ["members", "present"]
    again.apply({**{key: saved[key] for key in order}, **saved})
    assert again.fields["present"].value == ["Amina", "Bao", "Kofi"]
    boxes = again.fields["present"].boxes.children
    assert [box.description for box in boxes if box.value] == ["Amina", "Bao", "Kofi"]


def test_loading_a_card_asks_first_and_cancel_keeps_the_meeting(tracker) -> None:  # type: ignore[no-untyped-def]
    tracker.fields["present"].value = ["Amina"]
    box = cards(tracker)
    box.choose.value = "surplus_assembly"
    box.load.button.click()
    assert box.load.note.kind == "warning"
    box.load.cancel.click()
    assert tracker.fields["members"].value[0]["name"] == "Amina"
    assert tracker.fields["present"].value == ["Amina"]
    load_card(tracker, "surplus_assembly")
    assert tracker.fields["members"].value[0]["name"] == "Kofi"
    assert tracker.fields["present"].value == [] and tracker.fields["log"].value == []
    assert any(m["majority"] == "three_quarters" for m in tracker.fields["motions"].value)


def test_a_higher_quorum_needs_more_members(tracker) -> None:  # type: ignore[no-untyped-def]
    # (A bad quorum: tests/components/test_bad_input.py.)
    field = tracker.fields["quorum_percent"]
    field.entry.value = "50"
    assert field.error == "" and "5 are needed" in tracker.feedback.message


def test_a_vote_cannot_be_recorded_without_quorum(tracker, learner_message) -> None:  # type: ignore[no-untyped-def]
    tracker.fields["quorum_percent"].entry.value = "50"
    tracker.fields["present"].value = ["Amina", "Bao", "Farid"]  # 2 with a vote; 5 needed
    assert "No quorum yet" in tracker.feedback.message and "3 more must arrive" in tracker.feedback.message
    assert "cannot decide yet" in step(tracker)
    assert tracker.fields["votes"].toggles == {}
    tracker.fields["votes"].record_button.click()
    assert tracker.feedback.kind == "warning"
    assert "cannot be recorded" in tracker.feedback.message and "quorum" in tracker.feedback.message
    learner_message(tracker.feedback.message)
    assert tracker.fields["log"].value == []


def test_no_motions_on_the_agenda(tracker, learner_message) -> None:  # type: ignore[no-untyped-def]
    tracker.fields["present"].value = ["Amina", "Bao", "Carlos", "Dewi"]
    motions = tracker.fields["motions"]
    while motions.value:
        motions.remove_row(0)
    assert "writes the motions on the agenda" in step(tracker)
    tracker.fields["votes"].record_button.click()
    assert "no motion on the agenda" in tracker.feedback.message
    learner_message(tracker.feedback.message)
    motions.add_row()  # a blank motion is pointed out
    assert "Motion 1 has no text yet" in tracker.feedback.message
    motions.cells[0][0].entry.value = "Buy a coffee dryer"
    assert "Buy a coffee dryer" in step(tracker)


def test_setup_problems_show_in_the_next_step_line(tracker, learner_message) -> None:  # type: ignore[no-untyped-def]
    members = tracker.fields["members"]
    members.cells[1][1].entry.value = "chair"  # Bao becomes a second chair
    assert "exactly one chair" in step(tracker) and "exactly one chair" in members.error
    learner_message(tracker.feedback.message)
    members.cells[1][1].entry.value = "secretary"
    assert "present" in step(tracker)
    members.cells[1][0].entry.value = "amina"
    assert '"amina" appears twice' in tracker.feedback.message and "appears twice" in step(tracker)
    assert "appears twice" in members.error


def test_hostile_member_name_is_shown_escaped(tracker) -> None:  # type: ignore[no-untyped-def]
    members = tracker.fields["members"]
    members.cells[1][0].entry.value = hostile.SCRIPT  # instead of Bao, the secretary
    assert f"secretary ({hostile.SCRIPT})" in step(tracker)  # plain text, escaped when rendered
    tracker.fields["present"].value = ["Amina", hostile.SCRIPT, "Carlos"]
    vote(tracker, {"Amina": "for", "Carlos": "for", hostile.SCRIPT: "against"})
    tracker.fields["votes"].record_button.click()
    rotate_button(tracker).click()
    minutes_controls(tracker)[0].click()
    shown = all_html(tracker)
    assert not any("script" in tag for tag in re.findall(r"<[^>]*>", shown))
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert escaped in tracker.tools.children[1].value  # the next step: the new chair
    assert escaped in log_table(tracker).value and escaped in results(tracker)[3].value
    markdown = minutes_controls(tracker)[1].data.decode("utf-8")
    assert "<script>" not in markdown and "&lt;script&gt;" in markdown
    # Checkbox and vote-button labels are plain text (ipywidgets does not render them as HTML).
    assert hostile.SCRIPT in [box.description for box in tracker.fields["present"].boxes.children]
    assert not tracker.fields["present"].boxes.children[1].description_allow_html
    assert hostile.SCRIPT in tracker.fields["votes"].toggles
    assert not tracker.fields["votes"].toggles[hostile.SCRIPT].description_allow_html


def test_rotation_returns_to_the_start_after_one_turn_per_person(tracker) -> None:  # type: ignore[no-untyped-def]
    start = tracker.fields["members"].value
    for _ in range(len(start)):
        rotate_button(tracker).click()
    assert tracker.fields["members"].value == start
    assert f"Round {len(start) + 1}" in step(tracker)
