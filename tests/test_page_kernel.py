"""The kernel Voila starts for a course page (coopcourse.page_kernel): the installed Python kernel
spec, started through the course's entry point, runs code and widgets, never loads debugpy,
keeps no history file, and keeps its widgets quiet while Voila runs the page's cells."""

from __future__ import annotations

import gc
import json
import queue
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
import zmq
from ipykernel.iostream import OutStream
from ipykernel.ipkernel import IPythonKernel
from ipykernel.kernelbase import Kernel
from ipywidgets._version import __control_protocol_version__
from jupyter_client.blocking.client import BlockingKernelClient
from jupyter_client.kernelspec import NATIVE_KERNEL_NAME, KernelSpecManager

from coopcourse.fork_provisioner import ForkedKernelProcess
from coopcourse.page_kernel import NO_HISTORY, PAGE_KERNEL, PageKernelSpecManager
from coopcourse.page_kernel_class import PageKernel
from tests.event_loop import run_async
from tests.forking import STARTS, kernels_started, page_kernel

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
    with page_kernel() as (kernel, client):
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


class _SentOutput(OutStream):
    """stdout or stderr as in a kernel, recording each flush it hands to the sending thread."""

    def __init__(self, name: str, handed: list[str]) -> None:  # no sockets, no thread
        self.name, self.handed = name, handed

    def flush(self) -> None:
        self.handed.append(f"flush {self.name}")


