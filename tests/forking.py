"""Page kernels in tests: started as Voila starts one, and either way: forked by a ready fork
server (coopcourse.fork_server), or as new processes, whatever the state of the server-wide one."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import psutil
import pytest
from jupyter_client.blocking.client import BlockingKernelClient
from jupyter_client.kernelspec import NATIVE_KERNEL_NAME
from jupyter_client.manager import KernelManager

from coopcourse import fork_provisioner
from coopcourse.fork_provisioner import ForkServer, kernel_id_of
from coopcourse.page_kernel import PageKernelSpecManager

STARTS = ("new process", "forked")


def until(condition: Callable[[], object], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        time.sleep(0.05)


@contextmanager
def page_kernel(
    manager: dict[str, Any] | None = None, **launch: Any
) -> Iterator[tuple[KernelManager, BlockingKernelClient]]:
    """A page kernel started as Voila starts one (through the page kernel spec, which names the
    forking provisioner), and a client connected to it; both stopped after. ``manager``: settings
    of the kernel manager (transport, connection file); ``launch``: of the start (env, cwd)."""
    kernel = KernelManager(
        kernel_name=NATIVE_KERNEL_NAME, kernel_spec_manager=PageKernelSpecManager(), **(manager or {})
    )
    kernel.start_kernel(**launch)
    client = kernel.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=60)
        yield kernel, client
    finally:
        client.stop_channels()
        kernel.shutdown_kernel(now=True)


@contextmanager
def ready_fork_server() -> Iterator[ForkServer]:
    server = ForkServer()
    try:
        until(server.ready, 120, "the fork server accepts kernels")
        yield server
    finally:
        server.stop()


@contextmanager
def kernels_started(how: str) -> Iterator[None]:
    """Page kernels started in this block are forked (``how == "forked"``) or new processes."""
    with pytest.MonkeyPatch.context() as patch:
        if how == "forked":
            with ready_fork_server() as server:
                patch.setattr(fork_provisioner, "FORK_SERVER", server)
                yield
        else:
            server = ForkServer()
            server.given_up = True
            patch.setattr(fork_provisioner, "FORK_SERVER", server)
            yield


def kernel_pids(kernel_id: str) -> list[int]:
    """The processes of a running kernel (``kernel_id_of``: a forked kernel too)."""
    found = []
    for process in psutil.process_iter():
        try:
            if kernel_id_of(process) == kernel_id:
                found.append(process.pid)
        except psutil.Error:
            continue
    return found
