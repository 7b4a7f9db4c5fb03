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
import pandas as pd
import traitlets

from coopcourse import content, documents
from coopcourse.calculations import meeting as mt
from coopcourse.calculations.governance import Majority
from coopcourse.components import (
    ChoiceField,
    Column,
    ConfirmButton,
    DownloadLink,
    ExerciseFrame,
    Feedback,
    NumberField,
    PickManyField,
    ResultsTable,
    RowsEditor,
    TextField,
)
from coopcourse.components.download import file_slug
from coopcourse.components.fields import _MessageMixin
from coopcourse.errors import CourseInputError
from coopcourse.calculations.validation import Bounds
from coopcourse.text import text


EXERCISE_ID = "manage_coop.governance_role_play"
SCENARIOS = "meeting_scenarios"

__all__ = ["role_play_tracker", "meeting_scenarios"]


def meeting_scenarios() -> list[dict[str, Any]]:
    return list(content.load(SCENARIOS)["scenarios"])


def scenario_values(scenario_id: str | None = None) -> dict[str, Any]:
    """A card's setup, with the attendance, the votes and the meeting log cleared (a new meeting)."""
    for card in meeting_scenarios():
        if scenario_id in (None, card["id"]):
            return {"present": [], "votes": {}, "log": [], **card["values"]}
    raise KeyError(scenario_id)


class VoteBoard(_MessageMixin, widgets.VBox):
    """For / Against / Abstain for each present member with a vote: one row of three buttons each
    (keyboard: Tab to a button, Space to choose; on a phone the rows stack). ``value`` maps a
    member's name to their choice; members who have not chosen are not in it."""

    value = traitlets.Dict()

    def __init__(self) -> None:
        self.heading = widgets.HTML()
        self.count = widgets.HTML()
        self.rows = widgets.VBox()
        self.record_button = widgets.Button(description=text("meeting.record"), button_style="primary",
                                            icon="check", layout=widgets.Layout(width="auto"))
        self.clear_button = widgets.Button(description=text("meeting.clear_votes"), icon="eraser",
                                           layout=widgets.Layout(width="auto"))
        self.message = widgets.HTML()
        self.voters: tuple[str, ...] = ()
        self.toggles: dict[str, widgets.ToggleButtons] = {}
        buttons = widgets.HBox([self.record_button, self.clear_button], layout=widgets.Layout(flex_flow="row wrap"))
        super().__init__([self.heading, self.rows, self.count, buttons, self.message])
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
        options = [(text("meeting.vote_for"), "for"), (text("meeting.vote_against"), "against"),
                   (text("meeting.vote_abstain"), "abstain")]
        self.toggles = {}
        for name in names:
            toggle = widgets.ToggleButtons(options=options, value=self.value.get(name), description=name,
                                           tooltips=[text("meeting.vote_tooltip", name=name, choice=label)
                                                     for label, _ in options],
                                           style={"description_width": "9em", "button_width": "6.5em"})
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

    value = traitlets.List()

    def __init__(self) -> None:
        super().__init__(layout=widgets.Layout(display="none"))


def _STYLE() -> widgets.HTML:  # noqa: N802 - reads like the constant it is
    """Words in the meeting log read left to right (the course table right-aligns for numbers)."""
    return widgets.HTML("<style>.coop-meeting-log .coop-table td, .coop-meeting-log .coop-table th"
                        " { text-align: left; vertical-align: top; }</style>",
                        layout=widgets.Layout(display="none"))


def _role_options() -> tuple[tuple[str, str], ...]:
    return tuple((mt.role_label(role), role) for role in mt.ROLES)


def _majority_options() -> tuple[tuple[str, str], ...]:
    return tuple((mt.majority_label(majority), majority.value) for majority in Majority)


