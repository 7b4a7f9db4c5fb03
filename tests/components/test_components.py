"""The widget building blocks, driven as a learner would: typing into boxes and clicking buttons."""

from __future__ import annotations

import io
import logging
import sys

import ipywidgets as widgets
import pandas as pd
import pytest

from coopcourse.calculations.self_check import Choice, Question
from coopcourse.calculations.validation import Bounds
from coopcourse.components import (
    Chart,
    Column,
    ConfirmButton,
    ExerciseFrame,
    NumberField,
    PickManyField,
    QuestionCard,
    Quiz,
    ResultsTable,
    RowsEditor,
    TextField,
    shared,
)
from coopcourse.components import chart as chart_module
from coopcourse.errors import CourseInputError
from coopcourse.text import text
from tests import hostile

# --- NumberField ----------------------------------------------------------------------------------


def test_number_field_explains_non_numbers_and_keeps_the_last_valid_value(learner_message) -> None:
    field = NumberField("Price", 10)
    field.entry.value = "abc"
    assert not field.valid
    assert field.value == 10
    assert field.error.startswith("Price")
    learner_message(field.error)
    assert 'role="alert"' in field.message.value
    field.entry.value = "12,5"
    assert field.valid
    assert field.value == 12.5
    assert field.error == "" and field.message.value == ""


@pytest.mark.parametrize(
    ("typed", "fragment"),
    [
        ("-1", "at least 0"),
        ("", "empty"),
        ("1e13", "at most"),
        ("nan", "please enter a whole number, for example 12."),
        ("twelve", "please enter a whole number, for example 12."),
        ("2.5", "whole number"),
    ],
)
def test_number_field_bounds(typed: str, fragment: str, learner_message) -> None:
    field = NumberField("Members", 3, Bounds(whole=True))
    field.entry.value = typed
    assert not field.valid
    assert fragment in field.error
    assert field.value == 3
    learner_message(field.error)


def test_number_field_set_from_code_updates_the_box() -> None:
    field = NumberField("Price", 10)
    field.value = 1250.5
    assert field.entry.value == "1250.5"
    field.value = 3.0
    assert field.entry.value == "3"
    field.entry.value = "12,500"  # typed with a thousands separator: the box is left as typed
    assert field.value == 12500
    assert field.entry.value == "12,500"


def test_number_field_escapes_hostile_text() -> None:
    field = NumberField(hostile.IMAGE, 1)
    field.entry.value = hostile.IMAGE
    assert not field.valid
    assert hostile.IMAGE in field.error  # the label, as plain text
    assert "<img" not in field.message.value  # but never as markup
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in field.message.value


def test_number_field_refuses_an_invalid_start_value() -> None:
    with pytest.raises(CourseInputError):
        NumberField("Price", -1)


# --- TextField ------------------------------------------------------------------------------------


def test_text_field_keeps_hostile_text_as_text() -> None:
    field = TextField("Name")
    field.entry.value = f"  {hostile.IMAGE}  "
    assert field.value == hostile.IMAGE  # kept verbatim (it is only ever shown escaped), trimmed
    assert field.error == ""


def test_text_field_max_length(learner_message) -> None:
    field = TextField("Name", max_length=10)
    field.entry.value = "x" * 25
    assert field.value == "x" * 10
    assert "10" in field.error
    learner_message(field.error)
    field.entry.value = "short"
    assert field.value == "short"
    assert field.error == ""


def test_text_field_escapes_its_label_in_messages() -> None:
    field = TextField(hostile.IMAGE, max_length=2)
    field.entry.value = "abc"
    assert "<img" not in field.message.value


def test_text_field_set_from_code() -> None:
    field = TextField("Name", "Amina")
    field.value = "Bao"
    assert field.entry.value == "Bao"


# --- PickManyField --------------------------------------------------------------------------------


def test_pick_many_field_ticks_and_keeps_ticks_across_option_changes() -> None:
    field = PickManyField("Buying alone", ["Amina", "Bao", "Carlos"])
    field.boxes.children[2].value = True
    field.boxes.children[0].value = True
    assert field.value == ["Amina", "Carlos"]  # in the order of the options
    field.set_options(["Carlos", "Dewi"])
    assert field.value == ["Carlos"]
    assert [box.value for box in field.boxes.children] == [True, False]
    field.value = ["Dewi"]
    assert [box.value for box in field.boxes.children] == [False, True]


# --- RowsEditor -----------------------------------------------------------------------------------

COLUMNS = [
    Column("name", "Name", kind="text"),
    Column("quantity", "Quantity", default=10, bounds=Bounds(above_minimum=True)),
]


