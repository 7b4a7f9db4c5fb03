"""The process that starts a served course's page kernels by forking itself.

Every page a room opens starts a kernel. A kernel used to be a new Python that imported IPython's
kernel, ipywidgets, numpy and the rest before the page's first cell could run: the same 0.3 CPU-s
and tens of MB for every page, and matplotlib's 0.35 CPU-s again at a chart's first redraw, which
a learner's next change then waited for. This process imports those libraries once
(``PRELOADED``) and forks a kernel on request: the kernel begins with them imported and shares
their memory with the other kernels until it writes to it.

The course's own modules a page runs (``COURSE_PACKAGES``, the page kernel, the texts) are
preloaded too, with what every page reads from the package's files (``warm_course``), as they are
on disk: before each fork the server compares the package's files (size and modification time)
with what it loaded, and loads the modules again if one changed, so a course author's edit
reaches the next page. If they cannot be loaded (an edit
that does not import), the kernel forgets them and imports them itself, and the page shows the
error as it would without this server.

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
import importlib
import json
import os
import pkgutil
import signal
import socket
import sys
import traceback
from pathlib import Path
from typing import Any, NoReturn

from coopcourse.package_files import PACKAGE_DIR, Snapshot, package_files

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
    "psutil",  # ipykernel imports it to shut a kernel down: 10 CPU-ms a page otherwise
)
PAGE_KERNEL_MODULE = "coopcourse.page_kernel"
# The course's modules a page's kernel runs: each package with every module in it.
COURSE_PACKAGES = ("coopcourse.calculations", "coopcourse.components", "coopcourse.content", "coopcourse.exercises")
COURSE_MODULES = (PAGE_KERNEL_MODULE, "coopcourse.page_kernel_class", "coopcourse.saving", "coopcourse.text")
COURSE = "coopcourse"
PR_SET_PDEATHSIG = 1
REQUEST_LIMIT = 1 << 20  # a kernel's environment is a few KB
REQUEST_TIMEOUT_S = 5.0


def preload() -> None:
    # As coopcourse.page_kernel.main: no debugger in a page's kernel (ipykernel looks at import).
    sys.modules["debugpy"] = None  # type: ignore[assignment]
    for name in PRELOADED:
        __import__(name)


def forget_course() -> None:
    for name in [m for m in sys.modules if m == COURSE or m.startswith(COURSE + ".")]:
        del sys.modules[name]


def warm_course() -> None:
    """Read once what every page reads from the package's files and keeps (about 40 CPU-ms a page
    otherwise): the texts and their catalogs, the content and country profiles in each language,
    Babel's data for each language, the chart cache's version of the course (a hash of its
    files), what matplotlib loads when it first draws, and the classes of shared layouts and styles."""
    text = importlib.import_module("coopcourse.text")
    content = importlib.import_module("coopcourse.content")
    country = importlib.import_module("coopcourse.content.country")
    formatting = importlib.import_module("coopcourse.formatting")
    chart = importlib.import_module("coopcourse.components.chart")
    shared = importlib.import_module("coopcourse.components.shared")
    text.catalog()
    shared.make_shared_classes()
    chart.course_version()
    chart.warm_drawing()
    for language in sorted({text.DEFAULT_LANGUAGE, *text.translated_languages()}):
        if language != text.DEFAULT_LANGUAGE:
            for domain in ("strings", "content"):
                text.translations(language, domain)
        for name in content.content_files():
            content.load(name, language)
        for profile_id in country.profile_ids():
            currency = country.profile(profile_id, language).currency_code
            formatting.money(1234.5, currency, locale=language)
        formatting.entry(1234.5, locale=language)
        formatting.percent(0.5, locale=language)


def load_course(package_dir: str) -> Snapshot | None:
    """Import the course's modules afresh and read its texts; what the files were when read, or
    None if they cannot be loaded (the error goes to the server's log, and to the page that
    imports them itself)."""
    gc.unfreeze()  # modules loaded before are let go
    forget_course()
    before: Snapshot | None = package_files(package_dir)  # taken first: a file edited while loading shows as changed
    try:
        for name in COURSE_MODULES:
            importlib.import_module(name)
        for package_name in COURSE_PACKAGES:
            package = importlib.import_module(package_name)
            for module in pkgutil.walk_packages(package.__path__, package_name + "."):
                importlib.import_module(module.name)
        warm_course()
    except Exception:
        print("coopcourse.fork_server: the course's modules did not load; each kernel imports them", file=sys.stderr)
        traceback.print_exc(file=sys.stderr)
        forget_course()
        before = None
    # Objects that exist now are never collected: keeping them out of the collector's scans also
    # keeps the kernels from writing to (and so copying) the memory they share.
    gc.collect()
    gc.freeze()
    return before


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


def run_kernel(argv: list[str], env: dict[str, str], cwd: str, server_pid: int, keep_course: bool) -> NoReturn:
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
    _as_if_started_fresh(keep_course)
    sys.argv = [argv[2], *argv[3:], f"--IPKernelApp.parent_handle={server_pid}"]
    from coopcourse import page_kernel

    page_kernel.main()
    raise SystemExit(0)


def _as_if_started_fresh(keep_course: bool) -> None:
    """What a new Python started with this environment would have: the course's modules as on
    disk (the server's, when they are), matplotlib's backend from $MPLBACKEND (ipykernel sets it
    before any cell, and matplotlib reads it when imported, which here happened in the server),
    and numpy's own random state."""
    if not keep_course:
        forget_course()
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
    package_dir = PACKAGE_DIR
    try:
        preload()
        loaded = load_course(package_dir)
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
                if loaded is None or package_files(package_dir) != loaded:
                    loaded = load_course(package_dir)
                answer = _answer(connection, listener, server_pid, loaded is not None)
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


def _answer(connection: socket.socket, listener: socket.socket, server_pid: int, course_loaded: bool) -> dict[str, Any]:
    try:
        argv, env, cwd = check_request(json.loads(_read_line(connection)))
    except (ValueError, OSError) as problem:
        return {"error": str(problem)}
    if own_threads() != 1:
        return {"error": "the fork server has threads"}
    # A kernel told to import from elsewhere than this server did imports the course itself.
    keep_course = course_loaded and env.get("PYTHONPATH") == os.environ.get("PYTHONPATH")
    pid = os.fork()
    if pid == 0:
        listener.close()
        connection.close()
        run_kernel(argv, env, cwd, server_pid, keep_course)
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
