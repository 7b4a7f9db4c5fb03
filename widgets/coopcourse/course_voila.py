"""Voila as the course serves it: the same server, cheaper for a room on one laptop.

``python -m coopcourse.course_voila`` takes Voila's command line and settings (``voila.json``)
unchanged; ``make serve``, ``make serve-lan``, the plenary view, the tests and the benchmark all
start the course with it. What a stock Voila pays on every page view is paid once:

- **Static files are sent compressed.** A new device's first page fetches about 5.4 MB of
  scripts and styles, none of them compressed: a room of 30 phones pulls 160 MB through the
  laptop's Wi-Fi before any page shows. Scripts, styles and other text files are now sent gzipped
  to every browser that accepts it (all do), about a third of the bytes. Each file is compressed
  once and kept in memory, so the laptop's CPU pays nothing per page for it.
- **Scripts named after their content are kept by the browser.** Voila sends its widget
  scripts (labextensions) as "no-cache": every later page of every device asked again for each
  of them. A file named after a hash of its content (``528.d9f5934c.js``) cannot change under
  that name, so it is now sent as cacheable for a year; other files are asked for as before.
- **Page templates are compiled once.** Voila makes a new Jinja environment for every page, so
  every page view parsed and compiled the whole template family again: 0.1 CPU-s, about 60 % of
  the server's work for a one-cell notebook. Compiled templates are now kept (keyed by the
  template's source, so an edited template is compiled afresh).
- **Markdown cells are rendered once.** Voila renders each markdown cell with a new parser on
  every page view: 14 CPU-ms for the 25 cells of Start.Coop 04, every page, every device. The
  HTML of a cell is now kept (keyed by its text and the renderer's options); a cell with an
  image or attachment is rendered every time, as Voila reads the image from its file.
- **A page's notebook is not copied and validated a dozen times over.** nbconvert copied each
  page's notebook three times and validated it after each of its 12 preprocessors: a valid
  notebook is now copied once and validated twice (before and after the preprocessors).
- **A page goes out in a few pieces.** Jinja yields every piece of a template apart, and Voila
  passed each through a queue and a timer task and wrote and flushed it on its own: 324 sends for
  Start.Coop 04. What is ready before the rendering waits for the kernel now goes out as one
  piece: 8 for that page, the server's CPU for it 174 -> 143 ms (median of 6 page opens).
- **A page whose kernel fails says so.** When a page's kernel dies while starting, Voila loses
  the error in a background task and the page waits for ever (its spinner turning, the server
  sending a heartbeat every 10 s). The page now ends with a short message in the server's
  language: reload the page, saved work is safe. The error goes to the server's log.
- **Kernels are forked, not started.** With the page kernel (``voila.json``) on Linux, the kernel
  fork server (``coopcourse.fork_provisioner``) starts as Voila does and gives every page a kernel
  that already has IPython's kernel, ipywidgets, numpy, pandas and matplotlib imported.
- **A change's answer leaves at once.** Tornado leaves Nagle's algorithm on for websockets,
  and Jupyter's kernel websocket does not turn it off: when a learner's change makes several
  small messages (the field's echo, a table, the feedback), the second and later wait for the
  device to acknowledge the first, which it delays by up to 40 ms (measured on the laptop: the
  feedback, made 9-17 ms after the change, arrived 45-60 ms after it; 11-32 ms now). Kernel
  websockets now send each message as it comes (``TCP_NODELAY``).
- **What the server set up is left out of garbage collections.** Python's full collections walk
  every object, and most of the server's are its libraries and settings, made as it starts and
  kept: each took 57-81 ms, every few page opens, while no page of the room was answered. Once the
  server's loop runs they are frozen (``gc.freeze``): a full collection then took 4-9 ms, and the
  collector's time fell from about 11 to 2 CPU-ms a page (18 page opens, light client).
- **Debug messages nobody sees are not built.** traitlets lets every debug message through the
  logger and drops it at the handler; Voila logs several per kernel message. The logger now has
  the level the server was started with (``--Voila.log_level=DEBUG`` still shows them).

Binder and JupyterLab serve the course through Voila's server extension and are not affected.
"""

from __future__ import annotations

import asyncio
import copy
import gc
import gzip
import hashlib
import html
import logging
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from typing import Any, Generic, TypeVar

