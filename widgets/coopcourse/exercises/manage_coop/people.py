"""Manage.Coop module 5, human resources management: a staffing planner that weighs paid staff
against member volunteers, in money and in hours."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import ipywidgets as widgets

from coopcourse.calculations import staffing as sf
from coopcourse.calculations.validation import Bounds
from coopcourse.components import Chart, Column, ExerciseFrame, NumberField, ResultsTable, RowsEditor, shared
from coopcourse.exercises.common import scenario_picker, scenario_values
from coopcourse.formatting import amount, axis_whole, decimal, money, percent
from coopcourse.text import text

if TYPE_CHECKING:
    from matplotlib.axes import Axes

STAFFING_PLANNER = "manage_coop.staffing_planner"

WIDTH = "32em"  # room for the longest label and the number
PAID_COLOUR, VOLUNTEER_COLOUR = "#d35400", "#1f5f8b"


def _who_options() -> tuple[tuple[str, str], ...]:
    return tuple((text(f"staffing.who_{w.value}"), w.value) for w in sf.Who)


def staffing_planner(scenario: str | None = None) -> ExerciseFrame:
    """Roles, hours and pay; who does each (paid staff or member volunteers); what it costs."""
    start = scenario_values("staffing", scenario)
    roles = RowsEditor(
        [
            Column("name", text("staffing.role_name"), kind="text", width="16em"),
            Column("hours_per_week", text("staffing.hours_per_week"), default=5, width="13em"),
            Column("pay_per_hour", text("staffing.pay_per_hour"), default=5, width="12em"),
            Column(
                "who",
                text("staffing.who"),
                kind="choice",
                default=sf.Who.VOLUNTEER.value,
                options=_who_options(),
                width="19em",
            ),
        ],
        start["roles"],
        label=text("staffing.roles"),
    )
    fields: dict[str, widgets.DOMWidget] = {
        "roles": roles,
        "weeks_per_year": NumberField(
            text("staffing.weeks_per_year"),
            start["weeks_per_year"],
            Bounds(minimum=1, maximum=52, whole=True),
            width=WIDTH,
        ),
        "revenue": NumberField(text("staffing.revenue"), start["revenue"], width=WIDTH),
        "members": NumberField(
            text("staffing.members"), start["members"], Bounds(minimum=1, maximum=1_000_000, whole=True), width=WIDTH
        ),
    }
    totals = ResultsTable(text("staffing.totals_caption"))
    warnings = shared.html()
    table = ResultsTable(text("staffing.table_caption"))
    chart = Chart(height_inches=3.8)
    frame = ExerciseFrame(
        STAFFING_PLANNER,
        text("staffing.title"),
        text("staffing.instructions"),
        fields,
        [totals, warnings, chart, table],
    )
    scenario_picker("staffing", frame)

    def update() -> None:
        inputs = frame.read(
            sf.StaffingInputs,
            roles=tuple(
                sf.Role(r["name"], r["hours_per_week"], r["pay_per_hour"], sf.Who(r["who"])) for r in roles.value
            ),
        )
        result = sf.plan(inputs)
        who_label = dict((value, label) for label, value in _who_options())
        table.show(
            {
                text("staffing.col_role"): [r.name for r in result.roles],
                text("staffing.col_who"): [who_label[r.who.value] for r in result.roles],
                text("staffing.col_hours_week"): [amount(r.hours_per_week) for r in result.roles],
                text("staffing.col_hours_year"): [amount(r.hours_per_year) for r in result.roles],
                text("staffing.col_cost"): [money(r.cost_per_year) for r in result.roles],
            }
        )
        share = (
            percent(result.staff_cost_percent) if result.staff_cost_percent is not None else text("staffing.no_revenue")
        )
        totals.show(
            [
                (text("staffing.paid_cost"), money(result.paid_cost)),
                (text("staffing.paid_share"), share),
                (text("staffing.paid_hours"), amount(result.paid_hours_per_year)),
                (text("staffing.volunteer_hours"), amount(result.volunteer_hours_per_year)),
                (text("staffing.volunteer_value"), money(result.volunteer_value)),
                (text("staffing.per_member"), decimal(result.volunteer_hours_per_member_per_week)),
            ],
            columns=[text("staffing.col_figure"), text("staffing.col_value")],
        )
        if result.warnings:
            items = "".join(f"<li>{html.escape(w.message)}</li>" for w in result.warnings)
            warnings.value = (
                f'<p class="coop-rows-label">{html.escape(text("staffing.to_discuss"))}</p>'
                f'<ul class="coop-reasons">{items}</ul>'
            )
            frame.feedback.show("warning", text("staffing.summary_warnings", count=len(result.warnings)))
        else:
            warnings.value = ""
            frame.feedback.show("success", text("staffing.summary_ok"))
        chart.draw(
            lambda axes: _plot(axes, result),
            text(
                "staffing.chart_alt",
                roles=len(result.roles),
                paid_hours=amount(result.paid_hours_per_year),
                volunteer_hours=amount(result.volunteer_hours_per_year),
                paid_cost=money(result.paid_cost),
                volunteer_value=money(result.volunteer_value),
            ),
        )

    return frame.bind(update)


def _short(name: str) -> str:
    return name if len(name) <= 22 else name[:20] + "…"


def _plot(axes: Axes, result: sf.StaffingResult) -> None:
    """Two panels side by side: hours per year and cost (or value) per year, one bar per role,
    paid staff and volunteers in different colours and hatching (not colour alone)."""
    from matplotlib.patches import Patch  # matplotlib is loaded only to draw (see Chart)

    figure = axes.figure
    grid = figure.add_gridspec(1, 2)
    axes.set_subplotspec(grid[0])
    money_axes = figure.add_subplot(grid[1], sharey=axes)
    names = [_short(r.name) for r in result.roles]
    positions = list(range(len(names)))
    colours = [PAID_COLOUR if r.who is sf.Who.PAID else VOLUNTEER_COLOUR for r in result.roles]
    hatches = ["" if r.who is sf.Who.PAID else "//" for r in result.roles]
    for panel, values in (
        (axes, [r.hours_per_year for r in result.roles]),
        (money_axes, [r.cost_per_year for r in result.roles]),
    ):
        bars = panel.barh(positions, values, color=colours, edgecolor="white")
        for bar, hatch in zip(bars, hatches):
            bar.set_hatch(hatch)
        panel.grid(axis="x", alpha=0.3)
        panel.xaxis.set_major_formatter(axis_whole)
        panel.tick_params(axis="x", labelsize=8)
    axes.set_yticks(positions, names)
    axes.invert_yaxis()
    money_axes.tick_params(axis="y", labelleft=False)
    axes.set_xlabel(text("staffing.chart_hours"))
    money_axes.set_xlabel(text("staffing.chart_cost"))
    money_axes.legend(
        handles=[
            Patch(facecolor=PAID_COLOUR, label=text("staffing.who_paid")),
            Patch(facecolor=VOLUNTEER_COLOUR, hatch="//", edgecolor="white", label=text("staffing.who_volunteer")),
        ],
        loc="best",
        fontsize="small",
    )
