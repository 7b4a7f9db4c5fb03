"""The kernel's saved-work session: who is working, which exercises are on the page, and
saving every change to the store.

One session per kernel, which in Voila means one per open page, so two learners never share
one. Exercises register themselves (``ExerciseFrame.bind``); the saved-work bar at the top of a
notebook (``components.saved_work``) sets the learner's name, which restores their work.

Layers: ``store`` -> ``saving`` -> ``components`` -> ``exercises``. The session knows an exercise
only through the small ``SavedExercise`` protocol, so it never imports a widget.

What the session guarantees: a saved value is checked against its exercise's fields before it
is shown (one bad value never stops the rest); a page saves an exercise only over the version it
last saw, so another device's work is never overwritten without the group choosing; a store that
cannot be used is reported, and the page's own work can still be downloaded.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from coopcourse import __version__
from coopcourse.content import country
from coopcourse.store import (
    LARGEST_FILE_EXERCISES,
    NameSummary,
    SaveClash,
    StoreUnavailable,
    WorkFile,
    WorkStore,
    clean_name,
    is_course_exercise,
)

log = logging.getLogger("coopcourse")


class SavedExercise(Protocol):
    """What the session needs from an exercise on the page (``ExerciseFrame`` is one)."""

    exercise_id: str
    title: str
    change_listeners: list[Callable[[SavedExercise], None]]

    @property
    def edited(self) -> bool: ...

    def state(self) -> dict[str, object]: ...

    def check_values(self, values: Mapping[str, object]) -> tuple[dict[str, object], list[str]]: ...

    def apply(self, values: Mapping[str, object]) -> list[str]: ...

    def refresh(self) -> None: ...


@dataclass
class OpenReport:
    """What happened when a learner opened their work."""

    restored: list[str] = field(default_factory=list)
    saved_from_page: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    # exercise title -> labels of the fields whose saved value could not be used
    not_restored: dict[str, list[str]] = field(default_factory=dict)
    problem: StoreUnavailable | None = None


@dataclass
class UploadReport:
    written: list[str] = field(default_factory=list)
    not_restored: dict[str, list[str]] = field(default_factory=dict)
    unknown: int = 0


class WorkSession:
    def __init__(self, store_factory: Callable[[], WorkStore] = WorkStore) -> None:
        self._store_factory = store_factory
        self._store: WorkStore | None = None
        self.learner: str | None = None
        self.frames: dict[str, SavedExercise] = {}
        self.revisions: dict[str, int] = {}  # the saved version each exercise on the page started from
        self.clashes: dict[str, SaveClash] = {}  # exercises another device saved meanwhile
        self.problem: StoreUnavailable | None = None  # why the last save or read failed
        self.status_listeners: list[Callable[[], None]] = []
        self._quiet = False  # restoring: changes come from the store, not the learner

    @property
    def store(self) -> WorkStore:
        if self._store is None:
            self._store = self._store_factory()
        return self._store

    @property
    def save_failed(self) -> bool:
        return self.problem is not None

    def register(self, frame: SavedExercise) -> None:
        self.frames[frame.exercise_id] = frame
        frame.change_listeners.append(self.save)
        if self.learner is not None:
            try:
                self._restore(frame, OpenReport())
            except StoreUnavailable as problem:
                self.problem = problem
                self._notify()

    def _notify(self) -> None:
        for listener in self.status_listeners:
            listener()

    def save(self, frame: SavedExercise) -> None:
        if self.learner is None or self._quiet:
            return
        exercise = frame.exercise_id
        try:
            self.revisions[exercise] = self.store.save(
                self.learner, exercise, frame.state(), expected_revision=self.revisions.get(exercise, 0)
            )
            self.problem = None
        except SaveClash as clash:
            self.clashes[exercise] = clash
        except StoreUnavailable as problem:
            self.problem = problem
        except Exception:
            log.exception("could not save work for exercise %s", exercise)
            self.problem = StoreUnavailable("missing", self.store.path)
        self._notify()

    def summary(self, name: str) -> NameSummary:
        """What is saved under ``name`` (nothing changes); raises ``StoreUnavailable``."""
        return self.store.summary(name)

    def is_current(self, name: str) -> bool:
        return self.learner is not None and clean_name(name).casefold() == self.learner.casefold()

    def open(self, name: str, pin: str = "") -> OpenReport:
        """Start saving under ``name`` and bring back what was saved under it. Exercises changed
        on this page before the name was given, which also have saved work, are left alone and
        reported as conflicts for the learner to settle. A name with a PIN needs it."""
        learner = clean_name(name)  # raises a learner-facing error for an unusable name
        report = OpenReport()
        try:
            self.store.check_pin(learner, pin)
        except StoreUnavailable as problem:
            report.problem = self.problem = problem
        self.learner = learner
        self.revisions.clear()
        self.clashes.clear()
        if report.problem is None:
            for frame in self.frames.values():
                try:
                    self._restore(frame, report)
                except StoreUnavailable as problem:
                    report.problem = self.problem = problem
                    break
        return report

    def _restore(self, frame: SavedExercise, report: OpenReport) -> None:
        assert self.learner is not None
        exercise = frame.exercise_id
        saved = self.store.entry(self.learner, exercise)
        self.revisions[exercise] = 0
        if saved is None:
            if frame.edited:
                self.save(frame)
                report.saved_from_page.append(exercise)
            else:
                frame.refresh()  # an exercise that reads saved work (the business plan) sees the name
            return
        accepted, rejected = frame.check_values(saved.state)
        if frame.edited and {**frame.state(), **accepted} != frame.state():
            report.conflicts.append(exercise)  # until settled, a save here meets a SaveClash
            return
        self.revisions[exercise] = saved.revision
        self._apply_quietly(frame, saved.state)
        report.restored.append(exercise)
        if rejected:
            report.not_restored[frame.title] = rejected

    def _apply_quietly(self, frame: SavedExercise, values: Mapping[str, object]) -> list[str]:
        self._quiet = True
        try:
            return frame.apply(values)
        finally:
            self._quiet = False

    def settle(self, conflicts: list[str], keep_page: bool) -> None:
        """Either save the page's version of each conflicting exercise, or load the saved one."""
        assert self.learner is not None
        for exercise in conflicts:
            frame = self.frames[exercise]
            saved = self.store.entry(self.learner, exercise)
            self.revisions[exercise] = saved.revision if saved else 0
            if keep_page:
                self.save(frame)
            elif saved is not None:
                self._apply_quietly(frame, saved.state)

    def settle_clash(self, exercise: str, keep_page: bool) -> None:
        """Another device saved ``exercise``: keep this page's version (saved over the other), or
        show the other device's."""
        clash = self.clashes.pop(exercise, None)
        if clash is None:
            return
        frame = self.frames[exercise]
        self.revisions[exercise] = clash.revision
        if keep_page:
            self.save(frame)
        else:
            self._apply_quietly(frame, clash.saved)

    def page_work(self) -> dict[str, dict[str, Any]]:
        """The work of the exercises on this page that the learner has changed or brought back."""
        return {
            exercise: dict(frame.state())
            for exercise, frame in self.frames.items()
            if frame.edited or (exercise in self.revisions and self.revisions[exercise] > 0)
        }

    def export(self) -> bytes:
        """The learner's work file: what is saved, with this page's latest work on top (so it
        works even when the store cannot be read)."""
        assert self.learner is not None
        return self.store.export(self.learner, __version__, self.page_work())

    def import_file(self, work: WorkFile, *, replace_existing: bool) -> UploadReport:
        """Save the uploaded work under the current name and show it on this page. Only the
        course's exercises are kept; values this page's exercises cannot use are left out."""
        assert self.learner is not None
        report = UploadReport()
        checked: dict[str, dict[str, Any]] = {}
        for exercise, state in work.exercises.items():
            if not is_course_exercise(exercise) or len(checked) >= LARGEST_FILE_EXERCISES:
                report.unknown += 1
                continue
            frame = self.frames.get(exercise)
            if frame is None:
                checked[exercise] = state  # checked against its fields when its page opens it
                continue
            accepted, rejected = frame.check_values(state)
            if rejected:
                report.not_restored[frame.title] = rejected
            checked[exercise] = {**frame.state(), **accepted}
        report.written = self.store.import_work(self.learner, checked, replace_existing=replace_existing)
        for exercise in report.written:
            frame = self.frames.get(exercise)
            if frame is not None:
                self._apply_quietly(frame, checked[exercise])
                saved = self.store.entry(self.learner, exercise)
                self.revisions[exercise] = saved.revision if saved else 0
        return report

    def upload_conflicts(self, work: WorkFile) -> list[str]:
        assert self.learner is not None
        known = {e: s for e, s in work.exercises.items() if is_course_exercise(e)}
        return self.store.conflicts(self.learner, known)


