"""Saved work under the ways a workshop breaks it, driven through the saved-work bar as a group
would: a poisoned work file, two devices under one name, a name someone else uses, a PIN, a
broken store."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from coopcourse import documents, saving
from coopcourse.components.download import file_slug
from coopcourse.components.saved_work import saved_work_bar
from coopcourse.exercises import think_coop
from coopcourse.exercises.manage_coop import growth
from coopcourse.store import FILE_FORMAT, FILE_VERSION, WorkStore, _checksum, is_course_exercise
from coopcourse.text import text
from tests.components.frames import exercise_builders, open_work_as, walk


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COOPCOURSE_DATA_DIR", str(tmp_path / "data"))
    saving.start_new_session()
    return tmp_path / "data"


def new_page(*exercises):  # type: ignore[no-untyped-def]
    """A page load in Voila: a fresh kernel, so a fresh session, the bar and its exercises."""
    saving.start_new_session()
    bar = saved_work_bar()
    return bar, [build() for build in exercises]


def work_file(exercises: dict) -> bytes:
    """A work file with a valid checksum, as anyone can write one."""
    body = {"learner": "Ana", "exported_at": 1.0, "exercises": exercises}
    return json.dumps({"format": FILE_FORMAT, "version": FILE_VERSION, "checksum": _checksum(body), **body}).encode()


def upload(bar, data: bytes) -> None:  # type: ignore[no-untyped-def]
    bar.upload.value = (
        {
            "name": "work.json",
            "type": "application/json",
            "size": len(data),
            "content": memoryview(data),
            "last_modified": datetime.now(UTC),
        },
    )


def messages(box) -> str:  # type: ignore[no-untyped-def]
    return " ".join(getattr(w, "message", "") for w in walk(box))


def button(box, label: str):  # type: ignore[no-untyped-def]
    return next(w for w in walk(box) if getattr(w, "description", None) == label)


POISON = {
    "coordination_cost": "600",  # a number given as text
    "members": "Amina, Bao",  # rows that are not rows
    "tiers": [{"min_quantity": 0, "unit_price": {"nested": [1]}}],  # a cell of the wrong kind
    "buying_alone": [1, 2],  # ticks that are not option names
}


@pytest.mark.parametrize("key", sorted(POISON))
def test_a_poisoned_upload_is_reported_and_never_stored_or_shown(data_dir, key: str) -> None:
    bar, (purchase,) = new_page(think_coop.joint_purchasing)
    open_work_as(bar, "Ana")
    before = purchase.state()
    good = (
        {**before, "coordination_cost": 725.0}
        if key != "coordination_cost"
        else {**before, "members": [{"name": "Amina", "quantity": 61.0}]}
    )
    upload(bar, work_file({purchase.exercise_id: {**good, key: POISON[key]}}))
    said = messages(bar.upload_box)
    label = {"coordination_cost": "Coordination cost", "members": "Members", "tiers": "Price", "buying_alone": "buy"}[
        key
    ]
    assert "could not be brought back" in said and label.casefold() in said.casefold(), said
    assert purchase.state()[key] == before[key], "the bad value is not shown"
    saved = WorkStore(data_dir / "saved-work.sqlite3").load("Ana", purchase.exercise_id)
    assert saved[key] == before[key], "the bad value is not stored"
    assert {k: v for k, v in saved.items() if k != key} == {k: v for k, v in good.items() if k != key}


def test_bad_saved_work_for_another_page_is_reported_there_and_the_rest_comes_back(data_dir) -> None:
    equipment_state = think_coop.shared_equipment().state()  # the example, built before the page opens
    bar, (purchase,) = new_page(think_coop.joint_purchasing)
    open_work_as(bar, "Ana")
    upload(
        bar,
        work_file(
            {
                "think_coop.shared_equipment": {
                    **equipment_state,
                    "members": [{"name": "X", "use_per_year": "lots"}],
                    "price": 99_000,
                },
                "think_coop.readiness": {"need_shared": "maybe", "people_trust": "yes"},
                "not.an.exercise": {"v": 1},
                "another.one": {},
            }
        ),
    )
    assert text("saving.upload_unknown", count=2) in messages(bar.upload_box)

    bar2, (purchase2, equipment, readiness) = new_page(
        think_coop.joint_purchasing, think_coop.shared_equipment, think_coop.readiness_checklist
    )
    open_work_as(bar2, "Ana")
    assert bar2.status.kind == "warning"
    assert "Shared equipment" in bar2.status.message or equipment.title in bar2.status.message
    assert equipment.fields["price"].value == 99_000, "the good values of the exercise come back"
    assert equipment.fields["members"].value == equipment_state["members"]
    assert readiness.fields["people_trust"].value == "yes" and readiness.fields["need_shared"].value is None
    assert purchase2.state() == purchase.state()
    assert not WorkStore(data_dir / "saved-work.sqlite3").load("Ana", "not.an.exercise")


def test_an_older_saved_whole_number_is_read_as_a_whole_number(data_dir) -> None:
    store = WorkStore(data_dir / "saved-work.sqlite3")
    state = growth.growth_simulator().state()
    store.save("Ana", growth.GROWTH_SIMULATOR, {**state, "years": 4.0})  # course versions before int fields
    bar, (frame,) = new_page(growth.growth_simulator)
    open_work_as(bar, "Ana")
    assert frame.fields["years"].value == 4 and isinstance(frame.fields["years"].value, int)
    assert bar.status.kind == "success"


def test_opening_a_name_with_saved_work_changes_nothing_until_the_group_confirms(data_dir) -> None:
    bar, (purchase,) = new_page(think_coop.joint_purchasing)
    open_work_as(bar, "Group 1")
    purchase.fields["coordination_cost"].entry.value = "725"
    store_path = data_dir / "saved-work.sqlite3"
    saved_before = store_path.read_bytes()

    bar2, (purchase2,) = new_page(think_coop.joint_purchasing)
    page_before = purchase2.state()
    bar2.name.entry.value = "group 1"  # typed on another page: an accident, or not
    note = messages(bar2.name_box)
    assert '"group 1" already has saved work' in note and "1 exercise" in note and "today at" in note
    assert saving.current_session().learner is None and purchase2.state() == page_before
    assert store_path.read_bytes() == saved_before
    button(bar2.name_box, text("saving.other_name")).click()
    assert not bar2.name_box.children and saving.current_session().learner is None
    open_work_as(bar2, "Group 1")
    assert purchase2.fields["coordination_cost"].value == 725


def test_two_devices_under_one_name_never_overwrite_each_other_silently(data_dir) -> None:
    bar_a, (page_a,) = new_page(think_coop.joint_purchasing)
    open_work_as(bar_a, "Group 1")
    session_a = saving.current_session()
    bar_b, (page_b,) = new_page(think_coop.joint_purchasing)
    open_work_as(bar_b, "Group 1")
    store = WorkStore(data_dir / "saved-work.sqlite3")

    page_a.fields["coordination_cost"].entry.value = "111"  # saved from device A (its own session)
    session_a.save(page_a)
    assert store.load("Group 1", page_a.exercise_id)["coordination_cost"] == 111
    page_b.fields["coordination_cost"].entry.value = "222"  # device B had not seen A's change
    assert store.load("Group 1", page_a.exercise_id)["coordination_cost"] == 111, "A's work is kept"
    said = messages(bar_b.clash_box)
    assert "Another device saved" in said and page_b.title in said
    assert bar_b.status.kind == "warning" and "not saved yet" in bar_b.status.message
    page_b.fields["coordination_cost"].entry.value = "333"  # still unsettled: still no overwrite
    assert store.load("Group 1", page_a.exercise_id)["coordination_cost"] == 111
    button(bar_b.clash_box, text("saving.clash_keep_page")).click()
    assert store.load("Group 1", page_a.exercise_id)["coordination_cost"] == 333
    assert not bar_b.clash_box.children

    session_a.save(page_a)  # A edits again without having seen B's version
    assert store.load("Group 1", page_a.exercise_id)["coordination_cost"] == 333
    assert session_a.clashes, "device A is asked in turn"
    session_a.settle_clash(page_a.exercise_id, keep_page=False)
    assert page_a.fields["coordination_cost"].value == 333


def test_a_pin_keeps_a_name_for_the_group_that_set_it(data_dir) -> None:
    bar, (purchase,) = new_page(think_coop.joint_purchasing)
    open_work_as(bar, "Riverside")
    purchase.fields["coordination_cost"].entry.value = "725"
    pin_field = next(w for w in walk(bar.pin_box) if getattr(w, "label", None) == text("saving.pin_new_label"))
    pin_field.entry.value = "12"
    button(bar.pin_box, text("saving.pin_set")).click()
    assert "4 to 8 digits" in pin_field.error
    pin_field.entry.value = "4827"
    button(bar.pin_box, text("saving.pin_set")).click()
    assert "The PIN is set" in messages(bar.pin_box)

    bar2, (purchase2,) = new_page(think_coop.joint_purchasing)
    open_work_as(bar2, "riverside", pin="1111")
    pin = next(w for w in walk(bar2.name_box) if getattr(w, "label", None) == text("saving.pin_label"))
    assert "not right" in pin.error
    assert saving.current_session().learner is None and purchase2.fields["coordination_cost"].value != 725
    open_work_as(bar2, "riverside", pin="4827")
    assert purchase2.fields["coordination_cost"].value == 725 and bar2.status.kind == "success"


@pytest.mark.parametrize("breakage", ["folder_is_a_file", "damaged_file"])
def test_a_broken_store_is_said_in_words_and_the_work_can_still_be_downloaded(tmp_path, monkeypatch, breakage) -> None:
    data = tmp_path / "data"
    if breakage == "folder_is_a_file":
        data.write_text("not a folder")
    else:
        data.mkdir()
        (data / "saved-work.sqlite3").write_bytes(b"cut short" * 300)
    monkeypatch.setenv("COOPCOURSE_DATA_DIR", str(data))
    bar, (purchase,) = new_page(think_coop.joint_purchasing)
    open_work_as(bar, "Ana")
    assert bar.status.kind == "error" and "Download your work" in bar.status.message
    purchase.fields["coordination_cost"].entry.value = "725"
    assert bar.status.kind == "error" and "Download your work" in bar.status.message
    assert purchase.feedback.kind != "internal"
    bar.download_button.click()
    href = bar.download_link.value.split('href="data:application/json;base64,', 1)[1].split('"', 1)[0]
    downloaded = json.loads(base64.b64decode(href))
    assert downloaded["exercises"][purchase.exercise_id]["coordination_cost"] == 725


@pytest.mark.parametrize(
    "raw",
    [
        b'{"format": "coopcourse-saved-work", "version": 1, "learner": "A", "exported_at": NaN, "exercises": {}}',
        b'{"format": "coopcourse-saved-work", "version": 1, "learner": "A", "exported_at": 1e400, "exercises": {}}',
        b"[" * 50_000 + b"]" * 50_000,
        b'{"exercises": {"x": {"v": ' + b"9" * 5000 + b"}}}",
    ],
)
def test_hostile_upload_files_get_the_damaged_file_message(data_dir, raw: bytes) -> None:
    bar, (_purchase,) = new_page(think_coop.joint_purchasing)
    open_work_as(bar, "Ana")
    upload(bar, raw)
    note = bar.upload_box.children[0]
    assert note.kind == "error" and ("damaged" in note.message or "not a work file" in note.message)


@pytest.mark.parametrize(
    "name, slug",
    [
        ("Coopérative Été", "coopérative-été"),
        ("کوپراتیو زنان", "کوپراتیو-زنان"),
        ("सहकारी समिति", "सहकारी-समिति"),
        ('Group <One> "/../"', "group-one"),
        ("👩‍👩‍👧", "work"),
    ],
)
def test_file_names_keep_the_letters_of_any_script(name: str, slug: str) -> None:
    assert file_slug(name) == slug


def test_bidirectional_controls_never_reach_a_document() -> None:
    plan = documents.Document(
        "Plan \u202eof\u202c the group",
        sections=(documents.Section("Motion \u2066one\u2069", ("We agree\u202e to buy",)),),
    )
    markdown = documents.to_markdown(plan)
    assert not any(ch in markdown for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    assert "We agree to buy" in markdown


def test_every_exercise_the_course_builds_has_an_id_a_work_file_may_carry(data_dir) -> None:
    """Uploads keep only ids of the course's form: a new exercise needs no list to be added to,
    only an id like "start_coop.member_share" (checked here for every exercise of the package)."""
    built = {build().exercise_id for build in exercise_builders().values()}
    assert len(built) >= 20
    assert all(is_course_exercise(exercise) for exercise in built), built
    assert not any(is_course_exercise(junk) for junk in ("not.an.exercise", "start_coop.", "x" * 80, "start_coop.A"))
