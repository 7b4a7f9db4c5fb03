"""Manage.Coop in a real browser, through Voila: a full general-assembly role play with the
tracker, then one real interaction per exercise of modules 2 to 6, each with one slip that must
be explained next to its field while the results stay on screen.

Errors on a page, on the kernel websocket or in the server log fail the test.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from coopcourse.calculations import meeting as mt
from coopcourse.calculations.governance import Majority
from coopcourse.text import text
from docx import Document as WordDocument
from playwright.sync_api import expect
from voila_app import App, Exercise, button_name

ROLE_PLAY = Path("manage_coop/01_governance_and_leadership.ipynb")
COMMUNICATION = Path("manage_coop/02_communication.ipynb")
CONFLICT = Path("manage_coop/03_conflict_management.ipynb")
GROWTH = Path("manage_coop/04_business_and_market_growth.ipynb")
PEOPLE = Path("manage_coop/05_human_resources.ipynb")
FINANCE = Path("manage_coop/06_financial_management.ipynb")

COOP = "Cerro Verde Coffee Cooperative"
GROUP = "Cerro Verde role play"
# "Remove" or "Remove row 3": the row's Remove button, whichever way it names its row.
REMOVE = re.compile(r"^\W*" + re.escape(text("rows.remove", number=1).split()[0]))
VOTE_WORDS = {"for": text("meeting.vote_for"), "against": text("meeting.vote_against"),
              "abstain": text("meeting.vote_abstain")}


# --- the role play ------------------------------------------------------------------------------

def step_line(exercise: Exercise):  # noqa: ANN201 - a Locator
    return exercise.root.locator(".coop-next-step .coop-feedback")


def vote(exercise: Exercise, choices: dict[str, str]) -> None:
    """Each named member presses For, Against or Abstain (the button's tooltip names them)."""
    for name, choice in choices.items():
        exercise.root.get_by_title(text("meeting.vote_tooltip", name=name, choice=VOTE_WORDS[choice]),
                                   exact=True).click()
        exercise.app.settle()


def record(exercise: Exercise, number: int, motion: str, majority: Majority, choices: dict[str, str]) -> None:
    """Vote on the motion now open and record the result; check the feedback states it right."""
    expect(exercise.root.locator(".coop-vote-board")).to_contain_text(
        text("meeting.voting_on", number=number, motion=motion))
    vote(exercise, choices)
    counts = {kind: sum(1 for c in choices.values() if c == kind) for kind in VOTE_WORDS}
    expect(exercise.root.locator(".coop-vote-board [role=status]")).to_contain_text(text(
        "meeting.running_count", votes_for=counts["for"], against=counts["against"], abstain=counts["abstain"],
        waiting=0))
    exercise.click(text("meeting.record"))
    tally = mt.Tally(counts["for"], counts["against"], counts["abstain"], majority)
    result = text("meeting.result_carried" if tally.carried else "meeting.result_not_carried")
    expect(exercise.feedback()).to_have_text(re.compile(re.escape(text(
        "meeting.recorded", number=number, motion=motion, result=result, votes_for=tally.votes_for,
        against=tally.against, abstain=tally.abstain, cast=tally.cast, needed=tally.needed,
        majority=mt.majority_label(majority)))))
    log_row = exercise.table().locator("tbody tr").filter(has_text=motion).last
    expect(log_row).to_contain_text(f"{tally.votes_for} / {tally.against} / {tally.abstain}")
    expect(log_row).to_contain_text(text("meeting.needed_of_cast", needed=tally.needed, cast=tally.cast))
    expect(log_row.locator("td").last).to_have_text(result)


# Present with a vote: Amina (chair), Bao (secretary), Carlos (teller), Dewi (board), Hugo, Ines and
# Kofi (members). Farid, the manager, is present without a vote; Esi, Gloria and Jomo are absent.
PRESENT = ["Amina", "Bao", "Carlos", "Dewi", "Farid", "Hugo", "Ines", "Kofi"]
MOTIONS = [
    ("Approve the accounts of last year", Majority.SIMPLE,
     dict(Amina="for", Bao="for", Carlos="against", Dewi="abstain", Hugo="for", Ines="against", Kofi="for")),
    ("Elect Hugo to the board", Majority.SIMPLE,  # a tie: not carried
     dict(Amina="for", Bao="against", Carlos="for", Dewi="against", Hugo="abstain", Ines="abstain",
          Kofi="abstain")),
    ("Amend by-law 9: the membership share rises to 50", Majority.TWO_THIRDS,  # 4 of 6 cast: carried
     dict(Amina="for", Bao="for", Carlos="for", Dewi="for", Hugo="against", Ines="against", Kofi="abstain")),
    ("Buy a shared coffee dryer", Majority.THREE_QUARTERS,  # 3 of 5 cast: a simple majority, not enough
     dict(Amina="for", Bao="for", Carlos="for", Dewi="against", Hugo="against", Ines="abstain",
          Kofi="abstain")),
]


def test_general_assembly_role_play_from_setup_to_minutes(open_app) -> None:
    app = open_app(ROLE_PLAY)
    app.open_work(GROUP)
    tracker = app.exercise(text("meeting.title"))
    cooperative = text("meeting.cooperative")

    # Start from the scenario card: loading it asks first, and replaces what was typed.
    tracker.type_into(cooperative, "Another name")
    tracker.click(text("meeting.card_load"))
    expect(tracker.root).to_contain_text(text("meeting.card_warning"))
    tracker.click(text("confirm.accept"))
    expect(tracker.field(cooperative)).to_have_value(COOP)
    expect(step_line(tracker)).to_contain_text(text("meeting.step_attendance", round=1, secretary="Bao"))

    # Set up: one more member, one motion off the agenda and one on it, with its majority.
    tracker.type_into(text("meeting.date"), "14 March, 10 am")
    members = tracker.rows(text("meeting.members"))
    members.get_by_role("button", name=button_name(text("rows.add"))).click()
    app.settle()
    tracker.type_into(text("meeting.member_name"), "Kofi", nth=10)
    expect(tracker.field(text("meeting.role"), 10)).to_have_value(re.compile(".+"))
    motions = tracker.rows(text("meeting.motions"))
    motions.get_by_role("button", name=REMOVE).nth(2).click()  # Elect Ines
    app.settle()
    motions.get_by_role("button", name=button_name(text("rows.add"))).click()
    app.settle()
    tracker.type_into(text("meeting.motion_text"), MOTIONS[3][0], nth=3)
    tracker.choose(text("meeting.motion_majority"), mt.majority_label(Majority.THREE_QUARTERS), nth=3)
    for number, (motion, _, _) in enumerate(MOTIONS):
        expect(tracker.field(text("meeting.motion_text"), number)).to_have_value(motion)

    # Attendance: the manager does not count for the quorum of a general assembly.
    for name in ["Amina", "Bao", "Farid"]:
        tracker.tick(name)
    expect(tracker.feedback()).to_contain_text(text(
        "meeting.quorum_missing", present=2, needed=3, entitled=10, percent="25",
        who=text("meeting.who_votes_assembly"), missing=1))
    assert tracker.feedback_kind() == "warning"
    expect(step_line(tracker)).to_contain_text(text("meeting.step_no_quorum", round=1, chair="Amina", present=2,
                                                    needed=3))
    # No vote without a quorum: the board says why, next to the votes.
    tracker.click(text("meeting.record"))
    expect(tracker.root.locator(".coop-vote-board .coop-field-error")).to_contain_text(
        text("meeting.error_no_quorum", present=2, needed=3))
    for name in PRESENT[2:]:
        if name != "Farid":
            tracker.tick(name)
    expect(tracker.feedback()).to_contain_text(text(
        "meeting.quorum_ok", present=7, needed=3, entitled=10, percent="25", who=text("meeting.who_votes_assembly")))
    assert tracker.feedback_kind() == "success"
    voters = tracker.root.locator(".coop-vote")
    expect(voters).to_have_count(7)
    expect(tracker.root.locator(".coop-vote-board")).not_to_contain_text("Farid")

    # A slip in the quorum: the message sits next to the field, the meeting stays as it was.
    quorum = text("meeting.quorum_percent") + " (%)"
    tracker.type_into(quorum, "abc")
    expect(tracker.field_error(quorum)).to_be_visible()
    expect(voters).to_have_count(7)
    tracker.type_into(quorum, "25")
    expect(tracker.field_error(quorum)).to_have_count(0)

    # Recording before everyone has voted names who is missing, next to the votes.
    vote(tracker, {"Amina": "for"})
    tracker.click(text("meeting.record"))
    expect(tracker.root.locator(".coop-vote-board .coop-field-error")).to_contain_text(
        text("meeting.error_missing_votes", names="Bao, Carlos, Dewi, Hugo, Ines, Kofi"))
    expect(tracker.table()).to_contain_text(text("meeting.log_empty"))

    for number, (motion, majority, choices) in enumerate(MOTIONS, start=1):
        record(tracker, number, motion, majority, choices)
    expect(step_line(tracker)).to_contain_text(text("meeting.step_minutes", round=1, secretary="Bao", chair="Amina"))
    expect(tracker.table().locator("tbody tr")).to_have_count(4)
    app.screenshot("round-1")

    # Rotate the roles: each role passes to the next person on the list.
    tracker.click(text("meeting.rotate"))
    expect(tracker.root).to_contain_text(text("meeting.rotated", round=2, chair="Bao", secretary="Carlos",
                                              tellers="Dewi"))
    expect(tracker.field(text("meeting.role"), 1)).to_have_value(re.compile(".+"))
    assert tracker.field(text("meeting.role"), 1).evaluate("e => e.options[e.selectedIndex].text") == \
        mt.role_label("chair")
    assert tracker.field(text("meeting.role"), 0).evaluate("e => e.options[e.selectedIndex].text") == \
        mt.role_label("ordinary_member")
    expect(tracker.root.locator(".coop-rows-label", has_text=text("meeting.round", round=2))).to_be_visible()
    expect(tracker.table().locator("tbody tr").last).to_contain_text(text(
        "meeting.log_new_officers", chair="Bao", secretary="Carlos", tellers="Dewi"))
    expect(step_line(tracker)).to_contain_text(text("meeting.step_vote", round=2, chair="Bao", number=1,
                                                    motion=MOTIONS[0][0], tellers="Dewi"))
    # Farid is no longer the manager: he votes now.
    expect(voters).to_have_count(8)

    # The minutes.
    tracker.click(text("meeting.minutes_button"))
    expect(tracker.feedback()).to_contain_text(text("meeting.minutes_ready"))
    links = tracker.root.locator("a.coop-download")
    expect(links).to_have_count(2)
    markdown_name, markdown = app.download(links.nth(0))
    word_name, word = app.download(links.nth(1))
    assert markdown_name == "minutes-cerro-verde-coffee-cooperative.md"
    assert word_name == "minutes-cerro-verde-coffee-cooperative.docx"
    minutes = markdown.decode("utf-8")
    assembly = mt.MeetingType("general_assembly").label
    assert minutes.startswith(f"# {text('meeting.minutes_title', meeting=assembly, coop=COOP)}\n")
    assert text("meeting.minutes_subtitle", date="14 March, 10 am") in minutes
    assert text("meeting.minutes_officers", round=1, chair="Amina", secretary="Bao") in minutes
    assert text("meeting.minutes_officers", round=2, chair="Bao", secretary="Carlos") in minutes
    assert "Present (8): " in minutes and "Farid (" in minutes
    assert text("meeting.minutes_absent", count=3, names="Esi (Board member), Gloria (Manager), Jomo (Member)") in minutes
    assert text("meeting.minutes_quorum_reached") in minutes
    for motion, majority, choices in MOTIONS:
        counts = [sum(1 for c in choices.values() if c == kind) for kind in VOTE_WORDS]
        tally = mt.Tally(*counts, majority)
        words = text("meeting.result_carried" if tally.carried else "meeting.result_not_carried")
        assert (f"| 1 | {motion} | {mt.majority_label(majority)} | {counts[0]} | {counts[1]} | {counts[2]} | "
                f"{text('meeting.needed_of_cast', needed=tally.needed, cast=tally.cast)} | {words} |") in minutes
    assert "Not voted on" not in minutes
    assert text("meeting.minutes_change", name="Bao", old="Secretary", new="Chair") in minutes
    document = WordDocument(io.BytesIO(word))
    assert document.paragraphs[0].text == text("meeting.minutes_title", meeting=assembly, coop=COOP)
    assert len(document.tables) == 1 and len(document.tables[0].rows) == 1 + len(MOTIONS)
    assert [c.text for c in document.tables[0].rows[2].cells][-1] == text("meeting.result_not_carried")
    app.screenshot("minutes")
    app.assert_no_errors()

    # The log is part of the saved work: a new page under the same name finds the meeting again.
    again = open_app(ROLE_PLAY)
    again.open_work(GROUP)
    tracker = again.exercise(text("meeting.title"))
    expect(tracker.table().locator("tbody tr")).to_have_count(5)
    expect(tracker.root.locator(".coop-rows-label", has_text=text("meeting.round", round=2))).to_be_visible()
    expect(tracker.root.get_by_role("checkbox", name="Kofi", exact=True)).to_be_checked()
    expect(tracker.field(text("meeting.motion_text"), 3)).to_have_value(MOTIONS[3][0])
    again.assert_no_errors()
