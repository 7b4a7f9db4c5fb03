"""Layout: the landing page and one app per part read well on a phone and on a projector.

Each page is rendered on a phone (390x844 CSS pixels, device scale factor 2, mobile) and on a
projector (1920x1080, then 1280x720 on the same page). On every size:

- the document does not scroll sideways: Voila's lab template scrolls inside a container
  (``#rendered_cells``), so that container, and every other scrolling element, has
  ``scrollWidth <= clientWidth + 1``;
- every field, button, label, message, image and table wrapper of an exercise (and of the
  saved-work bar) lies inside the exercise's own box, and nothing inside it is cut off or
  scrolls sideways (ipywidgets boxes clip what overflows them); only a table wider than the box
  scrolls, inside its ``.coop-table-scroll`` wrapper; no label, button or message holds more
  text than its box is tall (ipywidgets fixes many at one line: longer text spilled over the
  next option);
- on a projector, no text on the page is smaller than 14 CSS pixels (at the back of a room).

Screenshots land in ``test-artifacts/layout--<page>--<size>.png`` (the whole page, and the
first exercise on its own): look at them after a change to ``course.css``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.voila_app import ARTIFACTS, App, KernelMonitor, render_url, translated_notebooks, wait_rendered

PAGES = [
    Path("index.ipynb"),
    Path("think_coop/02_collective_action.ipynb"),  # joint purchasing, shared equipment
    Path("think_coop/04_what_is_a_cooperative.ipynb"),  # question cards: radio buttons, hints
    Path("think_coop/05_is_a_cooperative_right_for_us.ipynb"),  # toggle buttons, a chart
    Path("start_coop/02_feasibility.ipynb"),  # feasibility calculator
    Path("manage_coop/06_financial_management.ipynb"),  # surplus distribution, statements
]
# Translations run longer than the English: on a phone, the same pages of each translation's sample.
PHONE_PAGES = PAGES + [notebook for notebook in translated_notebooks() if Path(*notebook.parts[1:]) in PAGES]
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
PROJECTORS = [{"width": 1920, "height": 1080}, {"width": 1280, "height": 720}]
SMALLEST_PROJECTED_TEXT_PX = 14
TALLEST_SCREENSHOT_PX = 16_000

# Everything that must stay inside its exercise's box, and the exercise-like boxes themselves.
BOXES = ".coop-exercise, .coop-saved-work"
CONTENTS = (
    "input:not([type=file]), select, textarea, button, img, .coop-table-scroll, .coop-feedback, "
    ".widget-label, .coop-field, .coop-row, .coop-figure"
)

LAYOUT = """([boxes, contents]) => {
  const problems = [];
  const visible = el => {
    if (el.closest('.coop-sr-only')) return false;  // text for screen readers only
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  };
  const describe = el => {
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || el.getAttribute('alt') || '').trim();
    return `<${el.tagName.toLowerCase()} class="${el.className}"> ${JSON.stringify(text.slice(0, 60))}`;
  };
  const cells = document.getElementById('rendered_cells');
  const scrollers = [document.scrollingElement, ...document.querySelectorAll('*')].filter(el => {
    const style = getComputedStyle(el);
    return el === document.scrollingElement
      || (['auto', 'scroll'].includes(style.overflowY) && el.scrollHeight > el.clientHeight + 4);
  });
  const container = scrollers.find(el => el !== document.scrollingElement && el.contains(cells))
    || document.scrollingElement;
  for (const el of [...new Set([document.scrollingElement, container, ...scrollers])]) {
    if (el.closest('.coop-table-scroll')) continue;
    if (el.scrollWidth > el.clientWidth + 1)
      problems.push(`scrolls sideways: ${el === document.scrollingElement ? 'the document' : describe(el)}`
                    + ` (scrollWidth ${el.scrollWidth} > clientWidth ${el.clientWidth})`);
  }
  for (const box of document.querySelectorAll(boxes)) {
    if (!visible(box)) continue;
    const outer = box.getBoundingClientRect();
    for (const el of box.querySelectorAll(contents)) {
      if (!visible(el)) continue;
      const r = el.getBoundingClientRect();
      if (r.left < outer.left - 1 || r.right > outer.right + 1)
        problems.push(`sticks out of its exercise (${Math.round(outer.left)}..${Math.round(outer.right)}): `
                      + `${describe(el)} at ${Math.round(r.left)}..${Math.round(r.right)}`);
    }
    for (const el of box.querySelectorAll('*')) {
      const style = getComputedStyle(el);
      if (el.closest('.coop-table-scroll') || !visible(el) || !['auto', 'scroll', 'hidden', 'clip'].includes(style.overflowX)
          || ['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON'].includes(el.tagName)) continue;
      if (el.scrollWidth > el.clientWidth + 1)
        problems.push(`is cut off or scrolls sideways inside its exercise: ${describe(el)}`
                      + ` (scrollWidth ${el.scrollWidth} > clientWidth ${el.clientWidth})`);
    }
    for (const el of box.querySelectorAll('label, button, .widget-html-content, .coop-feedback')) {
      if (!visible(el)) continue;
      if (el.scrollHeight > el.clientHeight + 2 && getComputedStyle(el).overflowY === 'visible')
        problems.push(`text taller than its box (it spills over what follows): ${describe(el)}`
                      + ` (scrollHeight ${el.scrollHeight} > clientHeight ${el.clientHeight})`);
    }
    for (const table of box.querySelectorAll('table')) {
      if (!visible(table)) continue;
      const r = table.getBoundingClientRect();
      if (r.right <= outer.right + 1) continue;
      const wrapper = table.closest('.coop-table-scroll');
      const scrolls = wrapper && ['auto', 'scroll'].includes(getComputedStyle(wrapper).overflowX)
        && wrapper.getBoundingClientRect().right <= outer.right + 1;
      if (!scrolls) problems.push(`a table wider than its exercise does not scroll in a wrapper: ${describe(table)}`);
    }
  }
  return {problems, container: container === document.scrollingElement ? 'document' : describe(container)};
}"""

SMALL_TEXT = """(smallest) => {
  const small = [];
  const walker = document.createTreeWalker(document.getElementById('rendered_cells') || document.body,
                                           NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!node.textContent.trim() || !el || el.closest('script, style, noscript')) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < smallest) small.push(`${size}px <${el.tagName.toLowerCase()} class="${el.className}"> `
                                    + JSON.stringify(node.textContent.trim().slice(0, 50)));
  }
  return small;
}"""


@pytest.fixture
def open_sized(browser: object, voila_server: str, voila_log_path: Path) -> Iterator:
    """``open_sized(notebook, **context_options)``: the notebook rendered in a fresh browser
    context of that size; at the end, the page and the kernel must be free of errors."""
    contexts, apps = [], []

    def _open(notebook: Path, **options: object) -> App:
        context = browser.new_context(**options)  # type: ignore[attr-defined]
        context.set_default_timeout(30_000)
        contexts.append(context)
        page = context.new_page()
        monitor = KernelMonitor()
        monitor.attach(page)
        offset = voila_log_path.stat().st_size if voila_log_path.exists() else 0
        page.goto(render_url(voila_server, notebook), timeout=60_000)
        wait_rendered(page, notebook)
        app = App(page, monitor, notebook, voila_log_path, offset)
        app.settle()
        apps.append(app)
        return app

    yield _open
    try:
        for app in apps:
            app.settle()
            app.assert_no_errors()
    finally:
        for context in contexts:
            context.close()


def check_layout(app: App, size: str) -> list[str]:
    app.page.wait_for_timeout(300)  # let the layout settle after a resize
    result = app.page.evaluate(LAYOUT, [BOXES, CONTENTS])
    assert result["container"] != "document" or app.page.evaluate(
        "() => document.scrollingElement.scrollHeight > document.scrollingElement.clientHeight"
    ), "found no element scrolling the cells"
    return [f"{app.notebook} at {size}: {problem}" for problem in result["problems"]]


def screenshots(app: App, size: str) -> list[Path]:
    """The whole page (the viewport grown to the height of the scrolling content, as Voila scrolls
    inside a container) and the first exercise alone."""
    ARTIFACTS.mkdir(exist_ok=True)
    stem = f"layout--{str(app.notebook.with_suffix('')).replace('/', '__')}--{size}"
    page = app.page
    viewport = page.viewport_size or {"width": 1280, "height": 900}
    height = page.evaluate(
        "() => Math.max(document.documentElement.scrollHeight,"
        " ...[...document.querySelectorAll('*')].filter(e => e.scrollHeight > e.clientHeight + 4"
        " && ['auto', 'scroll'].includes(getComputedStyle(e).overflowY)).map(e => e.scrollHeight + 100))"
    )
    page.set_viewport_size(
        {"width": viewport["width"], "height": min(max(int(height), viewport["height"]), TALLEST_SCREENSHOT_PX)}
    )
    paths = [ARTIFACTS / f"{stem}.png"]
    try:
        page.wait_for_timeout(300)
        page.screenshot(path=str(paths[0]), full_page=True)
        exercise = page.locator(".coop-exercise").first
        if exercise.count():
            paths.append(ARTIFACTS / f"{stem}--exercise.png")
            exercise.screenshot(path=str(paths[1]))
    finally:
        page.set_viewport_size(viewport)
    return paths


def label(notebook: Path) -> str:
    return notebook.as_posix()


@pytest.mark.parametrize("notebook", PHONE_PAGES, ids=label)
def test_reads_on_a_phone(open_sized, notebook: Path) -> None:
    app = open_sized(notebook, **PHONE)
    problems = check_layout(app, "phone")
    screenshots(app, "phone")
    assert not problems, f"{len(problems)} layout problem(s) on a phone:\n" + "\n".join(problems[:30])


@pytest.mark.parametrize("notebook", PAGES, ids=label)
def test_reads_on_a_projector(open_sized, notebook: Path) -> None:
    app = open_sized(notebook, viewport=PROJECTORS[0])
    problems: list[str] = []
    for viewport in PROJECTORS:
        size = f"{viewport['width']}x{viewport['height']}"
        app.page.set_viewport_size(viewport)
        problems += check_layout(app, size)
        small = app.page.evaluate(SMALL_TEXT, SMALLEST_PROJECTED_TEXT_PX)
        problems += [f"{notebook} at {size}: text smaller than {SMALLEST_PROJECTED_TEXT_PX}px: {s}" for s in small[:15]]
        screenshots(app, size)
    assert not problems, f"{len(problems)} layout problem(s) on a projector:\n" + "\n".join(problems[:40])
