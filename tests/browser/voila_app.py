"""Helpers for driving the course's Voila apps in Chromium with Playwright (sync API).

A test gets an ``App`` from the ``open_app`` fixture and talks to exercises the way a learner
does: by title, by field label and by button name.

    def test_my_exercise(open_app):
        app = open_app(notebook_showing("start_coop.feasibility("))
        exercise = app.exercise(text("feasibility.title"))
        with app.changes(exercise.table()):
            exercise.type_into(text("feasibility.price"), "12")
        assert exercise.feedback_kind() == "success"

Every page has a ``KernelMonitor`` listening to the kernel websocket: any ``error`` message or
traceback on stderr fails the test at teardown, even when nothing shows on the page.
"""

from __future__ import annotations

import json
import os
import re
import struct
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import ConsoleMessage, Locator, Page, WebSocket, expect

from tests.notebooks import published_languages

REPO = Path(__file__).resolve().parents[2]
COURSE = REPO / "course"
ARTIFACTS = REPO / "test-artifacts"
# How `make serve` starts Voila (the Makefile's VOILA): the course's Voila, coopcourse.course_voila.
VOILA = [sys.executable, "-m", "coopcourse.course_voila"]

# A code cell showing an exercise, e.g. ``think_coop.joint_purchasing()``.
EXERCISE_CALL = re.compile(r"\b(think_coop|start_coop|manage_coop)(\.\w+)*\.\w+\(")

TIMEOUT_MS = 60_000  # first render of a page starts a kernel and runs the whole notebook


def translated_languages() -> list[str]:
    """The published languages whose notebooks are built (course/<code>/)."""
    return [code for code in published_languages() if (COURSE / code).is_dir()]


def course_notebooks() -> list[Path]:
    """Every English notebook of the course, relative to ``course/``, in a stable order (the
    translations are generated from them: see ``translated_notebooks``)."""
    generated = set(translated_languages()) | {"locale"}
    return sorted(
        path.relative_to(COURSE)
        for path in COURSE.rglob("*.ipynb")
        if ".ipynb_checkpoints" not in path.parts and path.relative_to(COURSE).parts[0] not in generated
    )


# Pages every language's browser tests open in CI: the landing page, the glossary, and a module of
# each part with its documents and charts. COOP_ALL_LANGUAGES=1 opens every translated page.
LANGUAGE_SAMPLE = (
    "index.ipynb",
    "glossary.ipynb",
    "think_coop/02_collective_action.ipynb",
    "start_coop/03_business_plan.ipynb",
    "manage_coop/06_financial_management.ipynb",
)


def translated_notebooks() -> list[Path]:
    """The published languages' notebooks the browser tests open: a sample, or all of them."""
    every = os.environ.get("COOP_ALL_LANGUAGES") == "1"
    return [
        Path(code) / notebook
        for code in translated_languages()
        for notebook in (course_notebooks() if every else [Path(n) for n in LANGUAGE_SAMPLE])
    ]


def exercise_cells(notebook: Path) -> int:
    """How many code cells of a notebook show an exercise (what the page must render)."""
    nb = nbformat.read(COURSE / notebook, as_version=4)
    # Every exercise cell imports from coopcourse.exercises (the saved-work bar does not), e.g.
    # ``from coopcourse.exercises.manage_coop import finance`` / ``finance.surplus_distribution()``.
    return sum(1 for cell in nb.cells if cell.cell_type == "code" and "coopcourse.exercises" in cell.source)


def has_widgets(notebook: Path) -> bool:
    """Whether the page shows widgets (the glossary, for one, is static HTML)."""
    nb = nbformat.read(COURSE / notebook, as_version=4)
    return any(
        cell.cell_type == "code" and ("coopcourse.exercises" in cell.source or "saved_work_bar" in cell.source)
        for cell in nb.cells
    )


def notebook_showing(call: str) -> Path | None:
    """The first notebook with a code cell containing ``call`` (e.g. ``"think_coop.self_check("``)."""
    for notebook in course_notebooks():
        nb = nbformat.read(COURSE / notebook, as_version=4)
        if any(cell.cell_type == "code" and call in cell.source for cell in nb.cells):
            return notebook
    return None


