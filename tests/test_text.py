"""The strings catalog and the code agree: every key used exists, every key exists for a reason,
and every placeholder a call site fills is one the template has (and the other way round)."""

from __future__ import annotations

import ast
import re
import string
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import coopcourse
from coopcourse.calculations import feasibility as fz
from coopcourse.calculations.readiness import Answer, Verdict
from coopcourse.components.feedback import Kind
from coopcourse.text import catalog, text

PACKAGE = Path(coopcourse.__file__).parent
SOURCES = sorted(PACKAGE.rglob("*.py"))
CATALOG = catalog()
KEY_SHAPE = re.compile(r"^[a-z_][a-z0-9_]*(\.[a-z0-9_]+)+$")

# Keys built with an f-string, and what they expand to (taken from the code's own enums where
# there is one, so a new enum member without a string fails here).
EXPANSIONS: dict[str, list[str]] = {
    "equipment.unit_{u}": [f"equipment.unit_{u}" for u in ("hours", "hectares")],
    "equipment.unit_{unit.value}": [f"equipment.unit_{u}" for u in ("hours", "hectares")],
    "readiness.answer_{a.value}": [f"readiness.answer_{a.value}" for a in Answer],
    "readiness.verdict_{summary.verdict.value}": [f"readiness.verdict_{v.value}" for v in Verdict],
    "feedback.prefix_{kind}": [f"feedback.prefix_{k}" for k in typing.get_args(Kind)],
    "feasibility.decision_{verdict.decision.value}": [f"feasibility.decision_{d.value}" for d in fz.Decision],
    "feasibility.rule_{r.value}": [f"feasibility.rule_{r.value}" for r in fz.ShareRule],
    "feasibility.factor_{r.factor}": [f"feasibility.factor_{f}" for f in ("price", "variable_cost", "expected_volume")],
    "plan.{key}": [f"plan.{k}" for k in ("products_market", "operations", "management", "risks")],
    "plan.{key}_hint": [f"plan.{k}_hint" for k in ("products_market", "operations", "management", "risks")],
}


@dataclass(frozen=True)
class Call:
    where: str
    key: str  # a literal key, or an f-string template such as "plan.{key}"
    is_template: bool
    params: frozenset[str] | None  # None when the call passes **kwargs (cannot be checked)


def _template(node: ast.JoinedStr) -> str:
    parts = []
    for value in node.values:
        if isinstance(value, ast.Constant):
            parts.append(str(value.value))
        else:
            assert isinstance(value, ast.FormattedValue)
            parts.append("{" + ast.unparse(value.value) + "}")
    return "".join(parts)


