"""Distributing a cooperative's net surplus: statutory funds first, then interest on share
capital (ISC) and patronage refunds.

Model (the order most cooperative laws follow; the worked example uses the funds of the
Philippine Cooperative Code, RA 9520 Art. 86):

1. Percentages of the net surplus go to the funds: the legal reserve (indivisible), the
   education and training fund, the community development fund and an optional fund.
2. What is left (the remainder) is split between an ISC pool and a patronage-refund pool
   (for example 70/30).
3. The ISC rate (ISC pool / total share capital) may not exceed a cap, because capital only
   receives limited compensation (ICA principle 3). Any part of the ISC pool above the cap is
   added to the patronage refunds.
4. Each member gets interest in proportion to their average share capital and a refund in
   proportion to their transactions with the cooperative.

A law's minimums and maximums (from the chosen country profile) are guidance (``guidance_notes``),
not errors: by-laws and national laws differ. Only impossible inputs raise ``CourseInputError``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from coopcourse.calculations.rounding import shown, split_cents
from coopcourse.calculations.validation import (
    LARGEST_AMOUNT,
    cell_text,
    check_kind,
    check_not_empty,
    check_number,
    check_rows,
    check_text,
    check_unique_names,
    checked,
)
from coopcourse.errors import CourseInputError
from coopcourse.formatting import percent_trimmed
from coopcourse.text import text

# The funds in the order they are taken from the surplus; each name is also the exercise's input
# key ``<fund>_percent``.
FUNDS = ("reserve", "education", "community", "optional")


@dataclass(frozen=True)
@checked()
class FundLimit:
    """What a law says about one fund: the least and the most of the net surplus, in percent."""

    minimum: float | None
    maximum: float | None

    def __post_init__(self) -> None:
        for name in ("minimum", "maximum"):
            value = getattr(self, name)
            if value is not None:
                check_number(value, text("surplus.fund_limit"), maximum=100.0, field=name)


# The worked example's percentages: the funds of the Philippine Cooperative Code (RA 9520 Art. 86).
RA9520_DEFAULTS: dict[str, float] = {"reserve": 10.0, "education": 10.0, "community": 3.0, "optional": 7.0}
# Decimals a fund's percentage is shown with (``percent_trimmed``); checks compare it as shown.
PERCENT_PLACES = 2


@dataclass(frozen=True)
@checked(field="members", deferred=True)
class Member:
    name: str
    share_capital: float  # average share capital over the year
    transactions: float  # business done with the cooperative in the year (patronage)


@dataclass(frozen=True)
@checked(deferred=True)  # ``check_inputs`` (run by every calculation here) names the input at fault
class SurplusInputs:
    net_surplus: float
    reserve_percent: float
    education_percent: float
    community_percent: float
    optional_percent: float
    isc_share_percent: float  # share of the remainder that goes to interest on share capital
    isc_rate_cap_percent: float  # highest interest rate on share capital the by-laws allow
    members: tuple[Member, ...]

    def fund_percent(self, fund: str) -> float:
        return float(getattr(self, f"{fund}_percent"))


@dataclass(frozen=True)
@checked()
class MemberStatement:
    name: str
    share_capital: float
    transactions: float
    interest: float
    refund: float

    @property
    def total(self) -> float:
        return self.interest + self.refund


@dataclass(frozen=True)
@checked()
class Distribution:
    net_surplus: float
    funds: dict[str, float]  # fund name -> amount, in the order of ``FUNDS``
    remainder: float  # after the funds: what ISC and patronage refunds share
    isc_pool_before_cap: float
    isc_pool: float
    refund_pool: float
    moved_to_refunds: float  # the part of the ISC pool above the cap
    total_share_capital: float
    total_transactions: float
    isc_rate: float  # fraction, e.g. 0.07 for 7 %
    refund_rate: float  # fraction of each unit of transactions refunded
    members: tuple[MemberStatement, ...]

    @property
    def has_surplus(self) -> bool:
        """False for a zero result or a loss (as the page shows it: 0.004 is 0.00): then nothing is
        distributed."""
        return shown(self.net_surplus) > 0

    @property
    def capped(self) -> bool:
        return shown(self.moved_to_refunds) > 0

    @property
    def total_funds(self) -> float:
        return sum(self.funds.values())

    def allocations(self) -> tuple[tuple[str, float], ...]:
        """Every destination of the surplus with its amount: the funds, then the two pools.
        The amounts add up to the net surplus (when there is one)."""
        return (*self.funds.items(), ("isc", self.isc_pool), ("refunds", self.refund_pool))


def check_inputs(inputs: SurplusInputs) -> SurplusInputs:
    """Raise ``CourseInputError`` (naming the exercise input at fault) for impossible inputs."""
    check_kind(inputs, SurplusInputs)
    check_number(inputs.net_surplus, text("surplus.net_surplus"), minimum=-LARGEST_AMOUNT, field="net_surplus")
    # Each percentage is checked before any is added up (the message shows the total of them all).
    keys = [f"{fund}_percent" for fund in FUNDS]
    percents = [check_number(getattr(inputs, key), text(f"surplus.{key}"), maximum=100.0, field=key) for key in keys]
    running = 0.0
    for key, value in zip(keys, percents):
        running += value
        if shown(running, PERCENT_PLACES) > 100:  # as the message shows the total (33.3 + 33.3 + 33.4 is 100%)
            raise CourseInputError(
                text("surplus.error_funds_over_100", total=percent_trimmed(sum(percents), PERCENT_PLACES)), key
            )
    check_number(inputs.isc_share_percent, text("surplus.isc_share_percent"), maximum=100.0, field="isc_share_percent")
    check_number(
        inputs.isc_rate_cap_percent, text("surplus.isc_rate_cap_percent"), maximum=100.0, field="isc_rate_cap_percent"
    )
    members_label = text("surplus.members")
    check_not_empty(inputs.members, members_label, field="members")
    check_unique_names([m.name for m in inputs.members], members_label, field="members")
    for member in inputs.members:
        check_number(member.share_capital, text("surplus.share_capital_of", name=member.name.strip()), field="members")
        check_number(member.transactions, text("surplus.transactions_of", name=member.name.strip()), field="members")
    return inputs


def distribute(inputs: SurplusInputs) -> Distribution:
    """Allocate the net surplus to the funds, the ISC pool and the refund pool, and each pool to
    the members. A zero result or a loss distributes nothing (every amount is 0).

    Every amount is in whole cents, split by the largest-remainder method, so that the rows the
    page shows add up exactly to the totals it shows: the funds and pools to the net surplus, the
    members' interest to the ISC pool, their refunds to the refund pool."""
    check_inputs(inputs)
    members = inputs.members
    total_capital = sum(m.share_capital for m in members)
    total_transactions = sum(m.transactions for m in members)
    surplus = inputs.net_surplus
    if shown(surplus) <= 0:
        return Distribution(
            net_surplus=surplus,
            funds={fund: 0.0 for fund in FUNDS},
            remainder=0.0,
            isc_pool_before_cap=0.0,
            isc_pool=0.0,
            refund_pool=0.0,
            moved_to_refunds=0.0,
            total_share_capital=total_capital,
            total_transactions=total_transactions,
            isc_rate=0.0,
            refund_rate=0.0,
            members=tuple(MemberStatement(m.name.strip(), m.share_capital, m.transactions, 0.0, 0.0) for m in members),
        )

    percents = [inputs.fund_percent(fund) for fund in FUNDS]
    # The remainder's share comes from the percentages, so that it is exactly 0 when the funds take 100 %.
    *fund_parts, remainder = split_cents(surplus, [*percents, max(0.0, 100.0 - sum(percents))])
    isc_before_cap, refunds_before_cap = split_cents(
        float(remainder), [inputs.isc_share_percent, 100.0 - inputs.isc_share_percent]
    )
    # The cap, rounded down to the cent: the interest paid never exceeds it.
    most_interest = Fraction(total_capital) * Fraction(inputs.isc_rate_cap_percent) / 100
    isc_pool = min(isc_before_cap, Decimal(math.floor(most_interest * 100)).scaleb(-2))
    moved = isc_before_cap - isc_pool
    refund_pool = refunds_before_cap + moved
    if refund_pool > 0 and shown(total_transactions) <= 0:
        raise CourseInputError(text("surplus.error_no_transactions"), "members")
    interest = split_cents(float(isc_pool), [m.share_capital for m in members])
    refunds = split_cents(float(refund_pool), [m.transactions for m in members])
    isc_rate = float(isc_pool) / total_capital if total_capital > 0 else 0.0
    refund_rate = float(refund_pool) / total_transactions if refund_pool > 0 else 0.0
    statements = tuple(
        MemberStatement(
            name=m.name.strip(),
            share_capital=m.share_capital,
            transactions=m.transactions,
            interest=float(paid),
            refund=float(refund),
        )
        for m, paid, refund in zip(members, interest, refunds)
    )
    return Distribution(
        net_surplus=surplus,
        funds={fund: float(part) for fund, part in zip(FUNDS, fund_parts)},
        remainder=float(remainder),
        isc_pool_before_cap=float(isc_before_cap),
        isc_pool=float(isc_pool),
        refund_pool=float(refund_pool),
        moved_to_refunds=float(moved),
        total_share_capital=total_capital,
        total_transactions=total_transactions,
        isc_rate=isc_rate,
        refund_rate=refund_rate,
        members=statements,
    )


