"""The plenary view on the trainer's projector (``make plenary``): the groups that saved work today
and, for a chosen module, their key results side by side, a chart per comparison and the table as
CSV. The kernel reads the store again every few seconds (an asyncio task on the kernel's own event
loop, so widgets are only ever changed from one thread); it never writes to it.
"""

from __future__ import annotations

import asyncio
import base64
import html
import logging
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

import ipywidgets as widgets

from coopcourse import plenary as pl
from coopcourse.components import Chart, ResultsTable, shared
from coopcourse.components.download import file_name
from coopcourse.components.frame import course_style
from coopcourse.formatting import amount, axis_whole, money, percent
from coopcourse.store import WorkStore
from coopcourse.text import text

if TYPE_CHECKING:
    from matplotlib.axes import Axes

log = logging.getLogger("coopcourse")

REFRESH_SECONDS = 3.0

# Read from the back of a room: larger text, the groups on one line, the table's caption only for
# screen readers (the exercise's heading above says the same).
PROJECTOR_CSS = """
.coop-plenary { font-size: 18px; }
.coop-plenary .coop-instructions, .coop-plenary .coop-plenary-groups { font-size: 18px; }
.coop-plenary .coop-table { font-size: 20px; }
.coop-plenary .coop-table caption { position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; }
.coop-plenary .coop-plenary-groups { list-style: none; padding: 0; margin: 0.2em 0; }
.coop-plenary .coop-plenary-groups li { display: inline; margin-right: 1.5em; }
.coop-plenary h1.coop-plenary-title { font-size: 2em; margin: 0.3em 0; }
.coop-plenary .coop-plenary-notes { font-size: 18px; color: #8a4b00; }
"""


def _plot_break_even(axes: Axes, rows: Sequence[pl.Row]) -> None:
    from matplotlib.ticker import FuncFormatter  # matplotlib is loaded only to draw (see Chart)

    groups = [row.group for row in rows]
    places = range(len(rows))
    axes.barh(
        [p + 0.2 for p in places],
        [row.numbers.get("break_even", 0) for row in rows],
        height=0.4,
        color="#1f5f8b",
        label=text("plenary.col_break_even"),
    )
    axes.barh(
        [p - 0.2 for p in places],
        [row.numbers["expected"] for row in rows],
        height=0.4,
        color="#9ecae1",
        label=text("plenary.chart_expected"),
    )
    axes.set_yticks(list(places), groups)
    axes.invert_yaxis()
    axes.xaxis.set_major_formatter(FuncFormatter(axis_whole))
    axes.set_xlabel(text("plenary.chart_break_even_x"))
    axes.set_title(text("plenary.chart_break_even"))
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.32), ncol=2, fontsize="small")
    axes.grid(axis="x", alpha=0.3)


def _plot_scores(axes: Axes, rows: Sequence[pl.Row]) -> None:
    axes.barh([row.group for row in rows], [row.numbers["score"] for row in rows], color="#2e7d32")
    axes.set_xlim(0, 100)
    axes.invert_yaxis()
    axes.set_xlabel(text("plenary.chart_score_x"))
    axes.set_title(text("plenary.chart_score"))
    axes.grid(axis="x", alpha=0.3)


def _plot_quiz(axes: Axes, rows: Sequence[pl.Row]) -> None:
    from matplotlib.ticker import MaxNLocator

    axes.barh([row.group for row in rows], [row.numbers["right"] for row in rows], color="#6a1b9a")
    axes.set_xlim(0, max(row.numbers["total"] for row in rows))
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.invert_yaxis()
    axes.set_xlabel(text("plenary.chart_quiz_x"))
    axes.set_title(text("plenary.chart_quiz"))
    axes.grid(axis="x", alpha=0.3)


