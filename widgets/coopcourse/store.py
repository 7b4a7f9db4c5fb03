"""Saved work: every exercise's inputs, per learner (or group) name, in an embedded SQLite file.

No UI here. The store is shared by every kernel on a machine (one per open app in Voila), so
each write is one short transaction and the database runs in WAL mode: two learners saving at
the same moment never block each other for long and never see each other's rows. Names are
only ever used as query parameters, never as paths or markup.

Every saved exercise carries a revision number: a page saves only over the revision it last saw,
so two devices working under one name never overwrite each other silently (``SaveClash``).
Reading never writes: a missing database reads as empty and a read-only one can still be read.
A store that cannot be used raises ``StoreUnavailable`` with a message for the group.

A trainer resets a group's PIN from the command line::

    python -m coopcourse.store reset-pin "Group 1"
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import os
import re
import secrets
import sqlite3
import sys
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
DATABASE_NAME = "saved-work.sqlite3"
LARGEST_UPLOAD_BYTES = 2_000_000
NAME_MAX_LENGTH = 60
# A saved state is a small JSON object (inputs of one exercise): deeper or larger is not ours.
DEEPEST_STATE = 6
# An exercise id names its part and the exercise ("start_coop.feasibility"; "course.profile" for a
# choice that holds for every part); a work file holds at most this many exercises (the course has
# about twenty): anything else in a file is not ours.
# A self-check's answers are saved under "quiz.<question bank>.<set>" ("quiz.start_coop.feasibility").
EXERCISE_ID = re.compile(
    r"(think_coop|start_coop|manage_coop|course)\.[a-z][a-z0-9_]{0,60}"
    r"|quiz\.[a-z][a-z0-9_]{0,60}\.[a-z][a-z0-9_]{0,60}"
)
LARGEST_FILE_EXERCISES = 200
PIN_DIGITS = (4, 8)
PIN_TRIES = 5  # wrong PINs in a row before a name waits
PIN_WAIT_SECONDS = 60

# Joiners and tag characters build emoji sequences and shape Persian, Hindi and other scripts: a
# name keeps them. Other invisible format characters (bidirectional overrides among them) are
# dropped, control characters refuse the name.
_NAME_KEEPS = {"\u200c", "\u200d", *(chr(c) for c in range(0xE0020, 0xE0080))}


def is_course_exercise(exercise_id: object) -> bool:
    return isinstance(exercise_id, str) and EXERCISE_ID.fullmatch(exercise_id) is not None


def data_dir() -> Path:
    """Where saved work lives: ``$COOPCOURSE_DATA_DIR``, else ``~/.local/share/coopcourse``."""
    configured = os.environ.get("COOPCOURSE_DATA_DIR")
    return Path(configured) if configured else Path.home() / ".local" / "share" / "coopcourse"


def clean_name(name: object) -> str:
    """A name as it is shown and saved: spaces collapsed, invisible format characters removed
    (joiners kept). Raises a learner-facing error if the name is unusable."""
    if not isinstance(name, str):
        raise CourseInputError(text("saving.error_name_empty"), "learner")
    normal = unicodedata.normalize("NFKC", name)
    kept = "".join(ch for ch in normal if unicodedata.category(ch) != "Cf" or ch in _NAME_KEEPS)
    cleaned = " ".join(kept.split())
    if not cleaned:
        raise CourseInputError(text("saving.error_name_empty"), "learner")
    if len(cleaned) > NAME_MAX_LENGTH:
        raise CourseInputError(text("saving.error_name_long", maximum=NAME_MAX_LENGTH), "learner")
    if any(unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") for ch in cleaned):
        raise CourseInputError(text("saving.error_name_characters"), "learner")
    return cleaned


def learner_key(name: str) -> str:
    """The key a learner's work is filed under: case, accents and spacing are normalised so
    "Group  One" and "group one" find the same work. Raises if the name is unusable."""
    return clean_name(name).casefold()


class StoreUnavailable(Exception):
    """The saved-work database cannot be used; ``message`` says so to the group, in plain words."""

    def __init__(self, kind: str, path: Path) -> None:
        self.kind = kind  # "read_only", "full", "damaged", "busy" or "missing"
        self.message = text(f"saving.store_{kind}", path=str(path.parent))
        super().__init__(self.message)


@dataclass
class SaveClash(Exception):
    """Another page saved this exercise since this page last read it."""

    exercise: str
    saved: dict[str, Any]
    revision: int
    saved_at: float


@dataclass(frozen=True)
class SavedEntry:
    state: dict[str, Any]
    revision: int
    saved_at: float


@dataclass(frozen=True)
class NameSummary:
    """What is saved under a name, shown before a page takes it over."""

    exercises: int
    last_saved_at: float | None
    has_pin: bool


@dataclass(frozen=True)
class WorkFile:
    """A parsed, checked download of one learner's work."""

    learner: str
    exported_at: float
    exercises: dict[str, dict[str, Any]]


