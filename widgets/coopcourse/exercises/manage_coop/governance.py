"""Manage.Coop module 1, governance and leadership: a tracker for a general assembly or board
meeting run as a role play, on one shared screen, with or without a facilitator.

The group sets up the meeting (who plays which role), records who is present, checks the quorum,
votes on each motion one member one vote, records the result in the meeting log, rotates the roles
between rounds and downloads the minutes. Everything entered, the log included, is a field of the
exercise, so it is saved with the learner's work.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets
import traitlets

from coopcourse import content, documents
from coopcourse.calculations import meeting as mt
from coopcourse.calculations import reports
from coopcourse.calculations.governance import Majority
from coopcourse.calculations.validation import Bounds
from coopcourse.components import (
    ChoiceField,
    Column,
    ConfirmButton,
    DocumentDownload,
    ExerciseFrame,
    Feedback,
    NumberField,
    PickerTexts,
    PickManyField,
    ResultsTable,
    RowsEditor,
    ScenarioPicker,
    TextField,
    shared,
)
from coopcourse.components.download import file_name
from coopcourse.components.fields import MessageMixin
from coopcourse.errors import CourseInputError
from coopcourse.formatting import percent_trimmed
from coopcourse.text import text

EXERCISE_ID = "manage_coop.governance_role_play"
SCENARIOS = "meeting_scenarios"

__all__ = ["meeting_scenarios", "role_play_tracker"]


def meeting_scenarios() -> list[dict[str, Any]]:
    return list(content.load(SCENARIOS)["scenarios"])


def scenario_values(scenario_id: str | None = None) -> dict[str, Any]:
    """A card's setup, with the attendance, the votes and the meeting log cleared (a new meeting)."""
    for card in meeting_scenarios():
        if scenario_id in (None, card["id"]):
            return {"present": [], "votes": {}, "log": [], **card["values"]}
    raise KeyError(scenario_id)


class VoteBoard(MessageMixin, widgets.VBox):
    """For / Against / Abstain for each present member with a vote: one row of three buttons each
    (keyboard: Tab to a button, Space to choose; on a phone the rows stack). ``value`` maps a
    member's name to their choice; members who have not chosen are not in it."""

    value = traitlets.Dict()

    def __init__(self) -> None:
        self.heading = shared.html()
        self.count = shared.html()
        self.rows = shared.vbox()
        self.record_button = shared.button(
            description=text("meeting.record"),
            button_style="primary",
            icon="check",
            layout=shared.layout(width="auto"),
        )
        self.clear_button = shared.button(
            description=text("meeting.clear_votes"), icon="eraser", layout=shared.layout(width="auto")
        )
        self.voters: tuple[str, ...] = ()
        self.toggles: dict[str, widgets.ToggleButtons] = {}
        buttons = shared.hbox([self.record_button, self.clear_button], layout=shared.layout(flex_flow="row wrap"))
        super().__init__([self.heading, self.rows, self.count, buttons], layout=shared.layout())
        self.add_class("coop-vote-board")
        self.clear_button.on_click(lambda _b: setattr(self, "value", {}))
        self.observe(self._on_value_set, names="value")

    def set_voters(self, names: Sequence[str]) -> None:
        """Show a row for each of ``names``; choices of members who stay are kept. Rows are only
        rebuilt when the list changes, so the button a member just pressed keeps the focus."""
        names = tuple(names)
        if names == self.voters:
            return
        self.voters = names
        options = [
            (text("meeting.vote_for"), "for"),
            (text("meeting.vote_against"), "against"),
            (text("meeting.vote_abstain"), "abstain"),
        ]
        self.toggles = {}
        for name in names:
            toggle = widgets.ToggleButtons(
                options=options,
                value=self.value.get(name),
                description=name,
                tooltips=[text("meeting.vote_tooltip", name=name, choice=label) for label, _ in options],
                style=shared.style(widgets.ToggleButtons, description_width="9em", button_width="6.5em"),
                layout=shared.layout(),
            )
            toggle.add_class("coop-vote")
            toggle.observe(self._on_pressed, names="value")
            self.toggles[name] = toggle
        self.rows.children = list(self.toggles.values())
        kept = {name: choice for name, choice in self.value.items() if name in self.toggles}
        if kept != self.value:
            self.value = kept

    def _on_pressed(self, _change: dict) -> None:
        chosen = {name: toggle.value for name, toggle in self.toggles.items() if toggle.value is not None}
        if chosen != self.value:
            self.value = chosen

    def _on_value_set(self, change: dict) -> None:
        # Set from code (restoring, clearing): show it on the buttons of members on screen.
        for name, toggle in self.toggles.items():
            wanted = change["new"].get(name)
            if toggle.value != wanted and wanted in (None, "for", "against", "abstain"):
                toggle.value = wanted


