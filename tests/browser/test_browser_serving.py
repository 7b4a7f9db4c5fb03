"""What `make serve` and `make serve-lan` accept, and the server-wide kernel limit.

- Host check (against DNS rebinding): a web page on another site can make a browser send it
  requests to 127.0.0.1 under the other site's name. `make serve` (voila.json) answers only
  requests addressed to localhost, 127.0.0.1 or [::1]: pages, APIs and the kernel websocket
  refuse any other ``Host``. `make serve-lan` (token, reached by the laptop's network address)
  answers its LAN address and still needs the token.
- Kernel limit: with ``COOPCOURSE_MAX_KERNELS=2`` the third page gets "The room is full" (HTTP
  503, no traceback, nothing from elsewhere); once a tab is closed, a new page loads again.

Each server here is started like `make serve` (the command of conftest's ``voila_command``),
with the repository's voila.json; the LAN one reads lan/voila.py first, as `make serve-lan` does.
"""

from __future__ import annotations

import http.client
import json
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

import pytest

from coopcourse.text import text
from tests.browser.voila_app import ARTIFACTS, REPO, VOILA, open_page, render_url

NOTEBOOK = Path("index.ipynb")  # the landing page: a light page, one kernel like every module
JUPYTER_PATH = str(REPO / "widgets" / "share" / "jupyter")
SERVER_START_SECONDS = 90
TOKEN = "serving-test-token"
LOOPBACK_NAMES = ["127.0.0.1", "localhost", "[::1]"]
FOREIGN_NAMES = ["attacker.example", "192.168.1.20", "localhost.attacker.example", "127.0.0.1.attacker.example"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def _voila(
    name: str,
    data_dir: Path,
    extra_args: Sequence[str] = (),
    extra_env: dict[str, str] | None = None,
    ready_path: str = "/",
    config_folders: Sequence[Path] = (REPO,),
) -> Iterator[tuple[str, int, Path]]:
    """Voila serving course/ as `make serve` does (plus ``extra_args``); yields (base URL, port, log)."""
    port = _free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / f"voila-{name}.log"
    command = [
        *VOILA,
        str(REPO / "course"),
        *(f"--Voila.config_file_paths={folder}" for folder in config_folders),
        "--Voila.ip=127.0.0.1",
        f"--port={port}",
        "--no-browser",
        *extra_args,
    ]
    env = {key: value for key, value in os.environ.items() if key != "COOPCOURSE_MAX_KERNELS"}
    env.update(COOPCOURSE_DATA_DIR=str(data_dir), JUPYTER_PATH=JUPYTER_PATH, **(extra_env or {}))
    base_url = f"http://127.0.0.1:{port}"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
        try:
            deadline = time.monotonic() + SERVER_START_SECONDS
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"Voila exited with {process.returncode}; see {log_path}")
                try:
                    with urllib.request.urlopen(base_url + ready_path, timeout=5) as response:
                        if response.status == 200:
                            break
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Voila did not answer within {SERVER_START_SECONDS} s; see {log_path}")
                time.sleep(0.3)
            yield base_url, port, log_path
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="module")
def local_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int, Path]]:
    """`make serve`: 127.0.0.1, no token, voila.json as it is."""
    with _voila("serve", tmp_path_factory.mktemp("serve-data")) as server:
        yield server


@pytest.fixture(scope="module")
def lan_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int, Path]]:
    """`make serve-lan`: a token, and lan/ before the repository in the config path as the Makefile
    has it (bound to 127.0.0.1 here; the Host check does not depend on the address listened on)."""
    with _voila(
        "serve-lan",
        tmp_path_factory.mktemp("lan-data"),
        [f"--Voila.token={TOKEN}"],
        ready_path=f"/?token={TOKEN}",
        config_folders=(REPO / "lan", REPO),
    ) as server:
        yield server


@pytest.fixture(scope="module")
def small_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int, Path]]:
    """`make serve MAX_KERNELS=2` (the Makefile exports it as COOPCOURSE_MAX_KERNELS)."""
    data = tmp_path_factory.mktemp("small-data")
    with _voila("max-kernels", data, extra_env={"COOPCOURSE_MAX_KERNELS": "2"}) as server:
        yield server


