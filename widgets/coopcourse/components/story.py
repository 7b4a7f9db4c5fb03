"""A player for branching stories: the situation, one button per choice, back one step, restart.

``value`` maps each story's id to the choices taken so far (their indices, from the start), so
every story keeps its own progress, and the whole is JSON-friendly: it is saved with the exercise
and restored from it. The player knows nothing about the stories themselves: the exercise reads
``path``, works out where the group is, and calls ``show`` with plain strings (always escaped).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

import ipywidgets as widgets
import traitlets

from coopcourse.components import shared
from coopcourse.components.fields import MessageMixin


class StoryPlayer(MessageMixin, widgets.VBox):
    value = traitlets.Dict()

    def __init__(self, *, back_label: str, restart_label: str) -> None:
        self.story_id = ""
        self.text = shared.html()
        self.prompt = shared.html()
        self.choices_box = shared.vbox()
        self.choice_buttons: list[widgets.Button] = []
        self.back_button = shared.button(description=back_label, icon="undo", layout=shared.layout(width="auto"))
        self.restart_button = shared.button(
            description=restart_label, icon="refresh", layout=shared.layout(width="auto")
        )
        controls = shared.hbox([self.back_button, self.restart_button], layout=shared.layout(flex_flow="row wrap"))
        super().__init__([self.text, self.prompt, self.choices_box, controls], layout=shared.layout())
        self.add_class("coop-story")
        self.back_button.on_click(lambda _b: self.back())
        self.restart_button.on_click(lambda _b: self.restart())

    @property
    def path(self) -> list:
        """The choices taken in the story shown now."""
        return list(self.value.get(self.story_id, []))

    def set_story(self, story_id: str) -> None:
        """Show another story (its own saved progress, if any); the exercise then calls ``show``."""
        self.story_id = story_id

    def choose(self, index: int) -> None:
        self.value = {**self.value, self.story_id: [*self.path, index]}

    def back(self) -> None:
        if self.path:
            self.value = {**self.value, self.story_id: self.path[:-1]}

    def restart(self) -> None:
        if self.path:
            self.value = {**self.value, self.story_id: []}

    def show(self, sections: Sequence[tuple[str, Sequence[str], bool]], prompt: str, choices: Sequence[str]) -> None:
        """``sections``: (heading, paragraphs, numbered) shown in order; then ``prompt`` and one
        button per choice (none at an ending)."""
        parts = []
        for heading, paragraphs, numbered in sections:
            body = (
                "<ol>" + "".join(f"<li>{html.escape(p)}</li>" for p in paragraphs) + "</ol>"
                if numbered
                else "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
            )
            parts.append(f'<div class="coop-story-section"><h4>{html.escape(heading)}</h4>{body}</div>')
        self.text.value = "".join(parts)
        self.prompt.value = f'<p class="coop-question">{html.escape(prompt)}</p>' if prompt and choices else ""
        self.choice_buttons = []
        for index, label in enumerate(choices):
            button = shared.button(
                description=label, tooltip=label, layout=shared.layout(width="auto", height="auto", max_width="100%")
            )
            button.add_class("coop-story-choice")
            button.on_click(self._chooser(index))
            self.choice_buttons.append(button)
        self.choices_box.children = self.choice_buttons
        self.back_button.disabled = self.restart_button.disabled = not self.path

    def _chooser(self, index: int) -> Callable[[object], None]:
        return lambda _button: self.choose(index)