def guidance_notes(inputs: SurplusInputs, limits: Mapping[str, FundLimit], law: str) -> tuple[str, ...]:
    """Where the percentages depart from the minimums and maximums of ``law`` (the chosen country
    profile's act): advice, not errors (by-laws may ask for more)."""
    check_inputs(inputs)
    notes: list[str] = []
    for fund in FUNDS:
        limit = limits.get(fund)
        if limit is None:
            continue
        value = inputs.fund_percent(fund)
        as_shown = shown(value, PERCENT_PLACES)  # compared as the note shows it (9.9999999 is "10%")
        name = text(f"surplus.fund_{fund}")
        written = percent_trimmed(value, PERCENT_PLACES)
        if limit.minimum is not None and as_shown < limit.minimum:
            minimum = percent_trimmed(limit.minimum, PERCENT_PLACES)
            notes.append(text("surplus.note_below_minimum", fund=name, value=written, minimum=minimum, law=law))
        if limit.maximum is not None and as_shown > limit.maximum:
            maximum = percent_trimmed(limit.maximum, PERCENT_PLACES)
            notes.append(text("surplus.note_above_maximum", fund=name, value=written, maximum=maximum, law=law))
    return tuple(notes)


def worked_example() -> Distribution:
    """The course's worked example: 1,000,000 of surplus, RA 9520 funds, a 70/30 split; the
    share capital is large enough that the cap does not bind. Gives 700,000 after the funds,
    490,000 of ISC and 210,000 of patronage refunds."""
    return distribute(
        SurplusInputs(
            net_surplus=1_000_000,
            reserve_percent=10,
            education_percent=10,
            community_percent=3,
            optional_percent=7,
            isc_share_percent=70,
            isc_rate_cap_percent=10,
            members=(Member("All members", 7_000_000, 21_000_000),),
        )
    )


