"""The business plan's first year: the feasibility study by month, with the opening cash."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopcourse.calculations import cash_flow as cf
from coopcourse.calculations import feasibility as fz
from coopcourse.calculations import first_year
from coopcourse.errors import CourseInputError


def honey(**changes) -> fz.FeasibilityInputs:
    base = {
        "price": 9,
        "variable_cost": 5.5,
        "fixed_costs": 14_000,
        "expected_volume": 6_000,
        "market_size": 40_000,
        "investment": 30_000,
        "loans": 12_000,
        "grants": 6_000,
        "members": 15,
        "affordable_share": 1_000,
    }
    base.update(changes)
    return fz.FeasibilityInputs(**base)


def test_opening_cash_worked_by_hand() -> None:
    inputs = honey()
    result = fz.analyse(inputs)
    # Members raise 30,000 - 12,000 - 6,000 = 12,000; with the loans and grants that is the 30,000
    # the investment costs, so the cash at the start is the working capital the members add.
    assert result.capital_to_raise == 12_000
    assert first_year.opening_cash(inputs, result, 3_000) == 3_000
    assert first_year.opening_cash(inputs, result, 0) == 0


def test_grants_above_the_investment_stay_in_the_cash() -> None:
    inputs = honey(investment=10_000, loans=8_000, grants=6_000)
    result = fz.analyse(inputs)
    assert result.capital_to_raise == 0  # nothing left for the members to raise
    assert first_year.opening_cash(inputs, result, 1_000) == 5_000  # 8,000 + 6,000 - 10,000 + 1,000


def test_cash_flow_inputs_spread_the_year_over_twelve_months() -> None:
    inputs = honey()
    flow_inputs = first_year.cash_flow_inputs(
        inputs, fz.analyse(inputs), working_capital=3_000, ramp_up_months=3, monthly_loan_repayment=250
    )
    assert flow_inputs == cf.CashFlowInputs(
        opening_cash=3_000,
        full_monthly_volume=500,
        ramp_up_months=3,
        price=9,
        variable_cost=5.5,
        monthly_fixed_costs=14_000 / 12,
        monthly_loan_repayment=250,
    )
    # Month 1: 500 x 1/4 = 125 jars x 3.50 = 437.50 - 1,166.67 fixed - 250 repaid: 3,000 -> 2,020.83
    assert round(cf.project(flow_inputs).months[0].closing_cash, 2) == 2_020.83


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"working_capital": -1}, "working_capital"),
        ({"working_capital": math.nan}, "working_capital"),
        ({"ramp_up_months": 13}, "ramp_up_months"),
        ({"monthly_loan_repayment": -5}, "monthly_loan_repayment"),
    ],
)
def test_wrong_settings_name_their_field(changes: dict, field: str) -> None:
    inputs = honey()
    settings = {"working_capital": 3_000, "ramp_up_months": 3, "monthly_loan_repayment": 0} | changes
    with pytest.raises(CourseInputError) as caught:
        first_year.cash_flow_inputs(inputs, fz.analyse(inputs), **settings)
    assert caught.value.field == field


@given(st.integers(1, 40_000), st.integers(0, 50_000), st.integers(0, 5_000))
def test_without_ramp_up_the_year_ends_with_the_studys_profit(volume: int, fixed: int, repayment: int) -> None:
    """Full sales from month 1: the twelve months add up to the feasibility study's year."""
    inputs = honey(expected_volume=volume, fixed_costs=fixed)
    result = fz.analyse(inputs)
    flow = cf.project(
        first_year.cash_flow_inputs(
            inputs, result, working_capital=1_000, ramp_up_months=0, monthly_loan_repayment=repayment
        )
    )
    assert math.isclose(sum(m.volume for m in flow.months), volume, rel_tol=1e-9)
    start = first_year.opening_cash(inputs, result, 1_000)
    assert math.isclose(flow.closing_cash, start + result.annual_profit - 12 * repayment, abs_tol=1e-6)
