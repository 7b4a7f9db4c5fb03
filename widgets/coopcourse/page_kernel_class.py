"""The kernel class a served course page runs (started by ``coopcourse.page_kernel``).

Two differences from IPython's kernel, both about what Voila does with a page's kernel:

**Widgets stay quiet while Voila runs the page's cells.** ipywidgets announces every widget it
builds with a ``comm_open`` message carrying the widget's whole state, and each later change with a
``comm_msg``. While Voila runs the cells, nobody but Voila's own executor (nbclient, in the server)
reads those messages: the browser cannot ask for a cell to run (Voila lets it send only comm,
kernel-info and shutdown messages), and the page's script starts once the page has loaded, after
the last cell. It then asks the kernel for the widgets that exist (``comm_info_request``) and for
every widget's current state (ipywidgets' ``request_states``). nbclient keeps the states for a
notebook file that Voila never writes. So a widget built while the cells run sends nothing until a
message from the browser (or a task that runs after the cells) gives it something to say, and the
server no longer decodes and stores 60 to 170 states per page that the browser fetches anyway.
Output widgets keep speaking: nbclient puts the output of ``with output:`` into them. This relies
on Voila's default rendering; ``progressive_rendering`` (the browser connected while cells run)
would need every message, and a test checks that ``voila.json`` leaves it off.

**A shutdown race stays out of the log and does not hold the kernel.** When Voila shuts a page's
kernel down, ipykernel's control thread may still flush its output after the main thread has
closed the sockets. The ZMQError ("Socket operation on non-socket") is then printed as a
traceback into the server's log, where a trainer reads it as a fault and where the browser tests
fail on it (seen in CI, ipykernel 7.4; ipykernel's PR #1518 mends a sibling of this race).
Nothing is lost: the kernel is on its way out. ``PageKernel`` lets that one error pass once a
shutdown has begun, and raises it at any other time. The same race could hold the kernel: the
control thread hands its last flushes and its "idle" status to the thread that sends output,
which the main thread may have stopped, and then waits 10 s for each flush or for ever on the
hand-over; the main thread waits for it. Kernels went on 10 s and more after their shutdown
reply (measured: 11 of 20 forked kernels, 8 of 20 started as new processes, some past 30 s).
Once the reply has gone, ``PageKernel`` hands that thread nothing more.

**Each widget's state is computed once for the page.** ipywidgets 8.1 answers the page's request
for every widget's state (``request_states``) by first computing the whole manager state and
dropping it, then computing each state again for the reply: a page of 169 widgets paid about
15 CPU-ms for nothing. ``PageKernel`` lets that first pass return nothing. A widget built while
the cells run computed its whole state too, for the ``comm_open`` that ``PageComm`` holds back:
it now only builds the widgets its state refers to by default (its layout and style), as before,
so that the reply to ``request_states`` finds every widget already there.

**What a change leaves behind is freed at once.** A chart's figure is a web of reference cycles
that only a full garbage collection frees, which Python runs rarely: a kernel that redrew its
charts for 15 changes held about 20 MB more than one that drew them once. ``PageKernel`` collects
after each message from the browser (1-2 ms), and, so that a collection only looks at what is
new, freezes what the page's cells built once they have run (it lives as long as the page).

Kept apart from ``page_kernel`` because that module is imported by the Voila server, which needs
the spec manager and not IPython's kernel.
"""

from __future__ import annotations

import gc
import inspect
import sys
from typing import Any

import comm
import ipywidgets
import zmq
from ipykernel.comm.comm import BaseComm
from ipykernel.iostream import OutStream
from ipykernel.ipkernel import IPythonKernel
from ipywidgets._version import __protocol_version__ as WIDGET_PROTOCOL

OUTPUT_MODEL = "OutputModel"


class PageComm(BaseComm):  # type: ignore[misc]
    """A widget's link to the browser that sends nothing while the page's cells run, unless the
    widget is an Output widget (see the module's docstring)."""

    announced = True  # False once its comm_open was held back: it has nobody to talk to yet

    def publish_msg(
        self, msg_type: str, data: Any = None, metadata: Any = None, buffers: Any = None, **keys: Any
    ) -> None:
        if self.kernel is None:
            self.kernel = PageKernel.instance()  # ipywidgets sends only through a comm with a kernel
        if getattr(self.kernel, "running_cells", False):
            if msg_type == "comm_open" and _model_name(data) != OUTPUT_MODEL:
                self.announced = False
            if not self.announced:
                return
        super().publish_msg(msg_type, data, metadata, buffers, **keys)


def _nothing() -> None:
    return None


def _model_name(data: Any) -> Any:
    state = data.get("state") if isinstance(data, dict) else None
    return state.get("_model_name") if isinstance(state, dict) else None


