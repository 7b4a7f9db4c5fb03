"""Bad input is explained and the results stay: one test, applied to every exercise a learner
types numbers or rows into.

Each ``Slip`` is something a learner may type. For each, the exercise must:
- say what is wrong next to the field (or row) at fault, in words a learner understands;
- flag it in the feedback line at once (not leave "well done" under it);
- keep the last good results and every other input; show what was typed as text, never as HTML;
- keep refusing while the slip is on screen, even when another input changes (and keep that change);
- come back to exactly where it was (inputs, results, feedback) once both are undone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets
import pandas as pd
import pytest

from coopcourse.components import ExerciseFrame, RowsEditor
from coopcourse.components.fields import NumberField
from coopcourse.text import text
from tests import hostile
from tests.components.frames import all_html, assert_never_html, exercise_builders, results

Where = str | tuple[str, int, int]  # a field, or (rows field, row, column) for a cell of a list


@dataclass(frozen=True)
class Slip:
    exercise: str  # a key of exercise_builders(), without the part prefix: "feasibility_calculator"
    where: Where
    typed: str
    says: str  # part of the message shown next to the field, or under the list for a cell
    # True: the field refuses the text and keeps its last good value. False: the field takes the
    # value but the exercise cannot use it with the others (a salvage value above the price).
    refused: bool = True
    feedback_says: str = ""  # part of the feedback line, where a test asked for it


def slips(exercise: str, where: Where, cases: list[tuple[str, str]], **options: Any) -> list[Slip]:
    return [Slip(exercise, where, typed, says, **options) for typed, says in cases]


SLIPS: list[Slip] = [
    # --- Think.Coop ---------------------------------------------------------------------------
    *slips(
        "joint_purchasing",
        ("members", 1, 1),
        [
            ("-5", "more than 0"),
            ("0", "more than 0"),
            ("abc", "please enter a number"),
            ("", "empty"),
            ("1e13", "at most"),
            (hostile.IMAGE, "please enter a number"),
        ],
    ),
    *slips(
        "joint_purchasing",
        "coordination_cost",
        [("-1", "at least 0"), ("abc", "please enter a number"), ("", "empty"), ("5e12", "at most")],
    ),
    *slips(
        "shared_equipment",
        "price",
        [("0", "more than 0"), ("-180000", "more than 0"), ("2e12", "at most"), ("abc", "please enter a number")],
    ),
    *slips("shared_equipment", "life_years", [("0", "at least 1"), ("150", "at most 100")]),
    *slips("shared_equipment", "interest_rate_percent", [("120", "at most 100")]),
    *slips("shared_equipment", "salvage_value", [("", "empty")]),
    Slip("shared_equipment", "salvage_value", "200000", text("equipment.error_salvage_above_price"), refused=False),
    *slips("shared_equipment", "operating_cost_per_unit", [("-12", "at least 0")]),
    *slips("shared_equipment", "insurance_and_housing", [(hostile.IMAGE, "please enter a number")]),
    # --- Start.Coop ---------------------------------------------------------------------------
    Slip("business_ideas", ("ideas", 0, 1), "6", 'Scores of "Our first idea" must be between 1 and 5.', refused=False),
    *slips(
        "business_ideas",
        ("ideas", 0, 1),
        [
            ("0", "must be at least 1"),
            ("2.5", "must be a whole number"),
            ("abc", "please enter a whole number"),
            ("", "this field is empty"),
        ],
    ),
    *slips(
        "business_ideas",
        "weight_need",
        [("-1", "must be at least 0"), ("11", "must be at most 10"), ("lots", "please enter a number")],
    ),
    Slip("business_ideas", ("ideas", 0, 0), "", "every row needs a name", refused=False),
    *slips(
        "feasibility_calculator",
        "price",
        [
            ("0", "Selling price per unit must be more than 0."),
            ("-3", "must be more than 0"),
            ("abc", "please enter a number"),
            ("", "this field is empty"),
            ("2e12", "must be at most 1,000,000,000,000"),
        ],
    ),
    *slips("feasibility_calculator", "variable_cost", [("-1", "Variable cost per unit must be at least 0.")]),
    *slips("feasibility_calculator", "fixed_costs", [("1e400", "please enter a number")]),
    *slips(
        "feasibility_calculator",
        "members",
        [("0", "Number of members must be at least 1."), ("2.5", "must be a whole number")],
    ),
    Slip("feasibility_calculator", "expected_volume", "50000", "cannot be larger than the whole market", refused=False),
    *slips("feasibility_calculator", "loans", [(hostile.IMAGE, "please enter a number")]),
    *slips("business_plan", "ramp_up_months", [("13", "at most 12"), ("1.5", "whole number")]),
    *slips("business_plan", "monthly_loan_repayment", [("-1", "at least 0")]),
    *slips("business_plan", "working_capital", [("abc", "please enter a number")]),
    Slip(
        "governance_structure",
        "board_size",
        "30",
        "The board cannot have more members than the cooperative.",
        refused=False,
    ),
    *slips("governance_structure", "board_size", [("2", "Board members must be at least 3.")]),
    *slips("governance_structure", "board_term_years", [("7", "at most 6")]),
    Slip("governance_structure", "committee_size", "0", "needs at least 1 member, or untick it", refused=False),
    Slip("governance_structure", "committee_size", "21", "Board and supervisory committee together", refused=False),
    *slips("governance_structure", "quorum_percent", [("0", "must be more than 0"), ("150", "at most 100")]),
    *slips("governance_structure", "members", [("2.5", "whole number"), ("", "this field is empty")]),
    *slips("governance_structure", "assemblies_per_year", [(hostile.SCRIPT, "please enter a whole number")]),
    *slips(
        "registration_timeline",
        ("steps", 2, 1),
        [("0", "more than 0"), ("-2", "more than 0"), ("abc", "please enter a number"), ("", "this field is empty")],
    ),
    *slips("founding_assembly", "quorum_percent", [("0", "more than 0"), ("101", "at most 100"), ("half", "number")]),
    # --- Manage.Coop --------------------------------------------------------------------------
    *slips("role_play_tracker", "quorum_percent", [("0", "more than 0"), ("150", "at most 100"), ("abc", "number")]),
    Slip(
        "communication_plan",
        ("plan", 2, 1),
        "   ",
        "Row 3",
        refused=False,
        feedback_says="Row 3: write what information",
    ),
    *slips(
        "agenda_builder",
        ("items", 1, 1),
        [("abc", "please enter a whole number"), ("-5", "more than 0"), ("0", "more than 0"), ("2.5", "whole number")],
    ),
    *slips("agenda_builder", "start_hour", [("25", "at most 23")]),
    *slips(
        "surplus_distribution", "net_surplus", [("abc", "please enter a number"), ("", "empty"), ("1e15", "at most")]
    ),
    *slips("surplus_distribution", "reserve_percent", [("-3", "at least 0")]),
    *slips("surplus_distribution", "education_percent", [("150", "at most 100")]),
    *slips("surplus_distribution", "isc_rate_cap_percent", [("abc", "please enter a number")]),
    *slips("surplus_distribution", "isc_share_percent", [("", "empty")]),
    *slips("surplus_distribution", ("members", 1, 1), [("-100", "at least 0"), ("", "empty")]),
    *slips("surplus_distribution", ("members", 1, 2), [("abc", "please enter a number"), ("1e15", "at most")]),
    *slips("financial_statements", "cash", [("-5", "at least 0")]),
    *slips("financial_statements", "inventory", [("abc", "please enter a number")]),
    *slips("financial_statements", "reserves", [("", "empty")]),
    *slips("financial_statements", "fixed_assets", [("1e15", "at most")]),
    *slips("growth_simulator", "sales", [("0", "more than 0"), ("1e15", "at most")]),
    *slips("growth_simulator", "fixed_costs", [("-1", "at least 0")]),
    *slips("growth_simulator", "years", [("0", "at least 1"), ("11", "at most 10"), ("2.5", "whole number")]),
    *slips("growth_simulator", "variable_cost_percent", [("120", "at most 100")]),
    *slips("growth_simulator", "growth_percent", [("-80", "at least -50")]),
    *slips("growth_simulator", "success_percent", [("abc", "please enter a number")]),
    *slips("growth_simulator", "investment", [("", "empty")]),
    *slips("staffing_planner", ("roles", 0, 1), [("abc", "please enter a number"), ("-3", "at least 0")]),
    *slips("staffing_planner", ("roles", 0, 2), [("-1", "at least 0"), ("1e15", "at most")]),
    *slips(
        "staffing_planner",
        "weeks_per_year",
        [("0", "at least 1"), ("53", "at most 52"), ("abc", "please enter a whole number")],
    ),
    *slips("staffing_planner", "revenue", [("-5", "at least 0"), ("1e15", "at most")]),
    *slips("staffing_planner", "members", [("0", "at least 1"), ("2.5", "whole number")]),
]

# A change to another input while a slip is on screen, per exercise: the first not in the slip's
# field. Each is valid and, when nothing is wrong, changes the results or the feedback line.
OTHER_CHANGES: dict[str, list[tuple[Where, str]]] = {
    "joint_purchasing": [("coordination_cost", "700"), (("members", 0, 1), "70")],
    "shared_equipment": [("operating_cost_per_unit", "13"), ("life_years", "12")],
    "business_ideas": [("weight_market", "4"), ("weight_skills", "3")],
    "feasibility_calculator": [("fixed_costs", "15000"), ("price", "10")],
    "business_plan": [("ramp_up_months", "4"), ("working_capital", "2000")],
    "governance_structure": [("board_term_years", "3"), ("quorum_percent", "30")],
    "registration_timeline": [],
    "founding_assembly": [(("members", 11, 1), "manager")],
    "role_play_tracker": [(("members", 9, 1), "manager")],
    "communication_plan": [],
    "agenda_builder": [("planned_minutes", "100"), ("start_minute", "30")],
    "surplus_distribution": [("optional_percent", "5"), ("net_surplus", "900000")],
    "financial_statements": [("sales_members", "100000"), ("cash", "31000")],
    "growth_simulator": [("fixed_costs", "45000"), ("sales", "210000")],
    "staffing_planner": [("members", "120"), ("revenue", "61000")],
}

BUILDERS = {name.rsplit(".", 1)[-1]: build for name, build in exercise_builders().items()}


def box_at(frame: ExerciseFrame, where: Where) -> Any:
    """The field, or the cell of a list, a learner types into."""
    if isinstance(where, str):
        return frame.fields[where]
    key, row, column = where
    return frame.fields[key].cells[row][column]


def message_at(frame: ExerciseFrame, where: Where) -> str:
    """What is said next to the place: the field's message, or the cell's or else its list's."""
    if isinstance(where, str):
        return frame.fields[where].error
    return box_at(frame, where).error or frame.fields[where[0]].error


