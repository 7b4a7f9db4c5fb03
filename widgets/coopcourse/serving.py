"""Serving the course on one computer: the kernel limit's default, the "room is full" page and the
saved-work folder check.

Light on purpose (no widgets, no jupyter_server): ``make serve`` runs ``python -m coopcourse.serving
check-data`` and ``max-kernels`` before it starts Voila. The kernel manager that applies the limit
inside Voila is ``coopcourse.kernel_limit.LimitedKernelManager``.

The kernel limit's default
    (memory available when the server starts - ``RESERVE_MB``) / ``KERNEL_MB``, at least one;
    ``$COOPCOURSE_MAX_KERNELS`` (``make serve MAX_KERNELS=n`` sets it) overrides it.

Warm kernels for the next module (``make serve WARM=start_coop/02_feasibility.ipynb:10``)
    ``warm`` checks the notebooks and numbers, writes the Voila settings that keep that many kernels
    ready for each named notebook and none for the others, and prints what is warmed.

The saved-work folder
    ``check-data`` prints where saved work goes and, in plain words, what to do when the folder
    cannot be created or written, or the database file is damaged. It only reads: the database is
    opened read-only, nothing is created but the folder itself (as the store would create it).
"""

from __future__ import annotations

import argparse
import difflib
import html
import json
import os
import sqlite3
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from coopcourse import store
from coopcourse.content import country
from coopcourse.text import DEFAULT_LANGUAGE, LANGUAGE_VARIABLE, current_language, plural, text

KERNEL_MB = 150  # one course page's kernel (about 130 MB measured) with a margin
RESERVE_MB = 1024  # kept free for the system, the Voila server and a browser on the same computer
FALLBACK_MAX_KERNELS = 20  # when the free memory cannot be read (not Linux, no sysconf)
MAX_KERNELS_VARIABLE = "COOPCOURSE_MAX_KERNELS"


# --- the kernel limit --------------------------------------------------------------------------


def available_memory_mb() -> int | None:
    """Memory the system can give to new processes now, in MB (``MemAvailable`` on Linux)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // (1024 * 1024)
    except (ValueError, OSError, AttributeError):
        return None


def kernels_for_memory(available_mb: int | None) -> int:
    """How many kernels fit in ``available_mb`` after the reserve: at least one."""
    if available_mb is None:
        return FALLBACK_MAX_KERNELS
    return max(1, (available_mb - RESERVE_MB) // KERNEL_MB)


def default_max_kernels(environ: dict[str, str] | None = None, available_mb: int | None = None) -> int:
    """``$COOPCOURSE_MAX_KERNELS`` when it is a whole number of at least 1, else what the memory
    available now allows (``available_mb``, read from the system when not given)."""
    environ = dict(os.environ) if environ is None else environ
    configured = environ.get(MAX_KERNELS_VARIABLE, "").strip()
    if configured:
        try:
            value = int(configured)
        except ValueError:
            value = 0
        if value >= 1:
            return value
        print(text("serving.max_kernels_ignored", variable=MAX_KERNELS_VARIABLE, value=configured), file=sys.stderr)
    return kernels_for_memory(available_memory_mb() if available_mb is None else available_mb)


def room_full_page(language: str | None = None) -> str:
    """The page a participant sees when no more kernels may start: self-contained (no script, no
    style sheet or font from elsewhere), in the course's colours."""
    title = html.escape(text("serving.room_full_title"))
    return f"""<!DOCTYPE html>
<html lang="{html.escape(language or current_language())}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
  body {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #263238;
         background: #ffffff; margin: 0; padding: 2em 1em; font-size: 18px; line-height: 1.5; }}
  main {{ max-width: 36em; margin: 0 auto; border: 1px solid #b0bec5; border-radius: 6px; padding: 1em 1.4em; }}
  h1 {{ color: #0d3b66; font-size: 1.5em; margin: 0.2em 0 0.5em 0; }}
  .coop-warning {{ background: #fff4e5; color: #6d4200; padding: 0.6em 0.8em; border-radius: 4px; }}
  a {{ color: #0d47a1; }}
  a:focus {{ outline: 3px solid #0d3b66; outline-offset: 2px; }}
</style>
</head>
<body>
<main class="coop-room-full">
<h1>{title}</h1>
<p class="coop-warning">{html.escape(text("serving.room_full_message"))}</p>
<p>{html.escape(text("serving.room_full_why"))}</p>
<p><a href="">{html.escape(text("serving.room_full_retry"))}</a></p>
</main>
</body>
</html>
"""