def course_notebook(call: str) -> Path:
    """``notebook_showing(call)``; the test is skipped while no notebook shows that exercise."""
    notebook = notebook_showing(call)
    if notebook is None:
        pytest.skip(f"no notebook under course/ shows {call}...)")
    return notebook


# --- the kernel websocket ------------------------------------------------------------------


def decode_frame(payload: str | bytes) -> dict | None:
    """A Jupyter message from a kernel websocket frame: JSON text, the legacy binary format
    (big-endian 32-bit offsets) or the v1 protocol (``v1.kernel.websocket.jupyter.org``,
    little-endian 64-bit offsets, channel then header, parent, metadata, content, buffers)."""
    try:
        if isinstance(payload, str):
            return json.loads(payload)
        data = bytes(payload)
        if len(data) >= 16:
            count = int.from_bytes(data[:8], "little")
            if 3 <= count < 1000 and len(data) >= 8 * (count + 1):
                offsets = [int.from_bytes(data[8 * (i + 1) : 8 * (i + 2)], "little") for i in range(count)]
                if offsets[0] == 8 * (count + 1) and offsets == sorted(offsets) and offsets[-1] <= len(data):
                    channel = data[offsets[0] : offsets[1]].decode("utf-8")
                    parts = [data[offsets[i] : offsets[i + 1]] for i in range(1, count - 1)]
                    header, parent, metadata, content = (json.loads(p) for p in parts[:4])
                    return {
                        "channel": channel,
                        "header": header,
                        "parent_header": parent,
                        "metadata": metadata,
                        "content": content,
                        "msg_type": header.get("msg_type"),
                    }
        count = struct.unpack("!I", data[:4])[0]
        offsets = list(struct.unpack("!" + "I" * count, data[4 : 4 * (count + 1)]))
        end = offsets[1] if count > 1 else len(data)
        return json.loads(data[offsets[0] : end].decode("utf-8"))
    except (ValueError, KeyError, struct.error, UnicodeDecodeError, IndexError):
        return None


def msg_type(msg: dict) -> str:
    return msg.get("msg_type") or msg.get("header", {}).get("msg_type", "")


STOPPED = "stopped"  # the kernel has said its shutdown reply, or the test stopped it


@dataclass
class KernelMonitor:
    """Records every message the kernel sends to the page and the problems among them."""

    problems: list[str] = field(default_factory=list)
    messages: int = 0
    status: str = "unknown"
    last_frame: float = field(default_factory=time.monotonic)
    sockets: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        page.on("websocket", self._on_websocket)
        page.on("pageerror", lambda error: self.problems.append(f"JavaScript error on the page: {error}"))
        page.on("console", self._on_console)
        page.on("requestfailed", lambda request: self.failed_requests.append(request.url))

    def _on_console(self, message: ConsoleMessage) -> None:
        # "Failed to load resource" is an offline CDN (fonts); anything else logged as an error,
        # e.g. "Error: widget model not found", means a widget did not render.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.problems.append(f"console error in the browser: {message.text[:2000]}")

    def _on_websocket(self, ws: WebSocket) -> None:
        if "/api/kernels/" not in ws.url:
            return
        self.sockets.append(ws.url)
        ws.on("framereceived", self._on_frame)

    def _on_frame(self, payload: str | bytes) -> None:
        self.last_frame = time.monotonic()
        msg = decode_frame(payload)
        if msg is None:
            return
        self.messages += 1
        kind, content = msg_type(msg), msg.get("content") or {}
        if kind == "shutdown_reply":
            self.status = STOPPED
        elif kind == "status" and self.status != STOPPED:
            self.status = content.get("execution_state", self.status)
        elif kind == "error":
            trace = "\n".join(content.get("traceback") or [])
            self.problems.append(f"kernel error {content.get('ename')}: {content.get('evalue')}\n{_plain(trace)}")
        elif kind == "stream" and content.get("name") == "stderr" and "Traceback" in content.get("text", ""):
            self.problems.append(f"traceback on the kernel's stderr:\n{content['text']}")
        elif kind in ("display_data", "execute_result"):
            for mime, data in (content.get("data") or {}).items():
                if mime == "application/vnd.jupyter.stderr" or "Traceback" in str(data):
                    self.problems.append(f"error output from the kernel ({mime}): {str(data)[:2000]}")

    def kernel_stopped(self) -> None:
        """The test stopped the kernel: its last status may be the busy of the shutdown request
        (ipykernel says no idle after it), or its shutdown reply may not reach the page."""
        self.status = STOPPED

    def wait_idle(self, page: Page, quiet_ms: int = 400, timeout_ms: int = 20_000) -> None:
        """Wait until the kernel is idle (or stopped) and has sent nothing for ``quiet_ms``."""
        deadline = time.monotonic() + timeout_ms / 1000
        while time.monotonic() < deadline:
            page.wait_for_timeout(100)
            quiet = (time.monotonic() - self.last_frame) * 1000 >= quiet_ms
            if quiet and self.status in ("idle", "unknown", STOPPED):
                return
        raise AssertionError(f"the kernel did not settle within {timeout_ms} ms (status {self.status})")


