"""Figures as the page shows them, so that what a calculation says matches what a learner reads.

- ``shown(value, places)`` is ``value`` rounded exactly as ``f"{value:.{places}f}"`` prints it (half
  to even on the float's exact value), for comparing a figure with a threshold: a margin the page
  shows as "20.0%" is not "below 20%", a profit shown as "0.50" is not a loss.
- ``split_cents(total, weights)`` splits an amount into rows of whole cents that add up exactly to
  the total as the page shows it (the largest-remainder method): three members sharing 100.00 pay
  33.34, 33.33 and 33.33, not 33.33 each.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from coopcourse.calculations.validation import check_count, check_items, check_number
from coopcourse.errors import CourseInputError
from coopcourse.text import text

# Far more than any figure a course page shows; small enough that a float holds it.
_LARGEST = 1e300


def shown(value: float, places: int = 2) -> Fraction:
    """``value`` rounded to ``places`` decimals the way the page prints it ("-0.00" is 0)."""
    number = check_number(value, text("error.these_figures"), minimum=-_LARGEST, maximum=_LARGEST)
    digits = check_count(places, text("error.these_figures"), minimum=0, maximum=12)
    scale = 10**digits
    return Fraction(round(Fraction(number) * scale), scale)


def cents(value: float) -> Decimal:
    """``value`` in whole cents, as ``formatting.money`` shows it."""
    amount = shown(value, 2)
    return _from_cents(amount.numerator * 100 // amount.denominator)


def _from_cents(count: int) -> Decimal:
    return Decimal(f"{count}E-2")  # exact at any size (no context rounding)


def split_cents(total: float, weights: Sequence[float], label: str | None = None) -> tuple[Decimal, ...]:
    """``total`` (as the page shows it, in cents) split in proportion to ``weights``: every row gets
    the cents of its exact share rounded down, and the cents left over go one each to the rows with
    the largest remainders (the first such row on a tie). The rows add up exactly to ``cents(total)``.
    """
    name = label if isinstance(label, str) and label.strip() else text("error.these_figures")
    amount = check_number(total, name, maximum=_LARGEST)
    parts = [Fraction(check_number(weight, name, maximum=_LARGEST)) for weight in check_items(weights, name)]
    if not parts:
        raise CourseInputError(text("error.empty_list", label=name))
    total_cents = int(shown(amount, 2) * 100)
    whole = sum(parts)
    if whole == 0:
        if total_cents == 0:
            return tuple(_from_cents(0) for _ in parts)
        raise CourseInputError(text("error.no_weights", label=name))
    exact = [total_cents * part / whole for part in parts]
    rows = [math.floor(share) for share in exact]
    left = total_cents - sum(rows)
    by_remainder = sorted(range(len(parts)), key=lambda i: (-(exact[i] - rows[i]), i))
    for index in by_remainder[:left]:
        rows[index] += 1
    return tuple(_from_cents(row) for row in rows)


def split_cents_equally(total: float, count: int) -> tuple[tuple[Decimal, int], ...]:
    """``split_cents(total, [1] * count)`` for any number of equal shares, grouped: (amount, how many
    rows get it), the larger amount first. One group when the cents divide evenly."""
    amount = check_number(total, text("error.these_figures"), maximum=_LARGEST)
    rows = check_count(count, text("error.these_figures"), minimum=1, maximum=10**9)
    each, left = divmod(int(shown(amount, 2) * 100), rows)
    if left == 0:
        return ((_from_cents(each), rows),)
    return ((_from_cents(each + 1), left), (_from_cents(each), rows - left))
