"""Numbers, money and percentages as a learner reads them: the one place where the course writes a number.

Every table cell, feedback line, chart axis, document and error message formats its numbers with
these functions, so the way numbers are written (thousands separator, decimal mark, where the percent
sign goes) follows the learner's language here and nowhere else: ``_digits`` writes the digits and
separators of every number shown (with the locale's symbols from Babel's CLDR data), ``entry`` those
of a number put back into a field, ``percent_sign`` is the only function that places the "%".

The locale is the course's language ("en", "es", "fr"): ``number_locale`` is the one place that
decides it, and every function takes ``locale=`` ("es_CO", "fr_MG"...) to override it. English output
is exactly what ``f"{value:,.2f}"`` gives ("1,234.50"); Spanish writes "1234,50" and "12.345,50",
French "1 234,50" with a narrow no-break space, as CLDR has them.
"""

from __future__ import annotations

import decimal as _decimal
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.numbers import (
    NumberPattern,
    format_currency,
    format_decimal,
    format_percent,
    get_currency_symbol,
    get_decimal_symbol,
    get_group_symbol,
    get_minus_sign_symbol,
    get_plus_sign_symbol,
    parse_pattern,
)

from coopcourse.text import DEFAULT_LANGUAGE, current_language

# CLDR's minimumGroupingDigits, which Babel (2.19) does not apply: Spanish (Spain, and "es" itself)
# leaves four-digit numbers ungrouped ("1234,50" but "12.345,50"). Latin American Spanish (es_419 and
# its countries) and French group from four digits, as every locale not listed here.
_MINIMUM_GROUPING_DIGITS = {"es": 2, "es_ES": 2}

# A comma followed by exactly three digits, one to three before it and no other mark ("1,234"): where
# the comma is the decimal mark, 1.234 to the locale but 1234 to anyone who writes thousands the English
# way (as Peru, Mexico or the Philippines do). parse_number refuses it there, rather than guess.
AMBIGUOUS_COMMA = re.compile(r"([+-]?[1-9][0-9]{0,2}),([0-9]{3})")

# Wide enough for the exact value of any float (at most 767 significant digits): rounding happens
# once, on the exact value, as Python's own f"{value:.2f}" does (0.125 -> "0.12", 2.675 -> "2.67").
_EXACT = _decimal.Context(prec=1100, rounding=ROUND_HALF_EVEN)


def number_locale(locale: str | None = None) -> str:
    """The locale numbers are written and read in: ``locale`` if given, else the course's language.
    (A country profile's locale, such as "es_CO", would be chosen here.)"""
    return (locale or current_language()).replace("-", "_")


@cache
def _babel_locale(name: str) -> Locale:
    # A locale CLDR does not know ("xx", "es_XX") writes as its language does, else as English does:
    # a mistyped COOPCOURSE_LANGUAGE must not stop every page (text() falls back to English too).
    for candidate in (name, name.split("_")[0], DEFAULT_LANGUAGE):
        try:
            return Locale.parse(candidate)
        except (UnknownLocaleError, ValueError):
            continue
    raise AssertionError("unreachable: English is always known")


@cache
def _pattern(places: int) -> NumberPattern:
    return parse_pattern("#,##0" + ("." + "0" * places if places else ""))


def _rounded(value: float, places: int) -> Decimal:
    return _EXACT.quantize(Decimal(value), Decimal(1).scaleb(-places, _EXACT))


def _grouped(rounded: Decimal, name: str) -> bool:
    """Whether a number this size gets a thousands separator in the locale (CLDR's minimum grouping)."""
    minimum = _MINIMUM_GROUPING_DIGITS.get(str(_babel_locale(name)), 1)
    return abs(rounded) >= 10 ** (2 + minimum)


def _babel_digits(value: float, places: int, name: str) -> str:
    """``_digits`` as Babel's own format_decimal writes it: the reference the tests compare ``_digits`` with."""
    rounded = _rounded(value, places)
    with _decimal.localcontext(_EXACT):
        return format_decimal(rounded, _pattern(places), _babel_locale(name), group_separator=_grouped(rounded, name))


