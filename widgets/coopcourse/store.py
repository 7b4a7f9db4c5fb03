"""Saved work: every exercise's inputs, per learner (or group) name, in an embedded SQLite file.

No UI here. The store is shared by every kernel on a machine (one per open app in Voila), so
each write is one short transaction and the database runs in WAL mode: two learners saving at
the same moment never block each other for long and never see each other's rows. Names are
only ever used as query parameters, never as paths or markup.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coopcourse.errors import CourseInputError
from coopcourse.text import text

FILE_FORMAT = "coopcourse-saved-work"
FILE_VERSION = 1
LARGEST_UPLOAD_BYTES = 2_000_000
NAME_MAX_LENGTH = 60


def data_dir() -> Path:
    """Where saved work lives: ``$COOPCOURSE_DATA_DIR``, else ``~/.local/share/coopcourse``."""
    configured = os.environ.get("COOPCOURSE_DATA_DIR")
    return Path(configured) if configured else Path.home() / ".local" / "share" / "coopcourse"


def learner_key(name: str) -> str:
    """The key a learner's work is filed under: case, accents and spacing are normalised so
    "Group  One" and "group one" find the same work. Raises if the name is unusable."""
    if not isinstance(name, str):
        raise CourseInputError(text("saving.error_name_empty"), "learner")
    cleaned = " ".join(unicodedata.normalize("NFKC", name).split())
    if not cleaned:
        raise CourseInputError(text("saving.error_name_empty"), "learner")
    if len(cleaned) > NAME_MAX_LENGTH:
        raise CourseInputError(text("saving.error_name_long", maximum=NAME_MAX_LENGTH), "learner")
    if any(unicodedata.category(ch).startswith("C") for ch in cleaned):
        raise CourseInputError(text("saving.error_name_characters"), "learner")
    return cleaned.casefold()


@dataclass(frozen=True)
class WorkFile:
    """A parsed, checked download of one learner's work."""

    learner: str
    exported_at: float
    exercises: dict[str, dict[str, Any]]


class WorkStore:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or data_dir() / "saved-work.sqlite3"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(
                "CREATE TABLE IF NOT EXISTS work ("
                " learner TEXT NOT NULL, exercise TEXT NOT NULL, state TEXT NOT NULL,"
                " saved_at REAL NOT NULL, PRIMARY KEY (learner, exercise))"
            )

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        connection = sqlite3.connect(self.path, timeout=15)
        try:
            with connection:
                yield connection
        finally:
            connection.close()

    def save(self, learner: str, exercise: str, state: Mapping[str, Any]) -> None:
        encoded = json.dumps(state, sort_keys=True, allow_nan=False)
        with self._connect() as db:
            db.execute(
                "INSERT INTO work (learner, exercise, state, saved_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (learner, exercise) DO UPDATE SET state = excluded.state,"
                " saved_at = excluded.saved_at",
                (learner_key(learner), exercise, encoded, time.time()),
            )

    def load(self, learner: str, exercise: str) -> dict[str, Any] | None:
        with self._connect() as db:
            row = db.execute("SELECT state FROM work WHERE learner = ? AND exercise = ?",
                             (learner_key(learner), exercise)).fetchone()
        return json.loads(row[0]) if row else None

    def load_all(self, learner: str) -> dict[str, dict[str, Any]]:
        with self._connect() as db:
            rows = db.execute("SELECT exercise, state FROM work WHERE learner = ? ORDER BY exercise",
                              (learner_key(learner),)).fetchall()
        return {exercise: json.loads(state) for exercise, state in rows}

    def export(self, learner: str, course_version: str) -> bytes:
        """All of a learner's work as one JSON file, with a checksum that reveals damage."""
        exercises = self.load_all(learner)
        body = {"learner": " ".join(learner.split()), "exported_at": time.time(), "exercises": exercises}
        document = {
            "format": FILE_FORMAT,
            "version": FILE_VERSION,
            "course_version": course_version,
            "checksum": _checksum(body),
            **body,
        }
        return json.dumps(document, indent=1, sort_keys=True, allow_nan=False).encode("utf-8")

    def import_work(self, learner: str, work: WorkFile, *, replace_existing: bool) -> list[str]:
        """Save the file's exercises under ``learner``. Exercises already saved are kept unless
        ``replace_existing``; returns the ids of the exercises written."""
        key = learner_key(learner)
        written: list[str] = []
        with self._connect() as db:
            existing = {row[0] for row in db.execute("SELECT exercise FROM work WHERE learner = ?", (key,))}
            for exercise, state in work.exercises.items():
                if exercise in existing and not replace_existing:
                    continue
                db.execute(
                    "INSERT INTO work (learner, exercise, state, saved_at) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT (learner, exercise) DO UPDATE SET state = excluded.state,"
                    " saved_at = excluded.saved_at",
                    (key, exercise, json.dumps(state, sort_keys=True), time.time()),
                )
                written.append(exercise)
        return written

    def conflicts(self, learner: str, work: WorkFile) -> list[str]:
        """Exercises in ``work`` that already have different saved work under ``learner``."""
        saved = self.load_all(learner)
        return sorted(e for e, state in work.exercises.items() if e in saved and saved[e] != state)


def read_work_file(data: bytes) -> WorkFile:
    """Check and parse an uploaded file; every failure is a clear learner-facing message."""
    if len(data) > LARGEST_UPLOAD_BYTES:
        raise CourseInputError(text("saving.error_file_too_big"), "upload")
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise CourseInputError(text("saving.error_file_damaged"), "upload") from None
    if not isinstance(document, dict) or document.get("format") != FILE_FORMAT:
        raise CourseInputError(text("saving.error_file_not_ours"), "upload")
    version = document.get("version")
    if version != FILE_VERSION:
        newer = isinstance(version, int) and version > FILE_VERSION
        raise CourseInputError(text("saving.error_file_newer" if newer else "saving.error_file_older"), "upload")
    body = {key: document.get(key) for key in ("learner", "exported_at", "exercises")}
    exercises = body["exercises"]
    valid_shape = (
        isinstance(body["learner"], str)
        and isinstance(body["exported_at"], (int, float))
        and isinstance(exercises, dict)
        and all(isinstance(k, str) and isinstance(v, dict) for k, v in exercises.items())
    )
    if not valid_shape or document.get("checksum") != _checksum(body):
        raise CourseInputError(text("saving.error_file_damaged"), "upload")
    return WorkFile(body["learner"], float(body["exported_at"]), exercises)


def _checksum(body: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, allow_nan=False).encode("utf-8")).hexdigest()
