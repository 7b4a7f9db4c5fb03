"""The frame every exercise shares: title, instructions, inputs, results and a feedback line.

``ExerciseFrame.bind`` wires inputs to an update function and runs it guarded: a learner's
mistake (``CourseInputError``) is shown next to the field at fault or in the feedback line; an
unexpected failure is logged and shown as a calm message, and the inputs stay as they are.
"""

from __future__ import annotations

import dataclasses
import html
import json
import logging
import typing
from collections.abc import Callable, Mapping
from importlib import resources
from typing import TYPE_CHECKING, Any, TypeVar

import ipywidgets as widgets

from coopcourse.components import shared
from coopcourse.components.chart import Chart
from coopcourse.components.feedback import Feedback
from coopcourse.errors import CourseInputError
from coopcourse.formatting import Currency, money_in
from coopcourse.saving import current_profile, current_session
from coopcourse.text import current_language, text

if TYPE_CHECKING:
    from _typeshed import DataclassInstance


def page_currency() -> Currency | None:
    """The money of the page's country profile (the group's or the server's); None with no country."""
    profile = current_profile()
    if not profile.currency_code:
        return None
    return Currency(profile.currency_code, profile.currency_symbol, profile.id.upper())


log = logging.getLogger("coopcourse")

Form = TypeVar("Form", bound="DataclassInstance")


_STYLE: dict[str, widgets.HTML] = {}


def course_style() -> widgets.HTML:
    """The course stylesheet as a widget, so it travels with every app (no external file). One
    widget per kernel, shown in every exercise of the page: its 9 KB are sent once, not each time."""
    style = _STYLE.get("css")
    if style is None or style.comm is None:  # first use, or closed (Widget.close_all)
        css = (resources.files("coopcourse") / "components" / "course.css").read_text(encoding="utf-8")
        style = _STYLE["css"] = shared.html(f"<style>{css}</style>", layout=shared.layout(display="none"))
    return style


def read_form(form: type[Form], state: Mapping[str, object], **given: Any) -> Form:
    """``form`` (a dataclass) from an exercise's saved or current state: the keys that are fields
    of ``form``, then ``given``. A whole number saved as ``3.0`` (course versions before whole-number
    fields gave ``int``) is read as ``3`` where ``form`` declares an ``int``."""
    hints = typing.get_type_hints(form)
    values: dict[str, Any] = {}
    for spec in dataclasses.fields(form):
        if spec.name not in state:
            continue
        value = state[spec.name]
        if hints.get(spec.name) is int and isinstance(value, float) and value.is_integer():
            value = int(value)
        values[spec.name] = value
    return form(**{**values, **given})


def check_saved_value(field: widgets.Widget, value: object) -> object:
    """``value`` as ``field`` would hold it, or raise. Course fields know their own rules
    (``check_saved``); a plain ipywidgets input is checked by its ``value`` trait (type, and
    for a selection, that the value is one of its options)."""
    check = getattr(field, "check_saved", None)
    if check is not None:
        return check(value)
    return field.traits()["value"]._validate(field, value)


def _tree(widget: widgets.Widget) -> list[widgets.Widget]:
    found = [widget]
    for child in getattr(widget, "children", ()):
        found += _tree(child)
    return found


