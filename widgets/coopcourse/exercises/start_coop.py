"""Start.Coop exercises: the core group's idea, feasibility, business plan and set-up.

What a group enters in one module feeds the next through the saved-work store: the business plan
reads the idea, the members and the feasibility inputs saved in modules 1 and 2.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from coopcourse import content, documents
from coopcourse.calculations import cash_flow as cf
from coopcourse.calculations import feasibility as fz
from coopcourse.calculations import first_year, reports
from coopcourse.calculations import governance as gv
from coopcourse.calculations import timeline as tl
from coopcourse.calculations.idea_scoring import Idea, rank_ideas
from coopcourse.calculations.validation import Bounds
from coopcourse.components import (
    Chart,
    ChoiceField,
    Column,
    DocumentDownload,
    ExerciseFrame,
    NumberField,
    PickManyField,
    ResultsTable,
    RowsEditor,
    TextAreaField,
    shared,
)
from coopcourse.components.download import file_name
from coopcourse.components.feedback import Kind
from coopcourse.components.frame import read_form
from coopcourse.content.country import CountryProfile
from coopcourse.errors import CourseInputError
from coopcourse.exercises.common import scenario_picker, scenario_values
from coopcourse.exercises.manage_coop.governance import RolePlayTracker
from coopcourse.formatting import amount, decimal, money, percent, percent_change
from coopcourse.saving import current_profile, current_session
from coopcourse.text import text

if TYPE_CHECKING:
    from matplotlib.axes import Axes

CORE_GROUP = "start_coop.core_group"
IDEAS = "start_coop.ideas"
FEASIBILITY = "start_coop.feasibility"
BUSINESS_PLAN = "start_coop.business_plan"
FOUNDING_ASSEMBLY = "start_coop.founding_assembly"
FOUNDING_CARD = "founding_assembly"  # the founding-assembly card in meeting_scenarios.yaml
# Inputs with long labels: the label sits beside the box, so the box needs room left for typing.
WIDE = "34em"


def _list(name: str) -> list[dict[str, Any]]:
    return list(content.load("start_coop")["lists"][name])


def _chart_label(label: str) -> str:
    """Learner text as a chart label: a "$" is a dollar sign, not the start of a formula."""
    return label  # the Chart draws every text literally (components/chart.py): no escaping


def core_group() -> ExerciseFrame:
    """Module 1: who the core members are, what they bring, what the group still lacks."""
    competencies = _list("competencies")
    members = RowsEditor(
        [
            Column("name", text("core_group.member_name"), kind="text"),
            Column("brings", text("core_group.brings"), kind="text", width="22em"),
        ],
        [{"name": "", "brings": ""}],
        label=text("core_group.members"),
    )
    has = PickManyField(text("core_group.competencies"), [c["label"] for c in competencies])
    needs = TextAreaField(text("core_group.common_needs"), placeholder=text("core_group.needs_placeholder"))
    gaps = shared.html()
    frame = ExerciseFrame(
        CORE_GROUP,
        text("core_group.title"),
        text("core_group.instructions"),
        {"members": members, "competencies": has, "common_needs": needs},
        [gaps],
    )

    def update() -> None:
        named = [row["name"] for row in members.value if row["name"]]
        missing = [c for c in competencies if c["label"] not in has.value]
        items = "".join(
            f"<li><strong>{html.escape(c['label'])}</strong>: {html.escape(c['detail'])}</li>" for c in missing
        )
        gaps.value = (
            f'<p class="coop-rows-label">{html.escape(text("core_group.gaps"))}</p><ul>{items}</ul>' if missing else ""
        )
        if not named:
            frame.feedback.show("info", text("core_group.name_members"))
        elif missing:
            frame.feedback.show("info", text("core_group.summary_gaps", members=len(named), missing=len(missing)))
        else:
            frame.feedback.show("success", text("core_group.summary_complete", members=len(named)))

    return frame.bind(update)


def business_ideas() -> ExerciseFrame:
    """Module 1: score candidate business ideas against the group's criteria and choose one."""
    criteria = _list("idea_criteria")
    columns = [Column("name", text("ideas.idea_name"), kind="text", width="18em")] + [
        Column(c["id"], c["label"], default=3, width="24em", bounds=Bounds(minimum=1, whole=True)) for c in criteria
    ]
    ideas = RowsEditor(
        columns, [{"name": text("ideas.example_idea"), **{c["id"]: 3 for c in criteria}}], label=text("ideas.ideas")
    )
    weights = {
        f"weight_{c['id']}": NumberField(
            text("ideas.weight_of", criterion=c["label"]), c["weight"], Bounds(maximum=10), width=WIDE
        )
        for c in criteria
    }
    table = ResultsTable(text("ideas.table_caption"))
    chart = Chart(height_inches=2.8)
    frame = ExerciseFrame(
        IDEAS, text("ideas.title"), text("ideas.instructions"), {"ideas": ideas, **weights}, [table, chart]
    )

    def update() -> None:
        for row in ideas.value:
            for c in criteria:
                if row[c["id"]] > 5:
                    raise CourseInputError(text("ideas.error_score_range", idea=row["name"] or "?"), "ideas")
        try:
            ranked = rank_ideas(
                [Idea(r["name"], {c["id"]: r[c["id"]] for c in criteria}) for r in ideas.value],
                {c["id"]: weights[f"weight_{c['id']}"].value for c in criteria},
            )
        except CourseInputError as error:
            if error.field != "weights":
                raise
            # No weight above 0: say so next to the first weight, not only at the top.
            raise CourseInputError(error.message, f"weight_{criteria[0]['id']}") from None
        table.show(
            {
                text("ideas.col_idea"): [r.name for r in ranked],
                text("ideas.col_total"): [amount(r.total) for r in ranked],
                text("ideas.col_percent"): [percent(r.percent) for r in ranked],
            }
        )
        frame.feedback.show("success", text("ideas.best", idea=ranked[0].name, percent=percent(ranked[0].percent)))
        chart.draw(lambda axes: _plot_ideas(axes, ranked), text("ideas.chart_alt", idea=ranked[0].name))

    return frame.bind(update)


