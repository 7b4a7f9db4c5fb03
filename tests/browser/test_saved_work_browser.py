"""Saved work a group can trust, in Chromium through Voila: a file too big to send, two devices
under one group name, a name that already has work (with a PIN). Every page must stay free of
errors on the page, the kernel websocket and the server log."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, expect

from coopcourse.store import LARGEST_UPLOAD_BYTES
from coopcourse.text import text
from tests.browser.voila_app import App, course_notebook, open_page

COST = text("joint_purchasing.coordination_cost")


def new_context(browser: Browser) -> BrowserContext:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    return context


def purchase_page(context: BrowserContext, base_url: str, log: Path) -> App:
    return open_page(context.new_page(), base_url, course_notebook("think_coop.joint_purchasing("), log)


def test_a_file_too_big_is_stopped_before_it_is_sent(browser, voila_server, voila_log_path, tmp_path) -> None:
    context = new_context(browser)
    app = purchase_page(context, voila_server, voila_log_path)
    bar = app.open_work("Big file group")
    sockets_before = len(app.monitor.sockets)
    big = tmp_path / "work.json"
    big.write_bytes(b"{" + b" " * (LARGEST_UPLOAD_BYTES + 10) + b"}")
    with app.page.expect_file_chooser() as chooser:
        bar.root.locator(".coop-work-upload").click()
    chooser.value.set_files(str(big))
    expect(bar.root.locator(".coop-upload-limit")).to_be_visible()
    expect(bar.root.locator(".coop-upload-limit")).to_contain_text(text("saving.error_file_too_big"))
    # The page is still connected and working: a change still reaches the kernel and is saved.
    exercise = app.exercise(text("joint_purchasing.title"))
    exercise.type_into(COST, "725")
    expect(bar.feedback()).to_contain_text(text("saving.saved_at", name="Big file group", time="")[:20])
    assert len(app.monitor.sockets) == sockets_before, "the page reconnected"
    app.assert_no_errors()
    context.close()


def test_two_devices_under_one_name_choose_whose_version_to_keep(browser, voila_server, voila_log_path) -> None:
    device_a, device_b = new_context(browser), new_context(browser)
    page_a = purchase_page(device_a, voila_server, voila_log_path)
    page_a.open_work("Market vendors")
    page_b = purchase_page(device_b, voila_server, voila_log_path)
    bar_b = page_b.open_work("Market vendors")  # a name with work: device B confirms it is theirs
    page_a.exercise(text("joint_purchasing.title")).type_into(COST, "111")
    page_a.settle()
    page_b.exercise(text("joint_purchasing.title")).type_into(COST, "222")
    page_b.settle()
    clash = bar_b.root.get_by_text("Another device saved")
    expect(clash).to_be_visible()
    page_b.screenshot("-clash")
    bar_b.click(text("saving.clash_take_other"))
    expect(page_b.exercise(text("joint_purchasing.title")).field(COST)).to_have_value("111")
    for app in (page_a, page_b):
        app.assert_no_errors()
    device_a.close()
    device_b.close()


def test_a_name_with_work_and_a_pin_is_only_opened_with_it(browser, voila_server, voila_log_path) -> None:
    first = new_context(browser)
    app = purchase_page(first, voila_server, voila_log_path)
    bar = app.open_work("Coffee women")
    app.exercise(text("joint_purchasing.title")).type_into(COST, "640")
    bar.field(text("saving.pin_new_label")).fill("4827")
    bar.click(text("saving.pin_set"))
    expect(bar.root.get_by_text(text("saving.pin_done", name="Coffee women"))).to_be_visible()
    app.assert_no_errors()
    first.close()

    second = new_context(browser)
    other = purchase_page(second, voila_server, voila_log_path)
    bar = other.saved_work()
    bar.field(text("saving.name_label")).fill("coffee women")
    bar.click(text("saving.open"))
    expect(bar.root.get_by_text("already has saved work on this computer, protected by a PIN")).to_be_visible()
    bar.field(text("saving.pin_label")).fill("0000")
    bar.click(text("saving.confirm_open"))
    expect(bar.field_error(text("saving.pin_label"))).to_contain_text(text("saving.pin_wrong"))
    expect(other.exercise(text("joint_purchasing.title")).field(COST)).not_to_have_value("640")
    other.screenshot("-pin")
    other.open_work("coffee women", pin="4827")
    expect(other.exercise(text("joint_purchasing.title")).field(COST)).to_have_value("640")
    other.assert_no_errors()
    second.close()