def editor(rows: int = 2, **limits: int) -> RowsEditor:
    return RowsEditor(COLUMNS, [{"name": f"M{i}", "quantity": i + 1} for i in range(rows)], label="Members", **limits)


def device(rows: RowsEditor, event: str, **content: object) -> list[dict]:
    """Send ``rows`` what its view sends when a button is pressed or a box is left, as of the rows
    the device has drawn; gives back what the editor sent the device."""
    sent: list[dict] = []
    original = rows.send
    rows.send = lambda message, buffers=None: sent.append(message)  # type: ignore[method-assign]
    try:
        content.setdefault("revision", rows.revision)
        rows._handle_custom_msg({"event": event, **content}, [])
    finally:
        rows.send = original  # type: ignore[method-assign]
    return sent


def test_rows_editor_add_and_remove_with_the_devices_buttons() -> None:
    rows = editor(2)
    device(rows, "add")
    assert rows.value == [{"name": "M0", "quantity": 1}, {"name": "M1", "quantity": 2}, {"name": "", "quantity": 10}]
    assert rows.entries == [["M0", "1"], ["M1", "2"], ["", "10"]]
    assert rows.row_names == ["Row 1 of Members", "Row 2 of Members", "Row 3 of Members"]
    assert rows.remove_labels == ["Remove row 1", "Remove row 2", "Remove row 3"]
    device(rows, "remove", row=0)
    assert rows.value == [{"name": "M1", "quantity": 2}, {"name": "", "quantity": 10}]
    device(rows, "remove", row=1)  # rows are renumbered after a removal
    assert rows.value == [{"name": "M1", "quantity": 2}]
    assert rows.remove_labels == ["Remove row 1"]


def test_rows_editor_takes_what_is_typed_on_the_device() -> None:
    rows = editor(2)
    device(rows, "typed", row=1, column=1, text="7,5")
    assert rows.value[1]["quantity"] == 7.5 and rows.entries[1] == ["M1", "7,5"]
    device(rows, "typed", row=1, column=1, text="abc")
    assert rows.value[1]["quantity"] == 7.5 and not rows.valid
    assert rows.entries[1] == ["M1", "abc"], "what is typed stays in the box"
    assert rows.errors == [["", ""], ["", "Quantity: please enter a number, for example 12 or 12.5."]]
    device(rows, "typed", row=0, column=0, text="  Amina  ")
    assert rows.value[0] == {"name": "Amina", "quantity": 1}


def test_rows_editor_refuses_an_edit_made_before_the_rows_moved() -> None:
    """A device that typed into row 2 before it drew a removal must not change what is now row 2."""
    rows = editor(3)
    seen = rows.revision
    device(rows, "remove", row=0)
    answer = device(rows, "typed", row=1, column=0, text="Late", revision=seen)
    assert answer == [{"event": "redraw"}]
    assert [row["name"] for row in rows.value] == ["M1", "M2"]
    assert device(rows, "remove", row=0, revision=seen) == [{"event": "redraw"}]
    assert len(rows.value) == 2


@pytest.mark.parametrize(
    "content",
    [
        None,
        "add",
        [],
        {"event": "typed"},
        {"event": "typed", "row": 9, "column": 0, "text": "x"},
        {"event": "typed", "row": -1, "column": 0, "text": "x"},
        {"event": "typed", "row": True, "column": 0, "text": "x"},
        {"event": "typed", "row": 0, "column": 5, "text": "x"},
        {"event": "typed", "row": 0, "column": 0, "text": 12},
        {"event": "remove", "row": "0"},
        {"event": "explode", "row": 0},
    ],
)
def test_rows_editor_ignores_what_no_view_sends(content: object) -> None:
    rows = editor(2)
    before = (rows.value, rows.entries, rows.errors, rows.error)
    if isinstance(content, dict):
        content = {"revision": rows.revision, **content}
    rows._handle_custom_msg(content, [])
    assert (rows.value, rows.entries, rows.errors, rows.error) == before


def test_rows_editor_limits(learner_message) -> None:
    rows = editor(2, min_rows=1, max_rows=3)
    rows.add_row()
    rows.add_row()
    assert len(rows.value) == 3
    assert "at most 3" in rows.error and rows.message == rows.error
    learner_message(rows.error)
    for _ in range(3):
        rows.remove_row(0)
    assert len(rows.value) == 1
    assert "at least 1" in rows.error
    learner_message(rows.error)
    rows.add_row()
    assert rows.error == "", "the message goes once the list changes"