def _plot_ideas(axes: Axes, ranked: tuple[Any, ...]) -> None:
    axes.barh([_chart_label(r.name) for r in ranked], [r.percent for r in ranked])
    axes.set_xlim(0, 100)
    axes.invert_yaxis()
    axes.set_xlabel(text("ideas.chart_x"))
    axes.grid(axis="x", alpha=0.3)


def feasibility_inputs(state: Mapping[str, Any]) -> fz.FeasibilityInputs:
    """Module 2's inputs from its page or, in the business plan, from its saved work."""
    return read_form(
        fz.FeasibilityInputs,
        state,
        share_rule=fz.ShareRule(state["share_rule"]),
        planned_use=tuple(fz.PlannedUse(r["name"], r["use_per_year"]) for r in state["planned_use"]),
    )


def feasibility_calculator(scenario: str | None = None) -> ExerciseFrame:
    """Module 2: contribution, break-even, margin of safety, payback, members' capital, go / no-go."""
    start = scenario_values("feasibility", scenario)
    fields: dict[str, widgets.DOMWidget] = {
        "price": NumberField(text("feasibility.price"), start["price"], Bounds(above_minimum=True)),
        "variable_cost": NumberField(text("feasibility.variable_cost"), start["variable_cost"]),
        "fixed_costs": NumberField(text("feasibility.fixed_costs"), start["fixed_costs"]),
        "expected_volume": NumberField(text("feasibility.expected_volume"), start["expected_volume"], width=WIDE),
        "market_size": NumberField(text("feasibility.market_size"), start["market_size"], width=WIDE),
        "investment": NumberField(text("feasibility.investment"), start["investment"]),
        "loans": NumberField(text("feasibility.loans"), start["loans"]),
        "grants": NumberField(text("feasibility.grants"), start["grants"]),
        "members": NumberField(
            text("feasibility.members"), start["members"], Bounds(minimum=1, whole=True, maximum=1_000_000)
        ),
        "affordable_share": NumberField(text("feasibility.affordable_share"), start["affordable_share"], width=WIDE),
        # A choice field, not a bare dropdown: a rule saved by another version of the course is
        # ignored rather than breaking the page.
        "share_rule": ChoiceField(
            text("feasibility.share_rule"),
            [(text(f"feasibility.rule_{r.value}"), r.value) for r in fz.ShareRule],
            start["share_rule"],
            width=WIDE,
        ),
        "planned_use": RowsEditor(
            [
                Column("name", text("feasibility.member_name"), kind="text"),
                Column(
                    "use_per_year", text("feasibility.use_per_year"), default=100, bounds=Bounds(above_minimum=True)
                ),
            ],
            start["planned_use"],
            label=text("feasibility.planned_use"),
        ),
    }
    fields["planned_use"].layout = widgets.Layout()  # its own: hidden unless costs are shared by use
    figures = ResultsTable(text("feasibility.figures_caption"))
    shares = ResultsTable(text("feasibility.shares_caption"))
    what_if = ResultsTable(text("feasibility.sensitivity_caption"))
    reasons = shared.html()
    chart = Chart()
    frame = ExerciseFrame(
        FEASIBILITY,
        text("feasibility.title"),
        text("feasibility.instructions"),
        fields,
        [reasons, figures, shares, chart, what_if],
    )
    scenario_picker("feasibility", frame)

    def update() -> None:
        fields["planned_use"].layout.display = None if fields["share_rule"].value == "by_use" else "none"
        inputs = feasibility_inputs(frame.state())
        result = fz.analyse(inputs)
        figures.show(
            reports.feasibility_rows(result),
            columns=[text("feasibility.col_figure"), text("feasibility.col_value")],
        )
        shares.show(
            {
                text("feasibility.col_member"): [m.name for m in result.member_shares],
                text("feasibility.col_share"): [money(m.share) for m in result.member_shares],
            }
        )
        rows = fz.sensitivity(inputs)
        what_if.show(
            {
                text("feasibility.col_factor"): [text(f"feasibility.factor_{r.factor}") for r in rows],
                text("feasibility.col_change"): [percent_change(r.change_percent) for r in rows],
                text("feasibility.col_break_even"): [
                    amount(r.break_even_volume) if r.break_even_volume is not None else text("feasibility.never")
                    for r in rows
                ],
                text("feasibility.col_profit"): [money(r.annual_profit) for r in rows],
            }
        )
        verdict = fz.go_no_go(inputs, result)
        items = "".join(f"<li>{html.escape(reason)}</li>" for reason in verdict.reasons)
        reasons.value = f'<ul class="coop-reasons">{items}</ul>'
        kinds: dict[fz.Decision, Kind] = {
            fz.Decision.GO: "success",
            fz.Decision.CAUTION: "warning",
            fz.Decision.NO_GO: "error",
        }
        kind = kinds[verdict.decision]
        frame.feedback.show(kind, text(f"feasibility.decision_{verdict.decision.value}"))
        chart.draw(
            lambda axes: _plot_break_even(axes, inputs, result),
            text(
                "feasibility.chart_alt",
                break_even=amount(result.break_even_volume)
                if result.break_even_volume is not None
                else text("feasibility.never"),
                volume=amount(inputs.expected_volume),
            ),
        )

    return frame.bind(update)


