"""Widgets built when first needed, and layout and style models shared: they still work.

A page sends one model per widget, Layout and Style. Hints, explanations and a field's message
are made when first shown; widgets that never change their layout or style share one; the
course stylesheet is one widget per kernel. These tests check that each still behaves as before
when it is finally used, and that a shared model can never be changed by one of its widgets."""

from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as widgets
import pytest

from coopcourse.calculations.validation import Bounds
from coopcourse.components import Chart, ConfirmButton, Feedback, NumberField, ResultsTable, TextField, shared
from coopcourse.components import chart as chart_module
from coopcourse.components.frame import course_style
from coopcourse.components.question import QuestionCard
from coopcourse.exercises import start_coop
from coopcourse.exercises.common import scenario_values, scenarios
from coopcourse.exercises.self_check import self_check
from coopcourse.saving import current_session
from coopcourse.text import text
from tests.components.frames import results, walk


def _card_with_hints() -> QuestionCard:
    quiz = results(self_check("think_coop", "definition"))[0]
    return next(card for card in quiz.cards if len(card.question.hints) >= 2)


# A card's hints and explanation are no widgets at all now (the quiz is one model, drawn by
# quiz.js): they are markup in the card's state, empty until asked for.
def test_a_card_shows_its_hints_one_at_a_time_when_asked() -> None:
    card = _card_with_hints()
    assert card.state()["hints"] == ""
    card.next_hint()
    assert html.escape(card.question.hints[0]) in card.state()["hints"]
    assert html.escape(card.question.hints[1]) not in card.state()["hints"]
    assert card.state()["hint_label"] == text("question.hint_button", shown=1, total=len(card.question.hints))
    card.next_hint()
    assert html.escape(card.question.hints[1]) in card.state()["hints"]


def test_a_card_shows_its_explanation_when_revealed() -> None:
    card = _card_with_hints()
    assert card.state()["explanation"] == ""
    card.reveal_explanation()
    assert card.state()["explain_disabled"]
    assert html.escape(card.question.explanation) in card.state()["explanation"]


def test_opened_hints_stay_in_oral_mode_and_after_the_vote() -> None:
    card = _card_with_hints()
    card.next_hint()
    card.set_oral(True)
    assert card.state()["voting"] and card.state()["hints"]
    card.voted()
    assert not card.state()["voting"] and card.state()["hints"]


def test_a_field_makes_its_message_on_the_first_error_and_clears_it() -> None:
    field = NumberField("Price", 10, Bounds(minimum=0))
    assert field.children == (field.entry,)
    field.entry.value = "abc"
    assert not field.valid and field.children[-1] is field.message
    assert 'role="alert"' in field.message.value and html.escape(field.error) in field.message.value
    field.entry.value = "12"
    assert field.valid and field.value == 12 and field.message.value == "" and field.error == ""


def test_a_text_field_cut_to_length_says_so_next_to_itself() -> None:
    field = TextField("Name", max_length=5)
    field.entry.value = "far too long"
    assert field.value == "far t" and field.children[-1] is field.message
    assert text("error.too_long", label="Name", maximum=5) in html.unescape(field.message.value)


def test_shared_layouts_and_styles_refuse_changes() -> None:
    one, two = Feedback(), Feedback()
    assert one.layout is two.layout and one.style is two.style
    with pytest.raises(AttributeError):
        one.layout.display = "none"
    with pytest.raises(AttributeError):
        one.style.font_size = "40px"
    assert two.layout.display is None and two.style.font_size is None


def test_widgets_that_are_shown_and_hidden_have_a_layout_of_their_own() -> None:
    button = ConfirmButton("Load", lambda: None, "It replaces your work")
    assert button.confirm.layout is not button.cancel.layout
    button.button.click()
    assert button.confirm.layout.display is None and button.button.layout.display is None
    frame = start_coop.feasibility_calculator()
    hidden = frame.fields["planned_use"]
    assert all(hidden.layout is not w.layout for w in walk(frame) if w is not hidden and hasattr(w, "layout"))


def test_a_closed_shared_model_is_replaced_by_a_fresh_one() -> None:
    layout = shared.layout(width="3em")
    layout.close()
    again = shared.layout(width="3em")
    assert again is not layout and again.comm is not None and again.width == "3em"
    style = course_style()
    assert course_style() is style
    style.close()
    assert course_style() is not style and "<style>" in course_style().value