def button_name(name: str | re.Pattern[str]) -> re.Pattern[str]:
    """Match a button's accessible name: its label, after an optional icon glyph."""
    if isinstance(name, re.Pattern):
        return name
    return re.compile(r"^\W*" + re.escape(name) + r"\s*$")


def _plain(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


# --- pages and exercises -------------------------------------------------------------------


@dataclass
class Exercise:
    """One ``.coop-exercise`` on the page."""

    app: App
    root: Locator

    def field(self, label: str, nth: int = 0) -> Locator:
        """The input whose accessible label is exactly ``label`` (the ``nth`` if repeated)."""
        return self.root.get_by_label(label, exact=True).nth(nth)

    def type_into(self, label: str, value: str, nth: int = 0) -> None:
        """Type like a learner: replace the text, press Enter (fields send on Enter or blur)."""
        box = self.field(label, nth)
        box.fill(value)
        box.press("Enter")
        self.app.settle()

    def write(self, label: str, value: str, nth: int = 0) -> None:
        """Type into a text area (or any box that sends on leaving it, not on Enter) and leave it."""
        box = self.field(label, nth)
        box.fill(value)
        box.blur()
        self.app.settle()

    def choose(self, label: str, option: str, nth: int = 0) -> None:
        """Pick ``option`` (its visible label) in the drop-down labelled ``label``."""
        self.field(label, nth).select_option(label=option)
        self.app.settle()

    def tick(self, label: str, ticked: bool = True) -> None:
        """Tick (or untick) the checkbox named ``label``."""
        box = self.root.get_by_role("checkbox", name=label, exact=True)
        box.set_checked(ticked)
        self.app.settle()

    def rows(self, label: str) -> Locator:
        """An editable list of rows (``RowsEditor``) by its caption."""
        return self.root.locator(".coop-rows").filter(
            has=self.app.page.locator(".coop-rows-label", has_text=re.compile("^" + re.escape(label) + "$"))
        )

    def field_error(self, label: str, nth: int = 0) -> Locator:
        """The message shown next to a field (inside the same ``.coop-field``)."""
        container = self.root.locator(".coop-field").filter(has=self.app.page.get_by_label(label, exact=True)).nth(nth)
        return container.locator(".coop-field-error")

    def button(self, name: str | re.Pattern[str], nth: int = 0) -> Locator:
        """A button by its label. Icon glyphs (Font Awesome ``::before`` content) are part of a
        button's accessible name, so a plain label matches with any leading symbols."""
        return self.root.get_by_role("button", name=button_name(name)).nth(nth)

    def click(self, name: str | re.Pattern[str], nth: int = 0) -> None:
        self.button(name, nth).click()
        self.app.settle()

    def feedback(self) -> Locator:
        """The exercise's own feedback line (not a question card's or a confirmation's)."""
        return self.root.locator(":scope > .widget-html .coop-feedback")

    def feedback_kind(self) -> str:
        classes = self.feedback().get_attribute("class") or ""
        kinds = [c[len("coop-") :] for c in classes.split() if c != "coop-feedback" and c.startswith("coop-")]
        return kinds[0] if kinds else ""

    def table(self, nth: int = 0) -> Locator:
        """The ``nth`` results table of the exercise."""
        return self.root.locator(".coop-results table.coop-table").nth(nth)


SERVER_LOG_PROBLEMS = ("Traceback", "Error at server while executing cell", "CellExecutionError")


@dataclass
class App:
    page: Page
    monitor: KernelMonitor
    notebook: Path
    server_log: Path | None = None
    log_offset: int = 0
    checked_problems: int = -1  # how many monitor problems the last check saw; -1: never checked

    def settle(self) -> None:
        self.monitor.wait_idle(self.page)

    def exercises(self) -> Locator:
        return self.page.locator(".coop-exercise")

    def exercise(self, title: str) -> Exercise:
        """The exercise whose heading is ``title``."""
        root = self.exercises().filter(has=self.page.locator(".coop-title", has_text=title)).first
        expect(root).to_be_visible()
        return Exercise(self, root)

    def exercise_with(self, selector: str) -> Exercise:
        """The first exercise containing an element matching ``selector`` (e.g. ``.coop-question-card``)."""
        root = self.exercises().filter(has=self.page.locator(selector)).first
        expect(root).to_be_visible()
        return Exercise(self, root)

    @contextmanager
    def changes(self, locator: Locator, timeout_ms: int = 20_000) -> Iterator[None]:
        """Assert that the text of ``locator`` differs after the block from before it."""
        before = locator.inner_text()
        yield
        deadline = time.monotonic() + timeout_ms / 1000
        while time.monotonic() < deadline:
            if locator.inner_text() != before:
                return
            self.page.wait_for_timeout(100)
        raise AssertionError(f"expected the text to change, still:\n{before[:1000]}")

    def screenshot(self, suffix: str = "") -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        name = str(self.notebook.with_suffix("")).replace("/", "__") + (f"--{suffix}" if suffix else "")
        path = ARTIFACTS / f"{name}.png"
        # Voila's lab template scrolls inside a container, so a "full page" screenshot is only
        # the viewport: make the viewport as tall as the tallest scrolling content instead.
        viewport = self.page.viewport_size or {"width": 1280, "height": 900}
        height = self.page.evaluate(
            "() => Math.max(document.documentElement.scrollHeight,"
            " ...[...document.querySelectorAll('*')].filter(e => e.scrollHeight > e.clientHeight + 4"
            " && ['auto', 'scroll'].includes(getComputedStyle(e).overflowY)).map(e => e.scrollHeight + 100))"
        )
        self.page.set_viewport_size(
            {"width": viewport["width"], "height": min(max(int(height), viewport["height"]), 20_000)}
        )
        try:
            self.page.wait_for_timeout(300)
            self.page.screenshot(path=str(path), full_page=True)
        finally:
            self.page.set_viewport_size(viewport)
        return path

    # --- the saved-work bar at the top of every page -------------------------------------------

    def saved_work(self) -> Exercise:
        """The saved-work bar (name, Open my work, download and upload of the work file)."""
        root = self.page.locator(".coop-saved-work").first
        expect(root).to_be_visible()
        return Exercise(self, root)

    def open_work(self, name: str, pin: str = "") -> Exercise:
        """Type a learner or group name and press "Open my work", the way a learner does; where the
        name already has saved work, confirm it is ours (with its PIN); wait until the bar says
        work is saved under that name."""
        from coopcourse.text import text

        bar = self.saved_work()
        box = bar.field(text("saving.name_label"))
        box.fill(name)
        bar.click(text("saving.open"))
        confirm = bar.button(text("saving.confirm_open"))
        expect(
            confirm.or_(bar.feedback().filter(has_text=text("saving.opened", name="", restored=0)[:15]))
        ).to_be_visible()
        if confirm.is_visible():
            if pin:
                bar.field(text("saving.pin_label")).fill(pin)
            confirm.click()
            self.settle()
        expect(bar.feedback()).to_contain_text(text("saving.opened", name=" ".join(name.split()), restored=0)[:20])
        expect(bar.feedback()).to_contain_text(" ".join(name.split()))
        return bar

    def download_work(self) -> tuple[str, bytes]:
        """Press "Download all my work" in the saved-work bar and save the offered file."""
        from coopcourse.text import text

        bar = self.saved_work()
        bar.click(text("saving.prepare_download"))
        return self.download(bar.root.locator("a.coop-download"))

    def upload_work(self, path: Path) -> Exercise:
        """Choose ``path`` in the bar's "Upload a work file" button."""
        from coopcourse.text import text

        bar = self.saved_work()
        # ipywidgets' FileUpload keeps its <input type=file> out of the page and clicks it from
        # the button, so the file goes through the browser's file chooser.
        with self.page.expect_file_chooser() as chooser:
            bar.button(re.compile(r"^\W*" + re.escape(text("saving.upload")))).click()
        chooser.value.set_files(str(path))
        self.settle()
        return bar

    def download(self, link: Locator, timeout_ms: int = 30_000) -> tuple[str, bytes]:
        """Click a download link and return the file's suggested name and its bytes."""
        expect(link).to_be_visible()
        with self.page.expect_download(timeout=timeout_ms) as info:
            link.click()
        download = info.value
        return download.suggested_filename, Path(download.path()).read_bytes()

    def assert_no_errors(self) -> None:
        """Nothing on the page says something went wrong."""
        page = self.page
        problems = []
        for selector, what in [
            (".voila-error", "a Voila error"),
            (".coop-internal", "an internal-error message from the course code"),
            ('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]', "stderr output"),
            (".jp-RenderedText[data-mime-type='application/vnd.jupyter.error']", "an error output"),
        ]:
            count = page.locator(selector).count()
            if count:
                problems.append(f"{count} x {what} ({selector}): {page.locator(selector).first.inner_text()[:1000]}")
        body = page.locator("body").inner_text()
        if "Traceback" in body:
            problems.append("the page shows a Traceback")
        if "There was an error when executing cell" in body:
            problems.append("Voila reports an error while executing a cell")
        if "Loading widget..." in body:
            problems.append("a widget never rendered: the page still says 'Loading widget...'")
        problems += self.server_problems()
        problems += self.monitor.problems
        self.checked_problems = len(self.monitor.problems)
        assert not problems, f"{self.notebook}:\n" + "\n".join(problems)

    def server_problems(self) -> list[str]:
        """Errors the Voila server logged since the page was opened (cells that failed while
        rendering are logged there; the page itself only shows a short notice)."""
        if self.server_log is None or not self.server_log.exists():
            return []
        with self.server_log.open(encoding="utf-8", errors="replace") as log:
            log.seek(self.log_offset)
            new = log.read()
            self.log_offset = log.tell()
        return [
            f"the Voila server logged {marker!r}:\n{new[-3000:]}" for marker in SERVER_LOG_PROBLEMS if marker in new
        ][:1]


def open_page(page: Page, base_url: str, notebook: Path, server_log: Path | None = None) -> App:
    """Render ``notebook`` in ``page`` (with a new ``KernelMonitor``) and return the ``App``: what the
    ``open_app`` fixture does, for tests that open pages in several browser contexts or servers."""
    monitor = KernelMonitor()
    monitor.attach(page)
    offset = server_log.stat().st_size if server_log is not None and server_log.exists() else 0
    page.goto(render_url(base_url, notebook), timeout=TIMEOUT_MS)
    wait_rendered(page, notebook)
    app = App(page, monitor, notebook, server_log, offset)
    app.settle()
    return app


def render_url(base_url: str, notebook: Path) -> str:
    return f"{base_url}/voila/render/{notebook.as_posix()}"


def wait_rendered(page: Page, notebook: Path) -> None:
    """Wait until Voila has rendered the notebook and every exercise is on the page."""
    page.wait_for_load_state("load")
    expected = exercise_cells(notebook)
    if expected:
        page.wait_for_function(
            "n => document.querySelectorAll('.coop-exercise').length >= n", arg=expected, timeout=TIMEOUT_MS
        )
    elif has_widgets(notebook):
        page.wait_for_selector(".jupyter-widgets", timeout=TIMEOUT_MS)
    # The lab template shows a spinner while the kernel starts and the cells run.
    page.wait_for_selector("#loading", state="hidden", timeout=TIMEOUT_MS)
