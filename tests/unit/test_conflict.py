"""Conflict stories (walk, well-formedness of every shipped story) and the styles reflection."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopcourse import content
from coopcourse.calculations import conflict as cn
from coopcourse.errors import CourseInputError

SHIPPED = [cn.story_from_data(s) for s in content.load("conflict_scenarios")["scenarios"]]


def choice(next_id, style="collaborating"):
    return {"label": f"go to {next_id}", "consequence": "c", "why": "w", "style": style, "next": next_id}


def ending(outcome="resolved"):
    return {"text": "The end.", "ending": {"outcome": outcome, "lesson": "l"}}


def story(nodes, start="start"):
    return cn.story_from_data({"id": "t", "title": "T", "setting": "S", "start": start, "nodes": nodes})


# A small hand-made story: start -> a | b; a -> end1 | end2; b -> end2
TINY = story(
    {
        "start": {"text": "Start", "choices": [choice("a", "avoiding"), choice("b", "competing")]},
        "a": {"text": "A", "choices": [choice("end1", "compromising"), choice("end2", "collaborating")]},
        "b": {"text": "B", "choices": [choice("end2", "accommodating"), choice("end1", "competing")]},
        "end1": ending("partly"),
        "end2": ending("resolved"),
    }
)


@pytest.mark.parametrize("shipped", SHIPPED, ids=lambda s: s.id)
def test_every_shipped_story_is_well_formed(shipped):
    assert cn.story_problems(shipped) == ()
    assert shipped.nodes[shipped.start].choices, "a story starts with a choice"
    paths = cn.endings(shipped)
    assert paths
    for path in paths:
        walk = cn.walk(shipped, path)
        assert walk.ended and walk.current.outcome in cn.OUTCOMES
    # every style named in a story is one of the five, and each story shows at least three
    used = {c.style for node in shipped.nodes.values() for c in node.choices}
    assert used <= set(cn.STYLES) and len(used) >= 3
    # at least one way through resolves the conflict
    assert any(cn.walk(shipped, p).current.outcome == "resolved" for p in paths)


def test_the_course_ships_at_least_three_stories():
    assert {"side_selling", "board_manager", "workload"} <= {s.id for s in SHIPPED}


def test_tiny_story_is_well_formed_and_walks():
    assert cn.story_problems(TINY) == ()
    walk = cn.walk(TINY, [1, 0])
    assert walk.path == (1, 0) and walk.ended and walk.current.id == "end2"
    assert walk.styles == ("competing", "accommodating")
    assert walk.style_counts() == {"accommodating": 1, "competing": 1}
    assert [s.node.id for s in walk.steps] == ["start", "b"]
    assert cn.walk(TINY, []).current.id == "start" and not cn.walk(TINY, []).ended
    assert sorted(cn.endings(TINY)) == [(0, 0), (0, 1), (1, 0), (1, 1)]


def test_broken_graphs_are_detected():
    missing = story({"start": {"text": "S", "choices": [choice("nowhere"), choice("end")]}, "end": ending()})
    assert [(p.kind, p.node, p.detail) for p in cn.story_problems(missing)] == [("missing_next", "start", "nowhere")]

    unreachable = story(
        {"start": {"text": "S", "choices": [choice("end"), choice("end")]}, "end": ending(), "island": ending()}
    )
    assert [(p.kind, p.node) for p in cn.story_problems(unreachable)] == [("unreachable", "island")]

    loop = story(
        {
            "start": {"text": "S", "choices": [choice("a"), choice("end")]},
            "a": {"text": "A", "choices": [choice("start"), choice("end")]},
            "end": ending(),
        }
    )
    assert [p.kind for p in cn.story_problems(loop)] == ["cycle"]

    self_loop = story({"start": {"text": "S", "choices": [choice("start"), choice("end")]}, "end": ending()})
    assert [p.kind for p in cn.story_problems(self_loop)] == ["cycle"]

    no_start = story({"a": ending()}, start="start")
    assert [p.kind for p in cn.story_problems(no_start)] == ["no_start"]

    odd = story({"start": {"text": "S", "choices": [choice("end", "shouting"), choice("end")]}, "end": {"text": "E"}})
    assert sorted(p.kind for p in cn.story_problems(odd)) == ["ending_without_outcome", "unknown_style"]


@pytest.mark.parametrize("path", [[2], [-1], ["0"], [0.0], [True], [None], [0, 0, 0], [1, 5]])
def test_invalid_paths_raise_learner_errors(path, learner_message):
    with pytest.raises(CourseInputError) as caught:
        cn.walk(TINY, path)
    assert caught.value.field == "paths"
    learner_message(caught.value.message)


def random_dag(draw):
    """A random story graph: nodes 0..n-1 may only point to higher numbers, so it has no loops;
    node n-1 is an ending and every other node points at least to the next one (all reachable)."""
    size = draw(st.integers(2, 9))
    nodes = {}
    for index in range(size - 1):
        extra = draw(st.lists(st.integers(index + 1, size - 1), max_size=2))
        targets = [index + 1, *extra]
        if len(targets) < 2:
            targets.append(size - 1)
        nodes[f"n{index}"] = {
            "text": "x",
            "choices": [choice(f"n{t}", draw(st.sampled_from(cn.STYLES))) for t in targets[:4]],
        }
    nodes[f"n{size - 1}"] = ending()
    return nodes


dags = st.composite(random_dag)()


@given(dags, st.data())
def test_random_acyclic_stories_are_well_formed_and_every_walk_ends(nodes, data):
    graph = story(nodes, start="n0")
    assert cn.story_problems(graph) == ()
    path: list[int] = []
    walk = cn.walk(graph, path)
    while not walk.ended:
        path.append(data.draw(st.integers(0, len(walk.current.choices) - 1)))
        walk = cn.walk(graph, path)
        assert len(path) < len(nodes)  # no path visits a node twice
    assert walk.styles == tuple(s.choice.style for s in walk.steps)
    assert sum(walk.style_counts().values()) == len(path)
    assert cn.walk(graph, path[:-1]).current.id == walk.steps[-1].node.id  # going back one step


@given(dags, st.data())
def test_adding_a_backward_choice_makes_a_cycle(nodes, data):
    later = data.draw(st.integers(1, len(nodes) - 2)) if len(nodes) > 2 else 0
    target = data.draw(st.integers(0, later))
    nodes[f"n{later}"]["choices"][0]["next"] = f"n{target}"
    assert "cycle" in [p.kind for p in cn.story_problems(story(nodes, start="n0"))]


@given(st.sampled_from(SHIPPED), st.data())
def test_random_walks_through_shipped_stories_end(shipped, data):
    path: list[int] = []
    walk = cn.walk(shipped, path)
    while not walk.ended:
        path.append(data.draw(st.integers(0, len(walk.current.choices) - 1)))
        walk = cn.walk(shipped, path)
    assert walk.current.outcome in cn.OUTCOMES and len(walk.styles) == len(path)


# --- reflection --------------------------------------------------------------------------------------


def test_most_used_styles():
    assert cn.most_used_styles({s: "unrated" for s in cn.STYLES}) == ()
    assert cn.most_used_styles({"avoiding": "sometimes", "competing": "rarely"}) == ("avoiding",)
    assert cn.most_used_styles({"collaborating": "often", "avoiding": "often", "competing": "sometimes"}) == (
        "avoiding",
        "collaborating",
    )  # in the order of the five styles
    assert cn.most_used_styles({s: "rarely" for s in cn.STYLES}) == cn.STYLES


@pytest.mark.parametrize("ratings", [{"shouting": "often"}, {"avoiding": "always"}, {"avoiding": None}])
def test_invalid_ratings_raise_learner_errors(ratings, learner_message):
    with pytest.raises(CourseInputError) as caught:
        cn.most_used_styles(ratings)
    learner_message(caught.value.message)


@given(st.dictionaries(st.sampled_from(cn.STYLES), st.sampled_from((*cn.RATINGS, cn.UNRATED))))
def test_most_used_properties(ratings):
    top = cn.most_used_styles(ratings)
    rated = {s: cn.RATINGS.index(r) for s, r in ratings.items() if r != cn.UNRATED}
    assert bool(top) == bool(rated)
    for style in top:
        assert rated[style] == max(rated.values())
    assert all(rated[s] < max(rated.values()) for s in rated if s not in top)
