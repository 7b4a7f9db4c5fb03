"""Every notebook of the course renders as a Voila app without any error.

Parametrised by discovery: a new notebook under course/ is tested without touching this file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.voila_app import course_notebooks, exercise_cells


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