def _problem(error: BaseException, path: Path) -> StoreUnavailable:
    described = str(error).lower()
    if "readonly" in described or "read-only" in described or isinstance(error, PermissionError):
        kind = "read_only"
    elif "full" in described or getattr(error, "errno", None) == 28:
        kind = "full"
    elif "not a database" in described or "malformed" in described or "corrupt" in described:
        kind = "damaged"
    elif "locked" in described or "busy" in described:
        kind = "busy"  # other pages kept the database for longer than sqlite's 15 s of patience
    else:
        kind = "missing"
    return StoreUnavailable(kind, path)


def _switch_to_wal(connection: sqlite3.Connection, patience: float = 15.0) -> None:
    """``PRAGMA journal_mode=WAL`` needs the database to itself for an instant and SQLite does not
    always wait for it (its busy handler is skipped there), so a busy database is retried here."""
    deadline = time.monotonic() + patience
    while True:
        try:
            connection.execute("PRAGMA journal_mode=WAL").fetchone()
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error).lower() or time.monotonic() > deadline:
                raise
            time.sleep(0.01 + secrets.randbelow(40) / 1000)


class WorkStore:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or data_dir() / DATABASE_NAME
        self._ready = False

    # -- connections ---------------------------------------------------------------------------

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection | None]:
        """A read-only connection, or None when nothing was ever saved here."""
        if not self.path.exists():
            yield None
            return
        connection = self._open_for_reading()
        try:
            columns = {row[1] for row in connection.execute("PRAGMA table_info(work)")}
            if columns and "revision" not in columns:  # a store written before revisions: read as revision 1
                connection.execute("CREATE TEMP VIEW work_read AS SELECT *, 1 AS revision FROM work")
            elif columns:
                connection.execute("CREATE TEMP VIEW work_read AS SELECT * FROM work")
            yield connection if columns else None
        except sqlite3.Error as error:
            raise _problem(error, self.path) from None
        finally:
            connection.close()

    def _open_for_reading(self) -> sqlite3.Connection:
        """Read-only. A reader of a WAL database needs its shared-memory file beside it: in a
        read-only folder where none exists, the file is read as it stands (``immutable``), since
        nobody can write there through the course either."""
        uri = self.path.resolve().as_uri()
        for options in ("mode=ro", "mode=ro&immutable=1"):
            try:
                connection = sqlite3.connect(f"{uri}?{options}", uri=True, timeout=15)
            except sqlite3.Error as error:
                raise _problem(error, self.path) from None
            try:
                connection.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
                return connection
            except sqlite3.OperationalError as error:
                connection.close()
                failure: sqlite3.Error = error
            except sqlite3.Error as error:
                connection.close()
                raise _problem(error, self.path) from None
        raise _problem(failure, self.path)

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """One short write transaction (``BEGIN IMMEDIATE``: a read-then-write cannot interleave
        with another page's)."""
        try:
            if not self._ready:
                self._prepare()
            connection = sqlite3.connect(self.path, timeout=15, isolation_level=None)
        except (sqlite3.Error, OSError) as error:
            raise _problem(error, self.path) from None
        try:
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")
        except sqlite3.Error as error:
            raise _problem(error, self.path) from None
        finally:
            connection.close()

    def _prepare(self) -> None:
        """Create the tables once. Pages open a new store at the same moment when a room starts, so
        the schema is checked and changed inside one write transaction, and a database another page
        is switching to WAL at that instant is waited for rather than reported as unusable."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=15, isolation_level=None)
        try:
            _switch_to_wal(connection)
            connection.execute("BEGIN IMMEDIATE")
            try:
                connection.execute(
                    "CREATE TABLE IF NOT EXISTS work ("
                    " learner TEXT NOT NULL, exercise TEXT NOT NULL, state TEXT NOT NULL,"
                    " saved_at REAL NOT NULL, revision INTEGER NOT NULL DEFAULT 1,"
                    " PRIMARY KEY (learner, exercise))"
                )
                columns = {row[1] for row in connection.execute("PRAGMA table_info(work)")}
                if "revision" not in columns:  # stores written before revisions existed
                    connection.execute("ALTER TABLE work ADD COLUMN revision INTEGER NOT NULL DEFAULT 1")
                connection.execute(
                    "CREATE TABLE IF NOT EXISTS names ("
                    " learner TEXT PRIMARY KEY, pin_salt BLOB, pin_hash BLOB,"
                    " failed_tries INTEGER NOT NULL DEFAULT 0, wait_until REAL NOT NULL DEFAULT 0)"
                )
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")
        finally:
            connection.close()
        self._ready = True

    def check(self) -> None:
        """Raise ``StoreUnavailable`` unless work can be saved here now."""
        with self._writing() as db:
            db.execute("SELECT COUNT(*) FROM work").fetchone()

    # -- exercises -----------------------------------------------------------------------------

    def save(
        self, learner: str, exercise: str, state: Mapping[str, Any], *, expected_revision: int | None = None
    ) -> int:
        """Save one exercise's state and return its new revision. With ``expected_revision`` (the
        revision the page last read, 0 for none), raise ``SaveClash`` instead of overwriting work
        another page saved in between."""
        encoded = json.dumps(state, sort_keys=True, allow_nan=False)
        key = learner_key(learner)
        with self._writing() as db:
            row = db.execute(
                "SELECT state, revision, saved_at FROM work WHERE learner = ? AND exercise = ?", (key, exercise)
            ).fetchone()
            current = row[1] if row else 0
            if expected_revision is not None and current != expected_revision:
                if row is not None and row[0] == encoded:
                    return int(current)  # the other page saved exactly this: nothing to settle
                raise SaveClash(exercise, json.loads(row[0]) if row else {}, current, row[2] if row else 0.0)
            db.execute(
                "INSERT INTO work (learner, exercise, state, saved_at, revision) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (learner, exercise) DO UPDATE SET state = excluded.state,"
                " saved_at = excluded.saved_at, revision = excluded.revision",
                (key, exercise, encoded, time.time(), current + 1),
            )
        return int(current + 1)

    def entry(self, learner: str, exercise: str) -> SavedEntry | None:
        with self._reading() as db:
            if db is None:
                return None
            row = db.execute(
                "SELECT state, revision, saved_at FROM work_read WHERE learner = ? AND exercise = ?",
                (learner_key(learner), exercise),
            ).fetchone()
        return SavedEntry(json.loads(row[0]), int(row[1]), float(row[2])) if row else None

    def load(self, learner: str, exercise: str) -> dict[str, Any] | None:
        saved = self.entry(learner, exercise)
        return saved.state if saved else None

    def load_all(self, learner: str) -> dict[str, dict[str, Any]]:
        with self._reading() as db:
            if db is None:
                return {}
            rows = db.execute(
                "SELECT exercise, state FROM work WHERE learner = ? ORDER BY exercise", (learner_key(learner),)
            ).fetchall()
        return {exercise: json.loads(state) for exercise, state in rows}

    def learners_since(self, since: float) -> dict[str, float]:
        """Every name (as filed: case and spacing normalised) that saved work at or after ``since``
        (seconds since the epoch), with its latest save. Read-only (the plenary view)."""
        with self._reading() as db:
            if db is None:
                return {}
            rows = db.execute(
                "SELECT learner, MAX(saved_at) FROM work GROUP BY learner HAVING MAX(saved_at) >= ? ORDER BY learner",
                (since,),
            ).fetchall()
        return {str(learner): float(last) for learner, last in rows}

    def entries_of(self, exercise: str, learners: list[str]) -> dict[str, SavedEntry]:
        """What each of ``learners`` (names as filed) saved for ``exercise``; a saved state that is
        not valid JSON is left out. Read-only (the plenary view)."""
        found: dict[str, SavedEntry] = {}
        with self._reading() as db:
            if db is None:
                return {}
            for learner in learners:
                row = db.execute(
                    "SELECT state, revision, saved_at FROM work_read WHERE learner = ? AND exercise = ?",
                    (learner, exercise),
                ).fetchone()
                if row is None:
                    continue
                try:
                    state = json.loads(row[0])
                except (TypeError, ValueError, RecursionError):
                    state = None
                found[learner] = SavedEntry(state if isinstance(state, dict) else {}, int(row[1]), float(row[2]))
        return found

    def summary(self, learner: str) -> NameSummary:
        key = learner_key(learner)
        with self._reading() as db:
            if db is None:
                return NameSummary(0, None, False)
            count, last = db.execute("SELECT COUNT(*), MAX(saved_at) FROM work WHERE learner = ?", (key,)).fetchone()
            pin = self._pin_row(db, key)
        return NameSummary(int(count), last, pin is not None and pin[0] is not None)

    def export(self, learner: str, course_version: str, page: Mapping[str, Mapping[str, Any]] | None = None) -> bytes:
        """All of a learner's work as one JSON file, with a checksum that reveals accidental damage.
        ``page`` (exercise id -> state) is the page's own latest work: it is included even when the
        store cannot be read, and wins over what the store holds."""
        try:
            exercises = self.load_all(learner)
        except StoreUnavailable:
            if page is None:
                raise
            exercises = {}
        exercises.update({exercise: dict(state) for exercise, state in (page or {}).items()})
        body = {"learner": clean_name(learner), "exported_at": time.time(), "exercises": exercises}
        document = {
            "format": FILE_FORMAT,
            "version": FILE_VERSION,
            "course_version": course_version,
            "checksum": _checksum(body),
            **body,
        }
        return json.dumps(document, indent=1, sort_keys=True, allow_nan=False, ensure_ascii=False).encode("utf-8")

    def import_work(
        self, learner: str, exercises: Mapping[str, Mapping[str, Any]], *, replace_existing: bool
    ) -> list[str]:
        """Save these exercises under ``learner``. Exercises already saved are kept unless
        ``replace_existing``; returns the ids of the exercises written."""
        key = learner_key(learner)
        written: list[str] = []
        with self._writing() as db:
            saved = dict(db.execute("SELECT exercise, revision FROM work WHERE learner = ?", (key,)).fetchall())
            for exercise, state in exercises.items():
                if exercise in saved and not replace_existing:
                    continue
                db.execute(
                    "INSERT INTO work (learner, exercise, state, saved_at, revision) VALUES (?, ?, ?, ?, ?)"
                    " ON CONFLICT (learner, exercise) DO UPDATE SET state = excluded.state,"
                    " saved_at = excluded.saved_at, revision = excluded.revision",
                    (
                        key,
                        exercise,
                        json.dumps(state, sort_keys=True, allow_nan=False),
                        time.time(),
                        saved.get(exercise, 0) + 1,
                    ),
                )
                written.append(exercise)
        return written

    def conflicts(self, learner: str, exercises: Mapping[str, Mapping[str, Any]]) -> list[str]:
        """Exercises given that already have different saved work under ``learner``."""
        saved = self.load_all(learner)
        return sorted(e for e, state in exercises.items() if e in saved and saved[e] != state)

    # -- PINs ----------------------------------------------------------------------------------

    @staticmethod
    def _pin_row(db: sqlite3.Connection, key: str) -> tuple[Any, ...] | None:
        has_names = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'names'").fetchone()
        if not has_names:
            return None
        row = db.execute(
            "SELECT pin_salt, pin_hash, failed_tries, wait_until FROM names WHERE learner = ?", (key,)
        ).fetchone()
        return tuple(row) if row else None

    def set_pin(self, learner: str, pin: str) -> None:
        check_pin_format(pin)
        salt = secrets.token_bytes(16)
        with self._writing() as db:
            db.execute(
                "INSERT INTO names (learner, pin_salt, pin_hash, failed_tries, wait_until) VALUES (?, ?, ?, 0, 0)"
                " ON CONFLICT (learner) DO UPDATE SET pin_salt = excluded.pin_salt,"
                " pin_hash = excluded.pin_hash, failed_tries = 0, wait_until = 0",
                (learner_key(learner), salt, _pin_hash(pin, salt)),
            )

    def reset_pin(self, learner: str) -> bool:
        """Remove a name's PIN (the trainer's command); False if it had none."""
        with self._writing() as db:
            removed = db.execute("DELETE FROM names WHERE learner = ?", (learner_key(learner),)).rowcount
        return bool(removed)

    def check_pin(self, learner: str, pin: str) -> None:
        """Return if ``pin`` opens ``learner`` (or the name has no PIN); otherwise raise a
        learner-facing error. After ``PIN_TRIES`` wrong PINs in a row the name waits a minute."""
        key = learner_key(learner)
        with self._writing() as db:
            row = self._pin_row(db, key)
            if row is None or row[0] is None:
                return
            salt, stored, failed, wait_until = row
            now = time.time()
            if wait_until > now:
                raise CourseInputError(text("saving.pin_wait", seconds=math.ceil(wait_until - now)), "pin")
            if isinstance(pin, str) and hmac.compare_digest(_pin_hash(pin.strip(), salt), stored):
                db.execute("UPDATE names SET failed_tries = 0, wait_until = 0 WHERE learner = ?", (key,))
                return
            failed += 1
            wait = now + PIN_WAIT_SECONDS if failed >= PIN_TRIES else 0
            db.execute(
                "UPDATE names SET failed_tries = ?, wait_until = ? WHERE learner = ?",
                (0 if wait else failed, wait, key),
            )
        raise CourseInputError(text("saving.pin_wrong"), "pin")


def check_pin_format(pin: object) -> str:
    if (
        not isinstance(pin, str)
        or not pin.strip().isascii()
        or not pin.strip().isdigit()
        or not PIN_DIGITS[0] <= len(pin.strip()) <= PIN_DIGITS[1]
    ):
        raise CourseInputError(text("saving.pin_format", shortest=PIN_DIGITS[0], longest=PIN_DIGITS[1]), "pin")
    return pin.strip()


def _pin_hash(pin: str, salt: bytes) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", pin.encode("utf-8"), salt, 100_000)


def _reject_constant(_name: str) -> None:
    raise ValueError("NaN and Infinity are not JSON")


def _depth(value: object, limit: int) -> int:
    """How deeply ``value`` nests, counting no further than ``limit`` + 1."""
    if limit < 0 or not isinstance(value, (dict, list)):
        return 0
    items = value.values() if isinstance(value, dict) else value
    return 1 + max((_depth(item, limit - 1) for item in items), default=0)


def read_work_file(data: bytes) -> WorkFile:
    """Check and parse an uploaded file; every failure is a clear learner-facing message.
    The file's exercises are checked against the course's own fields later (``saving``)."""
    if len(data) > LARGEST_UPLOAD_BYTES:
        raise CourseInputError(text("saving.error_file_too_big"), "upload")
    try:
        document = json.loads(data.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        # ValueError covers bad JSON, NaN and integers of thousands of digits.
        raise CourseInputError(text("saving.error_file_damaged"), "upload") from None
    if not isinstance(document, dict) or document.get("format") != FILE_FORMAT:
        raise CourseInputError(text("saving.error_file_not_ours"), "upload")
    version = document.get("version")
    if version != FILE_VERSION:
        newer = isinstance(version, int) and version > FILE_VERSION
        raise CourseInputError(text("saving.error_file_newer" if newer else "saving.error_file_older"), "upload")
    learner, exported_at, exercises = (document.get(key) for key in ("learner", "exported_at", "exercises"))
    if not (
        isinstance(learner, str)
        and isinstance(exported_at, (int, float))
        and not isinstance(exported_at, bool)
        and math.isfinite(exported_at)
        and isinstance(exercises, dict)
        and all(
            isinstance(k, str) and isinstance(v, dict) and _depth(v, DEEPEST_STATE) <= DEEPEST_STATE
            for k, v in exercises.items()
        )
    ):
        raise CourseInputError(text("saving.error_file_damaged"), "upload")
    body = {"learner": learner, "exported_at": exported_at, "exercises": exercises}
    try:
        intact = document.get("checksum") == _checksum(body)
    except ValueError:  # 1e400 reads as infinity, which no work file holds
        intact = False
    if not intact:
        raise CourseInputError(text("saving.error_file_damaged"), "upload")
    return WorkFile(learner, float(exported_at), exercises)


def _checksum(body: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, allow_nan=False).encode("utf-8")).hexdigest()


def main(argv: list[str]) -> int:
    """``python -m coopcourse.store reset-pin NAME``: remove a group's PIN (the trainer's tool)."""
    if len(argv) != 2 or argv[0] != "reset-pin":
        print('usage: python -m coopcourse.store reset-pin "Group name"', file=sys.stderr)
        return 2
    store = WorkStore()
    try:
        removed = store.reset_pin(argv[1])
    except (CourseInputError, StoreUnavailable) as error:
        print(error, file=sys.stderr)
        return 1
    print(f'PIN removed for "{clean_name(argv[1])}".' if removed else f'"{clean_name(argv[1])}" had no PIN.')
    print(f"Saved work: {store.path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