def test_after_its_shutdown_reply_a_kernel_hands_nothing_to_the_thread_that_sends_output(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    handed: list[str] = []

    async def reply_to_shutdown(self: Kernel, stream: Any, ident: Any, parent: Any) -> None:
        handed.append("shutdown reply")
        self._shutdown_message = {"msg_type": "shutdown_reply"}  # as ipykernel's, then it stops its loops

    monkeypatch.setattr(Kernel, "shutdown_request", reply_to_shutdown)
    monkeypatch.setattr(Kernel, "_publish_status", lambda self, status, channel, parent=None: handed.append(status))
    monkeypatch.setattr("sys.stdout", _SentOutput("stdout", handed))
    monkeypatch.setattr("sys.stderr", _SentOutput("stderr", handed))
    kernel = PageKernel.__new__(PageKernel)
    kernel._shutdown_message = None
    kernel._publish_status("busy", "control")
    run_async(kernel.shutdown_request(None, [], {}))
    # What ipykernel's control thread does after the request, while the main thread stops that
    # thread: each of these used to wait 10 s, or for ever, for a thread that had ended.
    sys.stdout.flush()
    sys.stderr.flush()
    kernel._publish_status("idle", "control")
    assert handed == ["busy", "flush stdout", "flush stderr", "shutdown reply"]


# --- widgets quiet while the cells run ------------------------------------------------------------

PAGE_CELL = """
import asyncio
import ipywidgets as w
from IPython.display import display

number, label, output = w.IntText(), w.Label("start"), w.Output()
later = []

def changed(change):
    label.value = f"got {change['new']}"
    later.append(w.HTML("built in a callback"))

number.observe(changed, "value")
label.value = "changed while the cells run"

async def after_the_cells():
    await asyncio.sleep(1)
    label.description = "a task that runs after the cells"

asyncio.get_event_loop().create_task(after_the_cells())
with output:
    print("inside the output widget")
display(w.VBox([number, label, output]))
print(number.model_id, label.model_id, output.model_id)
"""


def _iopub_until(
    client: BlockingKernelClient, done: Callable[[list[dict[str, Any]]], bool], timeout: float = 60.0
) -> list[dict[str, Any]]:
    """The kernel's broadcast messages until ``done`` says the awaited one has come (or the
    timeout, for the assertions to report what came instead), then 0.5 s more for stragglers."""
    messages: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not done(messages):
        try:
            messages.append(client.get_iopub_msg(timeout=0.2))
        except queue.Empty:
            continue
    settle = time.monotonic() + 0.5
    while time.monotonic() < settle:
        try:
            messages.append(client.get_iopub_msg(timeout=0.1))
        except queue.Empty:
            continue
    return messages


Messages = list[dict[str, Any]]


def _changed(comm_id: str, name: str) -> Callable[[Messages], bool]:
    return lambda messages: any(
        m["msg_type"] == "comm_msg"
        and m["content"]["comm_id"] == comm_id
        and name in m["content"]["data"].get("state", {})
        for m in messages
    )


def _replied(method: str) -> Callable[[Messages], bool]:
    return lambda messages: any(
        m["msg_type"] == "comm_msg" and m["content"]["data"].get("method") == method for m in messages
    )


def _opened(model_name: str) -> Callable[[Messages], bool]:
    return lambda messages: any(
        m["msg_type"] == "comm_open" and m["content"]["data"]["state"].get("_model_name") == model_name
        for m in messages
    )


def _comm_messages(messages: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [m["content"] for m in messages if m["msg_type"] == kind]


def _send_as_the_browser(
    client: BlockingKernelClient, msg_type: str, content: dict[str, Any], metadata: dict[str, Any] | None = None
) -> str:
    message = client.session.msg(msg_type, content, metadata=metadata)
    client.shell_channel.send(message)
    return str(message["header"]["msg_id"])


@pytest.fixture(scope="module", params=STARTS)
def page_transcript(request: pytest.FixtureRequest) -> Iterator[dict[str, Any]]:
    """What a page's kernel says while Voila runs a cell, then to a browser that connects after,
    as Voila's page does: it lists the widgets, asks for their states, and types a number. Once
    with a kernel started as a new process, once with one forked by the fork server."""
    with kernels_started(request.param), page_kernel() as (kernel, client):
        assert isinstance(kernel.provisioner.process, ForkedKernelProcess) == (request.param == "forked")
        printed: list[str] = []
        during: list[dict[str, Any]] = []

        def keep(msg: dict[str, Any]) -> None:
            during.append(msg)
            if msg["msg_type"] == "stream" and msg["content"]["name"] == "stdout":
                printed.append(msg["content"]["text"])

        reply = client.execute_interactive(PAGE_CELL, timeout=60, output_hook=keep)
        assert reply["content"]["status"] == "ok"
        number, label, output = "".join(printed).split()[-3:]
        after_cells = _iopub_until(client, _changed(label, "description"))  # the task's, no browser yet

        info_id = _send_as_the_browser(client, "comm_info_request", {"target_name": "jupyter.widget"})
        info = client.get_shell_msg(timeout=30)
        assert info["parent_header"]["msg_id"] == info_id
        control = uuid.uuid4().hex
        opening = {"comm_id": control, "target_name": "jupyter.widget.control", "data": {}}
        _send_as_the_browser(client, "comm_open", opening, {"version": __control_protocol_version__})
        _send_as_the_browser(client, "comm_msg", {"comm_id": control, "data": {"method": "request_states"}})
        states = _iopub_until(client, _replied("update_states"))
        update = {"method": "update", "state": {"value": 5}, "buffer_paths": []}
        _send_as_the_browser(client, "comm_msg", {"comm_id": number, "data": update})
        typed = _iopub_until(client, _opened("HTMLModel"))
        yield {
            "ids": {"number": number, "label": label, "output": output},
            "during": during,
            "after_cells": after_cells,
            "comms": info["content"]["comms"],
            "states": states,
            "typed": typed,
        }


def test_voila_renders_pages_before_the_browser_connects() -> None:
    """The quiet widgets rely on it: with progressive rendering the browser listens while cells run."""
    settings = json.loads((REPO / "voila.json").read_text(encoding="utf-8"))
    assert not settings["VoilaConfiguration"].get("progressive_rendering", False)


def test_widgets_built_while_the_cells_run_send_nothing_but_the_output_widget(page_transcript: dict) -> None:
    opened = _comm_messages(page_transcript["during"], "comm_open")
    assert [m["data"]["state"]["_model_name"] for m in opened] == ["OutputModel"]
    assert opened[0]["comm_id"] == page_transcript["ids"]["output"]
    updates = _comm_messages(page_transcript["during"], "comm_msg")
    assert updates and {m["comm_id"] for m in updates} == {page_transcript["ids"]["output"]}
    shown = [m for m in page_transcript["during"] if m["msg_type"] == "display_data"]
    assert shown and "application/vnd.jupyter.widget-view+json" in shown[-1]["content"]["data"]


def test_the_browser_finds_every_widget_and_its_latest_state(page_transcript: dict) -> None:
    ids = page_transcript["ids"]
    assert set(ids.values()) <= set(page_transcript["comms"])
    replies = [m["data"] for m in _comm_messages(page_transcript["states"], "comm_msg")]
    states = next(reply["states"] for reply in replies if reply.get("method") == "update_states")
    assert states[ids["label"]]["state"]["value"] == "changed while the cells run"
    assert states[ids["label"]]["state"]["description"] == "a task that runs after the cells"
    assert states[ids["number"]]["model_name"] == "IntTextModel"


def test_a_task_that_runs_after_the_cells_is_heard(page_transcript: dict) -> None:
    label = page_transcript["ids"]["label"]
    changes = [m for m in _comm_messages(page_transcript["after_cells"], "comm_msg") if m["comm_id"] == label]
    assert [m["data"]["state"] for m in changes] == [{"description": "a task that runs after the cells"}]


def test_what_the_browser_types_is_answered_as_before(page_transcript: dict) -> None:
    ids = page_transcript["ids"]
    said = {m["comm_id"]: m["data"]["state"] for m in _comm_messages(page_transcript["typed"], "comm_msg")}
    assert said[ids["number"]] == {"value": 5}  # ipywidgets' echo of the browser's own change
    assert said[ids["label"]] == {"value": "got 5"}
    opened = _comm_messages(page_transcript["typed"], "comm_open")
    built = {m["data"]["state"]["_model_name"]: m["data"]["state"] for m in opened}
    assert built["HTMLModel"]["value"] == "built in a callback"
    assert set(built) == {"HTMLModel", "LayoutModel", "HTMLStyleModel"}


# --- every widget's state computed once --------------------------------------------------------


class _ControlComm:
    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    def send(self, data: dict[str, Any], buffers: Any = None) -> None:
        self.sent.append(data)


def _states_computed(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str | None, str]]:
    """(model id, model name) of each widget whose state ipywidgets computes from now on."""
    import ipywidgets

    computed: list[tuple[str | None, str]] = []
    get_state = ipywidgets.Widget.get_state

    def counted(self: ipywidgets.Widget, *args: Any, **kwargs: Any) -> Any:
        computed.append((self._model_id, self._model_name))  # no id before its comm opens
        return get_state(self, *args, **kwargs)

    monkeypatch.setattr(ipywidgets.Widget, "get_state", counted)
    return computed


def test_the_page_asking_for_every_state_computes_each_state_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import ipywidgets
    from ipywidgets.widgets import widget as widget_module

    from coopcourse.page_kernel_class import _states_computed_once

    monkeypatch.setattr(ipywidgets.Widget, "_handle_control_comm_msg", ipywidgets.Widget._handle_control_comm_msg)
    _states_computed_once()
    _states_computed_once()  # twice changes nothing
    built = [ipywidgets.IntText(7), ipywidgets.Label("a label"), ipywidgets.Button(description="go")]
    # Only these widgets: earlier tests of a full run leave theirs, some with their comm gone.
    monkeypatch.setattr(widget_module, "_instances", {widget.model_id: widget for widget in built})
    asked = _states_computed(monkeypatch)
    control = _ControlComm()
    monkeypatch.setattr(ipywidgets.Widget, "_control_comm", control)
    ipywidgets.Widget._handle_control_comm_msg({"content": {"data": {"method": "request_states"}}})
    for widget in built:
        assert [model_id for model_id, _ in asked].count(widget.model_id) == 1
    [reply] = control.sent
    assert reply["method"] == "update_states"
    assert reply["states"][built[0].model_id]["state"]["value"] == 7
    assert reply["states"][built[1].model_id]["model_name"] == "LabelModel"
    # ipywidgets' own manager state is whole again afterwards (embedding uses it)
    assert built[2].model_id in ipywidgets.Widget.get_manager_state(widgets=built)["state"]


class _HeldBackComm:
    """A widget's comm that keeps what it would send."""

    opened: ClassVar[list[dict[str, Any]]] = []

    def __init__(self, **opening: Any) -> None:
        self.comm_id = opening.get("comm_id") or uuid.uuid4().hex
        self.opened.append(opening)

    def on_msg(self, callback: Any) -> None:
        pass

    def send(self, *args: Any, **kwargs: Any) -> None:
        pass

    def close(self, *args: Any, **kwargs: Any) -> None:
        pass


def test_a_widget_built_while_the_cells_run_computes_no_state_for_its_held_back_opening(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Its ``comm_open`` is held back (PageComm), so its whole state was computed for nothing; the
    widgets its state refers to by default (layout, style) are still built with it, so that the
    page's request for every state finds them all."""
    import comm
    import ipywidgets
    from ipywidgets.widgets import widget as widget_module

    from coopcourse.page_kernel_class import _held_back_states_not_computed

    monkeypatch.setattr(ipywidgets.Widget, "open", vars(ipywidgets.Widget)["open"])
    _held_back_states_not_computed()
    _held_back_states_not_computed()  # twice changes nothing
    monkeypatch.setattr(comm, "create_comm", _HeldBackComm)
    monkeypatch.setattr(_HeldBackComm, "opened", [])
    monkeypatch.setattr(widget_module, "_instances", {})
    running = PageKernel.__new__(PageKernel)
    running.running_cells = True
    monkeypatch.setattr(PageKernel, "initialized", classmethod(lambda cls: True))
    monkeypatch.setattr(PageKernel, "instance", classmethod(lambda cls: running))
    computed = _states_computed(monkeypatch)
    field = ipywidgets.Text("typed", description="Name")
    box = ipywidgets.VBox([field])
    output = ipywidgets.Output()
    assert [name for _, name in computed] == ["OutputModel"]  # the output widget opens as ipywidgets does
    assert {"layout", "style"} <= set(field._trait_values) and "layout" in box._trait_values
    built = set(widget_module._instances)
    assert {field.layout.model_id, field.style.model_id, box.layout.model_id, output.model_id} <= built
    assert len(built) == 7  # the three, two layouts, a style and the output's layout
    openings = {opening["data"]["state"]["_model_name"]: opening for opening in _HeldBackComm.opened}
    assert openings["TextModel"]["data"]["state"] == {"_model_name": "TextModel"}
    assert "outputs" in openings["OutputModel"]["data"]["state"]  # opened as ipywidgets does
    assert field.get_state()["value"] == "typed" and field.get_state()["description"] == "Name"
    assert set(widget_module._instances) == built  # reading every state built nothing more

    running.running_cells = False  # after the cells: a widget opens as ipywidgets does
    computed.clear()
    ipywidgets.Label("later")
    assert [name for _, name in computed].count("LabelModel") == 1


# --- what a change leaves behind ----------------------------------------------------------------


def test_what_a_change_leaves_behind_is_freed_at_once() -> None:
    """A chart redrawn for a change leaves its figure as cyclic garbage; the kernel collects it
    after the change instead of when Python next runs a full collection."""
    from matplotlib.figure import Figure

    from coopcourse.components.chart import Chart

    def figures() -> set[int]:
        return {id(o) for o in gc.get_objects() if isinstance(o, Figure)}

    chart = Chart()
    kernel = PageKernel.__new__(PageKernel)  # no sockets: only the handler is under test
    kernel._handle_comm_msg = lambda stream, ident, parent: chart.draw(lambda axes: axes.plot([1, 3]), "A line")
    before = figures()
    gc.disable()  # only the kernel's own collection may free it
    try:
        run_async(kernel.comm_msg_then_collect(None, [], {}))
        assert chart.draw_count == 1
        assert figures() - before == set()
    finally:
        gc.enable()


def test_what_the_cells_built_is_left_out_of_later_collections(monkeypatch: pytest.MonkeyPatch) -> None:
    async def ran(self: Kernel, stream: Any, ident: Any, parent: Any) -> None:
        assert kernel.running_cells

    frozen: list[bool] = []
    monkeypatch.setattr(IPythonKernel, "execute_request", ran)
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(True))
    kernel = PageKernel.__new__(PageKernel)
    run_async(kernel.execute_request(None, [], {}))
    assert frozen == [True] and not kernel.running_cells
