"""How the Voila server starts page kernels: forked by ``coopcourse.fork_server`` when it can.

``ForkingProvisioner`` is a Jupyter kernel provisioner (registered in ``pyproject.toml`` as
``coopcourse-forked``; ``PageKernelSpecManager`` names it in the page kernel's spec on Linux). It
is Jupyter's own ``LocalProvisioner`` except for the launch: it asks the fork server for the
kernel and then manages that process by its pid as ``LocalProvisioner`` manages a child (signals
to its process group, ``poll``, ``wait``). The fork server is started with the course's Voila
(``CourseVoila``), or else by the first kernel asked for, and needs about 2.5 CPU-seconds to
import its libraries: kernels asked for before it is ready, or if it cannot start or has failed,
are started as new processes, as before. A page never waits for it.

The fork server ends with the process that started it, through ``PR_SET_PDEATHSIG``, which
Linux sends when the starting *thread* ends: it is started from the thread that runs Voila's
event loop (or, in tests, the main thread), which lives as long as the server.
"""

from __future__ import annotations

import asyncio
import atexit
import json
import logging
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from jupyter_client.connect import KernelConnectionInfo
from jupyter_client.provisioning import LocalProvisioner

log = logging.getLogger("coopcourse")
PROVISIONER_NAME = "coopcourse-forked"
FORK_SERVER_MODULE = "coopcourse.fork_server"  # its command line, which its kernels keep
# The fork server must have no thread when it forks: numpy's BLAS starts one per core otherwise.
ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
# A fork takes milliseconds; on a laptop busy with a room's pages the server may wait its turn
# for the CPU (kernels get 180 s to start, voila.json).
ANSWER_TIMEOUT_S = 60.0


KERNEL_FILE = re.compile(r"kernel-([0-9a-f-]{36})(?:\.json|-ipc)")


def forking_available() -> bool:
    return sys.platform == "linux" and hasattr(os, "fork")


class ForkedKernelProcess:
    """A forked kernel seen as ``subprocess.Popen`` sees a child, for ``LocalProvisioner``.

    The kernel is the fork server's child, not this process's: it is watched through a pidfd
    (which cannot be confused with a later process given the same pid) and its exit status is not
    known here, so an ended kernel reports 0."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        try:
            self._pidfd: int | None = os.pidfd_open(pid)
        except OSError:
            self._pidfd = None  # already gone, or a kernel without pidfd: poll by signal 0
            if not _exists(pid):
                self.returncode = 0

    def poll(self) -> int | None:
        if self.returncode is None and self._ended():
            self.returncode = 0
            self._close()
        return self.returncode

    def _close(self) -> None:
        if self._pidfd is not None:
            os.close(self._pidfd)
            self._pidfd = None

    def __del__(self) -> None:
        self._close()

    def _ended(self) -> bool:
        if self._pidfd is not None:
            watch = select.poll()  # not select(): a busy server's descriptors pass 1024
            watch.register(self._pidfd, select.POLLIN)
            return bool(watch.poll(0))
        return not _exists(self.pid)

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout or 0)
            time.sleep(0.05)
        return self.returncode or 0

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class ForkServer:
    """This Voila server's fork server: started on first use, stopped when Voila ends."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        self.folder: Path | None = None
        self.given_up = False

    @property
    def socket_path(self) -> Path | None:
        return self.folder / "socket" if self.folder else None

    def start(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="coopcourse-forks-"))  # only this user can open it
        env = {**os.environ, **ONE_THREAD}
        self.process = subprocess.Popen(
            [sys.executable, "-m", FORK_SERVER_MODULE, str(self.socket_path), str(os.getpid())],
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,  # the terminal's Ctrl-C stops Voila, which stops the kernels
        )
        atexit.register(self.stop)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)

    def prepare(self) -> None:
        """Start it, if that has not been done (``CourseVoila`` does it as Voila starts)."""
        if self.process is None and not self.given_up:
            self.start()

    def ready(self) -> bool:
        """Started (on the first call) and accepting requests."""
        if self.given_up:
            return False
        if self.process is None:
            self.prepare()
            return False
        if self.process.poll() is not None:
            self.given_up = True
            code = self.process.returncode
            log.warning("The kernel fork server ended (code %s): kernels start as new processes.", code)
            return False
        return bool(self.socket_path and self.socket_path.exists())

    async def fork(self, argv: list[str], env: dict[str, str], cwd: str) -> int | None:
        """The pid of a kernel forked with this command, environment and folder, or None if the
        fork server cannot give one now (the caller starts the kernel itself)."""
        if not self.ready():
            return None
        request = json.dumps({"argv": argv, "env": env, "cwd": cwd}).encode() + b"\n"
        try:
            reader, writer = await asyncio.open_unix_connection(str(self.socket_path))
            try:
                writer.write(request)
                await writer.drain()
                line = await asyncio.wait_for(reader.readline(), ANSWER_TIMEOUT_S)
            finally:
                writer.close()
            answer = json.loads(line)
        except (TimeoutError, OSError, ValueError) as problem:
            log.warning("The kernel fork server did not answer (%s): this kernel starts as a new process.", problem)
            return None
        if not isinstance(answer, dict) or not isinstance(answer.get("pid"), int):
            log.warning("The kernel fork server refused a kernel: %s", answer)
            return None
        return int(answer["pid"])


FORK_SERVER = ForkServer()


class ForkingProvisioner(LocalProvisioner):  # type: ignore[misc]
    """Jupyter's local provisioner, with page kernels forked by the fork server when it is ready."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> KernelConnectionInfo:
        pid = None
        if forking_available() and not _redirected(kwargs):
            env = {str(k): str(v) for k, v in (kwargs.get("env") or os.environ).items()}
            cwd = str(kwargs.get("cwd") or os.getcwd())
            pid = await FORK_SERVER.fork(list(cmd), env, cwd)
        if pid is None:
            return await super().launch_kernel(cmd, **kwargs)
        self.process = ForkedKernelProcess(pid)  # type: ignore[assignment]  # what LocalProvisioner uses of a Popen
        self.pid = self.pgid = pid  # the kernel leads its own process group
        self.cwd = kwargs.get("cwd", Path.cwd())
        return self.connection_info


def _redirected(kwargs: dict[str, Any]) -> bool:
    """A launch that hands the kernel its own stdin, stdout or stderr cannot be forked here."""
    return any(kwargs.get(stream) is not None for stream in ("stdin", "stdout", "stderr"))


def kernel_id_of(process: Any) -> str | None:
    """The kernel id of a kernel's process (a ``psutil.Process``, for tools that watch kernels:
    the benchmark, the tests): from its command line (``-f kernel-<id>.json``), or, for a forked
    kernel, which keeps the fork server's command line, from the IPC sockets it listens on
    (``kernel-<id>-ipc-<n>``, voila.json's transport). May raise ``psutil.Error``."""
    command = " ".join(process.cmdline())
    found = KERNEL_FILE.search(command)
    if found is None and FORK_SERVER_MODULE in command:
        for socket in process.net_connections(kind="unix"):
            found = KERNEL_FILE.search(socket.laddr or "")
            if found:
                break
    return found.group(1) if found else None