def role_play_tracker(scenario: str | None = None) -> ExerciseFrame:
    """Run a general assembly or board meeting as a role play and keep its minutes."""
    start = scenario_values(scenario)
    fields: dict[str, widgets.DOMWidget] = {
        "meeting_type": ChoiceField(text("meeting.meeting_type"),
                                    [(mt.MeetingType(t).label, t) for t in ("general_assembly", "board_meeting")],
                                    start["meeting_type"], width="26em"),
        "cooperative": TextField(text("meeting.cooperative"), start.get("cooperative", ""), max_length=80,
                                 width="30em"),
        "meeting_date": TextField(text("meeting.date"), start.get("meeting_date", ""), max_length=60,
                                  placeholder=text("meeting.date_placeholder"), width="30em"),
        "quorum_percent": NumberField(text("meeting.quorum_percent"), start["quorum_percent"], Bounds(above_minimum=True, maximum=100), unit="%"),
        "members": RowsEditor(
            [Column("name", text("meeting.member_name"), kind="text"),
             Column("role", text("meeting.role"), kind="choice", default="ordinary_member",
                    options=_role_options(), width="18em")],
            start["members"], label=text("meeting.members"), max_rows=40),
        "present": Attendance(text("meeting.present")),
        "motions": RowsEditor(
            [Column("text", text("meeting.motion_text"), kind="text", width="30em"),
             Column("majority", text("meeting.motion_majority"), kind="choice", default="simple",
                    options=_majority_options(), width="21em")],
            start["motions"], label=text("meeting.motions"), min_rows=0, max_rows=12),
        "votes": VoteBoard(),
        "log": LogHolder(),
    }
    board: VoteBoard = fields["votes"]  # type: ignore[assignment]
    log_field: LogHolder = fields["log"]  # type: ignore[assignment]
    present: PickManyField = fields["present"]  # type: ignore[assignment]
    fields["present"].value = list(start.get("present", []))

    step_line = Feedback()
    step_line.add_class("coop-next-step")
    round_line = widgets.HTML()
    log_table = ResultsTable(text("meeting.log_caption"))
    log_table.add_class("coop-meeting-log")
    rotate_button = widgets.Button(description=text("meeting.rotate"), icon="refresh",
                                   layout=widgets.Layout(width="auto"))
    rotate_note = widgets.HTML()
    clear_log = ConfirmButton(text("meeting.clear_log"), lambda: frame.apply({"log": [], "votes": {}}),
                              text("meeting.clear_log_warning"))
    minutes_button = widgets.Button(description=text("meeting.minutes_button"), button_style="primary",
                                    icon="file", layout=widgets.Layout(width="auto"))
    markdown_link, word_link = DownloadLink(), DownloadLink()
    frame = ExerciseFrame(
        EXERCISE_ID, text("meeting.title"), text("meeting.instructions"), fields,
        [round_line, log_table,
         widgets.HBox([rotate_button, clear_log], layout=widgets.Layout(flex_flow="row wrap")), rotate_note,
         widgets.HTML(f'<p class="coop-rows-label">{html.escape(text("meeting.minutes_heading"))}</p>'),
         widgets.HBox([minutes_button, markdown_link, word_link],
                      layout=widgets.Layout(flex_flow="row wrap", align_items="center"))],
    )
    frame.tools.children = [_scenario_cards(frame), step_line, _STYLE()]
    seen_names: list[tuple[str, ...]] = [()]

    def participants() -> tuple[mt.Participant, ...]:
        return tuple(mt.Participant(str(row["name"]).strip(), str(row["role"])) for row in fields["members"].value)

    def meeting_type() -> mt.MeetingType:
        return mt.MeetingType(fields["meeting_type"].value)

    def current() -> mt.MeetingRecord:
        """Everything on screen, checked; raises ``CourseInputError`` at the first problem."""
        kind = meeting_type()
        people = participants()
        mt.check_setup(people, kind)
        quorum = mt.check_quorum(people, present.value, kind, fields["quorum_percent"].value)
        motions = mt.motions_from_rows(fields["motions"].value)
        return mt.MeetingRecord(fields["cooperative"].value, kind, fields["meeting_date"].value, people,
                                tuple(present.value), quorum, motions, mt.parse_log(log_field.value))

    def show_step(message: str, kind: str = "info") -> None:
        step_line.show(kind, message)  # type: ignore[arg-type]

    def update() -> None:
        entries = mt.parse_log(log_field.value)
        number = mt.current_round(entries)
        round_line.value = (f'<p class="coop-rows-label">{html.escape(text("meeting.round", round=number))}</p>')
        _show_log(log_table, entries)
        names = tuple(str(row["name"]).strip() for row in fields["members"].value if str(row["name"]).strip())
        if names != seen_names[0]:
            seen_names[0] = names
            present.set_options(list(dict.fromkeys(names)))
        try:
            record = current()
        except CourseInputError as error:
            show_step(text("meeting.step_setup", round=number, problem=error.message), "warning")
            raise
        people, kind, quorum = record.participants, record.meeting_type, record.quorum
        chair = mt.holders(people, "chair")[0]
        secretary = mt.holders(people, "secretary")[0]
        tellers = ", ".join(mt.holders(people, "teller")) or chair
        step = mt.next_step(quorum, record.present, record.motions, entries)
        voting = mt.present_voters(people, record.present, kind) if quorum.reached else ()
        board.set_voters(voting)
        if step.stage is mt.Stage.VOTE:
            board.heading.value = (f'<p class="coop-rows-label">'
                                   f'{html.escape(text("meeting.voting_on", number=step.motion_number, motion=step.motion))}</p>')
            counts = mt.count_votes(board.value, voting)
            still = [name for name in voting if name not in board.value]
            running = text("meeting.running_count", votes_for=counts[mt.Vote.FOR], against=counts[mt.Vote.AGAINST],
                           abstain=counts[mt.Vote.ABSTAIN], waiting=len(still))
            board.count.value = f'<p class="coop-instructions" role="status">{html.escape(running)}</p>'
        else:
            board.heading.value = (f'<p class="coop-rows-label">{html.escape(text("meeting.no_vote_now"))}</p>')
            board.count.value = ""
        messages = {
            mt.Stage.ATTENDANCE: text("meeting.step_attendance", round=number, secretary=secretary),
            mt.Stage.NO_QUORUM: text("meeting.step_no_quorum", round=number, chair=chair,
                                     present=quorum.present, needed=quorum.needed),
            mt.Stage.AGENDA: text("meeting.step_agenda", round=number, secretary=secretary),
            mt.Stage.VOTE: text("meeting.step_vote", round=number, chair=chair, number=step.motion_number,
                                motion=step.motion, tellers=tellers),
            mt.Stage.MINUTES: text("meeting.step_minutes", round=number, secretary=secretary, chair=chair),
        }
        show_step(messages[step.stage], "success" if step.stage is mt.Stage.MINUTES else "info")
        voters_word = (text("meeting.who_votes_assembly") if kind is mt.MeetingType.GENERAL_ASSEMBLY
                       else text("meeting.who_votes_board"))
        if quorum.reached:
            frame.feedback.show("success", text("meeting.quorum_ok", present=quorum.present, needed=quorum.needed,
                                                entitled=quorum.entitled, percent=mt._percent(quorum.percent),
                                                who=voters_word))
        else:
            frame.feedback.show("warning", text("meeting.quorum_missing", present=quorum.present,
                                                needed=quorum.needed, entitled=quorum.entitled,
                                                percent=mt._percent(quorum.percent), who=voters_word,
                                                missing=quorum.needed - quorum.present))

    def record_result() -> None:
        record = current()
        if not record.motions:
            raise CourseInputError(text("meeting.error_no_motions"), "motions")
        if not record.quorum.reached:
            raise CourseInputError(text("meeting.error_no_quorum", present=record.quorum.present,
                                        needed=record.quorum.needed), "votes")
        entries = mt.parse_log(log_field.value)
        upcoming = mt.next_motion(record.motions, entries)
        if upcoming is None:
            raise CourseInputError(text("meeting.error_all_voted"), "votes")
        number, motion = upcoming
        voting = mt.present_voters(record.participants, record.present, record.meeting_type)
        result = mt.tally(board.value, voting, motion.majority)
        entry = mt.VoteRecord(mt.current_round(entries), motion.text, motion.majority, result.votes_for,
                              result.against, result.abstain, record.quorum.present, record.quorum.needed,
                              mt.holders(record.participants, "chair")[0],
                              mt.holders(record.participants, "secretary")[0])
        frame.apply({"log": [*log_field.value, entry.to_dict()], "votes": {}})
        board.clear_error()
        words = text("meeting.result_carried" if result.carried else "meeting.result_not_carried")
        frame.feedback.show("success" if result.carried else "info", text(
            "meeting.recorded", number=number, motion=motion.text, result=words, votes_for=result.votes_for,
            against=result.against, abstain=result.abstain, cast=result.cast, needed=result.needed,
            majority=mt.majority_label(motion.majority)))

    def rotate() -> None:
        people = participants()
        mt.check_setup(people, meeting_type())
        turned = mt.rotate_participants(people)
        entries = mt.parse_log(log_field.value)
        entry = mt.RotationRecord(mt.current_round(entries) + 1, tuple((p.name, p.role) for p in people),
                                  tuple((p.name, p.role) for p in turned))
        frame.apply({"members": [{"name": p.name, "role": p.role} for p in turned],
                     "log": [*log_field.value, entry.to_dict()], "votes": {}})
        chair = mt.holders(turned, "chair")[0]
        secretary = mt.holders(turned, "secretary")[0]
        note = text("meeting.rotated", round=entry.round, chair=chair, secretary=secretary,
                    tellers=", ".join(mt.holders(turned, "teller")) or text("meeting.minutes_nobody"))
        rotate_note.value = f'<p class="coop-instructions" role="status">{html.escape(note)}</p>'

    def export_minutes() -> None:
        document = mt.minutes(current())
        slug = file_slug(fields["cooperative"].value or text("meeting.minutes_our_coop"))
        markdown_link.offer(f"minutes-{slug}.md", documents.to_markdown(document).encode("utf-8"),
                            "text/markdown")
        word_link.offer(f"minutes-{slug}.docx", documents.to_docx(document),
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        frame.feedback.show("success", text("meeting.minutes_ready"))

    board.record_button.on_click(frame.guard(record_result))
    rotate_button.on_click(frame.guard(rotate))
    minutes_button.on_click(frame.guard(export_minutes))
    return frame.bind(update)


def _show_log(table: ResultsTable, entries: Sequence[mt.LogEntry]) -> None:
    rows = []
    for entry in entries:
        if isinstance(entry, mt.VoteRecord):
            rows.append((str(entry.round), entry.motion, mt.majority_label(entry.majority),
                         f"{entry.votes_for} / {entry.against} / {entry.abstain}",
                         text("meeting.needed_of_cast", needed=entry.tally.needed, cast=entry.tally.cast),
                         mt.result_words(entry)))
        else:
            def named(role: str, people: tuple[tuple[str, str], ...] = entry.after) -> str:
                return ", ".join(name for name, held in people if held == role) or text("meeting.minutes_nobody")

            rows.append((str(entry.round), text("meeting.log_rotation"), "", "", "",
                         text("meeting.log_new_officers", chair=named("chair"), secretary=named("secretary"),
                              tellers=named("teller"))))
    if not rows:
        table.show(pd.DataFrame({text("meeting.col_motion"): [text("meeting.log_empty")]}))
        return
    table.show(pd.DataFrame(rows, columns=[text("meeting.col_round"), text("meeting.col_motion"),
                                           text("meeting.col_majority"), text("meeting.col_votes"),
                                           text("meeting.col_needed"), text("meeting.col_result")]))


def _scenario_cards(frame: ExerciseFrame) -> widgets.VBox:
    """The ready scenario cards: pick one, read its story, load it after confirming."""
    cards = meeting_scenarios()
    choose = widgets.Dropdown(options=[(c["title"], c["id"]) for c in cards], description=text("meeting.card_choose"),
                              style={"description_width": "initial"},
                              layout=widgets.Layout(width="auto", max_width="100%"))
    story = widgets.HTML()

    def show_story(_change: object = None) -> None:
        card = next(c for c in cards if c["id"] == choose.value)
        source = (f' <em>{html.escape(text("scenario.source"))} {html.escape(card["source"])}</em>'
                  if card.get("source") else "")
        story.value = f'<p class="coop-instructions">{html.escape(card["story"])}{source}</p>'

    choose.observe(show_story, names="value")
    show_story()
    load = ConfirmButton(text("meeting.card_load"), lambda: frame.apply(scenario_values(choose.value)),
                         text("meeting.card_warning"))
    box = widgets.VBox([choose, story, load])
    box.add_class("coop-scenarios")
    box.choose, box.load = choose, load  # type: ignore[attr-defined]
    return box