def _plot_break_even(axes: Axes, inputs: fz.FeasibilityInputs, result: fz.FeasibilityResult) -> None:
    top = max(inputs.expected_volume, result.break_even_volume or 0) * 1.4 or 1.0
    volumes = [top * i / 40 for i in range(41)]
    axes.plot(volumes, [v * inputs.price for v in volumes], label=text("feasibility.revenue"))
    axes.plot(
        volumes, [inputs.fixed_costs + v * inputs.variable_cost for v in volumes], label=text("feasibility.total_cost")
    )
    if result.break_even_volume is not None:
        axes.axvline(result.break_even_volume, linestyle="--", color="#455a64", label=text("feasibility.break_even"))
    axes.axvline(inputs.expected_volume, linestyle=":", color="#2e7d32", label=text("feasibility.expected_volume"))
    axes.set_xlabel(text("feasibility.chart_x"))
    axes.set_ylabel(text("feasibility.chart_y"))
    axes.legend(loc="upper left", fontsize="small")
    axes.grid(alpha=0.3)


def business_plan() -> ExerciseFrame:
    """Module 3: a plan that starts from modules 1 and 2 and exports as Markdown and Word."""
    sections = {
        key: TextAreaField(text(f"plan.{key}"), placeholder=text(f"plan.{key}_hint")) for key in reports.PLAN_SECTIONS
    }
    ramp = NumberField(text("cash_flow.ramp_up_months"), 3, Bounds(whole=True, maximum=12), width=WIDE)
    repayment = NumberField(text("cash_flow.loan_repayment"), 0)
    working_capital = NumberField(text("cash_flow.working_capital"), 3000, width="46em")
    earlier = shared.html()
    refresh = shared.button(description=text("plan.refresh"), icon="refresh", layout=shared.layout(width="auto"))
    table = ResultsTable(text("plan.cash_flow_caption"))
    chart = Chart()
    export = DocumentDownload(text("plan.export"))
    frame = ExerciseFrame(
        BUSINESS_PLAN,
        text("plan.title"),
        text("plan.instructions"),
        {**sections, "ramp_up_months": ramp, "monthly_loan_repayment": repayment, "working_capital": working_capital},
        [table, chart, export],
    )
    frame.tools.children = [earlier, refresh]
    session = current_session()
    latest: dict[str, documents.Document] = {}

    def earlier_work() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any], bool]:
        saved = session.store.load_all(session.learner) if session.learner else {}
        feasibility = saved.get(FEASIBILITY)
        # Module 2 shows the example's value for any input its saved work lacks: so does the plan.
        feasibility_state = {**scenario_values("feasibility"), **(feasibility or {})}
        if feasibility_state["share_rule"] not in {rule.value for rule in fz.ShareRule}:
            # A choice saved by another course version: module 2's page shows its own default, so does the plan.
            feasibility_state["share_rule"] = scenario_values("feasibility")["share_rule"]
        return saved.get(CORE_GROUP, {}), saved.get(IDEAS, {}), feasibility_state, feasibility is not None

    def update() -> None:
        core, ideas, feasibility_state, from_saved = earlier_work()
        try:
            inputs = feasibility_inputs(feasibility_state)
        except CourseInputError as error:
            # Module 2's saved figures cannot be used (the page there says why): no field here is at fault.
            raise CourseInputError(text("plan.error_feasibility", problem=error.message)) from None
        result = fz.analyse(inputs)
        members = [r["name"] for r in core.get("members", []) if r.get("name")]
        idea = _chosen_idea(ideas)
        earlier.value = _earlier_summary(idea, members, inputs, result, from_saved)
        flow = cf.project(
            first_year.cash_flow_inputs(
                inputs,
                result,
                working_capital=working_capital.value,
                ramp_up_months=int(ramp.value),
                monthly_loan_repayment=repayment.value,
            )
        )
        table.show(reports.cash_flow_rows(flow), columns=reports.cash_flow_header())
        short = flow.first_short_month
        frame.feedback.show(
            "warning" if short else "success",
            text("plan.cash_short", month=short, lowest=money(flow.lowest_cash))
            if short
            else text("plan.cash_ok", closing=money(flow.closing_cash)),
        )
        chart.draw(
            lambda axes: _plot_cash(axes, flow),
            text("plan.chart_alt", closing=money(flow.closing_cash), lowest=money(flow.lowest_cash)),
        )
        latest["plan"] = reports.business_plan(
            idea, members, inputs, result, flow, {k: f.value for k, f in sections.items()}, session.learner
        )

    def plan_file() -> tuple[documents.Document, str]:
        if "plan" not in latest:
            raise CourseInputError(text("plan.error_nothing_to_export"))
        return latest["plan"], file_name("business_plan", session.learner, "files.unnamed_group")

    refresh.on_click(lambda _b: frame.refresh())
    export.bind(frame, plan_file)
    return frame.bind(update)


