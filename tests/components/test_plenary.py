"""The plenary view's computations (``coopcourse.plenary``) on work saved by the course's own
exercises, driven like a group on its page, and on damaged or foreign saved values; and the view
(``coopcourse.plenary_view``) showing it. The store is read, never written."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import sqlite3
import time
from pathlib import Path

import pytest

from coopcourse import plenary as pl
from coopcourse.calculations import feasibility as fz
from coopcourse.exercises import start_coop, think_coop
from coopcourse.exercises.manage_coop import finance, governance
from coopcourse.plenary_view import ExerciseBoard, PlenaryView
from coopcourse.saving import current_session, start_new_session
from coopcourse.store import WorkStore
from coopcourse.text import text
from tests.components.frames import type_into
from tests.conftest import check_learner_message
from tests.notebooks import english_notebooks


@pytest.fixture(autouse=True)
def own_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store of this test's own: the shared test store holds other tests' groups."""
    monkeypatch.setenv("COOPCOURSE_DATA_DIR", str(tmp_path))
    start_new_session()
    return tmp_path


def _as(group: str) -> None:
    """A new page (kernel) on which ``group`` opened its work."""
    start_new_session().open(group)


def _rows(exercise: pl.Exercise) -> list[pl.Row]:
    store = WorkStore()
    return pl.exercise_rows(exercise, store.entries_of(exercise.id, list(store.learners_since(0))))


def _by_group(rows: list[pl.Row]) -> dict[str, pl.Row]:
    return {row.group: row for row in rows}


def test_feasibility_of_two_groups_side_by_side_from_their_own_pages() -> None:
    _as("Group One")
    first = start_coop.feasibility_calculator()
    type_into(first, "expected_volume", "5500")
    _as("Group Two")
    second = start_coop.feasibility_calculator()
    type_into(second, "expected_volume", "100")
    rows = _by_group(_rows(pl.FEASIBILITY))
    assert set(rows) == {"group one", "group two"}
    for row, frame in ((rows["group one"], first), (rows["group two"], second)):
        # The same calculations the page ran, on what the page saved.
        inputs = start_coop.feasibility_inputs(frame.state())
        result = fz.analyse(inputs)
        decision = fz.go_no_go(inputs, result).decision
        assert row.cells[text("plenary.col_decision")] == text(f"plenary.decision_{decision.value}")
        assert row.numbers["break_even"] == result.break_even_volume
        assert row.numbers["expected"] == inputs.expected_volume
        assert not row.problem
    assert rows["group one"].cells[text("plenary.col_expected")] == "5,500"
    assert rows["group two"].cells[text("plenary.col_decision")] == text("plenary.decision_no_go")
    assert rows["group one"].cells[text("plenary.col_decision")] != text("plenary.decision_no_go")


