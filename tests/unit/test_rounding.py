"""Figures as the page shows them, and amounts split into rows of cents that add up."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopcourse.calculations.rounding import cents, shown, split_cents, split_cents_equally
from coopcourse.errors import CourseInputError

amounts = st.floats(min_value=0, max_value=1e12, allow_nan=False, allow_infinity=False)
weights = st.lists(
    st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False), min_size=1, max_size=20
)


def test_three_equal_members_sharing_100() -> None:
    assert split_cents(100, [1, 1, 1]) == (Decimal("33.34"), Decimal("33.33"), Decimal("33.33"))
    assert split_cents_equally(100, 3) == ((Decimal("33.34"), 1), (Decimal("33.33"), 2))
    assert split_cents_equally(99.99, 3) == ((Decimal("33.33"), 3),)


def test_the_cents_left_over_go_to_the_largest_remainders() -> None:
    # 10.00 by 1 : 2 : 3 -> 1.666.., 3.333.., 5.00: floors 1.66, 3.33, 5.00 leave one cent, for the
    # largest remainder (0.666.. of a cent, the first row).
    assert split_cents(10, [1, 2, 3]) == (Decimal("1.67"), Decimal("3.33"), Decimal("5.00"))


def test_the_total_is_rounded_as_the_page_shows_it() -> None:
    # 0.015 is stored as 0.01499999..., which the page shows as "0.01": the rows add up to 0.01.
    assert f"{0.015:.2f}" == "0.01" and sum(split_cents(0.015, [1, 1])) == Decimal("0.01")
    assert cents(-0.004) == 0 and str(cents(-0.004)) == "0.00"  # never "-0.00"


def test_nothing_to_split_and_nobody_to_split_it_among() -> None:
    assert split_cents(0, [0, 0]) == (Decimal("0.00"), Decimal("0.00"))
    with pytest.raises(CourseInputError):
        split_cents(10, [0, 0])
    with pytest.raises(CourseInputError):
        split_cents(10, [])
    with pytest.raises(CourseInputError):
        split_cents(-10, [1])
    with pytest.raises(CourseInputError):
        split_cents(10, [1, -1])


@given(amounts, weights)
def test_rows_add_up_exactly_to_the_total_shown(total: float, parts: list[float]) -> None:
    if sum(parts) == 0 and cents(total) > 0:
        return
    rows = split_cents(total, parts)
    assert len(rows) == len(parts)
    assert sum(rows) == cents(total) == Decimal(f"{total:.2f}")
    assert all(row >= 0 and row == row.quantize(Decimal("0.01")) for row in rows)


@given(amounts, weights)
def test_each_row_is_within_a_cent_of_its_exact_share_and_follows_its_weight(total: float, parts: list[float]) -> None:
    whole = sum(Fraction(p) for p in parts)
    if whole == 0:
        return
    rows = split_cents(total, parts)
    for row, part in zip(rows, parts):
        exact = Fraction(cents(total)) * Fraction(part) / whole
        assert abs(Fraction(row) - exact) < Fraction(1, 100)
    for (row_a, part_a), (row_b, part_b) in zip(zip(rows, parts), zip(rows[1:], parts[1:])):
        if part_a < part_b:
            assert row_a <= row_b
        if part_a == part_b:
            assert abs(row_a - row_b) <= Decimal("0.01")


@given(amounts, st.integers(min_value=1, max_value=200))
def test_equal_shares_grouped_are_the_same_split(total: float, count: int) -> None:
    groups = split_cents_equally(total, count)
    rows = split_cents(total, [1] * count)
    assert [amount for amount, how_many in groups for _ in range(how_many)] == list(rows)


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False), st.integers(min_value=0, max_value=4))
def test_shown_is_what_the_page_prints(value: float, places: int) -> None:
    assert shown(value, places) == Fraction(Decimal(f"{value:.{places}f}"))
