"""Every printable document of the course, built in one place: the business plan, the members'
surplus statements, the meeting agenda and the minutes of the role-played meeting.

A builder takes calculation results and returns a ``documents.Document`` (plain data, rendered to
Markdown and Word by ``coopcourse.documents``). The rows a document shares with a table on screen
(the feasibility figures, the cash flow, the surplus allocation, the agenda) are built here too, so
the page and the printout always say the same. No UI here: exercises call these functions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from coopcourse import documents
from coopcourse.calculations import cash_flow as cf
from coopcourse.calculations import communication as cm
from coopcourse.calculations import feasibility as fz
from coopcourse.calculations import meeting as mt
from coopcourse.calculations import surplus as sp
from coopcourse.calculations.rounding import shown
from coopcourse.calculations.validation import check_items, check_kind, check_mapping, check_number, check_text
from coopcourse.errors import CourseInputError
from coopcourse.formatting import amount, decimal, money, percent, percent_trimmed, whole
from coopcourse.text import text

# --- Business plan (Start.Coop module 3) ----------------------------------------------------------

# The sections of the plan the group writes, in the order of the document (``plan.<key>``).
PLAN_SECTIONS = ("products_market", "operations", "management", "risks")


def feasibility_rows(result: fz.FeasibilityResult) -> list[tuple[str, str]]:
    """The feasibility study's key figures, (figure, value), as shown in module 2 and in the plan."""
    result = check_kind(result, fz.FeasibilityResult)
    never = text("feasibility.never")
    return [
        (text("feasibility.contribution"), money(result.contribution_per_unit)),
        (
            text("feasibility.break_even"),
            amount(result.break_even_volume) if result.break_even_volume is not None else never,
        ),
        (
            text("feasibility.margin_of_safety"),
            f"{amount(result.margin_of_safety)} ({percent(result.margin_of_safety_percent)})"
            if result.margin_of_safety is not None and result.margin_of_safety_percent is not None
            else never,
        ),
        (text("feasibility.annual_profit"), money(result.annual_profit)),
        (text("feasibility.payback"), decimal(result.payback_years) if result.payback_years is not None else never),
        (text("feasibility.capital_to_raise"), money(result.capital_to_raise)),
        (
            text("feasibility.market_share"),
            percent(result.market_share_percent)
            if result.market_share_percent is not None
            else text("feasibility.unknown"),
        ),
    ]


def cash_flow_header() -> list[str]:
    return [
        text("plan.col_month"),
        text("plan.col_volume"),
        text("plan.col_receipts"),
        text("plan.col_payments"),
        text("plan.col_closing"),
    ]


def cash_flow_rows(flow: cf.CashFlow) -> list[tuple[str, ...]]:
    flow = check_kind(flow, cf.CashFlow)
    return [
        (str(r.month), whole(r.volume), money(r.receipts), money(r.payments), money(r.closing_cash))
        for r in flow.months
    ]


def business_plan(
    idea: str,
    members: Sequence[str],
    inputs: fz.FeasibilityInputs,
    result: fz.FeasibilityResult,
    flow: cf.CashFlow,
    sections: Mapping[str, str],
    learner: str | None,
) -> documents.Document:
    """The group's business plan: idea and members, feasibility, the sections they wrote, cash flow."""
    idea = check_text(idea, text("plan.idea"))
    members = tuple(check_text(name, text("plan.members")) for name in check_items(members, text("plan.members")))
    inputs = check_kind(inputs, fz.FeasibilityInputs)
    result = check_kind(result, fz.FeasibilityResult)
    flow = check_kind(flow, cf.CashFlow)
    written = check_mapping(sections, text("plan.title"))
    for key, value in written.items():
        if key not in PLAN_SECTIONS:
            raise CourseInputError(text("error.unreadable", label=text("plan.title")))
        check_text(value, text(f"plan.{key}"), key)
    learner = _learner(learner)
    figures = documents.Table(
        (text("feasibility.col_figure"), text("feasibility.col_value")), tuple(feasibility_rows(result))
    )
    verdict = fz.go_no_go(inputs, result)
    return documents.Document(
        title=text("plan.document_title", idea=idea or text("plan.our_cooperative")),
        subtitle=text("plan.document_subtitle", group=learner or text("plan.our_group")),
        sections=(
            documents.Section(
                text("plan.idea_and_members"),
                (text("plan.idea_line", idea=idea or text("plan.not_recorded")),),
                tuple(members),
            ),
            documents.Section(
                text("plan.feasibility"),
                (text(f"feasibility.decision_{verdict.decision.value}"),),
                verdict.reasons,
                figures,
            ),
            *(
                documents.Section(
                    text(f"plan.{key}"),
                    tuple(p for p in value.split("\n\n") if p.strip()) or (text("plan.not_written"),),
                )
                for key, value in written.items()
            ),
            documents.Section(
                text("plan.cash_flow_caption"),
                (),
                (),
                documents.Table(tuple(cash_flow_header()), tuple(cash_flow_rows(flow))),
            ),
        ),
    )


