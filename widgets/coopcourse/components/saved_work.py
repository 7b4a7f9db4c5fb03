"""The saved-work bar: the learner names themselves (or their group), and their work is saved
as they go, can be downloaded as one file and brought back on another machine.

Nothing on the page or in the store changes when a name that already has saved work is typed:
the bar first says what is saved under it (and asks for its PIN, if it has one)."""

from __future__ import annotations

import datetime
import html
import logging
import time
from collections.abc import Callable

import ipywidgets as widgets

from coopcourse.components import shared
from coopcourse.components.download import DownloadLink, file_name
from coopcourse.components.feedback import Feedback, Kind
from coopcourse.components.fields import TextField
from coopcourse.components.frame import course_style
from coopcourse.errors import CourseInputError
from coopcourse.formatting import calendar_day
from coopcourse.saving import OpenReport, WorkSession, current_session
from coopcourse.store import (
    LARGEST_UPLOAD_BYTES,
    NAME_MAX_LENGTH,
    PIN_DIGITS,
    NameSummary,
    StoreUnavailable,
    WorkFile,
    clean_name,
    read_work_file,
)
from coopcourse.text import plural, text

log = logging.getLogger("coopcourse")


def _auto_width() -> widgets.Layout:
    return shared.layout(width="auto")


def _row() -> widgets.Layout:
    return shared.layout(flex_flow="row wrap", align_items="flex-start")


def saved_work_bar() -> SavedWorkBar:
    """The bar at the top of a notebook: name, open, download and upload of saved work."""
    return SavedWorkBar(current_session())


def _button(label: str, action: Callable[[], None], style: str = "") -> widgets.Button:
    button = shared.button(description=label, button_style=style, layout=_auto_width())
    button.on_click(lambda _b: action())
    return button


def _note(kind: Kind, message: str) -> Feedback:
    note = Feedback()
    note.show(kind, message)
    return note


def _when(timestamp: float | None) -> str:
    if timestamp is None:
        return ""
    moment = time.localtime(timestamp)
    clock = time.strftime("%H:%M", moment)
    if time.strftime("%Y-%m-%d", moment) == time.strftime("%Y-%m-%d"):
        return text("saving.when_today", time=clock)
    day = datetime.date(moment.tm_year, moment.tm_mon, moment.tm_mday)
    return text("saving.when_day", date=calendar_day(day), time=clock)


def _not_restored(items: dict[str, list[str]]) -> str:
    return text(
        "saving.not_restored",
        items="; ".join(
            text("saving.not_restored_item", exercise=exercise, fields=", ".join(labels))
            for exercise, labels in items.items()
        ),
    )


