"""One real interaction per Think.Coop exercise, in the browser, the way a learner does it.

To cover another exercise: find its notebook with ``course_notebook("part.exercise(")``, open it
with ``open_app``, take the exercise by its title, act (``type_into``, ``click``) and assert on
its table, feedback or field messages. Errors on the page or the kernel websocket fail the test.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from coopcourse.text import text
from tests.browser.voila_app import button_name, course_notebook


def test_joint_purchasing_recalculates_and_explains_bad_input(open_app) -> None:
    app = open_app(course_notebook("think_coop.joint_purchasing("))
    exercise = app.exercise(text("joint_purchasing.title"))
    table = exercise.table()
    quantity = text("joint_purchasing.quantity")

    with app.changes(table):
        exercise.type_into(quantity, "1234")
    expect(table).to_contain_text("1,234")
    expect(exercise.field_error(quantity)).to_have_count(0)

    shown = table.inner_text()
    exercise.type_into(quantity, "abc")
    expect(exercise.field_error(quantity)).to_be_visible()
    expect(exercise.field_error(quantity)).not_to_be_empty()
    expect(table).to_be_visible()
    assert table.inner_text() == shown, "a typing slip must leave the last results on screen"
    assert exercise.feedback_kind() == "warning"

    exercise.type_into(quantity, "20")
    expect(exercise.field_error(quantity)).to_have_count(0)
    app.screenshot("after-input")
    app.assert_no_errors()


def test_shared_equipment_recalculates_on_a_new_price(open_app) -> None:
    app = open_app(course_notebook("think_coop.shared_equipment("))
    exercise = app.exercise(text("equipment.title"))
    with app.changes(exercise.table()), app.changes(exercise.feedback()):
        exercise.type_into(text("equipment.price"), "98765")
    assert exercise.feedback_kind() in ("success", "warning")
    app.assert_no_errors()


def test_structure_comparison_ranks_after_an_answer(open_app) -> None:
    app = open_app(course_notebook("think_coop.structure_comparison("))
    exercise = app.exercise(text("structures.title"))
    first_question = exercise.root.locator(".coop-situation").first
    with app.changes(exercise.feedback()):
        first_question.get_by_role("radio").first.check()
        app.settle()
    expect(exercise.table()).to_be_visible()
    app.assert_no_errors()


def test_readiness_checklist_counts_an_answer(open_app) -> None:
    app = open_app(course_notebook("think_coop.readiness_checklist("))
    exercise = app.exercise(text("readiness.title"))
    statement = exercise.root.locator(".coop-statement").first
    with app.changes(exercise.feedback()):
        statement.get_by_role("button", name=button_name(text("readiness.answer_yes"))).click()
        app.settle()
    expect(exercise.table()).to_be_visible()
    app.assert_no_errors()


def test_self_check_gives_feedback_and_hints(open_app) -> None:
    app = open_app(course_notebook('self_check("think_coop", '))
    exercise = app.exercise_with(".coop-question-card")
    card = exercise.root.locator(".coop-question-card").first
    radios = card.get_by_role("radio")
    if radios.count():
        radios.first.check()
    else:
        box = card.get_by_label(re.compile("^" + re.escape(text("question.your_answer"))))
        box.fill("1")
        box.press("Enter")
    app.settle()
    card.get_by_role("button", name=button_name(text("question.check"))).click()
    app.settle()
    feedback = card.locator(".coop-feedback")
    expect(feedback).to_be_visible()
    expect(feedback).to_have_class(re.compile(r"coop-(success|error)"))

    hints = card.locator(".coop-hints li")
    expect(hints).to_have_count(0)
    hint = card.get_by_role(
        "button", name=re.compile(r"^\W*" + re.escape(text("question.hint_button", shown=0, total=9)[:4]))
    )
    if hint.is_enabled():
        hint.click()
        app.settle()
        expect(hints).to_have_count(1)
        expect(hint).to_contain_text("1")
    app.assert_no_errors()