class Attendance(PickManyField):
    """Who is present: a tick for each person on the list. Ticks set from code (saved work, an
    uploaded file) are kept even for names not on the list yet: the list of people is restored in
    the same ``apply``, and the next update adds their checkboxes, ticked. Without this, setting the
    ticks one checkbox at a time re-read ``value`` from the checkboxes on screen and dropped them."""

    _setting = False

    def _on_value_set(self, change: dict) -> None:
        self._setting = True
        try:
            super()._on_value_set(change)
        finally:
            self._setting = False

    def _on_ticked(self, change: dict) -> None:
        if not self._setting:
            super()._on_ticked(change)


class LogHolder(widgets.Box):
    """The meeting log (a list of plain records) as a field value, so it is saved and restored with
    the rest of the exercise. Not shown: the log table in the results shows it."""

    value: traitlets.List[dict[str, Any]] = traitlets.List()

    def __init__(self) -> None:
        super().__init__(layout=shared.layout(display="none"))


def _role_options() -> tuple[tuple[str, str], ...]:
    return tuple((mt.role_label(role), role) for role in mt.ROLES)


def _majority_options() -> tuple[tuple[str, str], ...]:
    return tuple((mt.majority_label(majority), majority.value) for majority in Majority)


CARD_TEXTS = PickerTexts(choose="meeting.card_choose", load="meeting.card_load", warning="meeting.card_warning")


def _setup_fields(start: dict[str, Any]) -> dict[str, widgets.DOMWidget]:
    """What kind of meeting, of which cooperative, when, and the quorum the by-laws set."""
    return {
        "meeting_type": ChoiceField(
            text("meeting.meeting_type"),
            [(mt.MeetingType(t).label, t) for t in ("general_assembly", "board_meeting")],
            start["meeting_type"],
            width="26em",
        ),
        "cooperative": TextField(
            text("meeting.cooperative"), start.get("cooperative", ""), max_length=80, width="30em"
        ),
        "meeting_date": TextField(
            text("meeting.date"),
            start.get("meeting_date", ""),
            max_length=60,
            placeholder=text("meeting.date_placeholder"),
            width="30em",
        ),
        "quorum_percent": NumberField(
            text("meeting.quorum_percent"), start["quorum_percent"], Bounds(above_minimum=True, maximum=100), unit="%"
        ),
    }


def _members_editor(start: dict[str, Any]) -> RowsEditor:
    return RowsEditor(
        [
            Column("name", text("meeting.member_name"), kind="text"),
            Column(
                "role",
                text("meeting.role"),
                kind="choice",
                default="ordinary_member",
                options=_role_options(),
                width="18em",
            ),
        ],
        start["members"],
        label=text("meeting.members"),
        max_rows=40,
    )


def _motions_editor(start: dict[str, Any]) -> RowsEditor:
    return RowsEditor(
        [
            Column("text", text("meeting.motion_text"), kind="text", width="30em"),
            Column(
                "majority",
                text("meeting.motion_majority"),
                kind="choice",
                default="simple",
                options=_majority_options(),
                width="21em",
            ),
        ],
        start["motions"],
        label=text("meeting.motions"),
        min_rows=0,
        max_rows=12,
    )


def _heading(words: str) -> str:
    return f'<p class="coop-rows-label">{html.escape(words)}</p>'


