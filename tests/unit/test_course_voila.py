"""The course's Voila (coopcourse.course_voila): static files gzipped once and sent to browsers
that accept it, page templates compiled once per server, and debug messages not built unless
asked for. The whole server is exercised by every browser test (they start it as `make serve`
does); here each part is checked on its own."""

from __future__ import annotations

import asyncio
import gc
import gzip
import html
import http.client
import os
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import nbformat
import pytest
import tornado.httpserver
import tornado.netutil
import tornado.web
import tornado.websocket
from jupyter_server.services.contents.filemanager import FileContentsManager
from voila.app import Voila
from voila.exporter import VoilaExporter
from voila.notebook_renderer import NotebookRenderer
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from coopcourse import course_voila
from coopcourse.course_voila import (
    TEMPLATE_CODE,
    CompressedFiles,
    CourseVoila,
    RenderedMarkdown,
    SharedTemplateCode,
    accepts_gzip,
    end_failed_pages,
    is_compressible,
    preprocess_without_copies,
    send_pages_in_batches,
    share_compiled_templates,
    share_rendered_markdown,
    with_gzip,
    without_delay,
)
from coopcourse.text import text
from tests.event_loop import run_async

SCRIPT = ("function greet(name) { return 'Hola, ' + name; }\n" * 400).encode()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("gzip, deflate, br", True),
        ("GZIP", True),
        ("br;q=1.0, gzip;q=0.8", True),
        ("*", True),
        ("gzip;q=0", False),
        ("gzip;q=0.0, deflate", False),
        ("gzip;q=nonsense", False),
        ("deflate, br", False),
        ("", False),
        ("xgzip", False),
    ],
)
def test_gzip_is_sent_only_where_the_browser_accepts_it(header: str, expected: bool) -> None:
    assert accepts_gzip(header) is expected


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        ("text/javascript", True),
        ("application/javascript; charset=UTF-8", True),
        ("text/css", True),
        ("image/svg+xml", True),
        ("application/json", True),
        ("font/woff2", False),
        ("image/png", False),
        ("application/pdf", False),
    ],
)
def test_only_text_is_compressed(content_type: str, expected: bool) -> None:
    assert is_compressible(content_type) is expected


def test_a_file_is_compressed_once_per_version(tmp_path: Path) -> None:
    kept = CompressedFiles()
    path = tmp_path / "app.js"
    path.write_bytes(SCRIPT)
    stat = path.stat()
    first = kept.compressed(str(path), stat.st_size, stat.st_mtime_ns)
    assert gzip.decompress(first) == SCRIPT and len(first) < len(SCRIPT) / 10
    assert kept.compressed(str(path), stat.st_size, stat.st_mtime_ns) is first and kept.made == 1
    path.write_bytes(SCRIPT + b"// changed\n")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    changed = path.stat()
    assert gzip.decompress(kept.compressed(str(path), changed.st_size, changed.st_mtime_ns)).endswith(b"// changed\n")
    assert kept.made == 2


def test_the_kept_copies_stay_within_their_limit(tmp_path: Path) -> None:
    kept = CompressedFiles(limit=1)  # every new file pushes the older one out
    for name in ("a.js", "b.js"):
        (tmp_path / name).write_bytes(SCRIPT)
    for name in ("a.js", "b.js", "a.js"):
        stat = (tmp_path / name).stat()
        kept.compressed(str(tmp_path / name), stat.st_size, stat.st_mtime_ns)
    assert kept.made == 3  # a.js was dropped for b.js, then compressed again


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes


