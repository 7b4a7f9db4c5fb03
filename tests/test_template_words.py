"""The words the course's page templates show themselves (the lost-connection banner) come from
one file per language, ``coop/words/<language>.json``: every word the template asks for is there,
and every word there is used."""

from __future__ import annotations

import json
import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[1] / "widgets" / "share" / "jupyter" / "voila" / "templates"


def test_every_word_the_template_asks_for_is_in_the_words_file() -> None:
    words = json.loads((TEMPLATES / "coop" / "words" / "en.json").read_text(encoding="utf-8"))
    script = (TEMPLATES / "coop" / "connection.html.j2").read_text(encoding="utf-8")
    asked = set(re.findall(r"""\bsay\(["'](\w+)["']\)""", script))
    assert len(asked) >= 5
    for tree in ("tree-lab.html", "tree.html"):  # the server's root and folder pages
        page = (TEMPLATES / "coop" / tree).read_text(encoding="utf-8")
        tree_words = set(re.findall(r'data-say="(\w+)"', page))
        assert len(tree_words) >= 3
        asked |= tree_words
    languages = (TEMPLATES / "coop" / "languages.html.j2").read_text(encoding="utf-8")
    asked |= set(re.findall(r"\bwords\.(\w+)", languages))  # the language links' label
    assert "languages_label" in asked
    assert asked == set(words), f"asked for but missing: {asked - set(words)}; never used: {set(words) - asked}"
    assert all(isinstance(value, str) and value.strip() for value in words.values())


def test_every_language_has_the_same_words() -> None:
    english = json.loads((TEMPLATES / "coop" / "words" / "en.json").read_text(encoding="utf-8"))
    listed = json.loads((TEMPLATES / "coop" / "words" / "languages.json").read_text(encoding="utf-8"))
    for code in listed:
        words = json.loads((TEMPLATES / "coop" / "words" / f"{code}.json").read_text(encoding="utf-8"))
        assert set(words) == set(english), code
        if code != "en":
            assert words["lost_title"] != english["lost_title"], f"{code}: the words are English"
