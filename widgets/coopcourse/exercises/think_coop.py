"""Think.Coop exercises. Each function returns one exercise, ready to display."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import TYPE_CHECKING

import ipywidgets as widgets

from coopcourse import content
from coopcourse.calculations import joint_purchasing as jp
from coopcourse.calculations import shared_equipment as se
from coopcourse.calculations.readiness import Answer, Verdict, readiness_summary
from coopcourse.calculations.structure_fit import rank_structures
from coopcourse.calculations.validation import Bounds
from coopcourse.components import (
    Chart,
    Column,
    ExerciseFrame,
    NumberField,
    PickManyField,
    ResultsTable,
    RowsEditor,
    shared,
)
from coopcourse.components.feedback import Kind
from coopcourse.exercises.common import scenario_picker, scenario_values
from coopcourse.formatting import amount, money, percent
from coopcourse.text import text

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def joint_purchasing(scenario: str | None = None) -> ExerciseFrame:
    """Members pool their orders to reach a supplier's discount tiers."""
    start = scenario_values("joint_purchasing", scenario)
    members = RowsEditor(
        [
            Column("name", text("joint_purchasing.member_name"), kind="text"),
            Column("quantity", text("joint_purchasing.quantity"), default=10, bounds=Bounds(above_minimum=True)),
        ],
        start["members"],
        label=text("joint_purchasing.members"),
    )
    tiers = RowsEditor(
        [
            Column("min_quantity", text("joint_purchasing.tier_min_quantity"), default=0),
            Column(
                "unit_price", text("joint_purchasing.tier_unit_price"), default=1, bounds=Bounds(above_minimum=True)
            ),
        ],
        start["tiers"],
        label=text("joint_purchasing.tiers"),
    )
    coordination = NumberField(text("joint_purchasing.coordination_cost"), start["coordination_cost"])
    buying_alone = PickManyField(text("joint_purchasing.buying_alone"))
    table = ResultsTable(text("joint_purchasing.table_caption"))
    chart = Chart()
    frame = ExerciseFrame(
        "think_coop.joint_purchasing",
        text("joint_purchasing.title"),
        text("joint_purchasing.instructions"),
        {"members": members, "tiers": tiers, "coordination_cost": coordination, "buying_alone": buying_alone},
        [table, chart],
    )
    scenario_picker("joint_purchasing", frame)

    def update() -> None:
        buying_alone.set_options([row["name"] for row in members.value if row["name"]])
        orders = [jp.MemberOrder(row["name"], row["quantity"]) for row in members.value]
        price_tiers = [jp.PriceTier(row["min_quantity"], row["unit_price"]) for row in tiers.value]
        outcome = jp.free_riding(orders, price_tiers, coordination.value, buying_alone.value)
        group = outcome.everyone
        columns = {
            text("joint_purchasing.col_member"): [m.name for m in group.members],
            text("joint_purchasing.col_quantity"): [amount(m.quantity) for m in group.members],
            text("joint_purchasing.col_alone"): [money(m.cost_alone) for m in group.members],
            text("joint_purchasing.col_together"): [money(m.cost_in_group) for m in group.members],
            text("joint_purchasing.col_saving"): [money(m.saving) for m in group.members],
        }
        if outcome.buying_alone:
            after = {m.name: m.cost_in_group for m in outcome.remaining.members} if outcome.remaining else {}
            columns[text("joint_purchasing.col_after_leaving")] = [
                money(after[m.name]) if m.name in after else money(m.cost_alone) for m in group.members
            ]
        table.show(columns)
        typical = jp.typical_quantity(group)
        size = jp.break_even_group_size(typical, price_tiers, coordination.value)
        losers = [m.name for m in group.members if m.saving < 0]
        lines = [
            text(
                "joint_purchasing.summary",
                total=amount(group.total_quantity),
                tier_price=money(group.tier_price),
                unit_cost=money(group.unit_cost),
                saving=money(group.total_saving),
            )
        ]
        lines.append(
            text("joint_purchasing.break_even", typical=amount(typical), size=size)
            if size
            else text("joint_purchasing.never_pays", typical=amount(typical))
        )
        if losers:
            lines.append(text("joint_purchasing.some_lose", names=", ".join(losers)))
        hurts = False
        if outcome.buying_alone:
            remaining = outcome.remaining
            hurts = outcome.saving_lost_by_group > 0
            if hurts and remaining and remaining.total_saving < 0:
                # The members who stay now pay more together than they would alone.
                lines.append(
                    text(
                        "joint_purchasing.free_riding_loses",
                        count=len(outcome.buying_alone),
                        unit_cost=money(remaining.unit_cost),
                        loss=money(-remaining.total_saving),
                    )
                )
            else:
                lines.append(
                    text(
                        "joint_purchasing.free_riding_hurts" if hurts and remaining else "joint_purchasing.free_riding",
                        count=len(outcome.buying_alone),
                        lost=money(outcome.saving_lost_by_group),
                        unit_cost=money(remaining.unit_cost) if remaining else "-",
                        **({"remaining_saving": money(remaining.total_saving)} if hurts and remaining else {}),
                    )
                )
        kind: Kind = "success" if group.total_saving > 0 and not losers and not hurts else "warning"
        frame.feedback.show(kind, " ".join(lines))
        chart.draw(
            lambda axes: _plot_costs(axes, outcome),
            text("joint_purchasing.chart_alt", saving=money(group.total_saving), members=len(group.members)),
        )

    return frame.bind(update)


