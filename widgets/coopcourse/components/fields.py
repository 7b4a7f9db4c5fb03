"""Labelled inputs that check what is typed, say what is wrong next to themselves, and keep the
last valid value so a slip never wipes the learner's work or breaks the results."""

from __future__ import annotations

import html

import ipywidgets as widgets
import traitlets

from coopcourse.calculations.validation import Bounds, parse_number
from coopcourse.components import shared
from coopcourse.errors import CourseInputError
from coopcourse.formatting import entry
from coopcourse.text import text

LABEL = {"description_width": "initial"}


def format_number(number: float) -> str:
    """How a number is written back into a field: no trailing ``.0``, no exponent, with the
    course language's decimal mark so that ``parse_number`` reads it back."""
    return entry(number)


class MessageMixin:
    """A message under the field, made (as the field's last child) when there is first something
    to say: most fields never have one, and each widget is a model to send and a view to build."""

    children: tuple[widgets.Widget, ...]
    error: str = ""
    _message: widgets.HTML | None = None

    @property
    def message(self) -> widgets.HTML:
        if self._message is None:
            self._message = shared.html()
            self.children = (*self.children, self._message)
        return self._message

    def show_error(self, message: str) -> None:
        self.error = message
        self.message.value = f'<span class="coop-field-error" role="alert">{html.escape(message)}</span>'

    def clear_error(self) -> None:
        self.error = ""
        if self._message is not None:
            self._message.value = ""


class NumberField(MessageMixin, widgets.VBox):
    """A numeric input. ``value`` is the last valid number; ``valid`` says whether what is
    typed now is that number. Text input (not a browser number box) so that any typing, even
    "abc" or "12,5", reaches the kernel and gets an explanation rather than a silent reset."""

    value = traitlets.Any()
    valid = traitlets.Bool(True)

    @traitlets.validate("value")
    def _checked(self, proposal: dict) -> float:
        # An int for whole-number fields, a float otherwise; nothing outside the bounds.
        return self.bounds.check(proposal["value"], self.label)

    def __init__(
        self,
        label: str,
        value: float,
        bounds: Bounds = Bounds(),
        *,
        unit: str = "",
        width: str = "30em",
    ) -> None:
        self.label = label
        self.bounds = bounds
        self.entry = widgets.Text(
            value=format_number(value),
            description=f"{label} ({unit})" if unit else label,
            continuous_update=False,
            style=shared.style(widgets.Text, **LABEL),
            layout=shared.layout(width=width, max_width="100%"),
        )
        super().__init__([self.entry], layout=shared.layout())
        self.add_class("coop-field")
        self.value = bounds.check(value, label)
        self.entry.observe(self._on_typed, names="value")
        self.observe(self._on_value_set, names="value")

    def _on_typed(self, change: dict) -> None:
        try:
            number = self.bounds.read(change["new"], self.label)
        except CourseInputError as error:
            self.valid = False
            self.show_error(error.message)
            return
        self.clear_error()
        self.valid = True
        self.value = number

    def check_saved(self, value: object) -> float:
        """``value`` (from saved work or a file) as this field would hold it, or raise."""
        return self.bounds.check(value, self.label)

    def _on_value_set(self, change: dict) -> None:
        # Set from code (restoring saved work): show it in the box unless it is what is typed.
        try:
            typed = parse_number(self.entry.value, self.label)
        except CourseInputError:
            typed = None
        if typed != change["new"]:
            self.entry.value = format_number(change["new"])


class TextField(MessageMixin, widgets.VBox):
    """A free-text input; ``value`` is the text without surrounding spaces, at most
    ``max_length`` characters. The text is only ever shown escaped."""

    value = traitlets.Unicode()

    def __init__(
        self, label: str, value: str = "", *, max_length: int = 200, placeholder: str = "", width: str = "22em"
    ) -> None:
        self.label = label
        self.max_length = max_length
        self.entry = self._make_entry(
            value=value,
            description=label,
            placeholder=placeholder,
            continuous_update=False,
            layout=shared.layout(width=width, max_width="100%"),
        )
        super().__init__([self.entry], layout=shared.layout())
        self.add_class("coop-field")
        self.value = value.strip()[:max_length]
        self.entry.observe(self._on_typed, names="value")
        self.observe(self._on_value_set, names="value")

    def _make_entry(self, **options: object) -> widgets.Text | widgets.Textarea:
        return widgets.Text(style=shared.style(widgets.Text, **LABEL), **options)

    def _on_typed(self, change: dict) -> None:
        typed = change["new"].strip()
        if len(typed) > self.max_length:
            self.show_error(text("error.too_long", label=self.label, maximum=self.max_length))
            typed = typed[: self.max_length]
        else:
            self.clear_error()
        self.value = typed

    def check_saved(self, value: object) -> str:
        if not isinstance(value, str):
            raise CourseInputError(text("error.saved_value_unusable", label=self.label))
        return value.strip()[: self.max_length]

    def _on_value_set(self, change: dict) -> None:
        if self.entry.value.strip()[: self.max_length] != change["new"]:
            self.entry.value = change["new"]


