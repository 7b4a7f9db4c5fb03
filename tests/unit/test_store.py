"""The saved-work store: round trips, damaged files, two learners at once, hostile names."""

from __future__ import annotations

import json
import multiprocessing
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coopcourse.errors import CourseInputError
from coopcourse.store import FILE_VERSION, WorkStore, learner_key, read_work_file

STATE = {
    "members": [{"name": "Amina", "quantity": 60.0}, {"name": "Bao", "quantity": 45.5}],
    "coordination_cost": 600.0,
    "buying_alone": ["Bao"],
    "notes": 'Ünïcode, quotes " and <b>markup</b>',
}


@pytest.fixture
def store(tmp_path: Path) -> WorkStore:
    return WorkStore(tmp_path / "work.sqlite3")


def test_save_and_load_returns_every_value(store: WorkStore) -> None:
    store.save("Riverside group", "think_coop.joint_purchasing", STATE)
    assert store.load("Riverside group", "think_coop.joint_purchasing") == STATE
    assert store.load("Riverside group", "think_coop.other") is None


def test_later_save_replaces_earlier(store: WorkStore) -> None:
    store.save("A", "x", {"v": 1})
    store.save("A", "x", {"v": 2})
    assert store.load_all("A") == {"x": {"v": 2}}


def test_names_are_normalised_but_distinct_learners_stay_apart(store: WorkStore) -> None:
    store.save("Group  One", "x", {"v": 1})
    assert store.load("group one", "x") == {"v": 1}
    assert store.load("Group Two", "x") is None


@pytest.mark.parametrize(
    "name",
    ["../../etc/passwd", "<script>alert(1)</script>", "'; DROP TABLE work; --", "C:\\Windows\\system32", "名前 🐝"],
)
def test_names_that_look_like_paths_sql_or_markup_are_harmless(store: WorkStore, tmp_path: Path, name: str) -> None:
    store.save(name, "x", {"v": name})
    assert store.load(name, "x") == {"v": name}
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("work.sqlite3")) == []
    store.save("other", "x", {"v": 0})
    assert store.load("other", "x") == {"v": 0}


@pytest.mark.parametrize("name", ["", "   ", "x" * 61, "bad\x00name"])
def test_unusable_names_give_a_learner_message(name: str) -> None:
    with pytest.raises(CourseInputError) as error:
        learner_key(name)
    assert error.value.field == "learner"
    assert "Traceback" not in error.value.message and len(error.value.message) > 10


def test_reopening_the_store_file_keeps_the_work(tmp_path: Path) -> None:
    WorkStore(tmp_path / "w.sqlite3").save("A", "x", STATE)
    assert WorkStore(tmp_path / "w.sqlite3").load("A", "x") == STATE


