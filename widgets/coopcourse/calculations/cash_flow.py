"""A 12-month cash-flow projection for the first year of operation."""

from __future__ import annotations

from dataclasses import dataclass

from coopcourse.calculations.validation import check_count, check_number
from coopcourse.text import text

MONTHS = 12


@dataclass(frozen=True)
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
        check_count(self.ramp_up_months, text("cash_flow.ramp_up_months"), minimum=0, maximum=MONTHS,
                    field="ramp_up_months")
        check_number(self.price, text("feasibility.price"), field="price")
        check_number(self.variable_cost, text("feasibility.variable_cost"), field="variable_cost")
        check_number(self.monthly_fixed_costs, text("cash_flow.monthly_fixed_costs"), field="monthly_fixed_costs")
        check_number(self.monthly_loan_repayment, text("cash_flow.loan_repayment"), field="monthly_loan_repayment")


@dataclass(frozen=True)
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
class CashFlow:
    months: tuple[MonthRow, ...]

    @property
    def lowest_cash(self) -> float:
        return min(row.closing_cash for row in self.months)

    @property
    def first_short_month(self) -> int | None:
        """The first month that ends with less than no cash, if any."""
        return next((row.month for row in self.months if row.closing_cash < 0), None)

    @property
    def closing_cash(self) -> float:
        return self.months[-1].closing_cash


def monthly_volume(month: int, full_volume: float, ramp_up_months: int) -> float:
    """Sales grow in equal steps to full volume over the ramp-up months (month counts from 1)."""
    if ramp_up_months == 0 or month > ramp_up_months:
        return full_volume
    return full_volume * month / (ramp_up_months + 1)


def project(inputs: CashFlowInputs) -> CashFlow:
    cash = inputs.opening_cash
    rows = []
    for month in range(1, MONTHS + 1):
        volume = monthly_volume(month, inputs.full_monthly_volume, inputs.ramp_up_months)
        receipts = volume * inputs.price
        payments = volume * inputs.variable_cost + inputs.monthly_fixed_costs + inputs.monthly_loan_repayment
        cash += receipts - payments
        rows.append(MonthRow(month, volume, receipts, payments, cash))
    return CashFlow(tuple(rows))
