"""A timeline of steps one after another (the steps to registration): when each starts and ends, in
weeks from today, and how many months the whole takes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from coopcourse.calculations.validation import check_items, check_not_empty, check_number, check_text, checked
from coopcourse.errors import CourseInputError
from coopcourse.text import text

# A year of 365.25 days is 52.18 weeks, so a month is 52.18 / 12 = 4.35 weeks on average.
WEEKS_PER_MONTH = 365.25 / 7 / 12


@dataclass(frozen=True)
@checked(field="steps")
class Step:
    name: str
    start_week: float
    end_week: float

    @property
    def weeks(self) -> float:
        return self.end_week - self.start_week


@dataclass(frozen=True)
@checked(field="steps")
class Timeline:
    steps: tuple[Step, ...]

    @property
    def total_weeks(self) -> float:
        return self.steps[-1].end_week if self.steps else 0.0

    @property
    def total_months(self) -> float:
        return weeks_to_months(self.total_weeks)


def weeks_to_months(weeks: float) -> float:
    return check_number(weeks, text("registration.weeks"), minimum=None) / WEEKS_PER_MONTH


def plan_steps(steps: Sequence[tuple[str, float]], field: str | None = "steps") -> Timeline:
    """Steps (name, weeks it takes) one after another, the first starting today (week 0). Every step
    needs a name and takes more than 0 weeks."""
    where = field if isinstance(field, str) else None  # the exercise input the steps come from
    label = text("registration.steps")
    steps = check_items(steps, label, where)
    check_not_empty(steps, label, where)
    planned, week = [], 0.0
    for step in steps:
        pair = check_items(step, label, where)
        if len(pair) != 2:
            raise CourseInputError(text("error.not_a_row", label=label), where)
        name = check_text(pair[0], label, where).strip()
        if not name:
            raise CourseInputError(text("registration.error_unnamed"), where)
        length = check_number(pair[1], text("registration.weeks_of", step=name), above_minimum=True, field=where)
        planned.append(Step(name, week, week + length))
        week += length
    return Timeline(tuple(planned))
