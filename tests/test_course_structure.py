"""Every module has the parts a self-run group relies on, read from the notebooks' structure (cell
tags and metadata, see docs/authoring.md), not from their words, so the checks hold in every language:
objectives, a how-to-work block, activity times that add up, short read-aloud blocks, a self-check,
key messages, a link to the next module, a sources footer that holds every web address, and a
glossary link for every glossary word a module uses."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from coopcourse import content

COURSE = Path(__file__).resolve().parent.parent / "course"
MODULES = sorted(p for part in ("think_coop", "start_coop", "manage_coop") for p in (COURSE / part).glob("*.ipynb"))
READ_ALOUD_WORDS = 150
# A web address or a document code: these belong in the sources footer, not in text read aloud.
ADDRESS = re.compile(
    r"https?://|www\.|\b[\w-]+\.(org|com|net|int|coop|gov|edu|info|fr|it|ph|mx|de|uk|es|pe|co|bo|mg)\b"
    r"|WCMS_\d+|\bAgDM\b|\bA3-\d+"  # case matters: "Think.Coop" is a name, "ilo.org" an address
)
LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]+)\)")
BULLET = re.compile(r"^\s*(?:[-*+]|\d+\.)\s+\S", re.MULTILINE)
SELF_CHECK = re.compile(r"self_check\(\s*\"(\w+)\",\s*\"(\w+)\"\s*\)")


def cells(path: Path) -> list[dict[str, Any]]:
    return list(json.loads(path.read_text(encoding="utf-8"))["cells"])


def source(cell: dict[str, Any]) -> str:
    return "".join(cell["source"])


def tagged(path: Path, tag: str) -> list[dict[str, Any]]:
    return [c for c in cells(path) if tag in c["metadata"].get("tags", [])]


def minutes(cell: dict[str, Any]) -> int | None:
    value = cell["metadata"].get("coop", {}).get("minutes")
    return value if isinstance(value, int) else None


def words(markdown: str) -> int:
    plain = LINK.sub(r"\1", markdown)
    return len(re.findall(r"[^\W_][\w'’-]*", plain))


def module_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


def test_every_part_has_its_modules() -> None:
    assert [p.parent.name for p in MODULES].count("think_coop") == 5
    assert [p.parent.name for p in MODULES].count("start_coop") == 4
    assert [p.parent.name for p in MODULES].count("manage_coop") == 6


@pytest.mark.parametrize("path", MODULES, ids=module_id)
@pytest.mark.parametrize("tag", ["objectives", "how-to-work", "key-messages", "next-module", "sources"])
def test_every_module_has_each_part_once(path: Path, tag: str) -> None:
    assert len(tagged(path, tag)) == 1, f"{module_id(path)}: one Markdown cell tagged {tag!r}"
    assert tagged(path, tag)[0]["cell_type"] == "markdown"


@pytest.mark.parametrize("path", MODULES, ids=module_id)
@pytest.mark.parametrize("tag", ["objectives", "key-messages"])
def test_objectives_and_key_messages_are_three_or_four_lines(path: Path, tag: str) -> None:
    (cell,) = tagged(path, tag)
    assert 3 <= len(BULLET.findall(source(cell))) <= 4, f"{module_id(path)}: {tag} in 3 or 4 bullet lines"


@pytest.mark.parametrize("path", MODULES, ids=module_id)
def test_the_sources_close_the_module(path: Path) -> None:
    last = cells(path)[-1]
    assert "sources" in last["metadata"].get("tags", []), f"{module_id(path)}: the last cell is the sources footer"
    assert BULLET.search(source(last)), "the footer lists its sources"


@pytest.mark.parametrize("path", MODULES, ids=module_id)
def test_the_activity_times_add_up_to_the_modules_time(path: Path) -> None:
    first, *rest = cells(path)
    total = minutes(first)
    assert total, f"{module_id(path)}: the first cell's metadata gives the module's minutes (coop.minutes)"
    timed = [c for c in rest if minutes(c) is not None]
    assert timed, "activities carry their minutes"
    assert sum(minutes(c) or 0 for c in timed) == total, f"{module_id(path)}: activities add up to {total} minutes"
    for cell in timed:
        heading = source(cell).splitlines()[0]
        assert re.search(rf"\b{minutes(cell)}\b", heading), (
            f"the heading {heading!r} states its {minutes(cell)} minutes"
        )


@pytest.mark.parametrize("path", MODULES, ids=module_id)
def test_read_aloud_blocks_are_short(path: Path) -> None:
    blocks = tagged(path, "read-aloud")
    assert blocks, f"{module_id(path)}: text to read aloud is tagged read-aloud"
    for cell in blocks:
        count = words(source(cell))
        assert count <= READ_ALOUD_WORDS, (
            f"{module_id(path)}: a read-aloud block of {count} words: {source(cell)[:80]!r}"
        )


@pytest.mark.parametrize("path", MODULES, ids=module_id)
def test_web_addresses_and_document_codes_stay_in_the_footer(path: Path) -> None:
    for cell in cells(path):
        if cell["cell_type"] != "markdown" or "sources" in cell["metadata"].get("tags", []):
            continue
        text = LINK.sub(r"\1", source(cell))  # link targets are not read aloud
        found = ADDRESS.search(text)
        assert found is None, f"{module_id(path)}: {found.group(0)!r} outside the sources footer"


@pytest.mark.parametrize("path", MODULES, ids=module_id)
def test_every_module_has_a_self_check_of_at_least_three_questions(path: Path) -> None:
    calls = [m.groups() for c in cells(path) if c["cell_type"] == "code" for m in SELF_CHECK.finditer(source(c))]
    assert calls, f"{module_id(path)}: a self-check"
    for bank, set_id in calls:
        assert len(content.question_set(bank, set_id).questions) >= 3


@pytest.mark.parametrize("path", MODULES, ids=module_id)
def test_the_next_module_link_leads_to_a_page(path: Path) -> None:
    (cell,) = tagged(path, "next-module")
    targets = [t for _label, t in LINK.findall(source(cell)) if t.split("#")[0].endswith(".ipynb")]
    assert targets, f"{module_id(path)}: links the next page"
    for target in targets:
        assert (path.parent / target.split("#")[0]).resolve().is_file(), f"{module_id(path)}: {target} exists"


@pytest.mark.parametrize("path", MODULES, ids=module_id)
def test_every_glossary_word_a_module_uses_links_to_the_glossary(path: Path) -> None:
    markdown = [
        source(c)
        for c in cells(path)
        if c["cell_type"] == "markdown" and "sources" not in c["metadata"].get("tags", [])
    ]
    text = "\n".join(markdown)
    (how,) = tagged(path, "how-to-work")
    assert "../glossary.ipynb" in source(how), f"{module_id(path)}: the how-to-work block links the glossary"
    for term in content.glossary():
        used = [p for p in term.phrases if re.search(rf"(?<![\w-]){re.escape(p)}(?![\w-])", text, re.IGNORECASE)]
        if used:
            assert f"../glossary.ipynb#{term.id}" in text, f"{module_id(path)} uses {used[0]!r} without a glossary link"


def test_glossary_links_name_terms_that_exist() -> None:
    ids = {term.id for term in content.glossary()}
    for path in [*MODULES, COURSE / "index.ipynb"]:
        for anchor in re.findall(r"glossary\.ipynb#([\w-]+)", "\n".join(source(c) for c in cells(path))):
            assert anchor in ids, f"{module_id(path)} links a glossary term that does not exist: {anchor}"


def test_glossary_terms_are_unique_and_phrases_are_not_shared() -> None:
    terms = content.glossary()
    assert len({t.id for t in terms}) == len(terms)
    phrases = [p.casefold() for t in terms for p in t.phrases]
    assert len(set(phrases)) == len(phrases)


def test_think_coop_gives_the_days_agenda_with_every_session() -> None:
    first = MODULES[[module_id(p) for p in MODULES].index("think_coop/01_relationships_and_livelihoods")]
    (agenda,) = tagged(first, "agenda")
    linked = {Path(t).name for _label, t in LINK.findall(source(agenda))}
    sessions = {p.name for p in MODULES if p.parent.name == "think_coop"}
    assert sessions - {first.name} <= linked, "the agenda links every later session of the day"
    day = sum(minutes(cells(p)[0]) or 0 for p in MODULES if p.parent.name == "think_coop")
    assert 300 <= day <= 420, f"Think.Coop is one day of about six hours, not {day} minutes"