def _states_computed_once() -> None:
    """Make ipywidgets' answer to ``request_states`` skip its wasted ``get_manager_state`` call
    (see the module's docstring); the reply itself is ipywidgets' own."""
    widget_class = ipywidgets.Widget
    answer = widget_class._handle_control_comm_msg.__func__
    if getattr(answer, "computes_states_once", False):
        return
    manager_state = vars(widget_class)["get_manager_state"]
    skipped = staticmethod(lambda *args, **kwargs: {})

    def answer_once(cls: type, msg: Any) -> None:
        # Comm messages are handled one at a time on the kernel's main thread.
        widget_class.get_manager_state = skipped
        try:
            answer(cls, msg)
        finally:
            widget_class.get_manager_state = manager_state

    answer_once.computes_states_once = True  # type: ignore[attr-defined]
    widget_class._handle_control_comm_msg = classmethod(answer_once)


def _widget_valued_traits(widget_class: type) -> tuple[str, ...]:
    """The synced traits of ``widget_class`` whose values are sent as widget references: a default
    one (a layout, a style) is a widget built when the trait is first read."""
    found = _WIDGET_VALUED.get(widget_class)
    if found is None:
        to_json = ipywidgets.widget_serialization["to_json"]
        traits = widget_class.class_traits(sync=True)  # type: ignore[attr-defined]
        found = tuple(name for name, trait in traits.items() if trait.metadata.get("to_json") is to_json)
        _WIDGET_VALUED[widget_class] = found
    return found


_WIDGET_VALUED: dict[type, tuple[str, ...]] = {}


def _held_back_states_not_computed() -> None:
    """Make a widget built while the cells run skip computing the state of a ``comm_open`` that
    ``PageComm`` holds back (see the module's docstring); Output widgets open as ipywidgets does."""
    widget_class = ipywidgets.Widget
    open_as_ipywidgets_does = vars(widget_class)["open"]
    if getattr(open_as_ipywidgets_does, "holds_state_back", False):
        return

    def open(self: ipywidgets.Widget) -> None:
        running_cells = PageKernel.initialized() and PageKernel.instance().running_cells
        if self.comm is not None or not running_cells or self._model_name == OUTPUT_MODEL:
            open_as_ipywidgets_does(self)
            return
        for name in _widget_valued_traits(type(self)):
            getattr(self, name)  # built now, as ipywidgets' get_state would have
        opening: dict[str, Any] = {
            "target_name": "jupyter.widget",
            "data": {"state": {"_model_name": self._model_name}, "buffer_paths": []},
            "metadata": {"version": WIDGET_PROTOCOL},
        }
        if self._model_id is not None:
            opening["comm_id"] = self._model_id
        self.comm = comm.create_comm(**opening)

    open.holds_state_back = True  # type: ignore[attr-defined]
    widget_class.open = open


class PageKernel(IPythonKernel):  # type: ignore[misc]
    """IPython's kernel, with widgets quiet while cells run and quiet about its sockets closing
    under it while it shuts down."""

    running_cells = False

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        comm.create_comm = PageComm  # what ipywidgets calls for each widget's comm
        _states_computed_once()
        _held_back_states_not_computed()
        self._handle_comm_msg = self.shell_handlers["comm_msg"]
        self.shell_handlers["comm_msg"] = self.comm_msg_then_collect
        # ipywidgets registers its comm targets (the browser's way to every widget and state) when
        # it is imported while IPython runs. A kernel forked by coopcourse.fork_server had it
        # imported before: register them now that IPython runs.
        preloaded_widgets = sys.modules.get("ipywidgets")
        if preloaded_widgets is not None:
            preloaded_widgets.register_comm_target()

    async def execute_request(self, stream: Any, ident: Any, parent: Any) -> None:
        self.running_cells = True
        try:
            await super().execute_request(stream, ident, parent)
        finally:
            self.running_cells = False
            gc.freeze()  # what the cells built stays; later collections need not look at it

    async def comm_msg_then_collect(self, stream: Any, ident: Any, parent: Any) -> None:
        """A widget's message from the browser (a learner's change), then a collection."""
        handled = self._handle_comm_msg(stream, ident, parent)
        if inspect.isawaitable(handled):
            await handled
        gc.collect()

    async def shutdown_request(self, stream: Any, ident: Any, parent: Any) -> None:
        outputs = [out for out in (sys.stdout, sys.stderr) if isinstance(out, OutStream)]
        for out in outputs:
            out.flush()  # what was printed before, while the thread that sends it surely runs
        await super().shutdown_request(stream, ident, parent)
        # The reply has gone, and the main thread may now stop that thread: nothing more is
        # handed to it (see the module's docstring). What is printed now has no page to go to.
        for out in outputs:
            out.flush = _nothing  # type: ignore[method-assign]

    def _publish_status(self, status: str, channel: str, parent: Any = None) -> None:
        if self._shutdown_message is not None:
            return  # "idle" after the shutdown reply: nobody waits for it (see shutdown_request)
        super()._publish_status(status, channel, parent)

    async def process_control(self, msg: Any) -> None:
        try:
            await super().process_control(msg)
        except zmq.ZMQError:
            if self._shutdown_message is None:
                raise