@dataclass
class FileServer:
    """A tornado StaticFileHandler wrapped as the course's Voila wraps Voila's own file handlers,
    serving ``folder`` on its own thread and event loop (Playwright's sync API keeps a loop
    running in the main thread during a full test run)."""

    folder: Path
    kept: CompressedFiles
    port: int = 0

    def fetch(self, path: str, headers: dict[str, str] | None = None, method: str = "GET") -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, headers=headers or {})
            response = connection.getresponse()
            return Answer(response.status, response.headers, response.read())
        finally:
            connection.close()


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FileServer]:
    (tmp_path / "app.js").write_bytes(SCRIPT)
    (tmp_path / "tiny.js").write_bytes(b"let a = 1;\n")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG" + bytes(4000))
    (tmp_path / "528.d9f5934c.js").write_bytes(SCRIPT)
    server = FileServer(tmp_path, CompressedFiles())
    monkeypatch.setattr(course_voila, "COMPRESSED", server.kept)
    ready = threading.Event()
    stopped: dict[str, object] = {}

    def serve() -> None:
        async def main() -> None:
            handler = with_gzip(tornado.web.StaticFileHandler)
            application = tornado.web.Application([(r"/static/(.*)", handler, {"path": str(tmp_path)})])
            sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
            server.port = sockets[0].getsockname()[1]
            http_server = tornado.httpserver.HTTPServer(application)
            http_server.add_sockets(sockets)
            stop = asyncio.Event()
            stopped["stop"], stopped["loop"] = stop, asyncio.get_running_loop()
            ready.set()
            await stop.wait()
            http_server.stop()

        asyncio.run(main())

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    assert ready.wait(10), "the file server did not start"
    try:
        yield server
    finally:
        stopped["loop"].call_soon_threadsafe(stopped["stop"].set)  # type: ignore[attr-defined]
        thread.join(10)


def test_a_script_goes_gzipped_and_arrives_whole(files: FileServer) -> None:
    answer = files.fetch("/static/app.js", {"Accept-Encoding": "gzip"})
    assert answer.status == 200
    assert answer.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in answer.headers["Vary"]
    assert int(answer.headers["Content-Length"]) == len(answer.body) < len(SCRIPT) / 10
    assert gzip.decompress(answer.body) == SCRIPT
    files.fetch("/static/app.js", {"Accept-Encoding": "gzip"})
    assert files.kept.made == 1  # the second browser gets the kept copy


def test_a_browser_without_gzip_gets_the_file_as_it_is(files: FileServer) -> None:
    for headers in ({"Accept-Encoding": "identity"}, {}):
        answer = files.fetch("/static/app.js", headers)
        assert "Content-Encoding" not in answer.headers and answer.body == SCRIPT
        assert "Accept-Encoding" in answer.headers["Vary"]


def test_part_of_a_file_is_sent_uncompressed(files: FileServer) -> None:
    answer = files.fetch("/static/app.js", {"Accept-Encoding": "gzip", "Range": "bytes=0-9"})
    assert answer.status == 206 and answer.body == SCRIPT[:10]
    assert "Content-Encoding" not in answer.headers


def test_small_files_and_images_are_not_compressed(files: FileServer) -> None:
    for name in ("tiny.js", "logo.png"):
        answer = files.fetch(f"/static/{name}", {"Accept-Encoding": "gzip"})
        assert answer.status == 200 and "Content-Encoding" not in answer.headers, name
        assert answer.body == (files.folder / name).read_bytes()


def test_a_cached_copy_is_still_confirmed_with_304(files: FileServer) -> None:
    first = files.fetch("/static/app.js", {"Accept-Encoding": "gzip"})
    again = files.fetch(
        "/static/app.js", {"Accept-Encoding": "gzip", "If-Modified-Since": first.headers["Last-Modified"]}
    )
    assert again.status == 304 and again.body == b""


def test_the_compressed_copy_has_its_own_tag(files: FileServer) -> None:
    zipped = files.fetch("/static/app.js", {"Accept-Encoding": "gzip"})
    plain = files.fetch("/static/app.js", {"Accept-Encoding": "identity"})
    assert zipped.headers["Etag"] != plain.headers["Etag"] and zipped.headers["Etag"].endswith('-gzip"')
    again = files.fetch("/static/app.js", {"Accept-Encoding": "gzip", "If-None-Match": zipped.headers["Etag"]})
    assert again.status == 304


def test_a_head_request_gives_the_compressed_length(files: FileServer) -> None:
    answer = files.fetch("/static/app.js", {"Accept-Encoding": "gzip"}, method="HEAD")
    assert answer.headers["Content-Encoding"] == "gzip"
    assert int(answer.headers["Content-Length"]) < len(SCRIPT) / 10


def test_a_file_named_after_its_content_may_be_kept_for_good(files: FileServer) -> None:
    hashed = files.fetch("/static/528.d9f5934c.js", {"Accept-Encoding": "gzip"})
    assert hashed.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert gzip.decompress(hashed.body) == SCRIPT
    plain = files.fetch("/static/app.js", {"Accept-Encoding": "gzip"})
    assert "immutable" not in (plain.headers["Cache-Control"] or "")


