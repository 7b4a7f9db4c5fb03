"""The plenary view's reading and computing: every group's saved work for one module, as rows of
shown figures, from the course's own calculations applied to the saved inputs.

No widgets here (``plenary_view`` shows it). Reading never writes: the store is opened read-only.
A saved value that does not fit (damaged, from another course version, edited by hand) gives that
group a short plain message instead of figures; it never stops the other groups' rows.
"""

from __future__ import annotations

import csv
import io
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from coopcourse import content
from coopcourse.calculations import feasibility as fz
from coopcourse.calculations import meeting as mt
from coopcourse.calculations import self_check as sc
from coopcourse.calculations import surplus as sp
from coopcourse.calculations.readiness import readiness_summary
from coopcourse.errors import CourseInputError
from coopcourse.formatting import amount, decimal, money, percent
from coopcourse.store import SavedEntry, StoreUnavailable, WorkStore
from coopcourse.text import text


@dataclass(frozen=True)
class Row:
    """One line of the plenary table: a group's figures for one exercise (or one vote)."""

    group: str
    cells: dict[str, str]  # column heading -> shown value
    numbers: dict[str, float] = field(default_factory=dict)  # for the charts
    problem: str = ""  # a short plain message when the saved work cannot be read


@dataclass(frozen=True)
class Exercise:
    id: str
    title_key: str
    summarise: Callable[[str, Mapping[str, Any]], list[Row]] | None = None  # None: when it was saved
    quiz: tuple[str, str] | None = None  # a self-check: (question bank, set)


def title(exercise: Exercise) -> str:
    """The exercise's title, as its page shows it."""
    if exercise.quiz is not None:
        return content.question_set(*exercise.quiz).title
    return text(exercise.title_key)


@dataclass(frozen=True)
class Module:
    key: str  # the notebook under course/
    title_key: str
    exercises: tuple[Exercise, ...]


def _number(state: Mapping[str, Any], key: str, whole: bool = False) -> Any:
    value = state[key]
    if whole and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# --- one function per exercise with key results ----------------------------------------------


def feasibility_rows(group: str, state: Mapping[str, Any]) -> list[Row]:
    rule = fz.ShareRule(state.get("share_rule", "equal"))
    uses = state.get("planned_use") or []
    inputs = fz.FeasibilityInputs(
        price=_number(state, "price"),
        variable_cost=_number(state, "variable_cost"),
        fixed_costs=_number(state, "fixed_costs"),
        expected_volume=_number(state, "expected_volume"),
        market_size=_number(state, "market_size"),
        investment=_number(state, "investment"),
        loans=_number(state, "loans"),
        grants=_number(state, "grants"),
        members=_number(state, "members", whole=True),
        share_rule=rule,
        planned_use=tuple(fz.PlannedUse(u["name"], u["use_per_year"]) for u in uses)
        if rule is fz.ShareRule.BY_USE
        else (),
        affordable_share=_number(state, "affordable_share") if "affordable_share" in state else 0.0,
    )
    result = fz.analyse(inputs)
    verdict = fz.go_no_go(inputs, result)
    never = text("plenary.never")
    cells = {
        text("plenary.col_price"): money(inputs.price),
        text("plenary.col_expected"): amount(inputs.expected_volume),
        text("plenary.col_break_even"): amount(result.break_even_volume)
        if result.break_even_volume is not None
        else never,
        text("plenary.col_margin"): percent(result.margin_of_safety_percent)
        if result.margin_of_safety_percent is not None
        else never,
        text("plenary.col_profit"): money(result.annual_profit),
        text("plenary.col_payback"): decimal(result.payback_years) if result.payback_years is not None else never,
        text("plenary.col_member_share"): money(result.largest_share),
        text("plenary.col_decision"): text(f"plenary.decision_{verdict.decision.value}"),
    }
    numbers = {"expected": float(inputs.expected_volume)}
    if result.break_even_volume is not None:
        numbers["break_even"] = float(result.break_even_volume)
    return [Row(group, cells, numbers)]


