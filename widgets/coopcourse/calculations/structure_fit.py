"""Which business structure fits a group's situation: a transparent points tally.

Each answer to a situation question gives points to some structures and says why. The ranking is
only a conversation starter; the reasons matter more than the score.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from coopcourse.calculations.validation import (
    check_count,
    check_items,
    check_kind,
    check_mapping,
    check_text,
    checked,
)
from coopcourse.errors import CourseInputError
from coopcourse.text import text


@dataclass(frozen=True)
@checked()
class SituationOption:
    id: str
    label: str
    points: Mapping[str, int]
    why: str

    def __post_init__(self) -> None:
        for value in self.points.values():
            check_count(value, text("structures.points"), minimum=-1000, maximum=1000, field=self.id)


@dataclass(frozen=True)
@checked()
class SituationQuestion:
    id: str
    prompt: str
    options: tuple[SituationOption, ...]

    def option(self, option_id: str) -> SituationOption:
        for option in self.options:
            if option.id == option_id:
                return option
        raise CourseInputError(text("structures.error_unknown_answer"), self.id)


@dataclass(frozen=True)
@checked()
class StructureFit:
    structure_id: str
    points: int
    reasons: tuple[str, ...] = field(default=())


def rank_structures(
    structure_ids: Sequence[str],
    questions: Sequence[SituationQuestion],
    answers: Mapping[str, str],
) -> tuple[StructureFit, ...]:
    """Structures ordered from best to worst fit for the answers given (question id -> option id).

    Unanswered questions count for nothing; ties keep the order of ``structure_ids``.
    """
    label = text("structures.questions")
    structure_ids = tuple(check_text(s, label) for s in check_items(structure_ids, label))
    questions = tuple(check_kind(q, SituationQuestion, label) for q in check_items(questions, label))
    answers = check_mapping(answers, label)
    points = {structure: 0 for structure in structure_ids}
    reasons: dict[str, list[str]] = {structure: [] for structure in structure_ids}
    for question in questions:
        chosen = answers.get(question.id)
        if chosen is None:
            continue
        option = question.option(chosen)
        for structure, value in option.points.items():
            if structure not in points:
                raise CourseInputError(text("structures.error_unknown_answer"), question.id)
            points[structure] += value
            if value > 0:
                reasons[structure].append(option.why)
    fits = [StructureFit(s, points[s], tuple(reasons[s])) for s in structure_ids]
    order = {structure: index for index, structure in enumerate(structure_ids)}
    return tuple(sorted(fits, key=lambda fit: (-fit.points, order[fit.structure_id])))