def test_a_missing_file_is_still_404(files: FileServer) -> None:
    assert files.fetch("/static/nothing.js", {"Accept-Encoding": "gzip"}).status == 404


def test_only_file_handlers_are_wrapped() -> None:
    class Page(tornado.web.RequestHandler):
        pass

    assert with_gzip(Page) is Page
    wrapped = with_gzip(tornado.web.StaticFileHandler)
    assert issubclass(wrapped, tornado.web.StaticFileHandler) and wrapped is not tornado.web.StaticFileHandler


def test_voila_templates_are_compiled_once_for_every_page(monkeypatch: pytest.MonkeyPatch) -> None:
    share_compiled_templates()
    share_compiled_templates()  # twice changes nothing
    compiled: list[str] = []
    original = jinja2.Environment.compile

    def counting(self: jinja2.Environment, source: str, name: str | None = None, *args, **kwargs):  # type: ignore[no-untyped-def]
        compiled.append(name or "")
        return original(self, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    pages = []
    for _ in range(3):  # Voila makes an exporter (and a Jinja environment) per page view
        exporter = VoilaExporter(template_name="lab")
        assert exporter.environment.bytecode_cache is TEMPLATE_CODE
        pages.append(exporter.environment.get_template("index.html.j2"))
    first_page = list(compiled)
    assert first_page, "the first page compiles its templates"
    assert compiled == first_page, f"later pages compiled again: {compiled[len(first_page) :]}"
    assert pages[0] is not pages[2] and pages[0].environment is not pages[2].environment


def test_kept_template_code_depends_on_the_environment() -> None:
    code = SharedTemplateCode()
    source = "{% for x in items %}{{ x }}{% endfor %}"
    plain = jinja2.Environment(loader=jinja2.DictLoader({"t": source}), bytecode_cache=code)
    asynchronous = jinja2.Environment(loader=jinja2.DictLoader({"t": source}), bytecode_cache=code, enable_async=True)
    assert plain.get_template("t").render(items=[1, 2]) == "12"
    asynchronous.get_template("t")  # compiled, not rendered: rendering runs its own event loop
    assert code.compiled == 2  # the async environment compiled its own code
    edited = jinja2.Environment(loader=jinja2.DictLoader({"t": source + "!"}), bytecode_cache=code)
    assert edited.get_template("t").render(items=[3]) == "3!"
    assert code.compiled == 3


def _rendered(exporter: VoilaExporter, cell: dict[str, Any]) -> str:
    """A markdown cell as a page shows it: Voila's templates (async Jinja) put it through this
    filter."""
    template = exporter.environment.from_string("{{ cell.source | markdown2html }}")
    return str(run_async(template.render_async(cell=cell)))


def test_a_markdown_cell_is_rendered_once_for_every_page(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    share_rendered_markdown()
    share_rendered_markdown()  # twice changes nothing
    kept = RenderedMarkdown()
    monkeypatch.setattr(course_voila, "RENDERED_MARKDOWN", kept)
    files = FileContentsManager(root_dir=str(tmp_path))
    cell = {"cell_type": "markdown", "source": "## Share *capital*\n\nEach member pays $x$ <b>once</b>."}
    first = _rendered(VoilaExporter(template_name="lab", contents_manager=files), cell)
    assert "<em>capital</em>" in first and "<b>once</b>" in first and "$x$" in first
    # Voila makes an exporter per page view: the next page's gets the same HTML, not rendered again.
    assert _rendered(VoilaExporter(template_name="lab", contents_manager=files), cell) == first
    assert kept.made == 1
    _rendered(VoilaExporter(template_name="lab", contents_manager=files, anchor_link_text="#"), cell)
    assert kept.made == 2, "another anchor text is other HTML"


def test_a_markdown_cell_with_an_image_or_attachment_is_rendered_every_time(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    share_rendered_markdown()
    kept = RenderedMarkdown()
    monkeypatch.setattr(course_voila, "RENDERED_MARKDOWN", kept)
    exporter = VoilaExporter(template_name="lab", contents_manager=FileContentsManager(root_dir=str(tmp_path)))
    picture = tmp_path / "members.png"
    picture.write_bytes(b"first picture")
    cell = {"cell_type": "markdown", "source": "The members:\n\n![members](members.png)"}
    assert "Zmlyc3QgcGljdHVyZQ==" in _rendered(exporter, cell)  # Voila inlines the file
    picture.write_bytes(b"another picture")
    assert "YW5vdGhlciBwaWN0dXJl" in _rendered(exporter, cell)
    attached = {"cell_type": "markdown", "source": "Plain text", "attachments": {"a.png": {"image/png": "AAAA"}}}
    assert "Plain text" in _rendered(exporter, attached)
    assert kept.made == 0


def test_the_kept_markdown_stays_within_its_limit() -> None:
    kept = RenderedMarkdown(limit=1)  # every new cell pushes the older one out
    for key in ("a", "b", "a"):
        assert kept.get((key,), lambda key=key: f"<p>{key}</p>") == f"<p>{key}</p>"
    assert kept.made == 3


@pytest.mark.parametrize("level", ["INFO", "WARN", "DEBUG"])
def test_the_server_logger_has_the_level_it_was_started_with(level: str) -> None:
    config = CourseVoila(log_level=level).get_default_logging_config()
    assert config["loggers"]["CourseVoila"]["level"] == ("WARNING" if level == "WARN" else level)
    assert config["handlers"]["console"]["level"] == config["loggers"]["CourseVoila"]["level"]


def _guarded_page(monkeypatch: pytest.MonkeyPatch, generator: Any, wrapped_twice: bool = False) -> list[str]:
    """The snippets of a page Voila renders with ``generator``, guarded by ``end_failed_pages``."""
    monkeypatch.setattr(NotebookRenderer, "generate_content_generator", generator)
    monkeypatch.delattr(NotebookRenderer, "_coop_ends_failed_pages", raising=False)
    end_failed_pages()
    if wrapped_twice:
        end_failed_pages()  # a second call wraps nothing more

    async def page() -> list[str]:
        return [snippet async for snippet, _ in NotebookRenderer.generate_content_generator(object())]  # type: ignore[arg-type]

    return run_async(page())  # type: ignore[no-any-return]


def test_a_page_whose_kernel_dies_ends_with_a_message(
    monkeypatch: pytest.MonkeyPatch, allow_coopcourse_errors: Any
) -> None:
    """Voila renders a page from an async generator in a background task, and a page whose
    generator raises (its kernel died while starting: "Kernel died before replying to
    kernel_info", seen with 30 kernels starting at once) waited for ever. It now ends with words."""

    async def dying(self: object, *args: object, **kwargs: object) -> Any:
        yield "<html><body><div>first cells", {}
        raise RuntimeError("Kernel died before replying to kernel_info")

    snippets = _guarded_page(monkeypatch, dying, wrapped_twice=True)
    assert snippets[0] == "<html><body><div>first cells"
    assert len(snippets) == 2 and 'role="alert"' in snippets[1]
    for key in ("serving.page_failed_title", "serving.page_failed_message", "serving.page_failed_reload"):
        assert html.escape(text(key)) in snippets[1]
    logged = allow_coopcourse_errors.records  # the server's log says why
    assert len(logged) == 1 and "Kernel died before replying" in str(logged[0].exc_info[1])


def test_a_page_that_renders_is_left_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    async def fine(self: object, *args: object, **kwargs: object) -> Any:
        for part in ("<html>", "cells", "</html>"):
            yield part, {}

    assert _guarded_page(monkeypatch, fine) == ["<html>", "cells", "</html>"]


def test_a_page_goes_out_in_one_piece_for_each_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """Jinja yields every piece of a template apart, and Voila wrote and flushed each (324 for
    Start.Coop 04): what is ready before the rendering waits (for the kernel) goes out as one."""

    async def rendering(self: object, *args: object, **kwargs: object) -> Any:
        for part in ("<html>", "<head>", "</head>"):
            yield part, {"part": part}
        await asyncio.sleep(0.01)  # a cell runs in the kernel
        for part in ("<div>cell</div>", "</html>"):
            yield part, {"part": part}

    monkeypatch.setattr(NotebookRenderer, "generate_content_generator", rendering)
    monkeypatch.delattr(NotebookRenderer, "_coop_sends_batches", raising=False)
    send_pages_in_batches()
    send_pages_in_batches()  # a second call wraps nothing more

    async def page() -> list[tuple[str, Any]]:
        return [batch async for batch in NotebookRenderer.generate_content_generator(object())]  # type: ignore[arg-type]

    assert run_async(page()) == [
        ("<html><head></head>", {"part": "</head>"}),
        ("<div>cell</div></html>", {"part": "</html>"}),
    ]


def test_a_failed_page_ends_with_its_message_when_sent_in_batches(
    monkeypatch: pytest.MonkeyPatch, allow_coopcourse_errors: Any
) -> None:
    async def dying(self: object, *args: object, **kwargs: object) -> Any:
        yield "<html><body><div>first cells", {}
        await asyncio.sleep(0)
        raise RuntimeError("Kernel died before replying to kernel_info")

    monkeypatch.setattr(NotebookRenderer, "generate_content_generator", dying)
    for flag in ("_coop_ends_failed_pages", "_coop_sends_batches"):
        monkeypatch.delattr(NotebookRenderer, flag, raising=False)
    end_failed_pages()
    send_pages_in_batches()

    async def page() -> str:
        return "".join([piece async for piece, _ in NotebookRenderer.generate_content_generator(object())])  # type: ignore[arg-type]

    sent = run_async(page())
    assert sent.startswith("<html><body><div>first cells") and 'role="alert"' in sent
    assert len(allow_coopcourse_errors.records) == 1


def test_what_stops_a_rendering_reaches_whoever_sends_the_page(monkeypatch: pytest.MonkeyPatch) -> None:
    """A rendering stopped by something other than an error (the server cancelling it) is not
    taken for a page that ended."""

    async def cancelled(self: object, *args: object, **kwargs: object) -> Any:
        yield "<html>", {}
        raise asyncio.CancelledError

    monkeypatch.setattr(NotebookRenderer, "generate_content_generator", cancelled)
    monkeypatch.delattr(NotebookRenderer, "_coop_sends_batches", raising=False)
    send_pages_in_batches()
    sent: list[str] = []

    async def page() -> None:
        async for piece, _ in NotebookRenderer.generate_content_generator(object()):  # type: ignore[arg-type]
            sent.append(piece)

    with pytest.raises(asyncio.CancelledError):
        run_async(page())
    assert sent == ["<html>"]


def test_a_valid_notebook_is_preprocessed_in_place(monkeypatch: pytest.MonkeyPatch) -> None:
    """The exporter's own copy of the notebook is preprocessed as it is: no more copies, one
    validation before and one after Voila's preprocessors (the two it turns on still run)."""
    monkeypatch.setattr(VoilaExporter, "_preprocess", VoilaExporter._preprocess)
    monkeypatch.delattr(VoilaExporter, "_coop_preprocesses_in_place", raising=False)
    preprocess_without_copies()
    preprocess_without_copies()  # a second call wraps nothing more
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell("# Roles"), nbformat.v4.new_code_cell("%%javascript\nx = 1")]
    )
    resources = {"metadata": {"name": "roles"}, "config_dir": ""}
    validated = _validations(monkeypatch)

    handed, handed_resources = VoilaExporter(template_name="lab")._preprocess(notebook, resources)
    assert handed is notebook and validated == [notebook, notebook]
    assert handed.cells[1].metadata["magics_language"] == "javascript"  # HighlightMagicsPreprocessor ran
    assert "inlining" in handed_resources and "inlining" not in resources  # CSSHTMLHeaderPreprocessor ran
    assert handed_resources["metadata"] == resources["metadata"]
    assert handed_resources["metadata"] is not resources["metadata"]


def test_an_invalid_notebook_goes_nbconverts_way(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(VoilaExporter, "_preprocess", VoilaExporter._preprocess)
    monkeypatch.delattr(VoilaExporter, "_coop_preprocesses_in_place", raising=False)
    preprocess_without_copies()
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
    notebook.cells[0]["outputs"] = [{"output_type": "stream", "name": "stdout"}]  # no text: invalid
    with pytest.raises(nbformat.ValidationError):
        nbformat.validate(notebook)
    resources = {"metadata": {"name": "broken"}, "config_dir": ""}
    with pytest.raises(nbformat.ValidationError):  # nbconvert's own error, after its own copies
        VoilaExporter(template_name="lab")._preprocess(notebook, resources)
    assert notebook.cells[0]["outputs"] == [{"output_type": "stream", "name": "stdout"}]


def _validations(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The notebooks nbformat validates from now on."""
    validated: list[object] = []
    validate = nbformat.validate

    def counted(nb: object, *args: Any, **kwargs: Any) -> Any:
        validated.append(nb)
        return validate(nb, *args, **kwargs)

    monkeypatch.setattr(nbformat, "validate", counted)
    return validated


def test_the_course_server_turns_both_on_when_it_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(NotebookRenderer, "_coop_ends_failed_pages", raising=False)
    monkeypatch.delattr(NotebookRenderer, "_coop_sends_batches", raising=False)
    monkeypatch.delattr(VoilaExporter, "_coop_shares_templates", raising=False)
    monkeypatch.delattr(VoilaExporter, "_coop_preprocesses_in_place", raising=False)
    monkeypatch.setattr(VoilaExporter, "_preprocess", VoilaExporter._preprocess)
    monkeypatch.setattr(NotebookRenderer, "generate_content_generator", NotebookRenderer.generate_content_generator)
    monkeypatch.setattr(VoilaExporter, "_create_environment", VoilaExporter._create_environment)
    started: list[bool] = []
    monkeypatch.setattr(Voila, "start", lambda self: started.append(True))
    CourseVoila().start()
    assert started == [True]
    assert getattr(NotebookRenderer, "_coop_ends_failed_pages", False)
    assert getattr(NotebookRenderer, "_coop_sends_batches", False)
    assert getattr(VoilaExporter, "_coop_preprocesses_in_place", False)
    assert getattr(VoilaExporter, "_coop_shares_templates", False)


def test_the_course_server_keeps_what_it_set_up_out_of_collections_once_its_loop_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scheduled: list[Any] = []

    class Loop:
        def add_callback(self, callback: Any) -> None:
            scheduled.append(callback)

    monkeypatch.setattr(course_voila.IOLoop, "current", staticmethod(lambda: Loop()))
    monkeypatch.setattr(Voila, "start", lambda self: None)
    CourseVoila().start()
    assert scheduled == [course_voila.keep_startup_objects_out_of_collections]
    before = gc.get_freeze_count()
    try:
        scheduled[0]()
        assert gc.get_freeze_count() > before  # a full collection then walks none of them
    finally:
        gc.unfreeze()


class SocketReport(tornado.websocket.WebSocketHandler):
    """Answers each message with the server side's TCP_NODELAY (1: each message leaves at once)."""

    def open(self, *args: Any, **kwargs: Any) -> None:
        self.opened = True

    def on_message(self, message: str | bytes) -> None:
        tcp = self.ws_connection.stream.socket  # type: ignore[union-attr]
        self.write_message(str(tcp.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)))


def _nodelay_seen_by_a_client(handler: type) -> str:
    async def main() -> str:
        application = tornado.web.Application([(r"/ws", handler)])
        sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
        port = sockets[0].getsockname()[1]
        server = tornado.httpserver.HTTPServer(application)
        server.add_sockets(sockets)
        try:
            client = await tornado.websocket.websocket_connect(f"ws://127.0.0.1:{port}/ws")
            await client.write_message("?")
            answer = await client.read_message()
            client.close()
            return str(answer)
        finally:
            server.stop()

    return run_async(main())


def test_a_kernel_websocket_sends_each_message_at_once() -> None:
    # Tornado's default (the control): small messages may wait for the device's delayed ACK.
    assert _nodelay_seen_by_a_client(SocketReport) == "0"
    quick = without_delay(SocketReport)
    assert _nodelay_seen_by_a_client(quick) != "0"
    assert quick.__mro__[1] is SocketReport  # the handler's own open still runs (it is a subclass)


def test_the_course_server_sends_kernel_messages_without_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    class Page(tornado.web.RequestHandler):
        pass

    rules = [(r"/api/kernels/(?P<kernel_id>[^/]+)/channels", VoilaKernelWebsocketHandler), (r"/page", Page, {})]
    monkeypatch.setattr(Voila, "init_handlers", lambda self: rules)
    served = dict((rule[0], rule[1]) for rule in CourseVoila().init_handlers())
    channels = served[rules[0][0]]
    assert issubclass(channels, VoilaKernelWebsocketHandler) and channels is not VoilaKernelWebsocketHandler
    assert "open" in vars(channels)
    assert served["/page"] is Page