import jinja2
import nbformat
import tornado.web
import tornado.websocket
from tornado.ioloop import IOLoop
from voila.app import Voila
from voila.exporter import VoilaExporter
from voila.notebook_renderer import NotebookRenderer

from coopcourse.fork_provisioner import FORK_SERVER, forking_available
from coopcourse.page_kernel import PageKernelSpecManager
from coopcourse.text import text

# Text that compresses; images, fonts and PDFs are compressed already.
COMPRESSIBLE_TYPES = frozenset(
    {"application/javascript", "application/json", "application/xml", "image/svg+xml", "text/javascript"}
)
SMALLEST_COMPRESSED = 1024  # smaller files gain less than the header costs
# A file named after a hash of its content (webpack's "528.d9f5934c.js", "remoteEntry.698dcaf7.js"):
# new content gets a new name, so a browser may keep it for good.
CONTENT_HASHED_NAME = re.compile(r"(?:^|[.-])[0-9a-f]{8,}\.[a-z0-9]+$")
IMMUTABLE = "public, max-age=31536000, immutable"
KEPT_BYTES = 64 * 1024 * 1024  # the course's compressed static files take about 10 MB
Made = TypeVar("Made", bytes, str)


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an ``Accept-Encoding`` header allows gzip (``gzip;q=0`` refuses it)."""
    for item in accept_encoding.split(","):
        name, _, parameters = item.strip().partition(";")
        if name.strip().lower() in ("gzip", "*"):
            quality = parameters.strip().lower()
            if quality.startswith("q="):
                try:
                    return float(quality[2:]) > 0
                except ValueError:
                    return False
            return True
    return False


def is_compressible(content_type: str) -> bool:
    kind = content_type.split(";")[0].strip().lower()
    return kind.startswith("text/") or kind in COMPRESSIBLE_TYPES


class KeptUpTo(Generic[Made]):
    """Values made once per key and kept, the least recently used dropped beyond ``limit`` (the
    sum of their lengths); safe to share between threads."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._kept: OrderedDict[Hashable, Made] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self.made = 0  # values made so far (tests read it)

    def get(self, key: Hashable, make: Callable[[], Made]) -> Made:
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
                return found
        value = make()
        with self._lock:
            self.made += 1
            if key not in self._kept:
                self._kept[key] = value
                self._size += len(value)
                while self._size > self.limit and len(self._kept) > 1:
                    _, dropped = self._kept.popitem(last=False)
                    self._size -= len(dropped)
        return value


class CompressedFiles(KeptUpTo[bytes]):
    """Gzipped copies of files, each made once per version of the file (its path, size and
    modification time)."""

    def __init__(self, limit: int = KEPT_BYTES) -> None:
        super().__init__(limit)

    def compressed(self, path: str, size: int, mtime_ns: int) -> bytes:
        def compress() -> bytes:
            with open(path, "rb") as file:
                return gzip.compress(file.read(), compresslevel=6, mtime=0)

        return self.get((path, size, mtime_ns), compress)


COMPRESSED = CompressedFiles()