# --- warm kernels for the module the room opens next ---------------------------------------------

# How Voila 0.5 keeps kernels ready (voila/voila_kernel_manager.py, with preheat_kernel on):
# - pools are keyed by the notebook's path relative to the served folder, as in the page's URL
#   (/voila/render/start_coop/02_feasibility.ipynb -> "start_coop/02_feasibility.ipynb"); an absolute
#   path never matches, and a notebook with no key gets the "default" pool's size.
# - at start every notebook's pool is filled at once (delay 0). When a page takes a kernel, its
#   replacement is put in the pool at once but starts only after fill_delay (1 s by default, so a
#   burst's pages compete with refills: README's load test with POOL=2 lost 11 of 30 pages with it).
# - a replacement still waiting counts as a pool entry, so Voila would hand the page after the n-th
#   one a kernel that starts fill_delay later; kernel_limit.LimitedKernelManager makes such pages
#   start their own kernel at once instead (only kernels that are ready count as the pool).
WARM_FILL_DELAY_S = 120.0  # a room's burst of pages is over well before this: refills start after it
WARM_SETTINGS_FILE = "voila.json"


class WarmError(ValueError):
    """A ``WARM=`` value that cannot be used; the message says why in plain words."""


@dataclass(frozen=True)
class WarmPool:
    """``size`` kernels kept ready for ``notebook`` (its path under course/, Voila's pool key)."""

    notebook: str
    size: int


def served_notebooks(course: Path) -> list[str]:
    """Every notebook Voila serves from ``course`` (and would give a pool), as pool keys."""
    return sorted(
        path.relative_to(course).as_posix()
        for path in course.rglob("*.ipynb")
        if ".ipynb_checkpoints" not in path.parts
    )


def parse_warm(value: str, course: Path) -> tuple[WarmPool, ...]:
    """``"start_coop/02_feasibility.ipynb:10,think_coop/...:2"`` as pools, checked against the
    notebooks under ``course``; raises ``WarmError`` with a plain message."""
    notebooks = served_notebooks(course)
    pools: list[WarmPool] = []
    for item in (part.strip() for part in value.split(",")):
        if not item:
            continue
        path, colon, number = item.rpartition(":")
        if not colon or not path.strip():
            raise WarmError(text("serving.warm_format", value=value))
        notebook = _notebook_key(path.strip(), notebooks)
        try:
            size = int(number.strip())
        except ValueError:
            size = 0
        if size < 1:
            raise WarmError(text("serving.warm_bad_number", number=number.strip(), notebook=notebook))
        if any(pool.notebook == notebook for pool in pools):
            raise WarmError(text("serving.warm_twice", notebook=notebook))
        pools.append(WarmPool(notebook, size))
    if not pools:
        raise WarmError(text("serving.warm_format", value=value))
    return tuple(pools)


def _notebook_key(path: str, notebooks: list[str]) -> str:
    written = PurePosixPath(path.replace("\\", "/"))
    if written.parts[:1] == ("course",):  # the path from the repository's root: also understood
        written = PurePosixPath(*written.parts[1:]) if len(written.parts) > 1 else written
    key = written.as_posix()
    if key in notebooks:
        return key
    close = difflib.get_close_matches(key, notebooks, n=1, cutoff=0.6)
    suggestion = text("serving.warm_suggestion", notebook=close[0]) if close else ""
    raise WarmError(text("serving.warm_not_found", notebook=path, suggestion=suggestion))


def warm_kernel_count(pools: tuple[WarmPool, ...], notebooks: list[str], pool: int = 0) -> int:
    """Kernels started before any page: the warm pools, and ``pool`` (``POOL=``) for every other notebook."""
    warmed = {p.notebook for p in pools}
    return sum(p.size for p in pools) + pool * sum(1 for nb in notebooks if nb not in warmed)


