"""coopcourse.serving and coopcourse.kernel_limit without a browser: the kernel limit's default,
the "room is full" page, the check of the saved-work folder, the Host check setting of
`make serve` and `make serve-lan`, and the limit's counting when pages arrive together. (The
limit in a running Voila, and the Host check itself, are in tests/browser/test_browser_serving.py.)"""

from __future__ import annotations

import ast
import asyncio
import json
import logging
import os
import pwd
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

from coopcourse import serving, store
from coopcourse.kernel_limit import LimitedKernelManager, RoomFull
from coopcourse.text import text
from tests.event_loop import run_async
from tests.processes import as_nobody

REPO = Path(__file__).resolve().parents[1]


# --- the kernel limit's default ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("available_mb", "expected"),
    [
        (24_000, (24_000 - 1024) // 150),  # 153: a 24 GB machine with nothing else running
        (8192, 47),
        (4096, 20),
        (1024 + 150, 1),
        (1024 + 149, 1),  # less than one kernel's worth above the reserve: still one page
        (500, 1),
        (None, serving.FALLBACK_MAX_KERNELS),  # the free memory could not be read
    ],
)
def test_the_default_follows_the_free_memory(available_mb: int | None, expected: int) -> None:
    assert serving.kernels_for_memory(available_mb) == expected


def test_the_variable_overrides_the_memory() -> None:
    assert serving.default_max_kernels({"COOPCOURSE_MAX_KERNELS": "7"}, available_mb=24_000) == 7
    assert serving.default_max_kernels({"COOPCOURSE_MAX_KERNELS": " 300 "}, available_mb=2000) == 300
    assert serving.default_max_kernels({}, available_mb=8192) == 47
    assert serving.default_max_kernels({"COOPCOURSE_MAX_KERNELS": ""}, available_mb=8192) == 47


