"""`make serve WARM=start_coop/02_feasibility.ipynb:2` in a running Voila, over HTTP (no browser):
the warm notebook's kernels run before any page is asked for, no other notebook has any, and a
burst of as many pages as warm kernels takes them all and starts none. The page after them starts
its own kernel at once (the refills wait WARM_FILL_DELAY_S), and another notebook starts its own.

The server is started like `make serve`, with the settings `coopcourse.serving warm` writes read
before voila.json (the Makefile's order). Kernels are counted as the server's child processes (Voila
standalone has no kernel list in its API) and matched to the notebook's folder by their working
directory, where Voila starts a notebook's kernel.
"""

from __future__ import annotations

import concurrent.futures
import re
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from coopcourse import serving
from coopcourse.fork_provisioner import kernel_id_of
from tests.browser.test_browser_serving import _voila
from tests.browser.voila_app import COURSE, REPO

WARM_NOTEBOOK = "start_coop/02_feasibility.ipynb"
OTHER_NOTEBOOK = "index.ipynb"
WARM = 2
POOL_FILL_SECONDS = 240  # bound on the wait for the pool at start (2 kernels on a shared 2-core machine)
PAGE_TIMEOUT = 180


def _get(base_url: str, path: str) -> tuple[int, str]:
    with urllib.request.urlopen(base_url + path, timeout=PAGE_TIMEOUT) as response:
        return response.status, response.read().decode("utf-8", "replace")


def _kernel_id(page_html: str) -> str:
    found = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', page_html)
    assert found, "no kernel id in the rendered page"
    return found.group(1)


def _voila_process(port: int) -> psutil.Process:
    for process in psutil.process_iter(["cmdline"]):
        if f"--port={port}" in (process.info["cmdline"] or []):
            return process
    raise AssertionError(f"no Voila process on port {port}")


def _kernels(server: psutil.Process) -> dict[str, Path]:
    """The kernels the Voila ``server`` runs (its child processes), with their working directory:
    Voila (standalone) has no kernel list in its API, and starts a notebook's kernel in its folder."""
    kernels = {}
    for child in server.children(recursive=True):
        try:
            kernel_id = kernel_id_of(child)
            if kernel_id:
                kernels[kernel_id] = Path(child.cwd())
        except psutil.Error:
            continue
    return kernels


@pytest.fixture(scope="module")
def warm_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, psutil.Process, Path]]:
    settings = tmp_path_factory.mktemp("warm-settings")
    serving.prepare_warm(f"{WARM_NOTEBOOK}:{WARM}", COURSE, settings, max_kernels=20)
    with _voila(
        "warm",
        tmp_path_factory.mktemp("warm-data"),
        extra_env={"COOPCOURSE_MAX_KERNELS": "20"},
        config_folders=(settings, REPO),
    ) as (base_url, port, log):
        filled = f"Kernel pool of {WARM_NOTEBOOK} is filled with {WARM} kernel(s)"
        deadline = time.monotonic() + POOL_FILL_SECONDS
        while filled not in log.read_text(encoding="utf-8"):
            assert time.monotonic() < deadline, f"the warm pool was not filled; see {log}"
            time.sleep(0.5)
        yield base_url, _voila_process(port), log


def test_warm_kernels_for_one_notebook_and_a_burst_starts_none(
    warm_server: tuple[str, psutil.Process, Path],
) -> None:
    base_url, server, log = warm_server
    # Before any page: the warm notebook's kernels, in its folder, and none for another notebook.
    before = _kernels(server)
    warm = set(before)
    assert len(warm) == WARM, f"{len(warm)} kernels before any page, expected {WARM}"
    assert set(before.values()) == {COURSE / "start_coop"}
    text = log.read_text(encoding="utf-8")
    assert text.count("Kernel pool of ") == 1, "a pool was filled for another notebook"

    # A burst of as many pages as warm kernels: every page is served, from the pool, no kernel starts.
    with concurrent.futures.ThreadPoolExecutor(WARM) as pool:
        pages = list(pool.map(lambda _: _get(base_url, f"/voila/render/{WARM_NOTEBOOK}"), range(WARM)))
    for status, page in pages:
        assert status == 200
        assert "Traceback" not in page and "There was an error when executing cell" not in page
        assert "application/vnd.jupyter.widget-view+json" in page, "the page shows no widget"
    assert {_kernel_id(page) for _, page in pages} == warm, "each page has one of the warm kernels"
    assert set(_kernels(server)) == warm, "a kernel was started during the burst"
    text = log.read_text(encoding="utf-8")
    assert text.count("Using pre-heated kernel") == WARM
    assert "Traceback" not in text

    # One page more: the refills still wait, so it starts its own kernel instead of waiting for one.
    status, page = _get(base_url, f"/voila/render/{WARM_NOTEBOOK}")
    extra = _kernel_id(page)
    assert status == 200 and extra not in warm

    # Another notebook has no pool: its page starts its own kernel.
    status, page = _get(base_url, f"/voila/render/{OTHER_NOTEBOOK}")
    other = _kernel_id(page)
    assert status == 200 and other not in warm | {extra}
    assert _kernels(server).get(other) == COURSE
    text = log.read_text(encoding="utf-8")
    assert text.count("Using pre-heated kernel") == WARM
    assert "Traceback" not in text
