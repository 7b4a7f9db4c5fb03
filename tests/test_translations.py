"""The notebooks' Markdown goes through gettext catalogs (tools/translations.py, `make translations`).

- the template course/locale/notebooks.pot and each language's PO are current with the English
  notebooks, and the notebooks of published languages are what the build writes;
- a language built from a fully translated PO: its Markdown is the translation, its code cells and
  metadata are the English ones, its links lead to the same language's notebooks;
- a published language with a missing translation, or one that drops a placeholder, a link target,
  a number or other markup, fails the check;
- the splitter loses nothing: translating every unit by itself gives every notebook back exactly.
"""

from __future__ import annotations

import functools
import io
import json
import posixpath
import re
import shutil
from pathlib import Path

import nbformat
import pytest
import yaml
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from tests.notebooks import translations

REPO = Path(__file__).resolve().parents[1]
COURSE = REPO / "course"


ENGLISH = translations.english_notebooks(COURSE)
LINK_TARGET = re.compile(r"\]\(\s*<?[^)\s>]+")
TARGET = re.compile(r"\]\(\s*<?([^)\s>]+)")


def _run(course: Path, check: bool) -> tuple[int, str]:
    said: list[str] = []
    status = translations.run(course, check=check, out=said.append)
    return status, "\n".join(said)


def _ids(paths: list[Path]) -> list[str]:
    return [p.relative_to(COURSE).as_posix() for p in paths]


# --- the committed catalogs ---------------------------------------------------------------------


def test_the_template_catalogs_and_translated_notebooks_are_current() -> None:
    said: list[str] = []
    status = translations.run(COURSE, check=True, out=said.append, package=translations.PACKAGE)
    said = "\n".join(said)
    assert status == 0, said + "\nrun: make translations"


def test_the_listed_languages_have_a_catalog_and_unpublished_ones_no_notebooks() -> None:
    listed = translations.languages(COURSE)
    assert {language.code for language in listed} >= {"es", "fr"}
    for language in listed:
        assert translations.po_path(COURSE, language.code).is_file()
        built = list((COURSE / language.code).rglob("*.ipynb"))
        assert language.published or not built, f"{language.code} is not published but has notebooks"


def first_heading(path: Path) -> str | None:
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for unit in translations.units(cell.source):
                if unit.kind == "heading":
                    return unit.text
    return None


@pytest.mark.parametrize(
    "path", ENGLISH + translations.translated_notebooks(COURSE), ids=lambda p: p.relative_to(COURSE).as_posix()
)
def test_a_pages_title_is_its_first_heading(path: Path) -> None:
    """The browser tab and the bookmark say the page's title in its language, not a file name."""
    assert nbformat.read(path, as_version=4).metadata.get("title") == first_heading(path)


def test_the_course_has_notebooks_and_none_from_the_locale_folder() -> None:
    names = _ids(ENGLISH)
    assert "index.ipynb" in names and "think_coop/01_relationships_and_livelihoods.ipynb" in names
    assert not [n for n in names if n.split("/")[0] in {"locale", "es", "fr"}]


# --- splitting Markdown -------------------------------------------------------------------------


def test_a_cell_splits_into_headings_paragraphs_items_rows_and_quotes() -> None:
    markdown = (
        "## Activity 1: prices (20 minutes)\n\nA paragraph on\ntwo lines.\n\n"
        "1. First step,\n   continued.\n   - a nested point;\n\n"
        "| What | Who |\n|---|---|\n| **Seeds** | [all](../glossary.ipynb#member) |\n\n> Quoted\n> words."
    )
    found = [(u.kind, u.text) for u in translations.units(markdown)]
    assert found == [
        ("heading", "Activity 1: prices (20 minutes)"),
        ("paragraph", "A paragraph on\ntwo lines."),
        ("item", "First step,\ncontinued."),
        ("item", "a nested point;"),
        ("row", "| What | Who |"),
        ("row", "| **Seeds** | [all](../glossary.ipynb#member) |"),
        ("quote", "Quoted\nwords."),
    ]


def test_a_fenced_block_is_not_translated() -> None:
    markdown = "Run this:\n\n```\n# not a heading\nx = 1\n```\nAfter."
    assert [u.text for u in translations.units(markdown)] == ["Run this:", "After."]


def test_a_longer_translation_keeps_the_items_indentation() -> None:
    markdown = "- one\n  two"
    assert translations.translate_markdown(markdown, lambda text: "uno\ndos\ntres") == "- uno\n  dos\n  tres"


