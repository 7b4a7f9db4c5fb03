"""The store under the ways a workshop breaks it: two devices, a shared name, a PIN, a read-only
or damaged database, hostile upload files, names in any script."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from coopcourse.errors import CourseInputError
from coopcourse.store import (
    FILE_FORMAT,
    FILE_VERSION,
    PIN_TRIES,
    SaveClash,
    StoreUnavailable,
    WorkStore,
    _checksum,
    clean_name,
    learner_key,
    read_work_file,
)
from tests.processes import as_nobody


@pytest.fixture
def store(tmp_path: Path) -> WorkStore:
    return WorkStore(tmp_path / "data" / "work.sqlite3")


def _file(exercises: object, raw: str | None = None) -> bytes:
    """A work file with a valid checksum, as anyone can write one."""
    body = {"learner": "Ana", "exported_at": 1.0, "exercises": exercises}
    if raw is not None:
        return raw.encode()
    return json.dumps({"format": FILE_FORMAT, "version": FILE_VERSION, "checksum": _checksum(body), **body}).encode()


def test_a_page_saves_only_over_the_version_it_last_saw(store: WorkStore) -> None:
    first = store.save("Group 1", "x", {"v": 1}, expected_revision=0)
    other_device = store.save("group 1", "x", {"v": 2}, expected_revision=first)
    with pytest.raises(SaveClash) as clash:
        store.save("Group 1", "x", {"v": 3}, expected_revision=first)
    assert clash.value.saved == {"v": 2} and clash.value.revision == other_device
    assert store.load("Group 1", "x") == {"v": 2}, "the other device's work is not overwritten"
    store.save("Group 1", "x", {"v": 3}, expected_revision=clash.value.revision)
    assert store.load("Group 1", "x") == {"v": 3}


def test_a_new_page_meets_a_clash_when_work_appeared_after_it_looked(store: WorkStore) -> None:
    store.save("A", "x", {"v": 1})
    with pytest.raises(SaveClash):
        store.save("A", "x", {"v": 9}, expected_revision=0)


def test_reading_never_creates_or_writes_the_database(tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "work.sqlite3"
    store = WorkStore(path)
    assert store.load("A", "x") is None and store.load_all("A") == {}
    assert store.summary("A").exercises == 0
    assert not path.parent.exists(), "reading made the folder"
    store.save("A", "x", {"v": 1})
    WorkStore(path).save("B", "y", {"v": 2})  # leaves the database checkpointed, its WAL empty
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    fresh = WorkStore(path)
    fresh.load_all("A"), fresh.summary("A"), fresh.entry("A", "x")
    # Readers use SQLite's shared-memory index beside the file (-shm); the database is untouched.
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_stores_from_before_revisions_are_read_and_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE work (learner TEXT NOT NULL, exercise TEXT NOT NULL, state TEXT NOT NULL,"
            " saved_at REAL NOT NULL, PRIMARY KEY (learner, exercise))"
        )
        db.execute("INSERT INTO work VALUES ('ana', 'x', '{\"v\": 1}', 5.0)")
    db.close()
    store = WorkStore(path)
    assert store.entry("Ana", "x").revision == 1
    assert store.save("Ana", "x", {"v": 2}, expected_revision=1) == 2


@pytest.mark.skipif(sys.platform != "linux", reason="needs fork and setuid")
def test_a_read_only_folder_is_reported_and_its_work_can_still_be_read_and_downloaded() -> None:
    base = Path(tempfile.mkdtemp(prefix="coopcourse-store-"))  # pytest's tmp is closed to other users
    folder = base / "data"
    try:
        base.chmod(0o755)
        work = WorkStore(folder / "saved-work.sqlite3")
        work.save("Ana", "x", {"v": 1})
        WorkStore(work.path).save("Ben", "y", {"v": 2})  # checkpointed: the database file holds everything
        for path in (folder, *folder.iterdir()):
            path.chmod(0o555 if path.is_dir() else 0o444)

        def try_it() -> object:
            store = WorkStore(work.path)
            try:
                store.save("Ana", "x", {"v": 3})
                problem = None
            except StoreUnavailable as error:
                problem = [error.kind, error.message]
            page = json.loads(store.export("Ana", "0.1.0", page={"z": {"v": 9}}))["exercises"]
            return {"problem": problem, "page": page}

        seen = as_nobody(try_it) if os.geteuid() == 0 else try_it()
        assert seen["problem"][0] == "read_only" and "read-only" in seen["problem"][1], seen
        assert seen["page"]["z"] == {"v": 9}, "the download works from the page"
        assert seen["page"].get("x") == {"v": 1}, "what was saved is still read"
    finally:
        for path in (folder, *folder.iterdir()):
            path.chmod(0o755 if path.is_dir() else 0o644)
        shutil.rmtree(base)


def _as_problem(error: BaseException, path: Path) -> StoreUnavailable:
    from coopcourse.store import _problem

    return _problem(error, path)


@pytest.mark.parametrize(
    "error, kind",
    [
        (sqlite3.OperationalError("attempt to write a readonly database"), "read_only"),
        (sqlite3.OperationalError("database or disk is full"), "full"),
        (sqlite3.DatabaseError("file is not a database"), "damaged"),
        (sqlite3.DatabaseError("database disk image is malformed"), "damaged"),
        (sqlite3.OperationalError("database is locked"), "busy"),
        (sqlite3.OperationalError("database table is locked"), "busy"),
        (sqlite3.OperationalError("unable to open database file"), "missing"),
        (PermissionError(13, "Permission denied"), "read_only"),
        (OSError(28, "No space left on device"), "full"),
    ],
)
def test_every_store_failure_has_its_own_plain_message(tmp_path: Path, error: BaseException, kind: str) -> None:
    problem = _as_problem(error, tmp_path / "work.sqlite3")
    assert problem.kind == kind
    assert str(tmp_path) in problem.message or kind in ("full", "busy")
    assert "trainer" in problem.message


def test_a_damaged_database_file_is_reported_on_read_and_write(store: WorkStore) -> None:
    store.path.parent.mkdir(parents=True)
    store.path.write_bytes(b"this is not a database, it was cut short" * 100)
    with pytest.raises(StoreUnavailable) as problem:
        store.load_all("A")
    assert problem.value.kind == "damaged"
    with pytest.raises(StoreUnavailable) as problem:
        store.save("A", "x", {"v": 1})
    assert problem.value.kind == "damaged"


def test_a_data_folder_that_is_a_file_is_reported(tmp_path: Path) -> None:
    (tmp_path / "data").write_text("a file where the folder should be")
    with pytest.raises(StoreUnavailable) as problem:
        WorkStore(tmp_path / "data" / "work.sqlite3").save("A", "x", {"v": 1})
    assert problem.value.kind == "missing"


def test_export_still_works_from_the_page_when_the_store_is_damaged(store: WorkStore) -> None:
    store.path.parent.mkdir(parents=True)
    store.path.write_bytes(b"garbage" * 200)
    data = store.export("Ana", "0.1.0", page={"x": {"v": 7}})
    assert read_work_file(data).exercises == {"x": {"v": 7}}


def test_a_pin_is_stored_salted_and_hashed_and_checked(store: WorkStore) -> None:
    store.save("Group 1", "x", {"v": 1})
    store.set_pin("Group 1", "4827")
    assert store.summary("group 1").has_pin
    with sqlite3.connect(store.path) as db:
        salt, digest = db.execute("SELECT pin_salt, pin_hash FROM names").fetchone()
    assert b"4827" not in digest and len(salt) == 16
    store.check_pin("GROUP 1", "4827")
    with pytest.raises(CourseInputError) as wrong:
        store.check_pin("Group 1", "1111")
    assert wrong.value.field == "pin"


def test_wrong_pins_make_the_name_wait(store: WorkStore) -> None:
    store.set_pin("G", "123456")
    for _ in range(PIN_TRIES):
        with pytest.raises(CourseInputError, match="not right"):
            store.check_pin("G", "000000")
    with pytest.raises(CourseInputError, match="Wait"):
        store.check_pin("G", "123456")


@pytest.mark.parametrize("pin", ["", "12", "123456789", "12a4", "١٢٣٤", None, 1234])
def test_a_pin_must_be_four_to_eight_digits(store: WorkStore, pin: object) -> None:
    with pytest.raises(CourseInputError, match="4 to 8 digits"):
        store.set_pin("G", pin)  # type: ignore[arg-type]


def test_the_trainer_resets_a_pin_from_the_command_line(tmp_path: Path) -> None:
    store = WorkStore(tmp_path / "saved-work.sqlite3")
    store.set_pin("Group 1", "4827")
    env = {**os.environ, "COOPCOURSE_DATA_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "coopcourse.store", "reset-pin", "group 1"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "PIN removed" in done.stdout
    assert not store.summary("Group 1").has_pin
    store.check_pin("Group 1", "")


@pytest.mark.parametrize(
    "name",
    [
        "👩‍👩‍👧 Family farm",  # emoji sequence with zero-width joiners
        "کوپراتیو زنان",  # Persian, with a zero-width non-joiner
        "सहकारी समिति",  # Hindi
        "Coopérative Été",
        "🏳️‍🌈 group",
    ],
)
def test_names_in_any_script_are_accepted(store: WorkStore, name: str) -> None:
    store.save(name, "x", {"v": 1})
    assert store.load(name, "x") == {"v": 1}
    assert "\u200d" in clean_name(name) or "\u200d" not in name


def test_bidirectional_controls_are_dropped_from_names_and_control_characters_refused() -> None:
    assert clean_name("Group\u202e 1") == "Group 1"
    assert learner_key("\u2066Ana\u2069") == "ana"
    with pytest.raises(CourseInputError, match="control characters"):
        clean_name("Ana\x07")


@pytest.mark.parametrize(
    "raw",
    [
        '{"format": "coopcourse-saved-work", "version": 1, "learner": "A", "exported_at": NaN, "exercises": {}}',
        '{"format": "coopcourse-saved-work", "version": 1, "learner": "A", "exported_at": 1e400, "exercises": {}}',
        '{"format": "coopcourse-saved-work", "version": 1, "learner": "A", "exported_at": 1, "exercises": {"x": {"v": '
        + "9" * 5000
        + "}}}",
        "[" * 100_000 + "]" * 100_000,
        '{"format": "coopcourse-saved-work", "version": 1, "learner": "A", "exported_at": 1, "exercises": {"x": '
        + '{"v": ' * 50
        + "1"
        + "}" * 50
        + "}}",
    ],
)
def test_hostile_upload_files_are_refused_as_damaged(raw: str) -> None:
    with pytest.raises(CourseInputError) as error:
        read_work_file(_file(None, raw))
    assert "damaged" in error.value.message or "not a work file" in error.value.message


def test_a_valid_checksum_does_not_make_a_file_trusted(store: WorkStore) -> None:
    work = read_work_file(_file({"x": {"v": "not a number", "rows": [1, 2]}}))
    assert work.exercises == {"x": {"v": "not a number", "rows": [1, 2]}}, "parsed; fields check it later"
