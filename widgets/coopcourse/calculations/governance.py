"""Governance rules: the structure of a cooperative's organs, quorum and majorities.

Typical rules from the content brief (section 5): a general assembly quorum such as 25% of
members (Philippine example); a simple majority for ordinary decisions, two thirds or three
quarters to change the by-laws. Each cooperative's by-laws set its own numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum
from fractions import Fraction

from coopcourse.calculations.validation import (
    check_choice,
    check_count,
    check_kind,
    check_number,
    check_text,
    checked,
)
from coopcourse.errors import CourseInputError
from coopcourse.formatting import percent, percent_trimmed
from coopcourse.text import text

SMALLEST_BOARD = 3
LONGEST_TERM_YEARS = 6


@dataclass(frozen=True)
@checked()
class GovernanceDesign:
    members: int
    board_size: int
    board_term_years: int
    staggered_terms: bool
    supervisory_committee: bool
    committee_size: int
    hires_manager: bool
    assemblies_per_year: int
    quorum_percent: float

    def __post_init__(self) -> None:
        check_count(self.members, text("governance.members"), minimum=1, field="members")
        check_count(
            self.board_size, text("governance.board_size"), minimum=SMALLEST_BOARD, maximum=101, field="board_size"
        )
        check_count(
            self.board_term_years,
            text("governance.board_term"),
            minimum=1,
            maximum=LONGEST_TERM_YEARS,
            field="board_term_years",
        )
        check_count(
            self.committee_size, text("governance.committee_size"), minimum=0, maximum=25, field="committee_size"
        )
        check_count(
            self.assemblies_per_year,
            text("governance.assemblies_per_year"),
            minimum=1,
            maximum=12,
            field="assemblies_per_year",
        )
        check_number(
            self.quorum_percent,
            text("governance.quorum_percent"),
            above_minimum=True,
            maximum=100,
            field="quorum_percent",
        )
        if self.board_size > self.members:
            raise CourseInputError(text("governance.error_board_too_big"), "board_size")
        if self.supervisory_committee:
            if self.committee_size < 1:
                raise CourseInputError(text("governance.error_committee_empty"), "committee_size")
            if self.board_size + self.committee_size > self.members:
                raise CourseInputError(text("governance.error_committee_too_big"), "committee_size")


def quorum_needed(members: int, quorum_percent: float) -> int:
    """Members who must be present for a meeting to decide (rounded up)."""
    check_count(members, text("governance.members"), minimum=1, field="members")
    check_number(
        quorum_percent, text("governance.quorum_percent"), above_minimum=True, maximum=100, field="quorum_percent"
    )
    return max(1, math.ceil(members * quorum_percent / 100 - 1e-9))


def design_advice(design: GovernanceDesign) -> tuple[str, ...]:
    """Points a group should think about; none of them is an error."""
    check_kind(design, GovernanceDesign)
    advice = []
    if design.board_size % 2 == 0:
        advice.append(text("governance.advice_even_board"))
    if design.board_term_years >= 2 and not design.staggered_terms:
        advice.append(text("governance.advice_stagger"))
    if design.members >= 50 and not design.supervisory_committee:
        advice.append(text("governance.advice_committee"))
    if design.members < 3 * design.board_size:
        advice.append(text("governance.advice_board_share", share=percent(100 * design.board_size / design.members, 0)))
    if not design.hires_manager and design.members >= 100:
        advice.append(text("governance.advice_manager"))
    return tuple(advice)


def quorum_note(quorum_percent: float, law_percent: float | None, law: str) -> str:
    """What the country's law says of the quorum next to the group's figure: the law's figure when
    the chosen profile has one (advice when the group's is lower), else that the law decides."""
    check_number(
        quorum_percent, text("governance.quorum_percent"), above_minimum=True, maximum=100, field="quorum_percent"
    )
    if law_percent is None:
        return text("governance.quorum_law_decides")
    check_number(
        law_percent, text("governance.quorum_percent"), above_minimum=True, maximum=100, field="quorum_percent"
    )
    check_text(law, text("governance.quorum_percent"), "quorum_percent")
    figures = {"law": law, "law_percent": percent_trimmed(law_percent), "ours": percent_trimmed(quorum_percent)}
    if quorum_percent < law_percent:
        return text("governance.quorum_below_law", **figures)
    return text("governance.quorum_law", **figures)


class Majority(str, Enum):
    """How many of the votes cast (abstentions not counted) a motion needs."""

    SIMPLE = "simple"
    TWO_THIRDS = "two_thirds"
    THREE_QUARTERS = "three_quarters"

    @property
    def share(self) -> Fraction:
        return {
            Majority.SIMPLE: Fraction(1, 2),
            Majority.TWO_THIRDS: Fraction(2, 3),
            Majority.THREE_QUARTERS: Fraction(3, 4),
        }[self]


def votes_needed(votes_cast: int, majority: Majority) -> int:
    """Smallest number of "yes" votes that carries the motion: more than half for a simple
    majority, at least two thirds or three quarters for the qualified ones."""
    votes_cast = check_count(votes_cast, text("governance.votes_cast"), minimum=0, maximum=10**9, field="votes")
    majority = check_choice(majority, Majority, text("governance.majority"), field="majority")
    if votes_cast <= 0:
        return 1
    if majority is Majority.SIMPLE:
        return votes_cast // 2 + 1
    return math.ceil(majority.share * votes_cast)


def motion_carried(yes: int, no: int, majority: Majority) -> bool:
    yes, no = (
        check_count(count, text(key), minimum=0, maximum=10**9, field="votes")
        for count, key in ((yes, "governance.votes_yes"), (no, "governance.votes_no"))
    )
    cast = yes + no
    return cast > 0 and yes >= votes_needed(cast, majority)