class GzipStaticMixin:
    """For a tornado ``StaticFileHandler``: send a text file gzipped (from ``COMPRESSED``) when
    the browser accepts it and asks for the whole file; anything else goes as before. A file
    named after its content's hash may be kept by the browser for good."""

    _gzipped: bytes | None = None
    request: Any
    absolute_path: str | None

    def validate_absolute_path(self, root: str, absolute_path: str) -> str | None:
        checked: str | None = super().validate_absolute_path(root, absolute_path)  # type: ignore[misc]
        self._gzipped = None
        if checked is not None and self._wants_gzip():
            self.absolute_path = checked  # _stat and get_content_type read it
            stat = self._stat()  # type: ignore[attr-defined]
            if stat.st_size >= SMALLEST_COMPRESSED:
                if is_compressible(self.get_content_type()):  # type: ignore[attr-defined]
                    self._gzipped = COMPRESSED.compressed(checked, stat.st_size, stat.st_mtime_ns)
        return checked

    def set_headers(self) -> None:
        super().set_headers()  # type: ignore[misc]
        # Voila sends labextensions "no-cache": every page of every device asked again for each
        # of their 30-odd scripts. Those named after their content need not be asked for again.
        if self.absolute_path and CONTENT_HASHED_NAME.search(os.path.basename(self.absolute_path)):
            self.set_header("Cache-Control", IMMUTABLE)  # type: ignore[attr-defined]

    def _wants_gzip(self) -> bool:
        headers = self.request.headers
        return "Range" not in headers and accepts_gzip(headers.get("Accept-Encoding", ""))

    def compute_etag(self) -> str | None:
        etag: str | None = super().compute_etag()  # type: ignore[misc]
        if etag and self._gzipped is not None:
            # Another representation of the file: another tag (RFC 9110, 8.8.3).
            return etag[:-1] + '-gzip"' if etag.endswith('"') else etag + "-gzip"
        return etag

    def set_extra_headers(self, path: str) -> None:
        super().set_extra_headers(path)  # type: ignore[misc]
        self.add_header("Vary", "Accept-Encoding")  # type: ignore[attr-defined]
        if self._gzipped is not None:
            self.set_header("Content-Encoding", "gzip")  # type: ignore[attr-defined]

    def get_content_size(self) -> int:
        if self._gzipped is not None:
            return len(self._gzipped)
        return int(super().get_content_size())  # type: ignore[misc]

    def get_content(  # type: ignore[override]
        self, abspath: str, start: int | None = None, end: int | None = None
    ) -> bytes | Iterator[bytes]:
        # tornado's get() calls this on the handler; the class-level caller is below.
        if self._gzipped is not None:
            return self._gzipped
        return super().get_content(abspath, start, end)  # type: ignore[misc,no-any-return]

    @classmethod
    def get_content_version(cls, abspath: str) -> str:
        """The file's hash (tornado's ETag), read through the class's own ``get_content``."""
        hasher = hashlib.sha512()
        data = super().get_content(abspath)  # type: ignore[misc]
        for chunk in [data] if isinstance(data, bytes) else data:
            hasher.update(chunk)
        return hasher.hexdigest()


def with_gzip(handler: type) -> type:
    """``handler`` sending text files gzipped, if it serves files; else ``handler`` itself."""
    if not (isinstance(handler, type) and issubclass(handler, tornado.web.StaticFileHandler)):
        return handler
    return type(f"Gzip{handler.__name__}", (GzipStaticMixin, handler), {})


def without_delay(handler: type) -> type:
    """``handler`` sending each websocket message at once (no Nagle), if it is a websocket
    handler; else ``handler`` itself."""
    if not (isinstance(handler, type) and issubclass(handler, tornado.websocket.WebSocketHandler)):
        return handler

    def open(self: tornado.websocket.WebSocketHandler, *args: Any, **kwargs: Any) -> Any:
        self.set_nodelay(True)
        return handler.open(self, *args, **kwargs)

    return type(f"NoDelay{handler.__name__}", (handler,), {"open": open})


class SharedTemplateCode(jinja2.BytecodeCache):
    """Compiled page templates kept for the server's lifetime, shared by every page's Jinja
    environment. Keyed by what the compiled code depends on: the template's name, file and
    source, and the environment's options that change the generated code."""

    def __init__(self) -> None:
        self._code: dict[tuple[Any, ...], Any] = {}
        self._lock = threading.Lock()
        self.compiled = 0  # templates compiled so far (tests read it)

    @staticmethod
    def _key(bucket: jinja2.bccache.Bucket) -> tuple[Any, ...]:
        environment = bucket.environment
        return (
            bucket.key,
            bucket.checksum,
            environment.is_async,
            environment.optimized,
            tuple(sorted(environment.extensions)),
            environment.block_start_string,
            environment.variable_start_string,
            environment.comment_start_string,
            environment.line_statement_prefix,
            environment.trim_blocks,
            environment.lstrip_blocks,
            environment.keep_trailing_newline,
            environment.newline_sequence,
        )

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with self._lock:
            bucket.code = self._code.get(self._key(bucket))

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with self._lock:
            self.compiled += 1
            self._code[self._key(bucket)] = bucket.code


TEMPLATE_CODE = SharedTemplateCode()