class PickManyField(MessageMixin, widgets.VBox):
    """Tick any number of options (one checkbox each: works with a keyboard and on a phone).
    ``value`` is the list of ticked options, in the order of ``options``."""

    value: traitlets.List[str] = traitlets.List(traitlets.Unicode())

    def __init__(self, label: str, options: list[str] | None = None) -> None:
        self.label = label
        self.caption = shared.html(f'<span class="coop-rows-label">{html.escape(label)}</span>')
        self.boxes = shared.vbox()
        self._checkboxes: dict[str, widgets.Checkbox] = {}
        super().__init__([self.caption, self.boxes], layout=shared.layout())
        self.add_class("coop-field")
        self.observe(self._on_value_set, names="value")
        self.set_options(options or [])

    def set_options(self, options: list[str]) -> None:
        """Replace the options, keeping ticked those that remain. The checkboxes of options that
        remain are kept as they are (not rebuilt), so a keyboard user ticking one keeps focus on it
        when the exercise updates; with the same options nothing changes on the page."""
        options = list(dict.fromkeys(options))
        kept = [option for option in self.value if option in options]
        if options != list(self._checkboxes):
            boxes: dict[str, widgets.Checkbox] = {}
            for option in options:
                box = self._checkboxes.get(option)
                if box is None:
                    box = widgets.Checkbox(
                        value=option in kept,
                        description=option,
                        indent=False,
                        layout=shared.layout(),
                        style=shared.style(widgets.Checkbox),
                    )
                    box.observe(self._on_ticked, names="value")
                boxes[option] = box
            gone = [box for option, box in self._checkboxes.items() if option not in boxes]
            self._checkboxes = boxes
            self.boxes.children = list(boxes.values())
            for box in gone:
                box.unobserve(self._on_ticked, names="value")
                box.close()
        if kept != self.value:
            self.value = kept

    def check_saved(self, value: object) -> list[str]:
        if (
            not isinstance(value, list)
            or len(value) > 500
            or not all(isinstance(option, str) and len(option) <= 500 for option in value)
        ):
            raise CourseInputError(text("error.saved_value_unusable", label=self.label))
        return list(dict.fromkeys(value))

    def _on_ticked(self, _change: dict) -> None:
        self.value = [option for option, box in self._checkboxes.items() if box.value]

    def _on_value_set(self, change: dict) -> None:
        for option, box in self._checkboxes.items():
            box.value = option in change["new"]


class TextAreaField(TextField):
    """A longer free text (a plan section, a list of needs); same rules as ``TextField``."""

    def __init__(
        self,
        label: str,
        value: str = "",
        *,
        max_length: int = 3000,
        placeholder: str = "",
        rows: int = 4,
        width: str = "46em",
    ) -> None:
        self.rows = rows
        super().__init__(label, value, max_length=max_length, placeholder=placeholder, width=width)

    def _make_entry(self, **options: object) -> widgets.Text | widgets.Textarea:
        return widgets.Textarea(rows=self.rows, style=shared.style(widgets.Textarea, **LABEL), **options)


class ChoiceField(MessageMixin, widgets.VBox):
    """Pick one of a fixed list of options; ``value`` is the option's id (a string)."""

    value = traitlets.Unicode()

    def __init__(
        self, label: str, options: list[tuple[str, str]], value: str | None = None, width: str = "22em"
    ) -> None:
        self.label = label
        self.option_ids = [option_id for _, option_id in options]
        start = value if value in self.option_ids else self.option_ids[0]
        self.entry = widgets.Dropdown(
            options=options,
            value=start,
            description=label,
            style=shared.style(widgets.Dropdown, **LABEL),
            layout=shared.layout(width=width, max_width="100%"),
        )
        super().__init__([self.entry], layout=shared.layout())
        self.add_class("coop-field")
        self.value = start
        self.entry.observe(lambda change: setattr(self, "value", change["new"]), names="value")
        self.observe(self._on_value_set, names="value")

    def check_saved(self, value: object) -> str:
        if value not in self.option_ids:
            raise CourseInputError(text("error.saved_value_unusable", label=self.label))
        return str(value)

    def _on_value_set(self, change: dict) -> None:
        if change["new"] not in self.option_ids:
            self.value = change["old"]  # a stale or forged value: keep what was chosen
        elif self.entry.value != change["new"]:
            self.entry.value = change["new"]
