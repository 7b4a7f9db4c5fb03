"""Conflict management: branching stories set in a cooperative, and the ways of handling conflict.

The five styles follow the well-known model of Thomas and Kilmann (1974): how much a person looks
after their own concerns (assertiveness) and how much after the other side's (cooperativeness).
No style is always right; the stories show what each one leads to in a particular situation.

A story is a graph: each node is a situation with choices, each choice leads to the next node;
a node without choices is an ending. ``story_problems`` checks that the graph is well formed,
``walk`` follows the choices a group made.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from coopcourse.calculations.validation import (
    check_items,
    check_kind,
    check_mapping,
    check_text,
    checked,
)
from coopcourse.errors import CourseInputError
from coopcourse.text import text

STYLES = ("avoiding", "accommodating", "competing", "compromising", "collaborating")
RATINGS = ("rarely", "sometimes", "often")
UNRATED = "unrated"
OUTCOMES = ("resolved", "partly", "unresolved")

PATH_FIELD = "paths"


@dataclass(frozen=True)
@checked()
class StoryChoice:
    label: str
    consequence: str
    why: str
    style: str
    next: str


@dataclass(frozen=True)
@checked()
class Node:
    id: str
    text: str
    choices: tuple[StoryChoice, ...] = ()
    outcome: str = ""  # for an ending: resolved, partly or unresolved
    lesson: str = ""  # for an ending: what the group can take from it

    @property
    def is_ending(self) -> bool:
        return not self.choices


@dataclass(frozen=True)
@checked()
class Story:
    id: str
    title: str
    setting: str
    start: str
    nodes: Mapping[str, Node]


def story_from_data(data: Mapping[str, Any]) -> Story:
    """A story from one scenario of ``conflict_scenarios.yaml`` (already schema-checked; anything
    else that cannot be read is a ``CourseInputError``)."""
    label = text("conflict.scenarios.story")
    data = check_mapping(data, label, PATH_FIELD)

    def get(mapping: Mapping[str, Any], key: str, default: Any = None) -> Any:
        if key not in mapping and default is None:
            raise CourseInputError(text("error.unreadable", label=label), PATH_FIELD)
        return mapping.get(key, default)

    nodes = {}
    for node_id, node in check_mapping(get(data, "nodes"), label, PATH_FIELD).items():
        node = check_mapping(node, label, PATH_FIELD)
        ending = check_mapping(get(node, "ending", {}) or {}, label, PATH_FIELD)
        choices = tuple(check_mapping(c, label, PATH_FIELD) for c in check_items(get(node, "choices", ()), label))
        nodes[check_text(node_id, label, PATH_FIELD)] = Node(
            id=node_id,
            text=get(node, "text"),
            choices=tuple(
                StoryChoice(get(c, "label"), get(c, "consequence"), get(c, "why"), get(c, "style"), get(c, "next"))
                for c in choices
            ),
            outcome=get(ending, "outcome", ""),
            lesson=get(ending, "lesson", ""),
        )
    return Story(get(data, "id"), get(data, "title"), get(data, "setting"), get(data, "start"), nodes)


# --- is the story well formed? --------------------------------------------------------------------


@dataclass(frozen=True)
@checked()
class StoryProblem:
    kind: str  # no_start, missing_next, unreachable, cycle, unknown_style, ending_without_outcome
    node: str
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.kind} at {self.node}" + (f": {self.detail}" if self.detail else "")


def story_problems(story: Story) -> tuple[StoryProblem, ...]:
    """Everything that would trap or confuse a group: a choice leading nowhere, a node no path
    reaches, a loop (a path that never ends), an unknown style, an ending without an outcome.
    An empty result means every path from the start reaches an ending."""
    check_kind(story, Story, text("conflict.scenarios.story"), PATH_FIELD)
    problems: list[StoryProblem] = []
    if story.start not in story.nodes:
        return (StoryProblem("no_start", story.start),)
    for node in story.nodes.values():
        if node.is_ending and node.outcome not in OUTCOMES:
            problems.append(StoryProblem("ending_without_outcome", node.id))
        for choice in node.choices:
            if choice.next not in story.nodes:
                problems.append(StoryProblem("missing_next", node.id, choice.next))
            if choice.style not in STYLES:
                problems.append(StoryProblem("unknown_style", node.id, choice.style))
    # Depth-first search from the start: grey nodes are on the current path, so meeting one
    # again is a loop; nodes never coloured are unreachable.
    colour: dict[str, str] = {}
    stack: list[tuple[str, int]] = [(story.start, 0)]
    colour[story.start] = "grey"
    while stack:
        node_id, index = stack[-1]
        targets = [c.next for c in story.nodes[node_id].choices if c.next in story.nodes]
        if index < len(targets):
            stack[-1] = (node_id, index + 1)
            target = targets[index]
            if colour.get(target) == "grey":
                problems.append(StoryProblem("cycle", node_id, target))
            elif target not in colour:
                colour[target] = "grey"
                stack.append((target, 0))
        else:
            colour[node_id] = "black"
            stack.pop()
    problems += [StoryProblem("unreachable", node_id) for node_id in story.nodes if node_id not in colour]
    return tuple(problems)


def endings(story: Story) -> tuple[tuple[int, ...], ...]:
    """Every path (as choice indices) from the start to an ending; for a well-formed story only."""
    _check_well_formed(story)
    paths: list[tuple[int, ...]] = []

    def follow(node_id: str, path: tuple[int, ...]) -> None:
        node = story.nodes[node_id]
        if node.is_ending:
            paths.append(path)
        for index, choice in enumerate(node.choices):
            follow(choice.next, (*path, index))

    follow(story.start, ())
    return tuple(paths)


def _check_well_formed(story: Story) -> None:
    check_kind(story, Story, text("conflict.scenarios.story"), PATH_FIELD)
    if story.start not in story.nodes or any(
        c.next not in story.nodes for n in story.nodes.values() for c in n.choices
    ):
        raise CourseInputError(text("conflict.scenarios.error_broken_story"), PATH_FIELD)
    if any(problem.kind == "cycle" for problem in story_problems(story)):
        raise CourseInputError(text("conflict.scenarios.error_broken_story"), PATH_FIELD)


# --- walking a story ------------------------------------------------------------------------------


@dataclass(frozen=True)
@checked()
class Step:
    node: Node
    choice_index: int
    choice: StoryChoice


@dataclass(frozen=True)
@checked()
class Walk:
    story: Story
    steps: tuple[Step, ...]
    current: Node

    @property
    def path(self) -> tuple[int, ...]:
        return tuple(step.choice_index for step in self.steps)

    @property
    def ended(self) -> bool:
        return self.current.is_ending

    @property
    def styles(self) -> tuple[str, ...]:
        """The style of each choice, in the order they were made."""
        return tuple(step.choice.style for step in self.steps)

    def style_counts(self) -> dict[str, int]:
        return {style: self.styles.count(style) for style in STYLES if style in self.styles}


def walk(story: Story, path: Sequence[Any]) -> Walk:
    """Follow ``path`` (the index of the choice taken at each node) from the start."""
    _check_well_formed(story)
    node = story.nodes[story.start]
    steps: list[Step] = []
    for index in check_items(path, text("conflict.scenarios.story"), PATH_FIELD):
        if node.is_ending:
            raise CourseInputError(text("conflict.scenarios.error_after_ending"), PATH_FIELD)
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(node.choices):
            raise CourseInputError(text("conflict.scenarios.error_no_such_choice"), PATH_FIELD)
        choice = node.choices[index]
        steps.append(Step(node, index, choice))
        node = story.nodes[choice.next]
    return Walk(story, tuple(steps), node)


# --- reflection on the group's styles ---------------------------------------------------------------

STYLES_FIELD = "ratings"


def most_used_styles(ratings: Mapping[str, str]) -> tuple[str, ...]:
    """The styles rated highest ("often" before "sometimes" before "rarely"), in ``STYLES`` order;
    empty if nothing is rated yet. Unrated styles are left out."""
    ratings = check_mapping(ratings, text("conflict.reflection.title"), STYLES_FIELD)
    for style, rating in ratings.items():
        if style not in STYLES:
            raise CourseInputError(text("conflict.reflection.error_style"), STYLES_FIELD)
        if rating not in (*RATINGS, UNRATED):
            raise CourseInputError(
                text("conflict.reflection.error_rating", style=text(f"conflict.style.{style}.name")), f"often_{style}"
            )
    rated = {style: RATINGS.index(rating) for style, rating in ratings.items() if rating != UNRATED}
    if not rated:
        return ()
    top = max(rated.values())
    return tuple(style for style in STYLES if rated.get(style) == top)
