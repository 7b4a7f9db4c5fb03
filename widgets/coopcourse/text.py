"""Every learner-facing string of the package, looked up by key, in the page's language.

The English strings live in ``locale/en/*.yaml`` (one file per part of the course, each holding its
own top-level sections): that is what a course author edits. Other languages are gettext catalogs,
``locale/<language>/LC_MESSAGES/strings.po`` (and ``content.po`` for the content data), made from
the English by ``make translations`` and compiled to ``.mo`` by the same command. A message's
context (``msgctxt``) is its key, its ``msgid`` the English text: a translation whose English has
changed no longer matches, and the English shows until a translator updates it.

``text("error.at_least", label="Members", minimum=1)`` formats with ``str.format``;
``plural("saving.conflict", count, ...)`` picks the form the language's plural rule asks for.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from coopcourse.yaml_data import parse_yaml

DEFAULT_LANGUAGE = "en"
LANGUAGE_VARIABLE = "COOPCOURSE_LANGUAGE"  # the server's, a command's or a test's; a kernel uses its page's
_SPOKEN: ContextVar[str | None] = ContextVar("coopcourse_spoken_language", default=None)


def current_language() -> str:
    """The language of what this process shows. Inside :func:`speaking`, that one. A kernel shows
    its notebook's: Voila, JupyterLab and nbval start a kernel in its notebook's folder,
    ``course/<language>/...`` for a translated one, ``course/...`` for an English one. Any other
    process (the server, a command, a test) uses ``COOPCOURSE_LANGUAGE`` (``make serve
    COURSE_LANGUAGE=es``), English if unset."""
    return _SPOKEN.get() or page_language(os.getcwd()) or os.environ.get(LANGUAGE_VARIABLE) or DEFAULT_LANGUAGE


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Strings and content inside the block are ``language``'s: one language's handouts, or the
    server rendering one page's speaker notes while other pages are in other languages."""
    token = _SPOKEN.set(language)
    try:
        yield
    finally:
        _SPOKEN.reset(token)


@cache
def page_language(folder: str) -> str | None:
    """``es`` for a folder under ``course/es/`` when the package has Spanish catalogs, English for
    any other folder of the course (the one holding ``locale/languages.yaml``), None outside it."""
    here = Path(folder)
    for candidate in (here, *here.parents):
        if (candidate.parent / "locale" / "languages.yaml").is_file():
            return candidate.name if candidate.name in translated_languages() else DEFAULT_LANGUAGE
        if (candidate / "locale" / "languages.yaml").is_file():
            return DEFAULT_LANGUAGE
    return None


def _locale_root() -> Any:
    return resources.files("coopcourse") / "locale"


@cache
def translated_languages() -> frozenset[str]:
    """The languages with compiled catalogs in the package."""
    root = _locale_root()
    return frozenset(
        entry.name for entry in root.iterdir() if entry.is_dir() and (entry / "LC_MESSAGES" / "strings.mo").is_file()
    )


@cache
def translations(language: str, domain: str) -> gettext.NullTranslations:
    """The compiled catalog ``locale/<language>/LC_MESSAGES/<domain>.mo``; one that translates
    nothing (every message stays English) for English or a language without it."""
    if language == DEFAULT_LANGUAGE:
        return gettext.NullTranslations()
    source = _locale_root() / language / "LC_MESSAGES" / f"{domain}.mo"
    if not source.is_file():
        return gettext.NullTranslations()
    with source.open("rb") as file:
        return gettext.GNUTranslations(file)


def english_files() -> list[Any]:
    folder = _locale_root() / DEFAULT_LANGUAGE
    return sorted((e for e in folder.iterdir() if e.name.endswith(".yaml")), key=lambda entry: entry.name)


@cache
def catalog() -> dict[str, str]:
    """All English strings, flattened to dotted keys (``error.at_least``); a plural is two keys,
    ``<key>.one`` and ``<key>.other``."""
    nested: dict[str, Any] = {}
    for source in english_files():
        for section, strings in parse_yaml(source.read_text(encoding="utf-8")).items():
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
    """The string for ``key`` in the current language (English where it has no translation)."""
    strings = catalog()
    if key not in strings and f"{key}.one" in strings:
        raise KeyError(f"{key!r} is a plural: use plural({key!r}, count)")
    english = strings[key]
    template = translations(current_language(), "strings").pgettext(key, english)
    return template.format(**params) if params else template


def plural(key: str, count: int, **params: Any) -> str:
    """The string for ``key`` in the form the language uses for ``count`` (``{count}`` is filled
    in): ``key`` holds ``one`` and ``other`` in English, and as many forms as the language needs
    in its catalog."""
    strings = catalog()
    one, other = strings[f"{key}.one"], strings[f"{key}.other"]
    template = translations(current_language(), "strings").npgettext(key, one, other, count)
    return template.format(count=count, **params)