@functools.cache
def _identity_catalog() -> Catalog:
    identity = Catalog(locale="es")
    for message in translations.template(COURSE):
        if message.id:
            identity.add(message.id, string=message.id, locations=message.locations)
    return read_po(io.BytesIO(translations.render(identity).encode("utf-8")), locale="es")


@pytest.mark.parametrize("path", ENGLISH, ids=_ids(ENGLISH))
def test_translating_every_unit_by_itself_gives_the_notebook_back(path: Path) -> None:
    """Through a PO file whose msgstr is the msgid, so the catalog's writing and reading lose
    nothing either; the only change is the links the build rewrites for the language's folder."""
    built = nbformat.reads(translations.build(path, COURSE, "xx", _identity_catalog()), as_version=4)
    english = nbformat.read(path, as_version=4)
    source = path.relative_to(COURSE).as_posix()
    markdown = [(e.source, b.source) for e, b in zip(english.cells, built.cells) if e.cell_type == "markdown"]
    assert markdown, f"{source} has no Markdown"
    for english_text, built_text in markdown:
        assert built_text == translations.relink_markdown(english_text, source, "xx")


# --- a fake language, fully translated -----------------------------------------------------------

# What a translator keeps as it is: link targets, placeholders, HTML tags.
_KEPT = re.compile(r"\]\([^)]*\)|\{[^{}]*\}|<[^>]*>")


def fake_translation(text: str) -> str:
    """Upper case outside the marks a translation keeps: as different from the English as a
    translation, and with the same markup."""
    out, last = [], 0
    for kept in _KEPT.finditer(text):
        out += [text[last : kept.start()].upper(), kept.group(0)]
        last = kept.end()
    return "".join([*out, text[last:].upper()])


@pytest.fixture
def course_copy(tmp_path: Path) -> Path:
    """The course with its English notebooks and catalogs, every language unpublished (so the
    tests hold whichever languages the real course publishes)."""
    copy = tmp_path / "course"
    listed = translations.languages(COURSE)
    built = [language.code for language in listed]
    shutil.copytree(COURSE, copy, ignore=shutil.ignore_patterns("handouts", ".ipynb_checkpoints", *built))
    unpublished = {language.code: {"name": language.name, "published": False} for language in listed}
    (copy / "locale" / "languages.yaml").write_text(yaml.safe_dump(unpublished, allow_unicode=True), encoding="utf-8")
    return copy


def add_language(course: Path, code: str, published: bool, translate=fake_translation, skip: str = "") -> Path:
    """List the language and give it a PO with every message translated (but ``skip``)."""
    languages = course / "locale" / "languages.yaml"
    languages.write_text(
        languages.read_text(encoding="utf-8") + f"{code}: {{name: Test, published: {str(published).lower()}}}\n",
        encoding="utf-8",
    )
    catalog = Catalog(locale="es", project=translations.PROJECT)
    for message in translations.template(course):
        if message.id:
            string = "" if message.id == skip else translate(message.id)
            catalog.add(message.id, string=string, locations=message.locations)
    path = translations.po_path(course, code)
    path.parent.mkdir(parents=True)
    path.write_text(translations.render(catalog), encoding="utf-8")
    return path


def test_a_published_language_is_built_translated_with_the_english_code_and_metadata(course_copy: Path) -> None:
    add_language(course_copy, "xx", published=True)
    status, said = _run(course_copy, check=False)
    assert status == 0, said

    english = translations.english_notebooks(course_copy)
    assert len(english) == len(ENGLISH), "the built notebooks are not taken for English ones"
    for path in english:
        source = path.relative_to(course_copy).as_posix()
        built_path = course_copy / "xx" / source
        english_nb = json.loads(path.read_text(encoding="utf-8"))
        built = json.loads(built_path.read_text(encoding="utf-8"))
        assert built["metadata"] == {
            **english_nb["metadata"],
            "coop": {"language": "xx"},
            "title": fake_translation(english_nb["metadata"]["title"]),
        }
        assert len(built["cells"]) == len(english_nb["cells"])
        for english_cell, cell in zip(english_nb["cells"], built["cells"]):
            assert [cell.get(k) for k in ("id", "cell_type", "metadata")] == [
                english_cell.get(k) for k in ("id", "cell_type", "metadata")
            ]
            if cell["cell_type"] == "code":
                assert cell == english_cell
                continue
            text, english_text = "".join(cell["source"]), "".join(english_cell["source"])
            if re.search("[a-z]", english_text):
                assert text != english_text
            # Markdown: the translation (upper case) everywhere but in link targets.
            assert LINK_TARGET.sub("](", text) == LINK_TARGET.sub("](", fake_translation(english_text))
            links, english_links = TARGET.findall(text), TARGET.findall(english_text)
            assert len(links) == len(english_links)
            for link, english_link in zip(links, english_links):
                _assert_leads_to_the_same_language(link, english_link, source, course_copy)

    status, said = _run(course_copy, check=True)
    assert status == 0, said


