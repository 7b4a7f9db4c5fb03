"""Manage.Coop module 6, financial management: sharing out the surplus, and reading the
income statement and balance sheet with the ratios a board should watch."""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd
from matplotlib.axes import Axes

from coopcourse import documents
from coopcourse.calculations import statements as st
from coopcourse.calculations import surplus as sp
from coopcourse.components import (
    Chart,
    Column,
    DownloadLink,
    ExerciseFrame,
    NumberField,
    ResultsTable,
    RowsEditor,
)
from coopcourse.components.download import file_slug
from coopcourse.errors import CourseInputError
from coopcourse.exercises.common import money, percent, scenario_picker, scenario_values
from coopcourse.saving import current_session
from coopcourse.calculations.validation import Bounds
from coopcourse.text import text

SURPLUS = "manage_coop.surplus_distribution"
STATEMENTS = "manage_coop.financial_statements"

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _rate(fraction: float) -> str:
    return f"{fraction * 100:.2f}%"


# --- Surplus distribution ---------------------------------------------------------------------

def surplus_distribution(scenario: str | None = None) -> ExerciseFrame:
    """Funds first, then interest on share capital (capped) and patronage refunds; a statement
    for each member, downloadable as Markdown and Word."""
    start = scenario_values("surplus_distribution", scenario)
    fields: dict[str, widgets.DOMWidget] = {
        "net_surplus": NumberField(text("surplus.net_surplus"), start["net_surplus"], Bounds(minimum=None), width="34em"),
        **{f"{fund}_percent": NumberField(text(f"surplus.{fund}_percent"), start[f"{fund}_percent"], Bounds(maximum=100), unit="%", width="34em") for fund in sp.FUNDS},
        "isc_share_percent": NumberField(text("surplus.isc_share_percent"), start["isc_share_percent"], Bounds(maximum=100), unit="%", width="34em"),
        "isc_rate_cap_percent": NumberField(text("surplus.isc_rate_cap_percent"), start["isc_rate_cap_percent"], Bounds(maximum=100), unit="%", width="34em"),
        "members": RowsEditor(
            [Column("name", text("surplus.member_name"), kind="text", width="17em"),
             Column("share_capital", text("surplus.share_capital"), width="18em"),
             Column("transactions", text("surplus.transactions"), width="16em")],
            start["members"], label=text("surplus.members")),
    }
    guidance = widgets.HTML(_guidance_html(()))
    cap_note = widgets.HTML()
    allocation = ResultsTable(text("surplus.allocation_caption"))
    rates = ResultsTable(text("surplus.rates_caption"))
    per_member = ResultsTable(text("surplus.members_caption"))
    chart = Chart(height_inches=3.2)
    export_button = widgets.Button(description=text("surplus.export"), button_style="primary", icon="file",
                                   layout=widgets.Layout(width="auto", align_self="flex-start"))
    markdown_link, word_link = DownloadLink(), DownloadLink()
    frame = ExerciseFrame(SURPLUS, text("surplus.title"), text("surplus.instructions"), fields,
                          [guidance, cap_note, allocation, rates, per_member, chart, export_button,
                           markdown_link, word_link])
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
        guidance.value = _guidance_html(sp.guidance_notes(inputs))
        cap_note.value = (f'<p class="coop-instructions">{html.escape(_cap_text(result, inputs))}</p>'
                          if result.has_surplus else "")
        allocation.show(pd.DataFrame(_allocation_rows(result), columns=[
            text("surplus.col_destination"), text("surplus.col_amount"), text("surplus.col_percent")]))
        rates.show(pd.DataFrame(_rate_rows(result), columns=[text("surplus.col_figure"), text("surplus.col_value")]))
        per_member.show(pd.DataFrame(_member_rows(result), columns=_member_header()))
        if result.has_surplus:
            frame.feedback.show("success", _summary(result))
            chart.layout.display = None
            chart.draw(lambda axes: _plot_allocation(axes, result), _chart_alt(result))
        else:
            frame.feedback.show("info" if result.net_surplus == 0 else "warning", _no_surplus_text(result))
            chart.layout.display = "none"
        latest["result"] = (result, inputs)
        markdown_link.value = word_link.value = ""  # an earlier download no longer matches the figures

    def export() -> None:
        document = _statement_document(*latest["result"], session.learner)
        slug = file_slug(session.learner or "cooperative")
        markdown_link.offer(f"surplus-statements-{slug}.md", documents.to_markdown(document).encode("utf-8"),
                            "text/markdown")
        word_link.offer(f"surplus-statements-{slug}.docx", documents.to_docx(document), DOCX_TYPE)

    export_button.on_click(lambda _b: export())
    return frame.bind(update)


def _guidance_html(notes: tuple[str, ...]) -> str:
    items = "".join(f"<li>{html.escape(text(f'surplus.guidance_{k}'))}</li>" for k in ("ra9520", "italy", "ica"))
    warnings = "".join(f'<div class="coop-feedback coop-warning" role="status">{html.escape(n)}</div>' for n in notes)
    return (f'<details class="coop-guidance" open><summary class="coop-rows-label">'
            f'{html.escape(text("surplus.guidance_title"))}</summary><ul>{items}</ul></details>{warnings}')


