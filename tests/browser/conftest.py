"""Browser tests: Voila started the way `make serve` starts it, driven by headless Chromium.

Fixtures:
- ``voila_server``  (session) base URL of a Voila serving ``course/`` with ``voila.json``
                    (``running_voila`` starts another one, e.g. on a folder of probe notebooks);
- ``browser``       (session) Chromium from ``$CHROMIUM`` (default ``/usr/bin/chromium``);
- ``page``          a fresh browser context and page with a ``KernelMonitor`` attached;
- ``open_app``      ``open_app(notebook)`` renders a notebook and returns an ``App``; at the end
                    of the test the page must show no error and the kernel must have sent none.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.browser.voila_app import ARTIFACTS, REPO, VOILA, App, KernelMonitor, render_url, wait_rendered

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SERVER_START_SECONDS = 90
# As the Makefile exports it: where Voila finds the course's `coop` template (voila.json).
JUPYTER_PATH = str(REPO / "widgets" / "share" / "jupyter")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def voila_command(port: int, root: Path = REPO / "course") -> list[str]:
    """The command of `make serve` (see the Makefile), on another port and without a browser."""
    return [
        *VOILA,
        str(root),
        f"--Voila.config_file_paths={REPO}",
        "--Voila.ip=127.0.0.1",
        f"--port={port}",
        "--no-browser",
    ]


@contextmanager
def running_voila(root: Path, log_path: Path, data_dir: Path) -> Iterator[str]:
    """Voila serving ``root`` with the repository's settings and the Makefile's environment;
    yields its base URL once it answers, and stops it afterwards."""
    port = _free_port()
    env = dict(os.environ, COOPCOURSE_DATA_DIR=str(data_dir), JUPYTER_PATH=JUPYTER_PATH)
    # As `make test`: the kernels of pages the tests left wait for culling, and a whole run leaves
    # more than the limit free memory gives (146 pages on a 24 GB machine), so `pytest
    # tests/browser` on its own would find the room full.
    env.setdefault("COOPCOURSE_MAX_KERNELS", "400")
    log = log_path.open("w")
    process = subprocess.Popen(
        voila_command(port, root), cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"Voila exited with {process.returncode}; see {log_path}")
            try:
                with urllib.request.urlopen(base_url + "/", timeout=5) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"Voila did not answer within {SERVER_START_SECONDS} s; see {log_path}")
            time.sleep(0.3)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="session")
def voila_log_path() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / "voila.log"


@pytest.fixture(scope="session")
def voila_server(tmp_path_factory: pytest.TempPathFactory, voila_log_path: Path) -> Iterator[str]:
    with running_voila(REPO / "course", voila_log_path, tmp_path_factory.mktemp("coopdata")) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM} (Debian: apt-get install chromium; or set CHROMIUM=...)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    context.set_default_timeout(30_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def open_app(page: object, voila_server: str, voila_log_path: Path) -> Iterator[Callable[[Path], App]]:
    """Render a notebook (path relative to ``course/``) and return the ``App`` on it.
    At teardown, the page, the kernel websocket and the server log must be free of errors
    (a test that called ``app.assert_no_errors()`` is only checked again for later messages)."""
    apps: list[App] = []

    def _open(notebook: Path) -> App:
        monitor = KernelMonitor()
        monitor.attach(page)  # type: ignore[arg-type]
        offset = voila_log_path.stat().st_size if voila_log_path.exists() else 0
        page.goto(render_url(voila_server, notebook), timeout=60_000)  # type: ignore[attr-defined]
        wait_rendered(page, notebook)  # type: ignore[arg-type]
        app = App(page, monitor, notebook, voila_log_path, offset)  # type: ignore[arg-type]
        app.settle()
        apps.append(app)
        return app

    yield _open
    for app in apps:
        app.settle()
        if app.checked_problems < 0:
            app.assert_no_errors()
        else:
            late = app.monitor.problems[app.checked_problems :] + app.server_problems()
            assert not late, f"{app.notebook}: after the test's own check:\n" + "\n".join(late)