def _chosen_idea(ideas_state: dict[str, Any]) -> str:
    rows = ideas_state.get("ideas") or []
    if not rows:
        return ""
    criteria = _list("idea_criteria")
    weights = {c["id"]: ideas_state.get(f"weight_{c['id']}", c["weight"]) for c in criteria}
    try:
        ranked = rank_ideas([Idea(r["name"], {c["id"]: r.get(c["id"], 1) for c in criteria}) for r in rows], weights)
    except CourseInputError:
        return ""
    return ranked[0].name


def _earlier_summary(
    idea: str, members: list[str], inputs: fz.FeasibilityInputs, result: fz.FeasibilityResult, from_saved: bool
) -> str:
    source = text("plan.from_saved") if from_saved else text("plan.from_example")
    rows = [
        (text("plan.idea"), idea or text("plan.not_recorded")),
        (text("plan.members"), ", ".join(members) if members else text("plan.not_recorded")),
        (
            text("feasibility.break_even"),
            amount(result.break_even_volume) if result.break_even_volume is not None else text("feasibility.never"),
        ),
        (text("feasibility.annual_profit"), money(result.annual_profit)),
        (text("feasibility.capital_to_raise"), money(result.capital_to_raise)),
    ]
    cells = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in rows)
    return (
        f'<p class="coop-instructions">{html.escape(source)}</p>'
        f'<table class="coop-table"><caption>{html.escape(text("plan.earlier_caption"))}</caption>{cells}</table>'
    )