def warm_settings(pools: tuple[WarmPool, ...], pool: int = 0, fill_delay: float = WARM_FILL_DELAY_S) -> dict:
    """The Voila settings (a voila.json) keeping ``pools`` ready and ``pool`` kernels (``POOL=``,
    default none) for every other notebook."""
    kernel_pools = {"default": {"pool_size": max(pool, 0)}}
    kernel_pools.update({p.notebook: {"pool_size": p.size} for p in pools})
    return {
        "VoilaConfiguration": {"preheat_kernel": True},
        "VoilaKernelManager": {"fill_delay": fill_delay, "kernel_pools_config": kernel_pools},
    }


def warm_lines(pools: tuple[WarmPool, ...], pool: int = 0, fill_delay: float = WARM_FILL_DELAY_S) -> list[str]:
    """What ``make serve WARM=...`` prints before Voila starts."""
    lines = [text("serving.warm_line", notebook=p.notebook, count=p.size) for p in pools]
    lines.append(plural("serving.warm_others_pool", pool) if pool > 0 else text("serving.warm_others_none"))
    lines.append(text("serving.warm_refill", delay=f"{fill_delay:g}"))
    return lines


def prepare_warm(value: str, course: Path, out: Path, pool: int = 0, max_kernels: int | None = None) -> list[str]:
    """Check ``WARM=`` against ``course`` and the kernel limit, write ``out``/voila.json, and
    return the lines to print. Warm kernels are real kernels: they count towards the limit (it
    protects the memory), so more of them than the limit allows is refused."""
    pools = parse_warm(value, course)
    limit = default_max_kernels() if max_kernels is None else max_kernels
    count = warm_kernel_count(pools, served_notebooks(course), pool)
    if count > limit:
        raise WarmError(text("serving.warm_over_limit", count=count, limit=limit))
    out.mkdir(parents=True, exist_ok=True)
    settings = json.dumps(warm_settings(pools, pool), indent=2)
    (out / WARM_SETTINGS_FILE).write_text(settings + "\n", encoding="utf-8")
    return warm_lines(pools, pool)


# --- the saved-work folder ---------------------------------------------------------------------


@dataclass(frozen=True)
class DataCheck:
    """What ``check_data_folder`` found: ``messages`` to print, ``ok`` when work can be saved."""

    database: Path
    ok: bool
    messages: tuple[str, ...]


def check_data_folder(folder: Path | None = None) -> DataCheck:
    """Can saved work be written to ``folder`` (default ``store.data_dir()``)? Creates the folder
    when missing (as the store would), proves it writable with a temporary file, and opens an
    existing database read-only to check it is a sound SQLite database."""
    folder = store.data_dir() if folder is None else folder
    database = folder / store.DATABASE_NAME
    messages = [text("serving.data_saved_at", path=database)]
    problem = _folder_problem(folder)
    if problem is not None:
        messages.append(text("serving.data_folder_unusable", folder=folder, reason=problem))
        messages.append(text("serving.data_still_download", download=text("saving.prepare_download")))
        return DataCheck(database, False, tuple(messages))
    damage = _database_problem(database)
    if damage is not None:
        messages.append(damage)
        messages.append(text("serving.data_still_download", download=text("saving.prepare_download")))
        return DataCheck(database, False, tuple(messages))
    return DataCheck(database, True, tuple(messages))


def _folder_problem(folder: Path) -> str | None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".coopcourse-check-"):
            pass
    except OSError as error:
        return error.strerror or str(error)
    return None


def _database_problem(database: Path) -> str | None:
    if not database.exists():
        return None
    if not database.is_file():
        return text("serving.data_file_unreadable", path=database, reason=text("serving.data_not_a_file"))
    try:
        connection = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error as error:
        return text("serving.data_file_unreadable", path=database, reason=error)
    try:
        verdict = connection.execute("PRAGMA quick_check").fetchone()
    except sqlite3.OperationalError as error:
        if "not a database" not in str(error) and "malformed" not in str(error):
            return text("serving.data_file_unreadable", path=database, reason=error)
        verdict = None
    except sqlite3.DatabaseError:  # "file is not a database", "database disk image is malformed"
        verdict = None
    finally:
        connection.close()
    if verdict is None or verdict[0] != "ok":
        return text("serving.data_file_damaged", path=database, moved=database.with_name("saved-work-damaged.sqlite3"))
    return None


