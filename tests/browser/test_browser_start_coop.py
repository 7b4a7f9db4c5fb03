"""Start.Coop in a real browser, through Voila, the way a core group uses it.

The issue's "done when": a group works through the four modules in order, closes the browser,
comes back and finds everything, exports its business plan, and moves its work to another
machine with a file. Every page is opened with the group's name in the saved-work bar; errors on
a page, on the kernel websocket or in the server log fail the test.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

from docx import Document as WordDocument
from playwright.sync_api import Browser, BrowserContext, expect

from coopcourse.calculations import feasibility as fz
from coopcourse.exercises.common import scenario_values
from coopcourse.exercises.start_coop import feasibility_inputs
from coopcourse.formatting import amount, money, percent_trimmed
from coopcourse.text import plural, text
from tests.browser.conftest import running_voila
from tests.browser.voila_app import ARTIFACTS, App, open_page

GROUP = "Puno quinoa group"
MODULE_1 = Path("start_coop/01_core_group_and_business_idea.ipynb")
MODULE_2 = Path("start_coop/02_feasibility.ipynb")
MODULE_3 = Path("start_coop/03_business_plan.ipynb")
MODULE_4 = Path("start_coop/04_organizational_setup.ipynb")

MEMBERS = [("Amina", "keeps the accounts"), ("Bao", "sells at the market")]
COMPETENCIES = ["Keeping accounts and records", "Knowing buyers and markets"]
NEEDS = "We sell our quinoa to one trader at a low price"
IDEAS = [("Quinoa cleaning and bagging", [5, 5, 4, 3, 4]), ("Buying seed together", [2, 2, 3, 3, 3])]
FEASIBILITY = {"price": "10", "variable_cost": "6", "fixed_costs": "12000", "expected_volume": "5000", "members": "20"}
PLAN_TEXT = "Quinoa in 1 kg bags sold in the town market and to two shops."
GOVERNANCE = {"members": "40", "board_size": "7", "board_term": "3", "quorum_percent": "30"}
# The founding general assembly (module 4): 12 founders on the card, 50% in the draft by-laws.
FOUNDERS_PRESENT = ["Luz", "Marta", "Jorge", "Rosa", "Pedro", "Carmen"]


def new_context(browser: Browser) -> BrowserContext:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.set_default_timeout(30_000)
    return context


def visit(context: BrowserContext, base_url: str, notebook: Path, log: Path, name: str) -> App:
    app = open_page(context.new_page(), base_url, notebook, log)
    app.open_work(name)
    return app


def done(app: App) -> None:
    app.assert_no_errors()
    app.page.close()


def expected_feasibility() -> tuple[fz.FeasibilityInputs, fz.FeasibilityResult]:
    state = scenario_values("feasibility")
    state.update({key: float(value) for key, value in FEASIBILITY.items()})
    inputs = feasibility_inputs(state)
    return inputs, fz.analyse(inputs)


# --- one module at a time, entering the work ---------------------------------------------------


def enter_module_1(app: App) -> None:
    core = app.exercise(text("core_group.title"))
    name, brings = text("core_group.member_name"), text("core_group.brings")
    core.type_into(name, MEMBERS[0][0])
    core.type_into(brings, MEMBERS[0][1])
    core.click(text("rows.add"))
    core.type_into(name, MEMBERS[1][0], nth=1)
    core.type_into(brings, MEMBERS[1][1], nth=1)
    for competency in COMPETENCIES:
        core.tick(competency)
    core.write(text("core_group.common_needs"), NEEDS)
    expect(core.feedback()).to_contain_text(text("core_group.summary_gaps", members=2, missing=6))

    ideas = app.exercise(text("ideas.title"))
    criteria = [
        "Meets our common need",
        "There are buyers for it",
        "We have or can learn the skills",
        "Capital needed is within reach",
        "Risk is low",
    ]
    for row, (idea, scores) in enumerate(IDEAS):
        if row:
            ideas.click(text("rows.add"))
        ideas.type_into(text("ideas.idea_name"), idea, nth=row)
        for criterion, score in zip(criteria, scores):
            ideas.type_into(criterion, str(score), nth=row)
    expect(ideas.table().locator("tbody tr").first).to_contain_text(IDEAS[0][0])
    expect(ideas.feedback()).to_contain_text(f'"{IDEAS[0][0]}" scores highest')
    app.screenshot("group-work")


def check_module_1(app: App) -> None:
    core = app.exercise(text("core_group.title"))
    for row, (name, brings) in enumerate(MEMBERS):
        expect(core.field(text("core_group.member_name"), row)).to_have_value(name)
        expect(core.field(text("core_group.brings"), row)).to_have_value(brings)
    for competency in COMPETENCIES:
        expect(core.root.get_by_role("checkbox", name=competency, exact=True)).to_be_checked()
    expect(
        core.root.get_by_role("checkbox", name="Leading meetings and keeping people together", exact=True)
    ).not_to_be_checked()
    expect(core.field(text("core_group.common_needs"))).to_have_value(NEEDS)
    ideas = app.exercise(text("ideas.title"))
    for row, (idea, scores) in enumerate(IDEAS):
        expect(ideas.field(text("ideas.idea_name"), row)).to_have_value(idea)
        expect(ideas.field("Meets our common need", row)).to_have_value(str(scores[0]))
    expect(ideas.table().locator("tbody tr").first).to_contain_text(IDEAS[0][0])


def enter_module_2(app: App) -> None:
    exercise = app.exercise(text("feasibility.title"))
    for key, value in FEASIBILITY.items():
        exercise.type_into(text(f"feasibility.{key}"), value)
    _, result = expected_feasibility()
    figures = exercise.table(0)
    expect(figures).to_contain_text(amount(result.break_even_volume))
    expect(figures).to_contain_text(money(result.annual_profit))
    expect(figures).to_contain_text(money(result.capital_to_raise))
    # One slip: the message sits next to the field, the figures stay.
    shown = figures.inner_text()
    exercise.type_into(text("feasibility.price"), "ten")
    expect(exercise.field_error(text("feasibility.price"))).to_be_visible()
    assert figures.inner_text() == shown
    exercise.type_into(text("feasibility.price"), FEASIBILITY["price"])
    expect(exercise.field_error(text("feasibility.price"))).to_have_count(0)
    app.screenshot("group-work")


def check_module_2(app: App) -> None:
    exercise = app.exercise(text("feasibility.title"))
    for key, value in FEASIBILITY.items():
        expect(exercise.field(text(f"feasibility.{key}"))).to_have_value(value)
    _, result = expected_feasibility()
    expect(exercise.table(0)).to_contain_text(money(result.annual_profit))


def earlier_work_rows() -> dict[str, str]:
    _, result = expected_feasibility()
    return {
        text("plan.idea"): IDEAS[0][0],
        text("plan.members"): ", ".join(name for name, _ in MEMBERS),
        text("feasibility.break_even"): amount(result.break_even_volume),
        text("feasibility.annual_profit"): money(result.annual_profit),
        text("feasibility.capital_to_raise"): money(result.capital_to_raise),
    }


def check_earlier_work(app: App) -> None:
    plan = app.exercise(text("plan.title"))
    summary = plan.root.locator(
        "table.coop-table", has=app.page.locator("caption", has_text=text("plan.earlier_caption"))
    )
    expect(plan.root).to_contain_text(text("plan.from_saved"))
    for heading, value in earlier_work_rows().items():
        expect(summary.locator("tr", has=app.page.locator("th", has_text=heading))).to_contain_text(value)


def enter_module_3(app: App) -> tuple[str, bytes, str, bytes]:
    plan = app.exercise(text("plan.title"))
    # The page was opened before the name: the summary shows the example until brought in again.
    plan.click(text("plan.refresh"))
    check_earlier_work(app)
    plan.write(text("plan.products_market"), PLAN_TEXT)
    plan.click(text("plan.export"))
    links = plan.root.locator("a.coop-download")
    expect(links).to_have_count(2)
    markdown_name, markdown = app.download(links.nth(0))
    word_name, word = app.download(links.nth(1))
    app.screenshot("group-work")
    return markdown_name, markdown, word_name, word


def check_module_3(app: App) -> None:
    plan = app.exercise(text("plan.title"))
    expect(plan.field(text("plan.products_market"))).to_have_value(PLAN_TEXT)
    plan.click(text("plan.refresh"))
    check_earlier_work(app)


def enter_module_4(app: App) -> None:
    exercise = app.exercise(text("governance.title"))
    for key, value in GOVERNANCE.items():
        exercise.type_into(text(f"governance.{key}"), value)
    exercise.tick(text("governance.has_committee"), False)
    exercise.tick(text("governance.hires_manager"), True)
    expect(exercise.field(text("governance.committee_size"))).to_be_hidden()
    expect(exercise.feedback()).to_contain_text(text("governance.summary", members=40, quorum=12, board=7, term=3))
    assembly = app.exercise(text("founding.title"))
    for name in FOUNDERS_PRESENT:
        assembly.tick(name)
    expect(assembly.feedback()).to_contain_text(founders_quorum())
    assert assembly.feedback_kind() == "success"
    expect(assembly.root.locator(".coop-vote")).to_have_count(len(FOUNDERS_PRESENT))
    app.screenshot("group-work")


def founders_quorum() -> str:
    return text(
        "meeting.quorum_ok",
        present=6,
        needed=6,
        entitled=12,
        percent=percent_trimmed(50),
        who=text("meeting.who_votes_assembly"),
    )


def check_module_4(app: App) -> None:
    exercise = app.exercise(text("governance.title"))
    for key, value in GOVERNANCE.items():
        expect(exercise.field(text(f"governance.{key}"))).to_have_value(value)
    expect(exercise.root.get_by_role("checkbox", name=text("governance.has_committee"))).not_to_be_checked()
    expect(exercise.root.get_by_role("checkbox", name=text("governance.hires_manager"))).to_be_checked()
    expect(exercise.feedback()).to_contain_text(text("governance.summary", members=40, quorum=12, board=7, term=3))
    assembly = app.exercise(text("founding.title"))
    for name in FOUNDERS_PRESENT:
        expect(assembly.root.get_by_role("checkbox", name=name, exact=True)).to_be_checked()
    expect(assembly.feedback()).to_contain_text(founders_quorum())


def restored(app: App, count: int) -> None:
    expect(app.saved_work().feedback()).to_contain_text(text("saving.opened", name=GROUP, restored=count))


# --- the tests ----------------------------------------------------------------------------------


def check_plan_files(markdown_name: str, markdown: bytes, word_name: str, word: bytes) -> None:
    assert markdown_name == "business-plan-puno-quinoa-group.md"
    assert word_name == "business-plan-puno-quinoa-group.docx"
    plan = markdown.decode("utf-8")
    _, result = expected_feasibility()
    assert plan.startswith(f"# {text('plan.document_title', idea=IDEAS[0][0])}\n")
    assert text("plan.document_subtitle", group=GROUP) in plan
    for name, _ in MEMBERS:
        assert f"- {name}\n" in plan
    assert f"## {text('plan.products_market')}\n\n{PLAN_TEXT}\n" in plan
    assert f"| {text('feasibility.break_even')} | {amount(result.break_even_volume)} |" in plan
    assert f"## {text('plan.cash_flow_caption')}" in plan
    assert text("plan.not_written") in plan  # the sections not written yet say so

    document = WordDocument(io.BytesIO(word))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == text("plan.document_title", idea=IDEAS[0][0])
    assert PLAN_TEXT in paragraphs
    assert [name for name, _ in MEMBERS] == [
        p.text for p in document.paragraphs if p.style.name == "List Bullet" and p.text in {n for n, _ in MEMBERS}
    ]
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert amount(result.break_even_volume) in cells and money(result.annual_profit) in cells
    assert len(document.tables) == 2  # the feasibility figures and the 12-month cash flow
    assert len(document.tables[1].rows) == 13


def test_group_works_through_start_coop_comes_back_and_moves_machines(
    browser: Browser, voila_server: str, voila_log_path: Path, tmp_path: Path
) -> None:
    # 1. The four modules in order, in one browser session.
    first = new_context(browser)
    try:
        app = visit(first, voila_server, MODULE_1, voila_log_path, GROUP)
        restored(app, 0)
        enter_module_1(app)
        done(app)
        app = visit(first, voila_server, MODULE_2, voila_log_path, GROUP)
        enter_module_2(app)
        done(app)
        app = visit(first, voila_server, MODULE_3, voila_log_path, GROUP)
        files = enter_module_3(app)
        done(app)
        app = visit(first, voila_server, MODULE_4, voila_log_path, GROUP)
        enter_module_4(app)
        done(app)
    finally:
        first.close()
    check_plan_files(*files)

    # 2. The browser is closed; a new session on the same machine finds everything.
    second = new_context(browser)
    try:
        app = visit(second, voila_server, MODULE_1, voila_log_path, GROUP)
        restored(app, 2)
        check_module_1(app)
        done(app)
        app = visit(second, voila_server, MODULE_2, voila_log_path, GROUP)
        restored(app, 1)
        check_module_2(app)
        done(app)
        app = visit(second, voila_server, MODULE_3, voila_log_path, GROUP)
        restored(app, 1)
        check_module_3(app)
        done(app)
        app = visit(second, voila_server, MODULE_4, voila_log_path, GROUP)
        restored(app, 2)
        check_module_4(app)
        file_name, work = app.download_work()
        done(app)
    finally:
        second.close()
    assert file_name == "coop-course-puno-quinoa-group.json"
    saved = json.loads(work)
    assert saved["learner"] == GROUP
    assert set(saved["exercises"]) == {
        "start_coop.core_group",
        "start_coop.ideas",
        "start_coop.feasibility",
        "start_coop.business_plan",
        "start_coop.governance",
        "start_coop.founding_assembly",
    }
    work_file = tmp_path / file_name
    work_file.write_bytes(work)

    # 3. Another machine: a fresh Voila with its own empty store; the group uploads its file.
    log = ARTIFACTS / "voila-second-machine.log"
    with running_voila(Path(__file__).resolve().parents[2] / "course", log, tmp_path / "other-machine") as other:
        third = new_context(browser)
        try:
            app = visit(third, other, MODULE_4, log, GROUP)
            restored(app, 0)
            governance = app.exercise(text("governance.title"))
            expect(governance.field(text("governance.members"))).to_have_value("25")
            # Something already saved here under the same name: the upload asks before replacing it.
            governance.type_into(text("governance.board_size"), "9")
            bar = app.upload_work(work_file)
            expect(bar.root).to_contain_text(plural("saving.upload_conflict", 1))
            bar.click(text("saving.upload_replace"))
            expect(bar.root).to_contain_text(text("saving.uploaded", count=6))
            check_module_4(app)
            app.screenshot("other-machine")
            done(app)
            for notebook, check in ((MODULE_1, check_module_1), (MODULE_2, check_module_2), (MODULE_3, check_module_3)):
                app = visit(third, other, notebook, log, GROUP)
                check(app)
                done(app)
        finally:
            third.close()


def test_a_name_that_looks_like_markup_or_a_path_is_just_text(browser: Browser, tmp_path: Path) -> None:
    name = "<b>x</b>/../y"
    data = tmp_path / "data"
    log = ARTIFACTS / "voila-markup-name.log"
    with running_voila(Path(__file__).resolve().parents[2] / "course", log, data) as base_url:
        context = new_context(browser)
        try:
            app = visit(context, base_url, MODULE_1, log, name)
            status = app.saved_work().feedback()
            expect(status).to_contain_text(f'"{name}"')
            expect(status.locator("b")).to_have_count(0)
            core = app.exercise(text("core_group.title"))
            core.type_into(text("core_group.member_name"), name)
            expect(core.field(text("core_group.member_name"))).to_have_value(name)
            file_name, work = app.download_work()
            assert re.fullmatch(r"coop-course-[a-z0-9-]+\.json", file_name), file_name
            assert json.loads(work)["learner"] == name
            app.screenshot("markup-name")
            done(app)
            # A new session under the same name finds the work: the name is a key, not a path.
            app = visit(context, base_url, MODULE_1, log, name)
            expect(app.saved_work().feedback()).to_contain_text(text("saving.opened", name=name, restored=1))
            expect(app.exercise(text("core_group.title")).field(text("core_group.member_name"))).to_have_value(name)
            done(app)
        finally:
            context.close()
    files = sorted(p.relative_to(data).as_posix() for p in data.rglob("*"))
    assert all(re.fullmatch(r"saved-work\.sqlite3(-wal|-shm)?", f) for f in files), files
    assert not (tmp_path / "y").exists()