@dataclass(frozen=True)
class _Symbols:
    decimal: str
    group: str
    minus: str
    plus: str
    percent_prefix: str
    percent_suffix: str
    minimum_grouping: int
    # Python's "." "," "-" -> the locale's, for a number Python has written.
    table: dict[int, str]


@cache
def _symbols(name: str) -> _Symbols:
    # Babel's public getters (also in Babel 2.12, before number symbols were keyed by numbering system).
    babel_locale = _babel_locale(name)
    decimal, group = get_decimal_symbol(babel_locale), get_group_symbol(babel_locale)
    minus = get_minus_sign_symbol(babel_locale)
    # What the locale writes around a percentage, its own percent sign included ("100%", "100 %").
    percent_prefix, _, percent_suffix = format_percent(1, locale=babel_locale).partition("100")
    return _Symbols(
        decimal=decimal,
        group=group,
        minus=minus,
        plus=get_plus_sign_symbol(babel_locale),
        percent_prefix=percent_prefix,
        percent_suffix=percent_suffix,
        minimum_grouping=_MINIMUM_GROUPING_DIGITS.get(str(babel_locale), 1),
        table=str.maketrans({".": decimal, ",": group, "-": minus}),
    )


def _digits(value: float, places: int, locale: str | None = None) -> str:
    """``value`` with ``places`` decimals and the locale's separators ("12,500.50", "12.500,50")."""
    # Python writes the digits (rounded once, on the exact value) grouped by three, as every locale
    # the course has groups; the locale's symbols from Babel replace its own. The tests check that this
    # is what Babel's format_decimal writes; it takes 4 microseconds where Babel takes 90.
    symbols = _symbols(number_locale(locale))
    written = f"{value:,.{places}f}"
    whole_digits = len(written.lstrip("-").split(".")[0].replace(",", ""))
    if whole_digits < 3 + symbols.minimum_grouping:
        written = f"{value:.{places}f}"  # "1234,50" in Spanish
    return written.translate(symbols.table)


def decimal_mark(locale: str | None = None) -> str:
    """The locale's decimal mark: "." in English, "," in Spanish and French."""
    return _symbols(number_locale(locale)).decimal


def _trimmed(value: float, places: int, locale: str | None = None) -> str:
    """As ``_digits``, without trailing zeros after the decimal mark ("12.5", "25")."""
    written = _digits(value, places, locale)
    mark = decimal_mark(locale)
    return written.rstrip("0").rstrip(mark) if mark in written else written


def percent_sign(number: str, locale: str | None = None) -> str:
    """A number already written, with the percent sign where the language puts it ("12.5%", "12,5 %")."""
    symbols = _symbols(number_locale(locale))
    return symbols.percent_prefix + number + symbols.percent_suffix


@dataclass(frozen=True)
class Currency:
    """The money of the page's country profile: its ISO code, the symbol its people write, and the
    country (``CO``) whose way of placing the symbol is used."""

    code: str
    symbol: str = ""
    country: str = ""


_PAGE_CURRENCY: ContextVar[Currency | None] = ContextVar("coop_page_currency", default=None)


@contextmanager
def money_in(currency: Currency | None) -> Iterator[None]:
    """Within the block, ``money(x)`` writes ``currency`` (an exercise's update runs in its
    group's country's money); None: plain amounts."""
    token = _PAGE_CURRENCY.set(currency)
    try:
        yield
    finally:
        _PAGE_CURRENCY.reset(token)