def _request(
    port: int, path: str, host: str, method: str = "GET", headers: dict[str, str] | None = None
) -> tuple[int, str]:
    """Send a request to 127.0.0.1:``port`` with the ``Host`` header ``host``; status and body."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=90)
    try:
        connection.request(method, path, headers={"Host": host, **(headers or {})})
        response = connection.getresponse()
        body = b"" if response.status == 101 else response.read()
        return response.status, body.decode("utf-8", "replace")
    finally:
        connection.close()


def _websocket_upgrade(port: int, kernel_id: str, host: str) -> int:
    """The status of a kernel websocket handshake addressed to ``host`` (101: switched)."""
    status, _ = _request(
        port,
        f"/api/kernels/{kernel_id}/channels?session_id=serving-test",
        host,
        headers={
            "Connection": "Upgrade",
            "Upgrade": "websocket",
            "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Key": "c2VydmluZy10ZXN0LWtleQ==",
            "Origin": f"http://{host}",
        },
    )
    return status


def _kernel_id(page_html: str) -> str:
    found = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', page_html)
    assert found, "no kernel id in the rendered page"
    return found.group(1)


def _with_port(name: str, port: int) -> str:
    return f"{name}:{port}"


# --- make serve: only requests addressed to this computer ------------------------------------------


@pytest.mark.parametrize("name", LOOPBACK_NAMES)
def test_serve_answers_loopback_names(local_server: tuple[str, int, Path], name: str) -> None:
    _, port, _ = local_server
    for host in (_with_port(name, port), name):
        status, body = _request(port, "/", host)
        assert status == 200 and 'id="coop-landing"' in body, f"Host {host}: the root answered {status}"
        status, listing = _request(port, "/voila/api/contents/", host)
        assert status == 200 and "index.ipynb" in listing, f"Host {host}: the contents API answered {status}"


@pytest.mark.parametrize("name", FOREIGN_NAMES)
def test_serve_refuses_other_names(local_server: tuple[str, int, Path], name: str) -> None:
    _, port, _ = local_server
    host = _with_port(name, port)
    for path in ("/", f"/voila/render/{NOTEBOOK.as_posix()}", "/voila/tree", "/voila/api/contents/"):
        status, body = _request(port, path, host)
        assert status in (400, 403), f"Host {host}: {path} answered {status}"
        assert "kernelId" not in body and "Traceback" not in body, f"Host {host}: {path} leaked a page"


def test_serve_refuses_the_kernel_websocket_and_api_to_other_names(local_server: tuple[str, int, Path]) -> None:
    """A page rendered for 127.0.0.1 has a kernel; a page under another name can neither open its
    websocket, nor read its state, nor shut it down. The same requests to 127.0.0.1 work."""
    _, port, _ = local_server
    local = _with_port("127.0.0.1", port)
    status, page_html = _request(port, f"/voila/render/{NOTEBOOK.as_posix()}", local)
    assert status == 200
    kernel = _kernel_id(page_html)
    try:
        for name in FOREIGN_NAMES:
            foreign = _with_port(name, port)
            assert _websocket_upgrade(port, kernel, foreign) in (400, 403), f"websocket opened for Host {foreign}"
            assert _request(port, f"/api/kernels/{kernel}", foreign)[0] in (400, 403)
            assert _request(port, f"/voila/api/shutdown/{kernel}", foreign, method="POST")[0] in (400, 403)
        status, model = _request(port, f"/api/kernels/{kernel}", local)
        assert status == 200 and json.loads(model)["id"] == kernel, "the kernel should still run"
        for name in LOOPBACK_NAMES:
            assert _websocket_upgrade(port, kernel, _with_port(name, port)) == 101, f"websocket refused for {name}"
    finally:
        _request(port, f"/voila/api/shutdown/{kernel}", local, method="POST")


# --- make serve-lan: the LAN address, with the token ------------------------------------------


def test_serve_lan_answers_its_network_address_with_the_token(lan_server: tuple[str, int, Path]) -> None:
    _, port, _ = lan_server
    host = _with_port("192.168.1.20", port)
    status, body = _request(port, f"/?token={TOKEN}", host)
    assert status == 200 and 'id="coop-landing"' in body, f"the LAN address got {status}"
    status, page_html = _request(port, f"/voila/render/{NOTEBOOK.as_posix()}?token={TOKEN}", host)
    assert status == 200, f"a page for the LAN address got {status}"
    kernel = _kernel_id(page_html)
    assert _request(port, f"/voila/api/shutdown/{kernel}?token={TOKEN}", host, method="POST")[0] in (200, 204)
    # Without the token: the login page or a refusal, never the course.
    for path in ("/", f"/voila/render/{NOTEBOOK.as_posix()}"):
        status, body = _request(port, path, host)
        assert status in (302, 401, 403), f"{path} without the token answered {status}"
        assert "kernelId" not in body


# --- the kernel limit ------------------------------------------------------------------------


def _kernel_of(page: object) -> str:
    return json.loads(page.locator("#jupyter-config-data").text_content())["kernelId"]  # type: ignore[attr-defined]


def test_a_full_room_says_so_and_frees_up_when_a_tab_closes(
    browser: object, small_server: tuple[str, int, Path]
) -> None:
    base_url, _, log = small_server
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    context.set_default_timeout(60_000)
    try:
        first, second = context.new_page(), context.new_page()
        apps = [open_page(first, base_url, NOTEBOOK), open_page(second, base_url, NOTEBOOK)]
        for app in apps:
            app.assert_no_errors()

        # The third page: the room is full.
        third = context.new_page()
        requests: list[str] = []
        third.on("request", lambda request: requests.append(request.url))
        response = third.goto(render_url(base_url, NOTEBOOK))
        assert response is not None and response.status == 503
        assert response.headers.get("retry-after") == "60"
        assert third.get_by_role("heading", level=1).inner_text() == text("serving.room_full_title")
        body = third.locator("body").inner_text()
        assert text("serving.room_full_message") in body
        assert "Traceback" not in body and "Error" not in body
        assert third.locator("script").count() == 0
        away = [url for url in requests if not url.startswith(base_url)]
        assert not away, f"the room-full page asked for something elsewhere: {away}"
        assert "Traceback" not in log.read_text(encoding="utf-8")

        # A group closes a tab: its kernel ends, and the next page loads.
        closed = _kernel_of(first)
        first.close(run_before_unload=True)
        deadline = time.monotonic() + 30
        while third.request.get(f"{base_url}/api/kernels/{closed}").status != 404:
            assert time.monotonic() < deadline, "the closed tab's kernel did not end"
            time.sleep(0.25)
        again = open_page(third, base_url, NOTEBOOK)
        again.assert_no_errors()
        assert third.get_by_role("heading", name=text("serving.room_full_title")).count() == 0
    finally:
        context.close()


# --- what a page sends over the room's Wi-Fi ----------------------------------------------------


def test_a_page_gets_its_scripts_and_styles_compressed(browser: object, local_server: tuple[str, int, Path]) -> None:
    """A new device's first page: every script and style sheet over 1 KB comes gzipped (the course's
    Voila, coopcourse.course_voila), Chromium reads them (the page works), and the page pulls less
    than half of what the files weigh."""
    base_url, _, log = local_server
    logged_before = log.stat().st_size
    context = browser.new_context()  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        responses: list[object] = []
        page.on("response", lambda response: responses.append(response))
        open_page(page, base_url, NOTEBOOK).assert_no_errors()
        files = [
            response
            for response in responses
            if response.url.startswith(f"{base_url}/voila/")  # type: ignore[attr-defined]
            and response.status == 200  # type: ignore[attr-defined]
            and response.request.resource_type in ("script", "stylesheet")  # type: ignore[attr-defined]
        ]
        assert len(files) > 20, "the page loaded fewer scripts than Voila's page has"
        sizes = [len(response.body()) for response in files]  # type: ignore[attr-defined]
        plain = [
            response.url  # type: ignore[attr-defined]
            for response, size in zip(files, sizes)
            if size > 1024 and response.headers.get("content-encoding") != "gzip"  # type: ignore[attr-defined]
        ]
        assert not plain, f"sent uncompressed: {plain}"
        sent = sum(int(response.headers.get("content-length", 0)) for response in files)  # type: ignore[attr-defined]
        assert 0 < sent < sum(sizes) / 2, f"{sent} bytes sent for {sum(sizes)} bytes of files"
        # Scripts named after their content are kept by the browser for the next pages; Voila's
        # own chunk files ("7155.voila.js") are not named so, and are asked for again when stale.
        hashed = [r for r in files if re.search(r"[.-][0-9a-f]{8,}\.js$", r.url.split("?")[0])]  # type: ignore[attr-defined]
        assert len(hashed) > 5, "the page loads its widget scripts from files named after their content"
        for response in hashed:
            assert "immutable" in response.headers.get("cache-control", ""), response.url  # type: ignore[attr-defined]
        for response in files:
            if re.search(r"/\d+\.voila\.js$", response.url):  # type: ignore[attr-defined]
                assert "immutable" not in response.headers.get("cache-control", ""), response.url  # type: ignore[attr-defined]
        logged = log.read_bytes()[logged_before:].decode("utf-8", "replace")
        assert "Could not open static file" not in logged and "Traceback" not in logged, logged
    finally:
        context.close()


def _chunks(port: int, path: str) -> list[bytes]:
    """The pieces of a chunked response as the server sent them (http.client joins them)."""
    with socket.create_connection(("127.0.0.1", port), timeout=90) as connection:
        connection.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
        received = b""
        while data := connection.recv(65536):
            received += data
    head, _, body = received.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200") and b"transfer-encoding: chunked" in head.lower(), head
    chunks = []
    while True:
        size_line, _, body = body.partition(b"\r\n")
        size = int(size_line, 16)
        if size == 0:
            return chunks
        chunks.append(body[:size])
        body = body[size + 2 :]


def test_a_page_comes_in_one_piece_for_each_cell(local_server: tuple[str, int, Path]) -> None:
    """Voila wrote and flushed every piece of its templates apart: 324 for Start.Coop 04, each a
    send of its own. What is ready goes out together now: the page head, then each cell's
    output with what follows it (a 10 s heartbeat may add a piece on a slow machine)."""
    _, port, log = local_server
    logged_before = log.stat().st_size
    notebook = "start_coop/04_organizational_setup.ipynb"
    chunks = _chunks(port, f"/voila/render/{notebook}")
    page = b"".join(chunks).decode("utf-8")
    cells = json.loads((REPO / "course" / notebook).read_text(encoding="utf-8"))["cells"]
    code_cells = sum(cell["cell_type"] == "code" for cell in cells)
    assert 2 <= len(chunks) <= code_cells + 4, f"{len(chunks)} pieces for {code_cells} code cells"
    assert page.rstrip().endswith("</html>") and 'id="coop-page-failed"' not in page
    assert page.count("application/vnd.jupyter.widget-view+json") == code_cells  # each cell's exercise came
    logged = log.read_bytes()[logged_before:].decode("utf-8", "replace")
    assert "Traceback" not in logged, logged


def test_a_page_whose_kernel_dies_says_so(browser: object, tmp_path: Path) -> None:
    """Every page kernel of this server dies as it starts (a sitecustomize that ends the process,
    as a port taken under it did in the load test). The page ends with words, not a spinner
    turning for ever, and nothing of it shows code or a traceback."""
    killer = tmp_path / "site"
    killer.mkdir()
    (killer / "sitecustomize.py").write_text(
        "import os, sys\nif 'coopcourse.page_kernel' in getattr(sys, 'orig_argv', []):\n    os._exit(1)\n",
        encoding="utf-8",
    )
    path = os.pathsep.join(p for p in [str(killer), os.environ.get("PYTHONPATH", "")] if p)
    with _voila("dying-kernels", tmp_path / "data", extra_env={"PYTHONPATH": path}) as (base_url, _, log):
        context = browser.new_context(viewport={"width": 390, "height": 800})  # type: ignore[attr-defined]
        try:
            page = context.new_page()
            page.goto(render_url(base_url, Path("think_coop/01_relationships_and_livelihoods.ipynb")))
            note = page.locator(".coop-page-failed")
            note.wait_for(state="visible", timeout=120_000)
            assert note.get_attribute("role") == "alert"
            for key in ("serving.page_failed_title", "serving.page_failed_message", "serving.page_failed_reload"):
                assert text(key) in note.inner_text()
            assert not page.locator("#loading").is_visible(), "the spinner still turns"
            body = page.locator("body").inner_text()
            assert "Traceback" not in body and "RuntimeError" not in body
            assert "Kernel died before replying" in log.read_text(encoding="utf-8")  # the trainer's log says why
        finally:
            context.close()
