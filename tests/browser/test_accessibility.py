"""Accessibility: axe-core audits every app of the course in the browser, once it has rendered.

The audit is axe-core itself (bundled by axe-playwright-python) run inside the page, after every
exercise is on the page and the kernel has gone quiet. Any violation of impact ``critical`` or
``serious`` fails the test, with the rule, its impact, the first elements concerned and their HTML.

Only violations that come from Voila's or JupyterLab's own markup, which the course cannot change,
are excluded, each by rule *and* selector, with the reason next to it (``KNOWN_UPSTREAM``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect

from coopcourse.text import text
from tests.browser.voila_app import ARTIFACTS, button_name, course_notebooks, notebook_showing, translated_notebooks

FAILING_IMPACTS = ("critical", "serious")
SHOWN_TARGETS = 4


@dataclass(frozen=True)
class Upstream:
    """A violation of rule ``rule`` on elements whose axe selector matches ``selector``: markup
    made by Voila or JupyterLab, not by the course."""

    rule: str
    selector: str  # a regular expression searched in the element's axe target selector
    why: str

    def covers(self, rule: str, target: str) -> bool:
        return rule == self.rule and re.search(self.selector, target) is not None


KNOWN_UPSTREAM: tuple[Upstream, ...] = ()

# Icon fonts draw their glyphs in Unicode's private use area: such a character in an accessible
# name means a screen reader reads out an icon ("\uf00c Check").
PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def _target(node: dict) -> str:
    return " >> ".join(" ".join(part) if isinstance(part, list) else str(part) for part in node.get("target", []))


def serious_violations(response: dict) -> list[str]:
    """Readable lines, one per failing rule, with the upstream exclusions taken out."""
    lines = []
    for violation in response.get("violations", []):
        rule = violation["id"]
        nodes = [
            node
            for node in violation.get("nodes", [])
            if (node.get("impact") or violation.get("impact")) in FAILING_IMPACTS
            and not any(known.covers(rule, _target(node)) for known in KNOWN_UPSTREAM)
        ]
        if not nodes:
            continue
        shown = "\n".join(
            f"      {_target(node)}\n        {node.get('html', '')[:300]}" for node in nodes[:SHOWN_TARGETS]
        )
        more = f"\n      ... and {len(nodes) - SHOWN_TARGETS} more" if len(nodes) > SHOWN_TARGETS else ""
        lines.append(
            f"  {rule} ({violation.get('impact')}): {violation.get('help')} [{len(nodes)} element(s)]\n{shown}{more}"
        )
    return lines


def audit(page: object, name: str) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"axe--{name}.json").write_text(
        json.dumps(results.response.get("violations", []), indent=1), encoding="utf-8"
    )
    return serious_violations(results.response)


# Every English page, and the sample of each translation (its own words: labels, names, lang).
@pytest.mark.parametrize("notebook", course_notebooks() + translated_notebooks(), ids=lambda p: p.as_posix())
def test_app_has_no_serious_accessibility_violation(open_app, notebook: Path) -> None:
    app = open_app(notebook)
    problems = audit(app.page, str(notebook.with_suffix("")).replace("/", "__"))
    assert not problems, (
        f"{notebook}: axe-core found {len(problems)} serious or critical rule(s) violated "
        f"(full report in test-artifacts/):\n" + "\n".join(problems)
    )
    assert_clean_names(app.page, notebook)
    assert_labels_name_their_own_boxes(app.page, notebook)
    app.assert_no_errors()


# Every id the page uses twice, and every label whose ``for`` names no element or an element of
# another field: a screen reader would read a box under the wrong label (the rows editor's ids
# once repeated between two editors of a page).
_LABEL_PROBLEMS = """() => {
  const problems = [];
  const seen = new Map();
  for (const node of document.querySelectorAll("[id]")) seen.set(node.id, (seen.get(node.id) || 0) + 1);
  for (const [id, count] of seen) if (count > 1) problems.push(`id ${id} used ${count} times`);
  for (const label of document.querySelectorAll("label[for]")) {
    const box = document.getElementById(label.htmlFor);
    const field = label.closest(".coop-field");
    if (!box) problems.push(`label "${label.textContent}" names no element (${label.htmlFor})`);
    else if (field && !field.contains(box)) problems.push(`label "${label.textContent}" names a box of another field`);
  }
  return problems;
}"""


def assert_labels_name_their_own_boxes(page: object, notebook: object) -> None:
    problems = page.evaluate(_LABEL_PROBLEMS)  # type: ignore[attr-defined]
    assert not problems, f"{notebook}: ids and labels:\n" + "\n".join(problems[:10])


def assert_clean_names(page: object, notebook: object) -> None:
    """No accessible name on the page carries an icon glyph."""
    tree = page.locator("body").aria_snapshot()  # type: ignore[attr-defined]
    leaks = [line.strip() for line in tree.splitlines() if PRIVATE_USE.search(line)]
    assert not leaks, f"{notebook}: icon glyphs in accessible names:\n" + "\n".join(leaks[:10])


def _course_notebook(call: str) -> Path:
    notebook = notebook_showing(call)
    if notebook is None:
        pytest.skip(f"no notebook under course/ shows {call}...)")
    return notebook


def _assert_audit_clean(app: object, name: str) -> None:
    problems = audit(app.page, name)  # type: ignore[attr-defined]
    assert not problems, (
        f"{name}: axe-core found {len(problems)} serious or critical rule(s) violated "
        f"(full report in test-artifacts/):\n" + "\n".join(problems)
    )
    assert_clean_names(app.page, name)  # type: ignore[attr-defined]
    assert_labels_name_their_own_boxes(app.page, name)  # type: ignore[attr-defined]


def test_messages_and_confirmations_are_accessible_too(open_app) -> None:
    """What only shows after an action (a field's error, a warning, a confirmation with its
    warning-coloured button) is audited as well: the first audit only sees the page as it opens."""
    app = open_app(_course_notebook("think_coop.joint_purchasing("))
    exercise = app.exercise(text("joint_purchasing.title"))
    exercise.type_into(text("joint_purchasing.coordination_cost"), "abc")
    expect(exercise.field_error(text("joint_purchasing.coordination_cost"))).to_be_visible()
    assert exercise.feedback_kind() == "warning"
    exercise.click(text("scenario.load"))
    expect(exercise.button(text("confirm.accept"))).to_be_visible()
    exercise.click(text("rows.add"))
    # Rows repeat their labels: each field is described by its row, the new one included.
    members = text("joint_purchasing.members")
    for number in (2, 7):
        expect(exercise.field(text("joint_purchasing.quantity"), number - 1)).to_have_accessible_description(
            text("rows.row_of", number=number, label=members)
        )
    _assert_audit_clean(app, "state--joint_purchasing")
    app.assert_no_errors()


def test_question_feedback_hints_and_explanation_are_accessible(open_app) -> None:
    app = open_app(_course_notebook('self_check("think_coop", '))
    exercise = app.exercise_with(".coop-question-card")
    for card in exercise.root.locator(".coop-question-card").all():
        card.get_by_role("button", name=button_name(text("question.check"))).click()  # no answer: a warning
        app.settle()
        radios = card.get_by_role("radio")
        if radios.count():
            radios.last.check()
            app.settle()
        card.get_by_role("button", name=button_name(text("question.check"))).click()
        app.settle()
        hint = card.get_by_role(
            "button", name=re.compile(r"^\W*" + re.escape(text("question.hint_button", shown=0, total=9)[:4]))
        )
        if hint.is_enabled():
            hint.click()
            app.settle()
        card.get_by_role("button", name=button_name(text("question.show_explanation"))).click()
        app.settle()
    expect(exercise.root.locator(".coop-explanation").first).to_be_visible()
    _assert_audit_clean(app, "state--self_check")
    app.assert_no_errors()


def test_pressed_toggles_say_so(open_app) -> None:
    """A ToggleButtons row is a named group and its toggles report whether they are pressed
    (ipywidgets shows the choice with a class only; the course's template adds the states)."""
    app = open_app(_course_notebook("think_coop.readiness_checklist("))
    exercise = app.exercise(text("readiness.title"))
    statement = exercise.root.locator(".coop-statement").first
    label = statement.locator(".widget-label").inner_text().strip()
    group = exercise.root.get_by_role("group", name=label, exact=True)
    expect(group).to_have_count(1)
    yes = group.get_by_role("button", name=text("readiness.answer_yes"), exact=True)
    expect(yes).to_have_attribute("aria-pressed", "false")
    yes.click()
    app.settle()
    expect(yes).to_have_attribute("aria-pressed", "true")
    expect(group.get_by_role("button", name=text("readiness.answer_no"), exact=True)).to_have_attribute(
        "aria-pressed", "false"
    )
    _assert_audit_clean(app, "state--readiness")
    app.assert_no_errors()