def _plot_surplus(axes: Axes, rows: Sequence[pl.Row]) -> None:
    from matplotlib.ticker import FuncFormatter

    keys = [key for key in (*pl.sp.FUNDS, "isc", "refunds") if any(key in row.numbers for row in rows)]
    left = [0.0] * len(rows)
    for key in keys:
        values = [row.numbers.get(key, 0.0) for row in rows]
        axes.barh([row.group for row in rows], values, left=left, label=text(f"surplus.fund_{key}"))
        left = [a + b for a, b in zip(left, values)]
    axes.invert_yaxis()
    axes.xaxis.set_major_formatter(FuncFormatter(axis_whole))
    axes.set_xlabel(text("plenary.chart_surplus_x"))
    axes.set_title(text("plenary.chart_surplus"))
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.32), ncol=3, fontsize="x-small")
    axes.grid(axis="x", alpha=0.3)


def _clock(moment: float) -> str:
    return time.strftime("%H:%M", time.localtime(moment))


class ExerciseBoard(widgets.VBox):
    """One exercise's table, chart and CSV link."""

    def __init__(self, exercise: pl.Exercise) -> None:
        self.exercise = exercise
        self.heading = shared.html(f'<h2 class="coop-title">{html.escape(pl.title(exercise))}</h2>')
        self.table = ResultsTable(pl.title(exercise))
        self.empty = shared.html()
        self.chart = Chart(width_inches=9.0, height_inches=3.2)
        self.chart.layout.display = "none"
        self.csv = shared.html()
        self.notes = shared.html()
        self.rows: list[pl.Row] = []
        super().__init__(
            [self.heading, self.empty, self.table, self.notes, self.chart, self.csv], layout=shared.layout()
        )
        self.add_class("coop-plenary-exercise")

    def show(self, rows: list[pl.Row]) -> None:
        if rows == self.rows and self.table.value:
            return
        self.rows = rows
        if not rows:
            self.empty.value = f'<p class="coop-instructions">{html.escape(text("plenary.nothing_yet"))}</p>'
            self.table.value = self.csv.value = self.notes.value = ""
            self.chart.layout.display = "none"
            return
        self.empty.value = ""
        # Work that cannot be read is said under the table, not squeezed into a column of it.
        shown = [row for row in rows if not row.problem]
        problems = "".join(
            f"<li>{html.escape(row.group)}: {html.escape(row.problem)}</li>" for row in rows if row.problem
        )
        self.notes.value = f'<ul class="coop-plenary-notes">{problems}</ul>' if problems else ""
        if shown:
            self.table.show(pl.table_cells(shown), columns=pl.columns(shown))
        else:
            self.table.value = ""
        self._draw([row for row in rows if row.numbers and not row.problem])
        data = base64.b64encode(pl.csv_bytes(rows)).decode("ascii")
        name = f"{file_name('plenary', self.exercise.id.replace('.', '-'))}.csv"
        self.csv.value = (
            f'<a class="coop-download" download="{name}" href="data:text/csv;base64,{data}">'
            f"{html.escape(text('plenary.download_csv'))}</a>"
        )

    def _draw(self, rows: list[pl.Row]) -> None:
        chartable = {
            pl.FEASIBILITY.id: (
                "expected",
                _plot_break_even,
                "plenary.chart_break_even_alt",
                lambda r: f"{r.group} {amount(r.numbers.get('break_even', 0))} / {amount(r.numbers['expected'])}",
            ),
            pl.READINESS.id: (
                "score",
                _plot_scores,
                "plenary.chart_score_alt",
                lambda r: f"{r.group} {percent(r.numbers['score'])}",
            ),
            pl.SURPLUS.id: (
                "refunds",
                _plot_surplus,
                "plenary.chart_surplus_alt",
                lambda r: f"{r.group} {money(sum(r.numbers.values()))}",
            ),
        }
        if self.exercise.quiz is not None:
            chartable[self.exercise.id] = (
                "right",
                _plot_quiz,
                "plenary.chart_quiz_alt",
                lambda r: f"{r.group} {r.numbers['right']:.0f}",
            )
        plan = chartable.get(self.exercise.id)
        rows = [row for row in rows if plan is not None and plan[0] in row.numbers]
        if plan is None or not rows:
            self.chart.layout.display = "none"
            return
        _key, plot, alt_key, describe = plan
        self.chart.size = (9.0, max(3.2, 2.3 + 0.5 * len(rows)))
        self.chart.draw(lambda axes: plot(axes, rows), text(alt_key, pairs="; ".join(describe(r) for r in rows)))
        self.chart.layout.display = None