def test_the_stylesheet_is_one_widget_in_every_exercise() -> None:
    first, second = start_coop.feasibility_calculator(), start_coop.business_ideas()
    assert course_style() in first.children and course_style() in second.children


def test_a_table_takes_columns_or_rows_and_builds_a_dataframe_only_when_read() -> None:
    table = ResultsTable("Costs")
    assert table.frame is None
    table.show({"Member": ["Ana", "Bao & Co"], "Cost": ["1.00", "2.00"]})
    assert "Bao &amp; Co" in table.value and 'class="coop-num"' in table.value
    assert table.frame is not None and list(table.frame["Member"]) == ["Ana", "Bao & Co"]
    table.show([("Ana", None), ("Bao", float("nan"))], columns=["Member", "Cost"])
    assert table.rows[0] == ["Ana", None] and table.value.count('<td class="coop-text"></td>') == 2
    assert list(table.frame.columns) == ["Member", "Cost"] and len(table.frame) == 2
    with pytest.raises(ValueError):
        table.show({"Member": ["Ana", "Bao"], "Cost": ["1.00"]})


def test_a_shared_layout_is_one_model_for_many_widgets() -> None:
    fields = [NumberField(f"Field {n}", n) for n in range(5)]
    assert len({id(f.layout) for f in fields}) == 1
    assert len({id(f.entry.layout) for f in fields}) == 1
    assert len({id(f.entry.style) for f in fields}) == 1
    assert isinstance(fields[0].entry.style, widgets.widget_string.TextStyle)


@pytest.fixture
def drawings(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every figure matplotlib draws from now on."""
    made: list[object] = []
    real = chart_module.Figure

    class Counted(real):  # type: ignore[misc, valid-type]
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(chart_module, "Figure", Counted)
    return made


@pytest.fixture
def chart_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(chart_module.CACHE_VARIABLE, str(tmp_path / "charts"))
    return tmp_path / "charts"


def _chart(frame: widgets.Widget) -> Chart:
    (chart,) = [w for w in walk(frame) if isinstance(w, Chart)]
    return chart


def test_the_opening_chart_is_kept_and_shown_again_without_drawing(chart_cache: Path, drawings: list) -> None:
    first = _chart(start_coop.feasibility_calculator())
    assert len(drawings) == 1 and len(list(chart_cache.rglob("*.png"))) == 1
    frame = start_coop.feasibility_calculator()
    again = _chart(frame)
    assert len(drawings) == 1, "the kept drawing was drawn again"
    assert again.value == first.value and again.alt_text == first.alt_text and again.draw_count == 1
    frame.fields["price"].value = frame.fields["price"].value + 1
    assert len(drawings) == 2 and again.value != first.value  # a change is always drawn
    assert len(list(chart_cache.rglob("*.png"))) == 1  # and never kept


def test_a_new_version_of_the_course_removes_the_drawings_of_older_ones(chart_cache: Path, drawings: list) -> None:
    older = chart_cache / ("0" * 32)
    older.mkdir(parents=True)
    (older / "old.png").write_bytes(b"not shown again")
    elsewhere = chart_cache / "notes"  # not a version's folder: left alone
    elsewhere.mkdir()
    start_coop.feasibility_calculator()
    (kept,) = chart_cache.rglob("*.png")
    assert kept.parent.name == chart_module.course_version()[:32]
    assert not older.exists() and elsewhere.is_dir()


def test_other_starting_values_or_a_learners_page_are_drawn(chart_cache: Path, drawings: list) -> None:
    start_coop.feasibility_calculator()
    start_coop.feasibility_calculator(scenario=_other_scenario())
    assert len(drawings) == 2
    start_coop.feasibility_calculator(scenario=_other_scenario())
    assert len(drawings) == 2
    current_session().open("Kept charts group")  # a learner's page may hold saved work
    before = len(drawings)
    start_coop.feasibility_calculator()
    assert len(drawings) > before


def test_no_chart_is_kept_when_the_cache_is_off(tmp_path: Path, drawings: list) -> None:
    assert chart_module.cache_dir() is None  # tests/conftest.py turns it off
    start_coop.feasibility_calculator()
    start_coop.feasibility_calculator()
    assert len(drawings) == 2


def _other_scenario() -> str:
    default = scenario_values("feasibility", None)
    for entry in scenarios("feasibility"):
        if scenario_values("feasibility", entry["id"]) != default:
            return str(entry["id"])
    raise AssertionError("the feasibility calculator has one scenario only")