# --- Surplus statements (Manage.Coop module 6) ----------------------------------------------------


# Where the surplus goes: the funds, then the two pools (``surplus.fund_<key>``).
DESTINATIONS = (*sp.FUNDS, "isc", "refunds")


def fund_name(key: str) -> str:
    if key not in DESTINATIONS:
        raise CourseInputError(text("error.not_a_choice", label=text("surplus.col_destination")))
    return text(f"surplus.fund_{key}")


def rate(fraction: float) -> str:
    """An interest or refund rate (a fraction of 1) as a percentage with two decimals."""
    return percent(check_number(fraction, text("error.these_figures"), maximum=1e300) * 100, 2)


def surplus_cap_text(result: sp.Distribution, inputs: sp.SurplusInputs) -> str:
    result = check_kind(result, sp.Distribution)
    inputs = check_kind(inputs, sp.SurplusInputs)
    cap = percent(inputs.isc_rate_cap_percent)
    if shown(result.total_share_capital) <= 0:
        return text("surplus.cap_no_capital")
    if result.capped:
        return text(
            "surplus.cap_applied",
            pool=money(result.isc_pool_before_cap),
            rate=rate(result.isc_pool_before_cap / result.total_share_capital),
            cap=cap,
            paid=money(result.isc_pool),
            moved=money(result.moved_to_refunds),
        )
    return text("surplus.cap_not_applied", rate=rate(result.isc_rate), cap=cap)


def surplus_allocation_header() -> list[str]:
    return [text("surplus.col_destination"), text("surplus.col_amount"), text("surplus.col_percent")]


def surplus_allocation_rows(result: sp.Distribution) -> list[tuple[str, str, str]]:
    result = check_kind(result, sp.Distribution)
    return [
        (
            text("surplus.total") if share.key == "total" else fund_name(share.key),
            money(share.amount),
            percent(share.percent),
        )
        for share in sp.allocation_shares(result)
    ]


def surplus_rate_rows(result: sp.Distribution) -> list[tuple[str, str]]:
    result = check_kind(result, sp.Distribution)
    return [
        (text("surplus.total_share_capital"), money(result.total_share_capital)),
        (text("surplus.isc_rate"), rate(result.isc_rate)),
        (text("surplus.total_transactions"), money(result.total_transactions)),
        (text("surplus.refund_rate"), rate(result.refund_rate)),
    ]


def surplus_member_header() -> list[str]:
    return [
        text("surplus.col_member"),
        text("surplus.col_share_capital"),
        text("surplus.col_transactions"),
        text("surplus.col_interest"),
        text("surplus.col_refund"),
        text("surplus.col_total"),
    ]


def surplus_member_rows(result: sp.Distribution) -> list[tuple[str, ...]]:
    result = check_kind(result, sp.Distribution)
    return [
        (m.name, money(m.share_capital), money(m.transactions), money(m.interest), money(m.refund), money(m.total))
        for m in (*result.members, sp.members_total(result, text("surplus.total")))
    ]


def surplus_summary(result: sp.Distribution) -> str:
    result = check_kind(result, sp.Distribution)
    return text(
        "surplus.summary",
        surplus=money(result.net_surplus),
        funds=money(result.total_funds),
        members=money(result.isc_pool + result.refund_pool),
        isc=money(result.isc_pool),
        isc_rate=rate(result.isc_rate),
        refunds=money(result.refund_pool),
        refund_rate=rate(result.refund_rate),
    )


def no_surplus_text(result: sp.Distribution) -> str:
    """What the page says when there is nothing to share: a zero result (as shown) or a loss."""
    result = check_kind(result, sp.Distribution)
    if shown(result.net_surplus) == 0:
        return text("surplus.zero")
    return text("surplus.loss", loss=money(-result.net_surplus))