def _keys(node: ast.expr) -> Iterator[tuple[str, bool]]:
    """The key(s) a ``text()`` first argument names: a literal, an f-string, or ``"a" if x else "b"``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value, False
    elif isinstance(node, ast.JoinedStr):
        yield _template(node), True
    elif isinstance(node, ast.IfExp):
        yield from _keys(node.body)
        yield from _keys(node.orelse)


def _is_text_call(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("text", "plural")
        and bool(node.args)
    )


def text_calls() -> Iterator[Call]:
    for source in SOURCES:
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not _is_text_call(node):
                continue
            assert isinstance(node, ast.Call)
            where = f"{source.relative_to(PACKAGE)}:{node.lineno}"
            params = None if any(k.arg is None for k in node.keywords) else frozenset(k.arg for k in node.keywords)
            for key, is_template in _keys(node.args[0]):
                if node.func.id == "plural":  # type: ignore[attr-defined]  # both English forms, {count} given
                    for form in ("one", "other"):
                        yield Call(where, f"{key}.{form}", is_template, None if params is None else params | {"count"})
                else:
                    yield Call(where, key, is_template, params)


CALLS = list(text_calls())
LITERAL_CALLS = [c for c in CALLS if not c.is_template]
TEMPLATE_CALLS = [c for c in CALLS if c.is_template]


def _pattern(template: str) -> re.Pattern[str]:
    pieces = re.split(r"\{[^}]*\}", template)
    return re.compile("^" + "[a-z0-9_]+".join(re.escape(p) for p in pieces) + "$")


def string_constants() -> set[str]:
    found: set[str] = set()
    for source in SOURCES:
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and KEY_SHAPE.match(node.value):
                found.add(node.value)
    return found


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_the_scan_finds_the_calls() -> None:
    # Every line where a regex sees text("..."), text(f"...") or text('...') is inside a call the
    # syntax-tree scan understood (or inside a docstring), so no key escapes the checks below.
    missed = []
    for source in SOURCES:
        code = source.read_text(encoding="utf-8")
        tree = ast.parse(code)
        covered: set[int] = set()
        for node in ast.walk(tree):
            if _is_text_call(node) and list(_keys(node.args[0])):  # type: ignore[attr-defined]
                covered.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                covered.update(range(node.lineno + 1, (node.end_lineno or node.lineno) + 1))
        for match in re.finditer(r"\btext\(\s*f?[\"']", code):
            line = code.count("\n", 0, match.start()) + 1
            if line not in covered:
                missed.append(f"{source.relative_to(PACKAGE)}:{line}")
    assert not missed, f"text() calls with a key the scan cannot read: {missed}"
    assert len(LITERAL_CALLS) > 100
    assert any(c.key == "equipment.unit_{u}" for c in TEMPLATE_CALLS)
    assert any(c.key == "saving.settled_saved" for c in LITERAL_CALLS)  # from a conditional expression


def test_every_literal_key_exists() -> None:
    missing = [f"{c.where}: {c.key}" for c in LITERAL_CALLS if c.key not in CATALOG]
    assert not missing, "keys used in the code but missing from locale/en/*.yaml:\n" + "\n".join(missing)


@pytest.mark.parametrize("call", TEMPLATE_CALLS, ids=lambda c: f"{c.where} {c.key}")
def test_every_built_key_exists(call: Call) -> None:
    if call.key in EXPANSIONS:
        missing = [key for key in EXPANSIONS[call.key] if key not in CATALOG]
        assert not missing, f"{call.where}: {missing} missing from the catalog"
    else:
        # Not listed above (yet): at least one catalog key must have the shape of the template.
        pattern = _pattern(call.key)
        assert any(pattern.match(key) for key in CATALOG), f"{call.where}: no key looks like {call.key!r}"


def test_expansion_list_is_not_stale() -> None:
    templates = {c.key for c in TEMPLATE_CALLS}
    stale = set(EXPANSIONS) - templates
    assert not stale, f"these f-string keys are no longer in the code: {stale}"


def test_every_catalog_key_is_used() -> None:
    used = string_constants() | {c.key for c in LITERAL_CALLS} | {key for keys in EXPANSIONS.values() for key in keys}
    patterns = [_pattern(c.key) for c in TEMPLATE_CALLS if c.key not in EXPANSIONS]
    # The page section is the Voila template's words (tools/translations.py writes them for it).
    unused = sorted(
        key
        for key in CATALOG
        if key not in used and not key.startswith("page.") and not any(p.match(key) for p in patterns)
    )
    assert not unused, f"{len(unused)} strings are never used (remove them or use them): {unused}"


def test_call_site_placeholders_match_the_template() -> None:
    problems = []
    for call in LITERAL_CALLS:
        if call.params is None or call.key not in CATALOG:
            continue
        wanted = placeholders(CATALOG[call.key])
        if call.params - wanted:
            problems.append(
                f"{call.where}: {sorted(call.params - wanted)} passed but {call.key} has no such placeholder"
            )
        # Without parameters text() returns the template as it is: "{label}" would reach a learner.
        if wanted - call.params:
            problems.append(f"{call.where}: {call.key} needs {sorted(wanted - call.params)}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "call",
    [c for c in TEMPLATE_CALLS if c.params is not None and c.key in EXPANSIONS],
    ids=lambda c: f"{c.where} {c.key}",
)
def test_built_key_placeholders_match_the_templates(call: Call) -> None:
    # One call serves several keys: each key gets what it needs, and each parameter is used by one.
    assert call.params is not None
    keys = EXPANSIONS[call.key]
    for key in keys:
        missing = placeholders(CATALOG[key]) - call.params
        assert not missing, f"{call.where}: {key} needs {sorted(missing)}"
    used = set().union(*(placeholders(CATALOG[key]) for key in keys))
    assert call.params <= used, f"{call.where}: {sorted(call.params - used)} fill no placeholder of {keys}"


def test_templates_are_well_formed() -> None:
    for key, template in CATALOG.items():
        try:
            names = placeholders(template)
        except ValueError as error:  # unbalanced braces
            pytest.fail(f"{key}: {error}")
        assert all(name.isidentifier() for name in names), f"{key}: odd placeholder in {template!r}"
        assert template.strip(), f"{key}: empty string"


def test_text_fills_placeholders() -> None:
    assert text("error.at_least", label="Members", minimum=1) == "Members must be at least 1."
    with pytest.raises(KeyError):
        text("no_such_section.key")
