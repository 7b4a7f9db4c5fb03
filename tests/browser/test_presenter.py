"""Presenter view: a module as reveal.js slides (``?template=coop-reveal``), on a projector.

From the landing page, for one module of each part (the first with a typed-number exercise):
- the landing page has a presenter link for every module, and the part's link opens the deck;
- the deck has several slides, and the right arrow moves to the next one (reveal.js keeps the
  bundle's ``Reveal`` to itself, so the present slide is read from the DOM and the URL);
- N (and S) show and hide the facilitator guide's notes for the slide, and open no other window;
- every exercise is rendered in a slide that starts with a heading, live: typing a number changes
  its results; a slide taller than the screen scrolls (the down arrow moves it);
- the page, the kernel and the server show no error (``App.assert_no_errors``), and no request
  leaves the serving host (``RequestLog`` of ``test_offline.py``).
Screenshots at 1920x1080 (a projector) land in ``test-artifacts/presenter--*.png``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import nbformat
import pytest
from playwright.sync_api import expect

from coopcourse import content
from coopcourse.handouts.speaker_notes import module_notes
from coopcourse.text import speaking
from tests.browser.test_offline import RequestLog, external_loads
from tests.browser.voila_app import (
    ARTIFACTS,
    COURSE,
    EXERCISE_CALL,
    App,
    KernelMonitor,
    course_notebooks,
    render_url,
    translated_notebooks,
    wait_rendered,
)

TEMPLATE = "coop-reveal"
PROJECTOR = {"width": 1920, "height": 1080}
INDEX = Path("index.ipynb")
PRESENT = ".reveal .slides > section.present"  # the present stack of slides (one per heading)
NUMBER = re.compile(r"^\s*-?\d[\d,]*(\.\d+)?\s*$")
# Modules live in a part's folder (think_coop/...); the landing page and the glossary are not modules.
MODULES = [notebook for notebook in course_notebooks() if len(notebook.parts) == 2]


def _exercise_calls(notebook: Path) -> list[str]:
    """The code cells showing an exercise: ``think_coop.joint_purchasing()``, and also
    ``from coopcourse.exercises.manage_coop import finance`` / ``finance.financial_statements()``."""
    nb = nbformat.read(COURSE / notebook, as_version=4)
    return [
        cell.source
        for cell in nb.cells
        if cell.cell_type == "code" and (EXERCISE_CALL.search(cell.source) or "coopcourse.exercises" in cell.source)
    ]


def _module_per_part() -> list[Path]:
    """The first module of each part with an exercise other than a self-check quiz (those have
    fields to type numbers into)."""
    chosen: dict[str, Path] = {}
    for notebook in MODULES:
        part = notebook.parts[0]
        if part not in chosen and any("self_check(" not in call for call in _exercise_calls(notebook)):
            chosen[part] = notebook
    return list(chosen.values())


@pytest.fixture
def projector(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport=PROJECTOR)  # type: ignore[attr-defined]
    context.set_default_timeout(30_000)
    page = context.new_page()
    yield page
    context.close()


def _presenter_links(page: object) -> dict[str, str]:
    """{notebook relative to course/: absolute URL} of the landing page's presenter links."""
    links = {}
    for href in page.locator(f'a[href*="template={TEMPLATE}"]').evaluate_all("els => els.map(e => e.href)"):  # type: ignore[attr-defined]
        path = urlsplit(href).path
        assert parse_qs(urlsplit(href).query).get("template") == [TEMPLATE], href
        links[path.split("/voila/render/", 1)[1]] = href
    return links


def _present(page: object) -> dict:
    """Which slide is shown: reveal's URL fragment and the present stack's position."""
    return page.evaluate(  # type: ignore[attr-defined]
        f"""() => {{ const stacks = [...document.querySelectorAll('.reveal .slides > section')];
                     const present = document.querySelector('{PRESENT}');
                     return {{hash: location.hash, index: stacks.indexOf(present), count: stacks.length,
                              scrollTop: present ? present.scrollTop : -1,
                              overflowing: present ? present.scrollHeight > present.clientHeight + 1 : false}}; }}"""
    )


