"""The staffing planner, driven as a group of learners would."""

from __future__ import annotations

import pytest

from coopcourse.exercises.common import scenario_values
from coopcourse.exercises.manage_coop import people
from tests import hostile
from tests.components.frames import results

NAME, HOURS, PAY, WHO = range(4)


def figure(frame, row: int) -> str:
    return results(frame)[0].frame.iloc[row, 1]


@pytest.fixture
def frame():
    return people.staffing_planner()


@pytest.fixture
def roles(frame):
    return frame.fields["roles"]


def test_starts_from_the_argan_cooperative(frame, learner_message) -> None:
    _totals, warnings, chart, table = results(frame)
    assert frame.state() == scenario_values("staffing")
    assert list(table.frame.iloc[:, 0]) == ["Manager", "Cracking and pressing", "Selling at the market", "Bookkeeping"]
    # Manager 40 h x 48 weeks x 3 = 5,760; 5,760 / 60,000 = 9.6%.
    assert figure(frame, 0) == "5,760.00" and figure(frame, 1) == "9.6%"
    # Volunteers (120 + 16 + 6) h x 48 = 6,816 h, worth 5,760 x 2 + 768 x 2 + 288 x 3 = 13,920.
    assert figure(frame, 3) == "6,816" and figure(frame, 4) == "13,920.00"
    assert figure(frame, 5) == "1.4"  # 142 h a week / 100 members
    assert "A key role is done only by volunteers: Bookkeeping" in warnings.value
    assert frame.feedback.kind == "warning"
    assert chart.draw_count == 1 and "4 roles" in chart.alt_text
    learner_message(frame.feedback.message)


def test_switching_bookkeeping_to_paid_staff(frame, roles) -> None:
    roles.cells[3][WHO].entry.value = "paid"
    _totals, warnings, _chart, table = results(frame)
    assert table.frame.iloc[3, 1] == "Paid staff"
    # 5,760 + 6 h x 48 x 3 = 864: 6,624.
    assert figure(frame, 0) == "6,624.00"
    assert "key role" not in warnings.value
    assert frame.feedback.kind == "success"
    roles.cells[3][WHO].entry.value = "volunteer"
    assert figure(frame, 0) == "5,760.00"
    assert "key role" in results(frame)[1].value


def test_add_and_remove_roles(frame, roles, learner_message) -> None:
    table = results(frame)[3]
    roles.add_row()
    # The new row has no name yet: the group is told, the last good results stay.
    assert "every row needs a name" in roles.error
    learner_message(roles.error)
    assert len(table.frame) == 4
    roles.cells[4][NAME].entry.value = "Cleaning"
    roles.cells[4][HOURS].entry.value = "4"
    assert roles.error == ""
    assert len(table.frame) == 5 and table.frame.iloc[4, 0] == "Cleaning"
    assert table.frame.iloc[4, 3] == "192"  # 4 h x 48 weeks
    roles.remove_row(0)  # the manager
    assert list(table.frame.iloc[:, 0]) == ["Cracking and pressing", "Selling at the market", "Bookkeeping", "Cleaning"]
    assert figure(frame, 0) == "0.00" and figure(frame, 1) == "0.0%"
    assert frame.state()["weeks_per_year"] == 48  # other inputs untouched


def test_cannot_remove_the_last_role(frame, roles) -> None:
    for _ in range(3):
        roles.remove_row(0)
    assert len(roles.value) == 1
    roles.remove_row(0)
    assert len(roles.value) == 1 and "Keep at least 1 row" in roles.error


def test_hostile_role_name_is_shown_escaped(frame, roles) -> None:
    roles.cells[3][NAME].entry.value = f"{hostile.SCRIPT} bookkeeping"
    _totals, warnings, chart, table = results(frame)
    for html_text in (table.value, warnings.value, chart.value, frame.feedback.value):
        assert "<script>" not in html_text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; bookkeeping" in table.value
    assert "&lt;script&gt;" in warnings.value  # still recognised as a key role, and escaped
    assert table.frame.iloc[3, 0] == f"{hostile.SCRIPT} bookkeeping"


def test_duplicate_role_names(frame, roles, learner_message) -> None:
    roles.cells[1][NAME].entry.value = "manager"
    assert "appears twice" in roles.error
    learner_message(roles.error)
    assert results(frame)[3].frame.iloc[1, 0] == "Cracking and pressing"


def test_a_role_too_big_for_one_row(frame, roles, learner_message) -> None:
    roles.cells[1][HOURS].entry.value = "5000"
    assert "at most 1,000" in roles.error
    learner_message(roles.error)
    assert results(frame)[3].frame.iloc[1, 2] == "120"


def test_warnings_for_heavy_volunteer_load_and_high_staff_costs(frame, roles) -> None:
    frame.fields["members"].entry.value = "20"  # 142 h a week / 20 = 7.1 h each
    warnings = results(frame)[1]
    assert "7.1 hours a week each" in warnings.value and "3 hours" in warnings.value
    frame.fields["revenue"].entry.value = "10000"  # 5,760 / 10,000 = 57.6%
    assert "57.6% of revenue" in results(frame)[1].value and "40%" in results(frame)[1].value
    frame.fields["revenue"].entry.value = "0"
    assert figure(frame, 1) == "no revenue entered"
    assert "no revenue to pay the staff from" in results(frame)[1].value


def test_loading_another_scenario(frame) -> None:
    choose, _story, load = frame.tools.children[0].children
    choose.value = "coffee_cooperative"
    load.button.click()
    load.confirm.click()
    assert frame.state() == scenario_values("staffing", "coffee_cooperative")
    assert len(results(frame)[3].frame) == 5
    assert frame.feedback.kind == "success"
