"""Numbers, money and percentages as a learner reads them: the one place where the course writes a number.

Every table cell, feedback line, chart axis, document and error message formats its numbers with
these functions, so the way numbers are written (thousands separator, decimal mark, where the percent
sign goes) can later follow the learner's language in one place: ``_digits`` is the only function
that knows the separators, ``percent_sign`` the only one that places the "%".

Standard library only (the language will come from ``coopcourse.text``): the calculations import
this module, it sits below them.
"""

from __future__ import annotations


def _digits(value: float, places: int) -> str:
    """``value`` with ``places`` decimals and a thousands separator ("12,500.50")."""
    return f"{value:,.{places}f}"


def _trimmed(value: float, places: int) -> str:
    """As ``_digits``, without trailing zeros after the decimal mark ("12.5", "25")."""
    written = _digits(value, places)
    return written.rstrip("0").rstrip(".") if "." in written else written


def percent_sign(number: str) -> str:
    """A number already written, with the percent sign where the language puts it ("12.5%")."""
    return f"{number}%"


def money(value: float) -> str:
    """An amount of money, always with cents: "1,234.50"."""
    return _digits(value, 2)


def whole(value: float) -> str:
    """A number rounded to a whole one: "1,235" (volumes, counts, chart axes)."""
    return _digits(value, 0)


def amount(value: float) -> str:
    """A quantity as typed: whole numbers without decimals ("12"), others with two ("12.50")."""
    return whole(value) if float(value).is_integer() else _digits(value, 2)


def decimal(value: float, places: int = 1) -> str:
    """A measure with a fixed number of decimals: years, hours, ratios ("2.5", "1.25")."""
    return _digits(value, places)


def percent(value: float, places: int = 1) -> str:
    """A percentage with a fixed number of decimals: "12.5%" (``value`` is already times 100)."""
    return percent_sign(_digits(value, places))


def percent_trimmed(value: float, places: int = 2) -> str:
    """A percentage a learner typed or a rule sets, without needless zeros: "25%", "12.5%"."""
    return percent_sign(_trimmed(value, places))


def percent_change(value: float) -> str:
    """A change in whole percent, always signed: "+10%", "-20%"."""
    sign = f"{value:+.0f}"[0]  # the sign of the rounded value, as Python writes it ("-0" for -0.4)
    return percent_sign(sign + _digits(abs(value), 0))


def axis_whole(value: float, _position: float | None = None) -> str:
    """A chart axis tick (matplotlib calls it with the tick's value and position)."""
    return whole(value)
