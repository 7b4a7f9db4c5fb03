"""Manage.Coop module 2, effective and open communication: a member-communication plan and a
meeting-agenda builder that exports the agenda as a document."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from coopcourse import documents
from coopcourse.calculations import communication as cm
from coopcourse.calculations import reports
from coopcourse.calculations.validation import Bounds
from coopcourse.components import (
    Chart,
    Column,
    DocumentDownload,
    ExerciseFrame,
    NumberField,
    ResultsTable,
    RowsEditor,
    TextField,
    shared,
)
from coopcourse.components.download import file_name
from coopcourse.text import text

if TYPE_CHECKING:
    from matplotlib.axes import Axes

PLAN = "manage_coop.communication_plan"
AGENDA = "manage_coop.meeting_agenda"


def _label(group: str, option: str) -> str:
    return text(f"communication_plan.{group}.{option}")


def _options(group: str, ids: tuple[str, ...] | list[str]) -> tuple[tuple[str, str], ...]:
    return tuple((_label(group, option), option) for option in ids)


def _listing(items: list[str]) -> str:
    return ", ".join(items)


def communication_plan() -> ExerciseFrame:
    """Who needs which information, through which channel, how often, and who sends it."""
    plan = RowsEditor(
        [
            Column(
                "audience",
                text("communication_plan.audience"),
                kind="choice",
                default="members",
                options=_options("audiences", cm.AUDIENCES),
                width="22em",
            ),
            Column("information", text("communication_plan.information"), kind="text", width="28em"),
            Column(
                "channel",
                text("communication_plan.channel"),
                kind="choice",
                default="meeting",
                options=_options("channels", cm.CHANNELS),
                width="17em",
            ),
            Column(
                "frequency",
                text("communication_plan.frequency"),
                kind="choice",
                default="monthly",
                options=_options("frequencies", tuple(cm.FREQUENCIES)),
                width="16em",
            ),
            Column("responsible", text("communication_plan.responsible"), kind="text", width="24em"),
        ],
        [
            {
                "audience": "members",
                "information": text("communication_plan.example_accounts"),
                "channel": "general_assembly",
                "frequency": "yearly",
                "responsible": text("communication_plan.example_chair"),
            },
            {
                "audience": "members",
                "information": text("communication_plan.example_prices"),
                "channel": "notice_board",
                "frequency": "monthly",
                "responsible": text("communication_plan.example_secretary"),
            },
            {
                "audience": "board",
                "information": text("communication_plan.example_sales"),
                "channel": "meeting",
                "frequency": "monthly",
                "responsible": text("communication_plan.example_manager"),
            },
        ],
        label=text("communication_plan.rows"),
    )
    checks = shared.html()
    table = ResultsTable(text("communication_plan.table_caption"))
    channels = ResultsTable(text("communication_plan.channels_caption"))
    chart = Chart(height_inches=2.8)
    frame = ExerciseFrame(
        PLAN,
        text("communication_plan.title"),
        text("communication_plan.instructions"),
        {"plan": plan},
        [checks, table, channels, chart],
    )

    def update() -> None:
        review = cm.review_plan(plan.value)
        rows, previous = [], None
        for item in cm.grouped_by_audience(review.items):
            audience = _label("audiences", item.audience)
            rows.append(
                (
                    audience if audience != previous else "",
                    item.information,
                    _label("channels", item.channel),
                    _label("frequencies", item.frequency),
                    item.responsible or text("communication_plan.nobody"),
                )
            )
            previous = audience
        table.show(
            rows,
            columns=[
                text(f"communication_plan.col_{c}")
                for c in ("audience", "information", "channel", "frequency", "responsible")
            ],
        )
        channels.show(
            {
                text("communication_plan.col_channel"): [_label("channels", u.channel) for u in review.channels],
                text("communication_plan.col_items"): [str(u.items) for u in review.channels],
                text("communication_plan.col_per_year"): [str(u.per_year) for u in review.channels],
                text("communication_plan.col_when_needed"): [str(u.when_needed) for u in review.channels],
            }
        )
        points = _plan_points(review)
        checks.value = (
            ('<ul class="coop-reasons">' + "".join(f"<li>{html.escape(p)}</li>" for p in points) + "</ul>")
            if points
            else ""
        )
        when_needed = cm.items_when_needed(review)
        extra = text("communication_plan.when_needed_extra", count=when_needed) if when_needed else ""
        if review.has_problems:
            frame.feedback.show(
                "warning",
                text(
                    "communication_plan.summary_problems",
                    per_year=review.total_per_year,
                    extra=extra,
                    count=len(points),
                ),
            )
        else:
            frame.feedback.show(
                "success", text("communication_plan.summary_ok", per_year=review.total_per_year, extra=extra)
            )
        busiest = max(review.channels, key=lambda u: u.per_year)
        alt = (
            text("communication_plan.chart_alt", channel=_label("channels", busiest.channel), per_year=busiest.per_year)
            if busiest.per_year
            else text("communication_plan.chart_alt_none")
        )
        chart.draw(lambda axes: _plot_channels(axes, review), alt)

    return frame.bind(update)


def _plan_points(review: cm.PlanReview) -> list[str]:
    points = []
    if review.missing_required:
        points.append(
            text(
                "communication_plan.missing_required",
                audiences=_listing([_label("audiences", a) for a in review.missing_required]),
            )
        )
    if review.members_one_way_only:
        used = sorted({i.channel for i in review.items if i.audience == "members"}, key=cm.CHANNELS.index)
        points.append(text("communication_plan.one_way", channels=_listing([_label("channels", c) for c in used])))
    if review.unassigned:
        points.append(
            text(
                "communication_plan.unassigned",
                items=_listing(
                    [
                        text("communication_plan.unassigned_item", row=i.row, information=i.information)
                        for i in review.unassigned
                    ]
                ),
            )
        )
    if review.missing_other:
        points.append(
            text(
                "communication_plan.missing_other",
                audiences=_listing([_label("audiences", a) for a in review.missing_other]),
            )
        )
    return points


def _plot_channels(axes: Axes, review: cm.PlanReview) -> None:
    axes.barh([_label("channels", u.channel) for u in review.channels], [u.per_year for u in review.channels])
    axes.invert_yaxis()
    axes.set_xlabel(text("communication_plan.chart_x"))
    axes.grid(axis="x", alpha=0.3)


def agenda_builder() -> ExerciseFrame:
    """Items with their minutes and type; clock times, time check and an agenda to print."""
    meeting = TextField(text("agenda.meeting"), text("agenda.meeting_default"), max_length=80, width="30em")
    start_hour = NumberField(text("agenda.start_hour"), 18, Bounds(whole=True, maximum=23))
    start_minute = NumberField(text("agenda.start_minute"), 0, Bounds(whole=True, maximum=59))
    planned = NumberField(
        text("agenda.planned_minutes"), 90, Bounds(whole=True, above_minimum=True, maximum=cm.LONGEST_MEETING)
    )
    kinds = tuple((text(f"agenda.kinds.{k}"), k) for k in cm.ITEM_KINDS)
    examples = (
        ("opening", 5, "information"),
        ("minutes", 10, "decision"),
        ("report", 15, "information"),
        ("complaints", 25, "discussion"),
        ("truck", 25, "decision"),
        ("other", 5, "information"),
    )
    items = RowsEditor(
        [
            Column("title", text("agenda.item_title"), kind="text", width="24em"),
            Column(
                "minutes",
                text("agenda.minutes"),
                default=10,
                width="14em",
                bounds=Bounds(above_minimum=True, whole=True),
            ),
            Column("kind", text("agenda.kind"), kind="choice", default="information", options=kinds, width="13em"),
        ],
        [{"title": text(f"agenda.example_{key}"), "minutes": minutes, "kind": kind} for key, minutes, kind in examples],
        label=text("agenda.items"),
        max_rows=30,
    )
    warnings = shared.html()
    table = ResultsTable(text("agenda.table_caption"))
    export = DocumentDownload(text("agenda.export"))
    frame = ExerciseFrame(
        AGENDA,
        text("agenda.title"),
        text("agenda.instructions"),
        {
            "meeting": meeting,
            "start_hour": start_hour,
            "start_minute": start_minute,
            "planned_minutes": planned,
            "items": items,
        },
        [warnings, table, export],
    )
    latest: dict[str, documents.Document] = {}

    def update() -> None:
        agenda = cm.build_agenda(start_hour.value, start_minute.value, planned.value, items.value)
        table.show(reports.agenda_rows(agenda), columns=reports.agenda_header())
        points = reports.agenda_points(agenda)
        warnings.value = (
            ('<ul class="coop-reasons">' + "".join(f"<li>{html.escape(p)}</li>" for p in points) + "</ul>")
            if points
            else ""
        )
        times = dict(
            start=cm.clock(agenda.start),
            end=cm.clock(agenda.end),
            total=agenda.total_minutes,
            planned=agenda.planned_minutes,
        )
        if cm.OVER_TIME in agenda.warnings:
            frame.feedback.show("warning", text("agenda.summary_over", **times))
        else:
            frame.feedback.show(
                "warning" if points else "success", text("agenda.summary_on_time", spare=agenda.spare, **times)
            )
        latest["agenda"] = reports.meeting_agenda(meeting.value or text("agenda.meeting_default"), agenda)
        # A document made from earlier entries no longer matches: offer a fresh one on request.
        export.withdraw()

    def agenda_file() -> tuple[documents.Document, str]:
        return latest["agenda"], file_name("agenda", meeting.value, "agenda.meeting_default")

    export.bind(frame, agenda_file)
    return frame.bind(update)
