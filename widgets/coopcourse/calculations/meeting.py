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
from coopcourse.calculations.validation import check_number, check_unique_names
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
        return text("meeting.type_general_assembly" if self is MeetingType.GENERAL_ASSEMBLY
                    else "meeting.type_board_meeting")


class Vote(str, Enum):
    FOR = "for"
    AGAINST = "against"
    ABSTAIN = "abstain"


def role_label(role: str) -> str:
    return text(ROLE_LABEL_KEYS[role])


def majority_label(majority: Majority) -> str:
    return text(MAJORITY_LABEL_KEYS[majority])


# Who votes: at a general assembly every member (the manager is staff and attends without a vote);
# at a board meeting the directors only (chair, secretary and tellers are directors taking turns).
_BOARD_VOTERS = frozenset({"chair", "secretary", "teller", "board_member"})


def has_vote(role: str, meeting_type: MeetingType) -> bool:
    if meeting_type is MeetingType.BOARD_MEETING:
        return role in _BOARD_VOTERS
    return role != "manager"


@dataclass(frozen=True)
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
    return tuple(p.name for p in participants if p.role == role)


def voters(participants: Sequence[Participant], meeting_type: MeetingType) -> tuple[str, ...]:
    """Names of everyone with a vote at this kind of meeting, in list order."""
    return tuple(p.name for p in participants if has_vote(p.role, meeting_type))


def present_voters(participants: Sequence[Participant], present: Sequence[str],
                   meeting_type: MeetingType) -> tuple[str, ...]:
    here = set(present)
    return tuple(name for name in voters(participants, meeting_type) if name in here)


@dataclass(frozen=True)
class Quorum:
    entitled: int  # members with a vote at this meeting
    present: int  # of them, present
    needed: int
    percent: float

    @property
    def reached(self) -> bool:
        return self.present >= self.needed


def check_quorum(participants: Sequence[Participant], present: Sequence[str], meeting_type: MeetingType,
                 quorum_percent: float) -> Quorum:
    """Quorum counts those with a vote: a share of them, rounded up, must be present."""
    check_number(quorum_percent, text("meeting.quorum_percent"), above_minimum=True, maximum=100,
                 field="quorum_percent")
    entitled = voters(participants, meeting_type)
    if not entitled:
        raise CourseInputError(text("meeting.error_no_voters", meeting=meeting_type.label), "members")
    here = present_voters(participants, present, meeting_type)
    return Quorum(len(entitled), len(here), quorum_needed(len(entitled), quorum_percent), float(quorum_percent))


@dataclass(frozen=True)
class Tally:
    votes_for: int
    against: int
    abstain: int
    majority: Majority

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
    counts = {vote: 0 for vote in Vote}
    for name in voting:
        choice = votes.get(name)
        if choice in {v.value for v in Vote}:
            counts[Vote(choice)] += 1
    return counts


def tally(votes: Mapping[str, str], voting: Sequence[str], majority: Majority | str) -> Tally:
    """The result of one motion. Every member in ``voting`` (present, with a vote) must have chosen
    For, Against or Abstain; votes of anyone else are ignored (one member, one vote)."""
    majority = Majority(majority)
    if not voting:
        raise CourseInputError(text("meeting.error_nobody_votes"), "votes")
    missing = [name for name in voting if votes.get(name) not in {v.value for v in Vote}]
    if missing:
        raise CourseInputError(text("meeting.error_missing_votes", names=", ".join(missing)), "votes")
    counts = count_votes(votes, voting)
    return Tally(counts[Vote.FOR], counts[Vote.AGAINST], counts[Vote.ABSTAIN], majority)


def rotate_roles(roles: Sequence[str], steps: int = 1) -> tuple[str, ...]:
    """Each role passes to the next person on the list (the last person's role to the first), so
    after as many rounds as there are people everyone has held every role once."""
    if not roles:
        return ()
    shift = steps % len(roles)
    return tuple(roles[-shift:]) + tuple(roles[:-shift]) if shift else tuple(roles)


def rotate_participants(participants: Sequence[Participant]) -> tuple[Participant, ...]:
    roles = rotate_roles([p.role for p in participants])
    return tuple(Participant(p.name, role) for p, role in zip(participants, roles))


# --- The meeting log -------------------------------------------------------------------------


@dataclass(frozen=True)
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

    @property
    def tally(self) -> Tally:
        return Tally(self.votes_for, self.against, self.abstain, self.majority)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": "vote", "round": self.round, "motion": self.motion, "majority": self.majority.value,
                "for": self.votes_for, "against": self.against, "abstain": self.abstain,
                "present": self.present, "quorum_needed": self.quorum_needed,
                "chair": self.chair, "secretary": self.secretary}


@dataclass(frozen=True)
class RotationRecord:
    round: int  # the round that starts with the new roles
    before: tuple[tuple[str, str], ...]  # (name, role)
    after: tuple[tuple[str, str], ...]
    kind: str = field(default="rotation", init=False)

    def changes(self) -> tuple[tuple[str, str, str], ...]:
        """(name, old role, new role) for everyone whose role changed."""
        old = dict(self.before)
        return tuple((name, old[name], role) for name, role in self.after if name in old and old[name] != role)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": "rotation", "round": self.round,
                "before": [{"name": n, "role": r} for n, r in self.before],
                "after": [{"name": n, "role": r} for n, r in self.after]}


LogEntry = VoteRecord | RotationRecord


def _people(raw: Any) -> tuple[tuple[str, str], ...]:
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
            return VoteRecord(raw["round"], str(raw["motion"]), Majority(raw["majority"]), raw["for"],
                              raw["against"], raw["abstain"], raw["present"], raw["quorum_needed"],
                              str(raw.get("chair", "")), str(raw.get("secretary", "")))
        if raw["kind"] == "rotation":
            if not isinstance(raw["round"], int) or isinstance(raw["round"], bool):
                return None
            return RotationRecord(raw["round"], _people(raw["before"]), _people(raw["after"]))
    except (KeyError, TypeError, ValueError):
        return None
    return None


def parse_log(raw: Any) -> tuple[LogEntry, ...]:
    """Typed entries of a saved log; entries that cannot be read (an old or edited file) are left out."""
    if not isinstance(raw, list):
        return ()
    return tuple(entry for entry in (_entry(item) for item in raw) if entry is not None)


def current_round(log: Sequence[LogEntry]) -> int:
    return 1 + sum(1 for entry in log if isinstance(entry, RotationRecord))


def decided(log: Sequence[LogEntry], round_number: int) -> set[str]:
    """Motions (by text, case ignored) already voted on in this round."""
    return {e.motion.strip().casefold() for e in log if isinstance(e, VoteRecord) and e.round == round_number}


@dataclass(frozen=True)
class Motion:
    text: str
    majority: Majority


def motions_from_rows(rows: Sequence[Mapping[str, Any]]) -> tuple[Motion, ...]:
    motions = []
    for number, row in enumerate(rows, start=1):
        wording = str(row.get("text", "")).strip()
        if not wording:
            raise CourseInputError(text("meeting.error_blank_motion", number=number), "motions")
        try:
            majority = Majority(row.get("majority", "simple"))
        except ValueError:
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
class NextStep:
    stage: Stage
    motion_number: int = 0
    motion: str = ""


def next_step(quorum: Quorum, present: Sequence[str], motions: Sequence[Motion],
              log: Sequence[LogEntry]) -> NextStep:
    """Where the meeting is, for the "next step" line (set-up problems raise before this)."""
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
    return text("meeting.result_carried" if entry.tally.carried else "meeting.result_not_carried")
