"""The one place numbers are written: money, amounts, whole numbers, decimals and percentages."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopcourse import formatting as fm


@pytest.mark.parametrize(
    ("value", "written"), [(0, "0.00"), (12.5, "12.50"), (1234.5, "1,234.50"), (-190, "-190.00"), (1e6, "1,000,000.00")]
)
def test_money_always_has_cents_and_thousands(value: float, written: str) -> None:
    assert fm.money(value) == written


@pytest.mark.parametrize(
    ("value", "written"), [(12, "12"), (12.0, "12"), (12.5, "12.50"), (12500, "12,500"), (0.125, "0.12"), (-3, "-3")]
)
def test_amount_drops_decimals_only_for_whole_numbers(value: float, written: str) -> None:
    assert fm.amount(value) == written


@pytest.mark.parametrize(("value", "written"), [(1234.4, "1,234"), (1234.6, "1,235"), (0.4, "0")])
def test_whole_rounds(value: float, written: str) -> None:
    assert fm.whole(value) == written
    assert fm.axis_whole(value, 3) == written  # what a chart axis shows


@pytest.mark.parametrize(("value", "places", "written"), [(2.46, 1, "2.5"), (1.254, 2, "1.25"), (1500, 1, "1,500.0")])
def test_decimal_has_fixed_places(value: float, places: int, written: str) -> None:
    assert fm.decimal(value, places) == written


@pytest.mark.parametrize(
    ("value", "places", "written"), [(12.5, 1, "12.5%"), (50, 1, "50.0%"), (7.125, 2, "7.12%"), (33.4, 0, "33%")]
)
def test_percent_has_fixed_places_and_its_sign(value: float, places: int, written: str) -> None:
    assert fm.percent(value, places) == written


@pytest.mark.parametrize(("value", "written"), [(25, "25%"), (12.5, "12.5%"), (12.25, "12.25%"), (0, "0%")])
def test_percent_trimmed_leaves_out_needless_zeros(value: float, written: str) -> None:
    assert fm.percent_trimmed(value) == written


@pytest.mark.parametrize(("value", "written"), [(10, "+10%"), (-20, "-20%"), (0, "+0%"), (1500, "+1,500%")])
def test_percent_change_is_always_signed(value: float, written: str) -> None:
    assert fm.percent_change(value) == written


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False))
def test_every_format_reads_back_as_the_number(value: float) -> None:
    """Removing the separators gives back the number, to the precision written."""

    def back(written: str) -> float:
        return float(written.replace(",", "").rstrip("%"))

    assert math.isclose(back(fm.money(value)), value, abs_tol=0.005 + abs(value) * 1e-15)
    assert math.isclose(back(fm.whole(value)), value, abs_tol=0.5 + abs(value) * 1e-15)
    assert math.isclose(back(fm.amount(value)), value, abs_tol=0.005 + abs(value) * 1e-15)
    assert math.isclose(back(fm.percent(value)), value, abs_tol=0.05 + abs(value) * 1e-15)
