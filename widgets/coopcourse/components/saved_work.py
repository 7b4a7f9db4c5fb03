"""The saved-work bar: the learner names themselves (or their group), and their work is saved
as they go, can be downloaded as one file and brought back on another machine."""

from __future__ import annotations

import html
import time
import ipywidgets as widgets

from coopcourse.components.download import DownloadLink, file_slug
from coopcourse.components.feedback import Feedback
from coopcourse.components.fields import TextField
from coopcourse.components.frame import course_style
from coopcourse.errors import CourseInputError
from coopcourse.saving import WorkSession, current_session
from coopcourse.store import NAME_MAX_LENGTH, WorkFile, read_work_file
from coopcourse.text import text


def saved_work_bar() -> SavedWorkBar:
    """The bar at the top of a notebook: name, open, download and upload of saved work."""
    return SavedWorkBar(current_session())


class SavedWorkBar(widgets.VBox):
    def __init__(self, session: WorkSession) -> None:
        self.session = session
        self.name = TextField(text("saving.name_label"), max_length=NAME_MAX_LENGTH,
                              placeholder=text("saving.name_placeholder"), width="30em")
        self.open_button = widgets.Button(description=text("saving.open"), button_style="primary", icon="folder-open")
        self.status = Feedback()
        self.conflict_box = widgets.VBox()
        self.download_button = widgets.Button(description=text("saving.prepare_download"), icon="download",
                                              layout=widgets.Layout(width="auto"))
        self.download_link = DownloadLink()
        self.upload = widgets.FileUpload(accept=".json,application/json", multiple=False,
                                         description=text("saving.upload"), layout=widgets.Layout(width="auto"))
        self.upload_box = widgets.VBox()
        self.pending_upload: WorkFile | None = None
        heading = widgets.HTML(f'<h2 class="coop-title">{html.escape(text("saving.title"))}</h2>'
                               f'<p class="coop-instructions">{html.escape(text("saving.instructions"))}</p>')
        files = widgets.HBox([self.download_button, self.download_link, self.upload],
                             layout=widgets.Layout(flex_flow="row wrap", align_items="center"))
        super().__init__([course_style(), heading, widgets.HBox([self.name, self.open_button],
                          layout=widgets.Layout(flex_flow="row wrap", align_items="flex-start")),
                          self.status, self.conflict_box, files, self.upload_box])
        self.add_class("coop-saved-work")
        self.open_button.on_click(lambda _b: self.open_work())
        self.name.observe(lambda change: self.open_work() if change["new"] else None, names="value")
        self.download_button.on_click(lambda _b: self.prepare_download())
        self.upload.observe(lambda _c: self.receive_upload(), names="value")
        session.status_listeners.append(self._on_saved)
        self.status.show("info", text("saving.not_saving_yet"))

    def open_work(self) -> None:
        self.conflict_box.children = []
        try:
            report = self.session.open(self.name.entry.value)
        except CourseInputError as error:
            self.name.show_error(error.message)
            return
        self.name.clear_error()
        self.status.show("success", text("saving.opened", name=self.session.learner,
                                         restored=len(report.restored)))
        if report.conflicts:
            self._ask_about_conflicts(report.conflicts)

    def _ask_about_conflicts(self, conflicts: list[str]) -> None:
        note = Feedback()
        note.show("warning", text("saving.conflict", count=len(conflicts)))
        keep = widgets.Button(description=text("saving.keep_page"), layout=widgets.Layout(width="auto"))
        load = widgets.Button(description=text("saving.load_saved"), layout=widgets.Layout(width="auto"))

        def settle(keep_page: bool) -> None:
            self.session.settle(conflicts, keep_page)
            self.conflict_box.children = []
            self.status.show("success", text("saving.settled_page" if keep_page else "saving.settled_saved"))

        keep.on_click(lambda _b: settle(True))
        load.on_click(lambda _b: settle(False))
        self.conflict_box.children = [note, widgets.HBox([keep, load], layout=widgets.Layout(flex_flow="row wrap"))]

    def _on_saved(self) -> None:
        if self.session.save_failed:
            self.status.show("error", text("saving.save_failed"))
        elif self.session.learner and self.status.kind != "warning":
            self.status.show("success", text("saving.saved_at", name=self.session.learner,
                                             time=time.strftime("%H:%M:%S")))

    def prepare_download(self) -> None:
        if self.session.learner is None:
            self.status.show("warning", text("saving.name_first"))
            return
        self.download_link.offer(f"coop-course-{file_slug(self.session.learner)}.json", self.session.export(),
                                 "application/json")

    def receive_upload(self) -> None:
        if not self.upload.value:
            return  # the reset below fires this observer again: keep the message on screen
        self.upload_box.children = []
        if self.session.learner is None:
            self._upload_message("warning", text("saving.name_first"))
            return
        item = self.upload.value[0]
        try:
            work = read_work_file(bytes(item["content"]))
        except CourseInputError as error:
            self._upload_message("error", error.message)
            return
        finally:
            self.upload.value = ()
        conflicts = self.session.store.conflicts(self.session.learner, work)
        if not conflicts:
            written = self.session.import_file(work, replace_existing=False)
            self._upload_message("success", text("saving.uploaded", count=len(written)))
            return
        self.pending_upload = work
        note = Feedback()
        note.show("warning", text("saving.upload_conflict", count=len(conflicts)))
        replace = widgets.Button(description=text("saving.upload_replace"), button_style="warning",
                                 layout=widgets.Layout(width="auto"))
        keep = widgets.Button(description=text("saving.upload_keep"), layout=widgets.Layout(width="auto"))
        replace.on_click(lambda _b: self._finish_upload(True))
        keep.on_click(lambda _b: self._finish_upload(False))
        self.upload_box.children = [note, widgets.HBox([replace, keep], layout=widgets.Layout(flex_flow="row wrap"))]

    def _finish_upload(self, replace_existing: bool) -> None:
        work, self.pending_upload = self.pending_upload, None
        if work is None:
            return
        written = self.session.import_file(work, replace_existing=replace_existing)
        self._upload_message("success", text("saving.uploaded", count=len(written)))

    def _upload_message(self, kind: str, message: str) -> None:
        note = Feedback()
        note.show(kind, message)  # type: ignore[arg-type]
        self.upload_box.children = [note]