def field_key(where: Where) -> str:
    return where if isinstance(where, str) else where[0]


@dataclass
class Shown:
    """What an exercise shows: its results (HTML and tables), its inputs and its feedback line."""

    html: str
    tables: list[pd.DataFrame]
    state: dict[str, Any]
    feedback: tuple[str | None, str]  # kind, message

    @classmethod
    def of(cls, frame: ExerciseFrame) -> Shown:
        tables = [w.frame.copy() for w in results(frame) if isinstance(getattr(w, "frame", None), pd.DataFrame)]
        return cls(all_html(frame.children[-1]), tables, frame.state(), (frame.feedback.kind, frame.feedback.message))

    def same_results(self, other: Shown) -> bool:
        return (
            self.html == other.html
            and len(self.tables) == len(other.tables)
            and all(a.equals(b) for a, b in zip(self.tables, other.tables))
        )


def _id(slip: Slip) -> str:
    where = slip.where if isinstance(slip.where, str) else "{}[{}][{}]".format(*slip.where)
    return f"{slip.exercise}-{where}-{slip.typed[:12]!r}"


@pytest.mark.parametrize("slip", SLIPS, ids=[_id(s) for s in SLIPS])
def test_bad_input_is_explained_and_the_results_stay(slip: Slip, learner_message) -> None:  # type: ignore[no-untyped-def]
    frame = BUILDERS[slip.exercise]()
    box = box_at(frame, slip.where)
    key = field_key(slip.where)
    good_text, good_value = box.entry.value, box.value
    good = Shown.of(frame)

    box.entry.value = slip.typed
    said = message_at(frame, slip.where)
    assert slip.says in said
    if slip.refused and not isinstance(slip.where, str):
        assert slip.says in box.error, "a refused cell says so itself"
    learner_message(said)
    assert frame.feedback.kind == "warning", "the slip is flagged at once"
    assert frame.feedback.message != good.feedback[1]
    learner_message(frame.feedback.message)
    assert slip.feedback_says in frame.feedback.message
    slipped = Shown.of(frame)
    assert slipped.same_results(good), "the last good results stay"
    others = {k: v for k, v in slipped.state.items() if k != key}
    assert others == {k: v for k, v in good.state.items() if k != key}, "no other input is lost"
    if slip.refused:
        assert box.value == good_value and slipped.state == good.state, "the field keeps its last good value"
    if "<" in slip.typed:
        assert_never_html(frame, slip.typed)

    # Another change while the slip is on screen: still refused, the results still stay.
    # (An exercise with one list only has no other input to change.)
    other_change = next((c for c in OTHER_CHANGES[slip.exercise] if field_key(c[0]) != key), None)
    if other_change is not None:
        other_where, other_text = other_change
        other = box_at(frame, other_where)
        other_good_text = other.entry.value
        other.entry.value = other_text
        assert message_at(frame, other_where) == ""
        assert frame.feedback.kind == "warning"
    during = Shown.of(frame)
    assert during.same_results(good)
    if other_change is not None:
        assert during.state[field_key(other_where)] != good.state[field_key(other_where)], "the change is kept"

    # Correcting the slip brings the results back to life, with the other change in them.
    box.entry.value = good_text
    assert message_at(frame, slip.where) == ""
    fixed = Shown.of(frame)
    assert fixed.state == {**during.state, key: good.state[key]}
    assert frame.feedback.message != text("feedback.fix_fields")
    if other_change is not None:
        assert not fixed.same_results(good) or fixed.feedback != good.feedback, "the other change counts now"
        other.entry.value = other_good_text  # undone too

    # Everything is as it was.
    again = Shown.of(frame)
    assert again.state == good.state and again.feedback == good.feedback
    assert again.same_results(good)


def takes_numbers(field: widgets.Widget) -> bool:
    return isinstance(field, NumberField) or (
        isinstance(field, RowsEditor) and any(column.kind == "number" for column in field.columns)
    )


def test_every_exercise_that_takes_numbers_has_slips() -> None:
    typed_into = [
        name for name, build in BUILDERS.items() if any(takes_numbers(field) for field in build().fields.values())
    ]
    assert len(typed_into) >= 13
    missing = set(typed_into) - {slip.exercise for slip in SLIPS}
    assert not missing, f"add slips for {sorted(missing)}"
    assert set(OTHER_CHANGES) == {slip.exercise for slip in SLIPS}


def test_a_row_cells_message_goes_to_the_device_as_text_not_html() -> None:
    """A cell of a list has no HTML widget: its message is sent as text (the view writes it as
    text), so what was typed in it can never become markup on the page."""
    frame = BUILDERS["joint_purchasing"]()
    members = frame.fields["members"]
    cell = members.cells[1][1]
    cell.entry.value = "<b>abc</b>"
    assert cell.error and members.errors[1][1] == cell.error
    assert cell.error not in all_html(frame)
    assert members.entries[1][1] == "<b>abc</b>"
