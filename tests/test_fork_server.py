"""Page kernels forked by the fork server (coopcourse.fork_server, coopcourse.fork_provisioner):
started as Voila starts a page's kernel, a forked kernel has its libraries loaded, takes its own
environment and folder, is interrupted and stopped like any kernel, and ends with the server;
without a fork server, kernels start as new processes."""

from __future__ import annotations

import json
import os
import queue
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest
from jupyter_client.blocking.client import BlockingKernelClient
from jupyter_client.kernelspec import NATIVE_KERNEL_NAME
from jupyter_client.provisioning import KernelProvisionerFactory

from coopcourse import fork_provisioner
from coopcourse.fork_provisioner import (
    PROVISIONER_NAME,
    ForkedKernelProcess,
    ForkingProvisioner,
    ForkServer,
    kernel_id_of,
)
from coopcourse.fork_server import check_request
from coopcourse.page_kernel import PageKernelSpecManager
from tests.forking import STARTS, kernels_started, page_kernel, ready_fork_server, until

pytestmark = pytest.mark.skipif(not fork_provisioner.forking_available(), reason="forking needs Linux")

REPO = Path(__file__).resolve().parent.parent


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.fixture(scope="module")
def fork_server() -> Iterator[ForkServer]:
    with ready_fork_server() as server:
        yield server


@pytest.fixture
def forking_with(monkeypatch: pytest.MonkeyPatch) -> Callable[[ForkServer], None]:
    return lambda server: monkeypatch.setattr(fork_provisioner, "FORK_SERVER", server)


def _printed(client: BlockingKernelClient, code: str) -> str:
    lines: list[str] = []

    def keep(message: dict) -> None:
        if message["msg_type"] == "stream":
            lines.append(message["content"]["text"])

    reply = client.execute_interactive(code, timeout=60, output_hook=keep)
    assert reply["content"]["status"] == "ok", reply["content"]
    return "".join(lines)


def test_the_page_kernel_spec_names_the_forking_provisioner() -> None:
    spec = PageKernelSpecManager().get_kernel_spec(NATIVE_KERNEL_NAME)
    assert spec.metadata["kernel_provisioner"] == {"provisioner_name": PROVISIONER_NAME}
    factory = KernelProvisionerFactory.instance()
    assert factory.is_provisioner_available(spec)  # registered in pyproject.toml
    assert isinstance(factory.create_provisioner_instance("k", spec, parent=None), ForkingProvisioner)


@pytest.mark.parametrize(
    ("change", "refusal"),
    [
        (lambda r: r.update(argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "k.json"]), "only"),
        (lambda r: r.update(argv=["/bin/sh", "-m", "coopcourse.page_kernel"]), "another Python"),
        (lambda r: r.update(argv="python -m coopcourse.page_kernel"), "list of strings"),
        (lambda r: r.update(env={"A": 1}), "env"),
        (lambda r: r.update(cwd="/no/such/folder"), "cwd"),
    ],
)
def test_the_fork_server_forks_nothing_but_a_page_kernel(change: Callable[[dict], None], refusal: str) -> None:
    request: dict = {"argv": [sys.executable, "-m", "coopcourse.page_kernel", "-f", "k.json"], "env": {}, "cwd": "/"}
    check_request(request)  # the page kernel's request is accepted
    change(request)
    with pytest.raises(ValueError, match=refusal):
        check_request(request)


def test_the_fork_server_has_a_single_thread_when_it_forks(fork_server: ForkServer) -> None:
    assert fork_server.process is not None
    assert len(os.listdir(f"/proc/{fork_server.process.pid}/task")) == 1