def readiness_rows(group: str, state: Mapping[str, Any]) -> list[Row]:
    statements = content.statements(content.load("readiness"))
    answers = {key: value for key, value in state.items() if value is not None}
    summary = readiness_summary(statements, answers)
    cells = {
        text("plenary.col_answered"): text("plenary.of_total", count=summary.answered, total=summary.total),
        text("plenary.col_score"): percent(summary.score_percent),
        text("plenary.col_to_discuss"): str(len(summary.to_discuss)),
        text("plenary.col_verdict"): text(f"plenary.readiness_{summary.verdict.value}"),
    }
    return [Row(group, cells, {"score": summary.score_percent})]


def role_play_rows(group: str, state: Mapping[str, Any]) -> list[Row]:
    raw = state["log"]
    if not isinstance(raw, list):
        raise TypeError("log")
    votes = [entry for entry in mt.parse_log(raw) if isinstance(entry, mt.VoteRecord)]
    if not votes:
        return [Row(group, {text("plenary.col_motion"): text("plenary.no_votes")})]
    return [
        Row(
            group,
            {
                text("plenary.col_round"): str(vote.round),
                text("plenary.col_motion"): vote.motion,
                text("plenary.col_votes"): text(
                    "plenary.votes", votes_for=vote.votes_for, against=vote.against, abstain=vote.abstain
                ),
                text("plenary.col_result"): mt.result_words(vote),
            },
            {"for": float(vote.votes_for), "against": float(vote.against), "abstain": float(vote.abstain)},
        )
        for vote in votes
    ]


def surplus_rows(group: str, state: Mapping[str, Any]) -> list[Row]:
    inputs = sp.SurplusInputs(
        net_surplus=_number(state, "net_surplus"),
        **{f"{fund}_percent": _number(state, f"{fund}_percent") for fund in sp.FUNDS},
        isc_share_percent=_number(state, "isc_share_percent"),
        isc_rate_cap_percent=_number(state, "isc_rate_cap_percent"),
        members=sp.members_from_rows(state["members"]),
    )
    result = sp.distribute(inputs)
    shares = {share.key: share for share in sp.allocation_shares(result) if share.key != "total"}
    cells = {text("plenary.col_net_surplus"): money(result.net_surplus)}
    numbers: dict[str, float] = {}
    for key, share in shares.items():
        cells[text(f"surplus.fund_{key}")] = f"{money(share.amount)} ({percent(share.percent)})"
        numbers[key] = float(share.amount)
    return [Row(group, cells, numbers)]


def quiz_rows(bank: str, set_id: str, group: str, state: Mapping[str, Any]) -> list[Row]:
    """A self-check's score: the group's saved answers checked against the question bank again."""
    questions = content.question_set(bank, set_id).questions
    answers = state["answers"]
    if not isinstance(answers, dict):
        raise TypeError("answers")
    right = tried = 0
    for question in questions:
        if question.id not in answers:
            continue
        answer = answers[question.id]
        verdict = sc.check_choice(question, answer) if question.kind == "choice" else sc.check_number(question, answer)
        tried += 1
        right += verdict.correct
    cells = {
        text("plenary.col_tried"): text("plenary.of_total", count=tried, total=len(questions)),
        text("plenary.col_right"): text("plenary.of_total", count=right, total=len(questions)),
    }
    return [Row(group, cells, {"right": float(right), "total": float(len(questions))})]


def _quiz(bank: str, set_id: str) -> Exercise:
    return Exercise(f"quiz.{bank}.{set_id}", "", partial(quiz_rows, bank, set_id), (bank, set_id))


