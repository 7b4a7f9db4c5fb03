"""The apps' strings and content data reach other languages through gettext catalogs.

- every English string and every word of the content data is a message of its template, plurals
  as plurals, identifiers never;
- a page's kernel shows its notebook's language: a compiled catalog translates ``text()``,
  ``plural()``, content documents and country profiles; a translation whose English has since
  changed is not used (the English shows); a language without a catalog shows English;
- a published language with an untranslated string or content message fails the check.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

import coopcourse.content as content
from coopcourse import text as text_module
from coopcourse.content import country
from coopcourse.text import catalog, current_language, page_language, plural, text
from tests.notebooks import translations

PACKAGE = translations.PACKAGE


def test_every_english_string_is_a_message_keyed_by_its_context() -> None:
    pot = translations.strings_template()
    for key, english in catalog().items():
        if key.endswith((".one", ".other")) and f"{key.rsplit('.', 1)[0]}.one" in catalog():
            base = key.rsplit(".", 1)[0]
            message = pot.get((catalog()[f"{base}.one"], catalog()[f"{base}.other"]), context=base)
        else:
            message = pot.get(english, context=key)
        assert message is not None, key


def test_plural_strings_are_plural_messages() -> None:
    message = translations.strings_template().get(
        (catalog()["saving.conflict.one"], catalog()["saving.conflict.other"]), context="saving.conflict"
    )
    assert message is not None and message.pluralizable


def test_content_words_are_messages_and_identifiers_are_not() -> None:
    pot = translations.content_template()
    bank = content.load("questions/think_coop", "en")
    first_set = next(iter(bank["sets"].values()))
    question = first_set["questions"][0]
    assert pot.get(question["prompt"], context="questions/think_coop") is not None
    assert pot.get(first_set["title"], context="questions/think_coop") is not None
    assert pot.get(question["id"], context="questions/think_coop") is None  # an id is never translated
    assert pot.get(question["kind"], context="questions/think_coop") is None
    profile = yaml.safe_load((PACKAGE / "content" / "profiles" / "co.yaml").read_text(encoding="utf-8"))
    assert pot.get(profile["units"]["area"], context="profiles/co") is not None
    assert pot.get(profile["currency"]["code"], context="profiles/co") is None


def test_text_fields_and_translated_agree() -> None:
    document = {"id": "q1", "prompt": "How many?", "choices": [{"id": "a", "text": "Ten"}], "answer": 10}
    assert list(content.text_fields(document)) == [("prompt", "How many?"), ("choices[0].text", "Ten")]
    assert content.translated(document, str.upper) == {
        "id": "q1",
        "prompt": "HOW MANY?",
        "choices": [{"id": "a", "text": "TEN"}],
        "answer": 10,
    }


# --- a kernel in another language ---------------------------------------------------------------


def _compile(path: Path, messages: list[tuple[object, object, str | None]], locale: str = "es") -> None:
    made = Catalog(locale=locale)
    for english, string, context in messages:
        made.add(english, string=string, context=context)
    path.parent.mkdir(parents=True, exist_ok=True)
    out = io.BytesIO()
    write_mo(out, made)
    path.write_bytes(out.getvalue())


def _clear() -> None:
    for cached in (text_module.translations, text_module.translated_languages, page_language, content._load):
        cached.cache_clear()
    country._profile.cache_clear()


@pytest.fixture
def spanish(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A package locale folder with English and a small Spanish catalog."""
    root = tmp_path / "locale"
    shutil.copytree(PACKAGE / "locale" / "en", root / "en")
    english = catalog()
    bank = content.load("questions/think_coop", "en")
    title = next(iter(bank["sets"].values()))["title"]
    _compile(
        root / "es" / "LC_MESSAGES" / "strings.mo",
        [
            (english["error.at_least"], "{label} debe ser al menos {minimum}.", "error.at_least"),
            ("This English has since changed.", "Vieja traducción", "error.whole_number"),
            (
                (english["saving.conflict.one"], english["saving.conflict.other"]),
                ("{count} ejercicio cambió.", "{count} de ejercicios cambiaron.", "{count} ejercicios cambiaron."),
                "saving.conflict",
            ),
        ],
    )
    _compile(
        root / "es" / "LC_MESSAGES" / "content.mo",
        [(title, "Título en español", "questions/think_coop"), ("hectare", "hectárea", "profiles/co")],
    )
    monkeypatch.setattr(text_module, "_locale_root", lambda: root)
    monkeypatch.delenv(text_module.LANGUAGE_VARIABLE, raising=False)
    _clear()
    yield root
    _clear()