def _assert_leads_to_the_same_language(link: str, english_link: str, source: str, course: Path) -> None:
    """A link to a course notebook or a handout leads to the language's own; any other relative
    link (an image) to the address the English page's link leads to."""
    if re.match(r"^[a-z]+:|^#", english_link):
        assert link == english_link
        return
    path, english_path = link.split("#")[0].split("?")[0], english_link.split("#")[0].split("?")[0]
    page = posixpath.normpath(posixpath.join(posixpath.dirname(f"/voila/render/xx/{source}"), path))
    english = posixpath.normpath(posixpath.join(posixpath.dirname(f"/voila/render/{source}"), english_path))
    if english_path.endswith(".ipynb"):
        assert page == english.replace("/voila/render/", "/voila/render/xx/", 1), f"{source}: {link} leaves xx"
        assert (course / page.removeprefix("/voila/render/")).is_file(), f"{source}: {link} leads nowhere"
    elif english.startswith("/voila/files/handouts/"):  # coopcourse.handouts builds handouts/xx/ for xx
        assert page == english.replace("/voila/files/handouts/", "/voila/files/handouts/xx/", 1), link
    else:
        assert page == english, f"{source}: {link} leads to {page}, the English page's link to {english}"


def test_a_hand_edited_translated_notebook_fails_the_check(course_copy: Path) -> None:
    add_language(course_copy, "xx", published=True)
    assert _run(course_copy, check=False)[0] == 0
    built = course_copy / "xx" / "think_coop" / "02_collective_action.ipynb"
    built.write_text(built.read_text(encoding="utf-8").replace("COOPERATIVE", "COOP", 1), encoding="utf-8")
    status, said = _run(course_copy, check=True)
    assert status == 1 and "xx/think_coop/02_collective_action.ipynb differs" in said


def test_an_unpublished_language_with_a_partial_catalog_passes_and_is_not_built(course_copy: Path) -> None:
    first = next(m.id for m in translations.template(course_copy) if m.id)
    add_language(course_copy, "xx", published=False, skip=first)
    status, said = _run(course_copy, check=False)
    assert status == 0, said
    assert not (course_copy / "xx").exists()
    assert _run(course_copy, check=True)[0] == 0


# --- the English notebooks change ------------------------------------------------------------------


def _edit_markdown(course: Path, old: str, new: str) -> None:
    path = course / "think_coop" / "02_collective_action.ipynb"
    notebook = nbformat.read(path, as_version=4)
    cell = next(c for c in notebook.cells if c.cell_type == "markdown" and old in c.source)
    cell.source = cell.source.replace(old, new, 1)
    path.write_text(nbformat.writes(notebook) + "\n", encoding="utf-8")


def test_an_edited_notebook_makes_the_template_stale_until_the_command_runs(course_copy: Path) -> None:
    _edit_markdown(course_copy, "## Key messages", "## Key messages\n\nA sentence added by an author.")
    status, said = _run(course_copy, check=True)
    assert status == 1 and "notebooks.pot is out of date" in said

    assert _run(course_copy, check=False)[0] == 0
    assert _run(course_copy, check=True)[0] == 0
    spanish = translations.load(translations.po_path(course_copy, "es"), "es")
    added = spanish.get("A sentence added by an author.")
    assert added is not None and added.string == ""


def test_a_changed_english_text_makes_its_translation_fuzzy_and_the_old_one_goes(course_copy: Path) -> None:
    heading = "Key messages"
    add_language(course_copy, "xx", published=True)
    _edit_markdown(course_copy, f"## {heading}", "## Key messages today")
    status, said = _run(course_copy, check=False)
    assert status == 1 and "fuzzy" in said  # the published language is no longer complete
    catalog = translations.load(translations.po_path(course_copy, "xx"), "es")
    changed = catalog.get("Key messages today")
    assert changed is not None and changed.fuzzy and changed.string == "KEY MESSAGES"
    assert catalog.get(heading) is not None  # still used by the other modules
    assert not (course_copy / "xx").exists(), "an incomplete language is not built"


