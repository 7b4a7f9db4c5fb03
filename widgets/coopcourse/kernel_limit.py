"""A limit on the kernels Voila runs at once: ``LimitedKernelManager`` (named in ``voila.json``).

Every page view starts a kernel (about 130 MB) that lives until its tab is closed or it is culled.
At ``max_kernels`` running kernels, the page that would start one more gets "the room is full"
(``coopcourse.serving.room_full_page``, HTTP 503) instead of the computer running out of memory
and every open page dying; when a kernel ends, a new page loads again. The default and how to
change it: ``coopcourse.serving.default_max_kernels`` (``make serve MAX_KERNELS=n``,
``$COOPCOURSE_MAX_KERNELS`` or ``--LimitedKernelManager.max_kernels=n``).

How the refusal reaches the browser: Voila's page handler (``VoilaHandler.get_generator`` in
``voila/handler.py``) awaits ``kernel_manager.start_kernel`` before it has written anything.
``start_kernel`` here finds that request's handler through jupyter_server's ``CallContext``
(set by ``JupyterHandler.prepare``), sets the status and headers, and raises
``tornado.web.Finish`` with the page: Tornado ends the request with that body, without calling
``write_error`` and without logging a traceback (Tornado documents ``Finish`` for custom error
pages in library code).

With preheated kernels (``POOL=n``, ``WARM=path:n``) the pools' kernels count too: they hold
memory like any page's kernel. A pool refill beyond the limit is not started (its task fails with
``RoomFull``) and is dropped from the pool; pages then start their own kernels under the limit,
with status 503 at the limit.

Only ready kernels count as a pool here. Voila puts a kernel's replacement into the pool as soon
as a page takes one, though it starts only ``fill_delay`` later (``coopcourse.serving`` sets 120 s
for ``WARM``): Voila alone would make the page after the n-th of a burst wait for that delay. With
this manager such a page starts its own kernel at once, as it would without a pool. As many
kernels start in all (each page taken from the pool still leads to one refill); pages just do
not wait for the refills.

Culling: jupyter_server's culler goes through a list of the kernels taken when it starts, and
shutting down the idle ones takes time, so a tab closed meanwhile removes a kernel still on that
list. jupyter_server then logged a KeyError traceback for it (seen in the tests after 15 minutes,
when culling began while pages opened and closed). A kernel that has ended is skipped.
"""

from __future__ import annotations

import asyncio
from typing import Any

from jupyter_server.base.call_context import CallContext
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado.web import Finish, RequestHandler
from traitlets import Integer, default

from coopcourse.serving import (
    KERNEL_MB,
    MAX_KERNELS_VARIABLE,
    RESERVE_MB,
    default_max_kernels,
    room_full_page,
)

RETRY_AFTER_SECONDS = 60
PREHEAT_VARIABLE = "VOILA_PREHEAT"  # "True" in the environment of a kernel Voila starts for a pool


class RoomFull(Finish):
    """Raised by ``LimitedKernelManager.start_kernel`` at the limit; a ``tornado.web.Finish``, so a
    page handler it reaches ends its request with the "room is full" page instead of an error."""

    def __init__(self) -> None:
        super().__init__(room_full_page())


class LimitedKernelManager(AsyncMappingKernelManager):
    """Voila's kernel manager with a limit on running kernels (``max_kernels``).

    Configured in ``voila.json`` (``VoilaConfiguration.multi_kernel_manager_class``); every
    ``MappingKernelManager`` setting (culling) still applies."""

    max_kernels = Integer(
        min=1,
        config=True,
        help=f"Most kernels running at once; a page that would start one more gets 'the room is full' "
        f"(HTTP 503). Default: ${MAX_KERNELS_VARIABLE}, else (available memory - {RESERVE_MB} MB) / {KERNEL_MB} MB.",
    )

    @default("max_kernels")
    def _default_max_kernels(self) -> int:
        return default_max_kernels()

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._starting = 0  # kernels being started, not yet in the manager's list
        self.log.info("At most %d kernels (one per open course page) run at once.", self.max_kernels)
        if hasattr(self, "get_rendered_notebook"):
            # Voila's pool manager subclasses this class (preheat_kernel on), so its methods win over
            # ours: these instance attributes take their place for the page handler.
            pooled = getattr(self, "get_rendered_notebook")  # noqa: B009 (not known to mypy)

            async def ready_kernel_first(notebook_name: str, **kwargs: Any) -> Any:
                self._ready_first(notebook_name)
                return await pooled(notebook_name=notebook_name, **kwargs)

            setattr(self, "get_pool_size", self.ready_in_pool)  # noqa: B010
            setattr(self, "get_rendered_notebook", ready_kernel_first)  # noqa: B010

    def _pool(self, notebook_name: str) -> list[asyncio.Task]:
        pools: dict[str, list[asyncio.Task]] = getattr(self, "_pools", {})
        return pools.get(notebook_name, [])

    def ready_in_pool(self, notebook_name: str) -> int:
        """Kernels of ``notebook_name``'s pool that a page can have now (started, its cells run or
        running); drops the ones that failed to start (e.g. refused at the limit)."""
        pool = self._pool(notebook_name)
        for task in [t for t in pool if t.done() and (t.cancelled() or t.exception() is not None)]:
            pool.remove(task)
        return sum(1 for task in pool if task.done())

    def _ready_first(self, notebook_name: str) -> None:
        # Voila hands out the pool's first entry: make it a ready one, not a refill still waiting.
        pool = self._pool(notebook_name)
        ready = next((task for task in pool if task.done()), None)
        if ready is not None:
            pool.remove(ready)
            pool.insert(0, ready)

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        if kernel_id not in self._kernels:
            return  # ended since the culler listed it: nothing to cull
        await super().cull_kernel_if_idle(kernel_id)

    def running_kernels(self) -> int:
        """Kernels started or starting: what the limit counts."""
        return len(self._kernels) + self._starting

    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:  # type: ignore[override]
        if self.running_kernels() >= self.max_kernels:
            self._refuse(kwargs)
        # Counted before the first await, so two pages arriving together cannot both pass the check.
        self._starting += 1
        try:
            kernel_id: str = await super().start_kernel(*args, **kwargs)
        finally:
            self._starting -= 1
        return kernel_id

    def _refuse(self, kwargs: dict[str, Any]) -> None:
        env = kwargs.get("env") or {}
        if env.get(PREHEAT_VARIABLE) == "True":
            # A pool refill runs in a task copied from an earlier page's context: leave that page alone.
            self.log.warning("The room is full (%d kernels): a preheated kernel was not started.", self.max_kernels)
            raise RoomFull()
        self.log.warning(
            "The room is full (%d kernels): a page got 'the room is full' instead of a kernel.", self.max_kernels
        )
        handler = CallContext.get(CallContext.JUPYTER_HANDLER)
        if isinstance(handler, RequestHandler):  # the page's request: nothing of it was sent yet
            handler.set_status(503)
            handler.set_header("Content-Type", "text/html; charset=UTF-8")
            handler.set_header("Cache-Control", "no-cache, no-store, must-revalidate")
            handler.set_header("Retry-After", str(RETRY_AFTER_SECONDS))
        raise RoomFull()
