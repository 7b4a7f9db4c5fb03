"""Input checks shared by the calculations; each failure is a learner-facing ``CourseInputError``."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from coopcourse.errors import CourseInputError
from coopcourse.formatting import amount
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

    def check(self, value: object, label: str, field: str | None = None) -> float:
        """``value`` if it is a finite number within these bounds (an ``int`` for whole numbers),
        else a learner-facing ``CourseInputError``."""
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise CourseInputError(text("error.not_a_number", label=label), field)
        if isinstance(value, int) and abs(value) > LARGEST_AMOUNT:
            raise CourseInputError(text("error.at_most", label=label, maximum=amount(self.maximum)), field)
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
    value: float,
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


def check_count(value: float, label: str, *, minimum: int = 1, maximum: int = 1_000_000,
                field: str | None = None) -> int:
    return int(check_number(value, label, minimum=minimum, maximum=maximum, whole=True, field=field))


def check_not_empty(items: Sequence[object], label: str, field: str | None = None) -> None:
    if len(items) == 0:
        raise CourseInputError(text("error.empty_list", label=label), field)


def check_unique_names(names: Sequence[str], label: str, field: str | None = None) -> None:
    seen: set[str] = set()
    for name in names:
        if not name.strip():
            raise CourseInputError(text("error.blank_name", label=label), field)
        key = name.strip().casefold()
        if key in seen:
            raise CourseInputError(text("error.duplicate_name", label=label, name=name.strip()), field)
        seen.add(key)


def parse_number(raw: str, label: str, field: str | None = None) -> float:
    """Read a number as a learner types it: spaces and thousands separators are allowed
    ("12 500", "12,500", "1,250.5"), and a lone comma is a decimal comma ("12,5")."""
    cleaned = raw.strip().replace(" ", "").replace("\u00a0", "").replace("_", "")
    if not cleaned:
        raise CourseInputError(text("error.empty_number", label=label), field)
    if "," in cleaned:
        groups = cleaned.split(".")[0].lstrip("+-").split(",")
        # "0,125" is a decimal comma: no number written with thousands separators starts "0,".
        thousands = (len(groups) > 1 and all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3
                     and groups[0] != "0")
        if thousands:
            cleaned = cleaned.replace(",", "")
        elif cleaned.count(",") == 1 and "." not in cleaned:
            cleaned = cleaned.replace(",", ".")
    try:
        number = float(cleaned)
    except ValueError:
        raise CourseInputError(text("error.not_a_number", label=label), field) from None
    if not math.isfinite(number):
        raise CourseInputError(text("error.not_a_number", label=label), field)
    return number