def surplus_statements(result: sp.Distribution, inputs: sp.SurplusInputs, learner: str | None) -> documents.Document:
    """How the surplus is shared, then one statement for each member."""
    result = check_kind(result, sp.Distribution)
    inputs = check_kind(inputs, sp.SurplusInputs)
    learner = _learner(learner)
    overview_paragraphs = (
        (surplus_summary(result), surplus_cap_text(result, inputs))
        if result.has_surplus
        else (no_surplus_text(result),)
    )
    sections = [
        documents.Section(
            text("surplus.document_overview"),
            overview_paragraphs,
            (),
            documents.Table(tuple(surplus_allocation_header()), tuple(surplus_allocation_rows(result))),
        ),
        documents.Section(
            text("surplus.document_rates"),
            (),
            (),
            documents.Table((text("surplus.col_figure"), text("surplus.col_value")), tuple(surplus_rate_rows(result))),
        ),
    ]
    for member in result.members:
        paragraphs = [
            text(
                "surplus.statement_intro", capital=money(member.share_capital), transactions=money(member.transactions)
            )
        ]
        if not result.has_surplus:
            paragraphs.append(text("surplus.document_none"))
        sections.append(
            documents.Section(
                member.name,
                tuple(paragraphs),
                (),
                documents.Table(
                    (text("surplus.col_item"), text("surplus.col_rate"), text("surplus.col_amount")),
                    (
                        (text("surplus.fund_isc"), rate(result.isc_rate), money(member.interest)),
                        (text("surplus.fund_refunds"), rate(result.refund_rate), money(member.refund)),
                        (text("surplus.col_total"), "", money(member.total)),
                    ),
                ),
            )
        )
    return documents.Document(
        title=text("surplus.document_title"),
        subtitle=text(
            "surplus.document_subtitle",
            group=learner or text("surplus.our_cooperative"),
            surplus=money(result.net_surplus),
        ),
        sections=tuple(sections),
    )


# --- Meeting agenda (Manage.Coop module 2) --------------------------------------------------------


def agenda_header() -> list[str]:
    return [text(f"agenda.col_{c}") for c in ("time", "item", "kind", "minutes")]


def agenda_rows(agenda: cm.Agenda) -> list[tuple[str, str, str, str]]:
    agenda = check_kind(agenda, cm.Agenda)
    return [(f"{cm.clock(i.start)}–{cm.clock(i.end)}", i.title, _item_kind(i), str(i.minutes)) for i in agenda.items]


def _item_kind(item: cm.TimedItem) -> str:
    # build_agenda gives only known kinds; an agenda made another way may not.
    if item.kind not in cm.ITEM_KINDS:
        raise CourseInputError(text("agenda.error_kind", row=item.number), cm.AGENDA_FIELD)
    return text(f"agenda.kinds.{item.kind}")


def agenda_points(agenda: cm.Agenda) -> list[str]:
    """What to watch on the agenda, in words (time over, decisions squeezed late, no other business)."""
    agenda = check_kind(agenda, cm.Agenda)
    points = []
    if cm.OVER_TIME in agenda.warnings:
        points.append(
            text(
                "agenda.over_time",
                over=agenda.over_by,
                end=cm.clock(agenda.end),
                planned_end=cm.clock(agenda.planned_end),
            )
        )
    if cm.DECISIONS_LATE in agenda.warnings:
        points.append(
            text("agenda.decisions_late", items=", ".join(f"{cm.clock(i.start)} {i.title}" for i in agenda.squeezed))
        )
    if cm.NO_OTHER_BUSINESS in agenda.warnings:
        points.append(text("agenda.no_other_business", minutes=cm.OTHER_BUSINESS_MINUTES))
    return points


def meeting_agenda(meeting: str, agenda: cm.Agenda) -> documents.Document:
    """The agenda to print: items with their clock times, then what to watch."""
    meeting = check_text(meeting, text("agenda.meeting"))
    agenda = check_kind(agenda, cm.Agenda)
    points = agenda_points(agenda)
    return documents.Document(
        title=text("agenda.document_title", meeting=meeting),
        subtitle=text(
            "agenda.document_subtitle",
            start=cm.clock(agenda.start),
            planned_end=cm.clock(agenda.planned_end),
            planned=agenda.planned_minutes,
        ),
        sections=(
            documents.Section(
                text("agenda.document_items"),
                (text("agenda.document_roles"),),
                (),
                documents.Table(tuple(agenda_header()), tuple(agenda_rows(agenda))),
            ),
            *((documents.Section(text("agenda.document_watch"), (), tuple(points)),) if points else ()),
        ),
    )


# --- Minutes of the role-played meeting (Manage.Coop module 1) ------------------------------------


