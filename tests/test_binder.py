"""binder/requirements.txt installs the course the way repo2docker does.

repo2docker runs ``pip install -r binder/requirements.txt`` with the repository root as working
directory, so the ``.`` in that file is the repository: the ``coopcourse`` package, installed
(not editable) with its dependencies. This test does the same in a fresh virtualenv and checks
that the result is the package the Makefile installs, complete with its data files, and that
Voila's server extension is enabled without a postBuild script.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

CHECK = """
import importlib.metadata, json, coopcourse
from coopcourse.exercises import think_coop
from coopcourse.text import text
frame = think_coop.joint_purchasing()
print(json.dumps({
    "version": importlib.metadata.version("coopcourse"),
    "file": coopcourse.__file__,
    "title": text("joint_purchasing.title"),
    "exercise_updates": frame.updates,
    "voila": importlib.metadata.version("voila"),
}))
"""


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    result = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=900, stdin=subprocess.DEVNULL
    )
    assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


def test_binder_files_are_in_place() -> None:
    assert (REPO / "binder" / "runtime.txt").read_text().strip() == "python-3.11"
    requirements = [
        line.split("#")[0].strip() for line in (REPO / "binder" / "requirements.txt").read_text().splitlines()
    ]
    assert "." in requirements, "binder/requirements.txt must install the course package from the repository"
    post_build = REPO / "binder" / "postBuild"
    if post_build.exists():
        assert (
            post_build.read_text().lstrip().startswith(("set -e", "#!/bin/bash\nset -e", "#!/usr/bin/env bash\nset -e"))
        )


def test_binder_requirements_install_the_course(tmp_path: Path) -> None:
    # repo2docker builds from a fresh clone: copy the repository without local build output
    # (.venv, build/, *.egg-info), which also keeps this build from racing any other.
    clone = tmp_path / "repo"
    shutil.copytree(
        REPO,
        clone,
        ignore=shutil.ignore_patterns(
            ".git",
            ".venv",
            "build",
            "*.egg-info",
            "__pycache__",
            ".pytest_cache",
            ".hypothesis",
            "test-artifacts",
            ".ipynb_checkpoints",
            ".coopdata",
        ),
    )
    venv = tmp_path / "binder-env"
    # The user's pip settings (index, find-links, cache) apply as for `make venv`; nothing of
    # the environment running the tests leaks into the new one.
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    # --without-pip and `pip --python`: the new environment is installed into by this
    # environment's (recent) pip, which saves bootstrapping pip into it.
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path, env)
    python = venv / "bin" / "python"
    # repo2docker's step, `pip install -r binder/requirements.txt`, from the repository root.
    _run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "-r", "binder/requirements.txt"],
        clone,
        env,
    )

    found = json.loads(_run([str(python), "-c", CHECK], tmp_path, env).strip().splitlines()[-1])

    expected = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    assert found["version"] == expected
    assert found["version"] == importlib.metadata.version("coopcourse"), (
        "Binder and the Makefile install different versions"
    )
    assert str(venv) in found["file"], f"imported from {found['file']}, not from the Binder environment"
    assert found["title"] and found["exercise_updates"] >= 1, "the installed package lacks its data files"

    # The voila wheel enables its Jupyter server extension: /voila/render/... works on Binder.
    listing = subprocess.run(
        [str(venv / "bin" / "jupyter"), "server", "extension", "list"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    lines = (listing.stdout + listing.stderr).splitlines()
    assert any(line.strip().startswith("voila") and "enabled" in line for line in lines), "\n".join(lines)
