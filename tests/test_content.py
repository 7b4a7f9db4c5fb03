"""Every content file validates against its schema, plus the cross-checks a schema cannot express."""

from __future__ import annotations

import ast
import copy
import importlib
import pkgutil
from collections import Counter
from collections.abc import Iterator
from importlib import resources
from typing import Any

import jsonschema
import pytest
import yaml

import coopcourse.exercises
from coopcourse import content

FILES = content.content_files()


def raw(name: str) -> dict[str, Any]:
    source = resources.files("coopcourse") / "content" / "en" / f"{name}.yaml"
    return yaml.safe_load(source.read_text(encoding="utf-8"))


def by_schema(schema_name: str) -> list[str]:
    return [name for name in FILES if raw(name)["schema"] == schema_name]


def test_content_files_are_found() -> None:
    for expected in (
        "readiness",
        "structures",
        "questions/think_coop",
        "scenarios/joint_purchasing",
        "scenarios/shared_equipment",
    ):
        assert expected in FILES


@pytest.mark.parametrize("name", FILES)
def test_file_validates_against_its_schema(name: str) -> None:
    document = raw(name)
    assert isinstance(document, dict) and "schema" in document, f"{name} must start with 'schema: <name>'"
    schema = content.schema(document["schema"])
    jsonschema.Draft202012Validator.check_schema(schema)
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(document), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{name} at {list(e.path)}: {e.message}" for e in errors)
    assert content.load(name) == document  # what the loader gives the exercises


