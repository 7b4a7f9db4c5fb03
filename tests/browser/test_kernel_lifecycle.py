"""Kernels end with their page: a workshop's laptop must not fill up with kernels of closed tabs.

Voila's page asks the server to shut its kernel down when the tab closes or reloads (a
``beforeunload`` beacon to ``/voila/api/shutdown/<kernel>``). A beacon cannot carry the XSRF
header, so Voila refuses it unless voila.json turns the XSRF check off (voila-dashboards/voila
#1458); without that, every closed tab holds its kernel until culling, 15 minutes later.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from tests.browser.voila_app import render_url, wait_rendered

NOTEBOOK = Path("think_coop/01_relationships_and_livelihoods.ipynb")


def _kernel_id(page) -> str:
    return json.loads(page.locator("#jupyter-config-data").text_content())["kernelId"]


def _kernel_status(page, base_url: str, kernel_id: str) -> int:
    return page.context.request.get(f"{base_url}/api/kernels/{kernel_id}").status


def _wait_gone(page, base_url: str, kernel_id: str, seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if _kernel_status(page, base_url, kernel_id) == 404:
            return True
        time.sleep(0.25)
    return False


def test_closing_the_tab_ends_its_kernel(page, voila_server: str) -> None:
    page.goto(render_url(voila_server, NOTEBOOK), timeout=60_000)
    wait_rendered(page, NOTEBOOK)
    kernel = _kernel_id(page)
    assert _kernel_status(page, voila_server, kernel) == 200, "the page's kernel should be running"

    other = page.context.new_page()  # a second tab keeps the context alive to ask the server
    page.close(run_before_unload=True)
    assert _wait_gone(other, voila_server, kernel), f"kernel {kernel} still runs 15 s after its tab was closed"


def test_reloading_replaces_the_kernel(page, voila_server: str) -> None:
    page.goto(render_url(voila_server, NOTEBOOK), timeout=60_000)
    wait_rendered(page, NOTEBOOK)
    first = _kernel_id(page)
    page.reload()
    wait_rendered(page, NOTEBOOK)
    second = _kernel_id(page)
    assert second != first
    assert _wait_gone(page, voila_server, first), f"the kernel of the page before the reload ({first}) still runs"
    assert _kernel_status(page, voila_server, second) == 200