FEASIBILITY = Exercise("start_coop.feasibility", "feasibility.title", feasibility_rows)
READINESS = Exercise("think_coop.readiness", "readiness.title", readiness_rows)
ROLE_PLAY = Exercise("manage_coop.governance_role_play", "meeting.title", role_play_rows)
FOUNDING_ASSEMBLY = Exercise("start_coop.founding_assembly", "founding.title", role_play_rows)
SURPLUS = Exercise("manage_coop.surplus_distribution", "surplus.title", surplus_rows)


def _saved(exercise_id: str, title_key: str) -> Exercise:
    return Exercise(exercise_id, title_key)


MODULES: tuple[Module, ...] = (
    Module(
        "think_coop/01_relationships_and_livelihoods.ipynb",
        "plenary.module_relationships",
        (_quiz("think_coop", "relationships"),),
    ),
    Module(
        "think_coop/02_collective_action.ipynb",
        "plenary.module_collective_action",
        (
            _saved("think_coop.joint_purchasing", "joint_purchasing.title"),
            _saved("think_coop.shared_equipment", "equipment.title"),
            _quiz("think_coop", "collective_action"),
        ),
    ),
    Module(
        "think_coop/03_business_structures.ipynb",
        "plenary.module_business_structures",
        (_saved("think_coop.structure_comparison", "structures.title"), _quiz("think_coop", "structures")),
    ),
    Module(
        "think_coop/04_what_is_a_cooperative.ipynb",
        "plenary.module_what_is",
        (
            _quiz("think_coop", "definition"),
            _quiz("think_coop", "values"),
            _quiz("think_coop", "principles"),
            _quiz("think_coop", "types_and_roles"),
        ),
    ),
    Module(
        "think_coop/05_is_a_cooperative_right_for_us.ipynb",
        "plenary.module_right_for_us",
        (READINESS, _quiz("think_coop", "deciding")),
    ),
    Module(
        "start_coop/01_core_group_and_business_idea.ipynb",
        "plenary.module_core_group",
        (
            _saved("start_coop.core_group", "core_group.title"),
            _saved("start_coop.ideas", "ideas.title"),
            _quiz("start_coop", "core_group"),
        ),
    ),
    Module(
        "start_coop/02_feasibility.ipynb",
        "plenary.module_feasibility",
        (FEASIBILITY, _quiz("start_coop", "feasibility")),
    ),
    Module(
        "start_coop/03_business_plan.ipynb",
        "plenary.module_business_plan",
        (_saved("start_coop.business_plan", "plan.title"), _quiz("start_coop", "business_plan")),
    ),
    Module(
        "start_coop/04_organizational_setup.ipynb",
        "plenary.module_setup",
        (
            _saved("start_coop.governance", "governance.title"),
            _saved("start_coop.bylaws", "bylaws.title"),
            FOUNDING_ASSEMBLY,
            _saved("start_coop.registration", "registration.title"),
            _quiz("start_coop", "setup"),
        ),
    ),
    Module(
        "manage_coop/01_governance_and_leadership.ipynb",
        "plenary.module_governance",
        (ROLE_PLAY, _quiz("manage_governance", "roles_and_rules")),
    ),
    Module(
        "manage_coop/02_communication.ipynb",
        "plenary.module_communication",
        (
            _saved("manage_coop.communication_plan", "communication_plan.title"),
            _saved("manage_coop.meeting_agenda", "agenda.title"),
            _quiz("manage_communication", "communication"),
        ),
    ),
    Module(
        "manage_coop/03_conflict_management.ipynb",
        "plenary.module_conflict",
        (
            _saved("manage_coop.conflict_scenarios", "conflict.scenarios.title"),
            _saved("manage_coop.conflict_styles", "conflict.reflection.title"),
            _quiz("manage_conflict", "conflict"),
        ),
    ),
    Module(
        "manage_coop/04_business_and_market_growth.ipynb",
        "plenary.module_growth",
        (_saved("manage_coop.growth_simulator", "growth.title"), _quiz("manage_growth", "growth")),
    ),
    Module(
        "manage_coop/05_human_resources.ipynb",
        "plenary.module_people",
        (_saved("manage_coop.staffing_planner", "staffing.title"), _quiz("manage_people", "people")),
    ),
    Module(
        "manage_coop/06_financial_management.ipynb",
        "plenary.module_finance",
        (
            SURPLUS,
            _saved("manage_coop.financial_statements", "statements.title"),
            _quiz("manage_finance", "finance"),
        ),
    ),
)


