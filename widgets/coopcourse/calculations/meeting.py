"""A general assembly or board meeting run as a role play: who may vote, quorum, the tally of one
motion (one member, one vote), rotating the roles between rounds, and the record the minutes are written from
(``calculations.reports.minutes``).

Rules from the content brief (section 5): the general assembly of members approves plans and
accounts, elects directors and amends the by-laws; the board sets policy and hires the manager;
the manager runs daily operations; a supervisory committee oversees the board but takes no action
itself. Quorum is a share of the members set in the by-laws (25% in the Philippine example);
ordinary decisions need a simple majority, by-law changes often two thirds or three quarters.
Abstentions are not votes cast: a majority is counted among those voting for or against.

The meeting log is kept as plain dicts (saved with the learner's work); ``parse_log`` reads it
back into typed entries and skips anything it cannot read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from coopcourse.calculations.governance import Majority, motion_carried, quorum_needed, votes_needed
from coopcourse.calculations.validation import (
    cell_text,
    check_choice,
    check_count,
    check_items,
    check_kind,
    check_mapping,
    check_number,
    check_rows,
    check_text,
    check_unique_names,
    checked,
)
from coopcourse.errors import CourseInputError
from coopcourse.text import text

ROLES = ("chair", "secretary", "teller", "board_member", "manager", "supervisory_committee", "ordinary_member")
ROLE_LABEL_KEYS = {
    "chair": "meeting.role_chair",
    "secretary": "meeting.role_secretary",
    "teller": "meeting.role_teller",
    "board_member": "meeting.role_board_member",
    "manager": "meeting.role_manager",
    "supervisory_committee": "meeting.role_supervisory_committee",
    "ordinary_member": "meeting.role_ordinary_member",
}
MAJORITY_LABEL_KEYS = {
    Majority.SIMPLE: "meeting.majority_simple",
    Majority.TWO_THIRDS: "meeting.majority_two_thirds",
    Majority.THREE_QUARTERS: "meeting.majority_three_quarters",
}


class MeetingType(str, Enum):
    GENERAL_ASSEMBLY = "general_assembly"
    BOARD_MEETING = "board_meeting"

    @property
    def label(self) -> str:
        return text(
            "meeting.type_general_assembly" if self is MeetingType.GENERAL_ASSEMBLY else "meeting.type_board_meeting"
        )


class Vote(str, Enum):
    FOR = "for"
    AGAINST = "against"
    ABSTAIN = "abstain"


def _role(role: object) -> str:
    if check_text(role, text("meeting.role"), "members") not in ROLES:
        raise CourseInputError(text("error.not_a_choice", label=text("meeting.role")), "members")
    return str(role)


def _people(participants: object) -> tuple[Participant, ...]:
    label = text("meeting.members")
    return tuple(check_kind(p, Participant, label, "members") for p in check_items(participants, label, "members"))


def _names(names: object, label_key: str, field: str) -> tuple[str, ...]:
    label = text(label_key)
    return tuple(check_text(name, label, field) for name in check_items(names, label, field))


def _log(log: object) -> tuple[LogEntry, ...]:
    label = text("meeting.log_caption")
    return tuple(
        check_kind(entry, (VoteRecord, RotationRecord), label, "log")  # type: ignore[arg-type]
        for entry in check_items(log, label, "log")
    )


def _motions(motions: object) -> tuple[Motion, ...]:
    label = text("meeting.motions")
    return tuple(check_kind(m, Motion, label, "motions") for m in check_items(motions, label, "motions"))


def _meeting_type(meeting_type: object) -> MeetingType:
    return check_choice(meeting_type, MeetingType, text("meeting.meeting_type"), "meeting_type")


def role_label(role: str) -> str:
    return text(ROLE_LABEL_KEYS[_role(role)])


def majority_label(majority: Majority) -> str:
    return text(MAJORITY_LABEL_KEYS[check_choice(majority, Majority, text("meeting.motion_majority"), "motions")])


# Who votes: at a general assembly every member (the manager is staff and attends without a vote);
# at a board meeting the directors only (chair, secretary and tellers are directors taking turns).
_BOARD_VOTERS = frozenset({"chair", "secretary", "teller", "board_member"})


def has_vote(role: str, meeting_type: MeetingType) -> bool:
    role, meeting_type = _role(role), _meeting_type(meeting_type)
    if meeting_type is MeetingType.BOARD_MEETING:
        return role in _BOARD_VOTERS
    return role != "manager"


@dataclass(frozen=True)
@checked()
class Participant:
    name: str
    role: str

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise CourseInputError(text("error.blank_name", label=text("meeting.members")), "members")
        if self.role not in ROLES:
            raise CourseInputError(text("meeting.error_unknown_role", name=self.name), "members")


def check_setup(participants: Sequence[Participant], meeting_type: MeetingType) -> None:
    """A meeting needs people with unique names, one chair, one secretary and someone with a vote."""
    participants, meeting_type = _people(participants), _meeting_type(meeting_type)
    if not participants:
        raise CourseInputError(text("meeting.error_no_members"), "members")
    check_unique_names([p.name for p in participants], text("meeting.members"), "members")
    for role, key in (("chair", "meeting.error_chair_count"), ("secretary", "meeting.error_secretary_count")):
        holders = [p.name for p in participants if p.role == role]
        if len(holders) != 1:
            raise CourseInputError(text(key, count=len(holders)), "members")
    if not any(has_vote(p.role, meeting_type) for p in participants):
        raise CourseInputError(text("meeting.error_no_voters", meeting=meeting_type.label), "members")


def holders(participants: Sequence[Participant], role: str) -> tuple[str, ...]:
    participants, role = _people(participants), _role(role)
    return tuple(p.name for p in participants if p.role == role)


def voters(participants: Sequence[Participant], meeting_type: MeetingType) -> tuple[str, ...]:
    """Names of everyone with a vote at this kind of meeting, in list order."""
    participants, meeting_type = _people(participants), _meeting_type(meeting_type)
    return tuple(p.name for p in participants if has_vote(p.role, meeting_type))


def present_voters(
    participants: Sequence[Participant], present: Sequence[str], meeting_type: MeetingType
) -> tuple[str, ...]:
    here = set(_names(present, "meeting.present", "present"))
    return tuple(name for name in voters(participants, meeting_type) if name in here)


@dataclass(frozen=True)
@checked()
class Quorum:
    entitled: int  # members with a vote at this meeting
    present: int  # of them, present
    needed: int
    percent: float

    def __post_init__(self) -> None:
        label = text("meeting.quorum_percent")
        for count in (self.entitled, self.present, self.needed):
            check_count(count, label, minimum=0, maximum=10**9, field="quorum_percent")
        check_number(self.percent, label, maximum=100, field="quorum_percent")

    @property
    def reached(self) -> bool:
        return self.present >= self.needed


def check_quorum(
    participants: Sequence[Participant], present: Sequence[str], meeting_type: MeetingType, quorum_percent: float
) -> Quorum:
    """Quorum counts those with a vote: a share of them, rounded up, must be present."""
    check_number(
        quorum_percent, text("meeting.quorum_percent"), above_minimum=True, maximum=100, field="quorum_percent"
    )
    entitled = voters(participants, meeting_type)
    meeting_type = _meeting_type(meeting_type)
    if not entitled:
        raise CourseInputError(text("meeting.error_no_voters", meeting=meeting_type.label), "members")
    here = present_voters(participants, present, meeting_type)
    return Quorum(len(entitled), len(here), quorum_needed(len(entitled), quorum_percent), float(quorum_percent))


@dataclass(frozen=True)
@checked()
class Tally:
    votes_for: int
    against: int
    abstain: int
    majority: Majority

    def __post_init__(self) -> None:
        for count in (self.votes_for, self.against, self.abstain):
            check_count(count, text("meeting.votes"), minimum=0, maximum=10**9, field="votes")

    @property
    def cast(self) -> int:
        """Votes cast: for and against. Abstentions are not counted."""
        return self.votes_for + self.against

    @property
    def needed(self) -> int:
        return votes_needed(self.cast, self.majority)

    @property
    def carried(self) -> bool:
        return motion_carried(self.votes_for, self.against, self.majority)


def count_votes(votes: Mapping[str, str], voting: Sequence[str]) -> dict[Vote, int]:
    """How many of ``voting`` chose each option so far (others and unknown options are ignored)."""
    votes = check_mapping(votes, text("meeting.votes"), "votes")
    counts = {vote: 0 for vote in Vote}
    for name in _names(voting, "meeting.members", "votes"):
        choice = votes.get(name)
        if isinstance(choice, str) and choice in {v.value for v in Vote}:
            counts[Vote(choice)] += 1
    return counts


def tally(votes: Mapping[str, str], voting: Sequence[str], majority: Majority | str) -> Tally:
    """The result of one motion. Every member in ``voting`` (present, with a vote) must have chosen
    For, Against or Abstain; votes of anyone else are ignored (one member, one vote)."""
    majority = check_choice(majority, Majority, text("meeting.motion_majority"), "votes")
    votes = check_mapping(votes, text("meeting.votes"), "votes")
    voting = _names(voting, "meeting.members", "votes")
    if not voting:
        raise CourseInputError(text("meeting.error_nobody_votes"), "votes")
    missing = [
        name
        for name in voting
        if not isinstance(votes.get(name), str) or votes.get(name) not in {v.value for v in Vote}
    ]
    if missing:
        raise CourseInputError(text("meeting.error_missing_votes", names=", ".join(missing)), "votes")
    counts = count_votes(votes, voting)
    return Tally(counts[Vote.FOR], counts[Vote.AGAINST], counts[Vote.ABSTAIN], majority)


def rotate_roles(roles: Sequence[str], steps: int = 1) -> tuple[str, ...]:
    """Each role passes to the next person on the list (the last person's role to the first), so
    after as many rounds as there are people everyone has held every role once."""
    roles = tuple(_role(role) for role in check_items(roles, text("meeting.role"), "members"))
    steps = check_count(steps, text("meeting.round_number"), minimum=-(10**9), maximum=10**9, field="members")
    if not roles:
        return ()
    shift = steps % len(roles)
    return tuple(roles[-shift:]) + tuple(roles[:-shift]) if shift else tuple(roles)


def rotate_participants(participants: Sequence[Participant]) -> tuple[Participant, ...]:
    participants = _people(participants)
    roles = rotate_roles([p.role for p in participants])
    return tuple(Participant(p.name, role) for p, role in zip(participants, roles))


# --- The meeting log -------------------------------------------------------------------------


@dataclass(frozen=True)
@checked()
class VoteRecord:
    round: int
    motion: str
    majority: Majority
    votes_for: int
    against: int
    abstain: int
    present: int
    quorum_needed: int
    chair: str
    secretary: str
    kind: str = field(default="vote", init=False)

    def __post_init__(self) -> None:
        check_count(self.round, text("meeting.round_number"), minimum=1, maximum=10**9, field="log")
        for count in (self.votes_for, self.against, self.abstain, self.present, self.quorum_needed):
            check_count(count, text("meeting.votes"), minimum=0, maximum=10**9, field="log")

    @property
    def tally(self) -> Tally:
        return Tally(self.votes_for, self.against, self.abstain, self.majority)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": "vote",
            "round": self.round,
            "motion": self.motion,
            "majority": self.majority.value,
            "for": self.votes_for,
            "against": self.against,
            "abstain": self.abstain,
            "present": self.present,
            "quorum_needed": self.quorum_needed,
            "chair": self.chair,
            "secretary": self.secretary,
        }


@dataclass(frozen=True)
@checked()
class RotationRecord:
    round: int  # the round that starts with the new roles
    before: tuple[tuple[str, str], ...]  # (name, role)
    after: tuple[tuple[str, str], ...]
    kind: str = field(default="rotation", init=False)

    def __post_init__(self) -> None:
        check_count(self.round, text("meeting.round_number"), minimum=1, maximum=10**9, field="log")
        for _name, role in (*self.before, *self.after):
            _role(role)

    def changes(self) -> tuple[tuple[str, str, str], ...]:
        """(name, old role, new role) for everyone whose role changed."""
        old = dict(self.before)
        return tuple((name, old[name], role) for name, role in self.after if name in old and old[name] != role)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": "rotation",
            "round": self.round,
            "before": [{"name": n, "role": r} for n, r in self.before],
            "after": [{"name": n, "role": r} for n, r in self.after],
        }


LogEntry = VoteRecord | RotationRecord


def _saved_people(raw: Any) -> tuple[tuple[str, str], ...]:
    people = tuple((str(p["name"]), str(p["role"])) for p in raw)
    if any(role not in ROLES for _, role in people):
        raise ValueError("unknown role")
    return people


def _entry(raw: Any) -> LogEntry | None:
    try:
        if raw["kind"] == "vote":
            numbers = [raw[key] for key in ("round", "for", "against", "abstain", "present", "quorum_needed")]
            if not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in numbers):
                return None
            return VoteRecord(
                raw["round"],
                str(raw["motion"]),
                Majority(raw["majority"]),
                raw["for"],
                raw["against"],
                raw["abstain"],
                raw["present"],
                raw["quorum_needed"],
                str(raw.get("chair", "")),
                str(raw.get("secretary", "")),
            )
        if raw["kind"] == "rotation":
            if not isinstance(raw["round"], int) or isinstance(raw["round"], bool):
                return None
            return RotationRecord(raw["round"], _saved_people(raw["before"]), _saved_people(raw["after"]))
    except (KeyError, TypeError, ValueError):
        return None
    return None


def parse_log(raw: Any) -> tuple[LogEntry, ...]:
    """Typed entries of a saved log; entries that cannot be read (an old or edited file) are left out."""
    if not isinstance(raw, list):
        return ()
    return tuple(entry for entry in (_entry(item) for item in raw) if entry is not None)


def current_round(log: Sequence[LogEntry]) -> int:
    log = _log(log)
    return 1 + sum(1 for entry in log if isinstance(entry, RotationRecord))


def decided(log: Sequence[LogEntry], round_number: int) -> set[str]:
    """Motions (by text, case ignored) already voted on in this round."""
    log = _log(log)
    round_number = check_count(round_number, text("meeting.round_number"), minimum=1, maximum=10**9, field="log")
    return {e.motion.strip().casefold() for e in log if isinstance(e, VoteRecord) and e.round == round_number}


@dataclass(frozen=True)
@checked()
class Motion:
    text: str
    majority: Majority


def motions_from_rows(rows: Sequence[Mapping[str, Any]]) -> tuple[Motion, ...]:
    motions = []
    for number, row in enumerate(check_rows(rows, text("meeting.motions"), "motions"), start=1):
        wording = cell_text(row, "text", text("meeting.motion_text"), "motions")
        if not wording:
            raise CourseInputError(text("meeting.error_blank_motion", number=number), "motions")
        try:
            majority = check_choice(row.get("majority", "simple"), Majority, text("meeting.motion_majority"))
        except CourseInputError:
            raise CourseInputError(text("meeting.error_unknown_majority", number=number), "motions") from None
        motions.append(Motion(wording, majority))
    seen: set[str] = set()
    for motion in motions:
        if motion.text.casefold() in seen:
            raise CourseInputError(text("meeting.error_duplicate_motion", motion=motion.text), "motions")
        seen.add(motion.text.casefold())
    return tuple(motions)


def next_motion(motions: Sequence[Motion], log: Sequence[LogEntry]) -> tuple[int, Motion] | None:
    """The first motion on the agenda not yet voted on in this round, with its number (from 1)."""
    motions = _motions(motions)
    done = decided(log, current_round(log))
    for number, motion in enumerate(motions, start=1):
        if motion.text.casefold() not in done:
            return number, motion
    return None


class Stage(str, Enum):
    SETUP = "setup"
    ATTENDANCE = "attendance"
    NO_QUORUM = "no_quorum"
    AGENDA = "agenda"
    VOTE = "vote"
    MINUTES = "minutes"


@dataclass(frozen=True)
@checked()
class NextStep:
    stage: Stage
    motion_number: int = 0
    motion: str = ""


def next_step(quorum: Quorum, present: Sequence[str], motions: Sequence[Motion], log: Sequence[LogEntry]) -> NextStep:
    """Where the meeting is, for the "next step" line (set-up problems raise before this)."""
    quorum = check_kind(quorum, Quorum, text("meeting.quorum_percent"), "quorum_percent")
    present, motions = _names(present, "meeting.present", "present"), _motions(motions)
    log = _log(log)
    if not present:
        return NextStep(Stage.ATTENDANCE)
    if not quorum.reached:
        return NextStep(Stage.NO_QUORUM)
    if not motions:
        return NextStep(Stage.AGENDA)
    upcoming = next_motion(motions, log)
    if upcoming is None:
        return NextStep(Stage.MINUTES)
    return NextStep(Stage.VOTE, upcoming[0], upcoming[1].text)


# --- Minutes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
@checked()
class MeetingRecord:
    cooperative: str
    meeting_type: MeetingType
    date: str
    participants: tuple[Participant, ...]
    present: tuple[str, ...]
    quorum: Quorum
    motions: tuple[Motion, ...]
    log: tuple[LogEntry, ...]


def officers_by_round(record: MeetingRecord) -> dict[int, tuple[str, str]]:
    """(chair, secretary) of each round: from the rotations logged, the current roles for the last."""
    record = check_kind(record, MeetingRecord)
    rotations = [e for e in record.log if isinstance(e, RotationRecord)]
    rounds: dict[int, tuple[str, str]] = {}

    def pick(people: Sequence[tuple[str, str]], role: str) -> str:
        return ", ".join(name for name, held in people if held == role) or text("meeting.minutes_nobody")

    for entry in rotations:
        rounds[entry.round - 1] = (pick(entry.before, "chair"), pick(entry.before, "secretary"))
    now = [(p.name, p.role) for p in record.participants]
    rounds[current_round(record.log)] = (pick(now, "chair"), pick(now, "secretary"))
    return dict(sorted(rounds.items()))


def result_words(entry: VoteRecord) -> str:
    entry = check_kind(entry, VoteRecord, text("meeting.log_caption"), "log")
    return text("meeting.result_carried" if entry.tally.carried else "meeting.result_not_carried")