def _plot_cash(axes: Axes, flow: cf.CashFlow) -> None:
    months = [r.month for r in flow.months]
    axes.bar(months, [r.net for r in flow.months], label=text("plan.net_cash"), color="#90a4ae")
    axes.plot(months, [r.closing_cash for r in flow.months], marker="o", label=text("plan.col_closing"))
    axes.axhline(0, color="black", linewidth=0.8)
    axes.set_xticks(months)
    axes.set_xlabel(text("plan.col_month"))
    axes.legend(loc="upper left", fontsize="small")
    axes.grid(axis="y", alpha=0.3)


def _law_quorum(profile: CountryProfile) -> float | None:
    """The general assembly's quorum in the profile's law, in percent, if it has one."""
    found = profile.legal("assembly_quorum_percent")
    return float(found.value) if found is not None else None


def governance_structure() -> ExerciseFrame:
    """Module 4: general assembly, board, supervisory committee and manager, drawn as a chart."""
    fields: dict[str, widgets.DOMWidget] = {
        "members": NumberField(text("governance.members"), 25, Bounds(minimum=1, whole=True, maximum=1_000_000)),
        "board_size": NumberField(
            text("governance.board_size"), 5, Bounds(minimum=gv.SMALLEST_BOARD, whole=True, maximum=101)
        ),
        "board_term_years": NumberField(
            text("governance.board_term"), 2, Bounds(minimum=1, whole=True, maximum=gv.LONGEST_TERM_YEARS)
        ),
        "staggered_terms": widgets.Checkbox(
            value=True,
            description=text("governance.staggered"),
            indent=False,
            layout=shared.layout(width="auto"),
            style=shared.style(widgets.Checkbox),
        ),
        "supervisory_committee": widgets.Checkbox(
            value=True,
            description=text("governance.has_committee"),
            indent=False,
            layout=shared.layout(width="auto"),
            style=shared.style(widgets.Checkbox),
        ),
        "committee_size": NumberField(text("governance.committee_size"), 3, Bounds(whole=True, maximum=25), width=WIDE),
        "hires_manager": widgets.Checkbox(
            value=False,
            description=text("governance.hires_manager"),
            indent=False,
            layout=shared.layout(width="auto"),
            style=shared.style(widgets.Checkbox),
        ),
        "assemblies_per_year": NumberField(
            text("governance.assemblies_per_year"), 1, Bounds(minimum=1, whole=True, maximum=12)
        ),
        "quorum_percent": NumberField(
            text("governance.quorum_percent"),
            _law_quorum(current_profile()) or 25,  # the server's country, else a figure to practise with
            Bounds(above_minimum=True, maximum=100),
            width=WIDE,
        ),
    }
    fields["committee_size"].layout = widgets.Layout()  # its own: hidden without a supervisory committee
    advice = shared.html()
    law_note = shared.html()
    chart = Chart(height_inches=3.8)
    frame = ExerciseFrame(
        "start_coop.governance",
        text("governance.title"),
        text("governance.instructions"),
        fields,
        [advice, law_note, chart],
    )

    def update() -> None:
        design = frame.read(gv.GovernanceDesign)
        fields["committee_size"].layout.display = None if design.supervisory_committee else "none"
        quorum = gv.quorum_needed(design.members, design.quorum_percent)
        tips = gv.design_advice(design)
        advice.value = "<ul>" + "".join(f"<li>{html.escape(t)}</li>" for t in tips) + "</ul>" if tips else ""
        profile = current_profile()
        act = profile.legal("act")
        note = gv.quorum_note(design.quorum_percent, _law_quorum(profile), str(act.value) if act else profile.country)
        law_note.value = f'<p class="coop-instructions">{html.escape(note)}</p>'
        frame.feedback.show(
            "info" if tips else "success",
            text(
                "governance.summary",
                quorum=quorum,
                members=design.members,
                board=design.board_size,
                term=design.board_term_years,
            ),
        )
        chart.draw(
            lambda axes: _plot_org_chart(axes, design),
            text(
                "governance.chart_alt",
                board=design.board_size,
                committee=text("governance.alt_committee", size=design.committee_size)
                if design.supervisory_committee
                else "",
                manager=text("governance.alt_manager") if design.hires_manager else "",
            ),
        )

    return frame.bind(update)


