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
from voila_app import ARTIFACTS, course_notebooks

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


def _target(node: dict) -> str:
    return " >> ".join(" ".join(part) if isinstance(part, list) else str(part) for part in node.get("target", []))


def serious_violations(response: dict) -> list[str]:
    """Readable lines, one per failing rule, with the upstream exclusions taken out."""
    lines = []
    for violation in response.get("violations", []):
        rule = violation["id"]
        nodes = [node for node in violation.get("nodes", [])
                 if (node.get("impact") or violation.get("impact")) in FAILING_IMPACTS
                 and not any(known.covers(rule, _target(node)) for known in KNOWN_UPSTREAM)]
        if not nodes:
            continue
        shown = "\n".join(f"      {_target(node)}\n        {node.get('html', '')[:300]}"
                          for node in nodes[:SHOWN_TARGETS])
        more = f"\n      ... and {len(nodes) - SHOWN_TARGETS} more" if len(nodes) > SHOWN_TARGETS else ""
        lines.append(f"  {rule} ({violation.get('impact')}): {violation.get('help')} "
                     f"[{len(nodes)} element(s)]\n{shown}{more}")
    return lines


def audit(page: object, name: str) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"axe--{name}.json").write_text(json.dumps(results.response.get("violations", []), indent=1),
                                                 encoding="utf-8")
    return serious_violations(results.response)


@pytest.mark.parametrize("notebook", course_notebooks(), ids=lambda p: p.as_posix())
def test_app_has_no_serious_accessibility_violation(open_app, notebook: Path) -> None:
    app = open_app(notebook)
    problems = audit(app.page, str(notebook.with_suffix("")).replace("/", "__"))
    assert not problems, (f"{notebook}: axe-core found {len(problems)} serious or critical rule(s) violated "
                          f"(full report in test-artifacts/):\n" + "\n".join(problems))
    app.assert_no_errors()
