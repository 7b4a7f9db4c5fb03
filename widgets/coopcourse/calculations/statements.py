"""A simple income statement and balance sheet, and the ratios a cooperative's board should watch.

Income statement: sales (to members and to non-members) - cost of goods sold = gross margin;
- operating expenses - interest paid = net surplus (or loss) of the year.

Balance sheet: assets (cash, receivables, inventory, fixed assets) = liabilities (current
liabilities, long-term loans) + equity (members' share capital + reserves + this year's surplus).
If the figures entered do not balance, the difference is reported, not raised: finding it is
part of the exercise.

Each ratio comes with a rule-of-thumb light (green, amber, red) and a plain-language reading.
The thresholds are common rules of thumb for small businesses, not legal limits; a board should
compare with similar cooperatives in its own trade.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from coopcourse.calculations.validation import check_number
from coopcourse.formatting import decimal, percent
from coopcourse.text import text

# The exercise's input keys, in the order they are entered.
INCOME_KEYS = ("sales_members", "sales_non_members", "cost_of_goods_sold", "operating_expenses", "interest_paid")
ASSET_KEYS = ("cash", "receivables", "inventory", "fixed_assets")
LIABILITY_KEYS = ("current_liabilities", "long_term_loans")
EQUITY_KEYS = ("share_capital", "reserves")
INPUT_KEYS = INCOME_KEYS + ASSET_KEYS + LIABILITY_KEYS + EQUITY_KEYS

# Below this difference (half a cent) the balance sheet balances.
BALANCE_TOLERANCE = 0.005


class Light(Enum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    NONE = "none"  # the ratio cannot be computed (for example no sales)


@dataclass(frozen=True)
class StatementInputs:
    sales_members: float
    sales_non_members: float
    cost_of_goods_sold: float
    operating_expenses: float
    interest_paid: float
    cash: float
    receivables: float
    inventory: float
    fixed_assets: float
    current_liabilities: float
    long_term_loans: float
    share_capital: float
    reserves: float


@dataclass(frozen=True)
class IncomeStatement:
    sales_members: float
    sales_non_members: float
    cost_of_goods_sold: float
    operating_expenses: float
    interest_paid: float

    @property
    def total_sales(self) -> float:
        return self.sales_members + self.sales_non_members

    @property
    def gross_margin(self) -> float:
        return self.total_sales - self.cost_of_goods_sold

    @property
    def operating_result(self) -> float:
        return self.gross_margin - self.operating_expenses

    @property
    def net_surplus(self) -> float:
        return self.operating_result - self.interest_paid


@dataclass(frozen=True)
class BalanceSheet:
    cash: float
    receivables: float
    inventory: float
    fixed_assets: float
    current_liabilities: float
    long_term_loans: float
    share_capital: float
    reserves: float
    surplus_of_year: float

    @property
    def current_assets(self) -> float:
        return self.cash + self.receivables + self.inventory

    @property
    def total_assets(self) -> float:
        return self.current_assets + self.fixed_assets

    @property
    def total_liabilities(self) -> float:
        return self.current_liabilities + self.long_term_loans

    @property
    def equity(self) -> float:
        return self.share_capital + self.reserves + self.surplus_of_year

    @property
    def liabilities_and_equity(self) -> float:
        return self.total_liabilities + self.equity

    @property
    def difference(self) -> float:
        """Assets minus (liabilities + equity): 0 when the balance sheet balances."""
        return self.total_assets - self.liabilities_and_equity

    @property
    def balances(self) -> bool:
        return abs(self.difference) < BALANCE_TOLERANCE


@dataclass(frozen=True)
class Ratio:
    key: str  # current_ratio, debt_to_equity, equity_ratio, gross_margin, net_margin, member_share
    value: float | None  # None when it cannot be computed
    is_percent: bool
    light: Light
    reading: str  # what it means, in plain words, for these figures


@dataclass(frozen=True)
class Statements:
    income: IncomeStatement
    balance: BalanceSheet
    ratios: tuple[Ratio, ...]

    def ratio(self, key: str) -> Ratio:
        return next(r for r in self.ratios if r.key == key)

    @property
    def warnings(self) -> tuple[Ratio, ...]:
        return tuple(r for r in self.ratios if r.light is Light.RED)


def check_inputs(inputs: StatementInputs) -> StatementInputs:
    for key in INPUT_KEYS:
        check_number(getattr(inputs, key), text(f"statements.{key}"), field=key)
    return inputs


def analyse(inputs: StatementInputs) -> Statements:
    check_inputs(inputs)
    income = IncomeStatement(*(getattr(inputs, key) for key in INCOME_KEYS))
    balance = BalanceSheet(*(getattr(inputs, key) for key in ASSET_KEYS + LIABILITY_KEYS + EQUITY_KEYS),
                           surplus_of_year=income.net_surplus)
    return Statements(income, balance, ratios(income, balance))


def ratios(income: IncomeStatement, balance: BalanceSheet) -> tuple[Ratio, ...]:
    return (current_ratio(balance), debt_to_equity(balance), equity_ratio(balance),
            gross_margin(income), net_margin(income), member_share(income))


def _ratio(key: str, value: float | None, light: Light, reading: str, is_percent: bool = False) -> Ratio:
    return Ratio(key, value, is_percent, light, reading)


def current_ratio(balance: BalanceSheet) -> Ratio:
    """Current assets / current liabilities: can the cooperative pay what falls due within a year?
    Below 1 red, 1 to 1.5 amber, 1.5 or more green."""
    if balance.current_liabilities <= 0:
        return _ratio("current_ratio", None, Light.GREEN if balance.current_assets > 0 else Light.NONE,
                      text("statements.current_no_debts"))
    value = balance.current_assets / balance.current_liabilities
    if value < 1:
        light, key = Light.RED, "current_red"
    elif value < 1.5:
        light, key = Light.AMBER, "current_amber"
    else:
        light, key = Light.GREEN, "current_green"
    return _ratio("current_ratio", value, light, text(f"statements.{key}", value=decimal(value, 2)))


def debt_to_equity(balance: BalanceSheet) -> Ratio:
    """Total liabilities / equity: how much is borrowed for each unit the members own.
    Equity of 0 or less red; above 2 red, 1 to 2 amber, 1 or less green."""
    if balance.equity <= 0:
        return _ratio("debt_to_equity", None, Light.RED, text("statements.debt_no_equity"))
    value = balance.total_liabilities / balance.equity
    if value > 2:
        light, key = Light.RED, "debt_red"
    elif value > 1:
        light, key = Light.AMBER, "debt_amber"
    else:
        light, key = Light.GREEN, "debt_green"
    return _ratio("debt_to_equity", value, light, text(f"statements.{key}", value=decimal(value, 2)))


def equity_ratio(balance: BalanceSheet) -> Ratio:
    """Equity / total assets (solvency): the part of what the cooperative has that its members own.
    Below 20 % red, 20 to 30 % amber, 30 % or more green."""
    if balance.total_assets <= 0:
        return _ratio("equity_ratio", None, Light.NONE, text("statements.no_assets"), is_percent=True)
    value = balance.equity / balance.total_assets * 100
    if value < 20:
        light, key = Light.RED, "equity_red"
    elif value < 30:
        light, key = Light.AMBER, "equity_amber"
    else:
        light, key = Light.GREEN, "equity_green"
    return _ratio("equity_ratio", value, light, text(f"statements.{key}", value=percent(value)), is_percent=True)


def gross_margin(income: IncomeStatement) -> Ratio:
    """Gross margin / sales. 0 or less red (selling below cost), below 10 % amber, else green."""
    if income.total_sales <= 0:
        return _ratio("gross_margin", None, Light.NONE, text("statements.no_sales"), is_percent=True)
    value = income.gross_margin / income.total_sales * 100
    if value <= 0:
        light, key = Light.RED, "gross_red"
    elif value < 10:
        light, key = Light.AMBER, "gross_amber"
    else:
        light, key = Light.GREEN, "gross_green"
    return _ratio("gross_margin", value, light, text(f"statements.{key}", value=percent(value)), is_percent=True)


def net_margin(income: IncomeStatement) -> Ratio:
    """Net surplus / sales. A loss red, below 2 % amber, else green."""
    if income.total_sales <= 0:
        return _ratio("net_margin", None, Light.NONE, text("statements.no_sales"), is_percent=True)
    value = income.net_surplus / income.total_sales * 100
    if income.net_surplus < 0:
        light, key = Light.RED, "net_red"
    elif value < 2:
        light, key = Light.AMBER, "net_amber"
    else:
        light, key = Light.GREEN, "net_green"
    return _ratio("net_margin", value, light, text(f"statements.{key}", value=percent(value)), is_percent=True)


def member_share(income: IncomeStatement) -> Ratio:
    """Sales to members / total sales: is the cooperative mainly serving its members?
    Half or more green, less amber (a question for the members, not a danger in itself)."""
    if income.total_sales <= 0:
        return _ratio("member_share", None, Light.NONE, text("statements.no_sales"), is_percent=True)
    value = income.sales_members / income.total_sales * 100
    light, key = (Light.GREEN, "members_green") if value >= 50 else (Light.AMBER, "members_amber")
    return _ratio("member_share", value, light, text(f"statements.{key}", value=percent(value)), is_percent=True)
