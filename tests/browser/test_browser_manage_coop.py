"""Manage.Coop in a real browser, through Voila: a full general-assembly role play with the
tracker, then one real interaction per exercise of modules 2 to 6, each with one slip that must
be explained next to its field while the results stay on screen.

Errors on a page, on the kernel websocket or in the server log fail the test.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from docx import Document as WordDocument
from playwright.sync_api import expect

from coopcourse.calculations import communication as cm
from coopcourse.calculations import growth as gr
from coopcourse.calculations import meeting as mt
from coopcourse.calculations import staffing as sf
from coopcourse.calculations import surplus as sp
from coopcourse.calculations.governance import Majority
from coopcourse.components.fields import format_number
from coopcourse.exercises.common import scenario_values
from coopcourse.exercises.manage_coop.conflict import stories as conflict_stories
from coopcourse.exercises.manage_coop.growth import defaults_for
from coopcourse.exercises.manage_coop.growth import strategies as growth_strategies
from coopcourse.formatting import money, percent_trimmed
from coopcourse.text import text
from tests.browser.voila_app import Exercise, button_name

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
VOTE_WORDS = {
    "for": text("meeting.vote_for"),
    "against": text("meeting.vote_against"),
    "abstain": text("meeting.vote_abstain"),
}


# --- the role play ------------------------------------------------------------------------------


def step_line(exercise: Exercise):
    return exercise.root.locator(".coop-next-step .coop-feedback")


def vote(exercise: Exercise, choices: dict[str, str]) -> None:
    """Each named member presses For, Against or Abstain (the button's tooltip names them)."""
    for name, choice in choices.items():
        exercise.root.get_by_title(
            text("meeting.vote_tooltip", name=name, choice=VOTE_WORDS[choice]), exact=True
        ).click()
        exercise.app.settle()


def record(exercise: Exercise, number: int, motion: str, majority: Majority, choices: dict[str, str]) -> None:
    """Vote on the motion now open and record the result; check the feedback states it right."""
    expect(exercise.root.locator(".coop-vote-board")).to_contain_text(
        text("meeting.voting_on", number=number, motion=motion)
    )
    vote(exercise, choices)
    counts = {kind: sum(1 for c in choices.values() if c == kind) for kind in VOTE_WORDS}
    expect(exercise.root.locator(".coop-vote-board [role=status]")).to_contain_text(
        text(
            "meeting.running_count",
            votes_for=counts["for"],
            against=counts["against"],
            abstain=counts["abstain"],
            waiting=0,
        )
    )
    exercise.click(text("meeting.record"))
    tally = mt.Tally(counts["for"], counts["against"], counts["abstain"], majority)
    result = text("meeting.result_carried" if tally.carried else "meeting.result_not_carried")
    expect(exercise.feedback()).to_have_text(
        re.compile(
            re.escape(
                text(
                    "meeting.recorded",
                    number=number,
                    motion=motion,
                    result=result,
                    votes_for=tally.votes_for,
                    against=tally.against,
                    abstain=tally.abstain,
                    cast=tally.cast,
                    needed=tally.needed,
                    majority=mt.majority_label(majority),
                )
            )
        )
    )
    log_row = exercise.table().locator("tbody tr").filter(has_text=motion).last
    expect(log_row).to_contain_text(f"{tally.votes_for} / {tally.against} / {tally.abstain}")
    expect(log_row).to_contain_text(text("meeting.needed_of_cast", needed=tally.needed, cast=tally.cast))
    expect(log_row.locator("td").last).to_have_text(result)


# Present with a vote: Amina (chair), Bao (secretary), Carlos (teller), Dewi (board), Hugo, Ines and
# Kofi (members). Farid, the manager, is present without a vote; Esi, Gloria and Jomo are absent.
PRESENT = ["Amina", "Bao", "Carlos", "Dewi", "Farid", "Hugo", "Ines", "Kofi"]
MOTIONS = [
    (
        "Approve the accounts of last year",
        Majority.SIMPLE,
        dict(Amina="for", Bao="for", Carlos="against", Dewi="abstain", Hugo="for", Ines="against", Kofi="for"),
    ),
    (
        "Elect Hugo to the board",
        Majority.SIMPLE,  # a tie: not carried
        dict(Amina="for", Bao="against", Carlos="for", Dewi="against", Hugo="abstain", Ines="abstain", Kofi="abstain"),
    ),
    (
        "Amend by-law 9: the membership share rises to 50",
        Majority.TWO_THIRDS,  # 4 of 6 cast: carried
        dict(Amina="for", Bao="for", Carlos="for", Dewi="for", Hugo="against", Ines="against", Kofi="abstain"),
    ),
    (
        "Buy a shared coffee dryer",
        Majority.THREE_QUARTERS,  # 3 of 5 cast: a simple majority, not enough
        dict(Amina="for", Bao="for", Carlos="for", Dewi="against", Hugo="against", Ines="abstain", Kofi="abstain"),
    ),
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
    expect(tracker.feedback()).to_contain_text(
        text(
            "meeting.quorum_missing",
            present=2,
            needed=3,
            entitled=10,
            percent=percent_trimmed(25),
            who=text("meeting.who_votes_assembly"),
            missing=1,
        )
    )
    assert tracker.feedback_kind() == "warning"
    expect(step_line(tracker)).to_contain_text(
        text("meeting.step_no_quorum", round=1, chair="Amina", present=2, needed=3)
    )
    # No vote without a quorum: the board says why, next to the votes.
    tracker.click(text("meeting.record"))
    expect(tracker.root.locator(".coop-vote-board .coop-field-error")).to_contain_text(
        text("meeting.error_no_quorum", present=2, needed=3)
    )
    for name in PRESENT[2:]:
        if name != "Farid":
            tracker.tick(name)
    expect(tracker.feedback()).to_contain_text(
        text(
            "meeting.quorum_ok",
            present=7,
            needed=3,
            entitled=10,
            percent=percent_trimmed(25),
            who=text("meeting.who_votes_assembly"),
        )
    )
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
        text("meeting.error_missing_votes", names="Bao, Carlos, Dewi, Hugo, Ines, Kofi")
    )
    expect(tracker.table()).to_contain_text(text("meeting.log_empty"))

    for number, (motion, majority, choices) in enumerate(MOTIONS, start=1):
        record(tracker, number, motion, majority, choices)
    expect(step_line(tracker)).to_contain_text(text("meeting.step_minutes", round=1, secretary="Bao", chair="Amina"))
    expect(tracker.table().locator("tbody tr")).to_have_count(4)
    app.screenshot("round-1")

    # Rotate the roles: each role passes to the next person on the list.
    tracker.click(text("meeting.rotate"))
    expect(tracker.root).to_contain_text(
        text("meeting.rotated", round=2, chair="Bao", secretary="Carlos", tellers="Dewi")
    )
    expect(tracker.field(text("meeting.role"), 1)).to_have_value(re.compile(".+"))
    assert tracker.field(text("meeting.role"), 1).evaluate("e => e.options[e.selectedIndex].text") == mt.role_label(
        "chair"
    )
    assert tracker.field(text("meeting.role"), 0).evaluate("e => e.options[e.selectedIndex].text") == mt.role_label(
        "ordinary_member"
    )
    expect(tracker.root.locator(".coop-rows-label", has_text=text("meeting.round", round=2))).to_be_visible()
    expect(tracker.table().locator("tbody tr").last).to_contain_text(
        text("meeting.log_new_officers", chair="Bao", secretary="Carlos", tellers="Dewi")
    )
    expect(step_line(tracker)).to_contain_text(
        text("meeting.step_vote", round=2, chair="Bao", number=1, motion=MOTIONS[0][0], tellers="Dewi")
    )
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
    assert (
        text(
            "meeting.minutes_absent",
            count=3,
            names=f"Esi ({text('meeting.role_board_member')}), Gloria ({text('meeting.role_manager')}), "
            f"Jomo ({text('meeting.role_ordinary_member')})",
        )
        in minutes
    )
    assert text("meeting.minutes_quorum_reached") in minutes
    for motion, majority, choices in MOTIONS:
        counts = [sum(1 for c in choices.values() if c == kind) for kind in VOTE_WORDS]
        tally = mt.Tally(*counts, majority)
        words = text("meeting.result_carried" if tally.carried else "meeting.result_not_carried")
        assert (
            f"| 1 | {motion} | {mt.majority_label(majority)} | {counts[0]} | {counts[1]} | {counts[2]} | "
            f"{text('meeting.needed_of_cast', needed=tally.needed, cast=tally.cast)} | {words} |"
        ) in minutes
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


# --- modules 2 to 6: one real interaction per exercise, and one slip --------------------------


def rows_error(exercise: Exercise, label: str):
    """The message a list of rows shows under itself (a problem with the list as a whole)."""
    return exercise.rows(label).locator(".coop-rows-message .coop-field-error")


def test_communication_plan_and_agenda_builder(open_app) -> None:
    app = open_app(COMMUNICATION)
    plan = app.exercise(text("communication_plan.title"))
    table, channels = plan.table(0), plan.table(1)
    responsible = text("communication_plan.responsible")

    # Nobody looks after the third item: the check says so and the table shows it.
    with app.changes(table):
        plan.type_into(responsible, "", nth=2)
    expect(table).to_contain_text(text("communication_plan.nobody"))
    expect(plan.root.locator(".coop-reasons")).to_contain_text(
        text(
            "communication_plan.unassigned",
            items=text(
                "communication_plan.unassigned_item", row=3, information=text("communication_plan.example_sales")
            ),
        )
    )
    assert plan.feedback_kind() == "warning"

    # A new row: the community hears the prices on the local radio every month.
    plan.rows(text("communication_plan.rows")).get_by_role("button", name=button_name(text("rows.add"))).click()
    app.settle()
    plan.choose(text("communication_plan.audience"), text("communication_plan.audiences.community"), nth=3)
    plan.type_into(text("communication_plan.information"), "Coffee prices of the week", nth=3)
    plan.choose(text("communication_plan.channel"), text("communication_plan.channels.radio"), nth=3)
    plan.type_into(responsible, "Secretary", nth=3)
    radio = channels.locator("tbody tr", has_text=text("communication_plan.channels.radio"))
    expect(radio.locator("td").nth(2)).to_have_text("12")
    expect(table).to_contain_text("Coffee prices of the week")
    plan.type_into(responsible, "Manager", nth=2)
    expect(plan.root.locator(".coop-reasons")).not_to_contain_text(text("communication_plan.unassigned", items="")[:20])
    rows = plan.root.locator(".coop-rows .coop-row")
    expect(rows).to_have_count(4)
    review = cm.review_plan(
        [
            {
                "audience": "members",
                "information": "a",
                "channel": "general_assembly",
                "frequency": "yearly",
                "responsible": "x",
            },
            {
                "audience": "members",
                "information": "b",
                "channel": "notice_board",
                "frequency": "monthly",
                "responsible": "x",
            },
            {"audience": "board", "information": "c", "channel": "meeting", "frequency": "monthly", "responsible": "x"},
            {
                "audience": "community",
                "information": "d",
                "channel": "radio",
                "frequency": "monthly",
                "responsible": "x",
            },
        ]
    )
    expect(plan.feedback()).to_contain_text(
        re.compile(
            re.escape(
                text("communication_plan.summary_problems", per_year=review.total_per_year, extra="", count=0).split(
                    "."
                )[0]
            )
        )
    )

    # A slip: an item with no information. The list says which row, the plan stays as it was.
    shown = table.inner_text()
    plan.type_into(text("communication_plan.information"), "", nth=0)
    expect(rows_error(plan, text("communication_plan.rows"))).to_have_text(
        text("communication_plan.error_no_information", row=1)
    )
    assert plan.feedback_kind() == "warning"
    assert table.inner_text() == shown
    plan.type_into(text("communication_plan.information"), "Yearly report and accounts", nth=0)
    expect(rows_error(plan, text("communication_plan.rows"))).to_have_count(0)

    agenda = app.exercise(text("agenda.title"))
    minutes = text("agenda.minutes")
    timed = agenda.table()
    truck = timed.locator("tbody tr", has_text=text("agenda.example_truck"))
    # The truck decision takes 40 minutes, not 25: the meeting runs over.
    with app.changes(timed):
        agenda.type_into(minutes, "40", nth=4)
    expect(truck.locator("td").first).to_have_text("18:55–19:35")
    expect(agenda.feedback()).to_contain_text(
        text("agenda.summary_over", start="18:00", end="19:40", total=100, planned=90)
    )
    expect(agenda.root.locator(".coop-reasons")).to_contain_text(
        text("agenda.over_time", over=10, end="19:40", planned_end="19:30")
    )
    # A slip in a row: the message is next to that cell and the agenda stays.
    shown = timed.inner_text()
    agenda.type_into(minutes, "ten", nth=1)
    expect(agenda.field_error(minutes, nth=1)).to_be_visible()
    expect(agenda.field_error(minutes, nth=1)).not_to_be_empty()
    assert agenda.feedback_kind() == "warning"
    assert timed.inner_text() == shown
    agenda.type_into(minutes, "5", nth=1)
    expect(agenda.field_error(minutes, nth=1)).to_have_count(0)
    expect(agenda.feedback()).to_contain_text(
        text("agenda.summary_over", start="18:00", end="19:35", total=95, planned=90)
    )
    agenda.click(text("agenda.export"))
    name, data = app.download(agenda.root.locator("a.coop-download").first)
    assert name == "agenda-monthly-board-meeting.md"
    document = data.decode("utf-8")
    assert document.startswith("# " + text("agenda.document_title", meeting=text("agenda.meeting_default")))
    assert f"| 18:50–19:30 | {text('agenda.example_truck')} |" in document
    assert text("agenda.over_time", over=5, end="19:35", planned_end="19:30") in document
    app.screenshot("after-input")
    app.assert_no_errors()


def test_conflict_story_and_styles_reflection(open_app) -> None:
    app = open_app(CONFLICT)
    stories = app.exercise(text("conflict.scenarios.title"))
    choices = stories.root.locator(".coop-story-choice")
    expect(stories.feedback()).to_contain_text(text("conflict.scenarios.summary_start"))
    back = stories.button(text("conflict.scenarios.back"))
    expect(back).to_be_disabled()

    first_choice = choices.first.inner_text().split(". ", 1)[1]
    choices.first.click()
    app.settle()
    expect(stories.feedback()).to_contain_text(text("conflict.scenarios.summary_step", step=1))
    expect(stories.root.locator(".coop-story ol")).to_contain_text(first_choice)
    expect(stories.root).to_contain_text(text("conflict.scenarios.what_happened"))
    stories.click(text("conflict.scenarios.back"))
    expect(stories.feedback()).to_contain_text(text("conflict.scenarios.summary_start"))

    # Take the last choice each time until the story ends.
    for _ in range(12):
        if not choices.count():
            break
        choices.last.click()
        app.settle()
    expect(choices).to_have_count(0)
    assert stories.feedback_kind() in ("success", "info")
    expect(stories.feedback()).to_contain_text(
        re.compile("|".join(re.escape(text(f"conflict.outcome.{o}")) for o in ("resolved", "partly", "unresolved")))
    )
    expect(stories.root).to_contain_text(text("conflict.scenarios.lesson"))
    ended = stories.root.locator(".coop-story").inner_text()

    # Another story, then back: each story keeps its own progress.
    picker = text("conflict.scenarios.choose")
    titles = [story.title for story in conflict_stories()]
    stories.choose(picker, titles[1])
    expect(stories.feedback()).to_contain_text(text("conflict.scenarios.summary_start"))
    stories.choose(picker, titles[0])
    expect(choices).to_have_count(0)
    assert stories.root.locator(".coop-story").inner_text() == ended

    reflection = app.exercise(text("conflict.reflection.title"))
    how_often = text("conflict.reflection.often_of", style="Avoiding", short=text("conflict.style.avoiding.short"))
    with app.changes(reflection.feedback()):
        reflection.choose(how_often, text("conflict.rating.often"))
    expect(reflection.feedback()).to_contain_text(
        text("conflict.reflection.most_used", styles="Avoiding", rating="often")
    )
    expect(reflection.root.locator(".coop-reasons")).to_contain_text(text("conflict.reflection.avoiding_often"))
    example = text("conflict.reflection.example_of", style="Collaborating")
    reflection.write(example, "We planned the new drying shed together with the neighbours.")
    summary = reflection.root.locator(".coop-styles")
    expect(summary).to_contain_text("We planned the new drying shed together with the neighbours.")
    # A slip: an example longer than the box takes. Said next to the box; the summary stays.
    reflection.write(example, "x" * 1200)
    expect(summary).to_contain_text("x" * 1000)
    expect(summary).not_to_contain_text("x" * 1001)
    expect(reflection.feedback()).to_contain_text(
        text("conflict.reflection.most_used", styles="Avoiding", rating="often")
    )
    app.screenshot("after-input")
    app.assert_no_errors()
    message = reflection.field_error(example)
    expect(message).to_have_text(text("error.too_long", label=example, maximum=1000))


def test_growth_simulator(open_app) -> None:
    app = open_app(GROWTH)
    simulator = app.exercise(text("growth.title"))
    table = simulator.table()
    start = scenario_values("growth")

    def expected(**changes: float) -> gr.GrowthResult:
        values = {**start, **changes}
        return gr.project(gr.GrowthInputs(**{k: v for k, v in values.items() if k != "strategy"}))

    with app.changes(table):
        simulator.type_into(text("growth.sales"), "250000")
    result = expected(sales=250000)
    expect(table.locator("tbody tr").first.locator("td").nth(1)).to_have_text(money(result.rows[0].sales))

    # Another strategy presets its teaching assumptions, and the projection follows.
    diversification = next(s for s in growth_strategies() if s["id"] == "diversification")
    simulator.choose(text("growth.strategy"), diversification["label"])
    preset = defaults_for("diversification", 250000)
    expect(simulator.field(text("growth.growth_percent") + " (%)")).to_have_value(
        format_number(preset["growth_percent"])
    )
    expect(simulator.field(text("growth.investment"))).to_have_value(format_number(preset["investment"]))
    result = expected(sales=250000, **preset)
    expect(table.locator("tbody tr").last.locator("td").nth(4)).to_have_text(money(result.rows[-1].cumulative))
    expect(simulator.root).to_contain_text(diversification["detail"])

    # A slip: more years than the simulator projects. Said next to the field; the table stays.
    years = text("growth.years")
    shown = table.inner_text()
    simulator.type_into(years, "11")
    expect(simulator.field_error(years)).to_contain_text(years)
    assert simulator.feedback_kind() == "warning"
    assert table.inner_text() == shown
    simulator.type_into(years, "3")
    expect(simulator.field_error(years)).to_have_count(0)
    expect(table.locator("tbody tr")).to_have_count(3)
    app.screenshot("after-input")
    app.assert_no_errors()


def test_staffing_planner(open_app) -> None:
    app = open_app(PEOPLE)
    planner = app.exercise(text("staffing.title"))
    totals, table = planner.table(0), planner.table(1)
    start = scenario_values("staffing")
    bookkeeping = next(i for i, r in enumerate(start["roles"]) if r["name"] == "Bookkeeping")
    expect(planner.root.locator(".coop-reasons")).to_contain_text("Bookkeeping")

    # Bookkeeping becomes paid work: the cost goes up and the key-role warning goes.
    with app.changes(totals):
        planner.choose(text("staffing.who"), text("staffing.who_paid"), nth=bookkeeping)
    roles = [dict(r, who="paid") if i == bookkeeping else r for i, r in enumerate(start["roles"])]
    result = sf.plan(
        sf.StaffingInputs(
            roles=tuple(sf.Role(r["name"], r["hours_per_week"], r["pay_per_hour"], sf.Who(r["who"])) for r in roles),
            weeks_per_year=start["weeks_per_year"],
            revenue=start["revenue"],
            members=start["members"],
        )
    )
    paid = totals.locator("tbody tr", has_text=text("staffing.paid_cost"))
    expect(paid.locator("td").last).to_have_text(money(result.paid_cost))
    expect(table.locator("tbody tr", has_text="Bookkeeping")).to_contain_text(text("staffing.who_paid"))
    expect(planner.root).not_to_contain_text(text("staffing.warn_key_role", roles="Bookkeeping")[:30])

    # A slip in a row: negative hours. Said next to that cell; the totals stay.
    hours = text("staffing.hours_per_week")
    shown = totals.inner_text()
    planner.type_into(hours, "-5", nth=0)
    expect(planner.field_error(hours, nth=0)).to_be_visible()
    expect(planner.field_error(hours, nth=0)).not_to_be_empty()
    assert planner.feedback_kind() == "warning"
    assert totals.inner_text() == shown
    planner.type_into(hours, "40", nth=0)
    expect(planner.field_error(hours, nth=0)).to_have_count(0)
    app.screenshot("after-input")
    app.assert_no_errors()


def test_surplus_distribution_and_financial_statements(open_app) -> None:
    app = open_app(FINANCE)
    app.open_work(GROUP)
    surplus = app.exercise(text("surplus.title"))
    allocation = surplus.table(0)
    start = scenario_values("surplus_distribution")

    def distribution(**changes: float) -> sp.Distribution:
        values = {**start, **changes}
        return sp.distribute(
            sp.SurplusInputs(
                **{k: v for k, v in values.items() if k != "members"}, members=sp.members_from_rows(values["members"])
            )
        )

    with app.changes(allocation):
        surplus.type_into(text("surplus.net_surplus"), "2000000")
    result = distribution(net_surplus=2_000_000)
    reserve_row = allocation.locator("tbody tr", has_text=text("surplus.fund_reserve"))
    expect(reserve_row.locator("td").nth(1)).to_have_text(money(dict(result.allocations())["reserve"]))
    expect(surplus.feedback()).to_contain_text(money(result.net_surplus))
    first = result.members[0]
    expect(surplus.table(2).locator("tbody tr", has_text=first.name).locator("td").last).to_have_text(
        money(first.total)
    )

    # Two slips: a percentage above 100, then funds that add up to more than the surplus.
    reserve = text("surplus.reserve_percent") + " (%)"
    shown = allocation.inner_text()
    surplus.type_into(reserve, "150")
    expect(surplus.field_error(reserve)).to_contain_text("100")
    assert allocation.inner_text() == shown
    surplus.type_into(reserve, "85")
    expect(surplus.field_error(reserve)).to_have_text(text("surplus.error_funds_over_100", total="105%"))
    assert surplus.feedback_kind() == "warning"
    assert allocation.inner_text() == shown
    surplus.type_into(reserve, "10")
    expect(surplus.field_error(reserve)).to_have_count(0)
    assert surplus.feedback_kind() == "success"

    surplus.click(text("surplus.export"))
    name, data = app.download(surplus.root.locator("a.coop-download").first)
    assert name == "surplus-statements-cerro-verde-role-play.md"
    statements = data.decode("utf-8")
    assert statements.startswith(f"# {text('surplus.document_title')}\n")
    assert text("surplus.document_subtitle", group=GROUP, surplus=money(2_000_000)) in statements
    for member in result.members:
        assert f"## {member.name}" in statements
        assert f"| {text('surplus.col_total')} |  | {money(member.total)} |" in statements

    accounts = app.exercise(text("statements.title"))
    balance = accounts.table(1)
    assert (
        accounts.feedback_kind() != "warning"
        or text("statements.not_balanced")[:20] not in accounts.feedback().inner_text()
    )
    with app.changes(balance):
        accounts.type_into(text("statements.cash"), "40000")
    expect(accounts.feedback()).to_contain_text(
        text("statements.not_balanced", assets=money(210_000), other=money(200_000), difference=money(10_000))
    )
    expect(balance.locator("tbody tr", has_text=text("statements.difference"))).to_contain_text(money(10_000))
    inventory = text("statements.inventory")
    shown = balance.inner_text()
    accounts.type_into(inventory, "abc")
    expect(accounts.field_error(inventory)).to_have_text(text("error.not_a_number", label=inventory))
    assert balance.inner_text() == shown
    accounts.type_into(inventory, "35000")
    expect(accounts.field_error(inventory)).to_have_count(0)
    expect(balance.locator("tbody tr", has_text=text("statements.difference"))).to_have_count(0)
    assert accounts.feedback_kind() in ("success", "info", "warning")
    expect(accounts.feedback()).not_to_contain_text(text("statements.not_balanced")[:20])
    app.screenshot("after-input")
    app.assert_no_errors()
