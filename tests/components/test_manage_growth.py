"""The growth-strategy simulator, driven as a group of learners would."""

from __future__ import annotations

import pytest

from coopcourse import saving
from coopcourse.components.saved_work import saved_work_bar
from coopcourse.exercises.common import scenario_values
from coopcourse.exercises.manage_coop import growth
from tests.components.frames import open_work_as, results, type_into


@pytest.fixture
def frame():
    return growth.growth_simulator()


def test_starts_from_the_first_scenario_with_results(frame, learner_message) -> None:
    about, summary, chart, table = results(frame)
    assert frame.state() == scenario_values("growth")
    assert len(table.frame) == 5
    assert list(table.frame.iloc[3])[:2] == ["4", "292,820.00"]
    assert frame.feedback.kind == "success"
    assert "recovered in year 4" in summary.value
    assert "teaching assumptions" in about.value
    assert chart.draw_count == 1 and "over 5 years" in chart.alt_text
    learner_message(frame.feedback.message)


def test_switching_strategy_presets_its_teaching_assumptions(frame) -> None:
    frame.fields["strategy"].entry.value = "diversification"
    state = frame.state()
    # Diversification: 20% growth, investment 35% and extra costs 10% of 200,000 sales, 30% chance.
    assert (state["growth_percent"], state["investment"], state["extra_fixed_costs"], state["success_percent"]) == (
        20,
        70_000,
        20_000,
        30,
    )
    assert frame.fields["investment"].entry.value == "70000"
    assert state["sales"] == 200_000 and state["years"] == 5  # the cooperative's own figures stay
    about, _summary, _chart, table = results(frame)
    assert "diversification" in about.value
    assert list(table.frame.iloc[0])[1] == "240,000.00"
    frame.fields["strategy"].entry.value = "penetration"
    assert frame.state()["investment"] == 10_000 and frame.state()["success_percent"] == 80


def test_editing_an_assumption_keeps_the_strategy_and_updates_results(frame) -> None:
    table = results(frame)[3]
    before = table.frame.copy()
    type_into(frame, "growth_percent", "2")
    assert frame.state()["strategy"] == "new_markets"
    assert frame.fields["growth_percent"].error == ""
    assert not table.frame.equals(before)
    assert "not recovered within 5 years" in results(frame)[1].value
    assert frame.feedback.kind == "warning"
    type_into(frame, "success_percent", "100")
    type_into(frame, "growth_percent", "15")
    assert frame.feedback.kind == "success"


def test_more_years_gives_more_rows(frame) -> None:
    type_into(frame, "years", "10")
    assert len(results(frame)[3].frame) == 10
    type_into(frame, "years", "1")
    _about, summary, chart, table = results(frame)
    assert len(table.frame) == 1
    # One year is said in the singular (the count picks the plural form in every language).
    assert "Over 1 year the strategy" in summary.value and "over 1 year for" in chart.alt_text


def test_a_number_typed_with_a_thousands_separator(frame) -> None:
    type_into(frame, "sales", "250,000")
    assert frame.state()["sales"] == 250_000
    assert list(results(frame)[3].frame.iloc[0])[1] == "275,000.00"


def test_loading_a_scenario_keeps_its_own_assumptions(frame) -> None:
    picker = frame.tools.children[0]
    choose, _story, load = picker.children
    choose.value = "coffee_tourism"
    load.button.click()
    load.confirm.click()
    assert frame.state() == scenario_values("growth", "coffee_tourism")
    assert frame.feedback.kind in ("info", "warning", "success")


def test_saved_work_restores_edited_assumptions_not_the_strategy_defaults(monkeypatch) -> None:
    saving.start_new_session()
    bar = saved_work_bar()
    frame = growth.growth_simulator()
    open_work_as(bar, "Hill coffee group")
    frame.fields["strategy"].entry.value = "new_products"
    type_into(frame, "investment", "12345")
    type_into(frame, "success_percent", "42")
    saved = frame.state()
    # A reload: a fresh page, the same name.
    saving.start_new_session()
    bar = saved_work_bar()
    again = growth.growth_simulator()
    open_work_as(bar, "Hill coffee group")
    assert again.state() == saved
    assert again.fields["investment"].entry.value == "12345"


def test_no_internal_error_anywhere(frame) -> None:
    for strategy in ("penetration", "new_markets", "new_products", "diversification"):
        frame.fields["strategy"].entry.value = strategy
        for years in ("1", "10"):
            type_into(frame, "years", years)
            assert frame.feedback.kind != "internal"
    type_into(frame, "variable_cost_percent", "100")
    type_into(frame, "investment", "0")
    assert "nothing to recover" in results(frame)[1].value
    type_into(frame, "fixed_costs", "999999999")
    assert "already makes a loss" in results(frame)[1].value
    assert frame.feedback.kind == "warning"
