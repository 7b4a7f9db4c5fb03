"""A light load client: what one participant's browser makes the Voila server do, without a browser.

For one page it does, as far as the server can tell, what Voila's page does in Chromium:
- GET /voila/render/<notebook>: the server starts a kernel and runs the notebook while it streams
  the page; then the same-origin scripts and style sheets the page links (a new device has
  nothing cached);
- opens the kernel websocket (/api/kernels/<id>/channels) with the browser's protocol
  (``v1.kernel.websocket.jupyter.org``: binary frames the server passes on without decoding
  them; the JSON text protocol would cost the server a decoding and an encoding per message),
  sends ``kernel_info_request``, and asks
  for every widget's state the way @jupyter-widgets' manager does (``_loadFromKernel`` in
  ipywidgets 8): ``comm_open`` on target ``jupyter.widget.control`` (data ``{}``, metadata version
  1.0.0), ``comm_msg`` ``{"method": "request_states"}``, waits for the ``update_states`` reply and
  closes that comm;
- leaves like a closed tab (``POST /voila/api/shutdown/<kernel>``, Voila's beforeunload beacon,
  then the socket closes) or vanishes (the socket closes, the kernel waits for culling).

It renders nothing and runs no JavaScript, so the bench machine pays a fraction of a Chromium page.
Not reproduced: script chunks the page's scripts load later (static files), messages widget views
may send while they render, and the browser's fallback when the states take over 4 s (one request
per model, ``_loadFromKernelModels``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import urljoin

from benchlib import FrameTally
from jupyter_server.services.kernels.connection.base import serialize_msg_to_ws_v1
from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest
from tornado.websocket import WebSocketClientConnection, websocket_connect

PAGE_TIMEOUT_S = 300
STATES_TIMEOUT_S = 120
KERNEL_PROTOCOL = "v1.kernel.websocket.jupyter.org"  # Chromium's Voila page asks for it
ASSET = re.compile(r"""<(?:script[^>]*\ssrc|link[^>]*\shref)=["']([^"']+)["']""", re.IGNORECASE)


def http_client(participants: int) -> AsyncHTTPClient:
    """One client for every participant, with a connection each (Tornado's default is 10 at once)."""
    return AsyncHTTPClient(force_instance=True, max_clients=max(10, 4 * participants))


def _message(msg_type: str, content: dict, session: str, metadata: dict | None = None) -> bytes:
    """A shell message as Voila's page sends it (the v1 protocol's binary frame)."""
    header = {
        "msg_id": uuid.uuid4().hex,
        "username": "bench",
        "session": session,
        "msg_type": msg_type,
        "version": "5.3",
        "date": dt.datetime.now(dt.UTC).isoformat(),
    }
    parts = (header, {}, metadata or {}, content)
    return serialize_msg_to_ws_v1([json.dumps(part).encode("utf-8") for part in parts], "shell")


@dataclass
class LightPage:
    """One participant's page: what it got and how long it took (seconds since ``start``)."""

    base_url: str
    notebook: str
    start: float = field(default_factory=time.monotonic)
    kernel_id: str | None = None
    html_bytes: int = 0
    asset_bytes: int = 0
    first_byte_s: float | None = None
    html_s: float | None = None
    states_s: float | None = None
    error: str | None = None
    tally: FrameTally = field(default_factory=FrameTally)
    socket: WebSocketClientConnection | None = None

    async def open(self, client: AsyncHTTPClient, fetch_assets: bool = True) -> None:
        try:
            html = await self._page(client)
            found = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', html)
            if not found:
                self.error = "no kernel id in the page"
                return
            if "There was an error when executing cell" in html:
                self.error = "the page shows an error"
            self.kernel_id = found.group(1)
            if fetch_assets:
                await self._assets(client, html)
            await self._widget_states()
        except Exception as error:  # a participant's failure is recorded, the others go on
            self.error = f"{type(error).__name__}: {str(error).splitlines()[0][:200] if str(error) else ''}"

    async def _page(self, client: AsyncHTTPClient) -> str:
        chunks: list[bytes] = []

        def received(chunk: bytes) -> None:
            if self.first_byte_s is None:
                self.first_byte_s = time.monotonic() - self.start
            chunks.append(chunk)

        url = f"{self.base_url}/voila/render/{self.notebook}"
        await client.fetch(
            HTTPRequest(url, request_timeout=PAGE_TIMEOUT_S, connect_timeout=60, streaming_callback=received)
        )
        body = b"".join(chunks)
        self.html_bytes = len(body)
        self.html_s = time.monotonic() - self.start
        return body.decode("utf-8", "replace")

    async def _assets(self, client: AsyncHTTPClient, html: str) -> None:
        page_url = f"{self.base_url}/voila/render/{self.notebook}"
        for link in dict.fromkeys(ASSET.findall(html)):  # in page order, each once
            url = urljoin(page_url, link.replace("&amp;", "&"))
            if not url.startswith(self.base_url + "/"):
                continue  # only this server's files: the course template loads nothing from elsewhere
            try:
                response = await client.fetch(url, request_timeout=60)
                self.asset_bytes += len(response.body or b"")
            except HTTPClientError:
                pass  # a missing asset costs the server what a browser's request would

    async def _widget_states(self) -> None:
        session = uuid.uuid4().hex
        ws_url = self.base_url.replace("http://", "ws://", 1)
        url = f"{ws_url}/api/kernels/{self.kernel_id}/channels?session_id={session}"
        self.socket = await websocket_connect(
            HTTPRequest(url, connect_timeout=60, request_timeout=PAGE_TIMEOUT_S),
            max_message_size=256 * 1024 * 1024,
            subprotocols=[KERNEL_PROTOCOL],
        )
        if self.socket.selected_subprotocol != KERNEL_PROTOCOL:
            self.error = f"the server did not speak {KERNEL_PROTOCOL}"
            return
        await self._send("kernel_info_request", {}, session)
        comm_id = uuid.uuid4().hex
        await self._send(
            "comm_open",
            {"comm_id": comm_id, "target_name": "jupyter.widget.control", "data": {}},
            session,
            metadata={"version": "1.0.0"},
        )
        request = {"comm_id": comm_id, "data": {"method": "request_states"}}
        await self._send("comm_msg", request, session)
        deadline = time.monotonic() + STATES_TIMEOUT_S
        while self.tally.states is None:
            if time.monotonic() > deadline:
                self.error = self.error or "no widget states within the time allowed"
                return
            frame = await self.socket.read_message()
            if frame is None:
                self.error = self.error or "the kernel websocket closed"
                return
            self.tally.add(frame)
        self.states_s = time.monotonic() - self.start
        await self._send("comm_close", {"comm_id": comm_id, "data": {}}, session)

    async def _send(self, msg_type: str, content: dict, session: str, metadata: dict | None = None) -> None:
        assert self.socket is not None
        await self.socket.write_message(_message(msg_type, content, session, metadata), binary=True)

    async def leave(self, client: AsyncHTTPClient, close_tab: bool) -> None:
        """Close the tab (Voila's beacon asks the server to shut the kernel down) or vanish."""
        if close_tab and self.kernel_id:
            try:
                await client.fetch(
                    f"{self.base_url}/voila/api/shutdown/{self.kernel_id}", method="POST", body=b"", request_timeout=60
                )
            except HTTPClientError:
                pass
        if self.socket is not None:
            self.socket.close()

    def record(self, index: int) -> dict:
        return {
            "participant": index,
            "url": f"{self.base_url}/voila/render/{self.notebook}",
            "ok": self.error is None and self.states_s is not None,
            "kernel_id": self.kernel_id,
            "first_widget_s": self.states_s,  # widget states in the "browser": the nearest to a first widget
            "full_s": self.states_s,
            "html_s": self.html_s,
            "first_byte_s": self.first_byte_s,
            "html_bytes": self.html_bytes,
            "asset_bytes": self.asset_bytes,
            "ws_bytes": self.tally.bytes,
            "widget_models": self.tally.widget_models,
            "error": self.error,
        }