def test_a_forked_kernel_has_its_libraries_loaded_and_its_own_environment_and_folder(
    fork_server: ForkServer, forking_with: Callable[[ForkServer], None], tmp_path: Path
) -> None:
    forking_with(fork_server)
    env = {**os.environ, "COOP_TEST_MARK": "page 7"}
    env.pop("MPLBACKEND", None)
    with page_kernel(env=env, cwd=str(tmp_path)) as (kernel, client):
        assert isinstance(kernel.provisioner, ForkingProvisioner)
        assert isinstance(kernel.provisioner.process, ForkedKernelProcess)
        assert fork_server.process is not None
        code = textwrap.dedent(
            """
            import json, os, sys, random
            loaded = 'matplotlib.figure' in sys.modules and 'ipywidgets' in sys.modules
            shared = sys.modules.get('coopcourse.components.shared')
            shared_kinds = sorted(kind.__name__ for kind in shared._classes) if shared else []
            import matplotlib, ipywidgets, coopcourse.page_kernel_class
            print(json.dumps({
                "parent": os.getppid(), "folder": os.getcwd(), "path": sys.path[0],
                "mark": os.environ.get("COOP_TEST_MARK"),
                "loaded": loaded, "backend": matplotlib.rcParams["backend"],
                "course_from": coopcourse.page_kernel_class.__file__,
                "server_module": "coopcourse.fork_server" in sys.modules,
                "kernel": type(get_ipython().kernel).__name__, "widget": ipywidgets.IntText(value=2).value + 1,
                "random": random.random(), "shared_kinds": shared_kinds,
            }))
            """
        )
        seen = json.loads(_printed(client, code))
        with page_kernel() as (_, other):
            other_random = json.loads(_printed(other, code))["random"]
    assert seen["parent"] == fork_server.process.pid
    assert Path(seen["folder"]) == Path(seen["path"]) == tmp_path  # as `python -m` in that folder
    assert seen["mark"] == "page 7"
    assert seen["loaded"] is True
    assert seen["backend"] == "module://matplotlib_inline.backend_inline"  # as ipykernel sets it
    assert Path(seen["course_from"]) == REPO / "widgets" / "coopcourse" / "page_kernel_class.py"
    assert seen["server_module"] is False
    assert seen["kernel"] == "PageKernel" and seen["widget"] == 3
    assert seen["random"] != other_random  # each kernel has its own random numbers
    # the classes of shared layouts and styles are made before forking, not by each page
    assert {"Layout", "HTMLStyle", "ButtonStyle", "TextStyle", "DescriptionStyle"} <= set(seen["shared_kinds"])


