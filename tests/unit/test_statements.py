"""Income statement, balance sheet and board ratios: hand-worked cases and properties."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopcourse.calculations import statements as fs
from coopcourse.calculations.statements import Light
from coopcourse.errors import CourseInputError

# The village store scenario: sales 500,000 (420,000 to members), gross margin 120,000,
# operating result 25,000, net surplus 20,000; assets 200,000 = 100,000 liabilities + 100,000 equity.
STORE = dict(
    sales_members=420_000,
    sales_non_members=80_000,
    cost_of_goods_sold=380_000,
    operating_expenses=95_000,
    interest_paid=5_000,
    cash=30_000,
    receivables=15_000,
    inventory=45_000,
    fixed_assets=110_000,
    current_liabilities=60_000,
    long_term_loans=40_000,
    share_capital=55_000,
    reserves=25_000,
)


def analyse(**changes) -> fs.Statements:
    return fs.analyse(fs.StatementInputs(**{**STORE, **changes}))


def test_the_village_store_by_hand() -> None:
    result = analyse()
    income, sheet = result.income, result.balance
    assert income.total_sales == 500_000
    assert income.gross_margin == 120_000
    assert income.operating_result == 25_000
    assert income.net_surplus == 20_000
    assert sheet.current_assets == 90_000 and sheet.total_assets == 200_000
    assert sheet.total_liabilities == 100_000
    assert sheet.equity == 100_000  # 55,000 + 25,000 + this year's 20,000
    assert sheet.balances and sheet.difference == 0
    assert result.ratio("current_ratio").value == pytest.approx(1.5)
    assert result.ratio("debt_to_equity").value == pytest.approx(1.0)
    assert result.ratio("equity_ratio").value == pytest.approx(50.0)
    assert result.ratio("gross_margin").value == pytest.approx(24.0)
    assert result.ratio("net_margin").value == pytest.approx(4.0)
    assert result.ratio("member_share").value == pytest.approx(84.0)
    assert all(r.light is Light.GREEN for r in result.ratios)
    assert result.warnings == ()


def test_the_dairy_under_pressure_by_hand() -> None:
    result = fs.analyse(
        fs.StatementInputs(
            sales_members=900_000,
            sales_non_members=600_000,
            cost_of_goods_sold=1_290_000,
            operating_expenses=190_000,
            interest_paid=28_000,
            cash=10_000,
            receivables=120_000,
            inventory=50_000,
            fixed_assets=420_000,
            current_liabilities=240_000,
            long_term_loans=200_000,
            share_capital=120_000,
            reserves=48_000,
        )
    )
    assert result.income.net_surplus == -8_000
    assert result.balance.equity == 160_000 and result.balance.balances
    assert result.ratio("current_ratio").value == pytest.approx(0.75)
    assert result.ratio("current_ratio").light is Light.RED
    assert "may not be able to pay its bills due within a year" in result.ratio("current_ratio").reading
    assert result.ratio("debt_to_equity").value == pytest.approx(2.75)
    assert result.ratio("debt_to_equity").light is Light.RED
    assert result.ratio("equity_ratio").light is Light.AMBER  # 26.7%
    assert result.ratio("gross_margin").light is Light.GREEN  # 14%
    assert result.ratio("net_margin").light is Light.RED  # a loss
    assert result.ratio("member_share").value == pytest.approx(60.0)
    assert {r.key for r in result.warnings} == {"current_ratio", "debt_to_equity", "net_margin"}


def test_an_unbalanced_sheet_reports_the_difference() -> None:
    result = analyse(cash=35_000)
    assert not result.balance.balances
    assert result.balance.difference == pytest.approx(5_000)
    result = analyse(reserves=30_000)
    assert result.balance.difference == pytest.approx(-5_000)


@pytest.mark.parametrize(
    "current_liabilities, light",
    [(100_000, Light.RED), (90_000, Light.AMBER), (65_000, Light.AMBER), (60_000, Light.GREEN)],
)
def test_current_ratio_thresholds(current_liabilities: float, light: Light) -> None:
    assert analyse(current_liabilities=current_liabilities).ratio("current_ratio").light is light


def test_ratios_that_cannot_be_computed_say_so(learner_message) -> None:
    result = analyse(
        sales_members=0,
        sales_non_members=0,
        cost_of_goods_sold=0,
        operating_expenses=0,
        interest_paid=0,
        current_liabilities=0,
    )
    assert result.ratio("current_ratio").value is None and result.ratio("current_ratio").light is Light.GREEN
    for key in ("gross_margin", "net_margin", "member_share"):
        assert result.ratio(key).value is None and result.ratio(key).light is Light.NONE
        learner_message(result.ratio(key).reading)
    broke = analyse(share_capital=0, reserves=0, operating_expenses=200_000)
    assert broke.balance.equity < 0
    assert broke.ratio("debt_to_equity").value is None and broke.ratio("debt_to_equity").light is Light.RED
    empty = fs.analyse(fs.StatementInputs(**{key: 0 for key in fs.INPUT_KEYS}))
    assert empty.ratio("equity_ratio").light is Light.NONE and empty.ratio("current_ratio").light is Light.NONE


@pytest.mark.parametrize(
    "key, value, says",
    [
        ("cash", -1, "at least 0"),
        ("sales_members", float("nan"), "please enter a number"),
        ("reserves", 1e15, "at most"),
        ("interest_paid", float("inf"), "please enter a number"),
    ],
)
def test_invalid_inputs_name_the_field(key: str, value: float, says: str, learner_message) -> None:
    with pytest.raises(CourseInputError) as caught:
        analyse(**{key: value})
    assert caught.value.field == key
    assert says in caught.value.message
    learner_message(caught.value.message)


amounts = st.floats(min_value=0, max_value=1e9, allow_nan=False)


@given(st.fixed_dictionaries({key: amounts for key in fs.INPUT_KEYS}))
def test_statements_hold_together(values: dict[str, float]) -> None:
    result = fs.analyse(fs.StatementInputs(**values))
    income, sheet = result.income, result.balance
    assert math.isclose(
        income.net_surplus,
        values["sales_members"]
        + values["sales_non_members"]
        - values["cost_of_goods_sold"]
        - values["operating_expenses"]
        - values["interest_paid"],
        abs_tol=1e-3,
    )
    assert sheet.surplus_of_year == income.net_surplus
    # The difference is that of the two totals as the page shows them (to the cent).
    assert math.isclose(sheet.difference, sheet.total_assets - sheet.total_liabilities - sheet.equity, abs_tol=0.01)
    assert len(result.ratios) == 6
    for ratio in result.ratios:
        assert ratio.reading and "{" not in ratio.reading
        assert (ratio.value is None) == (ratio.light is Light.NONE) or ratio.key in {"current_ratio", "debt_to_equity"}
    share = result.ratio("member_share")
    if share.value is not None:
        assert 0 <= share.value <= 100


@given(st.fixed_dictionaries({key: amounts for key in fs.INPUT_KEYS}))
def test_a_balanced_sheet_balances(values: dict[str, float]) -> None:
    # Make it balance by choosing the reserves: assets - liabilities - share capital - surplus.
    income = fs.analyse(fs.StatementInputs(**values)).income
    reserves = (
        values["cash"]
        + values["receivables"]
        + values["inventory"]
        + values["fixed_assets"]
        - values["current_liabilities"]
        - values["long_term_loans"]
        - values["share_capital"]
        - income.net_surplus
    )
    if reserves < 0:
        return
    result = fs.analyse(fs.StatementInputs(**{**values, "reserves": reserves}))
    # The totals are compared as the page shows them, to the cent: a float error can straddle half
    # a cent, and then the page shows totals a cent apart and says so.
    assert abs(result.balance.difference) <= 0.01 + 1e-9
    assert result.balance.balances == (
        f"{result.balance.total_assets:,.2f}" == f"{result.balance.liabilities_and_equity:,.2f}"
    )


def test_balances_when_and_only_when_the_totals_shown_are_equal() -> None:
    # Assets 100.004 are shown as 100.00, liabilities and equity 100.006 as 100.01: a difference of
    # 0.01 that the page shows, though the raw difference is under half a cent.
    zero = {key: 0 for key in fs.INPUT_KEYS}
    uneven = fs.analyse(fs.StatementInputs(**{**zero, "cash": 100.004, "share_capital": 100.006}))
    assert not uneven.balance.balances and uneven.balance.difference == -0.01
    even = fs.analyse(fs.StatementInputs(**{**zero, "cash": 100.004, "share_capital": 100.001}))
    assert even.balance.balances and even.balance.difference == 0


def test_lights_compare_the_ratio_as_shown() -> None:
    # Current assets 90,000 against 90,050 of current liabilities: 0.9994, shown as "1.00": not below 1.
    ratio = analyse(current_liabilities=90_050).ratio("current_ratio")
    assert ratio.value < 1 and f"{ratio.value:.2f}" == "1.00"
    assert ratio.light is Light.AMBER and "Current ratio of 1.00, between 1 and 1.5" in ratio.reading
    # A gross margin of 9.96% is shown as "10.0%": green, not amber.
    margin = analyse(cost_of_goods_sold=450_200).ratio("gross_margin")
    assert 9.95 < margin.value < 10 and margin.light is Light.GREEN
    # A net loss of 0.004 is shown as 0.00: no loss, so not red.
    net = analyse(operating_expenses=95_000, interest_paid=5_000, cost_of_goods_sold=400_000.004)
    assert net.income.net_surplus < 0 and net.ratio("net_margin").light is Light.AMBER


@pytest.mark.parametrize(
    "key, bounds",
    [
        ("current_ratio", [(0.99, Light.RED), (1.0, Light.AMBER), (1.49, Light.AMBER), (1.5, Light.GREEN)]),
        ("debt_to_equity", [(2.01, Light.RED), (2.0, Light.AMBER), (1.01, Light.AMBER), (1.0, Light.GREEN)]),
        ("equity_ratio", [(19.9, Light.RED), (20.0, Light.AMBER), (29.9, Light.AMBER), (30.0, Light.GREEN)]),
        ("gross_margin", [(0.0, Light.RED), (0.1, Light.AMBER), (9.9, Light.AMBER), (10.0, Light.GREEN)]),
        ("net_margin", [(1.9, Light.AMBER), (2.0, Light.GREEN)]),
        ("member_share", [(49.9, Light.AMBER), (50.0, Light.GREEN)]),
    ],
)
def test_each_table_of_thresholds(key: str, bounds: list[tuple[float, Light]]) -> None:
    # The same bands as the branches they replace: each side of every threshold.
    for value, light in bounds:
        assert fs._judge(key, value).light is light, (key, value)
    assert fs._judge("net_margin", 5.0, loss=True).light is Light.RED