def members_from_rows(rows: Sequence[dict[str, object]]) -> tuple[Member, ...]:
    """Members from the rows of the exercise's table; rows left completely blank (a freshly
    added row) are skipped."""
    label = text("surplus.members")
    members = []
    for row in check_rows(rows, label, "members"):
        name = cell_text(row, "name", label, "members")
        capital, transactions = row.get("share_capital", 0), row.get("transactions", 0)
        if not name and capital in (0, None) and transactions in (0, None):
            continue
        members.append(Member(name, capital, transactions))
    return tuple(members)


# --- Totals and shares for the tables and the members' statements ----------------------------------


@dataclass(frozen=True)
@checked()
class AllocationShare:
    key: str  # a fund, "isc", "refunds", or "total" for the sum of them all
    amount: float
    percent: float  # of the net surplus; 0 when there is no surplus to share


def allocation_shares(result: Distribution) -> tuple[AllocationShare, ...]:
    """Every destination of the surplus with its share of the net surplus, then their total. The
    shares are of the net surplus as shown (in cents, as the amounts are), so they add up to 100%."""
    result = check_kind(result, Distribution)
    whole = float(shown(result.net_surplus))
    parts = (*result.allocations(), ("total", sum(amount for _key, amount in result.allocations())))
    return tuple(
        AllocationShare(key, amount, amount / whole * 100 if result.has_surplus else 0.0) for key, amount in parts
    )


def members_total(result: Distribution, name: str = "") -> MemberStatement:
    """All members' statements added up: share capital, transactions, interest and refunds."""
    result = check_kind(result, Distribution)
    name = check_text(name, text("surplus.members"))
    return MemberStatement(
        name,
        result.total_share_capital,
        result.total_transactions,
        sum(m.interest for m in result.members),
        sum(m.refund for m in result.members),
    )
