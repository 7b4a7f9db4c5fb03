"""The course's notebooks as the tests see them: the English sources an author edits, and the
translations ``tools/translations.py`` generates from them into ``course/<lang>/``. A test about
the course's structure or its landing page reads the English ones; the translated ones are checked
against them by tests/test_translations.py."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]
COURSE = REPO / "course"


def tool(name: str, folder: str = "tools") -> ModuleType:
    """<folder>/<name>.py of the repository (tools/ and bench/ are not packages: loaded by path)."""
    spec = importlib.util.spec_from_file_location(f"coop_{name}_tool", REPO / folder / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


translations = tool("translations")


def published_languages(course: Path = COURSE) -> list[str]:
    """The codes of the published languages (locale/languages.yaml), in its order."""
    return [language.code for language in translations.languages(course) if language.published]


def english_notebooks(course: Path = COURSE) -> list[Path]:
    return list(translations.english_notebooks(course))


def translated_notebooks(course: Path = COURSE) -> list[Path]:
    return list(translations.translated_notebooks(course))