def test_a_kernel_in_a_translated_notebooks_folder_speaks_its_language(
    spanish: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    course = tmp_path / "course"
    (course / "locale").mkdir(parents=True)
    (course / "locale" / "languages.yaml").write_text("es: {name: Español, published: true}\n", encoding="utf-8")
    page = course / "es" / "think_coop"
    page.mkdir(parents=True)
    monkeypatch.chdir(page)
    assert current_language() == "es"
    assert text("error.at_least", label="Socios", minimum=2) == "Socios debe ser al menos 2."
    monkeypatch.chdir(course)  # an English notebook's folder
    assert current_language() == "en"
    assert text("error.at_least", label="Members", minimum=2) == "Members must be at least 2."


def test_a_folder_named_like_a_language_outside_the_course_is_not_a_page(spanish: Path, tmp_path: Path) -> None:
    (tmp_path / "es").mkdir()
    assert page_language(str(tmp_path / "es")) is None


def test_the_variable_sets_the_language_outside_the_course_only(
    spanish: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(text_module.LANGUAGE_VARIABLE, "es")
    monkeypatch.chdir(tmp_path)
    assert current_language() == "es"  # the server or a command: the variable
    course = tmp_path / "course"
    (course / "locale").mkdir(parents=True)
    (course / "locale" / "languages.yaml").write_text("es: {name: Español, published: true}\n", encoding="utf-8")
    (course / "think_coop").mkdir()
    monkeypatch.chdir(course / "think_coop")
    assert current_language() == "en"  # an English page's kernel stays English


def test_a_stale_translation_is_not_used(spanish: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(text_module.LANGUAGE_VARIABLE, "es")
    assert text("error.whole_number", label="X") == catalog()["error.whole_number"].format(label="X")


@pytest.mark.parametrize(("count", "expected"), [(1, "1 ejercicio cambió."), (3, "3 ejercicios cambiaron.")])
def test_plural_picks_the_languages_form(
    spanish: Path, monkeypatch: pytest.MonkeyPatch, count: int, expected: str
) -> None:
    monkeypatch.setenv(text_module.LANGUAGE_VARIABLE, "es")
    assert plural("saving.conflict", count) == expected


def test_english_plural_forms(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(text_module.LANGUAGE_VARIABLE, "en")
    assert plural("saving.conflict", 1).startswith("1 exercise on this page was")
    assert plural("saving.conflict", 2).startswith("2 exercises on this page were")


def test_content_and_profiles_in_the_language(spanish: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(text_module.LANGUAGE_VARIABLE, "es")
    set_id = next(iter(content.load("questions/think_coop", "en")["sets"]))
    assert content.question_set("think_coop", set_id).title == "Título en español"
    assert country.profile("co").units["area"] == "hectárea"
    assert country.profile("co", "en").units["area"] == "hectare"


def test_a_language_without_catalogs_is_english(spanish: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(text_module.LANGUAGE_VARIABLE, "xx")
    assert text("error.at_least", label="A", minimum=1) == "A must be at least 1."


# --- a published language must be complete ------------------------------------------------------


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    """The package's locale and content folders (what the template is made from)."""
    copy = tmp_path / "coopcourse"
    shutil.copytree(PACKAGE / "locale" / "en", copy / "locale" / "en")
    shutil.copytree(PACKAGE / "content", copy / "content")
    return copy


def _course(tmp_path: Path, published: bool) -> Path:
    course = tmp_path / "course"
    (course / "locale").mkdir(parents=True)
    (course / "locale" / "languages.yaml").write_text(
        f"xx: {{name: Test, published: {str(published).lower()}}}\n", encoding="utf-8"
    )
    return course


def test_a_published_language_with_an_untranslated_string_fails(tmp_path: Path, package_copy: Path) -> None:
    course = _course(tmp_path, published=True)
    said: list[str] = []
    assert translations.run(course, out=said.append, package=package_copy) == 1
    assert any("is published but strings:" in line and "error.at_least" in line for line in said)
    assert any("is published but content:" in line for line in said)
    assert (package_copy / "locale" / "xx" / "LC_MESSAGES" / "strings.mo").is_file()


def test_the_check_finds_a_catalog_not_compiled(tmp_path: Path, package_copy: Path) -> None:
    course = _course(tmp_path, published=False)
    assert translations.run(course, out=lambda _line: None, package=package_copy) == 0
    assert translations.run(course, check=True, out=lambda _line: None, package=package_copy) == 0
    (package_copy / "locale" / "xx" / "LC_MESSAGES" / "strings.mo").write_bytes(b"")
    said: list[str] = []
    assert translations.run(course, check=True, out=said.append, package=package_copy) == 1
    assert any("strings.mo is not compiled" in line for line in said)


def test_a_placeholder_dropped_from_a_plural_form_is_reported() -> None:
    assert translations.markup_differences("{count} of {name}", "uno", plural=True) == ["placeholder: missing {name}"]
    assert translations.markup_differences("{count} rows", "una fila", plural=True) == []


def test_the_day_work_was_saved_is_written_in_the_pages_language() -> None:
    """ "Saved on 14 Mar 2026" had the month in English on every page."""
    import time

    from coopcourse.components.saved_work import _when
    from coopcourse.text import speaking

    saved = time.mktime((2026, 3, 14, 10, 30, 0, 0, 0, -1))
    said = {}
    for language in ("en", "es", "fr"):
        with speaking(language):
            said[language] = _when(saved)
    assert "Mar 14, 2026" in said["en"] and "10:30" in said["en"]
    assert "14 mar 2026" in said["es"] and "Mar" not in said["es"]
    assert "14 mars 2026" in said["fr"]
