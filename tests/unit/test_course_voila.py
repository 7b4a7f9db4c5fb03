"""The course's Voila (coopcourse.course_voila): static files gzipped once and sent to browsers
that accept it, page templates compiled once per server, and debug messages not built unless
asked for. The whole server is exercised by every browser test (they start it as `make serve`
does); here each part is checked on its own."""

from __future__ import annotations

import gzip
import os
import tempfile
from pathlib import Path

import jinja2
import pytest
import tornado.web
from tornado.testing import AsyncHTTPTestCase
from voila.exporter import VoilaExporter

from coopcourse import course_voila
from coopcourse.course_voila import (
    TEMPLATE_CODE,
    CompressedFiles,
    CourseVoila,
    SharedTemplateCode,
    accepts_gzip,
    is_compressible,
    share_compiled_templates,
    with_gzip,
)

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
    first = kept.get(str(path), stat.st_size, stat.st_mtime_ns)
    assert gzip.decompress(first) == SCRIPT and len(first) < len(SCRIPT) / 10
    assert kept.get(str(path), stat.st_size, stat.st_mtime_ns) is first and kept.compressions == 1
    path.write_bytes(SCRIPT + b"// changed\n")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    changed = path.stat()
    assert gzip.decompress(kept.get(str(path), changed.st_size, changed.st_mtime_ns)).endswith(b"// changed\n")
    assert kept.compressions == 2


def test_the_kept_copies_stay_within_their_limit(tmp_path: Path) -> None:
    kept = CompressedFiles(limit=1)  # every new file pushes the older one out
    for name in ("a.js", "b.js"):
        (tmp_path / name).write_bytes(SCRIPT)
    for name in ("a.js", "b.js", "a.js"):
        stat = (tmp_path / name).stat()
        kept.get(str(tmp_path / name), stat.st_size, stat.st_mtime_ns)
    assert kept.compressions == 3  # a.js was dropped for b.js, then compressed again


class TestGzipStaticFiles(AsyncHTTPTestCase):
    """A tornado StaticFileHandler as the course's Voila wraps Voila's own file handlers."""

    def get_app(self) -> tornado.web.Application:
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.folder = Path(folder.name)
        (self.folder / "app.js").write_bytes(SCRIPT)
        (self.folder / "tiny.js").write_bytes(b"let a = 1;\n")
        (self.folder / "logo.png").write_bytes(b"\x89PNG" + bytes(4000))
        self.kept = CompressedFiles()
        course_voila.COMPRESSED, self._global = self.kept, course_voila.COMPRESSED
        self.addCleanup(setattr, course_voila, "COMPRESSED", self._global)
        handler = with_gzip(tornado.web.StaticFileHandler)
        return tornado.web.Application([(r"/static/(.*)", handler, {"path": str(self.folder)})])

    def test_a_script_goes_gzipped_and_arrives_whole(self) -> None:
        response = self.fetch("/static/app.js", headers={"Accept-Encoding": "gzip"}, decompress_response=False)
        assert response.code == 200
        assert response.headers["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response.headers.get_list("Vary")
        assert int(response.headers["Content-Length"]) == len(response.body) < len(SCRIPT) / 10
        assert gzip.decompress(response.body) == SCRIPT
        self.fetch("/static/app.js", headers={"Accept-Encoding": "gzip"}, decompress_response=False)
        assert self.kept.compressions == 1  # the second browser gets the kept copy

    def test_a_browser_without_gzip_gets_the_file_as_it_is(self) -> None:
        response = self.fetch("/static/app.js", headers={"Accept-Encoding": "identity"}, decompress_response=False)
        assert "Content-Encoding" not in response.headers and response.body == SCRIPT
        assert "Accept-Encoding" in response.headers.get_list("Vary")

    def test_part_of_a_file_is_sent_uncompressed(self) -> None:
        response = self.fetch(
            "/static/app.js", headers={"Accept-Encoding": "gzip", "Range": "bytes=0-9"}, decompress_response=False
        )
        assert response.code == 206 and response.body == SCRIPT[:10]
        assert "Content-Encoding" not in response.headers

    def test_small_files_and_images_are_not_compressed(self) -> None:
        for name in ("tiny.js", "logo.png"):
            response = self.fetch(f"/static/{name}", headers={"Accept-Encoding": "gzip"}, decompress_response=False)
            assert response.code == 200 and "Content-Encoding" not in response.headers, name
            assert response.body == (self.folder / name).read_bytes()

    def test_a_cached_copy_is_still_confirmed_with_304(self) -> None:
        first = self.fetch("/static/app.js", headers={"Accept-Encoding": "gzip"}, decompress_response=False)
        again = self.fetch(
            "/static/app.js",
            headers={"Accept-Encoding": "gzip", "If-Modified-Since": first.headers["Last-Modified"]},
            decompress_response=False,
        )
        assert again.code == 304 and again.body == b""

    def test_the_compressed_copy_has_its_own_tag(self) -> None:
        zipped = self.fetch("/static/app.js", headers={"Accept-Encoding": "gzip"}, decompress_response=False)
        plain = self.fetch("/static/app.js", headers={"Accept-Encoding": "identity"}, decompress_response=False)
        assert zipped.headers["Etag"] != plain.headers["Etag"] and zipped.headers["Etag"].endswith('-gzip"')
        again = self.fetch(
            "/static/app.js",
            headers={"Accept-Encoding": "gzip", "If-None-Match": zipped.headers["Etag"]},
            decompress_response=False,
        )
        assert again.code == 304

    def test_a_head_request_gives_the_compressed_length(self) -> None:
        response = self.fetch(
            "/static/app.js", method="HEAD", headers={"Accept-Encoding": "gzip"}, decompress_response=False
        )
        assert response.headers["Content-Encoding"] == "gzip"
        assert int(response.headers["Content-Length"]) < len(SCRIPT) / 10

    def test_a_missing_file_is_still_404(self) -> None:
        response = self.fetch("/static/nothing.js", headers={"Accept-Encoding": "gzip"})
        assert response.code == 404


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
    assert asynchronous.get_template("t").render(items=[1, 2]) == "12"
    assert code.compiled == 2  # the async environment compiled its own code
    edited = jinja2.Environment(loader=jinja2.DictLoader({"t": source + "!"}), bytecode_cache=code)
    assert edited.get_template("t").render(items=[3]) == "3!"
    assert code.compiled == 3


@pytest.mark.parametrize("level", ["INFO", "WARN", "DEBUG"])
def test_the_server_logger_has_the_level_it_was_started_with(level: str) -> None:
    config = CourseVoila(log_level=level).get_default_logging_config()
    assert config["loggers"]["CourseVoila"]["level"] == ("WARNING" if level == "WARN" else level)
    assert config["handlers"]["console"]["level"] == config["loggers"]["CourseVoila"]["level"]
