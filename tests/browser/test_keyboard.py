"""Keyboard only: each part of the course has an exercise a learner can complete without a mouse.

After the page has loaded, these tests only press keys (Tab, Shift+Tab, typing, Enter, Space,
arrows) the way someone who cannot use a mouse does. They find their way by tabbing and reading
``document.activeElement`` (its label, as a screen reader would announce it), with a limit on
the number of presses, change values, press buttons with Enter or Space, and check that the
results and the feedback follow. Wherever focus lands it must be visible (an outline or a
box-shadow ring on the focused element).

- Think.Coop: the joint-purchasing simulator (a number, then ticking a member who buys alone:
  focus stays on the ticked checkbox while the exercise recalculates);
- Start.Coop: the feasibility calculator (a number, and a dropdown changed with the arrow keys);
- Manage.Coop: the surplus distribution (a number, adding a member row and filling it in,
  preparing the statements with Space).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from coopcourse.text import speaking, text
from tests.browser.voila_app import App, course_notebook, translated_languages

PUBLISHED = translated_languages()

MAX_TABS = 250

# What a screen reader would announce for the focused element, and how its focus shows.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  let name = el.getAttribute('aria-label') || '';
  if (!name && el.labels && el.labels.length) name = el.labels[0].innerText;
  if (!name && el.getAttribute('aria-labelledby'))
    name = el.getAttribute('aria-labelledby').split(' ').map(id => (document.getElementById(id) || {}).innerText || '').join(' ');
  if (!name && ['BUTTON', 'A'].includes(el.tagName)) name = el.innerText;
  const style = getComputedStyle(el);
  const exercise = el.closest('.coop-exercise');
  const title = exercise && exercise.querySelector('.coop-title');
  return {
    name: (name || '').replace(/\\s+/g, ' ').trim(),
    tag: el.tagName.toLowerCase(),
    type: el.type || '',
    checked: !!el.checked,
    value: el.value === undefined ? null : String(el.value),
    exercise: title ? title.innerText.trim() : '',
    outline: [style.outlineStyle, parseFloat(style.outlineWidth) || 0],
    shadow: style.boxShadow,
  };
}"""


@dataclass
class Focus:
    name: str
    tag: str
    type: str
    checked: bool
    value: str | None
    exercise: str
    outline: list
    shadow: str

    @property
    def visible(self) -> bool:
        """An outline at least 2px wide, or a box-shadow ring (not on buttons: ipywidgets gives
        every button a shadow, focused or not, so a shadow there proves nothing)."""
        style, width = self.outline
        if style not in ("none", "hidden") and width >= 2:
            return True
        return self.tag != "button" and self.shadow not in ("", "none")


def focused(page: Page) -> Focus | None:
    info = page.evaluate(FOCUSED)
    return Focus(**info) if info else None


def tab_to(
    page: Page, name: str | re.Pattern[str], *, exercise: str = "", backwards: bool = False, max_presses: int = MAX_TABS
) -> Focus:
    """Press Tab (or Shift+Tab) until the focused element is called ``name`` (inside the
    exercise titled ``exercise``, if given); its focus must be visible."""
    key = "Shift+Tab" if backwards else "Tab"
    seen: list[str] = []
    for _ in range(max_presses):
        page.keyboard.press(key)
        focus = focused(page)
        if focus is None:
            seen.append("(body)")
            continue
        seen.append(focus.name or f"<{focus.tag}>")
        matches = focus.name == name if isinstance(name, str) else name.search(focus.name)
        if matches and (not exercise or focus.exercise == exercise):
            assert focus.visible, (
                f"focus on {focus.name!r} is not visible: outline {focus.outline}, shadow {focus.shadow}"
            )
            return focus
    raise AssertionError(
        f"{max_presses} presses of {key} never reached {name!r}; focus went through:\n" + " | ".join(seen[-60:])
    )


def press(app: App, key: str) -> None:
    app.page.keyboard.press(key)
    app.settle()


