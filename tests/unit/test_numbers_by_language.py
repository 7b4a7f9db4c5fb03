"""Numbers written and read in each language's own way: English exactly as before, Spanish and French
as CLDR writes them, every number a learner could type back read back as written, and an ambiguous
"1,234" refused rather than guessed."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coopcourse import formatting as fm
from coopcourse.calculations.validation import parse_number
from coopcourse.components.fields import format_number
from coopcourse.errors import CourseInputError

LANGUAGES = ["en", "es", "fr"]
NNBSP, NBSP = "\u202f", "\u00a0"

# The language is set per test through the environment, as a server sets it; the same for every example.
per_language = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(params=LANGUAGES)
def language(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("COOPCOURSE_LANGUAGE", request.param)
    return str(request.param)


# --- English: byte for byte what the course wrote before Babel --------------------------------------


class Before:
    """formatting.py as it was (English only), the oracle for English output."""

    @staticmethod
    def digits(value: float, places: int) -> str:
        return f"{value:,.{places}f}"

    @classmethod
    def trimmed(cls, value: float, places: int) -> str:
        written = cls.digits(value, places)
        return written.rstrip("0").rstrip(".") if "." in written else written

    @classmethod
    def money(cls, value: float) -> str:
        return cls.digits(value, 2)

    @classmethod
    def whole(cls, value: float) -> str:
        return cls.digits(value, 0)

    @classmethod
    def amount(cls, value: float) -> str:
        return cls.whole(value) if float(value).is_integer() else cls.digits(value, 2)

    @classmethod
    def percent(cls, value: float, places: int) -> str:
        return f"{cls.digits(value, places)}%"

    @classmethod
    def percent_trimmed(cls, value: float, places: int) -> str:
        return f"{cls.trimmed(value, places)}%"

    @classmethod
    def percent_change(cls, value: float) -> str:
        return f"{f'{value:+.0f}'[0]}{cls.digits(abs(value), 0)}%"


any_float = st.floats(allow_nan=False, allow_infinity=False)
course_float = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False)
tricky = st.sampled_from([0.0, -0.0, -0.4, 0.5, -0.5, 2.5, 0.125, 2.675, 999.995, 9999.5, -9999.995, 1e16, 5e-324])
places = st.integers(min_value=0, max_value=3)


@settings(max_examples=1000)
@given(st.one_of(any_float, course_float, tricky), places)
def test_english_is_written_exactly_as_before(value: float, decimals: int) -> None:
    assert fm.money(value) == Before.money(value)
    assert fm.whole(value) == Before.whole(value)
    assert fm.axis_whole(value, 0) == Before.whole(value)
    assert fm.amount(value) == Before.amount(value)
    assert fm.decimal(value, decimals) == Before.digits(value, decimals)
    assert fm.percent(value, decimals) == Before.percent(value, decimals)
    assert fm.percent_trimmed(value, decimals) == Before.percent_trimmed(value, decimals)
    assert fm.percent_change(value) == Before.percent_change(value)


def test_english_is_the_default_and_can_be_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COOPCOURSE_LANGUAGE", raising=False)
    assert (fm.money(1234.5), fm.percent_change(-0.4), fm.percent_sign("7")) == ("1,234.50", "-0%", "7%")
    monkeypatch.setenv("COOPCOURSE_LANGUAGE", "fr")
    assert fm.money(1234.5, locale="en") == "1,234.50"


# --- Spanish and French as CLDR writes them ---------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "money", "big", "whole", "percent", "trimmed", "change"),
    [
        ("en", "1,234.56", "12,345.68", "1,235", "12.5%", "25%", "+10%"),
        # CLDR's Spanish leaves four-digit numbers ungrouped (minimumGroupingDigits 2).
        ("es", "1234,56", "12.345,68", "1235", f"12,5{NBSP}%", f"25{NBSP}%", f"+10{NBSP}%"),
        # French groups with a narrow no-break space.
        ("fr", f"1{NNBSP}234,56", f"12{NNBSP}345,68", f"1{NNBSP}235", f"12,5{NBSP}%", f"25{NBSP}%", f"+10{NBSP}%"),
    ],
)
def test_each_language_writes_numbers_its_own_way(
    monkeypatch: pytest.MonkeyPatch,
    language: str,
    money: str,
    big: str,
    whole: str,
    percent: str,
    trimmed: str,
    change: str,
) -> None:
    monkeypatch.setenv("COOPCOURSE_LANGUAGE", language)
    assert fm.money(1234.56) == money
    assert fm.money(12345.678) == big
    assert fm.whole(1234.6) == whole == fm.axis_whole(1234.6)
    assert fm.percent(12.5) == percent
    assert fm.percent_trimmed(25.0) == trimmed
    assert fm.percent_change(10) == change


@pytest.mark.parametrize(
    ("locale", "value", "written"),
    [
        ("es", -1234.5, "-1234,50"),
        ("es", -0.001, "-0,00"),  # the sign of what was rounded away stays, as in English ("-0.00")
        ("es_CO", 1234.5, "1.234,50"),  # Latin American Spanish groups four digits
        ("es_PE", 1234.5, "1,234.50"),  # Peru writes a decimal point
        ("fr_MG", 1234.5, f"1{NNBSP}234,50"),
    ],
)
def test_a_country_locale_can_be_named(locale: str, value: float, written: str) -> None:
    assert fm.money(value, locale=locale) == written


def test_spanish_groups_from_five_digits_even_after_rounding() -> None:
    assert fm.money(9999.994, locale="es") == "9999,99"
    assert fm.money(9999.995, locale="es") == "10.000,00"  # rounds up to five digits: grouped
    assert fm.whole(-12345, locale="es") == "-12.345"


@pytest.mark.parametrize(
    ("locale", "code", "written"),
    [
        ("en", "USD", "$1,234.50"),
        ("es", "PEN", f"1234,50{NBSP}PEN"),
        ("es_PE", "PEN", f"S/{NBSP}1,234.50"),
        ("es_BO", "BOB", "Bs1.234,50"),
        ("fr_MG", "MGA", f"1{NNBSP}234,50{NBSP}Ar"),  # cents always, even where CLDR has none: a group checks on paper
    ],
)
def test_money_with_a_currency_follows_the_locale(locale: str, code: str, written: str) -> None:
    assert fm.money(1234.5, code, locale=locale) == written


@settings(max_examples=500)
@given(st.one_of(any_float, tricky), places, st.sampled_from(["en", "es", "fr", "es_CO", "es_PE", "fr_MG", "es_ES"]))
def test_digits_are_what_babel_writes(value: float, decimals: int, locale: str) -> None:
    # formatting writes digits with Python and swaps in Babel's symbols: the same text as Babel's own.
    assert fm._digits(value, decimals, locale) == fm._babel_digits(value, decimals, locale)


# --- What is written reads back -------------------------------------------------------------------


@per_language
@given(value=course_float)
def test_every_number_a_learner_could_type_back_reads_as_written(language: str, value: float) -> None:
    assert parse_number(fm.money(value), "x") == round(value, 2)
    assert parse_number(fm.amount(value), "x") == (value if value.is_integer() else round(value, 2))
    assert parse_number(fm.whole(value), "x") == round(value)
    assert parse_number(fm.axis_whole(value), "x") == round(value)
    for decimals in (0, 1, 2):
        assert parse_number(fm.decimal(value, decimals), "x") == round(value, decimals)


@per_language
@given(value=course_float.filter(lambda v: not 1 <= abs(round(v, 3)) < 1000))
def test_three_decimals_read_back_unless_ambiguous(language: str, value: float) -> None:
    # "1,234" is the one shape refused in Spanish and French: below 1 or from 1000 up, three decimals read back.
    assert parse_number(fm.decimal(value, 3), "x") == round(value, 3)


# --- Reading each language's numbers --------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1.234,5", 1234.5),
        ("1 234,5", 1234.5),
        (f"1{NNBSP}234,5", 1234.5),
        (f"1{NBSP}234,5", 1234.5),
        ("12,5", 12.5),
        ("12.500", 12500.0),  # the point groups thousands
        ("1.234", 1234.0),
        ("1.234.567,25", 1234567.25),
        ("-1.234,5", -1234.5),
        ("0,125", 0.125),  # a leading 0 never starts a thousands group
        ("1234,567", 1234.567),  # four digits before the comma: not thousands
        ("1,2345", 1.2345),
        ("1.234,567", 1234.567),
        ("12.5", 12.5),  # a lone point that cannot group thousands is a decimal point
        ("1e3", 1000.0),
    ],
)
@pytest.mark.parametrize("locale", ["es", "fr"])
def test_spanish_and_french_read_numbers_as_they_write_them(locale: str, typed: str, expected: float) -> None:
    assert parse_number(typed, "Price", locale=locale) == expected


@pytest.mark.parametrize("typed", ["1,234.5", "12,345,678", "1.2.3", "12,,5", "1,2,3", "12 %", "S/ 12"])
@pytest.mark.parametrize("locale", ["es", "fr"])
def test_spanish_and_french_refuse_what_they_cannot_read(locale: str, typed: str, learner_message) -> None:
    with pytest.raises(CourseInputError) as caught:
        parse_number(typed, "Price", "price", locale=locale)
    assert caught.value.field == "price"
    learner_message(caught.value.message)


@pytest.mark.parametrize(
    ("locale", "typed", "thousands", "decimals"),
    [
        ("es", "1,234", "1234", "1,2340"),
        ("es", "12,500", "12.500", "12,5"),
        ("es", "-999,000", "-999.000", "-999,0"),
        ("fr", "1,234", f"1{NNBSP}234", "1,2340"),
        ("fr", "+12,050", f"12{NNBSP}050", "+12,05"),
    ],
)
def test_an_ambiguous_comma_is_refused_with_both_readings(
    locale: str, typed: str, thousands: str, decimals: str, learner_message
) -> None:
    with pytest.raises(CourseInputError) as caught:
        parse_number(typed, "Price", "price", locale=locale)
    message = caught.value.message
    learner_message(message)
    assert caught.value.field == "price"
    assert message.startswith("Price:") and "two ways" in message
    assert f"Write {thousands} for thousands, or {decimals} for decimals." in message
    # What the message offers reads back without ambiguity, as the two numbers it names.
    assert parse_number(thousands, "x", locale=locale) == float(typed.replace(",", ""))
    assert parse_number(decimals, "x", locale=locale) == float(typed.replace(",", "."))


def test_english_reads_the_same_comma_as_thousands(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COOPCOURSE_LANGUAGE", "en")
    assert parse_number("1,234", "x") == 1234.0
    monkeypatch.setenv("COOPCOURSE_LANGUAGE", "es")
    with pytest.raises(CourseInputError):
        parse_number("1,234", "x")


@pytest.mark.parametrize("space", [" ", NBSP, NNBSP, "\u2009"])
def test_spaces_group_thousands_in_every_language(language: str, space: str) -> None:
    assert parse_number(f"12{space}500{space}000", "x") == 12_500_000.0


# --- English reads exactly what it read before ----------------------------------------------------


def parse_before(cleaned_raw: str) -> float | None:
    """parse_number as it was (English only), the oracle; None where it refused."""
    cleaned = cleaned_raw.strip().replace(" ", "").replace("\u00a0", "").replace("_", "")
    if not cleaned:
        return None
    if "," in cleaned:
        groups = cleaned.split(".")[0].lstrip("+-").split(",")
        thousands = (
            len(groups) > 1 and all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3 and groups[0] != "0"
        )
        if thousands:
            cleaned = cleaned.replace(",", "")
        elif cleaned.count(",") == 1 and "." not in cleaned:
            cleaned = cleaned.replace(",", ".")
    try:
        number = float(cleaned)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


typed_text = st.text(alphabet="0123456789,.-+ e_\u00a0", max_size=14)


@settings(max_examples=1000)
@given(st.one_of(typed_text, st.text(max_size=8)))
def test_english_reads_what_it_read_before(typed: str) -> None:
    try:
        number: float | None = parse_number(typed, "x", locale="en")
    except CourseInputError:
        number = None
    # Narrow no-break and thin spaces now group digits too, as French copies them in.
    if "\u202f" not in typed and "\u2009" not in typed:
        assert number == parse_before(typed)


# --- What a field writes back for the learner to edit ---------------------------------------------


@given(st.one_of(course_float, tricky))
def test_a_field_entry_in_english_is_what_fields_write_today(value: float) -> None:
    assert fm.entry(value, locale="en") == format_number(value)


@given(st.one_of(course_float, tricky, st.sampled_from([1.234, -12.5, 999.125, 0.001])))
def test_a_field_entry_reads_back_as_the_same_number_in_every_language(value: float) -> None:
    in_english = parse_number(fm.entry(value, locale="en"), "x", locale="en")
    assert in_english == pytest.approx(value, rel=1e-9, abs=1e-9)
    for locale in ("es", "fr"):
        assert parse_number(fm.entry(value, locale=locale), "x", locale=locale) == in_english


@pytest.mark.parametrize(
    ("value", "locale", "written"),
    [(1234.5, "es", "1234,5"), (12500, "fr", "12500"), (1.234, "es", "1,2340"), (1.234, "en", "1.234")],
)
def test_a_field_entry_has_no_separator_and_is_never_ambiguous(value: float, locale: str, written: str) -> None:
    assert fm.entry(value, locale=locale) == written


@pytest.mark.parametrize(
    ("language", "written"), [("xx", "1,234.50"), ("fr_XX", f"1{NNBSP}234,50"), ("es_XX", "1234,50"), ("!", "1,234.50")]
)
def test_a_language_cldr_does_not_know_writes_as_its_language_or_english(
    monkeypatch: pytest.MonkeyPatch, language: str, written: str
) -> None:
    monkeypatch.setenv("COOPCOURSE_LANGUAGE", language)
    assert fm.money(1234.5) == written
    assert parse_number(written, "x") == 1234.5
