"""Input checks shared by the calculations; each failure is a learner-facing ``CourseInputError``."""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from typing import Any, TypeVar

from coopcourse.errors import CourseInputError
from coopcourse.formatting import AMBIGUOUS_COMMA, amount, decimal_mark, whole
from coopcourse.text import text

# Far above any sum a course exercise needs, far below where float arithmetic loses cents.
LARGEST_AMOUNT = 1e12


@dataclass(frozen=True)
class Bounds:
    """What a number may be: the one description shared by calculations, number fields and row
    columns. ``above_minimum`` makes the minimum exclusive ("more than 0" rather than "at least 0");
    ``whole`` numbers are given back as ``int``."""

    minimum: float | None = 0.0
    maximum: float = LARGEST_AMOUNT
    above_minimum: bool = False
    whole: bool = False

    def __post_init__(self) -> None:
        _conform_fields(self, None, finite=True)

    def read(self, typed: str, label: str) -> float:
        """The number a learner typed (see ``parse_number``) if these bounds take it, else a
        learner-facing ``CourseInputError``; a whole-number field asks for a whole number."""
        return self.check(parse_number(typed, label, whole_number=self.whole), label)

    def check(self, value: object, label: str, field: str | None = None) -> float:
        """``value`` if it is a finite number within these bounds (an ``int`` for whole numbers),
        else a learner-facing ``CourseInputError``."""
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise CourseInputError(text("error.not_a_number", label=label), field)
        if isinstance(value, int) and abs(value) > max(LARGEST_AMOUNT, self.maximum):
            # Checked before anything turns it into a float: an int with hundreds of digits does not fit.
            if value > 0 and self.maximum <= LARGEST_AMOUNT:
                raise CourseInputError(text("error.at_most", label=label, maximum=amount(self.maximum)), field)
            if value < 0 and self.minimum is not None:
                raise CourseInputError(text("error.at_least", label=label, minimum=amount(self.minimum)), field)
            raise CourseInputError(text("error.too_large", label=label), field)
        if not math.isfinite(value):
            raise CourseInputError(text("error.not_a_number", label=label), field)
        if self.whole and value != int(value):
            raise CourseInputError(text("error.whole_number", label=label), field)
        if self.minimum is not None:
            if self.above_minimum and value <= self.minimum:
                raise CourseInputError(text("error.more_than", label=label, minimum=amount(self.minimum)), field)
            if value < self.minimum:
                raise CourseInputError(text("error.at_least", label=label, minimum=amount(self.minimum)), field)
        if value > self.maximum:
            raise CourseInputError(text("error.at_most", label=label, maximum=amount(self.maximum)), field)
        return int(value) if self.whole else float(value)


def check_number(
    value: object,
    label: str,
    *,
    minimum: float | None = 0.0,
    maximum: float = LARGEST_AMOUNT,
    above_minimum: bool = False,
    whole: bool = False,
    field: str | None = None,
) -> float:
    """Return ``value`` if it is a finite number within bounds, else raise (see ``Bounds``)."""
    return Bounds(minimum, maximum, above_minimum, whole).check(value, label, field)


def check_count(
    value: object, label: str, *, minimum: int = 1, maximum: int = 1_000_000, field: str | None = None
) -> int:
    return int(check_number(value, label, minimum=minimum, maximum=maximum, whole=True, field=field))


def check_not_empty(items: Sequence[object], label: str, field: str | None = None) -> None:
    if len(check_items(items, label, field)) == 0:
        raise CourseInputError(text("error.empty_list", label=label), field)


def check_unique_names(names: Sequence[str], label: str, field: str | None = None) -> None:
    seen: set[str] = set()
    for name in check_items(names, label, field):
        if not check_text(name, label, field).strip():
            raise CourseInputError(text("error.blank_name", label=label), field)
        key = name.strip().casefold()
        if key in seen:
            raise CourseInputError(text("error.duplicate_name", label=label, name=name.strip()), field)
        seen.add(key)


def check_text(value: object, label: str, field: str | None = None) -> str:
    """``value`` if it is text, else a learner-facing error (a number or nothing where words belong)."""
    if not isinstance(value, str):
        raise CourseInputError(text("error.not_text", label=label), field)
    return value


def check_flag(value: object, label: str, field: str | None = None) -> bool:
    """``value`` if it is ``True`` or ``False`` (a yes / no choice)."""
    if not isinstance(value, bool):
        raise CourseInputError(text("error.not_a_choice", label=label), field)
    return value


E = TypeVar("E", bound=Enum)


def check_choice(value: object, choices: type[E], label: str, field: str | None = None) -> E:
    """One of an enum's members. Its value string ("by_use" for ``ShareRule.BY_USE``) is accepted
    and converted, as saved work and content files hold the string; anything else is refused."""
    if isinstance(value, choices):
        return value
    if isinstance(value, str):
        for member in choices:
            if member.value == value:
                return member
    raise CourseInputError(text("error.not_a_choice", label=label), field)


