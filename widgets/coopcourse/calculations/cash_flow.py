"""A 12-month cash-flow projection for the first year of operation."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from coopcourse.calculations.rounding import shown
from coopcourse.calculations.validation import (
    check_count,
    check_kind,
    check_number,
    checked,
    fit,
)
from coopcourse.text import text

MONTHS = 12


@dataclass(frozen=True)
@checked()
class CashFlowInputs:
    opening_cash: float  # members' shares, loans and grants received, less the start-up investment paid
    full_monthly_volume: float
    ramp_up_months: int  # months until sales reach full volume (0: full from month 1)
    price: float
    variable_cost: float
    monthly_fixed_costs: float
    monthly_loan_repayment: float

    def __post_init__(self) -> None:
        check_number(self.opening_cash, text("cash_flow.opening_cash"), minimum=-1e12, field="opening_cash")
        check_number(self.full_monthly_volume, text("cash_flow.monthly_volume"), field="full_monthly_volume")
        check_count(
            self.ramp_up_months, text("cash_flow.ramp_up_months"), minimum=0, maximum=MONTHS, field="ramp_up_months"
        )
        check_number(self.price, text("feasibility.price"), field="price")
        check_number(self.variable_cost, text("feasibility.variable_cost"), field="variable_cost")
        check_number(self.monthly_fixed_costs, text("cash_flow.monthly_fixed_costs"), field="monthly_fixed_costs")
        check_number(self.monthly_loan_repayment, text("cash_flow.loan_repayment"), field="monthly_loan_repayment")


@dataclass(frozen=True)
@checked()
class MonthRow:
    month: int
    volume: float
    receipts: float
    payments: float
    closing_cash: float

    @property
    def net(self) -> float:
        return self.receipts - self.payments


@dataclass(frozen=True)
@checked()
class CashFlow:
    months: tuple[MonthRow, ...]

    @property
    def lowest_cash(self) -> float:
        return min((row.closing_cash for row in self.months), default=0.0)

    @property
    def first_short_month(self) -> int | None:
        """The first month that ends with less than no cash as the page shows it (-0.004 is 0.00), if any."""
        return next((row.month for row in self.months if shown(row.closing_cash) < 0), None)

    @property
    def closing_cash(self) -> float:
        return self.months[-1].closing_cash if self.months else 0.0


def _exact(value: float) -> Fraction:
    # Amounts as the learner typed them: a month that should end with exactly no cash ends with
    # 0.00, not with -0.0000000000000001 and a warning that cash runs out.
    return Fraction(Decimal(repr(float(value))))


def _month_volume(month: int, full_volume: Fraction, ramp_up_months: int) -> Fraction:
    if ramp_up_months == 0 or month > ramp_up_months:
        return full_volume
    return full_volume * month / (ramp_up_months + 1)


def monthly_volume(month: int, full_volume: float, ramp_up_months: int) -> float:
    """Sales grow in equal steps to full volume over the ramp-up months (month counts from 1)."""
    check_count(month, text("cash_flow.month"), minimum=1, maximum=MONTHS)
    volume = check_number(full_volume, text("cash_flow.monthly_volume"), field="full_monthly_volume")
    ramp_up = check_count(
        ramp_up_months, text("cash_flow.ramp_up_months"), minimum=0, maximum=MONTHS, field="ramp_up_months"
    )
    return float(_month_volume(month, _exact(volume), ramp_up))


def project(inputs: CashFlowInputs) -> CashFlow:
    check_kind(inputs, CashFlowInputs)
    cash = _exact(inputs.opening_cash)
    full = _exact(inputs.full_monthly_volume)
    price, variable_cost = _exact(inputs.price), _exact(inputs.variable_cost)
    monthly_costs = _exact(inputs.monthly_fixed_costs) + _exact(inputs.monthly_loan_repayment)
    rows = []
    label = text("cash_flow.closing_cash")
    for month in range(1, MONTHS + 1):
        volume = _month_volume(month, full, inputs.ramp_up_months)
        receipts = volume * price
        payments = volume * variable_cost + monthly_costs
        cash += receipts - payments
        rows.append(MonthRow(month, fit(volume, label), fit(receipts, label), fit(payments, label), fit(cash, label)))
    return CashFlow(tuple(rows))
