"""check_number, check_count, check_not_empty, check_unique_names and parse_number."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopcourse.calculations.validation import (
    LARGEST_AMOUNT,
    check_count,
    check_not_empty,
    check_number,
    check_unique_names,
    parse_number,
)
from coopcourse.components.fields import format_number
from coopcourse.errors import CourseInputError
from coopcourse.text import text

# --- parse_number -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12,500", 12500.0),  # thousands separator
        ("1,250,000", 1250000.0),
        ("1,250.5", 1250.5),  # thousands and decimal point
        ("12.5", 12.5),
        ("12,5", 12.5),  # decimal comma
        ("12,50", 12.5),
        ("0,125", 0.125),  # a leading 0 is never a thousands group: decimal comma
        ("0,5", 0.5),
        ("-0,5", -0.5),
        (" 7 ", 7.0),
        ("12 500", 12500.0),
        ("12\u00a0500", 12500.0),  # no-break space, as some keyboards and copy-paste give
        ("1_000", 1000.0),
        ("+3", 3.0),
        ("-4.25", -4.25),
        ("0", 0.0),
        ("1e3", 1000.0),
    ],
)
def test_parse_number_reads_what_learners_type(typed: str, expected: float) -> None:
    assert parse_number(typed, "Price") == expected


@pytest.mark.parametrize(
    "typed",
    [
        "abc",
        "",
        "   ",
        "nan",
        "NaN",
        "inf",
        "-inf",
        "Infinity",
        "1e999",
        "-1e999",
        "12.500,5",
        "1,2,3",
        "12..5",
        "five",
        "$12",
        "12%",
        "<img src=x onerror=alert(1)>",
        "1/2",
    ],
)
def test_parse_number_rejects_non_numbers_with_a_clear_message(typed: str, learner_message) -> None:
    with pytest.raises(CourseInputError) as caught:
        parse_number(typed, "Price", field="price")
    assert caught.value.field == "price"
    assert "Price" in caught.value.message
    learner_message(caught.value.message)
    assert "<img" not in caught.value.message  # the typed text is not echoed back


def test_empty_and_non_number_messages_differ() -> None:
    with pytest.raises(CourseInputError) as empty:
        parse_number("", "Price")
    with pytest.raises(CourseInputError) as letters:
        parse_number("abc", "Price")
    assert "empty" in empty.value.message
    assert empty.value.message != letters.value.message


def test_a_whole_number_field_gives_a_whole_example() -> None:
    """ "Number of members: please enter a number, for example 12 or 12.5" would invite a refusal."""
    with pytest.raises(CourseInputError) as caught:
        parse_number("twelve", "Number of members", whole_number=True)
    assert caught.value.message == text("error.not_a_whole_number", label="Number of members")
    assert "12.5" not in caught.value.message and "whole" in caught.value.message
    assert parse_number("12", "Number of members", whole_number=True) == 12
    with pytest.raises(CourseInputError) as ambiguous:  # still read in the page's language
        parse_number("1,234", "Miembros", locale="es", whole_number=True)
    assert "1234" in ambiguous.value.message  # the thousands reading, as Spanish writes it


finite = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False)


@given(finite)
def test_format_number_round_trips(number: float) -> None:
    # What a field writes back into its box reads back as the very same number.
    assert parse_number(format_number(number), "x") == pytest.approx(number, rel=1e-9, abs=1e-9)


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_thousands_separators_round_trip(number: int) -> None:
    assert parse_number(f"{number:,}", "x") == number
    assert parse_number(f"{number:,}".replace(",", " "), "x") == number


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_two_decimals_round_trip_with_point_comma_and_thousands(number) -> None:  # type: ignore[no-untyped-def]
    as_float = float(number)
    assert parse_number(f"{number:.2f}", "x") == pytest.approx(as_float)
    assert parse_number(f"{number:,.2f}", "x") == pytest.approx(as_float)
    # A decimal comma with one or two decimals is never mistaken for a thousands separator.
    assert parse_number(f"{number:.2f}".replace(".", ","), "x") == pytest.approx(as_float)


@given(st.text(alphabet=st.characters(categories=["L", "P", "S"], exclude_characters="+-.,_"), min_size=1))
def test_text_without_digits_is_never_a_number(typed: str) -> None:
    if typed.strip().casefold() in {"nan", "inf", "infinity"}:
        return
    try:
        number = parse_number(typed, "x")
    except CourseInputError:
        return
    # float() reads a few non-ASCII digit forms; whatever it reads must be finite.
    assert math.isfinite(number)


# --- check_number -------------------------------------------------------------------------------


def test_check_number_accepts_bounds_inclusive() -> None:
    assert check_number(0, "Cost") == 0.0
    assert check_number(LARGEST_AMOUNT, "Cost") == LARGEST_AMOUNT
    assert check_number(5, "Cost", minimum=5) == 5.0
    assert check_number(-5, "Change", minimum=None) == -5.0
    assert isinstance(check_number(3, "Cost"), float)


@pytest.mark.parametrize(
    ("value", "options", "fragment"),
    [
        (-1, {}, "at least 0"),
        (-0.01, {}, "at least 0"),
        (0, {"above_minimum": True}, "more than 0"),
        (1e12 * 1.0001, {}, "at most 1,000,000,000,000"),
        (1e13, {}, "at most"),
        (101, {"maximum": 100}, "at most 100"),
        (2.5, {"whole": True}, "whole number"),
        (0.5, {"minimum": 1}, "at least 1"),
        (1.5, {"minimum": 0.25, "above_minimum": True, "maximum": 1.25}, "at most 1.25"),
        (float("nan"), {}, "please enter a number"),
        (float("inf"), {}, "please enter a number"),
        (float("-inf"), {"minimum": None}, "please enter a number"),
        (True, {}, "please enter a number"),
        (None, {}, "please enter a number"),
        ("12", {}, "please enter a number"),
    ],
)
def test_check_number_rejects(value: object, options: dict, fragment: str, learner_message) -> None:
    with pytest.raises(CourseInputError) as caught:
        check_number(value, "Cost", field="cost", **options)  # type: ignore[arg-type]
    assert fragment in caught.value.message
    assert caught.value.message.startswith("Cost")
    assert caught.value.field == "cost"
    learner_message(caught.value.message)


@given(finite, st.floats(min_value=-1e6, max_value=1e6), st.floats(min_value=0, max_value=1e6))
def test_check_number_agrees_with_its_bounds(value: float, minimum: float, span: float) -> None:
    maximum = minimum + span
    inside = minimum <= value <= maximum
    try:
        assert check_number(value, "x", minimum=minimum, maximum=maximum) == value
        assert inside
    except CourseInputError:
        assert not inside


def test_check_count() -> None:
    assert check_count(3, "Members") == 3
    assert isinstance(check_count(3.0, "Members"), int)
    for bad in (0, 2.5, -1, 1_000_001, float("nan")):
        with pytest.raises(CourseInputError):
            check_count(bad, "Members")


# --- lists and names ----------------------------------------------------------------------------


def test_check_not_empty(learner_message) -> None:
    check_not_empty([1], "Members")
    with pytest.raises(CourseInputError) as caught:
        check_not_empty([], "Members", field="members")
    assert caught.value.field == "members"
    learner_message(caught.value.message)


@pytest.mark.parametrize(
    ("names", "fragment"),
    [
        (["Amina", "amina"], '"amina" appears twice'),
        (["Amina", " Amina "], '"Amina" appears twice'),
        (["Amina", ""], "needs a name"),
        (["Amina", "   "], "needs a name"),
    ],
)
def test_check_unique_names_rejects(names: list[str], fragment: str, learner_message) -> None:
    with pytest.raises(CourseInputError) as caught:
        check_unique_names(names, "Members", field="members")
    assert fragment in caught.value.message
    assert caught.value.field == "members"
    learner_message(caught.value.message)


def test_check_unique_names_accepts_distinct_names() -> None:
    check_unique_names(["Amina", "Bao", "Amina B."], "Members")
