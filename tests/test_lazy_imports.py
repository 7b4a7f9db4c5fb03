"""A course page's kernel imports matplotlib only to draw a chart, and pandas never.

Each check runs in a fresh Python (a kernel starts empty): it runs what a notebook's cells run and
then lists which of the heavy libraries are loaded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

HEAVY = ("matplotlib", "pandas", "numpy")


def _loaded_after(code: str, tmp_path: Path) -> list[str]:
    script = textwrap.dedent(code) + textwrap.dedent(
        f"""
        import json, sys
        print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))
        """
    )
    env = {**os.environ, "COOPCOURSE_DATA_DIR": str(tmp_path)}
    env.pop("COOPCOURSE_CHART_CACHE", None)  # as a kernel: drawings kept under the data folder
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_pages_without_a_chart_load_neither_matplotlib_nor_pandas(tmp_path: Path) -> None:
    loaded = _loaded_after(
        """
        from coopcourse.components.saved_work import saved_work_bar
        saved_work_bar()
        from coopcourse.exercises.self_check import self_check
        self_check("think_coop", "definition")
        from coopcourse.exercises import think_coop
        think_coop.structure_comparison()
        from coopcourse.exercises.manage_coop import conflict, governance
        conflict.conflict_scenarios()
        governance.role_play_tracker()
        from coopcourse.components.glossary import glossary_page
        glossary_page()
        """,
        tmp_path,
    )
    assert loaded == []


def test_importing_every_exercise_module_loads_neither(tmp_path: Path) -> None:
    loaded = _loaded_after(
        """
        import importlib, pkgutil
        import coopcourse.exercises, coopcourse.components
        for info in pkgutil.walk_packages(coopcourse.exercises.__path__, "coopcourse.exercises."):
            importlib.import_module(info.name)
        from coopcourse.components import Chart, ResultsTable
        """,
        tmp_path,
    )
    assert loaded == []


def test_a_chart_loads_matplotlib_when_it_draws_and_a_table_never_loads_pandas(tmp_path: Path) -> None:
    loaded = _loaded_after(
        """
        from coopcourse.exercises import think_coop
        think_coop.joint_purchasing()
        """,
        tmp_path,
    )
    assert "matplotlib" in loaded
    assert "pandas" not in loaded


def test_a_page_opened_again_shows_its_kept_opening_charts_without_matplotlib(tmp_path: Path) -> None:
    page = """
        from coopcourse.exercises import think_coop, start_coop
        think_coop.joint_purchasing()
        start_coop.feasibility_calculator()
        """
    assert "matplotlib" in _loaded_after(page, tmp_path)
    assert _loaded_after(page, tmp_path) == []
