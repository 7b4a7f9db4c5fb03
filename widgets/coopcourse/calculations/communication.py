"""Member communication: checks on a communication plan, and the timing of a meeting agenda.

The course designs these activities itself (the Manage.Coop module texts were not found; see the
content brief): a cooperative keeps its members, board, staff and partners informed, gives members
a way to answer back (principles 2 and 5), and runs meetings that leave time for decisions.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from coopcourse.calculations.validation import (
    cell_text,
    check_count,
    check_items,
    check_kind,
    check_not_empty,
    check_rows,
    check_text,
    checked,
)
from coopcourse.errors import CourseInputError
from coopcourse.text import text

# --- communication plan -------------------------------------------------------------------------

AUDIENCES = ("members", "board", "staff", "supervisory_committee", "buyers_suppliers", "community", "authorities")
# Every cooperative must keep these two informed; the others depend on the cooperative.
REQUIRED_AUDIENCES = ("members", "board")
CHANNELS = (
    "general_assembly",
    "meeting",
    "notice_board",
    "phone_group",
    "newsletter",
    "visit",
    "radio",
    "suggestion_box",
)
# Channels where the audience can answer back on the spot; the others only carry news one way.
TWO_WAY_CHANNELS = frozenset({"general_assembly", "meeting", "phone_group", "visit", "suggestion_box"})
# Messages a year for each frequency; "when needed" cannot be counted in advance.
FREQUENCIES: dict[str, int | None] = {"weekly": 52, "monthly": 12, "quarterly": 4, "yearly": 1, "when_needed": None}

PLAN_FIELD = "plan"


@dataclass(frozen=True)
@checked()
class PlanItem:
    row: int  # 1-based, as the learner sees the rows
    audience: str
    information: str
    channel: str
    frequency: str
    responsible: str

    def __post_init__(self) -> None:
        check_count(self.row, text("communication_plan.rows"), minimum=1, field=PLAN_FIELD)
        for key, allowed in (("audience", AUDIENCES), ("channel", CHANNELS), ("frequency", FREQUENCIES)):
            if getattr(self, key) not in allowed:
                raise CourseInputError(
                    text("communication_plan.error_option", row=self.row, column=text(f"communication_plan.{key}")),
                    PLAN_FIELD,
                )

    @property
    def per_year(self) -> int | None:
        return FREQUENCIES[self.frequency]


@dataclass(frozen=True)
@checked()
class ChannelUse:
    channel: str
    items: int
    per_year: int  # messages a year from the items with a regular frequency
    when_needed: int  # items sent "when needed"


@dataclass(frozen=True)
@checked()
class PlanReview:
    items: tuple[PlanItem, ...]
    missing_required: tuple[str, ...]  # members or board with nothing planned
    missing_other: tuple[str, ...]  # other audiences with nothing planned (may be a choice)
    members_one_way_only: bool  # members hear only through notice boards, newsletters, radio...
    unassigned: tuple[PlanItem, ...]  # items nobody is responsible for
    channels: tuple[ChannelUse, ...]

    @property
    def total_per_year(self) -> int:
        return sum(use.per_year for use in self.channels)

    @property
    def has_problems(self) -> bool:
        return bool(self.missing_required or self.members_one_way_only or self.unassigned)


def plan_items(rows: Sequence[Mapping[str, Any]]) -> tuple[PlanItem, ...]:
    """The plan's rows as checked items; an unknown option or an empty "information" cell is an
    error the learner can fix."""
    label = text("communication_plan.rows")
    rows = check_rows(rows, label, PLAN_FIELD)
    check_not_empty(rows, label, PLAN_FIELD)
    items = []
    for number, row in enumerate(rows, 1):
        for key, allowed in (("audience", AUDIENCES), ("channel", CHANNELS), ("frequency", FREQUENCIES)):
            value = row.get(key)
            if not isinstance(value, str) or value not in allowed:
                raise CourseInputError(
                    text("communication_plan.error_option", row=number, column=text(f"communication_plan.{key}")),
                    PLAN_FIELD,
                )
        information = cell_text(row, "information", text("communication_plan.information"), PLAN_FIELD)
        if not information:
            raise CourseInputError(text("communication_plan.error_no_information", row=number), PLAN_FIELD)
        responsible = cell_text(row, "responsible", text("communication_plan.responsible"), PLAN_FIELD)
        items.append(PlanItem(number, row["audience"], information, row["channel"], row["frequency"], responsible))
    return tuple(items)


def review_plan(rows: Sequence[Mapping[str, Any]]) -> PlanReview:
    items = plan_items(rows)
    covered = {item.audience for item in items}
    member_channels = {item.channel for item in items if item.audience == "members"}
    channels = []
    for channel in CHANNELS:
        using = [item for item in items if item.channel == channel]
        if using:
            channels.append(
                ChannelUse(
                    channel,
                    len(using),
                    sum(i.per_year or 0 for i in using),
                    sum(1 for i in using if i.per_year is None),
                )
            )
    return PlanReview(
        items=items,
        missing_required=tuple(a for a in REQUIRED_AUDIENCES if a not in covered),
        missing_other=tuple(a for a in AUDIENCES if a not in covered and a not in REQUIRED_AUDIENCES),
        members_one_way_only=bool(member_channels) and not (member_channels & TWO_WAY_CHANNELS),
        unassigned=tuple(item for item in items if not item.responsible),
        channels=tuple(channels),
    )


def grouped_by_audience(items: Sequence[PlanItem]) -> tuple[PlanItem, ...]:
    """The items in the order of ``AUDIENCES``, keeping the learner's order within an audience."""
    label = text("communication_plan.rows")
    items = tuple(check_kind(item, PlanItem, label, PLAN_FIELD) for item in check_items(items, label, PLAN_FIELD))
    return tuple(sorted(items, key=lambda item: (AUDIENCES.index(item.audience), item.row)))


