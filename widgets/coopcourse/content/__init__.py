"""Course content kept as data: question banks, scenarios, checklists, comparison tables.

Files live in ``content/<language>/`` as YAML; each names its ``schema`` (a JSON Schema in
``content/schemas/``) and is checked against it by the test suite.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

import yaml

from coopcourse.calculations.readiness import Statement
from coopcourse.calculations.self_check import Choice, Question
from coopcourse.calculations.structure_fit import SituationOption, SituationQuestion
from coopcourse.text import DEFAULT_LANGUAGE, current_language


def _root() -> Traversable:
    return resources.files("coopcourse") / "content"


@cache
def schema(name: str) -> dict[str, Any]:
    return json.loads((_root() / "schemas" / f"{name}.json").read_text(encoding="utf-8"))


def content_files(language: str = DEFAULT_LANGUAGE) -> list[str]:
    """Names (paths without ``.yaml``) of every content file of a language."""
    names: list[str] = []

    def walk(folder: Traversable, prefix: str) -> None:
        for entry in folder.iterdir():
            if entry.is_dir():
                walk(entry, f"{prefix}{entry.name}/")
            elif entry.name.endswith(".yaml"):
                names.append(prefix + entry.name[: -len(".yaml")])

    walk(_root() / language, "")
    return sorted(names)


@cache
def load(name: str, language: str | None = None) -> dict[str, Any]:
    """Read ``content/<language>/<name>.yaml`` (English if not translated).

    Not validated here: tests/test_content.py checks every file against its schema, so a learner's
    kernel does not import jsonschema (about 5 MB and 0.1 s per open page).
    """
    language = language or current_language()
    source = _root() / language / f"{name}.yaml"
    if not source.is_file():
        source = _root() / DEFAULT_LANGUAGE / f"{name}.yaml"
    return yaml.safe_load(source.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class QuestionSet:
    """One self-check from a question bank: the title the learner sees and the questions."""

    title: str
    questions: tuple[Question, ...]


def question_set(name: str, set_id: str) -> QuestionSet:
    """Set ``set_id`` of the question bank ``content/<language>/questions/<name>.yaml``."""
    document = load(f"questions/{name}")["sets"][set_id]
    return QuestionSet(document["title"], tuple(_question(item) for item in document["questions"]))


def _question(item: dict[str, Any]) -> Question:
    return Question(
        id=item["id"],
        kind=item["kind"],
        prompt=item["prompt"],
        hints=tuple(item.get("hints", ())),
        explanation=item["explanation"],
        choices=tuple(
            Choice(c["id"], c["text"], bool(c.get("correct", False)), c["feedback"]) for c in item.get("choices", ())
        ),
        answer=item.get("answer"),
        tolerance=float(item.get("tolerance", 0.0)),
        unit=item.get("unit", ""),
        feedback_low=item.get("feedback_low", ""),
        feedback_high=item.get("feedback_high", ""),
        feedback_correct=item.get("feedback_correct", ""),
    )


def situation_questions(document: dict[str, Any]) -> tuple[SituationQuestion, ...]:
    return tuple(
        SituationQuestion(
            q["id"],
            q["prompt"],
            tuple(SituationOption(o["id"], o["label"], dict(o["points"]), o["why"]) for o in q["options"]),
        )
        for q in document["situation_questions"]
    )


def statements(document: dict[str, Any]) -> tuple[Statement, ...]:
    return tuple(Statement(s["id"], s["theme"], s["text"]) for s in document["statements"])


@dataclass(frozen=True)
class GlossaryTerm:
    """One glossary entry: the anchor id, the term, the phrases that link to it, and its plain
    explanation with an example."""

    id: str
    term: str
    phrases: tuple[str, ...]
    explanation: str
    example: str


def glossary() -> tuple[GlossaryTerm, ...]:
    """The course's glossary (``content/<language>/glossary.yaml``), in alphabetical order."""
    terms = (
        GlossaryTerm(t["id"], t["term"], tuple(t["phrases"]), t["explanation"], t["example"])
        for t in load("glossary")["terms"]
    )
    return tuple(sorted(terms, key=lambda term: term.term.casefold()))