class SavedWorkBar(shared.BriefRepr, widgets.VBox):
    # Built when first used (see shared.LazyBox), each in its place in `parts`.
    name_box = shared.LazyBox()  # "this name already has saved work": open it, or not
    conflict_box = shared.LazyBox()
    clash_box = shared.LazyBox()
    pin_box = shared.LazyBox()
    upload_box = shared.LazyBox()

    def __init__(self, session: WorkSession) -> None:
        self.session = session
        self.name = TextField(
            text("saving.name_label"),
            max_length=NAME_MAX_LENGTH,
            placeholder=text("saving.name_placeholder"),
            width="30em",
        )
        self.open_button = shared.button(description=text("saving.open"), button_style="primary", icon="folder-open")
        self.status = Feedback()
        self.download_button = shared.button(
            description=text("saving.prepare_download"), icon="download", layout=_auto_width()
        )
        self.download_link = DownloadLink()
        self.upload = widgets.FileUpload(
            accept=".json,application/json",
            multiple=False,
            description=text("saving.upload"),
            layout=_auto_width(),
            style=shared.style(widgets.FileUpload),
        )
        self.upload.add_class("coop-work-upload")
        # Shown by the page's own script (template coop/upload_limit.html.j2) when a file is too big to send.
        self.upload_limit = shared.html(
            f'<div class="coop-upload-limit coop-error" role="alert" hidden '
            f'data-limit="{LARGEST_UPLOAD_BYTES}">{html.escape(text("saving.error_file_too_big"))}</div>'
        )
        self.pending_upload: WorkFile | None = None
        heading = shared.html(
            f'<h2 class="coop-title">{html.escape(text("saving.title"))}</h2>'
            f'<p class="coop-instructions">{html.escape(text("saving.instructions"))}</p>'
        )
        files = shared.hbox(
            [self.download_button, self.download_link, self.upload],
            layout=shared.layout(flex_flow="row wrap", align_items="center"),
        )
        self.parts = [
            course_style(),
            heading,
            shared.hbox([self.name, self.open_button], layout=_row()),
            self.status,
            "name_box",
            "conflict_box",
            "clash_box",
            "pin_box",
            files,
            self.upload_limit,
            "upload_box",
        ]
        super().__init__(shared.built_parts(self), layout=shared.layout())
        self.add_class("coop-saved-work")
        self.open_button.on_click(lambda _b: self._guarded(self.open_work))
        self.name.observe(lambda change: self._guarded(self.open_work) if change["new"] else None, names="value")
        self.download_button.on_click(lambda _b: self._guarded(self.prepare_download))
        self.upload.observe(lambda _c: self._guarded(self.receive_upload), names="value")
        session.status_listeners.append(lambda: self._guarded(self._on_saved))
        self.status.show("info", text("saving.not_saving_yet"))

    def _guarded(self, action: Callable[[], None]) -> None:
        """Run a handler of the bar: a learner never meets a traceback, whatever the store does."""
        try:
            action()
        except StoreUnavailable as problem:
            self.status.show("error", problem.message)
        except Exception:
            log.exception("saved-work bar failed")
            self.status.show("internal", text("feedback.internal_error"))

    # -- opening a name ------------------------------------------------------------------------

    def open_work(self) -> None:
        shared.clear(self, "conflict_box")
        try:
            name = clean_name(self.name.entry.value)
        except CourseInputError as error:
            self.name.show_error(error.message)
            return
        self.name.clear_error()
        if self.session.is_current(name):
            return
        try:
            summary = self.session.summary(name)
        except StoreUnavailable:
            summary = NameSummary(0, None, False)  # open() reports the problem
        if summary.exercises == 0 and not summary.has_pin:
            self._open(name, "")
        else:
            self._ask_about_name(name, summary)

    def _ask_about_name(self, name: str, summary: NameSummary) -> None:
        exercises = (
            text("saving.exercises_one")
            if summary.exercises == 1
            else text("saving.exercises_many", count=summary.exercises)
        )
        message = text(
            "saving.name_in_use_pin" if summary.has_pin else "saving.name_in_use",
            name=name,
            exercises=exercises,
            when=_when(summary.last_saved_at),
        )
        pin = TextField(text("saving.pin_label"), max_length=PIN_DIGITS[1], width="14em")
        pin.add_class("coop-pin")
        confirm = _button(
            text("saving.confirm_open"), lambda: self._guarded(lambda: self._open(name, pin.value, pin)), "primary"
        )
        other = _button(text("saving.other_name"), self._choose_other_name)
        self.name_box.children = [
            _note("warning", message),
            *([pin] if summary.has_pin else []),
            shared.hbox([confirm, other], layout=_row()),
        ]

    def _choose_other_name(self) -> None:
        shared.clear(self, "name_box")
        self.status.show("info", text("saving.other_name_done"))

    def _open(self, name: str, pin: str, pin_field: TextField | None = None) -> None:
        try:
            report = self.session.open(name, pin)
        except CourseInputError as error:
            if pin_field is not None:
                pin_field.show_error(error.message)
            else:
                self.name.show_error(error.message)
            return
        shared.clear(self, "name_box")
        self._show_opened(report)

    def _show_opened(self, report: OpenReport) -> None:
        if report.problem is not None:
            self.status.show("error", report.problem.message)
            return
        if report.not_restored:
            self.status.show("warning", _not_restored(report.not_restored))
        else:
            self.status.show("success", text("saving.opened", name=self.session.learner, restored=len(report.restored)))
        if report.conflicts:
            self._ask_about_conflicts(report.conflicts)
        self._offer_pin()

    def _ask_about_conflicts(self, conflicts: list[str]) -> None:
        def settle(keep_page: bool) -> None:
            self.session.settle(conflicts, keep_page)
            shared.clear(self, "conflict_box")
            self.status.show("success", text("saving.settled_page" if keep_page else "saving.settled_saved"))

        self.conflict_box.children = [
            _note("warning", plural("saving.conflict", len(conflicts))),
            shared.hbox(
                [
                    _button(text("saving.keep_page"), lambda: self._guarded(lambda: settle(True))),
                    _button(text("saving.load_saved"), lambda: self._guarded(lambda: settle(False))),
                ],
                layout=_row(),
            ),
        ]

    def _offer_pin(self) -> None:
        assert self.session.learner is not None
        try:
            if self.session.summary(self.session.learner).has_pin:
                shared.clear(self, "pin_box")
                return
        except StoreUnavailable:
            return
        new_pin = TextField(text("saving.pin_new_label"), max_length=PIN_DIGITS[1], width="14em")
        new_pin.add_class("coop-pin")

        def set_pin() -> None:
            assert self.session.learner is not None
            try:
                self.session.store.set_pin(self.session.learner, new_pin.value)
            except CourseInputError as error:
                new_pin.show_error(error.message)
                return
            self.pin_box.children = [_note("success", text("saving.pin_done", name=self.session.learner))]

        self.pin_box.children = [
            shared.html(f'<p class="coop-instructions">{html.escape(text("saving.pin_offer"))}</p>'),
            shared.hbox([new_pin, _button(text("saving.pin_set"), lambda: self._guarded(set_pin))], layout=_row()),
        ]

    # -- saving as the learner goes ------------------------------------------------------------

    def _on_saved(self) -> None:
        if self.session.clashes and not self.clash_box.children:
            self._ask_about_clash(next(iter(self.session.clashes)))
        if self.session.problem is not None:
            self.status.show("error", self.session.problem.message)
        elif self.session.clashes:
            self.status.show("warning", text("saving.clash_pending"))
        elif self.session.learner and self.status.kind not in ("warning",):
            self.status.show(
                "success", text("saving.saved_at", name=self.session.learner, time=time.strftime("%H:%M:%S"))
            )

    def _ask_about_clash(self, exercise: str) -> None:
        clash = self.session.clashes[exercise]
        title = self.session.frames[exercise].title

        def settle(keep_page: bool) -> None:
            self.session.settle_clash(exercise, keep_page)
            shared.clear(self, "clash_box")
            self.status.show("success", text("saving.clash_kept" if keep_page else "saving.clash_taken"))
            if self.session.problem is not None:
                self.status.show("error", self.session.problem.message)
            if self.session.clashes:
                self._ask_about_clash(next(iter(self.session.clashes)))

        self.clash_box.children = [
            _note(
                "warning",
                text("saving.clash", exercise=title, time=time.strftime("%H:%M", time.localtime(clash.saved_at))),
            ),
            shared.hbox(
                [
                    _button(text("saving.clash_keep_page"), lambda: self._guarded(lambda: settle(True))),
                    _button(text("saving.clash_take_other"), lambda: self._guarded(lambda: settle(False))),
                ],
                layout=_row(),
            ),
        ]

    # -- files ---------------------------------------------------------------------------------

    def prepare_download(self) -> None:
        if self.session.learner is None:
            self.status.show("warning", text("saving.name_first"))
            return
        self.download_link.offer(
            f"{file_name('saved_work', self.session.learner)}.json", self.session.export(), "application/json"
        )

    def receive_upload(self) -> None:
        if not self.upload.value:
            return  # the reset below fires this observer again: keep the message on screen
        shared.clear(self, "upload_box")
        if self.session.learner is None:
            self._upload_message("warning", text("saving.name_first"))
            self.upload.value = ()
            return
        item = self.upload.value[0]
        try:
            work = read_work_file(bytes(item["content"]))
        except CourseInputError as error:
            self._upload_message("error", error.message)
            return
        finally:
            self.upload.value = ()
        conflicts = self.session.upload_conflicts(work)
        if not conflicts:
            self._finish_upload(work, replace_existing=False)
            return
        self.pending_upload = work
        replace = _button(
            text("saving.upload_replace"), lambda: self._guarded(lambda: self._finish_pending(True)), "warning"
        )
        keep = _button(text("saving.upload_keep"), lambda: self._guarded(lambda: self._finish_pending(False)))
        self.upload_box.children = [
            _note("warning", plural("saving.upload_conflict", len(conflicts))),
            shared.hbox([replace, keep], layout=_row()),
        ]

    def _finish_pending(self, replace_existing: bool) -> None:
        work, self.pending_upload = self.pending_upload, None
        if work is not None:
            self._finish_upload(work, replace_existing=replace_existing)

    def _finish_upload(self, work: WorkFile, *, replace_existing: bool) -> None:
        report = self.session.import_file(work, replace_existing=replace_existing)
        notes = [_note("success", text("saving.uploaded", count=len(report.written)))]
        if report.not_restored:
            notes.append(_note("warning", _not_restored(report.not_restored)))
        if report.unknown:
            notes.append(_note("warning", text("saving.upload_unknown", count=report.unknown)))
        self.upload_box.children = notes

    def _upload_message(self, kind: Kind, message: str) -> None:
        self.upload_box.children = [_note(kind, message)]
