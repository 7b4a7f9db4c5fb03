"""The kernel class a served course page runs (started by ``coopcourse.page_kernel``).

When Voila shuts a page's kernel down, ipykernel's control thread may still flush its output
after the main thread has closed the sockets. The ZMQError ("Socket operation on non-socket") is
then printed as a traceback into the server's log, where a trainer reads it as a fault and where
the browser tests fail on it (seen in CI, ipykernel 7.4; ipykernel's PR #1518 mends a sibling of
this race). Nothing is lost: the kernel is on its way out. ``PageKernel`` lets that one error
pass once a shutdown has begun, and raises it at any other time.

Kept apart from ``page_kernel`` because that module is imported by the Voila server, which needs
the spec manager and not IPython's kernel.
"""

from __future__ import annotations

from typing import Any

import zmq
from ipykernel.ipkernel import IPythonKernel


class PageKernel(IPythonKernel):  # type: ignore[misc]
    """IPython's kernel, quiet about its sockets closing under it while it shuts down."""

    async def process_control(self, msg: Any) -> None:
        try:
            await super().process_control(msg)
        except zmq.ZMQError:
            if self._shutdown_message is None:
                raise