class PlenaryView(shared.BriefRepr, widgets.VBox):
    def __init__(self, store: WorkStore | None = None, refresh_seconds: float = REFRESH_SECONDS) -> None:
        self.store = store or WorkStore()
        self.refresh_seconds = refresh_seconds
        self.picker = widgets.Dropdown(
            options=[(text(m.title_key), m.key) for m in pl.MODULES],
            value="start_coop/02_feasibility.ipynb",
            description=text("plenary.module_label"),
            style=shared.style(widgets.Dropdown, description_width="initial"),
            layout=shared.layout(width="auto"),
        )
        self.refresh_button = shared.button(description=text("plenary.refresh"), icon="refresh")
        self.status = shared.html()
        self.groups = shared.html()
        self.boards = shared.vbox()
        intro = shared.html(
            f'<h1 class="coop-plenary-title">{html.escape(text("plenary.title"))}</h1>'
            f'<p class="coop-instructions">{html.escape(text("plenary.intro"))}</p>'
        )
        super().__init__(
            [
                course_style(),
                shared.html(f"<style>{PROJECTOR_CSS}</style>", layout=shared.layout(display="none")),
                intro,
                shared.hbox([self.picker, self.refresh_button]),
                self.status,
                self.groups,
                self.boards,
            ]
        )
        self.add_class("coop-plenary")
        self.picker.observe(lambda _change: self.refresh(), names="value")
        self.refresh_button.on_click(lambda _button: self.refresh())
        self.updates = 0
        self._task: asyncio.Task[None] | None = None
        self.refresh()

    def refresh(self) -> None:
        try:
            chosen = pl.module(self.picker.value)
            shot = pl.snapshot(self.store, chosen, pl.start_of_today())
            if [b.exercise for b in self.boards.children] != list(chosen.exercises):  # type: ignore[attr-defined]
                self.boards.children = [ExerciseBoard(exercise) for exercise in chosen.exercises]
            now = time.strftime("%H:%M:%S")
            if shot.problem:
                self.status.value = (
                    f'<p class="coop-feedback coop-warning">'
                    f"{html.escape(text('plenary.store_problem', message=shot.problem))}</p>"
                )
                return
            self.status.value = (
                f'<p class="coop-instructions" role="status">'
                f"{html.escape(text('plenary.updated', time=now, count=len(shot.groups)))}</p>"
            )
            if shot.groups:
                items = "".join(
                    f"<li>{html.escape(text('plenary.group_line', group=g, time=_clock(t)))}</li>"
                    for g, t in shot.groups.items()
                )
                self.groups.value = (
                    f'<p class="coop-rows-label">{html.escape(text("plenary.groups_heading"))}</p>'
                    f'<ul class="coop-plenary-groups">{items}</ul>'
                )
            else:
                self.groups.value = f'<p class="coop-instructions">{html.escape(text("plenary.no_groups"))}</p>'
            for board in self.boards.children:
                board.show(shot.tables.get(board.exercise.id, []))  # type: ignore[attr-defined]
            self.updates += 1
        except Exception:
            log.exception("the plenary view could not update")

    async def _keep_updating(self) -> None:
        while True:
            await asyncio.sleep(self.refresh_seconds)
            self.refresh()

    def start(self) -> PlenaryView:
        """Update every ``refresh_seconds`` from now on, on the kernel's event loop."""
        if self._task is None:
            self._task = asyncio.get_event_loop().create_task(self._keep_updating())
        return self


def plenary() -> PlenaryView:
    """What ``plenary/plenary.ipynb`` shows."""
    return PlenaryView().start()