def _status(words: str) -> str:
    return f'<p class="coop-instructions" role="status">{html.escape(words)}</p>'


class RolePlayTracker:
    """The meeting role play on one screen. Each step the group takes is one method: ``update``
    (after every change: round, log, next step, votes so far, quorum), ``record_result``,
    ``rotate`` and ``minutes_file``. ``frame`` is what the notebook shows."""

    def __init__(
        self,
        scenario: str | None = None,
        *,
        exercise_id: str = EXERCISE_ID,
        title: str | None = None,
        instructions: str | None = None,
    ) -> None:
        """``exercise_id``, ``title`` and ``instructions`` let another part run the same tracker as its
        own exercise (Start.Coop's founding assembly), saved under its own id."""
        start = scenario_values(scenario)
        self.members = _members_editor(start)
        self.present = Attendance(text("meeting.present"))
        self.present.value = list(start.get("present", []))
        self.board, self.log = VoteBoard(), LogHolder()
        # Every input is saved with the learner's work, the attendance, the votes and the log included.
        self.fields: dict[str, widgets.DOMWidget] = {
            **_setup_fields(start),
            "members": self.members,
            "present": self.present,
            "motions": _motions_editor(start),
            "votes": self.board,
            "log": self.log,
        }
        self.names_offered: tuple[str, ...] = ()  # the names the attendance ticks were last made for

        self.step_line = Feedback()
        self.step_line.add_class("coop-next-step")
        self.round_line = shared.html()
        self.log_table = ResultsTable(text("meeting.log_caption"))
        self.log_table.add_class("coop-meeting-log")
        self.rotate_button = shared.button(
            description=text("meeting.rotate"), icon="refresh", layout=shared.layout(width="auto")
        )
        self.rotate_note = shared.html()
        clear_log = ConfirmButton(
            text("meeting.clear_log"),
            lambda: self.frame.apply({"log": [], "votes": {}}),
            text("meeting.clear_log_warning"),
        )
        self.minutes = DocumentDownload(text("meeting.minutes_button"))
        self.frame = ExerciseFrame(
            exercise_id,
            title or text("meeting.title"),
            instructions or text("meeting.instructions"),
            self.fields,
            [
                self.round_line,
                self.log_table,
                shared.hbox([self.rotate_button, clear_log], layout=shared.layout(flex_flow="row wrap")),
                self.rotate_note,
                shared.html(_heading(text("meeting.minutes_heading"))),
                self.minutes,
            ],
        )
        cards = ScenarioPicker(meeting_scenarios(), lambda card: self.frame.apply(scenario_values(card)), CARD_TEXTS)
        self.frame.tools.children = [cards, self.step_line]
        self.board.record_button.on_click(self.frame.guard(self.record_result))
        self.rotate_button.on_click(self.frame.guard(self.rotate))
        self.minutes.bind(
            self.frame,
            self.minutes_file,
            then=lambda: self.frame.feedback.show("success", text("meeting.minutes_ready")),
        )
        self.frame.bind(self.update)

    # --- reading the screen ---------------------------------------------------------------------

    def participants(self) -> tuple[mt.Participant, ...]:
        return tuple(mt.Participant(str(row["name"]).strip(), str(row["role"])) for row in self.members.value)

    def meeting_type(self) -> mt.MeetingType:
        return mt.MeetingType(self.fields["meeting_type"].value)

    def entries(self) -> tuple[mt.LogEntry, ...]:
        return mt.parse_log(self.log.value)

    def current(self) -> mt.MeetingRecord:
        """Everything on screen, checked; raises ``CourseInputError`` at the first problem."""
        kind = self.meeting_type()
        people = self.participants()
        mt.check_setup(people, kind)
        quorum = mt.check_quorum(people, self.present.value, kind, self.fields["quorum_percent"].value)
        motions = mt.motions_from_rows(self.fields["motions"].value)
        return mt.MeetingRecord(
            self.fields["cooperative"].value,
            kind,
            self.fields["meeting_date"].value,
            people,
            tuple(self.present.value),
            quorum,
            motions,
            self.entries(),
        )

    # --- after every change ---------------------------------------------------------------------

    def update(self) -> None:
        entries = self.entries()
        number = mt.current_round(entries)
        self.round_line.value = _heading(text("meeting.round", round=number))
        _show_log(self.log_table, entries)
        self.offer_names()
        try:
            record = self.current()
        except CourseInputError as error:
            self.step_line.show("warning", text("meeting.step_setup", round=number, problem=error.message))
            raise
        step = mt.next_step(record.quorum, record.present, record.motions, entries)
        self.show_votes(record, step)
        self.show_next_step(record, step, number)
        self.show_quorum(record)

    def offer_names(self) -> None:
        """A tick box for each person on the list (rebuilt only when the names change)."""
        names = tuple(str(row["name"]).strip() for row in self.members.value if str(row["name"]).strip())
        if names != self.names_offered:
            self.names_offered = names
            self.present.set_options(list(dict.fromkeys(names)))

    def show_votes(self, record: mt.MeetingRecord, step: mt.NextStep) -> None:
        """The vote buttons of everyone present with a vote, and the count so far."""
        voting = (
            mt.present_voters(record.participants, record.present, record.meeting_type) if record.quorum.reached else ()
        )
        self.board.set_voters(voting)
        if step.stage is not mt.Stage.VOTE:
            self.board.heading.value = _heading(text("meeting.no_vote_now"))
            self.board.count.value = ""
            return
        self.board.heading.value = _heading(text("meeting.voting_on", number=step.motion_number, motion=step.motion))
        counts = mt.count_votes(self.board.value, voting)
        waiting = [name for name in voting if name not in self.board.value]
        self.board.count.value = _status(
            text(
                "meeting.running_count",
                votes_for=counts[mt.Vote.FOR],
                against=counts[mt.Vote.AGAINST],
                abstain=counts[mt.Vote.ABSTAIN],
                waiting=len(waiting),
            )
        )

    def show_next_step(self, record: mt.MeetingRecord, step: mt.NextStep, number: int) -> None:
        """What to do next, and who does it."""
        people, quorum = record.participants, record.quorum
        chair = mt.holders(people, "chair")[0]
        secretary = mt.holders(people, "secretary")[0]
        tellers = ", ".join(mt.holders(people, "teller")) or chair
        messages = {
            mt.Stage.ATTENDANCE: text("meeting.step_attendance", round=number, secretary=secretary),
            mt.Stage.NO_QUORUM: text(
                "meeting.step_no_quorum", round=number, chair=chair, present=quorum.present, needed=quorum.needed
            ),
            mt.Stage.AGENDA: text("meeting.step_agenda", round=number, secretary=secretary),
            mt.Stage.VOTE: text(
                "meeting.step_vote",
                round=number,
                chair=chair,
                number=step.motion_number,
                motion=step.motion,
                tellers=tellers,
            ),
            mt.Stage.MINUTES: text("meeting.step_minutes", round=number, secretary=secretary, chair=chair),
        }
        self.step_line.show("success" if step.stage is mt.Stage.MINUTES else "info", messages[step.stage])

    def show_quorum(self, record: mt.MeetingRecord) -> None:
        quorum = record.quorum
        who = (
            text("meeting.who_votes_assembly")
            if record.meeting_type is mt.MeetingType.GENERAL_ASSEMBLY
            else text("meeting.who_votes_board")
        )
        figures = {
            "present": quorum.present,
            "needed": quorum.needed,
            "entitled": quorum.entitled,
            "percent": percent_trimmed(quorum.percent, 1),
            "who": who,
        }
        if quorum.reached:
            self.frame.feedback.show("success", text("meeting.quorum_ok", **figures))
        else:
            self.frame.feedback.show(
                "warning", text("meeting.quorum_missing", missing=quorum.needed - quorum.present, **figures)
            )

    # --- the group's actions --------------------------------------------------------------------

    def record_result(self) -> None:
        """The teller records the vote on the next motion in the log."""
        record = self.current()
        if not record.motions:
            raise CourseInputError(text("meeting.error_no_motions"), "motions")
        if not record.quorum.reached:
            raise CourseInputError(
                text("meeting.error_no_quorum", present=record.quorum.present, needed=record.quorum.needed), "votes"
            )
        entries = self.entries()
        upcoming = mt.next_motion(record.motions, entries)
        if upcoming is None:
            raise CourseInputError(text("meeting.error_all_voted"), "votes")
        number, motion = upcoming
        voting = mt.present_voters(record.participants, record.present, record.meeting_type)
        result = mt.tally(self.board.value, voting, motion.majority)
        entry = mt.VoteRecord(
            mt.current_round(entries),
            motion.text,
            motion.majority,
            result.votes_for,
            result.against,
            result.abstain,
            record.quorum.present,
            record.quorum.needed,
            mt.holders(record.participants, "chair")[0],
            mt.holders(record.participants, "secretary")[0],
        )
        self.frame.apply({"log": [*self.log.value, entry.to_dict()], "votes": {}})
        self.board.clear_error()
        words = text("meeting.result_carried" if result.carried else "meeting.result_not_carried")
        self.frame.feedback.show(
            "success" if result.carried else "info",
            text(
                "meeting.recorded",
                number=number,
                motion=motion.text,
                result=words,
                votes_for=result.votes_for,
                against=result.against,
                abstain=result.abstain,
                cast=result.cast,
                needed=result.needed,
                majority=mt.majority_label(motion.majority),
            ),
        )

    def rotate(self) -> None:
        """Every role passes to the next person on the list; the log notes the new officers."""
        people = self.participants()
        mt.check_setup(people, self.meeting_type())
        turned = mt.rotate_participants(people)
        entry = mt.RotationRecord(
            mt.current_round(self.entries()) + 1,
            tuple((p.name, p.role) for p in people),
            tuple((p.name, p.role) for p in turned),
        )
        self.frame.apply(
            {
                "members": [{"name": p.name, "role": p.role} for p in turned],
                "log": [*self.log.value, entry.to_dict()],
                "votes": {},
            }
        )
        self.rotate_note.value = _status(
            text(
                "meeting.rotated",
                round=entry.round,
                chair=mt.holders(turned, "chair")[0],
                secretary=mt.holders(turned, "secretary")[0],
                tellers=", ".join(mt.holders(turned, "teller")) or text("meeting.minutes_nobody"),
            )
        )

    def minutes_file(self) -> tuple[documents.Document, str]:
        name = file_name("minutes", self.fields["cooperative"].value, "meeting.minutes_our_coop")
        return reports.minutes(self.current()), name


