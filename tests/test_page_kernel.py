"""The kernel Voila starts for a course page (coopcourse.page_kernel): the installed Python kernel
spec, started through the course's entry point, runs code and widgets, never loads debugpy and
keeps no history file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import zmq
from ipykernel.kernelbase import Kernel
from jupyter_client.kernelspec import NATIVE_KERNEL_NAME, KernelSpecManager
from jupyter_client.manager import KernelManager

from coopcourse.page_kernel import NO_HISTORY, PAGE_KERNEL, PageKernelSpecManager
from coopcourse.page_kernel_class import PageKernel
from tests.event_loop import run_async

REPO = Path(__file__).resolve().parent.parent


def test_voila_starts_course_pages_with_the_page_kernel() -> None:
    settings = json.loads((REPO / "voila.json").read_text(encoding="utf-8"))
    assert settings["VoilaConfiguration"]["kernel_spec_manager_class"] == "coopcourse.page_kernel.PageKernelSpecManager"


def test_the_python_spec_starts_the_page_kernel_with_the_same_arguments() -> None:
    installed = KernelSpecManager().get_kernel_spec(NATIVE_KERNEL_NAME)
    spec = PageKernelSpecManager().get_kernel_spec(NATIVE_KERNEL_NAME)
    assert installed.argv[1:3] == ["-m", "ipykernel_launcher"]
    assert spec.argv == [installed.argv[0], *PAGE_KERNEL, *installed.argv[3:], NO_HISTORY]
    assert spec.metadata["debugger"] is False
    assert spec.display_name == installed.display_name and spec.language == installed.language


def test_a_spec_that_is_not_ipykernel_is_left_as_installed(tmp_path: Path) -> None:
    folder = tmp_path / "kernels" / "other"
    folder.mkdir(parents=True)
    argv = ["other-kernel", "--connection", "{connection_file}"]
    (folder / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "Other", "language": "x"}))
    manager = PageKernelSpecManager(kernel_dirs=[str(tmp_path / "kernels")])
    assert manager.get_kernel_spec("other").argv == argv


def test_the_page_kernel_runs_widgets_without_debugpy_or_history() -> None:
    kernel = KernelManager(kernel_name=NATIVE_KERNEL_NAME, kernel_spec_manager=PageKernelSpecManager())
    kernel.start_kernel()
    client = kernel.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=60)
        outputs: list[str] = []
        code = (
            "import sys, ipywidgets\n"
            "debugger = sys.modules.get('debugpy') is not None\n"
            "print(ipywidgets.IntText(value=2).value + 1, debugger, get_ipython().history_manager.enabled,"
            " type(get_ipython().kernel).__name__)"
        )
        reply = client.execute_interactive(
            code,
            timeout=60,
            output_hook=lambda msg: (
                outputs.append(msg["content"].get("text", "")) if msg["msg_type"] == "stream" else None
            ),
        )
        assert reply["content"]["status"] == "ok"
        assert "".join(outputs).split() == ["3", "False", "False", "PageKernel"]
        assert kernel.provisioner is not None
        assert "coopcourse.page_kernel" in " ".join(kernel.format_kernel_cmd())
    finally:
        client.stop_channels()
        kernel.shutdown_kernel(now=True)


def _kernel_whose_sockets_closed(monkeypatch: pytest.MonkeyPatch, shutting_down: bool) -> PageKernel:
    async def closed_sockets(self: Kernel, msg: Any) -> None:
        raise zmq.ZMQError(zmq.ENOTSOCK)

    monkeypatch.setattr(Kernel, "process_control", closed_sockets)
    kernel = PageKernel.__new__(PageKernel)  # no sockets, no shell: only the method is under test
    if shutting_down:
        kernel._shutdown_message = {"msg_type": "shutdown_reply"}
    return kernel


def test_sockets_closing_during_a_shutdown_print_no_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    kernel = _kernel_whose_sockets_closed(monkeypatch, shutting_down=True)
    assert run_async(kernel.process_control([b"message"])) is None


def test_sockets_failing_at_any_other_time_still_raise(monkeypatch: pytest.MonkeyPatch) -> None:
    kernel = _kernel_whose_sockets_closed(monkeypatch, shutting_down=False)
    with pytest.raises(zmq.ZMQError):
        run_async(kernel.process_control([b"message"]))