def test_work_survives_a_new_process(tmp_path: Path) -> None:
    """A kernel or server restart is a new process reading the same file."""
    WorkStore(tmp_path / "w.sqlite3").save("A", "x", STATE)
    code = (
        "import json, sys; from pathlib import Path; from coopcourse.store import WorkStore;"
        "print(json.dumps(WorkStore(Path(sys.argv[1])).load('A', 'x')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "w.sqlite3")], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out) == STATE


def test_download_upload_round_trip_compares_every_value(store: WorkStore, tmp_path: Path) -> None:
    store.save("A", "one", STATE)
    store.save("A", "two", {"n": 3.25})
    work = read_work_file(store.export("A", "0.1.0"))
    elsewhere = WorkStore(tmp_path / "elsewhere.sqlite3")
    assert elsewhere.import_work("Somebody", work.exercises, replace_existing=False) == ["one", "two"]
    assert elsewhere.load_all("Somebody") == {"one": STATE, "two": {"n": 3.25}}


def test_upload_never_overwrites_saved_work_without_consent(store: WorkStore) -> None:
    store.save("A", "one", {"v": "file"})
    store.save("A", "two", {"v": "file"})
    work = read_work_file(store.export("A", "0.1.0"))
    store.save("A", "one", {"v": "newer on this machine"})
    assert store.conflicts("A", work.exercises) == ["one"]
    store.import_work("A", work.exercises, replace_existing=False)
    assert store.load("A", "one") == {"v": "newer on this machine"}
    store.import_work("A", work.exercises, replace_existing=True)
    assert store.load("A", "one") == {"v": "file"}


def _document(store: WorkStore) -> dict:
    store.save("A", "one", {"v": 1})
    return json.loads(store.export("A", "0.1.0"))


@pytest.mark.parametrize(
    "damage, message_key",
    [
        (lambda d: d.update(exercises={"one": {"v": 2}}), "damaged"),
        (lambda d: d.update(version=FILE_VERSION + 1), "newer version"),
        (lambda d: d.update(version=0), "older version"),
        (lambda d: d.update(format="something-else"), "not a work file"),
        (lambda d: d.pop("checksum"), "damaged"),
        (lambda d: d.update(exercises=["not", "a", "mapping"]), "damaged"),
    ],
)
def test_damaged_or_foreign_files_are_refused_clearly(store: WorkStore, damage, message_key: str) -> None:
    document = _document(store)
    damage(document)
    with pytest.raises(CourseInputError) as error:
        read_work_file(json.dumps(document).encode())
    assert message_key in error.value.message
    assert "Nothing was changed" in error.value.message or "damaged" in error.value.message


@pytest.mark.parametrize("data", [b"", b"\xff\xfe garbage", b"{not json", b"[]", b"null", b"x" * 2_000_001])
def test_garbage_uploads_are_refused(data: bytes) -> None:
    with pytest.raises(CourseInputError):
        read_work_file(data)


def test_truncated_download_is_refused(store: WorkStore) -> None:
    data = store.export("A", "0.1.0")
    with pytest.raises(CourseInputError):
        read_work_file(data[: len(data) // 2])


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**9), 10**9)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


@settings(max_examples=40, deadline=None)
@given(
    states=st.dictionaries(
        st.text(min_size=1, max_size=20), st.dictionaries(st.text(max_size=10), json_values, max_size=5), max_size=5
    )
)
def test_any_saved_state_survives_export_and_import(tmp_path_factory, states) -> None:
    folder = tmp_path_factory.mktemp("prop")
    source, target = WorkStore(folder / "a.sqlite3"), WorkStore(folder / "b.sqlite3")
    for exercise, state in states.items():
        source.save("learner", exercise, state)
    target.import_work("learner", read_work_file(source.export("learner", "0.1.0")).exercises, replace_existing=True)
    assert target.load_all("learner") == source.load_all("learner") == states


def test_a_store_another_page_is_writing_to_when_it_is_first_opened_waits_and_saves(tmp_path: Path) -> None:
    # SQLite refuses the switch to WAL at once, without waiting, while another connection holds a
    # write lock: when a room starts, pages open the new store together.
    path = tmp_path / "shared.sqlite3"
    other_page = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other_page.execute("CREATE TABLE IF NOT EXISTS early (x)")
    other_page.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.3, lambda: other_page.execute("COMMIT"))
    release.start()
    try:
        WorkStore(path).save("Ana", "start_coop.feasibility", {"members": 12})
    finally:
        release.join()
        other_page.close()
    assert WorkStore(path).load("Ana", "start_coop.feasibility") == {"members": 12}


def _open_and_save(path: str, learner: str) -> None:
    WorkStore(Path(path)).save(learner, "start_coop.feasibility", {"learner": learner})


def test_pages_opening_a_new_store_at_the_same_moment_all_save(tmp_path: Path) -> None:
    # Checking for the revision column and adding it were two steps: two pages both added it.
    context = multiprocessing.get_context("fork")
    for round_ in range(15):
        path = str(tmp_path / f"new-{round_}.sqlite3")
        workers = [context.Process(target=_open_and_save, args=(path, f"Group {n}")) for n in range(4)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(60)
        assert [worker.exitcode for worker in workers] == [0, 0, 0, 0], f"round {round_}"
        store = WorkStore(Path(path))
        assert [store.load(f"Group {n}", "start_coop.feasibility") for n in range(4)] == [
            {"learner": f"Group {n}"} for n in range(4)
        ]


def _write_many(path: str, learner: str, count: int) -> None:
    store = WorkStore(Path(path))
    for i in range(count):
        store.save(learner, f"exercise-{i % 5}", {"learner": learner, "i": i})


def test_two_learners_saving_at_the_same_time_never_mix(tmp_path: Path) -> None:
    path = str(tmp_path / "shared.sqlite3")
    WorkStore(Path(path))
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_write_many, args=(path, name, 200)) for name in ("Ana", "Ben")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    store = WorkStore(Path(path))
    for name in ("Ana", "Ben"):
        saved = store.load_all(name)
        assert sorted(saved) == [f"exercise-{i}" for i in range(5)]
        assert all(state["learner"] == name for state in saved.values())
        assert {state["i"] for state in saved.values()} == {195, 196, 197, 198, 199}
