"""Course content kept as data: question banks, scenarios, checklists, comparison tables.

Files live in ``content/en/`` as YAML; each names its ``schema`` (a JSON Schema in
``content/schemas/``) and is checked against it by the test suite. Their words reach other
languages through the gettext catalog ``locale/<language>/LC_MESSAGES/content.po``: every string
of a file but those of the fields in ``UNTRANSLATED_FIELDS`` (identifiers, codes, dates) is a
message whose context is the file's name.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from coopcourse.calculations.readiness import Statement
from coopcourse.calculations.self_check import Choice, Question
from coopcourse.calculations.structure_fit import SituationOption, SituationQuestion
from coopcourse.text import DEFAULT_LANGUAGE, current_language, translations
from coopcourse.yaml_data import parse_yaml


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


# Fields whose strings are identifiers, codes or dates the code compares, never words to translate.
UNTRANSLATED_FIELDS = frozenset(
    {
        "id", "schema", "kind", "exercise", "next", "start", "majority", "meeting_type", "meeting_date",
        "outcome", "role", "share_rule", "strategy", "style", "theme", "who", "checked", "code",
        "symbol", "country_example",
    }
)  # fmt: skip
_LETTER = re.compile(r"[^\W\d_]")


# A field that is words in one place and an identifier in another: (the mapping's field, field).
# A scenario's preset ``values`` fill inputs: its ``unit`` is a Dropdown's value ("hours").
UNTRANSLATED_PLACES = frozenset({("values", "unit")})


def _translatable(node: Any, field: str | None, parent: str | None) -> bool:
    return (
        isinstance(node, str)
        and field not in UNTRANSLATED_FIELDS
        and (parent, field) not in UNTRANSLATED_PLACES
        and bool(_LETTER.search(node))
    )


def text_fields(
    node: Any, path: str = "", field: str | None = None, parent: str | None = None
) -> Iterator[tuple[str, str]]:
    """Each translatable string of a content document with its place (``sets.roles.title``,
    ``terms[3].phrases[0]``): a string with a letter in it, in a field not listed as untranslated."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from text_fields(value, f"{path}.{key}" if path else str(key), str(key), field)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from text_fields(value, f"{path}[{index}]", field, parent)
    elif _translatable(node, field, parent):
        yield path, node


def translated(node: Any, translate: Callable[[str], str], field: str | None = None, parent: str | None = None) -> Any:
    """A copy of the document with ``translate`` applied to each string ``text_fields`` names."""
    if isinstance(node, dict):
        return {key: translated(value, translate, str(key), field) for key, value in node.items()}
    if isinstance(node, list):
        return [translated(value, translate, field, parent) for value in node]
    if _translatable(node, field, parent):
        return translate(node)
    return node


def in_language(document: Any, name: str, language: str) -> Any:
    """The document with its words in ``language`` (English where the catalog has no translation)."""
    if language == DEFAULT_LANGUAGE:
        return document
    catalog = translations(language, "content")
    return translated(document, lambda english: catalog.pgettext(name, english))


def load(name: str, language: str | None = None) -> dict[str, Any]:
    """``content/en/<name>.yaml`` in ``language`` (the current one if not given).

    Not validated here: tests/test_content.py checks every file against its schema, so a learner's
    kernel does not import jsonschema (about 5 MB and 0.1 s per open page).
    """
    return _load(name, language or current_language())


@cache
def _load(name: str, language: str) -> dict[str, Any]:
    source = _root() / DEFAULT_LANGUAGE / f"{name}.yaml"
    return in_language(parse_yaml(source.read_text(encoding="utf-8")), name, language)


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