_SESSION: WorkSession | None = None


def current_session() -> WorkSession:
    """The session of this kernel (created on first use)."""
    global _SESSION
    if _SESSION is None:
        _SESSION = WorkSession()
    return _SESSION


# The group's country choice on the landing page: saved like an exercise, read on every page.
PROFILE_CHOICE = "course.profile"


def current_profile() -> country.CountryProfile:
    """The country profile for this page: the group's choice (on this page, or saved under its
    name), else the server's (``make serve PROFILE=...``)."""
    session = current_session()
    chosen: object = None
    frame = session.frames.get(PROFILE_CHOICE)
    if frame is not None:
        chosen = frame.state().get("profile")
    elif session.learner is not None:
        try:
            saved = session.store.load(session.learner, PROFILE_CHOICE)
        except StoreUnavailable:
            saved = None
        chosen = saved.get("profile") if isinstance(saved, dict) else None
    if isinstance(chosen, str) and chosen in country.profile_ids():
        return country.profile(chosen)
    return country.profile(country.server_profile_id())


def start_new_session(store_factory: Callable[[], WorkStore] = WorkStore) -> WorkSession:
    """Forget this kernel's session and start another, as a reloaded page does (used by tests)."""
    global _SESSION
    _SESSION = WorkSession(store_factory)
    return _SESSION
