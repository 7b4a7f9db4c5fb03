"""A page whose kernel is gone says so in words, and typed text is saved while typing.

The course template (`coop/connection.html.j2`):
- shows a banner at the top (role=alert) when the page's kernel is gone or cannot be reached,
  with a note at the exercise in use, and takes it away when a short drop reconnects;
- hides ipywidgets' broken-link icon, which was drawn before every widget of a dead page and
  pushed every label, box and button aside;
- sends what is typed in an exercise's text box to the kernel about a second after the last key,
  so a reload (or a closed lid) with the cursor still in the box keeps the text.
"""

from __future__ import annotations

import json
import os
import re
import signal
import time
from pathlib import Path

from playwright.sync_api import Page, WebSocket, expect

from coopcourse import content
from coopcourse.text import text
from tests.browser.voila_app import (
    ARTIFACTS,
    REPO,
    TIMEOUT_MS,
    App,
    decode_frame,
    exercise_cells,
    msg_type,
    render_url,
    wait_rendered,
)
from tests.forking import kernel_pids

NOTEBOOK = Path("start_coop/01_core_group_and_business_idea.ipynb")
WORDS = json.loads((REPO / "widgets/share/jupyter/voila/templates/coop/words/en.json").read_text(encoding="utf-8"))
BANNER = ".coop-connection"


def _kernel_id(page: Page) -> str:
    return json.loads(page.locator("#jupyter-config-data").text_content() or "{}")["kernelId"]


def _shot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"connection--{name}.png"
    page.screenshot(path=str(path))
    return path


def _widget_boxes(page: Page) -> list[list[float]]:
    """Every shown widget of every exercise: where it sits in its exercise, and its size."""
    return page.evaluate("""() => {
        const boxes = [];
        for (const exercise of document.querySelectorAll('.coop-exercise')) {
            const origin = exercise.getBoundingClientRect();
            for (const widget of exercise.querySelectorAll('.jupyter-widgets')) {
                const box = widget.getBoundingClientRect();
                if (box.width === 0 && box.height === 0) continue;  // not shown (a style sheet)
                boxes.push([box.x - origin.x, box.y - origin.y, box.width, box.height]);
            }
        }
        return boxes;
    }""")


def _assert_banner(page: Page, *, trying: bool) -> None:
    banner = page.locator(BANNER)
    expect(banner).to_be_visible(timeout=30_000)
    assert banner.get_attribute("role") == "alert"
    for key in ("lost_title", "lost_saved", "lost_copy", "lost_reload"):
        expect(banner).to_contain_text(WORDS[key])
    trying_line = banner.locator(".coop-connection-trying")
    if trying:
        expect(trying_line).to_be_visible()
    else:
        expect(trying_line).to_be_hidden()
    expect(banner.get_by_role("button", name=WORDS["reload_button"])).to_be_visible()
    # At the top of the window, large, white on dark red.
    box = banner.bounding_box()
    assert box is not None and box["y"] <= 1, f"the banner is not at the top of the window: {box}"
    style = banner.evaluate(
        "e => [getComputedStyle(e).fontSize, getComputedStyle(e).color, getComputedStyle(e).backgroundColor]"
    )
    assert float(style[0].rstrip("px")) >= 18 and style[1:] == ["rgb(255, 255, 255)", "rgb(138, 28, 18)"], style


def _focus_core_group(app: App) -> None:
    exercise = app.exercise(text("core_group.title"))
    exercise.field(text("core_group.member_name")).click()


def test_a_stopped_kernel_is_told_in_words(open_app, page: Page, voila_server: str) -> None:
    """The kernel stopped on the server (as culling or a facilitator does): the page's websocket
    stays open and nothing is said on it, yet the page tells the group as soon as they act."""
    app = open_app(NOTEBOOK)
    expect(page.locator(BANNER)).to_be_empty()
    _focus_core_group(app)
    # Culling stops only an idle kernel. Stopped while busy, its last word stays "busy" and the
    # teardown's wait for an idle kernel fails (seen once in CI).
    app.settle()
    assert page.context.request.delete(f"{voila_server}/api/kernels/{_kernel_id(page)}").status == 204
    app.monitor.kernel_stopped()
    page.keyboard.type("Amina")  # the group goes on typing; nothing reaches the kernel any more
    _assert_banner(page, trying=False)
    note = page.locator(".coop-connection-note")
    expect(note).to_have_count(1)
    expect(note).to_have_text(WORDS["exercise_note"])
    # The note stands just before the exercise the group was typing in.
    assert note.evaluate("n => n.nextElementSibling.querySelector('.coop-title').textContent") == text(
        "core_group.title"
    )
    _shot(page, "kernel-stopped")
    app.assert_no_errors()


def test_a_killed_kernel_is_told_and_the_widgets_keep_their_place(open_app, page: Page) -> None:
    """The kernel's process dies: the server starts a new kernel, which holds none of the page's
    widgets; ipywidgets marks every widget disconnected. The banner says so, and the widgets stay
    where they were (ipywidgets' broken-link icon used to push every one of them aside)."""
    app = open_app(NOTEBOOK)
    _focus_core_group(app)
    before = _widget_boxes(page)
    assert len(before) > 50
    kernel = _kernel_id(page)
    pids = kernel_pids(kernel)
    assert pids, f"no process of kernel {kernel}"
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    expect(page.locator(".jupyter-widgets-disconnected").first).to_be_attached(timeout=30_000)
    _assert_banner(page, trying=False)
    disconnected = page.locator(".jupyter-widgets-disconnected").count()
    assert disconnected > 50, f"only {disconnected} widgets marked disconnected"
    after = _widget_boxes(page)
    moved = [(b, a) for b, a in zip(before, after) if any(abs(x - y) > 1 for x, y in zip(b, a))]
    assert len(after) == len(before) and not moved, (
        f"{len(moved)} of {len(before)} widgets moved or changed size, e.g. {moved[:3]}"
    )
    _shot(page, "kernel-killed")
    app.assert_no_errors()


