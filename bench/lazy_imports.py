"""What the course's exercise modules import at page load, and what leaving imports out saves.

The package keeps two heavy libraries out of a learner's kernel:

1. ``coopcourse/content/__init__.py`` does not validate content files when it loads them (the
   test suite validates every one), so kernels never import jsonschema. With it, jsonschema >=
   4.25 also imports the optional ``rfc3987_syntax`` (installed with jupyter-events'
   ``jsonschema[format-nongpl]``) for its ``iri`` format checker, which builds a Lark grammar at
   import: about a second of CPU and 5 MB per kernel.
2. ``coopcourse/documents.py`` imports python-docx (and lxml) inside ``to_docx()``, only when a
   learner downloads a Word file.

To report the figures *without* these, ``make_eager_copy`` writes a throwaway copy of
``widgets/coopcourse`` as it was before: jsonschema and python-docx imported at the top, every
content file validated when loaded (the benchmark puts the copy first on the kernels'
PYTHONPATH; the repository is not touched). ``import_report`` runs ``python -X importtime`` on
the exercise modules, installed and eager, and reads the peak RSS.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "widgets" / "coopcourse"

# (module, text in the package, what the eager copy has instead); each text must occur once.
EAGER_EDITS = [
    (
        "content/__init__.py",
        "from __future__ import annotations\n",
        "from __future__ import annotations\n\nimport jsonschema\n",
    ),
    (
        "content/__init__.py",
        '    return in_language(parse_yaml(source.read_text(encoding="utf-8")), name, language)\n',
        '    document = parse_yaml(source.read_text(encoding="utf-8"))\n'
        '    jsonschema.validate(document, schema(document["schema"]))\n'
        "    return in_language(document, name, language)\n",
    ),
    ("documents.py", "    from docx import Document as WordDocument\n", ""),
    (
        "documents.py",
        "from __future__ import annotations\n",
        "from __future__ import annotations\n\nfrom docx import Document as WordDocument\n",
    ),
]

EXERCISE_MODULES = [
    "coopcourse.saving",
    "coopcourse.exercises.think_coop",
    "coopcourse.exercises.start_coop",
    "coopcourse.exercises.manage_coop.governance",
    "coopcourse.exercises.manage_coop.communication",
    "coopcourse.exercises.manage_coop.conflict",
    "coopcourse.exercises.manage_coop.growth",
    "coopcourse.exercises.manage_coop.people",
    "coopcourse.exercises.manage_coop.finance",
]
WATCHED = [
    "jsonschema",
    "rfc3987_syntax",
    "docx",
    "lxml",
    "lxml.etree",
    "matplotlib.pyplot",
    "matplotlib",
    "pandas",
    "ipywidgets",
    "yaml",
]


def make_eager_copy(target: Path) -> Path:
    """Copy the package to ``target/coopcourse`` as it was before (see above); returns ``target``."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(PACKAGE, target / "coopcourse", ignore=shutil.ignore_patterns("__pycache__"))
    for module, current, eager in EAGER_EDITS:
        path = target / "coopcourse" / module
        source = path.read_text(encoding="utf-8")
        if source.count(current) != 1:
            raise RuntimeError(f"{module}: expected exactly one {current.strip()!r}; the package changed")
        path.write_text(source.replace(current, eager), encoding="utf-8")
    return target


def _importtime(modules: list[str], pythonpath: str | None) -> dict:
    code = (
        "import resource, sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
        + "print(sorted(m for m in sys.modules))\n"
    )
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True, env=env, timeout=300, cwd="/"
    )
    cumulative: dict[str, int] = {}
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if match:
            cumulative.setdefault(match.group(4), int(match.group(2)))
    lines = done.stdout.strip().splitlines()
    loaded = set(eval(lines[-1])) if lines else set()
    return {
        "total_ms": sum(cumulative.get(m, 0) for m in modules if m in cumulative) / 1000,
        "maxrss_mb": int(lines[-2]) / 1024 if len(lines) >= 2 else None,
        "watched_ms": {m: cumulative[m] / 1000 for m in WATCHED if m in cumulative},
        "loaded": [m for m in WATCHED if m in loaded],
    }


def import_report(eager_copy: Path, repeats: int = 3) -> dict:
    """Median import time (ms) and peak RSS of the exercise modules, as installed (lazy) and eager."""
    report = {}
    for label, pythonpath in (("installed (lazy imports)", None), ("eager copy", str(eager_copy))):
        for what, modules in (
            ("think_coop", ["coopcourse.exercises.think_coop"]),
            ("all exercise modules", EXERCISE_MODULES),
        ):
            runs = [_importtime(modules, pythonpath) for _ in range(repeats)]
            report[f"{label}: {what}"] = {
                "total_ms": statistics.median(r["total_ms"] for r in runs),
                "maxrss_mb": statistics.median(r["maxrss_mb"] for r in runs if r["maxrss_mb"]),
                "watched_ms": {
                    m: statistics.median(r["watched_ms"].get(m, 0) for r in runs)
                    for m in WATCHED
                    if any(m in r["watched_ms"] for r in runs)
                },
                "loaded": runs[0]["loaded"],
            }
    return report


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        print(json.dumps(import_report(make_eager_copy(Path(tmp) / "eager")), indent=2))