# --- meeting agenda -----------------------------------------------------------------------------

ITEM_KINDS = ("information", "discussion", "decision")
LONGEST_ITEM = 240  # minutes
LONGEST_MEETING = 720  # minutes
# A decision that starts in the last quarter of the planned time gets squeezed: people are tired,
# leaving, and the discussion is cut short.
SQUEEZE_SHARE = 0.75
# Less spare time than this, and no item for other business, leaves no room for it.
OTHER_BUSINESS_MINUTES = 5

OVER_TIME = "over_time"
DECISIONS_LATE = "decisions_late"
NO_OTHER_BUSINESS = "no_other_business"

AGENDA_FIELD = "items"


@dataclass(frozen=True)
@checked()
class TimedItem:
    number: int
    title: str
    kind: str
    minutes: int
    start: int  # minutes after the meeting's day began (may pass midnight)
    end: int


@dataclass(frozen=True)
@checked()
class Agenda:
    start: int  # minute of the day
    planned_minutes: int
    items: tuple[TimedItem, ...]
    squeezed: tuple[TimedItem, ...]  # decision items that come too late
    has_other_business: bool
    warnings: tuple[str, ...]

    @property
    def total_minutes(self) -> int:
        return sum(item.minutes for item in self.items)

    @property
    def end(self) -> int:
        return self.start + self.total_minutes

    @property
    def planned_end(self) -> int:
        return self.start + self.planned_minutes

    @property
    def over_by(self) -> int:
        return max(0, self.total_minutes - self.planned_minutes)

    @property
    def spare(self) -> int:
        return max(0, self.planned_minutes - self.total_minutes)


def clock(minute: int) -> str:
    """A minute count as a 24-hour clock time ("18:05"); past midnight it starts again at 00:00."""
    minute = check_count(minute, text("agenda.start_minute"), minimum=0, maximum=10**6)
    minute %= 24 * 60
    return f"{minute // 60:02d}:{minute % 60:02d}"


def is_other_business(title: str) -> bool:
    """Whether an item's title names "any other business" (words from the locale)."""
    words = [w.strip() for w in text("agenda.other_business_words").split("|") if w.strip()]
    folded = check_text(title, text("agenda.item_title"), AGENDA_FIELD).casefold()
    return any(re.search(rf"(?<!\w){re.escape(w.casefold())}(?!\w)", folded) for w in words)


def build_agenda(
    start_hour: float, start_minute: float, planned_minutes: float, rows: Sequence[Mapping[str, Any]]
) -> Agenda:
    """Clock times for each item, and what to watch: running over time, decisions left to the
    end, no room for other business."""
    hour = check_count(start_hour, text("agenda.start_hour"), minimum=0, maximum=23, field="start_hour")
    minute = check_count(start_minute, text("agenda.start_minute"), minimum=0, maximum=59, field="start_minute")
    planned = check_count(
        planned_minutes, text("agenda.planned_minutes"), minimum=1, maximum=LONGEST_MEETING, field="planned_minutes"
    )
    label = text("agenda.items")
    rows = check_rows(rows, label, AGENDA_FIELD)
    check_not_empty(rows, label, AGENDA_FIELD)
    start = hour * 60 + minute
    timed: list[TimedItem] = []
    at = start
    for number, row in enumerate(rows, 1):
        title = cell_text(row, "title", text("agenda.item_title"), AGENDA_FIELD)
        if not title:
            raise CourseInputError(text("agenda.error_no_title", row=number), AGENDA_FIELD)
        if not isinstance(row.get("kind"), str) or row.get("kind") not in ITEM_KINDS:
            raise CourseInputError(text("agenda.error_kind", row=number), AGENDA_FIELD)
        minutes = check_count(
            row.get("minutes"),
            text("agenda.minutes_of", row=number),
            minimum=1,
            maximum=LONGEST_ITEM,
            field=AGENDA_FIELD,
        )
        timed.append(TimedItem(number, title, row["kind"], minutes, at, at + minutes))
        at += minutes
    total = at - start
    if total > LONGEST_MEETING:
        raise CourseInputError(text("agenda.error_too_long", hours=LONGEST_MEETING // 60), AGENDA_FIELD)
    squeeze_from = start + SQUEEZE_SHARE * planned
    squeezed = tuple(i for i in timed if i.kind == "decision" and (i.start >= squeeze_from or i.end > start + planned))
    other_business = any(is_other_business(i.title) for i in timed)
    warnings = []
    if total > planned:
        warnings.append(OVER_TIME)
    if squeezed:
        warnings.append(DECISIONS_LATE)
    if not other_business and planned - total < OTHER_BUSINESS_MINUTES:
        warnings.append(NO_OTHER_BUSINESS)
    return Agenda(start, planned, tuple(timed), squeezed, other_business, tuple(warnings))


def items_when_needed(review: PlanReview) -> int:
    """How many items of the plan are sent only when needed (not counted in the messages a year)."""
    review = check_kind(review, PlanReview)
    return sum(use.when_needed for use in review.channels)
