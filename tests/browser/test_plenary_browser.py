"""The plenary view (`make plenary`) next to `make serve-lan`, and the server's root.

- Two groups save work in two browsers on the LAN server; the plenary, reading the same store,
  shows both groups' figures within seconds (polled, not slept).
- The plenary server listens on 127.0.0.1 only: a connection to this machine's network address
  is refused, and a request naming another host gets 403 (voila.json's Host check).
- The address `make serve` and `make serve-lan` print (the root, with or without a token) opens
  the course's landing page, not Voila's file list; folders list their modules.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import psutil
import pytest
from playwright.sync_api import expect

from coopcourse.text import text
from tests.browser.conftest import JUPYTER_PATH, SERVER_START_SECONDS
from tests.browser.voila_app import ARTIFACTS, REPO, VOILA, App, KernelMonitor, open_page

TOKEN = "plenary-test-token"
FEASIBILITY = Path("start_coop/02_feasibility.ipynb")
LANDING_TITLE = "Cooperatives: think, start, manage"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _voila(name: str, target: Path, args: Sequence[str], data_dir: Path, ready: str = "/") -> Iterator[int]:
    """Voila on ``target`` with the repository's settings and ``args``; yields its port."""
    port = _free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / f"voila-{name}.log"
    command = [*VOILA, str(target), *args, f"--port={port}", "--no-browser"]
    env = dict(os.environ, COOPCOURSE_DATA_DIR=str(data_dir), JUPYTER_PATH=JUPYTER_PATH)
    with log_path.open("w") as log:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + SERVER_START_SECONDS
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"Voila exited with {process.returncode}; see {log_path}")
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}{ready}", timeout=5):
                        break
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Voila did not answer within {SERVER_START_SECONDS} s; see {log_path}")
                time.sleep(0.3)
            yield port
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("plenary-data")


@pytest.fixture(scope="module")
def lan_port(store_dir: Path) -> Iterator[int]:
    """`make serve-lan`: all addresses, lan/ before the repository in the config path, a token."""
    args = [
        f"--Voila.config_file_paths={REPO / 'lan'}",
        f"--Voila.config_file_paths={REPO}",
        "--Voila.ip=0.0.0.0",
        f"--Voila.token={TOKEN}",
    ]
    with _voila("plenary-lan", REPO / "course", args, store_dir, ready=f"/?token={TOKEN}") as port:
        yield port


@pytest.fixture(scope="module")
def plenary_port(store_dir: Path) -> Iterator[int]:
    """`make plenary`: plenary/plenary.ipynb on 127.0.0.1, the same store."""
    args = [f"--Voila.config_file_paths={REPO}", "--Voila.ip=127.0.0.1"]
    with _voila("plenary", REPO / "plenary" / "plenary.ipynb", args, store_dir) as port:
        yield port


def _network_address() -> str | None:
    for addresses in psutil.net_if_addrs().values():
        for address in addresses:
            if address.family == socket.AF_INET and not address.address.startswith("127."):
                return str(address.address)
    return None


def _new_page(browser: object) -> object:
    context = browser.new_context(viewport={"width": 1280, "height": 720})  # type: ignore[attr-defined]
    context.set_default_timeout(60_000)
    return context.new_page()


def _group_saves(browser: object, port: int, group: str, volume: str) -> App:
    page = _new_page(browser)
    page.goto(f"http://127.0.0.1:{port}/?token={TOKEN}")  # type: ignore[attr-defined]
    app = open_page(page, f"http://127.0.0.1:{port}", FEASIBILITY)  # type: ignore[arg-type]
    app.open_work(group)
    app.exercise(text("feasibility.title")).type_into(text("feasibility.expected_volume"), volume)
    return app