def test_rows_editor_cells_edit_the_value_and_keep_it_through_a_slip() -> None:
    rows = editor(2)
    rows.cells[1][1].entry.value = "7,5"
    assert rows.value[1]["quantity"] == 7.5
    rows.cells[1][1].entry.value = "0"  # must be more than 0
    assert not rows.valid
    assert rows.value[1]["quantity"] == 7.5
    rows.cells[0][0].entry.value = "Amina"
    assert rows.value[0] == {"name": "Amina", "quantity": 1}
    rows.add_row()  # adding a row keeps what was typed in the others, a slip too
    assert rows.value[0] == {"name": "Amina", "quantity": 1}
    assert rows.entries[1] == ["M1", "0"] and rows.errors[1][1] and not rows.valid


def test_rows_editor_text_and_choice_cells() -> None:
    rows = RowsEditor(
        [
            Column("name", "Name", kind="text"),
            Column("role", "Role", kind="choice", options=(("Chair", "chair"), ("Member", "member"))),
        ],
        [{"name": "Ana", "role": "member"}],
        label="Board",
    )
    assert rows.column_specs[1] == {
        "label": "Role",
        "kind": "choice",
        "width": "14em",
        "options": [["Chair", "chair"], ["Member", "member"]],
    }
    rows.cells[0][0].entry.value = "x" * 80
    assert rows.value[0]["name"] == "x" * 60 and "at most 60 characters" in rows.errors[0][0]
    assert rows.valid, "a long name is cut, not refused"
    rows.cells[0][1].entry.value = "chair"
    assert rows.value[0]["role"] == "chair"
    rows.cells[0][1].entry.value = "president"  # no such option: what was chosen stays
    assert rows.value[0]["role"] == "chair" and rows.entries[0][1] == "chair"


def test_rows_editor_value_set_from_code_rebuilds_the_rows() -> None:
    rows = editor(2)
    saved = [{"name": "A", "quantity": 3.0}, {"name": "B", "quantity": 4.0}, {"name": "C", "quantity": 5.0}]
    rows.value = saved
    assert rows.value == saved
    assert [[cell.entry.value for cell in row] for row in rows.cells] == [["A", "3"], ["B", "4"], ["C", "5"]]
    assert rows.entries == [["A", "3"], ["B", "4"], ["C", "5"]] and len(rows.row_names) == 3


def test_rows_editor_is_one_widget_model() -> None:
    """The point of the editor: its rows are drawn by its own view, not made of widgets."""
    shared.layout()  # the layout every editor shares, made once per kernel
    models = widgets.widget._instances  # every live widget model of the kernel, by id
    before = set(models)
    rows = editor(20)
    made = [models[key] for key in set(models) - before]
    assert made == [rows]


# --- ResultsTable and Chart -------------------------------------------------------------------------


def test_results_table_escapes_cells_and_caption() -> None:
    table = ResultsTable(f"Costs {hostile.IMAGE}")
    frame = pd.DataFrame({"Member": [hostile.IMAGE, "Bao & Co"], "Cost": ["1.00", "2.00"]})
    table.show(frame)
    assert table.frame is frame
    assert "<img" not in table.value
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in table.value
    assert "Bao &amp; Co" in table.value
    assert "<caption>" in table.value


def test_chart_sets_alt_text_and_redraws() -> None:
    chart = Chart()
    assert chart.draw_count == 0
    chart.draw(lambda axes: axes.bar(["a", "b"], [1, 2]), 'Two bars, "a" < "b"')
    first = chart.value
    assert chart.draw_count == 1
    assert chart.alt_text == 'Two bars, "a" < "b"'
    assert 'alt="Two bars, &quot;a&quot; &lt; &quot;b&quot;"' in first
    assert "data:image/png;base64," in first
    chart.draw(lambda axes: axes.bar(["a", "b"], [3, 1]), "Two other bars")
    assert chart.draw_count == 2
    assert chart.value != first
    assert 'alt="Two other bars"' in chart.value


def test_a_redraw_lets_the_change_leave_before_it_draws(monkeypatch: pytest.MonkeyPatch) -> None:
    """In a kernel, flushing stdout waits until the messages already queued (the change's table and
    feedback) have left; a redraw flushes before it draws, the opening drawing has nothing to wait for."""
    events: list[str] = []

    class Stdout(io.StringIO):
        def flush(self) -> None:
            events.append("flush")

    monkeypatch.setattr(sys, "stdout", Stdout())
    chart = Chart()
    chart.draw(lambda axes: events.append("draw"), "The opening drawing")
    chart.draw(lambda axes: events.append("draw"), "After a change")
    assert events == ["draw", "flush", "draw"]
    assert chart.draw_count == 2 and 'alt="After a change"' in chart.value


