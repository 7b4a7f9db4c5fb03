"""Coroutines run by tests outside an event loop of their own."""

from __future__ import annotations

import asyncio
import concurrent.futures
from typing import Any


def run_async(coroutine: Any) -> Any:
    """``asyncio.run`` in a thread of its own: in a full test run an earlier test (Playwright's sync
    API) may leave an event loop running in this thread, where ``asyncio.run`` refuses to start."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