def role_play_tracker(scenario: str | None = None) -> ExerciseFrame:
    """Run a general assembly or board meeting as a role play and keep its minutes."""
    return RolePlayTracker(scenario).frame


def _show_log(table: ResultsTable, entries: Sequence[mt.LogEntry]) -> None:
    rows = []
    for entry in entries:
        if isinstance(entry, mt.VoteRecord):
            rows.append(
                (
                    str(entry.round),
                    entry.motion,
                    mt.majority_label(entry.majority),
                    f"{entry.votes_for} / {entry.against} / {entry.abstain}",
                    text("meeting.needed_of_cast", needed=entry.tally.needed, cast=entry.tally.cast),
                    mt.result_words(entry),
                )
            )
        else:

            def named(role: str, people: tuple[tuple[str, str], ...] = entry.after) -> str:
                return ", ".join(name for name, held in people if held == role) or text("meeting.minutes_nobody")

            rows.append(
                (
                    str(entry.round),
                    text("meeting.log_rotation"),
                    "",
                    "",
                    "",
                    text(
                        "meeting.log_new_officers",
                        chair=named("chair"),
                        secretary=named("secretary"),
                        tellers=named("teller"),
                    ),
                )
            )
    if not rows:
        table.show({text("meeting.col_motion"): [text("meeting.log_empty")]})
        return
    table.show(
        rows,
        columns=[
            text("meeting.col_round"),
            text("meeting.col_motion"),
            text("meeting.col_majority"),
            text("meeting.col_votes"),
            text("meeting.col_needed"),
            text("meeting.col_result"),
        ],
    )
