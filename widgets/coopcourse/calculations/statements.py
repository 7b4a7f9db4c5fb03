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
from fractions import Fraction

from coopcourse.calculations.rounding import cents, shown
from coopcourse.calculations.validation import Bounds, check_kind, check_number, checked
from coopcourse.errors import CourseInputError
from coopcourse.formatting import decimal, percent
from coopcourse.text import text

# The exercise's input keys, in the order they are entered.
INCOME_KEYS = ("sales_members", "sales_non_members", "cost_of_goods_sold", "operating_expenses", "interest_paid")
ASSET_KEYS = ("cash", "receivables", "inventory", "fixed_assets")
LIABILITY_KEYS = ("current_liabilities", "long_term_loans")
EQUITY_KEYS = ("share_capital", "reserves")
INPUT_KEYS = INCOME_KEYS + ASSET_KEYS + LIABILITY_KEYS + EQUITY_KEYS

# What an amount in a statement may be: a year's figures add and subtract up to five inputs.
_AMOUNT = Bounds(minimum=-1e15, maximum=1e15)


class Light(Enum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    NONE = "none"  # the ratio cannot be computed (for example no sales)


@dataclass(frozen=True)
@checked(deferred=True)  # ``check_inputs`` (run by ``analyse``) names the input at fault
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
@checked()
class IncomeStatement:
    sales_members: float
    sales_non_members: float
    cost_of_goods_sold: float
    operating_expenses: float
    interest_paid: float

    def __post_init__(self) -> None:
        for key in INCOME_KEYS:
            _AMOUNT.check(getattr(self, key), text(f"statements.{key}"), key)

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
@checked()
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

    def __post_init__(self) -> None:
        for key in (*ASSET_KEYS, *LIABILITY_KEYS, *EQUITY_KEYS):
            _AMOUNT.check(getattr(self, key), text(f"statements.{key}"), key)
        _AMOUNT.check(self.surplus_of_year, text("statements.net_surplus"), "surplus_of_year")

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
        """Assets minus (liabilities + equity), both as the page shows them (to the cent): 0 when the
        balance sheet balances, so "it balances" is never said of two totals that differ on the page."""
        return float(cents(self.total_assets) - cents(self.liabilities_and_equity))

    @property
    def balances(self) -> bool:
        return self.difference == 0


@dataclass(frozen=True)
@checked()
class Ratio:
    key: str  # current_ratio, debt_to_equity, equity_ratio, gross_margin, net_margin, member_share
    value: float | None  # None when it cannot be computed
    is_percent: bool
    light: Light
    reading: str  # what it means, in plain words, for these figures


@dataclass(frozen=True)
@checked()
class Statements:
    income: IncomeStatement
    balance: BalanceSheet
    ratios: tuple[Ratio, ...]

    def ratio(self, key: str) -> Ratio:
        found = next((r for r in self.ratios if r.key == key), None)
        if found is None:
            raise CourseInputError(text("error.not_a_choice", label=text("statements.col_ratio")))
        return found

    @property
    def warnings(self) -> tuple[Ratio, ...]:
        return tuple(r for r in self.ratios if r.light is Light.RED)


def check_inputs(inputs: StatementInputs) -> StatementInputs:
    check_kind(inputs, StatementInputs)
    for key in INPUT_KEYS:
        check_number(getattr(inputs, key), text(f"statements.{key}"), field=key)
    return inputs


def analyse(inputs: StatementInputs) -> Statements:
    check_inputs(inputs)
    income = IncomeStatement(*(getattr(inputs, key) for key in INCOME_KEYS))
    balance = BalanceSheet(
        **{key: getattr(inputs, key) for key in ASSET_KEYS + LIABILITY_KEYS + EQUITY_KEYS},
        surplus_of_year=income.net_surplus,
    )
    return Statements(income, balance, ratios(income, balance))


def ratios(income: IncomeStatement, balance: BalanceSheet) -> tuple[Ratio, ...]:
    return (
        current_ratio(balance),
        debt_to_equity(balance),
        equity_ratio(balance),
        gross_margin(income),
        net_margin(income),
        member_share(income),
    )


# --- The traffic lights: one table of thresholds per ratio -------------------------------------


@dataclass(frozen=True)
class _Band:
    """A light and its reading (``statements.<reading>``) for the values this band covers: below
    ``below``, at most ``at_most`` or above ``above`` (a band with none of them covers the rest), or,
    with ``loss``, whenever the year ends with a loss."""

    light: Light
    reading: str
    below: float | None = None
    at_most: float | None = None
    above: float | None = None
    loss: bool = False

    def covers(self, value: Fraction, loss: bool) -> bool:
        if self.loss:
            return loss
        if self.below is not None:
            return value < self.below
        if self.at_most is not None:
            return value <= self.at_most
        if self.above is not None:
            return value > self.above
        return True


@dataclass(frozen=True)
class _Scale:
    is_percent: bool
    bands: tuple[_Band, ...]  # the first band that covers the value gives the light


_SCALES: dict[str, _Scale] = {
    # Can the cooperative pay what falls due within a year? Below 1 red, 1 to 1.5 amber, 1.5 or more green.
    "current_ratio": _Scale(
        False,
        (
            _Band(Light.RED, "current_red", below=1),
            _Band(Light.AMBER, "current_amber", below=1.5),
            _Band(Light.GREEN, "current_green"),
        ),
    ),
    # Borrowed for each unit the members own: above 2 red, 1 to 2 amber, 1 or less green.
    "debt_to_equity": _Scale(
        False,
        (
            _Band(Light.RED, "debt_red", above=2),
            _Band(Light.AMBER, "debt_amber", above=1),
            _Band(Light.GREEN, "debt_green"),
        ),
    ),
    # The part of the assets the members own: below 20% red, 20 to 30% amber, 30% or more green.
    "equity_ratio": _Scale(
        True,
        (
            _Band(Light.RED, "equity_red", below=20),
            _Band(Light.AMBER, "equity_amber", below=30),
            _Band(Light.GREEN, "equity_green"),
        ),
    ),
    # 0 or less red (selling below cost), below 10% amber, else green.
    "gross_margin": _Scale(
        True,
        (
            _Band(Light.RED, "gross_red", at_most=0),
            _Band(Light.AMBER, "gross_amber", below=10),
            _Band(Light.GREEN, "gross_green"),
        ),
    ),
    # A loss red, below 2% amber, else green.
    "net_margin": _Scale(
        True,
        (
            _Band(Light.RED, "net_red", loss=True),
            _Band(Light.AMBER, "net_amber", below=2),
            _Band(Light.GREEN, "net_green"),
        ),
    ),
    # Mainly serving its members? Half or more green, less amber (a question, not a danger).
    "member_share": _Scale(True, (_Band(Light.AMBER, "members_amber", below=50), _Band(Light.GREEN, "members_green"))),
}


def _judge(key: str, value: float, loss: bool = False) -> Ratio:
    """The ratio's light and reading from its table, comparing the value as the page shows it
    (a percentage to 0.1, a plain ratio to 0.01): a current ratio shown as "1.00" is not below 1."""
    scale = _SCALES[key]
    as_shown = shown(value, 1 if scale.is_percent else 2)
    band = next(band for band in scale.bands if band.covers(as_shown, loss))
    words = percent(value, 1) if scale.is_percent else decimal(value, 2)
    return Ratio(key, value, scale.is_percent, band.light, text(f"statements.{band.reading}", value=words))


def _none(key: str, light: Light, reading: str) -> Ratio:
    """A ratio that cannot be computed (nothing to divide by, as the page shows the figures)."""
    return Ratio(key, None, _SCALES[key].is_percent, light, text(f"statements.{reading}"))


def current_ratio(balance: BalanceSheet) -> Ratio:
    """Current assets / current liabilities."""
    balance = check_kind(balance, BalanceSheet)
    if shown(balance.current_liabilities) <= 0:
        light = Light.GREEN if shown(balance.current_assets) > 0 else Light.NONE
        return _none("current_ratio", light, "current_no_debts")
    return _judge("current_ratio", balance.current_assets / balance.current_liabilities)


def debt_to_equity(balance: BalanceSheet) -> Ratio:
    """Total liabilities / equity; equity of 0 or less is red."""
    balance = check_kind(balance, BalanceSheet)
    if shown(balance.equity) <= 0:
        return _none("debt_to_equity", Light.RED, "debt_no_equity")
    return _judge("debt_to_equity", balance.total_liabilities / balance.equity)


def equity_ratio(balance: BalanceSheet) -> Ratio:
    """Equity / total assets (solvency), in percent."""
    balance = check_kind(balance, BalanceSheet)
    if shown(balance.total_assets) <= 0:
        return _none("equity_ratio", Light.NONE, "no_assets")
    return _judge("equity_ratio", balance.equity / balance.total_assets * 100)


def gross_margin(income: IncomeStatement) -> Ratio:
    """Gross margin / sales, in percent."""
    income = check_kind(income, IncomeStatement)
    if shown(income.total_sales) <= 0:
        return _none("gross_margin", Light.NONE, "no_sales")
    return _judge("gross_margin", income.gross_margin / income.total_sales * 100)


def net_margin(income: IncomeStatement) -> Ratio:
    """Net surplus / sales, in percent; a loss (as the page shows the net surplus) is red."""
    income = check_kind(income, IncomeStatement)
    if shown(income.total_sales) <= 0:
        return _none("net_margin", Light.NONE, "no_sales")
    return _judge("net_margin", income.net_surplus / income.total_sales * 100, loss=shown(income.net_surplus) < 0)


def member_share(income: IncomeStatement) -> Ratio:
    """Sales to members / total sales, in percent."""
    income = check_kind(income, IncomeStatement)
    if shown(income.total_sales) <= 0:
        return _none("member_share", Light.NONE, "no_sales")
    return _judge("member_share", income.sales_members / income.total_sales * 100)
