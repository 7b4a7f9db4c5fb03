"""The business plan's first year: the feasibility study's yearly figures turned into the inputs of
the 12-month cash-flow projection (``cash_flow.project``)."""

from __future__ import annotations

from coopcourse.calculations.cash_flow import MONTHS, CashFlowInputs
from coopcourse.calculations.feasibility import FeasibilityInputs, FeasibilityResult
from coopcourse.calculations.validation import LARGEST_AMOUNT, check_kind, check_number
from coopcourse.text import text


def opening_cash(inputs: FeasibilityInputs, result: FeasibilityResult, working_capital: float) -> float:
    """Cash at the start of month 1: the members' capital, the loans and the grants received, plus the
    working capital the members add, less the start-up investment already paid."""
    inputs = check_kind(inputs, FeasibilityInputs)
    result = check_kind(result, FeasibilityResult)
    check_number(working_capital, text("cash_flow.working_capital"), field="working_capital")
    return result.capital_to_raise + inputs.loans + inputs.grants - inputs.investment + working_capital


def per_month(yearly: float) -> float:
    """A yearly figure spread evenly over the months of the projection."""
    return check_number(yearly, text("error.these_figures"), minimum=-LARGEST_AMOUNT) / MONTHS


def cash_flow_inputs(
    inputs: FeasibilityInputs,
    result: FeasibilityResult,
    *,
    working_capital: float,
    ramp_up_months: int,
    monthly_loan_repayment: float,
) -> CashFlowInputs:
    """The cash-flow projection of the plan: the study's yearly volume and fixed costs by month, its
    price and variable cost, the group's ramp-up and loan repayment (checked by ``CashFlowInputs``)."""
    inputs = check_kind(inputs, FeasibilityInputs)
    result = check_kind(result, FeasibilityResult)
    return CashFlowInputs(
        opening_cash=opening_cash(inputs, result, working_capital),
        full_monthly_volume=per_month(inputs.expected_volume),
        ramp_up_months=ramp_up_months,
        price=inputs.price,
        variable_cost=inputs.variable_cost,
        monthly_fixed_costs=per_month(inputs.fixed_costs),
        monthly_loan_repayment=monthly_loan_repayment,
    )