def _shot(page: object, notebook: Path, suffix: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"presenter--{str(notebook.with_suffix('')).replace('/', '__')}--{suffix}.png"
    page.screenshot(path=str(path))  # type: ignore[attr-defined]
    return path


def test_landing_page_has_a_presenter_link_for_every_module(projector, voila_server: str) -> None:
    page = projector
    page.goto(render_url(voila_server, INDEX), timeout=60_000)
    wait_rendered(page, INDEX)
    links = _presenter_links(page)
    assert sorted(links) == sorted(m.as_posix() for m in MODULES), (
        f"presenter links on the landing page: {sorted(links)}; modules: {[m.as_posix() for m in MODULES]}"
    )
    for notebook, href in links.items():
        assert href == urljoin(render_url(voila_server, INDEX), f"{notebook}?template={TEMPLATE}")
        assert page.locator(f'a[href="{notebook}?template={TEMPLATE}"]').first.is_visible(), notebook


@pytest.mark.parametrize("notebook", _module_per_part(), ids=lambda p: p.as_posix())
def test_module_as_slides_with_live_exercises(
    projector, voila_server: str, voila_log_path: Path, notebook: Path
) -> None:
    page = projector
    requests, monitor = RequestLog(), KernelMonitor()
    requests.attach(page)
    monitor.attach(page)  # type: ignore[arg-type]
    offset = voila_log_path.stat().st_size if voila_log_path.exists() else 0

    # From the landing page, as a trainer does: the module's presenter link.
    page.goto(render_url(voila_server, INDEX), timeout=60_000)
    wait_rendered(page, INDEX)
    link = page.locator(f'a[href="{notebook.as_posix()}?template={TEMPLATE}"]').first
    link.click(timeout=60_000)
    page.wait_for_url(f"**/voila/render/{notebook.as_posix()}?template={TEMPLATE}*", timeout=60_000)
    wait_rendered(page, notebook)
    expected = len(_exercise_calls(notebook))
    page.wait_for_function("n => document.querySelectorAll('.coop-exercise').length >= n", arg=expected, timeout=60_000)
    page.wait_for_selector(".reveal.ready", timeout=60_000)
    app = App(page, monitor, notebook, voila_log_path, offset)  # type: ignore[arg-type]
    app.settle()

    # The deck: several slides, one per H1/H2 heading, the first shown first.
    first = _present(page)
    assert first["count"] > 1, f"{notebook}: only {first['count']} slide(s) in the deck"
    assert first["index"] == 0, first
    overflow = page.locator(PRESENT).evaluate("e => getComputedStyle(e).overflowY")
    assert overflow in ("auto", "scroll"), f"a long slide would be cut off (overflow-y {overflow})"
    _shot(page, notebook, "1-title")

    # N shows the facilitator guide's notes for the title slide (what to prepare) and hides them;
    # S does the same and opens no speaker window (it would load the deck, and a kernel, twice more).
    materials = module_notes(notebook.stem)["materials"]
    notes = page.locator(".reveal .speaker-notes")
    page.keyboard.press("n")
    expect(notes).to_be_visible()
    expect(notes).to_contain_text(materials[0])
    _shot(page, notebook, "1-title-notes")
    page.keyboard.press("n")
    expect(notes).to_be_hidden()
    page.keyboard.press("s")
    expect(notes).to_be_visible()
    page.keyboard.press("s")
    expect(notes).to_be_hidden()
    assert len(page.context.pages) == 1, "a key opened another window"  # type: ignore[attr-defined]

    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"() => document.querySelector('{PRESENT}') !== null && location.hash !== {first['hash']!r}")
    second = _present(page)
    assert second["index"] == 1, f"the right arrow did not move to the next slide: {first} -> {second}"

    # Every exercise is in a slide that starts with its heading.
    exercises = page.locator(".reveal .slides section .coop-exercise")
    assert exercises.count() >= expected, f"{exercises.count()} exercises in the slides, expected {expected}"
    in_slide_with_heading = page.evaluate(
        """() => [...document.querySelectorAll('.coop-exercise')].map(e => {
                 const slide = e.closest('.reveal .slides section section');
                 return !!slide && !!slide.querySelector('h1, h2'); })"""
    )
    assert all(in_slide_with_heading), f"an exercise is not on a slide with a heading: {in_slide_with_heading}"

    # Move on with the right arrow to the first slide with a number to type, as a trainer does.
    number_box = f"{PRESENT} .coop-exercise input"
    for _ in range(first["count"]):
        boxes = page.locator(number_box)
        values = [boxes.nth(i).input_value() for i in range(boxes.count())]
        if any(NUMBER.match(value) for value in values):
            break
        before = _present(page)["index"]
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            f"i => [...document.querySelectorAll('.reveal .slides > section')]"
            f".indexOf(document.querySelector('{PRESENT}')) !== i",
            arg=before,
        )
    else:
        pytest.fail(f"{notebook}: no slide with a number field in an exercise")
    slide = _present(page)
    _shot(page, notebook, f"2-slide{slide['index'] + 1}")

    # A long slide scrolls with the down arrow (reveal.js has no vertical slides here).
    if slide["overflowing"]:
        page.keyboard.press("ArrowDown")
        page.wait_for_function(f"() => document.querySelector('{PRESENT}').scrollTop > 0")
        _shot(page, notebook, f"3-slide{slide['index'] + 1}-scrolled")

    # Live: type a number into the exercise on the slide and its results change.
    index = next(i for i, value in enumerate(values) if NUMBER.match(value))
    box = page.locator(number_box).nth(index)
    exercise = box.locator("xpath=ancestor::*[contains(concat(' ', @class, ' '), ' coop-exercise ')][1]")
    box.scroll_into_view_if_needed()
    new = str(int(float(values[index].replace(",", ""))) + 7)
    with app.changes(exercise):
        box.fill(new)
        box.press("Enter")
        app.settle()
    assert box.input_value() == new
    box.scroll_into_view_if_needed()
    _shot(page, notebook, f"4-slide{slide['index'] + 1}-typed")
    assert _present(page)["index"] == slide["index"], "typing into an exercise changed the slide"

    app.assert_no_errors()
    foreign = requests.foreign(voila_server)
    assert not foreign, "the presenter view asked for addresses outside the serving host:\n  " + "\n  ".join(foreign)
    loads = external_loads(page.content(), voila_server)
    assert not loads, "the presenter view's page loads from another host:\n  " + "\n  ".join(loads)