def test_the_fork_servers_warm_drawing_makes_no_widget() -> None:
    """It runs in the process that forks the kernels, where a widget would be in every kernel."""
    from ipywidgets.widgets.widget import _instances

    before = set(_instances)
    chart_module.warm_drawing()
    assert set(_instances) == before
    assert chart_module.render_png((1.0, 1.0), 40, lambda axes: axes.plot([1, 2])).startswith(b"\x89PNG")


# --- QuestionCard and Quiz --------------------------------------------------------------------------

CHOICE = Question(
    "owners",
    "choice",
    "Who owns a cooperative?",
    ("Read the definition.", "Think of principle 2.", "Members."),
    "Its members, democratically.",
    choices=(
        Choice("a", "Its members", True, "Yes: its members."),
        Choice("b", "The government", False, "No: a cooperative is autonomous."),
    ),
)
NUMBER = Question(
    "count",
    "number",
    "How many principles?",
    ("Count them.",),
    "Seven principles.",
    answer=7,
    feedback_low="There are more.",
    feedback_high="There are fewer.",
)


def test_question_card_choice_feedback_and_hints(learner_message) -> None:
    card = QuestionCard(CHOICE, 1)
    card.check()  # no answer yet
    assert card.feedback.kind == "warning"
    assert card.feedback.message == text("question.error_choose_first")
    learner_message(card.feedback.message)
    assert card.attempts == 0
    card.put_answer("b")
    card.check()
    assert card.feedback.kind == "error"
    assert card.feedback.message == "No: a cooperative is autonomous."
    assert card.value == {"answer": "b", "correct": False, "attempts": 1}
    card.put_answer("a")
    card.check()
    assert card.feedback.kind == "success" and card.correct
    assert card.value["attempts"] == 2


def test_question_card_steps_hints_then_disables_the_button() -> None:
    card = QuestionCard(CHOICE)
    assert card.hints_html == ""
    for shown in (1, 2, 3):
        assert not card.state()["hint_disabled"]
        card.next_hint()
        assert card.hints_shown == shown
        assert card.hints_html.count("<li>") == shown
        assert card.hint_label == text("question.hint_button", shown=shown, total=3)
    assert card.state()["hint_disabled"]
    assert "Members." in card.hints_html


def test_question_card_reveals_the_explanation() -> None:
    card = QuestionCard(CHOICE)
    assert card.explanation_html == ""
    card.reveal_explanation()
    assert "Its members, democratically." in card.explanation_html
    assert card.state()["explain_disabled"]


def test_question_card_numeric(learner_message) -> None:
    card = QuestionCard(NUMBER)
    card.type_answer("5")
    card.check()
    assert (card.feedback.kind, card.feedback.message) == ("error", "There are more.")
    card.type_answer("9")
    card.check()
    assert (card.feedback.kind, card.feedback.message) == ("error", "There are fewer.")
    card.type_answer("seven")
    card.check()
    assert card.feedback.kind == "warning"
    learner_message(card.feedback.message)
    assert card.attempts == 2  # a typing slip is not an attempt
    card.type_answer("7")
    card.check()
    assert card.feedback.kind == "success"
    assert card.value == {"answer": 7.0, "correct": True, "attempts": 3}


def test_question_card_escapes_content() -> None:
    card = QuestionCard(
        Question(
            "x",
            "choice",
            hostile.IMAGE,
            (hostile.IMAGE,),
            hostile.IMAGE,
            choices=(Choice("a", hostile.IMAGE, True, hostile.IMAGE), Choice("b", "B", False, "no")),
        )
    )
    card.put_answer("a")
    card.check()
    card.next_hint()
    card.reveal_explanation()
    card.set_oral(True)
    # Markup the view puts in the page as it is (the choices' texts go in as plain text).
    for shown in (card.prompt_html, card.feedback.html, card.hints_html, card.explanation_html, card.spec()["voting"]):
        assert "<img" not in shown and "&lt;img" in shown


def test_quiz_keeps_score() -> None:
    quiz = Quiz([CHOICE, NUMBER])
    assert quiz.score.message == text("question.score", right=0, total=2, tried=0)
    assert quiz.score.kind == "info"
    first, second = quiz.cards
    first.put_answer("b")
    first.check()
    assert quiz.score.message == text("question.score", right=0, total=2, tried=1)
    first.put_answer("a")
    first.check()
    assert quiz.score.message == text("question.score", right=1, total=2, tried=1)
    second.type_answer("7")
    second.check()
    assert quiz.score.message == text("question.score", right=2, total=2, tried=2)
    assert quiz.score.kind == "success"
    assert quiz.correct_count == 2


