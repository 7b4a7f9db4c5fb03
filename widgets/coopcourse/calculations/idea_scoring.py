"""Scoring candidate business ideas against the group's criteria (weighted 1-5 scores)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from coopcourse.calculations.validation import (
    check_items,
    check_kind,
    check_mapping,
    check_not_empty,
    check_number,
    check_text,
    check_unique_names,
    checked,
)
from coopcourse.errors import CourseInputError
from coopcourse.text import text

LOWEST_SCORE, HIGHEST_SCORE = 1, 5


@dataclass(frozen=True)
@checked(field="ideas", deferred=True)
class Idea:
    name: str
    scores: Mapping[str, float]  # criterion id -> score from 1 (poor) to 5 (very good)


@dataclass(frozen=True)
@checked()
class RankedIdea:
    name: str
    total: float
    percent: float  # of the highest possible total


def rank_ideas(ideas: Sequence[Idea], weights: Mapping[str, float]) -> tuple[RankedIdea, ...]:
    """Ideas from best to worst by weighted score; ties keep the order given."""
    label = text("ideas.ideas")
    ideas = tuple(check_kind(idea, Idea, label, "ideas") for idea in check_items(ideas, label, "ideas"))
    weights = check_mapping(weights, text("ideas.weights"), "weights")
    check_not_empty(ideas, label, field="ideas")
    check_unique_names([idea.name for idea in ideas], label, field="ideas")
    for criterion, weight in weights.items():
        check_text(criterion, text("ideas.weights"), "weights")
        check_number(weight, text("ideas.weight_of", criterion=criterion), maximum=10, field="weights")
    best_possible = HIGHEST_SCORE * sum(weights.values())
    if best_possible == 0:
        raise CourseInputError(text("ideas.error_no_weight"), "weights")
    ranked = []
    for idea in ideas:
        total = 0.0
        for criterion, weight in weights.items():
            score = check_number(
                idea.scores.get(criterion, LOWEST_SCORE),
                text("ideas.score_of", idea=idea.name),
                minimum=LOWEST_SCORE,
                maximum=HIGHEST_SCORE,
                field="ideas",
            )
            total += weight * score
        ranked.append(RankedIdea(idea.name, total, 100.0 * total / best_possible))
    order = {idea.name: index for index, idea in enumerate(ideas)}
    return tuple(sorted(ranked, key=lambda r: (-r.total, order[r.name])))