def _plot_costs(axes: Axes, outcome: jp.FreeRidingOutcome) -> None:
    names = [m.name for m in outcome.everyone.members]
    positions = range(len(names))
    width = 0.4
    axes.bar(
        [p - width / 2 for p in positions],
        [m.cost_alone for m in outcome.everyone.members],
        width,
        label=text("joint_purchasing.col_alone"),
    )
    axes.bar(
        [p + width / 2 for p in positions],
        [m.cost_in_group for m in outcome.everyone.members],
        width,
        label=text("joint_purchasing.col_together"),
    )
    if outcome.buying_alone and outcome.remaining:
        stayed = {m.name: m for m in outcome.remaining.members}
        axes.scatter(
            [p + width / 2 for p, n in zip(positions, names) if n in stayed],
            [stayed[n].cost_in_group for n in names if n in stayed],
            marker="D",
            color="black",
            zorder=3,
            label=text("joint_purchasing.after_free_riding"),
        )
    axes.set_xticks(
        list(positions), names, rotation=30 if len(names) > 6 else 0, ha="right" if len(names) > 6 else "center"
    )
    axes.set_ylabel(text("joint_purchasing.chart_y"))
    axes.margins(y=0.25)  # headroom so the legend never covers the tallest bars
    axes.legend(loc="upper left", fontsize="small", ncols=3)
    axes.grid(axis="y", alpha=0.3)


