"""Every learner-facing string of the package, looked up by key.

The strings live in ``locale/<language>/*.yaml`` (one file per part of the course, each holding
its own top-level sections) so that a translator works in one folder and never touches code.
``text("error.at_least", label="Members", minimum=1)`` formats with ``str.format``.
"""

from __future__ import annotations

import os
from functools import cache
from importlib import resources
from typing import Any

import yaml

DEFAULT_LANGUAGE = "en"


def current_language() -> str:
    return os.environ.get("COOPCOURSE_LANGUAGE", DEFAULT_LANGUAGE)


@cache
def catalog(language: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """All strings of one language, flattened to dotted keys (``error.at_least``)."""
    folder = resources.files("coopcourse") / "locale" / language
    nested: dict[str, Any] = {}
    if not folder.is_dir():
        return {}  # a language with no strings yet: every key falls back to English
    for source in sorted(folder.iterdir(), key=lambda entry: entry.name):
        if not source.name.endswith(".yaml"):
            continue
        for section, strings in yaml.safe_load(source.read_text(encoding="utf-8")).items():
            if section in nested:
                raise ValueError(f"locale section {section!r} is defined twice ({source.name})")
            nested[section] = strings
    flat: dict[str, str] = {}

    def walk(prefix: str, node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(f"{prefix}.{key}" if prefix else str(key), value)
        else:
            flat[prefix] = str(node)

    walk("", nested)
    return flat


def text(key: str, **params: Any) -> str:
    """The string for ``key`` in the current language, falling back to English."""
    strings = catalog(current_language())
    template = strings.get(key)
    if template is None:
        template = catalog(DEFAULT_LANGUAGE)[key]
    return template.format(**params) if params else template