# --- ExerciseFrame --------------------------------------------------------------------------------


def small_frame(update_rule):  # type: ignore[no-untyped-def]
    amount = NumberField("Amount", 1)
    other = NumberField("Other", 2)
    frame = ExerciseFrame("test.small", "Title", "Do this.", {"amount": amount, "other": other}, [])
    calls: list[float] = []

    def update() -> None:
        update_rule(amount.value)
        calls.append(amount.value)
        frame.feedback.show("success", f"Amount {amount.value}")

    frame.bind(update)
    return frame, calls


def test_frame_shows_a_course_input_error_next_to_its_field(learner_message) -> None:
    def rule(value: float) -> None:
        if value > 5:
            raise CourseInputError("Amount must be at most 5 for this exercise.", "amount")

    frame, calls = small_frame(rule)
    assert calls == [1] and frame.feedback.kind == "success"
    frame.fields["amount"].entry.value = "9"
    assert frame.fields["amount"].error == "Amount must be at most 5 for this exercise."
    assert frame.feedback.kind == "warning"
    assert frame.fields["other"].error == ""
    assert frame.fields["other"].value == 2
    assert calls == [1]  # the last results stay
    frame.fields["amount"].entry.value = "4"
    assert frame.fields["amount"].error == ""  # fixed: the message goes away
    assert frame.feedback.kind == "success"
    assert calls == [1, 4]


def test_frame_shows_a_calm_message_and_logs_an_unexpected_failure(allow_coopcourse_errors) -> None:
    def rule(value: float) -> None:
        if value == 3:
            raise ZeroDivisionError("boom")

    frame, calls = small_frame(rule)
    frame.fields["amount"].entry.value = "3"
    assert frame.feedback.kind == "internal"
    assert frame.feedback.message == text("feedback.internal_error")
    assert "coop-internal" in frame.feedback.value
    assert "ZeroDivisionError" not in frame.feedback.value and "boom" not in frame.feedback.value
    assert frame.fields["amount"].entry.value == "3"  # the input stays as typed
    [record] = allow_coopcourse_errors.records
    assert record.levelno == logging.ERROR
    assert "test.small" in record.getMessage()
    assert record.exc_info is not None and record.exc_info[0] is ZeroDivisionError
    frame.fields["amount"].entry.value = "2"  # and it recovers
    assert frame.feedback.kind == "success"
    assert calls == [1, 2]


def test_frame_with_an_invalid_field_asks_for_a_correction() -> None:
    frame, calls = small_frame(lambda value: None)
    frame.fields["other"].entry.value = "oops"
    frame.fields["amount"].entry.value = "4"  # a valid change elsewhere does not hide the slip
    assert frame.feedback.kind == "warning"
    assert frame.feedback.message == text("feedback.fix_fields")
    assert calls == [1]
    assert frame.fields["other"].error != ""


def test_frame_feedback_reacts_to_a_slip_at_once() -> None:
    frame, _calls = small_frame(lambda value: None)
    frame.fields["amount"].entry.value = "oops"
    assert frame.feedback.kind == "warning"


def test_frame_apply_and_state() -> None:
    frame, calls = small_frame(lambda value: None)
    frame.apply({"amount": 4, "other": 5, "unknown": 1})
    assert frame.state() == {"amount": 4, "other": 5}
    assert calls == [1, 4]  # one update for the whole set of values
    assert frame.edited


# --- ConfirmButton --------------------------------------------------------------------------------


def test_confirm_button_acts_only_after_confirming() -> None:
    done: list[int] = []
    button = ConfirmButton("Load", lambda: done.append(1), "This replaces your values.")
    assert button.confirm.layout.display == "none"
    button.button.click()
    assert done == []
    assert button.note.kind == "warning" and button.note.message == "This replaces your values."
    assert button.confirm.layout.display is None and button.cancel.layout.display is None
    button.cancel.click()
    assert done == []
    assert button.confirm.layout.display == "none" and button.note.message == ""
    button.button.click()
    button.confirm.click()
    assert done == [1]
    assert button.confirm.layout.display == "none"


# --- the test set-up itself -------------------------------------------------------------------------


def test_a_failing_click_handler_fails_the_test_instead_of_being_swallowed() -> None:
    import ipywidgets as widgets

    button = widgets.Button()
    button.on_click(lambda _b: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        button.click()
