"""A notebook that names something on the screen ("press **Back one step**", "it says **go with
care**") names it as the app shows it, in every language: a group reading the Spanish page looks
for the Spanish button.

A name is a bold phrase of an English notebook that is, word for word, one of the apps' strings.
In the translated notebook's same cell, the string's translation must be in bold too (letters
compared without case, spacing, final punctuation and gender marks such as "(e)" or "/a").
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from coopcourse.text import catalog, speaking, text
from tests.notebooks import COURSE, english_notebooks, published_languages

BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)
PUBLISHED = published_languages()
# Bold words that are the course's concepts, not names of things on the screen; the translation
# may decline them ("el **presidente**" for the role list's "Presidente/a").
CONCEPTS = {"chair", "secretary", "manager", "general assembly", "majority", "cooperative", "decision"}
CONCEPTS |= {"discussion", "information", "opening", "not yet", "no", "paid staff", "votes cast"}


def normal(words: str) -> str:
    words = re.sub(r"\((?:e|es|a|as)\)|/(?:a|as|e|es)\b", "", words.lower())
    return " ".join(words.replace("’", "'").split()).strip(' .:;,!¡?¿«»"“”')


def said(name: str, bold: str) -> bool:
    """The bold phrase is the name, or the name with a gloss: "complacer (ceder)"."""
    return bold == name or bold.startswith(f"{name} (")


def _screen_names() -> dict[str, list[str]]:
    """English wording -> the keys of the strings that say exactly that."""
    names: dict[str, list[str]] = {}
    for key, english in catalog().items():
        if "{" not in english and len(english.split()) <= 8:
            names.setdefault(normal(english), []).append(key)
    return names


def _cells(path: Path) -> list[str]:
    return ["".join(cell["source"]) for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]]


def references(language: str) -> list[tuple[str, str, set[str], set[str]]]:
    """(notebook, English name, its translations, the translated cell's bold phrases) of every name."""
    names = _screen_names()
    found = []
    for path in english_notebooks(COURSE):
        source = path.relative_to(COURSE)
        for english_cell, cell in zip(_cells(path), _cells(COURSE / language / source), strict=True):
            for name in {normal(bold) for bold in BOLD.findall(english_cell)} - CONCEPTS:
                if name in names:
                    with speaking(language):
                        wanted = {normal(text(key)) for key in names[name]}
                    found.append((source.as_posix(), name, wanted, {normal(b) for b in BOLD.findall(cell)}))
    return found


@pytest.mark.parametrize("language", PUBLISHED)
def test_a_translated_notebook_names_the_screen_as_the_app_does(language: str) -> None:
    found = references(language)
    assert len(found) >= 10, "the notebooks name buttons and verdicts of the apps"
    wrong = [
        f"{where}: **{name}** is {sorted(wanted)} on the screen, not in {sorted(bold)}"
        for where, name, wanted, bold in found
        if not any(said(w, b) for w in wanted for b in bold)
    ]
    assert not wrong, "\n".join(wrong)


def test_a_renamed_button_is_caught() -> None:
    cell = "Pulse **Volver atrás** para probar otra opción."
    assert not any(said(normal("Volver un paso"), normal(b)) for b in BOLD.findall(cell))
    assert said("complacer", normal("Complacer (ceder)")) and not said("complacer", "complacer todo")
    assert normal("Président(e) de séance") == "président de séance" and normal("Presidente/a") == "presidente"