# --- completeness of a published language -----------------------------------------------------------


def test_a_missing_translation_fails_the_check_and_names_the_message(course_copy: Path) -> None:
    add_language(course_copy, "xx", published=True, skip="Key messages")
    status, said = _run(course_copy, check=True)
    assert status == 1
    assert "xx (Test) is published but" in said and "no translation of 'Key messages'" in said


def test_a_dropped_link_target_fails_the_check(course_copy: Path) -> None:
    def drop_links(text: str) -> str:
        return re.sub(r"\]\(\.\./glossary\.ipynb#[\w-]+\)", "](../glossary.ipynb)", fake_translation(text))

    add_language(course_copy, "xx", published=True, translate=drop_links)
    status, said = _run(course_copy, check=True)
    assert status == 1 and "link target: missing ../glossary.ipynb#" in said


@pytest.mark.parametrize(
    ("msgid", "msgstr", "named"),
    [
        ("You have {count} members.", "Tienen miembros.", "placeholder: missing {count}"),
        ("**Buyers** we have", "Compradores que tenemos", "bold"),
        ("Read [the guide](../glossary.ipynb#member).", "Lean la guía.", "link target"),
        ("Go on to [the plan](03_plan.ipynb).", "Sigan con [el plan](04_plan.ipynb).", "link target"),
        ("About 20 minutes.", "Unos veinte minutos.", "number: missing 20"),
        ("Activity 2 (25 minutes)", "Actividad 2 (35 minutos)", "number: missing 25; extra 35"),
        ("| a | b |", "| a b |", "table cell"),
        ("Press `Save`.", "Pulsen Guardar.", "code"),
        ('<a id="member"></a>Member', "Miembro", "HTML tag"),
        ("One paragraph.", "Un párrafo.\n\nOtro.", "a blank line"),
        ("A list item.", "Un elemento.\n", "at the start or end"),
    ],
)
def test_a_translation_that_loses_markup_is_reported(msgid: str, msgstr: str, named: str) -> None:
    found = translations.markup_differences(msgid, msgstr)
    assert any(named in difference for difference in found), found


def test_a_translation_with_the_same_markup_in_another_order_passes() -> None:
    msgid = "Read **[the guide](../glossary.ipynb#member)** for {count} people: 20 minutes. | x |"
    msgstr = "Durante 20 minutos, {count} personas leen **[la guía](../glossary.ipynb#member)**. | x |"
    assert translations.markup_differences(msgid, msgstr) == []


def test_a_fuzzy_translation_is_not_complete() -> None:
    template, catalog = Catalog(), Catalog(locale="es")
    template.add("Key messages")
    catalog.add("Key messages", string="Mensajes clave", flags=["fuzzy"])
    assert translations.incomplete(catalog, template) and "fuzzy" in translations.incomplete(catalog, template)[0]
    catalog.get("Key messages").flags.discard("fuzzy")
    assert translations.incomplete(catalog, template) == []


def test_a_listed_language_without_its_catalog_fails_the_check(course_copy: Path) -> None:
    languages = course_copy / "locale" / "languages.yaml"
    languages.write_text(languages.read_text(encoding="utf-8") + "pt: {name: Português, published: false}\n")
    status, said = _run(course_copy, check=True)
    assert status == 1 and "locale/pt/LC_MESSAGES/notebooks.po is missing" in said
    assert _run(course_copy, check=False)[0] == 0  # the command creates it, every message untranslated
    created = translations.load(translations.po_path(course_copy, "pt"), "pt")
    assert len(created) == len(translations.template(course_copy)) and not any(m.string for m in created if m.id)


def test_a_message_names_the_notebook_and_cell_it_comes_from() -> None:
    """Every cell opening with the heading "## Key messages", found here by reading the notebooks,
    is a location of that one message (a heading used in many modules is translated once)."""
    expected = sorted(
        (path.relative_to(COURSE).as_posix(), number)
        for path in ENGLISH
        for number, cell in enumerate(nbformat.read(path, as_version=4).cells, start=1)
        if cell.cell_type == "markdown" and cell.source.split("\n")[0] == "## Key messages"
    )
    message = translations.template(COURSE).get("Key messages")
    assert len(expected) >= 10 and message is not None
    assert sorted(message.locations) == expected
