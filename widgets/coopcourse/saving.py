"""The kernel's saved-work session: who is working, which exercises are on the page, and
saving every change to the store.

One session per kernel, which in Voila means one per open page, so two learners never share
one. Exercises register themselves (``SavedExercise.bind``); the saved-work bar at the top of a
notebook (``components.saved_work``) sets the learner's name, which restores their work.

Layers: ``store`` → ``saving`` → ``components`` → ``exercises``. The session knows an exercise
only through the small ``SavedExercise`` protocol, so it never imports a widget.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from coopcourse import __version__
from coopcourse.store import WorkFile, WorkStore, learner_key

log = logging.getLogger("coopcourse")


class SavedExercise(Protocol):
    """What the session needs from an exercise on the page (``SavedExercise`` is one)."""

    exercise_id: str
    change_listeners: list[Callable[[SavedExercise], None]]

    @property
    def edited(self) -> bool: ...

    def state(self) -> dict[str, object]: ...

    def apply(self, values: Mapping[str, object]) -> None: ...

    def refresh(self) -> None: ...


@dataclass
class OpenReport:
    """What happened when a learner opened their work."""

    restored: list[str] = field(default_factory=list)
    saved_from_page: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


class WorkSession:
    def __init__(self, store_factory: Callable[[], WorkStore] = WorkStore) -> None:
        self._store_factory = store_factory
        self._store: WorkStore | None = None
        self.learner: str | None = None
        self.frames: dict[str, SavedExercise] = {}
        self.save_failed = False
        self.status_listeners: list[Callable[[], None]] = []

    @property
    def store(self) -> WorkStore:
        if self._store is None:
            self._store = self._store_factory()
        return self._store

    def register(self, frame: SavedExercise) -> None:
        self.frames[frame.exercise_id] = frame
        frame.change_listeners.append(self.save)
        if self.learner is not None:
            saved = self.store.load(self.learner, frame.exercise_id)
            if saved is not None:
                frame.apply(saved)

    def save(self, frame: SavedExercise) -> None:
        if self.learner is None:
            return
        try:
            self.store.save(self.learner, frame.exercise_id, frame.state())
            self.save_failed = False
        except Exception:  # noqa: BLE001 - a full disk must not break the exercise
            log.exception("could not save work for exercise %s", frame.exercise_id)
            self.save_failed = True
        for listener in self.status_listeners:
            listener()

    def open(self, name: str) -> OpenReport:
        """Start saving under ``name`` and bring back what was saved under it. Exercises changed
        on this page before the name was given, which also have saved work, are left alone and
        reported as conflicts for the learner to settle."""
        learner_key(name)  # raises a learner-facing error for an unusable name
        self.learner = " ".join(name.split())
        report = OpenReport()
        for exercise_id, frame in self.frames.items():
            saved = self.store.load(self.learner, exercise_id)
            if saved is None:
                if frame.edited:
                    self.save(frame)
                    report.saved_from_page.append(exercise_id)
                else:
                    frame.refresh()  # an exercise that reads saved work (the business plan) sees the name
            elif frame.edited and saved != frame.state():
                report.conflicts.append(exercise_id)
            else:
                frame.apply(saved)
                report.restored.append(exercise_id)
        return report

    def settle(self, conflicts: list[str], keep_page: bool) -> None:
        """Either save the page's version of each conflicting exercise, or load the saved one."""
        assert self.learner is not None
        for exercise_id in conflicts:
            frame = self.frames[exercise_id]
            if keep_page:
                self.save(frame)
            else:
                saved = self.store.load(self.learner, exercise_id)
                if saved is not None:
                    frame.apply(saved)

    def export(self) -> bytes:
        assert self.learner is not None
        return self.store.export(self.learner, __version__)

    def import_file(self, work: WorkFile, *, replace_existing: bool) -> list[str]:
        """Save the uploaded work under the current name and show it on this page."""
        assert self.learner is not None
        written = self.store.import_work(self.learner, work, replace_existing=replace_existing)
        for exercise_id in written:
            frame = self.frames.get(exercise_id)
            if frame is not None:
                frame.apply(work.exercises[exercise_id])
        return written


_SESSION: WorkSession | None = None


def current_session() -> WorkSession:
    """The session of this kernel (created on first use)."""
    global _SESSION
    if _SESSION is None:
        _SESSION = WorkSession()
    return _SESSION


def start_new_session(store_factory: Callable[[], WorkStore] = WorkStore) -> WorkSession:
    """Forget this kernel's session and start another, as a reloaded page does (used by tests)."""
    global _SESSION
    _SESSION = WorkSession(store_factory)
    return _SESSION