def profile_line(environ: dict[str, str] | None = None) -> str:
    """The line ``make serve`` prints about the server's country profile (``PROFILE=``)."""
    chosen = (os.environ if environ is None else environ).get(country.PROFILE_VARIABLE, "").strip()
    choices = ", ".join(country.profile_ids())
    active = country.profile(country.server_profile_id(chosen))
    if chosen and chosen.lower() != active.id:
        return text("serving.profile_unknown", chosen=chosen, choices=choices)
    if active.is_neutral:
        return text("serving.profile_neutral", choices=choices)
    return text("serving.profile_line", country=active.country, id=active.id, choices=choices)


def course_languages(course: Path) -> dict[str, str]:
    """Code -> name of the languages the course's pages exist in (the template's list, written by
    ``make translations``: English and each published, complete language)."""
    from jupyter_core.paths import jupyter_path  # where Voila finds the template too (JUPYTER_PATH)

    found = [Path(p) / "languages.json" for p in jupyter_path("voila", "templates", "coop", "words")]
    listed = next((p for p in found if p.is_file()), None)
    names = json.loads(listed.read_text(encoding="utf-8")) if listed else {DEFAULT_LANGUAGE: "English"}
    return {
        code: name
        for code, name in names.items()
        if code == DEFAULT_LANGUAGE or (course / code / "index.ipynb").is_file()
    }


def language_line(course: Path, environ: dict[str, str] | None = None) -> tuple[bool, str]:
    """Whether ``COURSE_LANGUAGE`` names a language the course has, and the line to print."""
    chosen = (os.environ if environ is None else environ).get(LANGUAGE_VARIABLE, "").strip() or DEFAULT_LANGUAGE
    languages = course_languages(course)
    choices = ", ".join(f"{code} ({name})" for code, name in languages.items())
    if chosen not in languages:
        return False, text("serving.language_unknown", chosen=chosen, choices=choices)
    return True, text("serving.language_line", name=languages[chosen], choices=choices)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m coopcourse.serving", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check-data", help="say where saved work goes and whether it can be saved there")
    check.add_argument("--folder", type=Path, default=None, help="the folder to check (default: store.data_dir())")
    commands.add_parser("max-kernels", help="say how many kernels may run at once")
    commands.add_parser("profile", help="say which country profile the server uses")
    language = commands.add_parser("language", help="check COURSE_LANGUAGE and say which language the root opens")
    language.add_argument("--course", type=Path, required=True, help="the served folder (course/)")
    warm = commands.add_parser(
        "warm", help="check WARM=path:n,... and write the Voila settings that keep kernels ready"
    )
    warm.add_argument("value", help="e.g. start_coop/02_feasibility.ipynb:10")
    warm.add_argument("--course", type=Path, required=True, help="the served folder (course/)")
    warm.add_argument("--out", type=Path, required=True, help="the folder to write voila.json to")
    warm.add_argument("--pool", type=int, default=0, help="POOL=n: kernels kept ready for every other notebook")
    args = parser.parse_args(argv)
    if args.command == "warm":
        try:
            lines = prepare_warm(args.value, args.course, args.out, args.pool)
        except WarmError as problem:
            print(problem, file=sys.stderr)
            print(text("serving.warm_not_started"), file=sys.stderr)
            return 2
        print("\n".join(lines))
        return 0
    if args.command == "language":
        known, line = language_line(args.course)
        print(line, file=sys.stdout if known else sys.stderr)
        if not known:
            print(text("serving.warm_not_started"), file=sys.stderr)
        return 0 if known else 2
    if args.command == "profile":
        print(profile_line())
        return 0
    if args.command == "check-data":
        result = check_data_folder(args.folder)
        for message in result.messages:
            print(message)
        return 0  # serving starts anyway: groups can still download their work from the page
    print(text("serving.max_kernels_line", count=default_max_kernels(), variable="MAX_KERNELS"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