def test_a_short_drop_shows_the_banner_and_takes_it_away(open_app, page: Page) -> None:
    """The course computer cannot be reached (the Wi-Fi went away): the banner says so and that
    the page is trying again; when the connection is back the banner goes by itself."""
    app = open_app(NOTEBOOK)
    page.context.set_offline(True)
    try:
        page.wait_for_timeout(3_500)  # the page asks again when the group acts after a quiet spell
        _focus_core_group(app)
        _assert_banner(page, trying=True)
        expect(page.locator(BANNER)).to_contain_text(WORDS["trying"])
        _shot(page, "offline")
    finally:
        page.context.set_offline(False)
    expect(page.locator(BANNER)).to_be_empty(timeout=20_000)
    expect(page.locator(".coop-connection-note")).to_have_count(0)
    app.assert_no_errors()


def test_the_presenter_view_tells_it_too(page: Page, voila_server: str) -> None:
    """The slides (``?template=coop-reveal``) include the same banner, over the slides."""
    page.goto(render_url(voila_server, NOTEBOOK) + "?template=coop-reveal", timeout=TIMEOUT_MS)
    page.wait_for_function(
        "n => document.querySelectorAll('.coop-exercise').length >= n", arg=exercise_cells(NOTEBOOK), timeout=TIMEOUT_MS
    )
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.widgetManager", timeout=TIMEOUT_MS)
    expect(page.locator(BANNER)).to_be_empty()
    assert page.context.request.delete(f"{voila_server}/api/kernels/{_kernel_id(page)}").status == 204
    page.keyboard.press("ArrowRight")  # the presenter moves on
    _assert_banner(page, trying=False)
    _shot(page, "presenter")


class _SentValues:
    """Every text value the page sends to the kernel for a widget: a box's comm ``update``, or
    a rows editor's ``typed`` message (its cells are not widgets of their own)."""

    def __init__(self, page: Page) -> None:
        self.values: list[str] = []
        page.on("websocket", self._on_websocket)

    def _on_websocket(self, ws: WebSocket) -> None:
        if "/api/kernels/" in ws.url:
            ws.on("framesent", self._on_frame)

    def _on_frame(self, payload: str | bytes) -> None:
        msg = decode_frame(payload)
        if msg is None or msg_type(msg) != "comm_msg":
            return
        data = (msg.get("content") or {}).get("data") or {}
        value = (data.get("state") or {}).get("value")
        if data.get("method") == "update" and isinstance(value, str):
            self.values.append(value)
        custom = data.get("content") or {}
        if data.get("method") == "custom" and custom.get("event") == "typed" and isinstance(custom.get("text"), str):
            self.values.append(custom["text"])


def test_typed_text_is_saved_without_leaving_the_box(open_app, page: Page, voila_server: str) -> None:
    """Type a member's name and the group's needs, leave the cursor in the box, reload: the text
    is back. Typing is sent once per pause, not once per key, and the box is left as typed."""
    sent = _SentValues(page)
    app = open_app(NOTEBOOK)
    group = f"Reload test {time.time_ns()}"
    app.open_work(group)
    exercise = app.exercise(text("core_group.title"))
    name = "Amina Diallo"
    box = exercise.field(text("core_group.member_name"))
    box.click()
    page.keyboard.type(name, delay=60)
    # The kernel has the name without the box being left: the exercise counts one member, and no
    # competency is ticked yet, so every competency of the course's list is still missing.
    missing = len(content.load("start_coop")["lists"]["competencies"])
    summary = text("core_group.summary_gaps", members=1, missing=missing)
    expect(exercise.feedback()).to_contain_text(summary, timeout=5_000)
    assert [v for v in sent.values if v and name.startswith(v)] == [name], (
        f"typing should be sent once, after the pause: {sent.values}"
    )
    needs = "We sell our honey to one trader"
    area = exercise.field(text("core_group.common_needs"))
    area.click()
    page.keyboard.type(needs, delay=40)
    page.wait_for_timeout(3_000)
    # Still typing: the cursor is where it was, the text as typed, nothing sent changed the box.
    assert area.evaluate("a => [document.activeElement === a, a.value, a.selectionStart]") == [True, needs, len(needs)]
    page.keyboard.type(" at a low price", delay=40)
    assert area.input_value() == needs + " at a low price"
    page.wait_for_timeout(3_000)
    _shot(page, "typed-before-reload")

    page.reload()
    wait_rendered(page, NOTEBOOK)
    reloaded = App(page, app.monitor, NOTEBOOK)
    reloaded.settle()
    reloaded.open_work(group)
    exercise = reloaded.exercise(text("core_group.title"))
    expect(exercise.field(text("core_group.member_name"))).to_have_value(name)
    expect(exercise.field(text("core_group.common_needs"))).to_have_value(needs + " at a low price")
    exercise.root.scroll_into_view_if_needed()
    _shot(page, "typed-after-reload")
    reloaded.assert_no_errors()


def test_the_name_box_waits_for_open(open_app, page: Page) -> None:
    """The saved-work bar opens work as soon as its name changes: a pause while typing a group's
    name must not open work under half a name."""
    sent = _SentValues(page)
    app = open_app(NOTEBOOK)
    bar = app.saved_work()
    bar.field(text("saving.name_label")).click()
    page.keyboard.type("River", delay=60)
    page.wait_for_timeout(3_000)
    assert "River" not in sent.values
    expect(bar.feedback()).to_contain_text(re.compile(re.escape(text("saving.not_saving_yet")[:20])))