def retype(app: App, value: str) -> None:
    """Replace what the focused box holds and send it, as fields do on Enter."""
    app.page.keyboard.press("Control+A")
    app.page.keyboard.type(value)
    press(app, "Enter")


@pytest.mark.parametrize("language", ["en", *PUBLISHED])
def test_joint_purchasing_with_the_keyboard_alone(open_app, language: str) -> None:
    """In English and in each translation (its own field names, messages and labels)."""
    notebook = course_notebook("think_coop.joint_purchasing(")
    app = open_app(notebook if language == "en" else Path(language) / notebook)
    with speaking(language):
        title = text("joint_purchasing.title")
        exercise = app.exercise(title)
        page = app.page

        cost = tab_to(page, text("joint_purchasing.coordination_cost"), exercise=title)
        assert cost.tag == "input"
        with app.changes(exercise.feedback()), app.changes(exercise.table()):
            retype(app, "6000")
        assert focused(page).name == text("joint_purchasing.coordination_cost"), "focus stays in the field"
        assert exercise.feedback_kind() in ("success", "info", "warning")

        # A typing slip is explained next to the field, reachable without a mouse.
        retype(app, "abc")
        expect(exercise.field_error(text("joint_purchasing.coordination_cost"))).to_be_visible()
        assert exercise.feedback_kind() == "warning"
        retype(app, "600")
        expect(exercise.field_error(text("joint_purchasing.coordination_cost"))).to_have_count(0)

        # Tick the first member who buys alone with Space: the exercise recalculates, and focus stays
        # on that checkbox (its options are not rebuilt), so the next Tab reaches the next member.
        box = tab_to(page, re.compile(r"\S"), exercise=title)
        assert box.type == "checkbox" and not box.checked, f"expected the first member's checkbox, got {box}"
        with app.changes(exercise.feedback()):
            press(app, "Space")
        now = focused(page)
        assert now is not None and now.type == "checkbox" and now.name == box.name and now.checked, (
            f"focus left the ticked checkbox {box.name!r}: now {now}"
        )
        assert exercise.feedback_kind() == "warning"
        expect(exercise.table()).to_contain_text(text("joint_purchasing.col_after_leaving"))
        press(app, "Tab")
        following = focused(page)
        assert following is not None and following.type == "checkbox" and following.name != box.name, (
            f"Tab after ticking should reach the next member, got {following}"
        )
        app.screenshot("keyboard")
        app.assert_no_errors()


def test_feasibility_calculator_with_the_keyboard_alone(open_app) -> None:
    app = open_app(course_notebook("start_coop.feasibility_calculator("))
    title = text("feasibility.title")
    exercise = app.exercise(title)
    page = app.page
    figures = exercise.table()

    tab_to(page, text("feasibility.price"), exercise=title)
    with app.changes(figures):
        retype(app, "19.5")

    tab_to(page, text("feasibility.fixed_costs"), exercise=title)
    with app.changes(figures):
        retype(app, "4321")

    # The share rule is a dropdown: the arrow keys change it without opening a list.
    rule = tab_to(page, text("feasibility.share_rule"), exercise=title)
    assert rule.tag == "select"
    with app.changes(exercise.root.locator(".coop-results")):
        press(app, "ArrowDown")
    assert focused(page).value != rule.value, "the arrow key changed the rule"
    expect(exercise.root.get_by_label(text("feasibility.share_rule"), exact=True)).to_be_focused()
    app.screenshot("keyboard")
    app.assert_no_errors()