def shared_equipment(scenario: str | None = None) -> ExerciseFrame:
    """Owning a machine alone versus sharing it, costs split in proportion to use."""
    start = scenario_values("shared_equipment", scenario)
    unit = widgets.Dropdown(
        options=[(text(f"equipment.unit_{u}"), u) for u in ("hours", "hectares")],
        value=start["unit"],
        description=text("equipment.unit"),
        style=shared.style(widgets.Dropdown, description_width="initial"),
        layout=shared.layout(),
    )
    price = NumberField(text("equipment.price"), start["price"], Bounds(above_minimum=True))
    life = NumberField(text("equipment.life_years"), start["life_years"], Bounds(minimum=1, maximum=100))
    salvage = NumberField(text("equipment.salvage_value"), start["salvage_value"])
    interest = NumberField(text("equipment.interest_rate"), start["interest_rate_percent"], Bounds(maximum=100))
    insurance = NumberField(text("equipment.insurance_and_housing"), start["insurance_and_housing"])
    operating = NumberField(text("equipment.operating_cost"), start["operating_cost_per_unit"])
    members = RowsEditor(
        [
            Column("name", text("equipment.member_name"), kind="text"),
            Column("use_per_year", text("equipment.use_per_year"), default=100, bounds=Bounds(above_minimum=True)),
        ],
        start["members"],
        label=text("equipment.members"),
    )
    table = ResultsTable(text("equipment.table_caption"))
    chart = Chart()
    frame = ExerciseFrame(
        "think_coop.shared_equipment",
        text("equipment.title"),
        text("equipment.instructions"),
        {
            "unit": unit,
            "price": price,
            "life_years": life,
            "salvage_value": salvage,
            "interest_rate_percent": interest,
            "insurance_and_housing": insurance,
            "operating_cost_per_unit": operating,
            "members": members,
        },
        [table, chart],
    )
    scenario_picker("shared_equipment", frame)

    def update() -> None:
        unit_name = text(f"equipment.unit_{unit.value}")
        one_unit = text(f"equipment.one_{unit.value}")
        machine = se.Machine(price.value, life.value, salvage.value, interest.value, insurance.value, operating.value)
        result = se.share_machine(machine, [se.MemberUse(r["name"], r["use_per_year"]) for r in members.value])
        table.show(
            {
                text("equipment.col_member"): [m.name for m in result.members],
                text("equipment.col_use", unit=unit_name): [amount(m.use_per_year) for m in result.members],
                text("equipment.col_share"): [percent(100 * m.use_fraction) for m in result.members],
                text("equipment.col_cost_shared"): [money(m.cost_shared) for m in result.members],
                text("equipment.col_per_unit_shared", unit=one_unit): [
                    money(m.cost_per_unit_shared) for m in result.members
                ],
                text("equipment.col_per_unit_alone", unit=one_unit): [
                    money(m.cost_per_unit_alone) for m in result.members
                ],
                text("equipment.col_saving"): [money(m.saving) for m in result.members],
            }
        )
        saving = result.total_saving
        frame.feedback.show(
            "success" if saving > 0 else "warning",
            text(
                "equipment.summary",
                fixed=money(machine.annual_fixed_cost),
                total_use=amount(result.total_use),
                unit=unit_name,
                one_unit=one_unit,
                per_unit=money(result.cost_per_unit),
                saving=money(saving),
            ),
        )
        chart.draw(
            lambda axes: _plot_per_unit(axes, result, one_unit),
            text("equipment.chart_alt", unit=one_unit, per_unit=money(result.cost_per_unit)),
        )

    return frame.bind(update)


def _plot_per_unit(axes: Axes, result: se.SharingResult, unit_name: str) -> None:
    names = [m.name for m in result.members]
    positions = range(len(names))
    axes.bar(
        [p - 0.2 for p in positions],
        [m.cost_per_unit_alone for m in result.members],
        0.4,
        label=text("equipment.alone"),
    )
    axes.bar(
        [p + 0.2 for p in positions],
        [m.cost_per_unit_shared for m in result.members],
        0.4,
        label=text("equipment.shared"),
    )
    axes.set_xticks(list(positions), names, rotation=30 if len(names) > 6 else 0)
    axes.set_ylabel(text("equipment.chart_y", unit=unit_name))
    axes.legend(loc="upper right", fontsize="small")
    axes.grid(axis="y", alpha=0.3)