class ExerciseFrame(shared.BriefRepr, widgets.VBox):
    def __init__(
        self,
        exercise_id: str,
        title: str,
        instructions: str,
        inputs: Mapping[str, widgets.DOMWidget],
        results: list[widgets.Widget],
    ) -> None:
        self.exercise_id = exercise_id
        self.title = title
        self.fields = dict(inputs)
        self.feedback = Feedback()
        self.updates = 0
        # Title and instructions never change: one widget.
        heading = shared.html(
            f'<h3 class="coop-title">{html.escape(title)}</h3>'
            f'<p class="coop-instructions">{html.escape(instructions)}</p>'
        )
        self.tools = shared.vbox()
        inputs_box = shared.vbox(list(self.fields.values()))
        inputs_box.add_class("coop-inputs")
        results_box = shared.vbox(results)
        results_box.add_class("coop-results")
        super().__init__(
            [course_style(), heading, self.tools, inputs_box, self.feedback, results_box], layout=shared.layout()
        )
        self.add_class("coop-exercise")
        self._update: Callable[[], None] | None = None
        self._holding = False
        self._errors_shown: set[str] = set()  # fields showing a message from the last update
        self.initial_state: dict[str, object] = {}
        self.change_listeners: list[Callable[[ExerciseFrame], None]] = []

    def repr_detail(self) -> str:
        return repr(getattr(self, "exercise_id", ""))

    @property
    def applying(self) -> bool:
        """True while inputs are being set from saved work or a scenario, not by the learner."""
        return self._holding

    @property
    def edited(self) -> bool:
        """Whether the learner changed anything since the exercise was shown."""
        return self.state() != self.initial_state

    def state(self) -> dict[str, object]:
        """Every input's value, JSON-friendly: what is saved, and what a scenario presets."""
        return {key: field.value for key, field in self.fields.items()}

    def read(self, form: type[Form], **given: Any) -> Form:
        """The inputs as ``form``, a dataclass whose fields are named like the exercise's inputs
        (a calculation's inputs, usually); ``given`` supplies or overrides fields built another
        way (rows turned into records, say). Each field's value already has its declared type:
        a whole-number field gives an ``int``."""
        return read_form(form, self.state(), **given)

    def check_values(self, values: Mapping[str, object]) -> tuple[dict[str, object], list[str]]:
        """Saved or uploaded values as this exercise's fields would hold them, and the labels of
        the fields whose value does not fit (wrong type, out of range, rows of the wrong shape).
        Keys of fields this exercise no longer has are left out."""
        accepted: dict[str, object] = {}
        rejected: list[str] = []
        for key, value in values.items():
            field = self.fields.get(key)
            if field is None:
                continue
            try:
                accepted[key] = check_saved_value(field, value)
            except Exception:
                rejected.append(str(getattr(field, "label", None) or getattr(field, "description", None) or key))
        return accepted, rejected

    def apply(self, values: Mapping[str, object]) -> list[str]:
        """Set inputs from saved work or a scenario, then update the results once. Each value is
        checked against its field first: the labels of those that do not fit are returned, and
        those fields keep what they show."""
        accepted, rejected = self.check_values(values)
        self._holding = True
        try:
            for key, value in accepted.items():
                self.fields[key].value = value
        finally:
            self._holding = False
        self._changed()
        return rejected

    def bind(self, update: Callable[[], None]) -> ExerciseFrame:
        """Run ``update`` now and whenever any input's ``value`` changes; register the exercise
        with the kernel's saved-work session so its inputs are saved and restored."""
        self._update = update
        for field in self.fields.values():
            field.observe(lambda _change: self._changed(), names="value")
            if field.has_trait("valid"):
                # A slip never changes `value`; the feedback line must still stop saying "well done".
                field.observe(lambda _change: self.refresh(), names="valid")
        charts = [widget for widget in _tree(self) if isinstance(widget, Chart)]
        if current_session().learner is None:
            # Nothing comes from saved work yet: the opening drawings depend on these alone, and
            # every kernel opening this page draws the same ones (kept once, see Chart).
            opening = json.dumps(
                [self.exercise_id, self.state(), current_language(), current_profile().id],
                sort_keys=True,
                default=str,
            )
            for index, chart in enumerate(charts):
                chart.cache_key = f"{opening}|{index}"
        try:
            self.refresh()
        finally:
            for chart in charts:
                chart.cache_key = None
        self.initial_state = self.state()
        current_session().register(self)
        return self

    def _changed(self) -> None:
        if self._holding:
            return
        self.refresh()
        for listener in self.change_listeners:
            listener(self)

    def refresh(self) -> None:
        if self._update is None:
            return
        if not all(getattr(field, "valid", True) for field in self.fields.values()):
            self.feedback.show("warning", text("feedback.fix_fields"))
            return
        # Take back only the messages an earlier update put next to a field: a field's own
        # message (a text cut to its longest length, say) stays until the field clears it.
        for key in sorted(self._errors_shown):
            field = self.fields.get(key)
            if field is not None and hasattr(field, "clear_error") and getattr(field, "valid", True):
                field.clear_error()
        self._errors_shown.clear()
        if self._run(self._update):
            self.updates += 1

    def guard(self, action: Callable[[], None]) -> Callable[[object], None]:
        """A button handler running ``action`` with the same care as an update: a learner's
        mistake is shown next to its field, an unexpected failure never as a traceback."""

        def handler(_button: object) -> None:
            self._run(action)

        return handler

    def _run(self, action: Callable[[], None]) -> bool:
        try:
            with money_in(page_currency()):  # amounts in the group's country's money
                action()
        except CourseInputError as error:
            field = self.fields.get(error.field or "")
            if field is not None and hasattr(field, "show_error"):
                field.show_error(error.message)
                self._errors_shown.add(error.field or "")
            self.feedback.show("warning", error.message)
        except Exception:
            log.exception("exercise %s failed", self.exercise_id)
            self.feedback.show("internal", text("feedback.internal_error"))
        else:
            return True
        return False
