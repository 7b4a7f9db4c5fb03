"""Every notebook of the course renders as a Voila app without any error.

Parametrised by discovery: a new notebook under course/ is tested without touching this file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from coopcourse.formatting import whole
from coopcourse.text import speaking, text
from tests.browser.voila_app import course_notebooks, exercise_cells, translated_languages, translated_notebooks
from tests.english import english_lines


@pytest.mark.parametrize("notebook", course_notebooks(), ids=lambda p: p.as_posix())
def test_notebook_renders_without_errors(open_app, notebook: Path) -> None:
    app = open_app(notebook)
    app.screenshot()
    assert app.exercises().count() >= exercise_cells(notebook)
    assert app.monitor.sockets or not exercise_cells(notebook), "the page never connected to its kernel"
    app.assert_no_errors()


def test_course_has_notebooks() -> None:
    assert course_notebooks(), "no notebook found under course/"


def test_server_uses_repository_settings(open_app, voila_log_path: Path) -> None:
    """The running server read voila.json: kernels are culled (the culler starts with the first
    kernel and logs its settings), and sources are stripped from the page."""
    notebook = next((n for n in course_notebooks() if exercise_cells(n)), None)
    if notebook is None:
        pytest.skip("no notebook with an exercise yet")
    app = open_app(notebook)
    log = voila_log_path.read_text(encoding="utf-8")
    assert "Culling kernels with idle durations > 900 seconds at 60 second intervals" in log, log[-3000:]
    assert "think_coop." not in app.page.content(), "code cells are shown: strip_sources is off"


def test_the_english_check_finds_an_english_sentence() -> None:
    assert english_lines("Socios\nThe group decides what each member will pay and when.\nP. Kenkel, 'The Free Rider'")
    assert not english_lines(
        "Cuando las personas trabajan juntas, pueden conseguir cosas.\nKenkel, 'Cooperatives and the Free Rider Problem'"
    )


@pytest.mark.parametrize("notebook", translated_notebooks(), ids=lambda p: p.as_posix())
def test_a_translated_page_renders_in_its_language(open_app, notebook: Path) -> None:
    """A Spanish or French page: no error, its exercises, <html lang>, links to the other
    languages, and no sentence left in English (text, widgets, messages)."""
    language, english = notebook.parts[0], Path(*notebook.parts[1:])
    app = open_app(notebook)
    app.screenshot()
    assert app.exercises().count() >= exercise_cells(english)
    app.assert_no_errors()
    assert app.page.locator("html").get_attribute("lang") == language
    links = app.page.locator("nav.coop-languages a")
    assert (
        links.count() >= 1 and app.page.locator("nav.coop-languages [aria-current]").get_attribute("lang") == language
    )
    left = english_lines(app.page.locator("#rendered_cells").inner_text())
    assert not left, f"{notebook}: English left on the page:\n" + "\n".join(left[:20])


@pytest.mark.parametrize("language", translated_languages())
def test_numbers_are_typed_and_shown_as_the_pages_language_writes_them(open_app, language: str) -> None:
    """On a Spanish or French page the comma is the decimal mark: 12.500 (or 12 500) is twelve
    thousand five hundred and shows as the language writes it; 1,234 could be either and is refused
    with a message in the page's language, the results kept as they were."""
    app = open_app(Path(language) / "think_coop" / "02_collective_action.ipynb")
    with speaking(language):
        exercise = app.exercise(text("joint_purchasing.title"))
        quantity = text("joint_purchasing.quantity")
        thousands = whole(12_500)  # "12.500", "12 500" (a narrow no-break space in French)
        ambiguous = text("error.ambiguous_number", label=quantity, thousands=whole(1234), decimals="1,2340")
    table = exercise.table()
    typed = "12.500" if language == "es" else "12 500"
    with app.changes(table):
        exercise.type_into(quantity, typed)
    expect(exercise.field_error(quantity)).to_have_count(0)
    expect(table).to_contain_text(thousands)
    shown = table.inner_text()
    exercise.type_into(quantity, "1,234")
    expect(exercise.field_error(quantity)).to_have_text(ambiguous)
    assert table.inner_text() == shown, "a refused number changed the results"
    app.assert_no_errors()
