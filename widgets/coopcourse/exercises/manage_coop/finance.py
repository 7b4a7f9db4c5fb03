"""Manage.Coop module 6, financial management: sharing out the surplus, and reading the
income statement and balance sheet with the ratios a board should watch."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import ipywidgets as widgets

from coopcourse import documents
from coopcourse.calculations import reports
from coopcourse.calculations import statements as fs
from coopcourse.calculations import surplus as sp
from coopcourse.calculations.rounding import shown
from coopcourse.calculations.validation import Bounds
from coopcourse.components import (
    Chart,
    Column,
    DocumentDownload,
    ExerciseFrame,
    NumberField,
    ResultsTable,
    RowsEditor,
    shared,
)
from coopcourse.components.download import file_name
from coopcourse.components.feedback import Kind
from coopcourse.content.country import CountryProfile
from coopcourse.errors import CourseInputError
from coopcourse.exercises.common import scenario_picker, scenario_values
from coopcourse.exercises.course import FUND_ORDER, fund_rule_text
from coopcourse.formatting import axis_whole, decimal, money, percent
from coopcourse.saving import current_profile, current_session
from coopcourse.text import text

if TYPE_CHECKING:
    from matplotlib.axes import Axes

SURPLUS = "manage_coop.surplus_distribution"
STATEMENTS = "manage_coop.financial_statements"


# --- Surplus distribution ---------------------------------------------------------------------


def surplus_distribution(scenario: str | None = None) -> ExerciseFrame:
    """Funds first, then interest on share capital (capped) and patronage refunds; a statement
    for each member, downloadable as Markdown and Word."""
    start = scenario_values("surplus_distribution", scenario)
    fields: dict[str, widgets.DOMWidget] = {
        "net_surplus": NumberField(
            text("surplus.net_surplus"), start["net_surplus"], Bounds(minimum=None), width="34em"
        ),
        **{
            f"{fund}_percent": NumberField(
                text(f"surplus.{fund}_percent"), start[f"{fund}_percent"], Bounds(maximum=100), unit="%", width="34em"
            )
            for fund in sp.FUNDS
        },
        "isc_share_percent": NumberField(
            text("surplus.isc_share_percent"), start["isc_share_percent"], Bounds(maximum=100), unit="%", width="34em"
        ),
        "isc_rate_cap_percent": NumberField(
            text("surplus.isc_rate_cap_percent"),
            start["isc_rate_cap_percent"],
            Bounds(maximum=100),
            unit="%",
            width="34em",
        ),
        "members": RowsEditor(
            [
                Column("name", text("surplus.member_name"), kind="text", width="17em"),
                Column("share_capital", text("surplus.share_capital"), width="18em"),
                Column("transactions", text("surplus.transactions"), width="16em"),
            ],
            start["members"],
            label=text("surplus.members"),
        ),
    }
    guidance = shared.html()
    cap_note = shared.html()
    allocation = ResultsTable(text("surplus.allocation_caption"))
    rates = ResultsTable(text("surplus.rates_caption"))
    per_member = ResultsTable(text("surplus.members_caption"))
    chart = Chart(height_inches=3.2)
    export = DocumentDownload(text("surplus.export"))
    frame = ExerciseFrame(
        SURPLUS,
        text("surplus.title"),
        text("surplus.instructions"),
        fields,
        [guidance, cap_note, allocation, rates, per_member, chart, export],
    )
    scenario_picker("surplus_distribution", frame)
    session = current_session()
    latest: dict[str, tuple[sp.Distribution, sp.SurplusInputs]] = {}  # the last good results
    fund_keys = [f"{fund}_percent" for fund in sp.FUNDS]
    last_fund: list[str] = []  # the fund percentage the learner changed last

    def remember(key: str) -> None:
        if not frame.applying:
            last_fund[:] = [key]

    for key in fund_keys:
        fields[key].observe(lambda _change, key=key: remember(key), names="value")

    def update() -> None:
        inputs = frame.read(sp.SurplusInputs, members=sp.members_from_rows(fields["members"].value))
        try:
            result = sp.distribute(inputs)
        except CourseInputError as error:
            # "The funds add up to more than 100%" belongs next to the percentage the learner just
            # changed, not next to the last fund in the list (the one that tips the total over).
            if error.field in fund_keys and last_fund and error.field != last_fund[0]:
                raise CourseInputError(error.message, last_fund[0]) from None
            raise
        profile = current_profile()
        act = profile.legal("act")
        law = str(act.value) if act else profile.country
        guidance.value = _guidance_html(profile, sp.guidance_notes(inputs, profile.surplus_funds, law))
        cap_note.value = (
            f'<p class="coop-instructions">{html.escape(reports.surplus_cap_text(result, inputs))}</p>'
            if result.has_surplus
            else ""
        )
        allocation.show(reports.surplus_allocation_rows(result), columns=reports.surplus_allocation_header())
        rates.show(reports.surplus_rate_rows(result), columns=[text("surplus.col_figure"), text("surplus.col_value")])
        per_member.show(reports.surplus_member_rows(result), columns=reports.surplus_member_header())
        if result.has_surplus:
            frame.feedback.show("success", reports.surplus_summary(result))
            chart.layout.display = None
            chart.draw(lambda axes: _plot_allocation(axes, result), _chart_alt(result))
        else:
            frame.feedback.show(
                "info" if shown(result.net_surplus) == 0 else "warning", reports.no_surplus_text(result)
            )
            chart.layout.display = "none"
        latest["result"] = (result, inputs)
        export.withdraw()  # an earlier download no longer matches the figures

    def statements_file() -> tuple[documents.Document, str]:
        return (
            reports.surplus_statements(*latest["result"], session.learner),
            file_name("surplus_statements", session.learner, "files.unnamed_cooperative"),
        )

    export.bind(frame, statements_file)
    return frame.bind(update)


def _guidance_html(profile: CountryProfile, notes: tuple[str, ...]) -> str:
    """What the chosen country's law says about the funds (or that the law decides), then the
    departures from it: advice, never an error."""
    if profile.surplus_funds:
        act = profile.legal("act")
        lines = [text("surplus.guidance_profile", country=profile.country, act=act.value if act else profile.country)]
        lines += [
            fund_rule_text(fund, profile.surplus_funds[fund]) for fund in FUND_ORDER if fund in profile.surplus_funds
        ]
    else:
        lines = [text("surplus.guidance_no_profile")]
    lines.append(text("surplus.guidance_ica"))
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    warnings = "".join(f'<div class="coop-feedback coop-warning" role="status">{html.escape(n)}</div>' for n in notes)
    return (
        f'<details class="coop-guidance" open><summary class="coop-rows-label">'
        f"{html.escape(text('surplus.guidance_title'))}</summary><ul>{items}</ul></details>{warnings}"
    )


def _plot_allocation(axes: Axes, result: sp.Distribution) -> None:
    parts = result.allocations()
    names = [reports.fund_name(key) for key, _amount in parts]
    amounts = [amount for _key, amount in parts]
    colours = ["#455a64"] * len(sp.FUNDS) + ["#1f5f8b", "#d35400"]
    bars = axes.barh(names, amounts, color=colours)
    axes.bar_label(bars, labels=[money(a) for a in amounts], padding=3, fontsize=8)
    axes.invert_yaxis()
    axes.set_xlim(0, max(amounts) * 1.3 or 1)
    axes.set_xlabel(text("surplus.chart_x"))
    axes.xaxis.set_major_formatter(axis_whole)
    axes.grid(axis="x", alpha=0.3)


def _chart_alt(result: sp.Distribution) -> str:
    parts = "; ".join(
        text("surplus.chart_part", name=reports.fund_name(key), amount=money(amount))
        for key, amount in result.allocations()
    )
    return text("surplus.chart_alt", surplus=money(result.net_surplus), parts=parts)


# --- Income statement, balance sheet and ratios -----------------------------------------------


def financial_statements(scenario: str | None = None) -> ExerciseFrame:
    """The two statements from a few figures, the balance check, and six ratios read in words."""
    start = scenario_values("financial_statements", scenario)
    fields: dict[str, widgets.DOMWidget] = {
        key: NumberField(text(f"statements.{key}"), start[key], width="34em") for key in fs.INPUT_KEYS
    }
    income = ResultsTable(text("statements.income_caption"))
    balance = ResultsTable(text("statements.balance_caption"))
    ratios = ResultsTable(text("statements.ratios_caption"))
    chart = Chart(width_inches=6.0, height_inches=3.6)
    frame = ExerciseFrame(
        STATEMENTS, text("statements.title"), text("statements.instructions"), fields, [income, balance, ratios, chart]
    )
    scenario_picker("financial_statements", frame)

    def update() -> None:
        inputs = frame.read(fs.StatementInputs)
        result = fs.analyse(inputs)
        item, amount_col = text("statements.col_item"), text("statements.col_amount")
        income.show(_income_rows(result.income), columns=[item, amount_col])
        balance.show(_balance_rows(result.balance), columns=[item, amount_col])
        ratios.show(
            _ratio_rows(result),
            columns=[
                text("statements.col_ratio"),
                text("statements.col_value"),
                text("statements.col_light"),
                text("statements.col_reading"),
            ],
        )
        frame.feedback.show(*_statements_feedback(result))
        sheet = result.balance
        chart.draw(
            lambda axes: _plot_balance(axes, sheet),
            text(
                "statements.chart_alt",
                assets=money(sheet.total_assets),
                other=money(sheet.liabilities_and_equity),
                equity=money(sheet.equity),
            ),
        )

    return frame.bind(update)


def _income_rows(income: fs.IncomeStatement) -> list[tuple[str, str]]:
    return [
        (text("statements.sales_members"), money(income.sales_members)),
        (text("statements.sales_non_members"), money(income.sales_non_members)),
        (text("statements.total_sales"), money(income.total_sales)),
        (text("statements.cost_of_goods_sold"), money(-income.cost_of_goods_sold)),
        (text("statements.gross_margin_line"), money(income.gross_margin)),
        (text("statements.operating_expenses"), money(-income.operating_expenses)),
        (text("statements.operating_result"), money(income.operating_result)),
        (text("statements.interest_paid"), money(-income.interest_paid)),
        (text("statements.net_surplus"), money(income.net_surplus)),
    ]


def _balance_rows(sheet: fs.BalanceSheet) -> list[tuple[str, str]]:
    rows = [
        (text("statements.cash"), money(sheet.cash)),
        (text("statements.receivables"), money(sheet.receivables)),
        (text("statements.inventory"), money(sheet.inventory)),
        (text("statements.current_assets"), money(sheet.current_assets)),
        (text("statements.fixed_assets"), money(sheet.fixed_assets)),
        (text("statements.total_assets"), money(sheet.total_assets)),
        (text("statements.current_liabilities"), money(sheet.current_liabilities)),
        (text("statements.long_term_loans"), money(sheet.long_term_loans)),
        (text("statements.total_liabilities"), money(sheet.total_liabilities)),
        (text("statements.share_capital"), money(sheet.share_capital)),
        (text("statements.reserves"), money(sheet.reserves)),
        (text("statements.surplus_of_year"), money(sheet.surplus_of_year)),
        (text("statements.total_equity"), money(sheet.equity)),
        (text("statements.liabilities_and_equity"), money(sheet.liabilities_and_equity)),
    ]
    if not sheet.balances:
        rows.append((text("statements.difference"), money(sheet.difference)))
    return rows


def _ratio_value(ratio: fs.Ratio) -> str:
    if ratio.value is None:
        return text("statements.not_available")
    return percent(ratio.value) if ratio.is_percent else decimal(ratio.value, 2)


def _ratio_rows(result: fs.Statements) -> list[tuple[str, str, str, str]]:
    return [
        (text(f"statements.ratio_{r.key}"), _ratio_value(r), text(f"statements.light_{r.light.value}"), r.reading)
        for r in result.ratios
    ]


def _statements_feedback(result: fs.Statements) -> tuple[Kind, str]:
    sheet = result.balance
    if not sheet.balances:
        return "warning", text(
            "statements.not_balanced",
            assets=money(sheet.total_assets),
            other=money(sheet.liabilities_and_equity),
            difference=money(sheet.difference),
        )
    red = [r for r in result.ratios if r.light is fs.Light.RED]
    amber = [r for r in result.ratios if r.light is fs.Light.AMBER]

    def names(items: list[fs.Ratio]) -> str:
        return "; ".join(text(f"statements.ratio_{r.key}") for r in items)

    if red:
        return "warning", text("statements.summary_red", count=len(red), names=names(red))
    if amber:
        return "info", text("statements.summary_amber", count=len(amber), names=names(amber))
    return "success", text("statements.summary_green")


def _plot_balance(axes: Axes, sheet: fs.BalanceSheet) -> None:
    columns = (text("statements.chart_assets"), text("statements.chart_other"))
    stacks = (
        [
            (text("statements.cash"), sheet.cash, "#90caf9"),
            (text("statements.receivables"), sheet.receivables, "#42a5f5"),
            (text("statements.inventory"), sheet.inventory, "#1e88e5"),
            (text("statements.fixed_assets"), sheet.fixed_assets, "#0d47a1"),
        ],
        [
            (text("statements.current_liabilities"), sheet.current_liabilities, "#ffb74d"),
            (text("statements.long_term_loans"), sheet.long_term_loans, "#e65100"),
            (text("statements.total_equity"), max(sheet.equity, 0.0), "#2e7d32"),
        ],
    )
    for position, stack in enumerate(stacks):
        bottom = 0.0
        for label, value, colour in stack:
            axes.bar(
                position, value, bottom=bottom, color=colour, edgecolor="white", width=0.55, label=label.split(" (")[0]
            )
            bottom += value
    axes.set_xticks([0, 1], columns)
    axes.set_xlim(-0.5, 2.9)
    axes.set_ylabel(text("statements.chart_y"))
    axes.legend(loc="upper right", fontsize="small")
    axes.grid(axis="y", alpha=0.3)
