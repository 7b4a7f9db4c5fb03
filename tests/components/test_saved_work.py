"""The saved-work bar and session, driven as a learner would: name, edit, reload, move machines."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from pathlib import Path

import ipywidgets as widgets
import pytest

from coopcourse import saving
from coopcourse.components.saved_work import saved_work_bar
from coopcourse.exercises import think_coop
from coopcourse.store import WorkStore
from tests import hostile
from tests.components.frames import open_work_as


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COOPCOURSE_DATA_DIR", str(tmp_path / "data"))
    saving.start_new_session()
    return tmp_path / "data"


def new_page(monkeypatch: pytest.MonkeyPatch):
    """A page load in Voila: a fresh kernel, so a fresh session, the bar and one exercise."""
    saving.start_new_session()
    bar = saved_work_bar()
    return bar, think_coop.joint_purchasing()


def type_into(field, value: str) -> None:
    field.entry.value = value


def test_work_is_saved_as_the_learner_goes_and_comes_back_after_a_reload(data_dir, monkeypatch) -> None:
    bar, frame = new_page(monkeypatch)
    assert "not being saved" in bar.status.message
    open_work_as(bar, "Riverside group")
    assert bar.status.kind == "success"
    type_into(frame.fields["coordination_cost"], "725")
    frame.fields["members"].cells[0][1].entry.value = "61"
    frame.fields["buying_alone"]._checkboxes["Sokha"].value = True
    expected = frame.state()
    assert "Saved" in bar.status.message

    bar2, frame2 = new_page(monkeypatch)
    assert frame2.state() != expected  # a fresh page starts from the example
    open_work_as(bar2, "riverside   GROUP")
    assert frame2.state() == expected
    assert frame2.fields["coordination_cost"].entry.value == "725"


def test_two_learners_on_two_pages_never_see_each_others_work(data_dir, monkeypatch) -> None:
    bar_a, frame_a = new_page(monkeypatch)
    open_work_as(bar_a, "Ana")
    type_into(frame_a.fields["coordination_cost"], "111")
    bar_b, frame_b = new_page(monkeypatch)
    open_work_as(bar_b, "Ben")
    type_into(frame_b.fields["coordination_cost"], "222")
    store = WorkStore(data_dir / "saved-work.sqlite3")
    assert store.load("Ana", frame_a.exercise_id)["coordination_cost"] == 111
    assert store.load("Ben", frame_b.exercise_id)["coordination_cost"] == 222


def test_edits_made_before_opening_are_not_overwritten_without_asking(data_dir, monkeypatch) -> None:
    bar, frame = new_page(monkeypatch)
    open_work_as(bar, "Ana")
    type_into(frame.fields["coordination_cost"], "300")
    bar2, frame2 = new_page(monkeypatch)
    type_into(frame2.fields["coordination_cost"], "999")  # typed before giving the name
    open_work_as(bar2, "Ana")
    assert frame2.fields["coordination_cost"].value == 999
    assert bar2.conflict_box.children, "the learner is asked which version to keep"
    _keep_page, load_saved = bar2.conflict_box.children[1].children
    load_saved.click()
    assert frame2.fields["coordination_cost"].value == 300
    assert not bar2.conflict_box.children


def test_the_bars_message_boxes_are_built_in_their_place_when_first_used(data_dir, monkeypatch) -> None:
    """An empty box is a widget model for the kernel, the server and every device: none on opening."""
    bar, frame = new_page(monkeypatch)
    opened = list(bar.children)
    assert not any(isinstance(child, widgets.Box) and not child.children for child in opened)
    bar.name.entry.value = "Ana"  # a new name: it opens, and the bar offers a PIN
    type_into(frame.fields["coordination_cost"], "300")
    offer = bar.pin_box
    assert offer.children and list(bar.children) == [*opened[:4], offer, *opened[4:]], "only the PIN offer"
    bar.upload_box.children = [widgets.HTML("note")]
    assert list(bar.children) == [*opened[:4], offer, *opened[4:], bar.upload_box]
    assert bar.pin_box is offer  # built once

    bar2, _frame2 = new_page(monkeypatch)
    bar2.name.entry.value = "Ana"  # saved work under this name: the bar asks first
    asked = bar2.name_box
    assert asked.children and bar2.children.index(asked) == bar2.children.index(bar2.status) + 1


def test_hostile_name_is_escaped_everywhere(data_dir, monkeypatch) -> None:
    bar, _frame = new_page(monkeypatch)
    open_work_as(bar, hostile.IMAGE)
    assert "<img" not in bar.status.value and "&lt;img" in bar.status.value
    bar.download_button.click()
    assert "<img" not in bar.download_link.value.split("href")[0]
    assert 'download="coop-course-img-src-x-onerror-alert-1.json"' in bar.download_link.value


def test_empty_name_gets_a_message_next_to_the_field(data_dir, monkeypatch) -> None:
    bar, _frame = new_page(monkeypatch)
    open_work_as(bar, "   ")
    assert "type a name" in bar.name.error
    assert saving.current_session().learner is None


def _downloaded(bar) -> bytes:
    bar.download_button.click()
    href = bar.download_link.value.split('href="data:application/json;base64,', 1)[1].split('"', 1)[0]
    return base64.b64decode(href)


def _upload(bar, data: bytes) -> None:
    bar.upload.value = (
        {
            "name": "work.json",
            "type": "application/json",
            "size": len(data),
            "content": memoryview(data),
            "last_modified": datetime.now(UTC),
        },
    )


def test_download_then_upload_on_another_machine_restores_everything(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("COOPCOURSE_DATA_DIR", str(tmp_path / "machine-a"))
    bar, frame = new_page(monkeypatch)
    open_work_as(bar, "Ana")
    type_into(frame.fields["coordination_cost"], "480")
    frame.fields["members"].add_row()
    expected = frame.state()
    data = _downloaded(bar)
    assert json.loads(data)["exercises"][frame.exercise_id] == expected

    monkeypatch.setenv("COOPCOURSE_DATA_DIR", str(tmp_path / "machine-b"))
    bar_b, frame_b = new_page(monkeypatch)
    open_work_as(bar_b, "Ana")
    _upload(bar_b, data)
    assert frame_b.state() == expected
    assert "brought back from the file: 1" in bar_b.upload_box.children[0].message


def test_upload_that_would_replace_saved_work_asks_first(data_dir, monkeypatch) -> None:
    bar, frame = new_page(monkeypatch)
    open_work_as(bar, "Ana")
    type_into(frame.fields["coordination_cost"], "100")
    data = _downloaded(bar)
    type_into(frame.fields["coordination_cost"], "200")
    _upload(bar, data)
    assert frame.fields["coordination_cost"].value == 200, "nothing replaced before the learner confirms"
    replace, _keep = bar.upload_box.children[1].children
    replace.click()
    assert frame.fields["coordination_cost"].value == 100


def test_damaged_upload_is_refused_and_changes_nothing(data_dir, monkeypatch) -> None:
    bar, frame = new_page(monkeypatch)
    open_work_as(bar, "Ana")
    type_into(frame.fields["coordination_cost"], "100")
    data = bytearray(_downloaded(bar))
    data[len(data) // 2] ^= 0x01
    _upload(bar, bytes(data))
    note = bar.upload_box.children[0]
    assert (note.kind == "error" and "cannot be read" in note.message) or "not a work file" in note.message
    assert frame.fields["coordination_cost"].value == 100
