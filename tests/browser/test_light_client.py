"""The bench's light load client (bench/ws_client.py) costs the server what Chromium's page does:
its kernel websocket speaks the page's protocol, so the figures of `make bench` are a browser's."""

from __future__ import annotations

import importlib
from typing import Any

import pytest

from tests.browser.voila_app import REPO
from tests.event_loop import run_async

NOTEBOOK = "start_coop/04_organizational_setup.ipynb"


def test_the_light_client_speaks_the_browsers_kernel_protocol(
    voila_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chromium's Voila page asks for ``v1.kernel.websocket.jupyter.org``, whose binary frames the
    server passes on as they come; the JSON text protocol the client spoke made the server decode
    and encode every message, a cost no browser causes."""
    monkeypatch.syspath_prepend(str(REPO / "bench"))
    ws_client: Any = importlib.import_module("ws_client")

    async def visit() -> tuple[Any, str | None]:
        client = ws_client.http_client(1)
        page = ws_client.LightPage(voila_server, NOTEBOOK)
        await page.open(client, fetch_assets=False)
        protocol = page.socket.selected_subprotocol if page.socket else None
        await page.leave(client, close_tab=True)
        return page, protocol

    page, protocol = run_async(visit())
    assert page.error is None
    assert protocol == "v1.kernel.websocket.jupyter.org"
    assert page.tally.states and page.tally.states > 20, "the widgets' states came back in the page's protocol"