def minutes(record: mt.MeetingRecord) -> documents.Document:
    """The minutes of the role-played meeting as a printable document."""
    record = check_kind(record, mt.MeetingRecord)
    coop = record.cooperative or text("meeting.minutes_our_coop")
    officers = mt.officers_by_round(record)
    opening = [
        text(
            "meeting.minutes_held",
            meeting=record.meeting_type.label,
            coop=coop,
            date=record.date or text("meeting.minutes_no_date"),
        )
    ]
    for number, (chair, secretary) in officers.items():
        opening.append(text("meeting.minutes_officers", round=number, chair=chair, secretary=secretary))
    tellers = mt.holders(record.participants, "teller")
    if tellers:
        opening.append(text("meeting.minutes_tellers", names=", ".join(tellers)))

    here = set(record.present)
    present = [f"{p.name} ({mt.role_label(p.role)})" for p in record.participants if p.name in here]
    absent = [f"{p.name} ({mt.role_label(p.role)})" for p in record.participants if p.name not in here]
    quorum = record.quorum
    attendance = [
        text("meeting.minutes_present", count=len(present), names=", ".join(present) or text("meeting.minutes_nobody")),
        text("meeting.minutes_absent", count=len(absent), names=", ".join(absent) or text("meeting.minutes_nobody")),
        text(
            "meeting.minutes_quorum",
            entitled=quorum.entitled,
            percent=percent_trimmed(quorum.percent, 1),
            needed=quorum.needed,
            present=quorum.present,
        ),
        text("meeting.minutes_quorum_reached" if quorum.reached else "meeting.minutes_quorum_missed"),
    ]

    votes = [e for e in record.log if isinstance(e, mt.VoteRecord)]
    header = (
        text("meeting.col_round"),
        text("meeting.col_motion"),
        text("meeting.col_majority"),
        text("meeting.col_for"),
        text("meeting.col_against"),
        text("meeting.col_abstain"),
        text("meeting.col_needed"),
        text("meeting.col_result"),
    )
    rows = tuple(
        (
            str(e.round),
            e.motion,
            mt.majority_label(e.majority),
            str(e.votes_for),
            str(e.against),
            str(e.abstain),
            text("meeting.needed_of_cast", needed=e.tally.needed, cast=e.tally.cast),
            mt.result_words(e),
        )
        for e in votes
    )
    decisions = tuple(
        text(
            "meeting.minutes_decision",
            round=e.round,
            motion=e.motion,
            result=mt.result_words(e),
            votes_for=e.votes_for,
            against=e.against,
            abstain=e.abstain,
            needed=e.tally.needed,
            cast=e.tally.cast,
            majority=mt.majority_label(e.majority),
            chair=e.chair,
        )
        for e in votes
    )
    voted = {e.motion.strip().casefold() for e in votes}
    pending = tuple(m.text for m in record.motions if m.text.casefold() not in voted)
    motion_paragraphs = [text("meeting.minutes_abstentions")] if votes else [text("meeting.minutes_no_votes")]
    if pending:
        motion_paragraphs.append(text("meeting.minutes_pending", motions="; ".join(pending)))

    rotation_lines = []
    for entry in (e for e in record.log if isinstance(e, mt.RotationRecord)):
        changes = "; ".join(
            text("meeting.minutes_change", name=name, old=mt.role_label(old), new=mt.role_label(new))
            for name, old, new in entry.changes()
        )
        rotation_lines.append(
            text("meeting.minutes_rotation", round=entry.round, changes=changes or text("meeting.minutes_no_change"))
        )

    sections = [
        documents.Section(text("meeting.minutes_opening"), tuple(opening)),
        documents.Section(text("meeting.minutes_attendance"), tuple(attendance)),
        documents.Section(
            text("meeting.minutes_motions"),
            tuple(motion_paragraphs),
            decisions,
            documents.Table(header, rows) if rows else None,
        ),
        documents.Section(
            text("meeting.minutes_rounds"),
            (text("meeting.minutes_rounds_intro", rounds=mt.current_round(record.log)),),
            tuple(rotation_lines),
        ),
        documents.Section(
            text("meeting.minutes_signatures"),
            (
                text(
                    "meeting.minutes_signed",
                    chair=officers[mt.current_round(record.log)][0],
                    secretary=officers[mt.current_round(record.log)][1],
                ),
            ),
        ),
    ]
    return documents.Document(
        title=text("meeting.minutes_title", meeting=record.meeting_type.label, coop=coop),
        subtitle=text("meeting.minutes_subtitle", date=record.date or text("meeting.minutes_no_date")),
        sections=tuple(sections),
    )


def _learner(name: object) -> str | None:
    """The learner's name on a document, if any."""
    return None if name is None else check_text(name, text("saving.name_label"))