def test_readiness_verdicts_from_the_checklist() -> None:
    _as("Yes group")
    frame = think_coop.readiness_checklist()
    for picker in frame.fields.values():
        picker.value = "yes"
    _as("Half group")
    half = think_coop.readiness_checklist()
    keys = list(half.fields)
    for key in keys[: len(keys) // 2]:
        half.fields[key].value = "no"
    rows = _by_group(_rows(pl.READINESS))
    assert rows["yes group"].cells[text("plenary.col_verdict")] == text("plenary.readiness_ready")
    assert rows["yes group"].numbers["score"] == 100.0
    assert rows["half group"].cells[text("plenary.col_verdict")] == text("plenary.readiness_incomplete")
    assert rows["half group"].numbers["score"] == 0.0


def test_role_play_motions_and_votes() -> None:
    _as("Assembly")
    tracker = governance.role_play_tracker()
    tracker.fields["present"].value = ["Amina", "Bao", "Carlos", "Dewi"]
    for name, choice in {"Amina": "for", "Bao": "for", "Carlos": "for", "Dewi": "against"}.items():
        tracker.fields["votes"].toggles[name].value = choice
    tracker.fields["votes"].record_button.click()
    rows = _rows(pl.ROLE_PLAY)
    assert len(rows) == 1
    motion = tracker.fields["motions"].value[0]["text"]
    assert rows[0].cells[text("plenary.col_motion")] == motion
    assert rows[0].cells[text("plenary.col_votes")] == text("plenary.votes", votes_for=3, against=1, abstain=0)
    assert rows[0].cells[text("plenary.col_result")] == text("meeting.result_carried")


def test_surplus_split_adds_up_to_the_net_surplus() -> None:
    _as("Rice")
    frame = finance.surplus_distribution()
    type_into(frame, "net_surplus", "200000")
    (row,) = _rows(pl.SURPLUS)
    assert not row.problem
    assert sum(row.numbers.values()) == pytest.approx(200000)
    assert set(row.numbers) == {"reserve", "education", "community", "optional", "isc", "refunds"}


def test_self_check_scores_from_the_saved_answers() -> None:
    from coopcourse.exercises.self_check import self_check

    _as("Quiz Group")
    frame = self_check("start_coop", "feasibility")
    quiz = frame.children[-1].children[0]
    first, second = quiz.cards[:2]
    for card, right in ((first, True), (second, False)):
        if card.question.kind == "choice":
            card.put_answer(next(c.id for c in card.question.choices if c.correct is right))
        else:
            card.put_answer(card.question.answer + (0 if right else 1000 + 10 * card.question.tolerance))
        card.check()
    (exercise,) = [e for e in pl.module("start_coop/02_feasibility.ipynb").exercises if e.quiz]
    (row,) = _rows(exercise)
    total = len(quiz.cards)
    assert row.cells[text("plenary.col_right")] == text("plenary.of_total", count=1, total=total)
    assert row.cells[text("plenary.col_tried")] == text("plenary.of_total", count=2, total=total)
    assert pl.title(exercise) == frame.title
    # The answers come back on a new page under the same name, checked as before.
    session = start_new_session()
    again = self_check("start_coop", "feasibility")
    session.open("Quiz Group")
    assert again.children[-1].children[0].correct_count == 1
    WorkStore().save("Foreign", exercise.id, {"answers": {first.question.id: "not an answer"}})
    problem = _by_group(_rows(exercise))["foreign"].problem
    check_learner_message(problem)


DAMAGED = [
    {"price": "abc"},  # text where a number belongs
    {},  # nothing
    {"price": 9, "variable_cost": 4, "fixed_costs": 20000, "expected_volume": 6000, "market_size": 0,
     "investment": 30000, "loans": 0, "grants": 0, "members": 2, "share_rule": "by_lottery"},  # unknown choice
    {"price": -5, "variable_cost": 4, "fixed_costs": 20000, "expected_volume": 6000, "market_size": 0,
     "investment": 30000, "loans": 0, "grants": 0, "members": 2},  # out of range
    {"price": [1, 2], "members": {"a": 1}},  # wrong shapes
]  # fmt: skip


@pytest.mark.parametrize("state", DAMAGED)
def test_damaged_or_foreign_saved_work_is_a_short_message_and_other_groups_still_show(state: dict) -> None:
    store = WorkStore()
    store.save("Good", pl.FEASIBILITY.id, {**start_coop.scenario_values("feasibility", None)})
    store.save("Damaged", pl.FEASIBILITY.id, state)
    for exercise in (pl.READINESS, pl.ROLE_PLAY, pl.SURPLUS):
        store.save("Damaged", exercise.id, state)
    rows = _by_group(_rows(pl.FEASIBILITY))
    assert rows["good"].problem == "" and rows["good"].cells[text("plenary.col_decision")]
    for exercise in (pl.FEASIBILITY, pl.READINESS, pl.ROLE_PLAY, pl.SURPLUS):
        (damaged,) = [row for row in _rows(exercise) if row.group == "damaged"]
        if exercise is pl.READINESS and not state:
            # Nothing answered is a checklist not begun, not damage.
            assert damaged.cells[text("plenary.col_verdict")] == text("plenary.readiness_incomplete")
            continue
        message = damaged.problem or damaged.cells.get(text("plenary.col_motion"), "")
        assert message, exercise.id
        check_learner_message(message)
        assert len(message) < 300


def test_state_that_is_not_json_reads_as_unreadable(own_store: Path) -> None:
    store = WorkStore()
    store.save("Broken", pl.FEASIBILITY.id, {"price": 1})
    with sqlite3.connect(store.path) as db:
        db.execute("UPDATE work SET state = '{not json' WHERE learner = 'broken'")
    (row,) = _rows(pl.FEASIBILITY)
    assert row.problem == text("plenary.problem_unreadable")


def test_reading_never_writes_the_store(own_store: Path) -> None:
    store = WorkStore()
    store.save("Group One", pl.FEASIBILITY.id, {**start_coop.scenario_values("feasibility", None)})
    before = {p.name: p.read_bytes() for p in own_store.iterdir() if p.name.endswith(".sqlite3")}
    database = store.path
    database.chmod(0o444)
    try:
        view = PlenaryView(store)
        view.refresh()
        assert "group one" in view.groups.value
        assert view.updates == 2
    finally:
        database.chmod(0o644)
    after = {p.name: p.read_bytes() for p in own_store.iterdir() if p.name.endswith(".sqlite3")}
    assert before == after


def test_only_todays_groups_are_shown() -> None:
    store = WorkStore()
    store.save("Today", pl.FEASIBILITY.id, {"price": 1})
    store.save("Yesterday", pl.FEASIBILITY.id, {"price": 1})
    with sqlite3.connect(store.path) as db:
        db.execute("UPDATE work SET saved_at = ? WHERE learner = 'yesterday'", (pl.start_of_today() - 60,))
    assert list(store.learners_since(pl.start_of_today())) == ["today"]


def test_csv_export_has_every_group_and_quotes_formulas() -> None:
    rows = [
        pl.Row("group one", {"Price": "9.00", "Reading": "Go"}),
        pl.Row("=cmd|' /C calc'!A0", {"Price": "-3.00"}),
        pl.Row("broken", {}, problem="cannot be read"),
    ]
    data = pl.csv_bytes(rows).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(data)))
    assert table[0] == [text("plenary.col_group"), "Price", "Reading", text("plenary.col_problem")]
    assert table[1] == ["group one", "9.00", "Go", ""]
    assert table[2][0].startswith("'=") and table[2][1] == "'-3.00"
    assert table[3] == ["broken", "", "", "cannot be read"]