def share_compiled_templates() -> None:
    """Give every ``VoilaExporter``'s Jinja environment ``TEMPLATE_CODE`` (once per process)."""
    if getattr(VoilaExporter, "_coop_shares_templates", False):
        return
    make_environment = VoilaExporter._create_environment

    def _create_environment(self: VoilaExporter) -> jinja2.Environment:
        environment = make_environment(self)
        environment.bytecode_cache = TEMPLATE_CODE
        return environment

    VoilaExporter._create_environment = _create_environment  # type: ignore[method-assign]
    VoilaExporter._coop_shares_templates = True  # type: ignore[attr-defined]


KEPT_MARKDOWN_CHARACTERS = 16 * 1024 * 1024  # all 924 cells of the course in three languages: 0.54 M


class RenderedMarkdown(KeptUpTo[str]):
    """Markdown cells rendered to HTML, kept by their text and the options the HTML depends on."""

    def __init__(self, limit: int = KEPT_MARKDOWN_CHARACTERS) -> None:
        super().__init__(limit)


RENDERED_MARKDOWN = RenderedMarkdown()


def depends_on_files(cell: Any, source: str) -> bool:
    """Whether a markdown cell's HTML depends on more than its text: Voila inlines an image
    (``![alt](file)``, ``![alt][name]``) from the file, and a cell's attachments are its own."""
    return "![" in source or bool(cell.get("attachments"))


def share_rendered_markdown() -> None:
    """Make every ``VoilaExporter`` take a markdown cell's HTML from ``RENDERED_MARKDOWN`` (once
    per process)."""
    if getattr(VoilaExporter, "_coop_shares_markdown", False):
        return
    render = VoilaExporter.markdown2html

    @jinja2.pass_context
    def markdown2html(self: VoilaExporter, context: Any, source: str) -> str:
        cell = context.get("cell", {})
        if depends_on_files(cell, source):
            return str(render(self, context, source))
        key = (self.markdown_renderer_class, self.anchor_link_text, source)
        return RENDERED_MARKDOWN.get(key, lambda: str(render(self, context, source)))

    VoilaExporter.markdown2html = markdown2html  # type: ignore[method-assign]
    VoilaExporter._coop_shares_markdown = True  # type: ignore[attr-defined]


def preprocess_without_copies() -> None:
    """Make a ``VoilaExporter`` preprocess a valid notebook in place (once per process).

    nbconvert hands ``_preprocess`` a copy of the notebook it made for this export, then copies
    it twice more (once to normalize it) and validates it after each of its 12 preprocessors, for
    a notebook read from its file for this page and validated there: with the caller's copy,
    23 CPU-ms a page for Start.Coop 04, 7 ms now (in-process, mean of 50). A notebook that
    validates now runs the preprocessors that are on, in place, and is validated once after them
    (nbconvert's ``optimistic_validation``); one that does not goes nbconvert's way, which may
    repair it."""
    if getattr(VoilaExporter, "_coop_preprocesses_in_place", False):
        return
    preprocess = VoilaExporter._preprocess

    def _preprocess(self: VoilaExporter, nb: Any, resources: Any) -> Any:
        try:
            nbformat.validate(nb, relax_add_props=True)
        except nbformat.ValidationError:
            return preprocess(self, nb, resources)
        resources = copy.deepcopy(resources)  # the caller's, which a preprocessor may change
        for step in self._preprocessors:
            nb, resources = step(nb, resources)
        if self._preprocessors:
            self._validate_preprocessor(nb, step)
        return nb, resources

    VoilaExporter._preprocess = _preprocess  # type: ignore[method-assign]
    VoilaExporter._coop_preprocesses_in_place = True  # type: ignore[attr-defined]


log = logging.getLogger("coopcourse")


def failed_page_note() -> str:
    """What ends a page whose rendering failed: fixed at the top of the window (moved out of the
    part of the page Voila has not shown yet), in plain words and the server's language."""
    return (
        '<div class="coop-page-failed" role="alert" style="position:fixed;top:0;left:0;right:0;'
        "z-index:10000;background:#fff4e5;color:#6d4200;border-bottom:2px solid #b26a00;padding:1em 1.2em;"
        'font:18px/1.5 system-ui,-apple-system,Segoe UI,Roboto,Arial,sans-serif">'
        f"<strong>{html.escape(text('serving.page_failed_title'))}</strong> "
        f"{html.escape(text('serving.page_failed_message'))} "
        f'<a href="" style="color:#0d47a1">{html.escape(text("serving.page_failed_reload"))}</a></div>'
        # Voila keeps the cells hidden, and its spinner turning, until the kernel answers, which it
        # never will: the note goes out of the cells, and the spinner away.
        '<script>(function () { var note = document.querySelector(".coop-page-failed");'
        " if (note) { document.body.appendChild(note); }"
        ' var busy = document.getElementById("loading"); if (busy) { busy.style.display = "none"; } })();</script>'
    )


