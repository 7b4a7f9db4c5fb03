"""The package's files as the fork server and the chart cache see an author's edit."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from coopcourse.package_files import PACKAGE_DIR, fingerprint, package_files


def _package(folder: Path) -> Path:
    (folder / "calculations").mkdir(parents=True)
    (folder / "calculations" / "__pycache__").mkdir()
    (folder / "__init__.py").write_text("")
    (folder / "calculations" / "surplus.py").write_text("RATE = 0.1\n")
    (folder / "calculations" / "__pycache__" / "surplus.cpython-311.pyc").write_bytes(b"compiled")
    return folder


def test_an_edit_changes_the_files_and_compiled_code_does_not(tmp_path: Path) -> None:
    package = _package(tmp_path / "coopcourse")
    before = package_files(str(package))
    assert [Path(path).name for path, _, _ in before] == ["__init__.py", "surplus.py"]
    (package / "calculations" / "__pycache__" / "surplus.cpython-311.pyc").write_bytes(b"compiled again")
    assert package_files(str(package)) == before
    edited = package / "calculations" / "surplus.py"
    stat = edited.stat()
    edited.write_text("RATE = 0.2\n")  # same size: only the modification time tells
    os.utime(edited, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    after = package_files(str(package))
    assert after != before
    assert fingerprint(after, str(package)) != fingerprint(before, str(package))


def test_the_fingerprint_does_not_depend_on_where_the_package_is(tmp_path: Path) -> None:
    package = _package(tmp_path / "here" / "coopcourse")
    moved = tmp_path / "there" / "coopcourse"
    shutil.copytree(package, moved)
    for original in package.rglob("*"):
        if original.is_file():
            stat = original.stat()
            os.utime(moved / original.relative_to(package), ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert fingerprint(package_files(str(package)), str(package)) == fingerprint(package_files(str(moved)), str(moved))


def test_the_course_package_is_read_by_default() -> None:
    files = [os.path.relpath(path, PACKAGE_DIR) for path, _, _ in package_files()]
    assert "package_files.py" in files and os.path.join("components", "chart.py") in files
    assert not [path for path in files if "__pycache__" in path]
