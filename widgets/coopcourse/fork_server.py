"""The process that starts a served course's page kernels by forking itself.

Every page a room opens starts a kernel. A kernel used to be a new Python that imported IPython's
kernel, ipywidgets, numpy and the rest before the page's first cell could run: the same 0.3 CPU-s
and tens of MB for every page, and matplotlib's 0.35 CPU-s again at a chart's first redraw, which
a learner's next change then waited for. This process imports those libraries once
(``PRELOADED``) and forks a kernel on request: the kernel begins with them imported and shares
their memory with the other kernels until it writes to it.

Only third-party libraries are preloaded. The child forgets the course's own modules (the server
imported ``coopcourse`` to run this file), so every kernel imports them as they are on disk: a
course author's edit reaches the next page, as before.

Protocol: one request per connection on a Unix socket, in a folder only this user can open
(``coopcourse.fork_provisioner`` makes it). The request is a JSON line
``{"argv": [...], "env": {...}, "cwd": "..."}`` naming the page kernel's command
(``python -m coopcourse.page_kernel ...``); the answer is ``{"pid": n}`` or ``{"error": "..."}``.

The rules of a safe fork, each followed here:

- no other thread exists when the server forks (numpy's BLAS is held to one thread by the
  provisioner's environment; ``own_threads`` checks);
- the child closes the server's sockets, restores the signals the server changed, leads its own
  session and process group (as Jupyter starts a kernel), takes the kernel's environment and
  folder, and runs what ``python -m coopcourse.page_kernel`` runs;
- what the preloaded libraries read when imported is given again for the kernel: matplotlib's
  backend (``$MPLBACKEND``), numpy's random state, ipykernel's parent pid (on its command line);
  ipywidgets registers its comm targets when imported under a running IPython, so ``PageKernel``
  registers them once IPython runs;
- children are reaped by the system (SIGCHLD ignored): an ended kernel leaves no zombie;
- the server ends with the Voila server that started it (``PR_SET_PDEATHSIG``), and each kernel
  with the server (ipykernel's parent poller, told the server's pid).
"""

from __future__ import annotations

import ctypes
import gc
import json
import os
import signal
import socket
import sys
from pathlib import Path
from typing import Any, NoReturn

# What every page's kernel imports, besides the course's own modules (listed from the kernels of
# Think.Coop 02, Start.Coop 02 and Manage.Coop 06 after a chart's redraw), and pandas, which a
# table imports when it needs it.
PRELOADED = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipywidgets",
    "anywidget",
    "babel.numbers",
    "yaml",
    "jsonschema",
    "numpy",
    "pandas",
    "matplotlib.figure",
    "matplotlib.backends.backend_agg",
    "matplotlib.ticker",
    "matplotlib.patches",
    "sqlite3",
    "difflib",
)
PAGE_KERNEL_MODULE = "coopcourse.page_kernel"
PR_SET_PDEATHSIG = 1
REQUEST_LIMIT = 1 << 20  # a kernel's environment is a few KB
REQUEST_TIMEOUT_S = 5.0


def preload() -> None:
    # As coopcourse.page_kernel.main: no debugger in a page's kernel (ipykernel looks at import).
    sys.modules["debugpy"] = None  # type: ignore[assignment]
    for name in PRELOADED:
        __import__(name)
    # Objects that exist now are never collected: keeping them out of the collector's scans also
    # keeps the kernels from writing to (and so copying) the memory they share.
    gc.collect()
    gc.freeze()


def own_threads() -> int:
    """Threads of this process as the system counts them (Python's count misses native ones)."""
    return len(os.listdir("/proc/self/task")) if os.path.isdir("/proc/self/task") else 1


def end_with_parent(parent_pid: int) -> None:
    if sys.platform == "linux":
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent_pid:  # the parent ended before prctl: end now
        sys.exit(0)


def check_request(request: Any) -> tuple[list[str], dict[str, str], str]:
    """The request's command, environment and folder, if it asks for a page kernel."""
    if not isinstance(request, dict):
        raise ValueError("not a request")
    argv, env, cwd = request.get("argv"), request.get("env"), request.get("cwd")
    if not (isinstance(argv, list) and all(isinstance(a, str) for a in argv)):
        raise ValueError("argv must be a list of strings")
    if argv[1:3] != ["-m", PAGE_KERNEL_MODULE]:
        raise ValueError(f"only {PAGE_KERNEL_MODULE} is forked here")
    if os.path.realpath(argv[0]) != os.path.realpath(sys.executable):
        raise ValueError("another Python")
    if not (isinstance(env, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in env.items())):
        raise ValueError("env must map strings to strings")
    if not (isinstance(cwd, str) and os.path.isdir(cwd)):
        raise ValueError("cwd must be a folder")
    return argv, env, cwd


