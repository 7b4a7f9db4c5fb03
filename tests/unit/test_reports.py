"""Every printable document built in one place (calculations.reports), and the totals and shares
the tables and documents show (added up in the calculations, not in the exercises)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopcourse import documents
from coopcourse.calculations import cash_flow as cf
from coopcourse.calculations import communication as cm
from coopcourse.calculations import feasibility as fz
from coopcourse.calculations import first_year, reports
from coopcourse.calculations import joint_purchasing as jp
from coopcourse.calculations import shared_equipment as se
from coopcourse.calculations import surplus as sp
from coopcourse.errors import CourseInputError
from coopcourse.text import text


def surplus_inputs(net_surplus: float = 1_000_000, members: tuple[sp.Member, ...] = ()) -> sp.SurplusInputs:
    return sp.SurplusInputs(
        net_surplus=net_surplus,
        reserve_percent=10,
        education_percent=10,
        community_percent=3,
        optional_percent=7,
        isc_share_percent=70,
        isc_rate_cap_percent=10,
        members=members or (sp.Member("A", 4_000_000, 1_000_000), sp.Member("B", 3_000_000, 20_000_000)),
    )


# --- totals and shares ----------------------------------------------------------------------------


def test_allocation_shares_worked_by_hand() -> None:
    shares = sp.allocation_shares(sp.distribute(surplus_inputs()))
    assert [(s.key, s.amount, s.percent) for s in shares] == [
        ("reserve", 100_000, 10),
        ("education", 100_000, 10),
        ("community", 30_000, 3),
        ("optional", 70_000, pytest.approx(7)),
        ("isc", 490_000, 49),
        ("refunds", 210_000, 21),
        ("total", 1_000_000, 100),
    ]


@pytest.mark.parametrize("net_surplus", [0, -5_000])
def test_no_surplus_has_no_shares(net_surplus: float) -> None:
    shares = sp.allocation_shares(sp.distribute(surplus_inputs(net_surplus)))
    assert all(s.amount == 0 and s.percent == 0 for s in shares)


def test_members_total_adds_up_every_column() -> None:
    result = sp.distribute(surplus_inputs())
    total = sp.members_total(result, "Total")
    # 490,000 interest on 7,000,000 capital (7%); 210,000 refunds on 21,000,000 business (1%).
    assert (total.name, total.share_capital, total.transactions) == ("Total", 7_000_000, 21_000_000)
    assert math.isclose(total.interest, 490_000) and math.isclose(total.refund, 210_000)
    assert math.isclose(total.total, 700_000)


@given(st.floats(1, 1e9), st.lists(st.tuples(st.floats(0, 1e7), st.floats(1, 1e7)), min_size=1, max_size=6))
def test_shares_of_a_surplus_add_up_to_the_whole(net_surplus: float, members: list[tuple[float, float]]) -> None:
    inputs = surplus_inputs(net_surplus, tuple(sp.Member(f"M{i}", c, t) for i, (c, t) in enumerate(members)))
    shares = sp.allocation_shares(sp.distribute(inputs))
    total = shares[-1]
    assert total.key == "total" and math.isclose(total.percent, 100, rel_tol=1e-9)
    assert math.isclose(sum(s.percent for s in shares[:-1]), 100, rel_tol=1e-9)


def test_shared_machine_saving_is_the_sum_of_the_members_savings() -> None:
    machine = se.Machine(10_000, 5, 0, 0, 0, 0)  # 2,000 a year, nothing per unit
    result = se.share_machine(machine, [se.MemberUse("A", 100), se.MemberUse("B", 300)])
    # Alone each pays 2,000; shared A pays 500 and B 1,500: together they save 2,000.
    assert se.total_saving(result) == pytest.approx(2_000)


def test_typical_quantity_is_the_average_order() -> None:
    group = jp.buy_together([jp.MemberOrder("A", 100), jp.MemberOrder("B", 300)], [jp.PriceTier(0, 10)], 0)
    assert jp.typical_quantity(group) == 200


# --- documents ------------------------------------------------------------------------------------


def honey_plan() -> documents.Document:
    inputs = fz.FeasibilityInputs(
        price=9,
        variable_cost=5.5,
        fixed_costs=14_000,
        expected_volume=6_000,
        market_size=40_000,
        investment=30_000,
        loans=12_000,
        grants=6_000,
        members=15,
    )
    result = fz.analyse(inputs)
    flow = cf.project(
        first_year.cash_flow_inputs(inputs, result, working_capital=3_000, ramp_up_months=3, monthly_loan_repayment=0)
    )
    return reports.business_plan(
        "Honey jars",
        ["Ana", "Ben"],
        inputs,
        result,
        flow,
        {"risks": "Drought.\n\nA buyer leaves.", "operations": ""},
        "Riverside group",
    )


def test_business_plan_has_the_idea_figures_sections_and_cash_flow() -> None:
    plan = honey_plan()
    assert "Honey jars" in plan.title and "Riverside group" in plan.subtitle
    idea, feasibility, risks, operations, cash = plan.sections
    assert idea.bullets == ("Ana", "Ben")
    assert feasibility.table is not None and (text("feasibility.break_even"), "4,000") in feasibility.table.rows
    assert risks.paragraphs == ("Drought.", "A buyer leaves.")
    assert operations.paragraphs and operations.paragraphs[0]  # "not written yet", in words
    assert cash.table is not None and len(cash.table.rows) == 12
    # Month 1: 125 jars (a quarter of 500 while sales ramp up) leave 2,270.83 of the 3,000.
    assert cash.table.rows[0] == ("1", "125", "1,125.00", "1,854.17", "2,270.83")


def test_surplus_statements_have_one_section_per_member() -> None:
    result = sp.distribute(surplus_inputs())
    document = reports.surplus_statements(result, surplus_inputs(), None)
    assert [s.heading for s in document.sections[2:]] == ["A", "B"]
    overview = document.sections[0].table
    assert overview is not None and overview.rows[-1][1:] == ("1,000,000.00", "100.0%")
    member_a = document.sections[2].table
    assert member_a is not None and member_a.rows[-1][-1] == "290,000.00"  # 7% of 4,000,000 + 1% of 1,000,000


def test_agenda_document_lists_items_with_clock_times_and_what_to_watch() -> None:
    agenda = cm.build_agenda(
        18,
        0,
        30,
        [
            {"title": "Report", "minutes": 20, "kind": "information"},
            {"title": "Truck", "minutes": 20, "kind": "decision"},
        ],
    )
    document = reports.meeting_agenda("Board", agenda)
    items, watch = document.sections
    assert items.table is not None and [row[:2] for row in items.table.rows] == [
        ("18:00–18:20", "Report"),
        ("18:20–18:40", "Truck"),
    ]
    assert watch.bullets == tuple(reports.agenda_points(agenda)) and len(watch.bullets) >= 2  # over time


def test_an_agenda_item_of_an_unknown_kind_is_refused_in_words() -> None:
    # Found by the hostile-values test: an Agenda built by hand with kind "A" raised KeyError.
    item = cm.TimedItem(number=1, title="A", kind="A", minutes=0, start=0, end=0)
    agenda = cm.Agenda(start=0, planned_minutes=0, items=(item,), squeezed=(), has_other_business=False, warnings=())
    with pytest.raises(CourseInputError, match=text("agenda.error_kind", row=1)):
        reports.agenda_rows(agenda)


def test_items_sent_only_when_needed_are_counted_over_every_channel() -> None:
    def row(channel: str, frequency: str) -> dict[str, str]:
        return {
            "audience": "members",
            "information": "News",
            "channel": channel,
            "frequency": frequency,
            "responsible": "Ana",
        }

    review = cm.review_plan(
        [
            row("radio", "when_needed"),
            row("visit", "when_needed"),
            row("meeting", "monthly"),
            row("radio", "when_needed"),
        ]
    )
    assert cm.items_when_needed(review) == 3
