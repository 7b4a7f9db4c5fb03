"""Steps one after another: start and end weeks, total weeks and months."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopcourse.calculations import timeline as tl
from coopcourse.errors import CourseInputError


def test_registration_steps_worked_by_hand() -> None:
    plan = tl.plan_steps([("Core group meets", 4), ("By-laws", 2.5), ("Register", 6)])
    assert [(s.name, s.start_week, s.end_week) for s in plan.steps] == [
        ("Core group meets", 0, 4),
        ("By-laws", 4, 6.5),
        ("Register", 6.5, 12.5),
    ]
    assert plan.total_weeks == 12.5
    # A year is 365.25 / 7 = 52.18 weeks, a month 4.348 weeks: 12.5 weeks are 2.87 months.
    assert round(plan.total_months, 2) == 2.87


def test_a_month_is_a_twelfth_of_a_year_of_weeks() -> None:
    assert math.isclose(tl.weeks_to_months(365.25 / 7), 12)


@pytest.mark.parametrize(
    "steps",
    [
        [],
        [("", 2)],
        [("   ", 2)],
        [("Register", 0)],
        [("Register", -1)],
        [("Register", math.inf)],
    ],
)
def test_a_wrong_step_is_explained_next_to_the_steps(steps: list) -> None:
    with pytest.raises(CourseInputError) as caught:
        tl.plan_steps(steps)
    assert caught.value.field == "steps"


@given(st.lists(st.tuples(st.text("abc", min_size=1), st.floats(0.5, 52)), min_size=1, max_size=12))
def test_steps_follow_each_other_without_gaps(steps: list[tuple[str, float]]) -> None:
    plan = tl.plan_steps(steps)
    assert plan.steps[0].start_week == 0
    for before, after in zip(plan.steps, plan.steps[1:]):
        assert after.start_week == before.end_week
    assert math.isclose(plan.total_weeks, sum(weeks for _name, weeks in steps))