TRANSLATED_DECKS = sorted(
    {
        notebook.parts[0]: notebook
        for notebook in translated_notebooks()
        if notebook.name == "02_collective_action.ipynb"
    }.items()
)


@pytest.mark.parametrize(("language", "notebook"), TRANSLATED_DECKS, ids=[language for language, _ in TRANSLATED_DECKS])
def test_a_translated_deck_has_the_guides_notes_in_its_language(
    projector, voila_server: str, language: str, notebook: Path
) -> None:
    """One server renders English, Spanish and French decks: each gets the facilitator notes in its
    own language, on its title slide and on each activity's slide."""
    page = projector
    page.goto(f"{render_url(voila_server, notebook)}?template={TEMPLATE}", timeout=60_000)
    wait_rendered(page, notebook)
    page.wait_for_selector(".reveal.ready", timeout=60_000)
    expect(page.locator("html")).to_have_attribute("lang", language)
    with speaking(language):
        notes = module_notes(notebook.stem)
    english = content.load("facilitator", "en")["modules"]["think_coop/02_collective_action"]
    assert notes["materials"][0] != english["materials"][0]
    asides = page.locator(".reveal aside.notes")
    written = " ".join(asides.evaluate_all("els => els.map(e => e.textContent)"))
    assert notes["materials"][0] in written
    for number, activity in notes["activities"].items():
        assert activity["notes"][0] in written, f"activity {number}'s notes are not on its slide"
    page.keyboard.press("n")
    expect(page.locator(".reveal .speaker-notes")).to_contain_text(notes["materials"][0])
    _shot(page, notebook, "notes")