def run_kernel(argv: list[str], env: dict[str, str], cwd: str, server_pid: int) -> NoReturn:
    """In the child: become the kernel ``argv`` describes and run it. It ends as a Python process
    ends, by ``SystemExit`` (or an exception) up through ``serve``, which leaves the server's
    clean-up to the server: ipykernel sends its last messages (the final status, the shutdown
    reply) from the interpreter's exit, which ``os._exit`` would skip."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.setsid()
    os.chdir(cwd)
    sys.path[0] = os.getcwd()  # as `python -m` puts the working folder first
    os.environ.clear()
    os.environ.update(env)
    # ipykernel's parent poller ends the kernel when its parent changes: its parent is this
    # server, which ends with Voila. (ipykernel reads $JPY_PARENT_PID when imported, which
    # here happened in the server: the command line tells it.)
    os.environ["JPY_PARENT_PID"] = str(server_pid)
    _as_if_started_fresh()
    sys.argv = [argv[2], *argv[3:], f"--IPKernelApp.parent_handle={server_pid}"]
    from coopcourse import page_kernel

    page_kernel.main()
    raise SystemExit(0)


def _as_if_started_fresh() -> None:
    """What a new Python started with this environment would have: the course's modules as on
    disk, matplotlib's backend from $MPLBACKEND (ipykernel sets it before any cell, and matplotlib
    reads it when imported, which here happened in the server), and numpy's own random state."""
    for name in [m for m in sys.modules if m == "coopcourse" or m.startswith("coopcourse.")]:
        del sys.modules[name]
    if not os.environ.get("MPLBACKEND"):  # as ipykernel's init_gui_pylab
        os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    import matplotlib

    matplotlib.rcParams["backend"] = os.environ["MPLBACKEND"]
    if "numpy.random" in sys.modules:
        sys.modules["numpy.random"].seed()


def serve(socket_path: str, parent_pid: int) -> None:
    end_with_parent(parent_pid)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    server_pid = os.getpid()
    try:
        preload()
        if own_threads() != 1:
            # A fork copies only the forking thread: refuse rather than start broken kernels (the
            # provisioner then starts them as new processes).
            print("coopcourse.fork_server: not forking, the server has threads", file=sys.stderr)
            return
        signal.signal(signal.SIGCHLD, signal.SIG_IGN)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        partial = f"{socket_path}.{server_pid}"
        listener.bind(partial)
        listener.listen(64)
        os.replace(partial, socket_path)  # the path exists only once it accepts connections
        while True:
            connection, _ = listener.accept()
            connection.settimeout(REQUEST_TIMEOUT_S)  # one silent client must not hold up the others
            with connection:
                answer = _answer(connection, listener, server_pid)
                try:
                    connection.sendall(json.dumps(answer).encode() + b"\n")
                except OSError:
                    pass  # the provisioner gave up waiting; it checks the child it never heard of
    finally:
        # Also when stopped while loading (Voila ended at once): the folder goes with the server.
        if os.getpid() == server_pid:  # not in a kernel ending (see run_kernel)
            for leftover in Path(socket_path).parent.glob(f"{Path(socket_path).name}*"):
                leftover.unlink(missing_ok=True)
            try:
                Path(socket_path).parent.rmdir()  # the provisioner's folder, if nothing else is in it
            except OSError:
                pass


def _answer(connection: socket.socket, listener: socket.socket, server_pid: int) -> dict[str, Any]:
    try:
        argv, env, cwd = check_request(json.loads(_read_line(connection)))
    except (ValueError, OSError) as problem:
        return {"error": str(problem)}
    pid = os.fork()
    if pid == 0:
        listener.close()
        connection.close()
        run_kernel(argv, env, cwd, server_pid)
    return {"pid": pid}


def _read_line(connection: socket.socket) -> bytes:
    data = b""
    while not data.endswith(b"\n"):
        chunk = connection.recv(65536)
        if not chunk:
            break
        data += chunk
        if len(data) > REQUEST_LIMIT:
            raise ValueError("request too long")
    return data


if __name__ == "__main__":
    serve(sys.argv[1], int(sys.argv[2]))
