"""Pieces every exercise uses: number formatting, scenario pickers."""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

from coopcourse import content
from coopcourse.components import ConfirmButton, ExerciseFrame
from coopcourse.text import text


def money(amount: float) -> str:
    return f"{amount:,.2f}"


def amount(number: float) -> str:
    return f"{number:,.0f}" if float(number).is_integer() else f"{number:,.2f}"


def percent(number: float) -> str:
    return f"{number:.1f}%"


def scenarios(exercise: str) -> list[dict[str, Any]]:
    return list(content.load(f"scenarios/{exercise}")["scenarios"])


def scenario_values(exercise: str, scenario_id: str | None = None) -> dict[str, Any]:
    """The preset values of one scenario (the first if none is named)."""
    for scenario in scenarios(exercise):
        if scenario_id in (None, scenario["id"]):
            return dict(scenario["values"])
    raise KeyError(scenario_id)


def scenario_picker(exercise: str, frame: ExerciseFrame) -> widgets.VBox:
    """A list of the exercise's example scenarios, with its story, and a button that loads one
    after the learner confirms (it replaces what they typed)."""
    options = [(s["title"], s["id"]) for s in scenarios(exercise)]
    choose = widgets.Dropdown(options=options, description=text("scenario.choose"),
                              style={"description_width": "initial"},
                              layout=widgets.Layout(width="auto", max_width="100%"))
    story = widgets.HTML()

    def show_story(_change: object = None) -> None:
        chosen = next(s for s in scenarios(exercise) if s["id"] == choose.value)
        source = f' <em>{html.escape(text("scenario.source"))} {html.escape(chosen["source"])}</em>' if chosen.get("source") else ""
        story.value = f'<p class="coop-instructions">{html.escape(chosen["story"])}{source}</p>'

    choose.observe(show_story, names="value")
    show_story()
    load = ConfirmButton(text("scenario.load"), lambda: frame.apply(scenario_values(exercise, choose.value)),
                         text("scenario.replace_warning"))
    box = widgets.VBox([choose, story, load])
    box.add_class("coop-scenarios")
    frame.tools.children = [*frame.tools.children, box]
    return box