def _plot_org_chart(axes: Axes, design: gv.GovernanceDesign) -> None:
    from matplotlib.patches import FancyBboxPatch  # matplotlib is loaded only to draw (see Chart)

    def box(x: float, y: float, label: str, colour: str) -> None:
        axes.add_patch(
            FancyBboxPatch(
                (x - 1.5, y - 0.35), 3.0, 0.7, boxstyle="round,pad=0.05", facecolor=colour, edgecolor="#263238"
            )
        )
        axes.text(x, y, label, ha="center", va="center", fontsize=9, wrap=True)

    def arrow(x1: float, y1: float, x2: float, y2: float) -> None:
        axes.annotate("", xy=(x2, y2), xytext=(x1, y1), arrowprops={"arrowstyle": "->", "color": "#263238"})

    box(0, 3, text("governance.org_assembly", members=design.members), "#e3f2fd")
    box(0, 1.8, text("governance.org_board", size=design.board_size, term=design.board_term_years), "#fff3e0")
    arrow(0, 2.65, 0, 2.15)
    if design.supervisory_committee:
        box(3.8, 1.8, text("governance.org_committee", size=design.committee_size), "#e8f5e9")
        arrow(1.2, 2.65, 3.4, 2.15)
        axes.annotate(
            "",
            xy=(1.5, 1.8),
            xytext=(2.3, 1.8),
            arrowprops={"arrowstyle": "->", "linestyle": "dashed", "color": "#2e7d32"},
        )
    if design.hires_manager:
        box(0, 0.6, text("governance.org_manager"), "#f3e5f5")
        arrow(0, 1.45, 0, 0.95)
    axes.set_xlim(-2, 5.6)
    axes.set_ylim(0, 3.6)
    axes.axis("off")


