"""Learner text in a chart is drawn as written: a "$" is a dollar sign, never a formula.

matplotlib reads text between two "$" as mathematics: a role named ``Driver $15/h, $20 weekends``
came out in italics with the middle swallowed, and ``$x^^$`` made the staffing planner show its
internal-error message. Every exercise that draws a chart is built here, and each of its text
inputs in turn gets such text, the way a learner types it. Each drawing must succeed, no text of
the figure may be read as mathematics, and where the input is shown in the chart (names, labels)
the figure's text is the learner's text itself (or its start, where a long label is cut with "…").
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from matplotlib.text import Text

from coopcourse.components import ExerciseFrame
from coopcourse.components import chart as chart_module
from coopcourse.components.chart import Chart
from coopcourse.components.fields import TextField
from coopcourse.components.rows import RowCell, RowsEditor
from coopcourse.text import text
from tests.components.frames import all_html, exercise_builders, walk

LEARNER_TEXTS = ("Driver $15/h, $20 weekends", "$x^^$", r"$\frac{1}{0}$")

# (exercise, label of the text input) whose text the exercise's chart shows.
SHOWN_IN_CHART = {
    ("joint_purchasing", text("joint_purchasing.member_name")),
    ("shared_equipment", text("equipment.member_name")),
    ("business_ideas", text("ideas.idea_name")),
    ("registration_timeline", text("registration.step")),
    ("staffing_planner", text("staffing.role_name")),
}


def _text_inputs(frame: ExerciseFrame) -> list[TextField | RowCell]:
    """Every free-text input of the exercise (its own fields and the text cells of its rows)."""
    found: list[TextField | RowCell] = []
    for widget in walk(frame):
        if isinstance(widget, TextField):
            found.append(widget)
        elif isinstance(widget, RowsEditor):
            found += [cell for row in widget.cells for cell in row if cell.column.kind == "text"]
    return found


def _cases() -> list[tuple[Callable[[], ExerciseFrame], int, str]]:
    """(exercise, index of a text input, its label) for every differently labelled text input of
    every exercise that draws a chart: the cells of one column of rows (every member's name) take
    the same way into the chart, so the first row stands for the others."""
    cases = []
    for factory in exercise_builders().values():
        frame = factory()
        if any(isinstance(widget, Chart) for widget in walk(frame)):
            firsts: dict[str, int] = {}
            for index, field in enumerate(_text_inputs(frame)):
                firsts.setdefault(field.label, index)
            cases += [(factory, index, label) for label, index in firsts.items()]
    return cases


class _Figures:
    """The figures the charts drew (``chart.Figure`` replaced by a subclass that keeps them)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.drawn: list[chart_module.Figure] = []
        drawn = self.drawn

        class KeptFigure(chart_module.Figure):
            def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
                super().__init__(*args, **kwargs)
                drawn.append(self)

        monkeypatch.setattr(chart_module, "Figure", KeptFigure)


def _texts(figure: chart_module.Figure) -> list[Text]:
    return [artist for artist in figure.findobj(Text) if artist.get_text()]


def _shows(drawn: str, typed: str) -> bool:
    """The chart shows ``typed``: as it is, or its first characters and "…" (a label cut short)."""
    return drawn == typed or (drawn.endswith("…") and len(drawn) > 8 and typed.startswith(drawn[:-1]))


def test_there_are_charts_with_learner_text() -> None:
    cases = _cases()
    assert {(factory.__name__, label) for factory, _, label in cases} >= SHOWN_IN_CHART
    assert len({factory.__name__ for factory, _, _ in cases}) >= 8


@pytest.mark.parametrize(
    ("factory", "index", "label"), _cases(), ids=lambda value: getattr(value, "__name__", str(value))
)
def test_learner_text_is_drawn_literally(
    factory: Callable[[], ExerciseFrame], index: int, label: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    figures = _Figures(monkeypatch)
    frame = factory()
    assert figures.drawn, f"{factory.__name__} drew no chart when it was shown"
    field = _text_inputs(frame)[index]
    shown = (factory.__name__, label) in SHOWN_IN_CHART
    for typed in LEARNER_TEXTS:
        before = len(figures.drawn)
        field.entry.value = typed
        assert frame.feedback.kind != "internal", f"{factory.__name__}, {label!r} = {typed!r}: internal error"
        assert "coop-feedback coop-internal" not in all_html(frame)
        for figure in figures.drawn:
            as_maths = [t.get_text() for t in _texts(figure) if "$" in t.get_text() and t.get_parse_math()]
            assert not as_maths, f"{factory.__name__}: chart texts read as mathematics: {as_maths}"
        if shown:
            assert len(figures.drawn) > before, f"{factory.__name__}: the chart was not redrawn for {typed!r}"
            drawn = [t.get_text() for t in _texts(figures.drawn[-1])]
            assert any(_shows(t, typed) for t in drawn), (
                f"{factory.__name__}: {typed!r} typed into {label!r} is not in the chart's text: {drawn}"
            )
        else:
            for figure in figures.drawn[before:]:
                assert not any(_shows(t.get_text(), typed) for t in _texts(figure)), (
                    f"{factory.__name__}: the chart shows {label!r}: add it to SHOWN_IN_CHART"
                )