def test_the_plenary_shows_two_groups_that_save_on_the_lan_server(
    browser: object, lan_port: int, plenary_port: int
) -> None:
    plenary = _new_page(browser)
    monitor = KernelMonitor()
    monitor.attach(plenary)  # type: ignore[arg-type]
    plenary.goto(f"http://127.0.0.1:{plenary_port}/")  # type: ignore[attr-defined]
    view = plenary.locator(".coop-plenary")  # type: ignore[attr-defined]
    expect(view).to_contain_text(text("plenary.title"), timeout=90_000)

    north = _group_saves(browser, lan_port, "Group North", "5200")
    south = _group_saves(browser, lan_port, "Group South", "2100")
    table = view.locator("table.coop-table")
    # The plenary reads the store again every few seconds: both rows appear without a reload.
    expect(table).to_contain_text("group north", timeout=15_000)
    expect(table).to_contain_text("group south", timeout=15_000)
    rows = {
        name: table.locator("tr", has=plenary.locator("td", has_text=re.compile(f"^{name}$")))  # type: ignore[attr-defined]
        for name in ("group north", "group south")
    }
    expect(rows["group north"]).to_contain_text("5,200")
    expect(rows["group south"]).to_contain_text("2,100")
    expect(view.locator(".coop-chart img")).to_have_attribute("alt", re.compile("group north.*group south"))
    ARTIFACTS.mkdir(exist_ok=True)
    plenary.screenshot(path=str(ARTIFACTS / "plenary--two-groups.png"))  # type: ignore[attr-defined]
    assert not monitor.problems, monitor.problems
    for app in (north, south):
        app.assert_no_errors()


def test_the_plenary_listens_on_this_computer_only(plenary_port: int) -> None:
    listening = [
        c.laddr
        for c in psutil.net_connections(kind="inet")
        if c.status == psutil.CONN_LISTEN and c.laddr and c.laddr.port == plenary_port
    ]
    assert listening and all(address.ip in ("127.0.0.1", "::1") for address in listening), listening
    address = _network_address()
    if address is not None:
        with pytest.raises(OSError):
            socket.create_connection((address, plenary_port), timeout=5).close()
    request = urllib.request.Request(f"http://127.0.0.1:{plenary_port}/", headers={"Host": "192.168.1.20"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403


def test_the_root_opens_the_landing_page_with_the_token(browser: object, lan_port: int) -> None:
    page = _new_page(browser)
    page.goto(f"http://127.0.0.1:{lan_port}/?token={TOKEN}")  # type: ignore[attr-defined]
    expect(page).to_have_url(re.compile(r"/voila/render/index\.ipynb"))  # type: ignore[arg-type]
    expect(page.get_by_role("heading", name=LANDING_TITLE, level=1)).to_be_visible()  # type: ignore[attr-defined]
    # A participant who comes back to the bare address later (the browser kept the login).
    page.goto(f"http://127.0.0.1:{lan_port}/")  # type: ignore[attr-defined]
    expect(page).to_have_url(re.compile(r"/voila/render/index\.ipynb$"))  # type: ignore[arg-type]
    expect(page.get_by_role("heading", name=LANDING_TITLE, level=1)).to_be_visible()  # type: ignore[attr-defined]
    assert "Select items to open" not in page.content()  # type: ignore[attr-defined]


def test_the_root_opens_the_landing_page_without_a_token(browser: object, voila_server: str) -> None:
    page = _new_page(browser)
    page.goto(voila_server + "/")  # type: ignore[attr-defined]
    expect(page).to_have_url(re.compile(r"/voila/render/index\.ipynb$"))  # type: ignore[arg-type]
    expect(page.get_by_role("heading", name=LANDING_TITLE, level=1)).to_be_visible()  # type: ignore[attr-defined]
    # A folder lists its modules in the course's look, each opening at /voila/render/<path>.
    page.goto(voila_server + "/voila/tree/start_coop")  # type: ignore[attr-defined]
    link = page.get_by_role("link", name="02 feasibility")  # type: ignore[attr-defined]
    expect(link).to_have_attribute("href", "/voila/render/start_coop/02_feasibility.ipynb")
    expect(page.get_by_role("link", name=re.compile("first page"))).to_be_visible()  # type: ignore[attr-defined]
