"""The fast YAML reader builds exactly what the safe pure-Python one builds, and is as safe."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from coopcourse.yaml_data import parse_yaml

PACKAGE = Path(__file__).resolve().parent.parent / "widgets" / "coopcourse"
DATA_FILES = sorted(PACKAGE.rglob("*.yaml"))


def test_the_package_has_data_files() -> None:
    assert len(DATA_FILES) > 20


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_every_data_file_reads_as_the_safe_loader_reads_it(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert parse_yaml(source) == yaml.load(source, Loader=yaml.SafeLoader)


def test_python_objects_are_refused() -> None:
    with pytest.raises(yaml.YAMLError):
        parse_yaml("!!python/object/apply:os.system ['echo unsafe']")
