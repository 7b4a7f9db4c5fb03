"""A list of ready example scenarios (or scenario cards), the story of the one chosen, and a button
that loads it once the learner confirms (it replaces what they typed)."""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets

from coopcourse.components import shared
from coopcourse.components.confirm import ConfirmButton
from coopcourse.text import text


@dataclass(frozen=True)
class PickerTexts:
    """The text keys of a picker: the list's label, the load button, the warning before loading."""

    choose: str = "scenario.choose"
    load: str = "scenario.load"
    warning: str = "scenario.replace_warning"


class ScenarioPicker(widgets.VBox):
    """``scenarios`` are content entries with an ``id``, a ``title``, a ``story`` and maybe a
    ``source``; ``load`` is given the chosen id after the learner confirms."""

    def __init__(
        self, scenarios: Sequence[Mapping[str, Any]], load: Callable[[str], object], texts: PickerTexts = PickerTexts()
    ) -> None:
        self.scenarios = tuple(scenarios)
        self.choose = widgets.Dropdown(
            options=[(s["title"], s["id"]) for s in self.scenarios],
            description=text(texts.choose),
            style=shared.style(widgets.Dropdown, description_width="initial"),
            layout=shared.layout(width="auto", max_width="100%"),
        )
        self.story = shared.html()
        self.load = ConfirmButton(text(texts.load), lambda: load(self.choose.value), text(texts.warning))
        super().__init__([self.choose, self.story, self.load], layout=shared.layout())
        self.add_class("coop-scenarios")
        self.choose.observe(lambda _change: self.show_story(), names="value")
        self.show_story()

    def show_story(self) -> None:
        chosen = next(s for s in self.scenarios if s["id"] == self.choose.value)
        source = (
            f" <em>{html.escape(text('scenario.source'))} {html.escape(chosen['source'])}</em>"
            if chosen.get("source")
            else ""
        )
        self.story.value = f'<p class="coop-instructions">{html.escape(chosen["story"])}{source}</p>'