def check_items(value: object, label: str, field: str | None = None) -> tuple[Any, ...]:
    """A list or tuple (of rows, members, tiers...) as a tuple; text, a mapping or a single value is refused."""
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Sequence):
        raise CourseInputError(text("error.not_a_list", label=label), field)
    return tuple(value)


def check_row(value: object, label: str, field: str | None = None) -> Mapping[str, Any]:
    """A row of a table: a mapping from column keys to values."""
    if not isinstance(value, Mapping) or not all(isinstance(key, str) for key in value):
        raise CourseInputError(text("error.not_a_row", label=label), field)
    return value


def check_rows(value: object, label: str, field: str | None = None) -> tuple[Mapping[str, Any], ...]:
    return tuple(check_row(row, label, field) for row in check_items(value, label, field))


def cell_text(row: Mapping[str, Any], key: str, label: str, field: str | None = None) -> str:
    """The text in a row's column ``key``, stripped; an empty or missing cell is ""."""
    value = check_row(row, label, field).get(key)
    return "" if value is None else check_text(value, label, field).strip()


def check_mapping(value: object, label: str, field: str | None = None) -> Mapping[Any, Any]:
    if not isinstance(value, Mapping):
        raise CourseInputError(text("error.not_a_list", label=label), field)
    return value


T = TypeVar("T")


def check_kind(value: object, kind: type[T], label: str | None = None, field: str | None = None) -> T:
    """``value`` if it is a ``kind`` (the inputs a calculation needs, a member, a tier...)."""
    if not isinstance(value, kind):
        raise CourseInputError(text("error.unreadable", label=label or text("error.these_figures")), field)
    return value