@pytest.mark.parametrize("value", ["0", "-3", "many", "2.5"])
def test_an_unusable_variable_is_reported_and_ignored(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert serving.default_max_kernels({"COOPCOURSE_MAX_KERNELS": value}, available_mb=8192) == 47
    assert f"COOPCOURSE_MAX_KERNELS={value}" in capsys.readouterr().err


@pytest.mark.skipif(not Path("/proc/meminfo").exists(), reason="reads /proc/meminfo (Linux)")
def test_the_free_memory_is_read_from_the_system() -> None:
    meminfo = dict(line.split(":", 1) for line in Path("/proc/meminfo").read_text().splitlines())
    expected = int(meminfo["MemAvailable"].split()[0]) // 1024
    measured = serving.available_memory_mb()
    assert measured is not None and abs(measured - expected) <= max(64, expected // 10)


def test_the_manager_takes_its_limit_from_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COOPCOURSE_MAX_KERNELS", "3")
    assert LimitedKernelManager().max_kernels == 3
    monkeypatch.delenv("COOPCOURSE_MAX_KERNELS")
    monkeypatch.setattr(serving, "available_memory_mb", lambda: 8192)
    assert LimitedKernelManager().max_kernels == 47


# --- the limit counts kernels that are still starting --------------------------------------------


@pytest.fixture
def instant_kernels(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Kernel starts that take a moment and start nothing: what the limit sees, without processes."""
    started: list[str] = []

    async def start(self: AsyncMappingKernelManager, **kwargs: Any) -> str:
        await asyncio.sleep(0.05)  # pages arriving together overlap here
        kernel_id = f"kernel-{len(started)}"
        started.append(kernel_id)
        self._kernels[kernel_id] = object()
        return kernel_id

    monkeypatch.setattr(AsyncMappingKernelManager, "start_kernel", start)
    return started


def test_pages_arriving_together_cannot_pass_the_limit(instant_kernels: list[str]) -> None:
    manager = LimitedKernelManager(max_kernels=2)

    async def five_pages() -> list[Any]:
        return await asyncio.gather(
            *(manager.start_kernel(kernel_name="python3") for _ in range(5)), return_exceptions=True
        )

    results = run_async(five_pages())
    assert len(instant_kernels) == 2
    assert sum(isinstance(result, RoomFull) for result in results) == 3
    assert manager.running_kernels() == 2

    del manager._kernels[instant_kernels[0]]  # a tab closed: its kernel ended
    assert isinstance(run_async(manager.start_kernel(kernel_name="python3")), str)
    assert manager.running_kernels() == 2


def test_a_failed_start_frees_its_place(monkeypatch: pytest.MonkeyPatch) -> None:
    async def broken(self: AsyncMappingKernelManager, **kwargs: Any) -> str:
        raise RuntimeError("no kernel today")

    monkeypatch.setattr(AsyncMappingKernelManager, "start_kernel", broken)
    manager = LimitedKernelManager(max_kernels=1)
    for _ in range(3):
        with pytest.raises(RuntimeError):
            run_async(manager.start_kernel(kernel_name="python3"))
    assert manager.running_kernels() == 0


def test_a_tab_closed_while_the_culler_runs_leaves_no_traceback(caplog: pytest.LogCaptureFixture) -> None:
    """The culler lists the kernels, then shuts the idle ones down one by one; a tab closed
    meanwhile ends a kernel still on its list (jupyter_server logged a KeyError traceback)."""
    long_ago = datetime.now(UTC) - timedelta(hours=1)

    def kernel() -> SimpleNamespace:
        spec = SimpleNamespace(metadata={})
        return SimpleNamespace(execution_state="idle", last_activity=long_ago, kernel_name="python3", kernel_spec=spec)

    manager = LimitedKernelManager(max_kernels=5, cull_idle_timeout=60)
    manager._kernels.update({"idle": kernel(), "closed-meanwhile": kernel(), "open": kernel()})
    shut: list[str] = []

    async def shutdown_kernel(kernel_id: str, **kwargs: Any) -> None:
        shut.append(kernel_id)
        del manager._kernels[kernel_id]
        manager._kernels.pop("closed-meanwhile", None)  # its tab closed while this one was shut down

    manager.shutdown_kernel = shutdown_kernel  # type: ignore[method-assign]
    with caplog.at_level(logging.DEBUG):
        run_async(manager.cull_kernels())
    assert shut == ["idle", "open"]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


# --- the "room is full" page -----------------------------------------------------------------


def test_the_room_full_page_is_plain_and_self_contained() -> None:
    page = serving.room_full_page()
    assert RoomFull().args == (page,)
    for key in ("serving.room_full_title", "serving.room_full_message", "serving.room_full_retry"):
        assert text(key).replace("'", "&#x27;") in page
    assert '<html lang="en">' in page
    lowered = page.lower()
    for outside in ("http://", "https://", "//", "<script", "<link", "@import", "url("):
        assert outside not in lowered.replace("<!doctype html>", ""), f"{outside!r} in the page"
    assert "Traceback" not in page and "Error" not in page


# --- the saved-work folder -------------------------------------------------------------------


def _database(folder: Path) -> Path:
    return folder / store.DATABASE_NAME


def test_a_missing_folder_is_created_and_named(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "coopcourse"
    result = serving.check_data_folder(folder)
    assert result.ok and folder.is_dir()
    assert result.messages == (text("serving.data_saved_at", path=_database(folder)),)
    assert list(folder.iterdir()) == [], "the check leaves nothing behind"


def test_the_default_folder_is_the_stores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COOPCOURSE_DATA_DIR", str(tmp_path / "chosen"))
    result = serving.check_data_folder()
    assert result.database == store.data_dir() / store.DATABASE_NAME == tmp_path / "chosen" / "saved-work.sqlite3"
    assert result.messages[0] == f"Saved work: {tmp_path / 'chosen' / 'saved-work.sqlite3'}"


def test_the_stores_own_database_passes(tmp_path: Path) -> None:
    work_store = store.WorkStore(_database(tmp_path))
    work_store.check()  # the store makes its database on first use
    database = work_store.path
    before = database.read_bytes()
    result = serving.check_data_folder(tmp_path)
    assert result.ok, result.messages
    assert database.read_bytes() == before


def test_a_folder_that_cannot_be_created(tmp_path: Path, learner_message: Any) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = serving.check_data_folder(blocker / "coopcourse")
    assert not result.ok
    assert result.messages[1].startswith(
        text("serving.data_folder_unusable", folder=blocker / "coopcourse", reason="")[:40]
    )
    assert str(blocker / "coopcourse") in result.messages[1]
    _plain_words(result.messages, learner_message)


def _as_nobody(folder: Path) -> serving.DataCheck:
    """``check_data_folder(folder)`` in a child process without root's right to write anywhere."""

    def check() -> list[object]:
        result = serving.check_data_folder(folder)
        return [result.ok, list(result.messages)]

    ok, messages = as_nobody(check)
    return serving.DataCheck(_database(folder), ok, tuple(messages))


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder outside pytest's private tmp (which other users cannot enter)."""
    base = Path(tempfile.mkdtemp(prefix="coopcourse-serving-"))
    base.chmod(0o755)
    try:
        yield base
    finally:
        for path in [base, *base.rglob("*")]:
            if path.is_dir():
                path.chmod(0o755)
        shutil.rmtree(base)


def test_a_read_only_folder(shared_folder: Path, learner_message: Any) -> None:
    folder = shared_folder / "coopcourse"
    folder.mkdir()
    store.WorkStore(_database(folder))
    if os.geteuid() == 0:
        # root may write anywhere: the check runs as "nobody", first in the folder made its own
        # (it passes), then with the folder read-only (it must not).
        if sys.platform != "linux":
            pytest.skip("needs fork and setuid")
        nobody = pwd.getpwnam("nobody")
        for path in (folder, *folder.iterdir()):
            os.chown(path, nobody.pw_uid, nobody.pw_gid)
        assert _as_nobody(folder).ok
        folder.chmod(0o555)
        result = _as_nobody(folder)
    else:
        assert serving.check_data_folder(folder).ok
        folder.chmod(0o555)
        result = serving.check_data_folder(folder)
    assert not result.ok
    assert result.messages[0] == text("serving.data_saved_at", path=_database(folder))
    assert str(folder) in result.messages[1] and "Permission denied" in result.messages[1]
    assert result.messages[2] == text("serving.data_still_download", download=text("saving.prepare_download"))
    _plain_words(result.messages, learner_message)


@pytest.mark.parametrize("content", [b"", b"these are notes, not a database\n" * 40, bytes(range(256)) * 64])
def test_a_damaged_database(tmp_path: Path, content: bytes, learner_message: Any) -> None:
    database = _database(tmp_path)
    if not content:  # an empty file is a valid, empty SQLite database
        database.write_bytes(content)
        assert serving.check_data_folder(tmp_path).ok
        return
    database.write_bytes(content)
    result = serving.check_data_folder(tmp_path)
    assert not result.ok
    assert result.messages[1] == text(
        "serving.data_file_damaged", path=database, moved=tmp_path / "saved-work-damaged.sqlite3"
    )
    assert database.read_bytes() == content, "the check must not touch the file"
    assert sorted(p.name for p in tmp_path.iterdir()) == [store.DATABASE_NAME]
    _plain_words(result.messages, learner_message)


def test_a_database_with_damaged_pages(tmp_path: Path) -> None:
    work_store = store.WorkStore(_database(tmp_path))
    work_store.check()  # the store makes its database on first use
    database = work_store.path
    with sqlite3.connect(database) as db:
        db.execute("PRAGMA journal_mode=DELETE")
        db.executemany(
            "INSERT INTO work (learner, exercise, state, saved_at) VALUES (?, ?, ?, ?)",
            [(f"group {i}", "exercise", "x" * 500, 0.0) for i in range(200)],
        )
    data = bytearray(database.read_bytes())
    data[4096 * 2 : 4096 * 4] = b"\xff" * (4096 * 2)  # overwrite two pages past the header
    database.write_bytes(bytes(data))
    result = serving.check_data_folder(tmp_path)
    assert not result.ok
    assert "damaged" in result.messages[1]


def test_a_folder_where_the_database_should_be(tmp_path: Path) -> None:
    _database(tmp_path).mkdir()
    result = serving.check_data_folder(tmp_path)
    assert not result.ok
    assert result.messages[1] == text(
        "serving.data_file_unreadable", path=_database(tmp_path), reason=text("serving.data_not_a_file")
    )


def _plain_words(messages: tuple[str, ...], learner_message: Any) -> None:
    """The problem and what to do, in words a facilitator reads: no Python jargon, no placeholder."""
    for message in messages[1:]:
        learner_message(message)


def test_the_command_prints_and_never_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _database(tmp_path).write_bytes(b"not a database" * 100)
    assert serving.main(["check-data", "--folder", str(tmp_path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"Saved work: {_database(tmp_path)}"
    assert "damaged" in out[1]


# --- the LAN server's settings -------------------------------------------------------------------


def test_voila_json_answers_only_this_computer() -> None:
    settings = json.loads((REPO / "voila.json").read_text())["Voila"]["tornado_settings"]
    assert settings["allow_remote_access"] is False
    assert settings["local_hostnames"] == ["localhost"]


def _tornado_settings(*config_folders: Path) -> dict[str, Any]:
    """Voila.tornado_settings as Voila reads them from ``config_folders`` (the Makefile's order)."""
    script = (
        "import sys; from voila.app import Voila; app = Voila(); app.initialize(sys.argv[1:]); "
        "print(repr(app.tornado_settings))"
    )
    args = [f"--Voila.config_file_paths={folder}" for folder in config_folders]
    done = subprocess.run(
        [sys.executable, "-c", script, str(REPO / "course"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        cwd=tempfile.gettempdir(),
    )
    return dict(ast.literal_eval(done.stdout.strip().splitlines()[-1]))


def test_serve_and_serve_lan_read_the_host_check_from_their_config() -> None:
    local = json.loads((REPO / "voila.json").read_text())["Voila"]["tornado_settings"]
    assert _tornado_settings(REPO) == local
    assert _tornado_settings(REPO / "lan", REPO) == {**local, "allow_remote_access": True}
