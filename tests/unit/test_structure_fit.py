"""Structure ranking: a points tally that is sorted, keeps ties in order and explains itself."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopcourse import content
from coopcourse.calculations.structure_fit import (
    SituationOption,
    SituationQuestion,
    StructureFit,
    rank_structures,
)
from coopcourse.errors import CourseInputError

IDS = ["sole", "partnership", "company", "cooperative"]
QUESTIONS = (
    SituationQuestion(
        "purpose",
        "Why?",
        (
            SituationOption("shared", "Shared need", {"cooperative": 3}, "A shared need"),
            SituationOption("income", "My income", {"sole": 2}, "One livelihood"),
            SituationOption("both", "Both", {"cooperative": 1, "sole": 1, "company": 0}, "Mixed"),
        ),
    ),
    SituationQuestion(
        "people",
        "How many?",
        (
            SituationOption("many", "Many", {"cooperative": 3, "company": 1}, "Many owners"),
            SituationOption("few", "Few", {"partnership": 2, "company": 1, "cooperative": 1}, "Few owners"),
        ),
    ),
)


def test_ranking_by_hand() -> None:
    # shared: cooperative 3; few: partnership 2, company 1, cooperative 1.
    # Totals: cooperative 4, partnership 2, company 1, sole 0.
    fits = rank_structures(IDS, QUESTIONS, {"purpose": "shared", "people": "few"})
    assert [(f.structure_id, f.points) for f in fits] == [
        ("cooperative", 4),
        ("partnership", 2),
        ("company", 1),
        ("sole", 0),
    ]
    assert fits[0].reasons == ("A shared need", "Few owners")
    assert fits[-1].reasons == ()


def test_ties_keep_the_order_given() -> None:
    # income: sole 2; few: partnership 2, company 1, cooperative 1. sole and partnership tie on 2,
    # company and cooperative on 1: each tie keeps the order of IDS.
    fits = rank_structures(IDS, QUESTIONS, {"purpose": "income", "people": "few"})
    assert [f.structure_id for f in fits] == ["sole", "partnership", "company", "cooperative"]
    reordered = rank_structures(list(reversed(IDS)), QUESTIONS, {"purpose": "income", "people": "few"})
    assert [f.structure_id for f in reordered] == ["partnership", "sole", "cooperative", "company"]


def test_no_answers_keeps_everything_at_zero_in_order() -> None:
    assert rank_structures(IDS, QUESTIONS, {}) == tuple(StructureFit(s, 0, ()) for s in IDS)


def test_zero_points_give_no_reason() -> None:
    fits = {f.structure_id: f for f in rank_structures(IDS, QUESTIONS, {"purpose": "both"})}
    assert fits["company"].points == 0
    assert fits["company"].reasons == ()
    assert fits["sole"].reasons == ("Mixed",)


def test_unknown_option_is_a_learner_message(learner_message) -> None:
    with pytest.raises(CourseInputError) as caught:
        rank_structures(IDS, QUESTIONS, {"purpose": "bribe"})
    assert caught.value.field == "purpose"
    learner_message(caught.value.message)


def test_points_for_an_unknown_structure_are_refused() -> None:
    odd = (
        SituationQuestion(
            "q", "?", (SituationOption("a", "A", {"trust": 2}, "why"), SituationOption("b", "B", {}, "why"))
        ),
    )
    with pytest.raises(CourseInputError):
        rank_structures(IDS, odd, {"q": "a"})


# --- properties over the course's own situation questions -----------------------------------------

DOCUMENT = content.load("structures")
REAL_IDS = [s["id"] for s in DOCUMENT["structures"]]
REAL_QUESTIONS = content.situation_questions(DOCUMENT)


@st.composite
def real_answers(draw: st.DrawFn) -> dict[str, str]:
    answers = {}
    for question in REAL_QUESTIONS:
        if draw(st.booleans()):
            answers[question.id] = draw(st.sampled_from([o.id for o in question.options]))
    return answers


@given(real_answers(), st.permutations(REAL_IDS))
def test_ranking_is_sorted_stable_and_adds_up(answers: dict[str, str], ids: list[str]) -> None:
    fits = rank_structures(ids, REAL_QUESTIONS, answers)
    assert sorted(f.structure_id for f in fits) == sorted(ids)
    # Sorted from most to fewest points; ties in the order of ``ids``.
    for first, second in itertools.pairwise(fits):
        assert first.points >= second.points
        if first.points == second.points:
            assert ids.index(first.structure_id) < ids.index(second.structure_id)
    # Points are the sum over the chosen options; one reason per option that gave points.
    for fit in fits:
        chosen = [q.option(answers[q.id]) for q in REAL_QUESTIONS if q.id in answers]
        assert fit.points == sum(o.points.get(fit.structure_id, 0) for o in chosen)
        assert fit.reasons == tuple(o.why for o in chosen if o.points.get(fit.structure_id, 0) > 0)
