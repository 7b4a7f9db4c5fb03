"""Manage.Coop module 3, conflict management: branching conflict stories set in cooperatives,
and a reflection on the ways a group handles conflict."""

from __future__ import annotations

import html
import string

import ipywidgets as widgets

from coopcourse import content
from coopcourse.calculations import conflict as cn
from coopcourse.components import ChoiceField, ExerciseFrame, TextAreaField, shared
from coopcourse.components.story import StoryPlayer
from coopcourse.text import text

SCENARIOS = "manage_coop.conflict_scenarios"
REFLECTION = "manage_coop.conflict_styles"


def stories() -> tuple[cn.Story, ...]:
    """Every conflict story shipped with the course, in file order."""
    return tuple(cn.story_from_data(s) for s in content.load("conflict_scenarios")["scenarios"])


def style_name(style: str) -> str:
    return text(f"conflict.style.{style}.name")


def conflict_scenarios(scenario_id: str | None = None) -> ExerciseFrame:
    """Pick a story, make the group's choices one by one, see what each leads to and why."""
    by_id = {story.id: story for story in stories()}
    if scenario_id is not None and scenario_id not in by_id:
        raise ValueError(f"no conflict story {scenario_id!r}; known: {', '.join(by_id)}")
    picker = ChoiceField(
        text("conflict.scenarios.choose"), [(s.title, s.id) for s in by_id.values()], scenario_id, width="34em"
    )
    player = StoryPlayer(back_label=text("conflict.scenarios.back"), restart_label=text("conflict.scenarios.restart"))
    frame = ExerciseFrame(
        SCENARIOS,
        text("conflict.scenarios.title"),
        text("conflict.scenarios.instructions"),
        {"scenario": picker, "paths": player},
        [],
    )

    def update() -> None:
        story = by_id[picker.value]
        player.set_story(story.id)
        walk = cn.walk(story, player.path)
        sections: list[tuple[str, list[str], bool]] = [(text("conflict.scenarios.setting"), [story.setting], False)]
        if walk.steps:
            sections.append(
                (
                    text("conflict.scenarios.path"),
                    [
                        text(
                            "conflict.scenarios.path_item",
                            choice=step.choice.label,
                            style=style_name(step.choice.style),
                        )
                        for step in walk.steps
                    ],
                    True,
                )
            )
            last = walk.steps[-1].choice
            sections.append(
                (
                    text("conflict.scenarios.what_happened"),
                    [
                        last.consequence,
                        f"{text('conflict.scenarios.why')} {last.why}",
                        text("conflict.scenarios.style_was", style=style_name(last.style)),
                    ],
                    False,
                )
            )
        node = walk.current
        if walk.ended:
            sections.append(
                (
                    text(f"conflict.outcome.{node.outcome}"),
                    [node.text, f"{text('conflict.scenarios.lesson')} {node.lesson}"],
                    False,
                )
            )
            counts = ", ".join(
                text("conflict.scenarios.style_count", style=style_name(s), count=n)
                for s, n in walk.style_counts().items()
            )
            frame.feedback.show(
                "success" if node.outcome == "resolved" else "info",
                text(
                    "conflict.scenarios.summary_end",
                    outcome=text(f"conflict.outcome.{node.outcome}"),
                    steps=len(walk.steps),
                    styles=counts,
                ),
            )
        else:
            sections.append((text("conflict.scenarios.situation"), [node.text], False))
            frame.feedback.show(
                "info",
                text("conflict.scenarios.summary_step", step=len(walk.steps))
                if walk.steps
                else text("conflict.scenarios.summary_start"),
            )
        choices = [] if walk.ended else [f"{string.ascii_uppercase[i]}. {c.label}" for i, c in enumerate(node.choices)]
        player.show(sections, text("conflict.scenarios.what_next"), choices)

    return frame.bind(update)


def conflict_styles_reflection() -> ExerciseFrame:
    """How often the group uses each of the five ways of handling conflict, with its own examples."""
    ratings = [(text(f"conflict.rating.{r}"), r) for r in (cn.UNRATED, *cn.RATINGS)]
    fields: dict[str, widgets.DOMWidget] = {}
    for style in cn.STYLES:
        fields[f"often_{style}"] = ChoiceField(
            text("conflict.reflection.often_of", style=style_name(style), short=text(f"conflict.style.{style}.short")),
            ratings,
            cn.UNRATED,
            width="56em",
        )
        fields[f"example_{style}"] = TextAreaField(
            text("conflict.reflection.example_of", style=style_name(style)),
            rows=2,
            max_length=1000,
            placeholder=text("conflict.reflection.example_placeholder"),
            width="56em",
        )
    tips = shared.html()
    summary = shared.html()
    frame = ExerciseFrame(
        REFLECTION, text("conflict.reflection.title"), text("conflict.reflection.instructions"), fields, [tips, summary]
    )

    def update() -> None:
        given = {style: fields[f"often_{style}"].value for style in cn.STYLES}
        top = cn.most_used_styles(given)
        summary.value = _styles_summary(given, {s: fields[f"example_{s}"].value for s in cn.STYLES})
        notes = []
        if "avoiding" in top and given["avoiding"] != "rarely":
            notes.append(text("conflict.reflection.avoiding_often"))
        if given["collaborating"] == "rarely":
            notes.append(text("conflict.reflection.collaborating_rarely"))
        tips.value = (
            ('<ul class="coop-reasons">' + "".join(f"<li>{html.escape(n)}</li>" for n in notes) + "</ul>")
            if notes
            else ""
        )
        if not top:
            frame.feedback.show("info", text("conflict.reflection.nothing_rated"))
            return
        names = [style_name(s) for s in top]
        joined = (
            names[0] if len(names) == 1 else (f"{', '.join(names[:-1])} {text('conflict.reflection.and')} {names[-1]}")
        )
        unrated = [style_name(s) for s in cn.STYLES if given[s] == cn.UNRATED]
        message = text(
            "conflict.reflection.most_used", styles=joined, rating=text(f"conflict.rating.{given[top[0]]}").lower()
        )
        message += " " + (
            text("conflict.reflection.still_unrated", styles=", ".join(unrated))
            if unrated
            else text("conflict.reflection.all_rated")
        )
        frame.feedback.show("success", message)

    return frame.bind(update)


def _styles_summary(given: dict[str, str], examples: dict[str, str]) -> str:
    """Each style with how often the group uses it, when it helps and harms, and the group's example
    (typed text, escaped)."""
    parts = [
        f'<p class="coop-rows-label">{html.escape(text("conflict.reflection.table_caption"))}</p>'
        '<dl class="coop-styles">'
    ]
    for style in cn.STYLES:
        rows = [
            (text("conflict.reflection.col_how_often"), text(f"conflict.rating.{given[style]}")),
            (text("conflict.reflection.col_helps"), text(f"conflict.style.{style}.helps")),
            (text("conflict.reflection.col_harms"), text(f"conflict.style.{style}.harms")),
            (text("conflict.reflection.col_example"), examples[style] or text("conflict.reflection.no_example")),
        ]
        body = "".join(f"<li><strong>{html.escape(k)}:</strong> {html.escape(v)}</li>" for k, v in rows)
        parts.append(f"<dt><strong>{html.escape(style_name(style))}</strong></dt><dd><ul>{body}</ul></dd>")
    parts.append("</dl>")
    return "".join(parts)