def fit(value: float | Fraction | Decimal, label: str, field: str | None = None) -> float:
    """A computed figure as a float, or a learner-facing error if it is too large to show (a very
    small number divided into a large one, such as a volume of 0.0000001)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Fraction, Decimal)):
        raise CourseInputError(text("error.not_a_number", label=label), field)
    try:
        number = float(value)
    except (OverflowError, ValueError):  # a huge int or fraction; a signalling NaN
        number = math.inf
    if not math.isfinite(number):
        raise CourseInputError(text("error.result_too_large", label=label), field)
    return number


# --- Records: every public dataclass of the calculations checks the kind of each field ------------

# The largest number a record may hold: anything larger does not fit a float.
_LARGEST_FLOAT = 1.7976931348623157e308
_HINTS: dict[type, dict[str, Any]] = {}


def checked(field: str | None = None, *, deferred: bool = False) -> Callable[[type[T]], type[T]]:
    """Class decorator, placed under ``@dataclass``: every instance checks that each field holds what
    its annotation says (a number, text, yes / no, an enum member, a tuple of records...), then runs
    the class's own ``__post_init__`` (the limits, with a precise label), then checks that every
    number is finite (what the class's own checks left out). An enum's value string is converted
    to the member, a list to a tuple. ``field`` names the exercise input a record belongs to (the
    rows of "members"), for the error; else each field's own name is used.

    ``deferred=True`` is for what a learner fills in and a calculation reads: a row of a table (a
    member and their figures) or a form whose calculation checks all of it. Only the kinds are
    checked here; the calculation checks the numbers and options, naming the row or the input at
    fault ("Planned use of Ana"), since the record alone does not know which limits apply."""

    def decorate(cls: type[T]) -> type[T]:
        own = cls.__dict__.get("__post_init__")

        def __post_init__(self: Any) -> None:
            _conform_fields(self, field, finite=own is None and not deferred, lenient_choices=deferred)
            if own is not None:
                own(self)
                if not deferred:
                    _conform_fields(self, field, finite=True)

        cls.__post_init__ = __post_init__  # type: ignore[attr-defined]
        setattr(cls, DEFERRED_MARK, deferred)
        return cls

    return decorate


# Set on every ``@checked`` class: True when its numbers are checked by the calculation that reads it.
DEFERRED_MARK = "_checked_deferred"


def _conform_fields(record: Any, field: str | None, finite: bool, lenient_choices: bool = False) -> None:
    hints = _hints(type(record))
    for item in dataclasses.fields(record):
        if not item.init:
            continue
        value = getattr(record, item.name)
        hint = hints[item.name]
        if lenient_choices and isinstance(hint, type) and issubclass(hint, Enum) and not isinstance(value, hint):
            # A row's unknown option is reported by the calculation reading the rows, naming the row.
            conformed = next((member for member in hint if isinstance(value, str) and member.value == value), value)
        else:
            conformed = _conform(value, hint, item.name.replace("_", " "), field or item.name, finite)
        if conformed is not value:
            object.__setattr__(record, item.name, conformed)


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _conform(value: Any, hint: Any, label: str, field: str, finite: bool = True) -> Any:
    """``value`` as ``hint`` wants it (converted where that is safe), or a ``CourseInputError``.
    Numbers are only checked to be numbers unless ``finite``: then also finite, and whole for an ``int``."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if hint is Any or isinstance(hint, TypeVar):
        return value
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        arms = [arm for arm in args if arm is not type(None)]
        for arm in arms[:-1]:
            try:
                return _conform(value, arm, label, field, finite)
            except CourseInputError:
                continue
        return _conform(value, arms[-1], label, field, finite)
    if hint in (float, int):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise CourseInputError(text("error.not_a_number", label=label), field)
        if finite:
            _record_number(value, label, field)
            if hint is int and value != int(value):
                raise CourseInputError(text("error.whole_number", label=label), field)
        return value
    if hint is str:
        return check_text(value, label, field)
    if hint is bool:
        return check_flag(value, label, field)
    if isinstance(hint, type) and issubclass(hint, Enum):
        return check_choice(value, hint, label, field)
    if origin is tuple:
        items = check_items(value, label, field)
        if len(args) == 2 and args[1] is Ellipsis:
            conformed = tuple(_conform(item, args[0], label, field, finite) for item in items)
        elif args and args != ((),):
            if len(items) != len(args):
                raise CourseInputError(text("error.not_a_list", label=label), field)
            conformed = tuple(_conform(item, arm, label, field, finite) for item, arm in zip(items, args))
        else:
            conformed = items
        same = isinstance(value, tuple) and all(a is b for a, b in zip(conformed, value))
        return value if same else conformed
    if origin in (dict, Mapping) or hint in (dict, Mapping):
        mapping = check_mapping(value, label, field)
        if len(args) == 2:
            converted = {
                _conform(k, args[0], label, field, finite): _conform(v, args[1], label, field, finite)
                for k, v in mapping.items()
            }
            if len(converted) != len(mapping) or any(converted.get(k) is not v for k, v in mapping.items()):
                return converted
        return mapping
    if isinstance(hint, type):
        return check_kind(value, hint, label, field)
    return value


def _record_number(value: object, label: str, field: str) -> float:
    """A number a record may hold: finite, and small enough to become a float (no limits on sign or size
    beyond that: the class's own checks and the calculations set those)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise CourseInputError(text("error.not_a_number", label=label), field)
    if isinstance(value, int) and abs(value) > _LARGEST_FLOAT:
        raise CourseInputError(text("error.too_large", label=label), field)
    if not math.isfinite(value):
        raise CourseInputError(text("error.not_a_number", label=label), field)
    return value


# Removed before reading: spaces between digit groups (plain, no-break, narrow no-break as French
# writes them, thin) and Python-style underscores ("1_000").
_GROUPING_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009_")
# A comma-decimal locale reads the mirror image of English: "1.234,5" as English reads "1,234.5".
_MIRROR = str.maketrans(",.", ".,")


def parse_number(
    raw: str, label: str, field: str | None = None, locale: str | None = None, *, whole_number: bool = False
) -> float:
    """Read a number as a learner types it in the course's language (or ``locale``). ``whole_number``: the
    field takes whole numbers, so a text that is no number is told so with a whole example.

    English (and any locale whose decimal mark is a point): spaces and thousands separators are
    allowed ("12 500", "12,500", "1,250.5"), and a lone comma is a decimal comma ("12,5").
    Spanish, French (a decimal comma): the mirror image, "12,5", "1.234,5", "1 234,5", "12.500"
    (twelve thousand five hundred) and a lone point is a decimal point ("12.5"); "1,234" is refused
    as ambiguous (``error.ambiguous_number``)."""
    cleaned = check_text(raw, label, field).strip().translate(_GROUPING_SPACES)
    if not cleaned:
        raise CourseInputError(text("error.empty_number", label=label), field)
    if decimal_mark(locale) == ",":
        ambiguous = AMBIGUOUS_COMMA.fullmatch(cleaned)
        if ambiguous:
            units, decimals = ambiguous.groups()
            shorter = decimals.rstrip("0") or "0"
            # Each reading written so that it is not ambiguous: "12,5" for "12,500", "1,2340" for "1,234".
            as_decimals = f"{units},{shorter if len(shorter) < 3 else decimals + '0'}"
            as_thousands = whole(int(units + decimals), locale=locale)
            raise CourseInputError(
                text("error.ambiguous_number", label=label, thousands=as_thousands, decimals=as_decimals), field
            )
        cleaned = cleaned.translate(_MIRROR)
    if "," in cleaned:
        groups = cleaned.split(".")[0].lstrip("+-").split(",")
        # "0,125" is a decimal comma: no number written with thousands separators starts "0,".
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
        number = math.nan
    if not math.isfinite(number):
        raise CourseInputError(
            text("error.not_a_whole_number" if whole_number else "error.not_a_number", label=label), field
        )
    return number