def structure_comparison() -> ExerciseFrame:
    """Compare business structures, then score how well each fits the group's situation."""
    document = content.load("structures")
    questions = content.situation_questions(document)
    structure_names = {s["id"]: s["name"] for s in document["structures"]}
    comparison = ResultsTable(text("structures.comparison_caption"))
    comparison.show(
        {text("structures.col_aspect"): [a["label"] for a in document["aspects"]]}
        | {s["name"]: [s["aspects"].get(a["id"], "") for a in document["aspects"]] for s in document["structures"]}
    )
    pickers = {
        q.id: widgets.RadioButtons(
            options=[(o.label, o.id) for o in q.options],
            value=None,
            description=q.prompt,
            style=shared.style(widgets.RadioButtons, description_width="initial"),
            layout=shared.layout(width="auto"),
        )
        for q in questions
    }
    for picker in pickers.values():
        picker.add_class("coop-situation")
    ranking = ResultsTable(text("structures.ranking_caption"))
    frame = ExerciseFrame(
        "think_coop.structure_comparison", text("structures.title"), text("structures.instructions"), pickers, [ranking]
    )
    frame.tools.children = [comparison]

    def update() -> None:
        answers = {key: picker.value for key, picker in pickers.items() if picker.value is not None}
        fits = rank_structures(list(structure_names), questions, answers)
        ranking.show(
            {
                text("structures.col_structure"): [structure_names[f.structure_id] for f in fits],
                text("structures.col_points"): [f.points for f in fits],
                text("structures.col_reasons"): ["; ".join(f.reasons) for f in fits],
            }
        )
        missing = len(questions) - len(answers)
        if missing:
            frame.feedback.show("info", text("structures.answer_more", missing=missing))
        else:
            frame.feedback.show(
                "success", text("structures.result", best=structure_names[fits[0].structure_id], points=fits[0].points)
            )

    return frame.bind(update)


def readiness_checklist() -> ExerciseFrame:
    """Is a cooperative right for us? A closing checklist that sums up the group's answers."""
    document = content.load("readiness")
    statements = content.statements(document)
    options = [(text(f"readiness.answer_{a.value}"), a.value) for a in Answer]
    pickers = {
        s.id: widgets.ToggleButtons(
            options=options,
            value=None,
            description=s.text,
            style=shared.style(widgets.ToggleButtons, description_width="initial", button_width="6em"),
            layout=shared.layout(),
        )
        for s in statements
    }
    for picker in pickers.values():
        picker.add_class("coop-statement")
    table = ResultsTable(text("readiness.table_caption"))
    chart = Chart(height_inches=2.8)
    discuss = shared.html()
    frame = ExerciseFrame(
        "think_coop.readiness",
        text("readiness.title"),
        text("readiness.instructions"),
        pickers,
        [table, discuss, chart],
    )

    def update() -> None:
        answers = {key: picker.value for key, picker in pickers.items() if picker.value is not None}
        if not answers:
            table.value = discuss.value = chart.value = ""
            frame.feedback.show("info", text("readiness.start", total=len(statements)))
            return
        summary = readiness_summary(statements, answers)
        themes = document["themes"]
        table.show(
            {
                text("readiness.col_theme"): [themes[t] for t in summary.theme_percent],
                text("readiness.col_score"): [percent(v) for v in summary.theme_percent.values()],
            }
        )
        items = "".join(f"<li>{html.escape(s.text)}</li>" for s in summary.to_discuss)
        discuss.value = (
            f'<p class="coop-rows-label">{html.escape(text("readiness.to_discuss"))}</p><ul>{items}</ul>'
            if items
            else ""
        )
        kinds: dict[Verdict, Kind] = {
            Verdict.READY: "success",
            Verdict.PROMISING: "info",
            Verdict.NOT_YET: "warning",
            Verdict.INCOMPLETE: "info",
        }
        kind = kinds[summary.verdict]
        frame.feedback.show(
            kind,
            text(
                f"readiness.verdict_{summary.verdict.value}",
                answered=summary.answered,
                total=summary.total,
                score=percent(summary.score_percent),
            ),
        )
        if summary.theme_percent:
            chart.draw(
                lambda axes: _plot_themes(axes, summary.theme_percent, themes),
                text("readiness.chart_alt", score=percent(summary.score_percent)),
            )

    return frame.bind(update)


def _plot_themes(axes: Axes, theme_percent: Mapping[str, float], labels: Mapping[str, str]) -> None:
    names = [labels[t] for t in theme_percent]
    axes.barh(names, list(theme_percent.values()))
    axes.set_xlim(0, 100)
    axes.invert_yaxis()
    axes.set_xlabel(text("readiness.chart_x"))
    axes.grid(axis="x", alpha=0.3)