def test_surplus_distribution_with_the_keyboard_alone(open_app) -> None:
    app = open_app(course_notebook("surplus_distribution("))
    title = text("surplus.title")
    exercise = app.exercise(title)
    page = app.page
    allocation = exercise.table()
    per_member = exercise.table(2)

    tab_to(page, text("surplus.net_surplus"), exercise=title)
    with app.changes(allocation):
        retype(app, "123456")
    expect(allocation).to_contain_text("123,456")
    assert exercise.feedback_kind() == "success"

    # Add a member with Enter on "Add a row": the new row's first box takes the focus; fill the
    # row in with Tab, which then reaches the row's remove button.
    rows = exercise.root.locator(".coop-row")
    before = rows.count()
    tab_to(page, text("rows.add"), exercise=title)
    press(app, "Enter")
    expect(rows).to_have_count(before + 1)
    expect(exercise.field(text("surplus.member_name"), nth=before)).to_be_focused()
    with app.changes(per_member):
        retype(app, "Zawadi")
    expect(per_member).to_contain_text("Zawadi")
    tab_to(page, text("surplus.share_capital"), exercise=title, max_presses=2)
    retype(app, "2500")
    tab_to(page, text("surplus.transactions"), exercise=title, max_presses=2)
    retype(app, "4000")
    remove = tab_to(page, text("rows.remove", number=before + 1), exercise=title, max_presses=2)
    assert remove.tag == "button"
    assert exercise.feedback_kind() == "success"
    # Enter on the last remove button: the row goes, and the focus stays where it was, on the
    # remove button of the row before it.
    with app.changes(per_member):
        press(app, "Enter")
    expect(rows).to_have_count(before)
    expect(per_member).not_to_contain_text("Zawadi")
    expect(exercise.button(text("rows.remove", number=before))).to_be_focused()

    # Prepare the members' statements with Space: the download links appear.
    tab_to(page, text("surplus.export"), exercise=title)
    press(app, "Space")
    links = exercise.root.locator("a.coop-download")
    expect(links).to_have_count(2)
    press(app, "Tab")
    link = focused(page)
    assert link is not None and link.tag == "a" and link.visible, f"the first download link takes focus next: {link}"
    app.screenshot("keyboard")
    app.assert_no_errors()


def test_hints_explanation_and_example_loader_with_the_keyboard_alone(open_app) -> None:
    """What is built only when first asked for (a card's hints and explanation, the confirm and
    cancel buttons of an example loader) works with keys, and focus stays where the learner is."""
    from coopcourse.exercises.self_check import self_check

    bank, set_id = "think_coop", "definition"
    frame = self_check(bank, set_id)
    card = next(c for c in frame.children[-1].children[0].cards if len(c.question.hints) >= 2)
    hint_name = text("question.hint_button", shown=0, total=len(card.question.hints))
    app = open_app(course_notebook(f'self_check("{bank}", "{set_id}")'))
    page = app.page
    root = app.exercise(frame.title).root
    shown = root.locator(".coop-question-card").filter(has_text=card.question.prompt)

    tab_to(page, hint_name, exercise=frame.title)
    press(app, "Enter")
    expect(shown.locator(".coop-hints li")).to_have_count(1)
    expect(shown.locator(".coop-hints")).to_contain_text(card.question.hints[0])
    now = focused(page)
    after = text("question.hint_button", shown=1, total=len(card.question.hints))
    assert now is not None and now.name == after and now.visible, f"focus left the hint button: {now}"
    press(app, "Enter")
    expect(shown.locator(".coop-hints li")).to_have_count(2)

    tab_to(page, text("question.show_explanation"), exercise=frame.title, max_presses=3)
    press(app, "Space")
    expect(shown.locator(".coop-explanation")).to_contain_text(card.question.explanation)
    app.assert_no_errors()


def test_example_loader_asks_first_with_the_keyboard_alone(open_app) -> None:
    app = open_app(course_notebook("think_coop.joint_purchasing("))
    title = text("joint_purchasing.title")
    exercise = app.exercise(title)
    page = app.page
    tab_to(page, text("scenario.load"), exercise=title)
    press(app, "Enter")
    expect(exercise.button(text("confirm.accept"))).to_be_visible()
    now = focused(page)
    assert now is not None and now.name == text("scenario.load"), f"focus left the load button: {now}"
    tab_to(page, text("confirm.accept"), exercise=title, max_presses=1)
    press(app, "Enter")
    expect(exercise.button(text("confirm.accept"))).to_be_hidden()
    expect(exercise.root.locator(".coop-scenarios .coop-feedback")).to_have_count(0)
    app.assert_no_errors()