async def _ended_on_failure(snippets: Any) -> Any:
    try:
        async for snippet in snippets:
            yield snippet
    except Exception:
        log.exception("A page could not be rendered; it was told to reload")
        yield failed_page_note(), {}


async def _in_batches(snippets: Any) -> Any:
    """``snippets`` joined into one for each stretch the page renders without waiting (for the
    kernel, mostly): Voila passes every snippet through a queue, a timer task, a write and a
    flush of its own, and Jinja yields one for each piece of a template (324 for Start.Coop 04).
    The renderer runs ahead in a task, as Voila's own ``put_html`` does."""
    ready: list[tuple[str, Any]] = []
    more = asyncio.Event()

    async def render() -> None:
        try:
            async for snippet in snippets:
                ready.append(snippet)
                more.set()
        finally:
            more.set()

    rendering = asyncio.ensure_future(render())
    while True:
        await more.wait()
        more.clear()
        if ready:
            batch = ready[:]
            ready.clear()
            yield "".join(html for html, _ in batch), batch[-1][1]
        if rendering.done() and not ready:
            rendering.result()  # what ended the rendering, if not its end
            return


def _wrap_page_rendering(done_flag: str, wrapper: Callable[[Any], Any]) -> None:
    """Make Voila's renderer pass each page's snippets through ``wrapper`` (once per process)."""
    if getattr(NotebookRenderer, done_flag, False):
        return
    generate = NotebookRenderer.generate_content_generator

    def generate_content_generator(self: NotebookRenderer, *args: Any, **kwargs: Any) -> Any:
        return wrapper(generate(self, *args, **kwargs))

    NotebookRenderer.generate_content_generator = generate_content_generator  # type: ignore[method-assign]
    setattr(NotebookRenderer, done_flag, True)


def send_pages_in_batches() -> None:
    """Make Voila send a page's HTML in ``_in_batches``."""
    _wrap_page_rendering("_coop_sends_batches", _in_batches)


def end_failed_pages() -> None:
    """Make a page whose rendering raises end with ``failed_page_note``."""
    _wrap_page_rendering("_coop_ends_failed_pages", _ended_on_failure)


def keep_startup_objects_out_of_collections() -> None:
    """Move what the server made while starting (its libraries, settings, handlers: most of its
    objects, and they stay) out of the garbage collector's reach. Python's full collections walk
    every object: 57-81 ms each on this server, every few page opens, during which no page of the
    room is answered; they now walk what came after."""
    gc.collect()
    gc.freeze()


class CourseVoila(Voila):
    """Voila with the savings above; its settings are Voila's (``--Voila.*``, ``voila.json``)."""

    def get_default_logging_config(self) -> dict[str, Any]:
        config: dict[str, Any] = super().get_default_logging_config()
        for logger in config.get("loggers", {}).values():
            logger["level"] = logging.getLevelName(self.log_level)
        return config

    def init_settings(self) -> dict:
        settings: dict = super().init_settings()
        if isinstance(self.kernel_spec_manager, PageKernelSpecManager) and forking_available():
            FORK_SERVER.prepare()  # its libraries load while Voila starts, not with the first page
        return settings

    def init_handlers(self) -> list:
        return [(rule[0], without_delay(with_gzip(rule[1])), *rule[2:]) for rule in super().init_handlers()]

    def start(self) -> None:
        share_compiled_templates()
        share_rendered_markdown()
        preprocess_without_copies()
        end_failed_pages()
        send_pages_in_batches()  # after: the failure's note goes in the last batch
        # As the server's loop starts, everything it set up before is made (super().start() blocks).
        IOLoop.current().add_callback(keep_startup_objects_out_of_collections)
        super().start()


main = CourseVoila.launch_instance

if __name__ == "__main__":
    main()