def module(key: str) -> Module:
    for candidate in MODULES:
        if candidate.key == key:
            return candidate
    raise KeyError(key)


def start_of_today(now: float | None = None) -> float:
    """Local midnight of the serving computer, in seconds since the epoch."""
    moment = time.localtime(time.time() if now is None else now)
    return time.mktime((moment.tm_year, moment.tm_mon, moment.tm_mday, 0, 0, 0, 0, 0, -1))


def exercise_rows(exercise: Exercise, entries: Mapping[str, SavedEntry]) -> list[Row]:
    """Every group's rows for one exercise; a group whose saved work cannot be read gets one row
    with a short plain message (never a traceback)."""
    rows: list[Row] = []
    for group in sorted(entries):
        entry = entries[group]
        saved = time.strftime("%H:%M", time.localtime(entry.saved_at))
        if exercise.summarise is None:
            rows.append(Row(group, {text("plenary.col_saved"): saved}))
            continue
        try:
            found = exercise.summarise(group, entry.state)
        except CourseInputError as error:
            rows.append(
                Row(
                    group,
                    {text("plenary.col_saved"): saved},
                    problem=text("plenary.problem_input", message=error.message),
                )
            )
            continue
        except (KeyError, TypeError, ValueError, AttributeError, IndexError, RecursionError, OverflowError):
            rows.append(Row(group, {text("plenary.col_saved"): saved}, problem=text("plenary.problem_unreadable")))
            continue
        rows.extend(Row(r.group, {**r.cells, text("plenary.col_saved"): saved}, r.numbers) for r in found)
    return rows


@dataclass(frozen=True)
class Snapshot:
    """What the plenary shows at one moment: the groups of today and each exercise's rows."""

    groups: dict[str, float]  # name as filed -> last save
    tables: dict[str, list[Row]]  # exercise id -> rows
    problem: str = ""


def snapshot(store: WorkStore, chosen: Module, since: float) -> Snapshot:
    try:
        groups = store.learners_since(since)
        tables = {ex.id: exercise_rows(ex, store.entries_of(ex.id, list(groups))) for ex in chosen.exercises}
    except StoreUnavailable as problem:
        return Snapshot({}, {}, problem.message)
    return Snapshot(groups, tables)


def columns(rows: Sequence[Row]) -> list[str]:
    """The table's headings: the group, then every cell heading in the order first met."""
    found: list[str] = []
    for row in rows:
        for heading in row.cells:
            if heading not in found:
                found.append(heading)
    if any(row.problem for row in rows):
        found.append(text("plenary.col_problem"))
    return [text("plenary.col_group"), *found]


def table_cells(rows: Sequence[Row]) -> list[list[str]]:
    headings = columns(rows)
    problem = text("plenary.col_problem")
    return [[row.group, *(row.problem if h == problem else row.cells.get(h, "") for h in headings[1:])] for row in rows]


def csv_bytes(rows: Sequence[Row]) -> bytes:
    """The table as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read accents)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns(rows))
    for line in table_cells(rows):
        # A cell starting with = + - @ is a formula to a spreadsheet: quote it as text.
        writer.writerow(["'" + cell if cell[:1] in ("=", "+", "-", "@") else cell for cell in line])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def main(argv: list[str]) -> int:
    """``python -m coopcourse.plenary where``: say which saved work the plenary reads."""
    if argv != ["where"]:
        print("usage: python -m coopcourse.plenary where", file=sys.stderr)
        return 2
    print(text("plenary.reads_from", path=str(WorkStore().path)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