def id_lists(node: Any, path: str = "") -> Iterator[tuple[str, list[str]]]:
    """Every list of objects with ``id`` keys, anywhere in a document."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from id_lists(value, f"{path}.{key}")
    elif isinstance(node, list):
        if node and all(isinstance(item, dict) and "id" in item for item in node):
            yield path, [item["id"] for item in node]
        for index, item in enumerate(node):
            yield from id_lists(item, f"{path}[{index}]")


@pytest.mark.parametrize("name", FILES)
def test_ids_are_unique_in_each_list(name: str) -> None:
    for path, ids in id_lists(raw(name)):
        duplicates = [i for i, n in Counter(ids).items() if n > 1]
        assert not duplicates, f"{name}{path}: duplicate ids {duplicates}"


@pytest.mark.parametrize("name", by_schema("questions"))
def test_question_ids_are_unique_across_the_bank_and_choices_are_sound(name: str) -> None:
    sets = raw(name)["sets"]
    ids = [q["id"] for one_set in sets.values() for q in one_set["questions"]]
    assert len(ids) == len(set(ids)), f"{name}: question ids repeat across sets"
    for one_set in sets.values():
        for question in one_set["questions"]:
            choice_ids = [c["id"] for c in question.get("choices", [])]
            assert len(choice_ids) == len(set(choice_ids)), f"{question['id']}: duplicate choice ids"
            if question["kind"] == "number":
                assert question["feedback_low"] != question["feedback_high"]
    for set_id, one_set in sets.items():
        loaded = content.question_set(name.removeprefix("questions/"), set_id)  # as Question objects
        assert loaded.title == one_set["title"]
        assert [q.id for q in loaded.questions] == [q["id"] for q in one_set["questions"]]


@pytest.mark.parametrize("name", by_schema("checklist"))
def test_checklist_statement_themes_exist(name: str) -> None:
    document = raw(name)
    unknown = {s["theme"] for s in document["statements"]} - set(document["themes"])
    assert not unknown, f"{name}: statements name themes that are not defined: {unknown}"
    unused = set(document["themes"]) - {s["theme"] for s in document["statements"]}
    assert not unused, f"{name}: themes without statements: {unused}"


@pytest.mark.parametrize("name", by_schema("structures"))
def test_structure_points_and_aspects_name_existing_ones(name: str) -> None:
    document = raw(name)
    structures = {s["id"] for s in document["structures"]}
    aspects = {a["id"] for a in document["aspects"]}
    for structure in document["structures"]:
        assert set(structure["aspects"]) == aspects, f"{structure['id']}: aspects differ from the list"
    for question in document["situation_questions"]:
        for option in question["options"]:
            unknown = set(option["points"]) - structures
            assert not unknown, f"{question['id']}.{option['id']} gives points to unknown {unknown}"


def scenario_exercises() -> dict[str, tuple[str, str]]:
    """Exercise name in a scenario file -> (module, function) that shows its scenario picker."""
    found: dict[str, tuple[str, str]] = {}
    package = coopcourse.exercises
    for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        spec = importlib.util.find_spec(module.name)
        assert spec is not None and spec.origin is not None
        if not spec.origin.endswith(".py"):
            continue
        tree = ast.parse(open(spec.origin, encoding="utf-8").read())
        for function in (n for n in tree.body if isinstance(n, ast.FunctionDef)):
            for call in (n for n in ast.walk(function) if isinstance(n, ast.Call)):
                if (
                    getattr(call.func, "id", None) == "scenario_picker"
                    and call.args
                    and isinstance(call.args[0], ast.Constant)
                ):
                    found[call.args[0].value] = (module.name, function.name)
    return found


SCENARIO_FILES = by_schema("scenarios")
EXERCISES = scenario_exercises()
# Exercises that load their scenarios with their own picker (a card sets up part of the inputs,
# the rest starts empty), listed by hand: exercise name -> (module, function).
OWN_PICKERS = {
    "governance_role_play": ("coopcourse.exercises.manage_coop.governance", "role_play_tracker"),
}


@pytest.mark.parametrize("name", SCENARIO_FILES)
def test_scenario_values_match_the_exercise_inputs(name: str) -> None:
    document = raw(name)
    exercise = document["exercise"]
    assert exercise in EXERCISES or exercise in OWN_PICKERS, f"{name}: no exercise shows scenarios of {exercise!r}"
    module, function = EXERCISES.get(exercise) or OWN_PICKERS[exercise]
    frame = getattr(importlib.import_module(module), function)()
    expected = set(frame.fields)
    for scenario in document["scenarios"]:
        keys = set(scenario["values"])
        # An unknown key would be silently ignored when the scenario loads.
        assert keys <= expected, f"{name} scenario {scenario['id']}: unknown inputs {sorted(keys - expected)}"
        if exercise in EXERCISES:  # the shared picker applies the values as they are: all inputs preset
            assert keys == expected, f"{name} scenario {scenario['id']}: missing {sorted(expected - keys)}"
    if exercise not in EXERCISES:
        return
    # Every scenario loads into the exercise and gives results, no field complaining.
    for scenario in document["scenarios"]:
        frame.apply(scenario["values"])
        assert frame.feedback.kind != "internal", scenario["id"]
        assert frame.feedback.message != ""
        state = frame.state()
        for key, value in scenario["values"].items():
            assert state[key] == value, f"{scenario['id']}: {key} shows {state[key]!r}, not {value!r}"
        assert all(getattr(field, "valid", True) for field in frame.fields.values()), scenario["id"]
        assert not any(getattr(field, "error", "") for field in frame.fields.values()), scenario["id"]


def test_a_broken_document_fails_validation() -> None:
    document = copy.deepcopy(raw("questions/think_coop"))
    validator = jsonschema.Draft202012Validator(content.schema("questions"))
    assert validator.is_valid(document)
    broken_cases = []
    no_correct = copy.deepcopy(document)
    for choice in no_correct["sets"]["definition"]["questions"][0]["choices"]:
        choice.pop("correct", None)
    broken_cases.append(no_correct)
    no_feedback = copy.deepcopy(document)
    del no_feedback["sets"]["principles"]["questions"][0]["feedback_low"]
    broken_cases.append(no_feedback)
    typo = copy.deepcopy(document)
    first = typo["sets"]["definition"]["questions"][0]
    first["explanaton"] = first.pop("explanation")
    broken_cases.append(typo)
    no_title = copy.deepcopy(document)  # the title a learner sees comes from the data, not the notebook
    del no_title["sets"]["values"]["title"]
    broken_cases.append(no_title)
    bare_list = copy.deepcopy(document)  # the old format: a set that is only a list of questions
    bare_list["sets"]["values"] = bare_list["sets"]["values"]["questions"]
    broken_cases.append(bare_list)
    bad_set_id = copy.deepcopy(document)  # a set id becomes part of the quiz id
    bad_set_id["sets"]["Values!"] = bad_set_id["sets"].pop("values")
    broken_cases.append(bad_set_id)
    for broken in broken_cases:
        assert not validator.is_valid(broken)
    checklist = copy.deepcopy(raw("readiness"))
    checklist["statements"][0]["id"] = "Not An Id"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(checklist, content.schema("checklist"))
