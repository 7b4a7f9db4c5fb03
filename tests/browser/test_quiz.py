"""The self-check quiz (one widget model drawn by components/quiz.js), the way a group uses it:
answers checked, typed without leaving the box, kept over a reload; oral mode from the keyboard."""

from __future__ import annotations

import time

from playwright.sync_api import expect

from coopcourse import content
from coopcourse.text import text
from tests.browser.voila_app import App, button_name, course_notebook, wait_rendered

BANK, SET_ID = "think_coop", "principles"  # a number question first, then choices


def _quiz(app: App):  # type: ignore[no-untyped-def]
    return app.exercise(content.question_set(BANK, SET_ID).title)


def test_checked_answers_come_back_after_a_reload(open_app) -> None:
    questions = content.question_set(BANK, SET_ID).questions
    number, choice = questions[0], questions[1]
    assert number.kind == "number" and choice.kind == "choice"
    notebook = course_notebook(f'self_check("{BANK}", "{SET_ID}")')
    app = open_app(notebook)
    group = f"Quiz reload {time.time_ns()}"
    app.open_work(group)
    quiz = _quiz(app)
    cards = quiz.root.locator(".coop-question-card")
    first, second = cards.nth(0), cards.nth(1)

    box = first.get_by_role("textbox", name=text("question.your_answer"))
    box.fill("seven")
    box.press("Tab")
    expect(first.locator(".coop-field-error")).to_be_visible()
    expect(box).to_have_attribute("aria-invalid", "true")
    box.fill(str(int(number.answer)))  # the cursor stays in the box: Check sends it first
    first.get_by_role("button", name=button_name(text("question.check"))).click()
    expect(first.locator(".coop-feedback.coop-success")).to_be_visible()
    expect(first.locator(".coop-field-error")).to_be_hidden()

    right = next(c for c in choice.choices if c.correct)
    second.get_by_role("radio", name=right.text).check()
    second.get_by_role("button", name=button_name(text("question.check"))).click()
    expect(second.locator(".coop-feedback.coop-success")).to_be_visible()
    score = text("question.score", right=2, total=len(questions), tried=2)
    expect(quiz.root.locator(".coop-quiz-score")).to_contain_text(score)
    app.settle()

    app.page.reload()
    wait_rendered(app.page, notebook)
    again = App(app.page, app.monitor, notebook)
    again.settle()
    again.open_work(group)
    quiz = _quiz(again)
    cards = quiz.root.locator(".coop-question-card")
    expect(cards.nth(0).get_by_role("textbox", name=text("question.your_answer"))).to_have_value(
        str(int(number.answer))
    )
    expect(cards.nth(1).get_by_role("radio", name=right.text)).to_be_checked()
    expect(cards.nth(1).locator(".coop-feedback.coop-success")).to_be_visible()
    expect(quiz.root.locator(".coop-quiz-score")).to_contain_text(score)
    again.assert_no_errors()


def test_oral_mode_from_the_keyboard_puts_the_focus_on_the_answers_after_the_vote(open_app) -> None:
    app = open_app(course_notebook(f'self_check("{BANK}", "{SET_ID}")'))
    quiz = _quiz(app)
    oral = quiz.root.get_by_role("checkbox", name=text("question.oral_mode"))
    oral.focus()
    app.page.keyboard.press("Space")
    app.settle()
    second = quiz.root.locator(".coop-question-card").nth(1)
    expect(second.get_by_role("radio")).to_have_count(0)  # hidden until the group has voted
    expect(second.locator(".coop-vote li")).to_have_count(len(content.question_set(BANK, SET_ID).questions[1].choices))
    voted = second.get_by_role("button", name=button_name(text("question.oral_voted")))
    voted.focus()
    app.page.keyboard.press("Enter")
    first_answer = second.get_by_role("radio").first
    expect(first_answer).to_be_focused()
    app.page.keyboard.press("ArrowDown")  # the radios are one group: arrows move the choice
    expect(second.get_by_role("radio").nth(1)).to_be_checked()
    app.settle()
    expect(quiz.root.locator(".coop-question-card").nth(2).locator(".coop-vote")).to_be_visible()
    app.assert_no_errors()