def money(value: float, currency_code: str | None = None, *, locale: str | None = None) -> str:
    """An amount of money. With no currency given or set (``money_in``): always with cents,
    "1,234.50". With one: cents too, and the currency's symbol where the country puts it,
    the digits as the language writes them ("$1,234.50" and "$ 1.234,50" for Colombian pesos in
    English and Spanish, "S/ 12,50" for Peruvian soles in Spanish)."""
    currency = Currency(currency_code) if currency_code is not None else _PAGE_CURRENCY.get()
    if currency is None:
        return _digits(value, 2, locale)
    name = number_locale(locale)
    # Always cents, whatever CLDR says of the currency (0 for pesos): the course's figures are small
    # on purpose (an oil price of 93.50) and a group checks them on paper.
    rounded = _rounded(value, 2)
    pattern = _currency_pattern(name, currency.country)
    with _decimal.localcontext(_EXACT):
        written = format_currency(
            rounded,
            currency.code,
            format=pattern,
            locale=_babel_locale(name),
            currency_digits=False,
            group_separator=_grouped(rounded, name),
        )
    if currency.symbol:
        written = written.replace(get_currency_symbol(currency.code, locale=_babel_locale(name)), currency.symbol, 1)
    return written


@cache
def _currency_pattern(language: str, country: str) -> str | None:
    """Where the country writes the currency symbol, as CLDR has it for the language spoken there
    (``es_CO``: "¤ #,##0.00"); the language's own pattern where CLDR has no such locale."""
    if not country:
        return None
    try:
        found = Locale.parse(f"{language}_{country.upper()}")
    except (UnknownLocaleError, ValueError):
        return None
    pattern = found.currency_formats.get("standard")
    return pattern.pattern if pattern is not None else None


def whole(value: float, *, locale: str | None = None) -> str:
    """A number rounded to a whole one: "1,235" (volumes, counts, chart axes)."""
    return _digits(value, 0, locale)


def amount(value: float, *, locale: str | None = None) -> str:
    """A quantity as typed: whole numbers without decimals ("12"), others with two ("12.50")."""
    return whole(value, locale=locale) if float(value).is_integer() else _digits(value, 2, locale)


def calendar_day(day: date, *, locale: str | None = None) -> str:
    """A day as the language writes it, month in words: "Dec 5, 2026", "5 dic 2026", "5 déc. 2026"."""
    from babel.dates import format_date  # only saved work's dates need it

    return format_date(day, format="medium", locale=_babel_locale(number_locale(locale)))


def trimmed(value: float, places: int = 2, *, locale: str | None = None) -> str:
    """A figure printed for people to read, without needless zeros: "1,234.5", "25", "0.25"."""
    return _trimmed(value, places, locale)


def decimal(value: float, places: int = 1, *, locale: str | None = None) -> str:
    """A measure with a fixed number of decimals: years, hours, ratios ("2.5", "1.25")."""
    return _digits(value, places, locale)


def percent(value: float, places: int = 1, *, locale: str | None = None) -> str:
    """A percentage with a fixed number of decimals: "12.5%" (``value`` is already times 100)."""
    return percent_sign(_digits(value, places, locale), locale)


def percent_trimmed(value: float, places: int = 2, *, locale: str | None = None) -> str:
    """A percentage a learner typed or a rule sets, without needless zeros: "25%", "12.5%"."""
    return percent_sign(_trimmed(value, places, locale), locale)


def percent_change(value: float, *, locale: str | None = None) -> str:
    """A change in whole percent, always signed: "+10%", "-20%"."""
    sign = f"{value:+.0f}"[0]  # the sign of the rounded value, as Python writes it ("-0" for -0.4)
    symbols = _symbols(number_locale(locale))
    return percent_sign((symbols.plus if sign == "+" else symbols.minus) + _digits(abs(value), 0, locale), locale)


def entry(value: float, *, locale: str | None = None) -> str:
    """A number written into a field for the learner to edit: every decimal it has (up to ten), no
    thousands separator, no exponent ("1234.5", "1234,5", "12"). ``parse_number`` reads it back."""
    written = f"{int(value)}" if float(value).is_integer() else f"{value:.10f}".rstrip("0").rstrip(".")
    symbols = _symbols(number_locale(locale))
    written = written.replace("-", symbols.minus).replace(".", symbols.decimal)
    # "1,234" would be refused as ambiguous where the comma is the decimal mark; "1,2340" is not.
    return written + "0" if AMBIGUOUS_COMMA.fullmatch(written) else written


def axis_whole(value: float, _position: float | None = None) -> str:
    """A chart axis tick (matplotlib calls it with the tick's value and position)."""
    return whole(value)