def test_a_forked_kernel_has_the_course_loaded_as_it_is_on_disk_after_an_edit(
    forking_with: Callable[[ForkServer], None], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The server loads the course's modules once and forks them into each kernel; an author's edit
    # reaches the next page, and an edit that does not import shows on the page, not in the server.
    package = tmp_path / "widgets" / "coopcourse"
    shutil.copytree(REPO / "widgets" / "coopcourse", package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setenv("PYTHONPATH", str(package.parent))
    look = textwrap.dedent(
        """
        import json, sys
        preloaded = "coopcourse.exercises.start_coop" in sys.modules
        # and what every page reads from the package's files, already read
        preloaded = preloaded and sys.modules["coopcourse.content"]._load.cache_info().currsize > 0
        import coopcourse.errors
        try:
            import coopcourse.components.glossary
            glossary = "imports"
        except SyntaxError:
            glossary = "SyntaxError"
        print(json.dumps([preloaded, coopcourse.errors.__file__, getattr(coopcourse.errors, "EDITED", None), glossary]))
        """
    )

    def kernel_sees() -> list:
        with page_kernel(env=dict(os.environ)) as (kernel, client):
            assert isinstance(kernel.provisioner.process, ForkedKernelProcess)
            return json.loads(_printed(client, look))

    errors, glossary = package / "errors.py", package / "components" / "glossary.py"
    glossary_source = glossary.read_text()
    with ready_fork_server() as server:
        forking_with(server)
        assert kernel_sees() == [True, str(errors), None, "imports"]
        errors.write_text(errors.read_text() + "\nEDITED = 'yes'\n")
        assert kernel_sees() == [True, str(errors), "yes", "imports"]
        glossary.write_text(glossary_source + "\nthis is not Python(\n")
        assert kernel_sees() == [False, str(errors), "yes", "SyntaxError"]
        glossary.write_text(glossary_source)
        assert kernel_sees() == [True, str(errors), "yes", "imports"]
        assert server.ready()


def test_the_benchmark_and_the_tests_find_a_forked_kernels_process(
    fork_server: ForkServer, forking_with: Callable[[ForkServer], None]
) -> None:
    forking_with(fork_server)
    folder = tempfile.TemporaryDirectory(dir="/tmp")  # a socket's path holds at most 107 bytes
    connection_file = Path(folder.name) / "kernel-0b7c6f55-8d2e-4c1e-9a57-3f0f6a1d2c44.json"
    with folder, page_kernel({"transport": "ipc", "connection_file": str(connection_file)}) as (kernel, _):
        process = psutil.Process(kernel.provisioner.pid)
        assert "kernel-" not in " ".join(process.cmdline())  # it kept the fork server's
        assert kernel_id_of(process) == "0b7c6f55-8d2e-4c1e-9a57-3f0f6a1d2c44"  # voila.json's ipc transport


def test_a_damaged_request_or_a_silent_client_does_not_stop_the_fork_server(
    fork_server: ForkServer, forking_with: Callable[[ForkServer], None]
) -> None:
    assert fork_server.socket_path is not None
    with socket.socket(socket.AF_UNIX) as damaged:
        damaged.connect(str(fork_server.socket_path))
        damaged.sendall(b"{not json\n")
        assert "error" in json.loads(damaged.makefile().readline())
    with socket.socket(socket.AF_UNIX) as silent:
        silent.connect(str(fork_server.socket_path))  # says nothing: the server stops waiting for it
        forking_with(fork_server)
        with page_kernel() as (kernel, client):
            assert isinstance(kernel.provisioner.process, ForkedKernelProcess)
            assert _printed(client, "print(6 * 7)") == "42\n"


def test_a_forked_kernel_is_interrupted_and_stopped_like_any_kernel(
    fork_server: ForkServer, forking_with: Callable[[ForkServer], None]
) -> None:
    forking_with(fork_server)
    with page_kernel() as (kernel, client):
        process = kernel.provisioner.process
        assert isinstance(process, ForkedKernelProcess)
        message_id = client.execute("import time\ntime.sleep(60)")
        time.sleep(1)
        kernel.interrupt_kernel()
        reply = client.get_shell_msg(timeout=20)
        assert reply["parent_header"]["msg_id"] == message_id
        assert reply["content"]["ename"] == "KeyboardInterrupt"
        assert _printed(client, "print(6 * 7)") == "42\n"  # still running after the interrupt
        pid = process.pid
    until(lambda: _gone(pid), 20, "the stopped kernel's process is gone (no zombie left)")
    assert process.poll() is not None and not kernel.is_alive()


@pytest.mark.parametrize("how", STARTS)
def test_a_kernel_asked_to_stop_says_its_last_words(how: str) -> None:
    """The page hears the kernel's shutdown reply, whichever way the kernel started (ipykernel's
    sending thread sends what it holds as Python ends)."""
    with kernels_started(how), page_kernel() as (kernel, client):
        assert isinstance(kernel.provisioner.process, ForkedKernelProcess) == (how == "forked")
        assert _printed(client, "print(6 * 7)") == "42\n"
        client.shutdown()
        heard: list[dict] = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not any(m["msg_type"] == "shutdown_reply" for m in heard):
            try:
                heard.append(client.get_iopub_msg(timeout=0.5))
            except queue.Empty:
                continue
        until(lambda: not kernel.is_alive(), 30, "the kernel ended")
    assert any(m["msg_type"] == "shutdown_reply" for m in heard), [m["msg_type"] for m in heard]


def test_kernels_start_as_new_processes_when_the_fork_server_has_ended(
    forking_with: Callable[[ForkServer], None],
) -> None:
    with ready_fork_server() as server:
        assert server.process is not None
        server.process.kill()
        server.process.wait(10)
        forking_with(server)
        with page_kernel() as (kernel, client):
            assert isinstance(kernel.provisioner.process, subprocess.Popen)
            assert _printed(client, "print(6 * 7)") == "42\n"
        assert server.given_up


def test_the_fork_server_and_its_kernels_end_with_the_voila_server(tmp_path: Path) -> None:
    # A stand-in for Voila: it starts the fork server, has it fork a kernel, reports both pids and
    # waits to be killed (no clean-up of its own can run).
    script = textwrap.dedent(
        """
        import json, sys, time
        from jupyter_client.kernelspec import NATIVE_KERNEL_NAME
        from jupyter_client.manager import KernelManager
        from coopcourse import fork_provisioner
        from coopcourse.page_kernel import PageKernelSpecManager

        server = fork_provisioner.FORK_SERVER
        deadline = time.monotonic() + 120
        while not server.ready() and time.monotonic() < deadline:
            time.sleep(0.05)
        kernel = KernelManager(kernel_name=NATIVE_KERNEL_NAME, kernel_spec_manager=PageKernelSpecManager())
        kernel.start_kernel()
        client = kernel.client()
        client.start_channels()
        client.wait_for_ready(timeout=60)
        forked = isinstance(kernel.provisioner.process, fork_provisioner.ForkedKernelProcess)
        pids = {"server": server.process.pid, "kernel": kernel.provisioner.pid, "forked": forked}
        print(json.dumps(pids), flush=True)
        time.sleep(600)
        """
    )
    voila = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=tmp_path)
    try:
        assert voila.stdout is not None
        pids = json.loads(voila.stdout.readline())
        assert pids["forked"] is True
    finally:
        voila.kill()
        voila.wait(10)
    until(lambda: _gone(pids["server"]), 20, "the fork server ended with its Voila")
    until(lambda: _gone(pids["kernel"]), 20, "the forked kernel ended with the fork server")