def test_the_view_shows_new_saves_on_its_next_refresh_and_draws_a_chart() -> None:
    view = PlenaryView(WorkStore())
    assert html.escape(text("plenary.no_groups")) in view.groups.value
    _as("Group One")
    start_coop.feasibility_calculator()
    type_into(current_session().frames[pl.FEASIBILITY.id], "expected_volume", "5000")  # type: ignore[arg-type]
    view.refresh()
    board = view.boards.children[0]
    assert isinstance(board, ExerciseBoard)
    assert "group one" in board.table.value and "5,000" in board.table.value
    assert board.chart.layout.display is None and "group one" in board.chart.alt_text
    assert board.csv.value.startswith('<a class="coop-download"')
    WorkStore().save("Broken", pl.FEASIBILITY.id, {"price": "abc"})
    view.refresh()
    assert "broken" not in board.table.value and "group one" in board.table.value
    assert html.escape(text("plenary.problem_unreadable")) in board.notes.value
    view.picker.value = "manage_coop/06_financial_management.ipynb"
    assert [b.exercise.id for b in view.boards.children] == [  # type: ignore[attr-defined]
        pl.SURPLUS.id,
        "manage_coop.financial_statements",
        "quiz.manage_finance.finance",
    ]
    assert text("plenary.nothing_yet") in view.boards.children[0].empty.value  # type: ignore[attr-defined]


def test_a_store_that_cannot_be_read_is_said_in_words(own_store: Path) -> None:
    store = WorkStore(own_store / "not-a-database.sqlite3")
    store.path.write_bytes(b"this is not sqlite" * 100)
    view = PlenaryView(store)
    assert "coop-warning" in view.status.value
    assert "Traceback" not in view.status.value


def test_every_module_lists_the_exercises_its_notebook_shows() -> None:
    """The plenary's list of modules matches the course: every notebook that shows exercises is
    there, with as many exercises as its code cells build (self-checks aside)."""
    course = Path(__file__).resolve().parents[2] / "course"
    found = {}
    for path in english_notebooks(course):  # a translation (course/<lang>/) shows the same exercises
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        calls = re.findall(r"^\w+\.\w+\(\)", code, flags=re.M)
        quizzes = re.findall(r"^self_check\(\"(\w+)\", \"(\w+)\"\)", code, flags=re.M)
        if calls or quizzes:
            found[path.relative_to(course).as_posix()] = (len(calls), sorted(quizzes))
    assert found == {
        m.key: (sum(e.quiz is None for e in m.exercises), sorted(e.quiz for e in m.exercises if e.quiz))
        for m in pl.MODULES
    }


def test_groups_last_save_time_is_today() -> None:
    WorkStore().save("Now", pl.FEASIBILITY.id, {"price": 1})
    (saved,) = WorkStore().learners_since(pl.start_of_today()).values()
    assert abs(saved - time.time()) < 60