def _cap_text(result: sp.Distribution, inputs: sp.SurplusInputs) -> str:
    cap = percent(inputs.isc_rate_cap_percent)
    if result.total_share_capital <= 0:
        return text("surplus.cap_no_capital")
    if result.capped:
        return text("surplus.cap_applied", pool=money(result.isc_pool_before_cap),
                    rate=_rate(result.isc_pool_before_cap / result.total_share_capital), cap=cap,
                    paid=money(result.isc_pool), moved=money(result.moved_to_refunds))
    return text("surplus.cap_not_applied", rate=_rate(result.isc_rate), cap=cap)


def _fund_name(key: str) -> str:
    return text(f"surplus.fund_{key}")


def _allocation_rows(result: sp.Distribution) -> list[tuple[str, str, str]]:
    share = (lambda amount: percent(amount / result.net_surplus * 100)) if result.has_surplus else (lambda _a: percent(0))
    rows = [(_fund_name(key), money(amount), share(amount)) for key, amount in result.allocations()]
    total = sum(amount for _key, amount in result.allocations())
    rows.append((text("surplus.total"), money(total), share(total)))
    return rows


def _rate_rows(result: sp.Distribution) -> list[tuple[str, str]]:
    return [
        (text("surplus.total_share_capital"), money(result.total_share_capital)),
        (text("surplus.isc_rate"), _rate(result.isc_rate)),
        (text("surplus.total_transactions"), money(result.total_transactions)),
        (text("surplus.refund_rate"), _rate(result.refund_rate)),
    ]


def _member_header() -> list[str]:
    return [text("surplus.col_member"), text("surplus.col_share_capital"), text("surplus.col_transactions"),
            text("surplus.col_interest"), text("surplus.col_refund"), text("surplus.col_total")]


def _member_rows(result: sp.Distribution) -> list[tuple[str, ...]]:
    rows = [(m.name, money(m.share_capital), money(m.transactions), money(m.interest), money(m.refund),
             money(m.total)) for m in result.members]
    rows.append((text("surplus.total"), money(result.total_share_capital), money(result.total_transactions),
                 money(sum(m.interest for m in result.members)), money(sum(m.refund for m in result.members)),
                 money(sum(m.total for m in result.members))))
    return rows


def _summary(result: sp.Distribution) -> str:
    return text("surplus.summary", surplus=money(result.net_surplus), funds=money(result.total_funds),
                members=money(result.isc_pool + result.refund_pool), isc=money(result.isc_pool),
                isc_rate=_rate(result.isc_rate), refunds=money(result.refund_pool),
                refund_rate=_rate(result.refund_rate))


def _no_surplus_text(result: sp.Distribution) -> str:
    return text("surplus.zero") if result.net_surplus == 0 else text("surplus.loss", loss=money(-result.net_surplus))


def _plot_allocation(axes: Axes, result: sp.Distribution) -> None:
    parts = result.allocations()
    names = [_fund_name(key) for key, _amount in parts]
    amounts = [amount for _key, amount in parts]
    colours = ["#455a64"] * len(sp.FUNDS) + ["#1f5f8b", "#d35400"]
    bars = axes.barh(names, amounts, color=colours)
    axes.bar_label(bars, labels=[money(a) for a in amounts], padding=3, fontsize=8)
    axes.invert_yaxis()
    axes.set_xlim(0, max(amounts) * 1.3 or 1)
    axes.set_xlabel(text("surplus.chart_x"))
    axes.xaxis.set_major_formatter(lambda value, _position: f"{value:,.0f}")
    axes.grid(axis="x", alpha=0.3)


def _chart_alt(result: sp.Distribution) -> str:
    parts = "; ".join(text("surplus.chart_part", name=_fund_name(key), amount=money(amount))
                      for key, amount in result.allocations())
    return text("surplus.chart_alt", surplus=money(result.net_surplus), parts=parts)


def _statement_document(result: sp.Distribution, inputs: sp.SurplusInputs,
                        learner: str | None) -> documents.Document:
    overview_paragraphs = ((_summary(result), _cap_text(result, inputs)) if result.has_surplus
                           else (_no_surplus_text(result),))
    sections = [
        documents.Section(text("surplus.document_overview"), overview_paragraphs, (),
                          documents.Table((text("surplus.col_destination"), text("surplus.col_amount"),
                                           text("surplus.col_percent")), tuple(_allocation_rows(result)))),
        documents.Section(text("surplus.document_rates"), (), (),
                          documents.Table((text("surplus.col_figure"), text("surplus.col_value")),
                                          tuple(_rate_rows(result)))),
    ]
    for member in result.members:
        paragraphs = [text("surplus.statement_intro", capital=money(member.share_capital),
                           transactions=money(member.transactions))]
        if not result.has_surplus:
            paragraphs.append(text("surplus.document_none"))
        sections.append(documents.Section(member.name, tuple(paragraphs), (), documents.Table(
            (text("surplus.col_item"), text("surplus.col_rate"), text("surplus.col_amount")),
            ((text("surplus.fund_isc"), _rate(result.isc_rate), money(member.interest)),
             (text("surplus.fund_refunds"), _rate(result.refund_rate), money(member.refund)),
             (text("surplus.col_total"), "", money(member.total))))))
    return documents.Document(
        title=text("surplus.document_title"),
        subtitle=text("surplus.document_subtitle", group=learner or text("surplus.our_cooperative"),
                      surplus=money(result.net_surplus)),
        sections=tuple(sections),
    )


