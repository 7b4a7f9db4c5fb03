"""Scoring business ideas (Start.Coop module 1): hand-worked ranking, invalid input, properties."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopcourse.calculations.idea_scoring import HIGHEST_SCORE, LOWEST_SCORE, Idea, rank_ideas
from coopcourse.errors import CourseInputError

WEIGHTS = {"need": 2, "market": 1}


def test_ranking_worked_by_hand() -> None:
    # Best possible: 5 x (2 + 1) = 15.
    # Honey 5 x 2 + 3 x 1 = 13 (86.7%); Soap 4 x 2 + 5 x 1 = 13 (tie: keeps its place after Honey);
    # Bakery 1 x 2 + 1 x 1 = 3 (20%); Rice 2 x 2 + (no market score: counts as 1) = 5 (33.3%).
    ranked = rank_ideas(
        [
            Idea("Bakery", {"need": 1, "market": 1}),
            Idea("Honey", {"need": 5, "market": 3}),
            Idea("Rice", {"need": 2}),
            Idea("Soap", {"need": 4, "market": 5}),
        ],
        WEIGHTS,
    )
    assert [r.name for r in ranked] == ["Honey", "Soap", "Rice", "Bakery"]
    assert [r.total for r in ranked] == [13, 13, 5, 3]
    assert [round(r.percent, 1) for r in ranked] == [86.7, 86.7, 33.3, 20.0]


def test_a_weight_of_zero_leaves_a_criterion_out() -> None:
    ranked = rank_ideas(
        [Idea("A", {"need": 1, "market": 5}), Idea("B", {"need": 2, "market": 1})], {"need": 1, "market": 0}
    )
    assert [r.name for r in ranked] == ["B", "A"]
    assert ranked[0].percent == 40.0  # 2 of the best possible 5


def test_one_idea_with_top_scores_reaches_100_percent() -> None:
    assert rank_ideas([Idea("Only", {"need": 5, "market": 5})], WEIGHTS)[0].percent == 100.0


@pytest.mark.parametrize(
    "ideas, weights, field, says",
    [
        ([], WEIGHTS, "ideas", "Business ideas: add at least one row"),
        ([Idea("Honey", {}), Idea(" honey", {})], WEIGHTS, "ideas", "appears twice"),
        ([Idea("", {})], WEIGHTS, "ideas", "every row needs a name"),
        ([Idea("A", {"need": 6})], WEIGHTS, "ideas", 'Scores of "A" must be at most 5'),
        ([Idea("A", {"need": 0})], WEIGHTS, "ideas", 'Scores of "A" must be at least 1'),
        ([Idea("A", {"market": float("nan")})], WEIGHTS, "ideas", "please enter a number"),
        ([Idea("A", {})], {"need": -1}, "weights", "must be at least 0"),
        ([Idea("A", {})], {"need": 11}, "weights", "must be at most 10"),
        ([Idea("A", {})], {"need": 0, "market": 0}, "weights", "At least one criterion needs a weight above 0"),
        ([Idea("A", {})], {}, "weights", "At least one criterion needs a weight above 0"),
    ],
    ids=lambda v: str(v)[:30],
)
def test_invalid_input_says_what_to_fix(ideas, weights, field, says, learner_message) -> None:
    with pytest.raises(CourseInputError) as caught:
        rank_ideas(ideas, weights)
    assert caught.value.field == field
    assert says in caught.value.message
    learner_message(caught.value.message)


scores = st.integers(min_value=LOWEST_SCORE, max_value=HIGHEST_SCORE)
criteria = ("need", "market", "skills")
weight_sets = st.fixed_dictionaries(
    {c: st.floats(min_value=0, max_value=10, allow_nan=False) for c in criteria}
).filter(lambda w: sum(w.values()) > 0)
idea_lists = st.lists(st.fixed_dictionaries({c: scores for c in criteria}), min_size=1, max_size=8).map(
    lambda rows: [Idea(f"Idea {i}", row) for i, row in enumerate(rows)]
)


@given(ideas=idea_lists, weights=weight_sets)
def test_ranking_is_by_weighted_total_and_keeps_ties_in_order(ideas, weights) -> None:
    ranked = rank_ideas(ideas, weights)
    assert sorted(r.name for r in ranked) == sorted(i.name for i in ideas)
    totals = {i.name: sum(weights[c] * i.scores[c] for c in criteria) for i in ideas}
    best = HIGHEST_SCORE * sum(weights.values())
    position = {i.name: n for n, i in enumerate(ideas)}
    for r in ranked:
        assert math.isclose(r.total, totals[r.name], rel_tol=1e-12, abs_tol=1e-12)
        assert math.isclose(r.percent, 100 * totals[r.name] / best, rel_tol=1e-12)
        assert 100 * LOWEST_SCORE / HIGHEST_SCORE - 1e-9 <= r.percent <= 100 + 1e-9
    for a, b in itertools.pairwise(ranked):
        assert a.total > b.total or (a.total == b.total and position[a.name] < position[b.name])


@given(ideas=idea_lists, weights=weight_sets, criterion=st.sampled_from(criteria))
def test_a_better_score_never_moves_an_idea_down(ideas, weights, criterion) -> None:
    before = [r.name for r in rank_ideas(ideas, weights)]
    target = ideas[-1]
    improved = Idea(target.name, {**target.scores, criterion: HIGHEST_SCORE})
    after = [r.name for r in rank_ideas([*ideas[:-1], improved], weights)]
    assert after.index(target.name) <= before.index(target.name)
