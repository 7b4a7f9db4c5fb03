"""The benchmark's baselines measure what they say: the ratios of `make bench` are only honest if
the "ipywidgets + pandas + matplotlib" kernel really imports pandas and matplotlib."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.notebooks import tool

BASELINES = Path(__file__).resolve().parent.parent / "bench" / "notebooks"


def _imported_after_running(notebook: str) -> set[str]:
    cells = json.loads((BASELINES / notebook).read_text(encoding="utf-8"))["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    probe = code + "\nimport sys\nprint(' '.join(m for m in ('pandas', 'matplotlib') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120)
    return set(done.stdout.split())


def test_the_pandas_and_matplotlib_baseline_imports_both() -> None:
    assert _imported_after_running("imports_pandas_mpl.ipynb") == {"pandas", "matplotlib"}


def test_the_trivial_baseline_imports_neither() -> None:
    assert _imported_after_running("trivial.ipynb") == set()


def test_the_eager_copy_of_the_package_still_applies(tmp_path: Path) -> None:
    # `make bench` compares the package against a copy with its import savings undone, made by
    # text edits: a change to the edited lines must update bench/lazy_imports.py, not break the bench.
    copy = tool("lazy_imports", folder="bench").make_eager_copy(tmp_path / "eager") / "coopcourse"
    assert "import jsonschema" in (copy / "content" / "__init__.py").read_text(encoding="utf-8")
    probe = "import coopcourse.content as c, sys; c.load('readiness'); print('jsonschema' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env={"PYTHONPATH": str(copy.parent), "PATH": ""},
    )
    assert done.stdout.split() == ["True"]