# --- Income statement, balance sheet and ratios -----------------------------------------------

def financial_statements(scenario: str | None = None) -> ExerciseFrame:
    """The two statements from a few figures, the balance check, and six ratios read in words."""
    start = scenario_values("financial_statements", scenario)
    fields: dict[str, widgets.DOMWidget] = {
        key: NumberField(text(f"statements.{key}"), start[key], width="34em") for key in st.INPUT_KEYS}
    income = ResultsTable(text("statements.income_caption"))
    balance = ResultsTable(text("statements.balance_caption"))
    ratios = ResultsTable(text("statements.ratios_caption"))
    chart = Chart(width_inches=6.0, height_inches=3.6)
    frame = ExerciseFrame(STATEMENTS, text("statements.title"), text("statements.instructions"), fields,
                          [income, balance, ratios, chart])
    scenario_picker("financial_statements", frame)

    def update() -> None:
        inputs = frame.read(st.StatementInputs)
        result = st.analyse(inputs)
        item, amount_col = text("statements.col_item"), text("statements.col_amount")
        income.show(pd.DataFrame(_income_rows(result.income), columns=[item, amount_col]))
        balance.show(pd.DataFrame(_balance_rows(result.balance), columns=[item, amount_col]))
        ratios.show(pd.DataFrame(_ratio_rows(result), columns=[
            text("statements.col_ratio"), text("statements.col_value"), text("statements.col_light"),
            text("statements.col_reading")]))
        frame.feedback.show(*_statements_feedback(result))
        sheet = result.balance
        chart.draw(lambda axes: _plot_balance(axes, sheet), text(
            "statements.chart_alt", assets=money(sheet.total_assets), other=money(sheet.liabilities_and_equity),
            equity=money(sheet.equity)))

    return frame.bind(update)


def _income_rows(income: st.IncomeStatement) -> list[tuple[str, str]]:
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


def _balance_rows(sheet: st.BalanceSheet) -> list[tuple[str, str]]:
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


def _ratio_value(ratio: st.Ratio) -> str:
    if ratio.value is None:
        return text("statements.not_available")
    return percent(ratio.value) if ratio.is_percent else f"{ratio.value:.2f}"


def _ratio_rows(result: st.Statements) -> list[tuple[str, str, str, str]]:
    return [(text(f"statements.ratio_{r.key}"), _ratio_value(r), text(f"statements.light_{r.light.value}"),
             r.reading) for r in result.ratios]


def _statements_feedback(result: st.Statements) -> tuple[str, str]:
    sheet = result.balance
    if not sheet.balances:
        return "warning", text("statements.not_balanced", assets=money(sheet.total_assets),
                               other=money(sheet.liabilities_and_equity), difference=money(sheet.difference))
    red = [r for r in result.ratios if r.light is st.Light.RED]
    amber = [r for r in result.ratios if r.light is st.Light.AMBER]

    def names(items: list[st.Ratio]) -> str:
        return "; ".join(text(f"statements.ratio_{r.key}") for r in items)

    if red:
        return "warning", text("statements.summary_red", count=len(red), names=names(red))
    if amber:
        return "info", text("statements.summary_amber", count=len(amber), names=names(amber))
    return "success", text("statements.summary_green")


def _plot_balance(axes: Axes, sheet: st.BalanceSheet) -> None:
    columns = (text("statements.chart_assets"), text("statements.chart_other"))
    stacks = (
        [(text("statements.cash"), sheet.cash, "#90caf9"), (text("statements.receivables"), sheet.receivables, "#42a5f5"),
         (text("statements.inventory"), sheet.inventory, "#1e88e5"),
         (text("statements.fixed_assets"), sheet.fixed_assets, "#0d47a1")],
        [(text("statements.current_liabilities"), sheet.current_liabilities, "#ffb74d"),
         (text("statements.long_term_loans"), sheet.long_term_loans, "#e65100"),
         (text("statements.total_equity"), max(sheet.equity, 0.0), "#2e7d32")],
    )
    for position, stack in enumerate(stacks):
        bottom = 0.0
        for label, value, colour in stack:
            axes.bar(position, value, bottom=bottom, color=colour, edgecolor="white", width=0.55,
                     label=label.split(" (")[0])
            bottom += value
    axes.set_xticks([0, 1], columns)
    axes.set_xlim(-0.5, 2.9)
    axes.set_ylabel(text("statements.chart_y"))
    axes.legend(loc="upper right", fontsize="small")
    axes.grid(axis="y", alpha=0.3)
