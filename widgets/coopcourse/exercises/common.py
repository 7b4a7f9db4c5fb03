"""Pieces every exercise uses: the example scenarios and their picker (numbers: ``coopcourse.formatting``)."""

from __future__ import annotations

from typing import Any

from coopcourse import content
from coopcourse.components import ExerciseFrame, ScenarioPicker


def scenarios(exercise: str) -> list[dict[str, Any]]:
    return list(content.load(f"scenarios/{exercise}")["scenarios"])


def scenario_values(exercise: str, scenario_id: str | None = None) -> dict[str, Any]:
    """The preset values of one scenario (the first if none is named)."""
    for scenario in scenarios(exercise):
        if scenario_id in (None, scenario["id"]):
            return dict(scenario["values"])
    raise KeyError(scenario_id)


def scenario_picker(exercise: str, frame: ExerciseFrame) -> ScenarioPicker:
    """The exercise's example scenarios, added to the frame's tools; loading one fills the inputs."""
    picker = ScenarioPicker(scenarios(exercise), lambda chosen: frame.apply(scenario_values(exercise, chosen)))
    frame.tools.children = [*frame.tools.children, picker]
    return picker