def bylaws_checklist() -> ExerciseFrame:
    """Module 4: the essentials the by-laws must settle, with what the group decided for each."""
    items = _list("bylaws")
    notes = {
        item["id"]: TextAreaField(item["label"], rows=2, max_length=1000, placeholder=text("bylaws.placeholder"))
        for item in items
    }
    missing_list = shared.html()
    frame = ExerciseFrame("start_coop.bylaws", text("bylaws.title"), text("bylaws.instructions"), notes, [missing_list])

    def update() -> None:
        missing = [item["label"] for item in items if not notes[item["id"]].value]
        done = len(items) - len(missing)
        missing_list.value = (
            (
                f'<p class="coop-rows-label">{html.escape(text("bylaws.still_open"))}</p><ul>'
                + "".join(f"<li>{html.escape(m)}</li>" for m in missing)
                + "</ul>"
            )
            if missing
            else ""
        )
        frame.feedback.show("success" if not missing else "info", text("bylaws.progress", done=done, total=len(items)))

    return frame.bind(update)


def _registration_law(profile: CountryProfile) -> str:
    """Where the chosen country's cooperatives register and how many founders its law asks for,
    or that the law decides."""
    registration, founders = profile.legal("registration"), profile.legal("minimum_founders")
    if registration is None and founders is None:
        return text("registration.law_decides")
    said = []
    if registration is not None:
        said.append(text("registration.law_registration", country=profile.country, registration=registration.value))
    if founders is not None:
        said.append(text("registration.law_founders", country=profile.country, founders=amount(float(founders.value))))
    return " ".join([*said, text("registration.law_source")])


def registration_timeline() -> ExerciseFrame:
    """Module 4: the steps to registration as a timeline the group can adjust."""
    steps = RowsEditor(
        [
            Column("step", text("registration.step"), kind="text", width="30em"),
            Column("weeks", text("registration.weeks"), default=1, width="12em", bounds=Bounds(above_minimum=True)),
        ],
        [{"step": s["label"], "weeks": s["weeks"]} for s in _list("registration_steps")],
        label=text("registration.steps"),
    )
    table = ResultsTable(text("registration.table_caption"))
    chart = Chart(height_inches=3.8)
    law_note = shared.html()
    frame = ExerciseFrame(
        "start_coop.registration",
        text("registration.title"),
        text("registration.instructions"),
        {"steps": steps},
        [law_note, table, chart],
    )

    def update() -> None:
        plan = tl.plan_steps([(row["step"], row["weeks"]) for row in steps.value])
        table.show(
            {
                text("registration.step"): [step.name for step in plan.steps],
                text("registration.col_start"): [amount(step.start_week) for step in plan.steps],
                text("registration.col_end"): [amount(step.end_week) for step in plan.steps],
            }
        )
        frame.feedback.show(
            "info", text("registration.total", weeks=amount(plan.total_weeks), months=decimal(plan.total_months))
        )
        law_note.value = f'<p class="coop-instructions">{html.escape(_registration_law(current_profile()))}</p>'

        chart.draw(
            lambda axes: _plot_timeline(axes, plan),
            text("registration.chart_alt", steps=len(plan.steps), weeks=amount(plan.total_weeks)),
        )

    return frame.bind(update)


def _plot_timeline(axes: Axes, plan: tl.Timeline) -> None:
    labels = [_chart_label(step.name if len(step.name) <= 38 else step.name[:36] + "…") for step in plan.steps]
    axes.barh(labels, [step.weeks for step in plan.steps], left=[step.start_week for step in plan.steps])
    axes.invert_yaxis()
    axes.set_xlabel(text("registration.chart_x"))
    axes.tick_params(axis="y", labelsize=8)
    axes.grid(axis="x", alpha=0.3)


def founding_assembly() -> ExerciseFrame:
    """Module 4: the founding general assembly as a role play (adopt the by-laws, elect the first
    board), run with Manage.Coop's meeting tracker and saved under its own id, minutes included."""
    return RolePlayTracker(
        FOUNDING_CARD,
        exercise_id=FOUNDING_ASSEMBLY,
        title=text("founding.title"),
        instructions=text("founding.instructions"),
    ).frame
