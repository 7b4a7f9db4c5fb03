"""Manage.Coop module 4, business and market growth: a growth-strategy simulator after Ansoff's four
strategies (more of the same market, new markets, new products, diversification)."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from coopcourse import content
from coopcourse.calculations import growth as gr
from coopcourse.calculations.rounding import shown
from coopcourse.calculations.validation import Bounds
from coopcourse.components import Chart, ChoiceField, ExerciseFrame, NumberField, ResultsTable, shared
from coopcourse.components.feedback import Kind
from coopcourse.exercises.common import scenario_picker, scenario_values
from coopcourse.formatting import axis_whole, money, percent
from coopcourse.text import plural, text

if TYPE_CHECKING:
    from matplotlib.axes import Axes

GROWTH_SIMULATOR = "manage_coop.growth_simulator"
WIDTH = "36em"  # room for the longest label and the number


def strategies() -> list[dict[str, Any]]:
    """The four strategies and their default teaching assumptions (``content/en/growth_strategies.yaml``)."""
    return list(content.load("growth_strategies")["strategies"])


def _strategy(strategy_id: str) -> dict[str, Any]:
    return next(s for s in strategies() if s["id"] == strategy_id)


def defaults_for(strategy_id: str, sales: float) -> dict[str, float]:
    """The assumption fields a strategy presets for a cooperative with these sales."""
    s = _strategy(strategy_id)
    preset = gr.strategy_defaults(
        sales,
        s["growth_percent"],
        s["investment_percent_of_sales"],
        s["extra_fixed_percent_of_sales"],
        s["success_percent"],
    )
    return {
        "growth_percent": preset.growth_percent,
        "investment": preset.investment,
        "extra_fixed_costs": preset.extra_fixed_costs,
        "success_percent": preset.success_percent,
    }


def growth_simulator(scenario: str | None = None) -> ExerciseFrame:
    """Project sales, costs and surplus under one growth strategy, against no growth and against
    the expected result once the chance of success is counted."""
    start = scenario_values("growth", scenario)
    fields: dict[str, widgets.DOMWidget] = {
        "sales": NumberField(text("growth.sales"), start["sales"], Bounds(above_minimum=True), width=WIDTH),
        "variable_cost_percent": NumberField(
            text("growth.variable_cost_percent"),
            start["variable_cost_percent"],
            Bounds(maximum=100),
            unit="%",
            width=WIDTH,
        ),
        "fixed_costs": NumberField(text("growth.fixed_costs"), start["fixed_costs"], width=WIDTH),
        "years": NumberField(
            text("growth.years"),
            start["years"],
            Bounds(minimum=1, maximum=gr.LONGEST_PROJECTION_YEARS, whole=True),
            width=WIDTH,
        ),
        "strategy": ChoiceField(
            text("growth.strategy"), [(s["label"], s["id"]) for s in strategies()], start["strategy"], width=WIDTH
        ),
        "growth_percent": NumberField(
            text("growth.growth_percent"),
            start["growth_percent"],
            Bounds(minimum=gr.LOWEST_GROWTH_PERCENT, maximum=gr.HIGHEST_GROWTH_PERCENT),
            unit="%",
            width=WIDTH,
        ),
        "investment": NumberField(text("growth.investment"), start["investment"], width=WIDTH),
        "extra_fixed_costs": NumberField(text("growth.extra_fixed_costs"), start["extra_fixed_costs"], width=WIDTH),
        "success_percent": NumberField(
            text("growth.success_percent"), start["success_percent"], Bounds(maximum=100), unit="%", width=WIDTH
        ),
    }
    about = shared.html()
    summary = shared.html()
    table = ResultsTable(text("growth.table_caption"))
    chart = Chart()
    frame = ExerciseFrame(
        GROWTH_SIMULATOR, text("growth.title"), text("growth.instructions"), fields, [about, summary, chart, table]
    )
    scenario_picker("growth", frame)

    def on_strategy(change: dict) -> None:
        # The learner chose another strategy: preset its teaching assumptions. Saved work and
        # scenarios set every field themselves (the frame holds updates meanwhile), so leave them.
        if frame.applying:
            return
        frame.apply(defaults_for(change["new"], fields["sales"].value))

    fields["strategy"].observe(on_strategy, names="value")

    def update() -> None:
        chosen = _strategy(fields["strategy"].value)
        about.value = (
            f'<p class="coop-instructions"><strong>{html.escape(chosen["label"])}.</strong> '
            f"{html.escape(chosen['detail'])} <em>{html.escape(text('growth.assumptions_note'))}"
            f"</em></p>"
        )
        inputs = frame.read(gr.GrowthInputs)
        result = gr.project(inputs)
        table.show(
            {
                text("growth.col_year"): [str(r.year) for r in result.rows],
                text("growth.col_sales"): [money(r.sales) for r in result.rows],
                text("growth.col_costs"): [money(r.costs) for r in result.rows],
                text("growth.col_surplus"): [money(r.surplus) for r in result.rows],
                text("growth.col_cumulative"): [money(r.cumulative) for r in result.rows],
                text("growth.col_no_growth"): [money(r.no_growth_cumulative) for r in result.rows],
                text("growth.col_expected"): [money(r.expected_cumulative) for r in result.rows],
            }
        )
        lines = _summary_lines(inputs, result)
        summary.value = '<ul class="coop-reasons">' + "".join(f"<li>{html.escape(x)}</li>" for x in lines) + "</ul>"
        kind: Kind
        if result.expected_gain_over_no_growth > 0 and (result.recovery_year or not inputs.investment):
            verdict, kind = "good", "success"
        elif result.gain_over_no_growth > 0:
            verdict, kind = "risky", "info"
        else:
            verdict, kind = "poor", "warning"
        frame.feedback.show(kind, text(f"growth.verdict_{verdict}"))
        chart.draw(
            lambda axes: _plot(axes, inputs, result),
            plural(
                "growth.chart_alt",
                inputs.years,
                strategy=chosen["label"],
                total=money(result.total),
                no_growth=money(result.no_growth_total),
                expected=money(result.expected_total),
            ),
        )

    return frame.bind(update)


def _summary_lines(inputs: gr.GrowthInputs, result: gr.GrowthResult) -> list[str]:
    lines = []
    if not inputs.investment:
        lines.append(text("growth.no_investment"))
    elif result.recovery_year is not None:
        lines.append(text("growth.recovered", investment=money(inputs.investment), year=result.recovery_year))
    else:
        lines.append(plural("growth.not_recovered", inputs.years, investment=money(inputs.investment)))
    gain = result.gain_over_no_growth
    lines.append(
        plural(
            "growth.total_vs_no_growth",
            inputs.years,
            total=money(result.total),
            no_growth=money(result.no_growth_total),
            difference=text("growth.more" if shown(gain) >= 0 else "growth.less", amount=money(abs(gain))),
        )
    )
    expected_gain = result.expected_gain_over_no_growth
    lines.append(
        text(
            "growth.expected",
            chance=percent(inputs.success_percent),
            expected=money(result.expected_total),
            difference=text(
                "growth.more" if shown(expected_gain) >= 0 else "growth.less", amount=money(abs(expected_gain))
            ),
        )
    )
    if shown(result.rows[0].no_growth_surplus) < 0:
        lines.append(text("growth.loss_today", loss=money(-result.rows[0].no_growth_surplus)))
    return lines


def _plot(axes: Axes, inputs: gr.GrowthInputs, result: gr.GrowthResult) -> None:
    years = [0] + [r.year for r in result.rows]
    axes.plot(
        years,
        [-inputs.investment] + [r.cumulative for r in result.rows],
        marker="o",
        label=text("growth.line_strategy"),
    )
    axes.plot(
        years,
        [0.0] + [r.no_growth_cumulative for r in result.rows],
        marker="s",
        linestyle="--",
        label=text("growth.line_no_growth"),
    )
    axes.plot(
        years,
        [-inputs.investment] + [r.expected_cumulative for r in result.rows],
        marker="^",
        linestyle=":",
        label=text("growth.line_expected", chance=percent(inputs.success_percent)),
    )
    axes.axhline(0, color="#455a64", linewidth=0.8)
    axes.set_xticks(years)
    axes.set_xlabel(text("growth.chart_x"))
    axes.set_ylabel(text("growth.chart_y"))
    axes.yaxis.set_major_formatter(axis_whole)
    axes.legend(loc="upper left", fontsize="small")
    axes.grid(alpha=0.3)
