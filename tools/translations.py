"""Translations of the course notebooks' Markdown through gettext catalogs (Babel).

    python tools/translations.py            # what `make translations` runs: all three steps below
    python tools/translations.py --check    # change nothing; exit 1 and say what is out of date

1. Extract: every Markdown cell of every English notebook under course/ is split into units a
   translator handles (a heading, a paragraph, a list item, a quoted paragraph, a table row) and
   written to ``course/locale/notebooks.pot``. A message's location is ``<notebook>:<cell number>``
   (cells counted from 1, as a reader of the notebook counts); the same text in several places is one message.
2. Update: ``course/locale/<lang>/LC_MESSAGES/notebooks.po`` of each language listed in
   ``course/locale/languages.yaml`` is merged with the template as ``pybabel update`` does:
   translations kept, changed ones marked fuzzy, obsolete ones dropped.
3. Build: for each *published* language, ``course/<lang>/<path>.ipynb`` from the English notebook
   and the PO. Markdown is translated unit by unit; code cells, cell metadata and everything else
   are copied; the notebook's metadata gets ``coop.language``. A published language must be
   complete (no missing or fuzzy translation), so a learner never gets a page half in English; a
   language in progress is not built at all.

The English notebooks stay the only source an author edits; the translated ones are generated.
"""

from __future__ import annotations

import copy
import io
import json
import posixpath
import re
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import yaml
from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

REPO = Path(__file__).resolve().parents[1]
COURSE = REPO / "course"
DOMAIN = "notebooks"
PROJECT = "Cooperative business course (notebooks)"
HINT = "run: make translations"

# --- splitting Markdown into translatable units -----------------------------------------------

_FENCE = re.compile(r"^\s*(```|~~~)")
_RULE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")  # a thematic break (---)
_HEADING = re.compile(r"^(\s{0,3}#{1,6}\s+)(.*)$")
_ITEM = re.compile(r"^(\s*(?:[-*+]|\d+[.)])\s+)(\S.*)$")
_QUOTE = re.compile(r"^(\s*>\s?)(.*)$")
_TABLE = re.compile(r"^(\s*)(\|.*)$")
_TABLE_RULE = re.compile(r"^\s*\|[\s|:-]+\|?\s*$")  # |---|:--:| between a table's header and body
_LEADING = re.compile(r"^(\s*)(.*)$")
_LETTER = re.compile(r"[^\W\d_]")


@dataclass
class Unit:
    """One translatable piece of a cell: its text (lines joined with "\\n", without their
    prefixes) and the literal prefix of each line (indentation, list marker, "> ")."""

    kind: str  # heading, paragraph, item, quote, row
    prefixes: list[str]
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def render(self, text: str) -> str:
        """The unit's lines with ``text`` in place of its own: a translation with more lines than
        the source continues with the last line's prefix (its indentation or "> ")."""
        out = []
        for number, line in enumerate(text.split("\n")):
            prefix = self.prefixes[min(number, len(self.prefixes) - 1)]
            out.append(prefix + line)
        return "\n".join(out)


Piece = str | Unit  # a literal line (blank, fence, rule ...) or a unit


def _starts_block(line: str) -> bool:
    return bool(
        not line.strip()
        or _FENCE.match(line)
        or _RULE.match(line)
        or _HEADING.match(line)
        or _ITEM.match(line)
        or _TABLE.match(line)
        or _QUOTE.match(line)
    )


def split(markdown: str) -> list[Piece]:
    """The cell's source as literal lines and units; joining their rendering with "\\n" gives
    the source back exactly (``join(split(s)) == s``)."""
    pieces: list[Piece] = []
    lines = markdown.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if _FENCE.match(line):  # a fenced block is code: kept as it is, never translated
            pieces.append(line)
            while index < len(lines):
                code = lines[index]
                pieces.append(code)
                index += 1
                if _FENCE.match(code):
                    break
            continue
        if not line.strip() or _RULE.match(line) or _TABLE_RULE.match(line):
            pieces.append(line)
            continue
        if found := _HEADING.match(line):
            pieces.append(Unit("heading", [found[1]], [found[2]]))
            continue
        if found := _TABLE.match(line):
            pieces.append(Unit("row", [found[1]], [found[2]]))
            continue
        if found := _ITEM.match(line):
            unit = Unit("item", [found[1]], [found[2]])
        elif found := _QUOTE.match(line):
            unit = Unit("quote", [found[1]], [found[2]])
        else:
            found = _LEADING.match(line)
            assert found is not None  # matches every line
            unit = Unit("paragraph", [found[1]], [found[2]])
        # Continuation lines (indented or lazy) belong to the unit until a line starts a block;
        # a quote continues on its own "> " lines.
        while index < len(lines):
            following = lines[index]
            if unit.kind == "quote" and (quoted := _QUOTE.match(following)) and following.strip() != ">":
                unit.prefixes.append(quoted[1])
                unit.lines.append(quoted[2])
            elif _starts_block(following):
                break
            else:
                rest = _LEADING.match(following)
                assert rest is not None
                unit.prefixes.append(rest[1])
                unit.lines.append(rest[2])
            index += 1
        pieces.append(unit)
    # A "unit" without a letter (a number alone, an HTML tag, "&nbsp;") has nothing to translate.
    return [p.render(p.text) if isinstance(p, Unit) and not _LETTER.search(p.text) else p for p in pieces]


def units(markdown: str) -> list[Unit]:
    return [p for p in split(markdown) if isinstance(p, Unit)]


def translate_markdown(markdown: str, translate: Callable[[str], str]) -> str:
    """The Markdown with every unit's text replaced by ``translate(text)``."""
    return "\n".join(p.render(translate(p.text)) if isinstance(p, Unit) else p for p in split(markdown))


# --- links from a translated notebook ---------------------------------------------------------

_MARKDOWN_LINK = re.compile(r"(\]\(\s*<?)([^)\s>]+)")
_HTML_LINK = re.compile(r"""((?:href|src)\s*=\s*["'])([^"']+)""", re.IGNORECASE)
_PAGES = "/voila/render"  # Voila serves course/<path> at /voila/render/<path>
_HANDOUTS = "/voila/files/handouts"  # and the handouts built into course/handouts/ at /voila/files/handouts/


def relink(link: str, source: str, language: str) -> str:
    """The link as the translated notebook of ``source`` (a path under course/) must write it: a
    link to a course notebook or a handout leads to the same language's, any other relative link
    (an image) to the same place as from the English page."""
    if re.match(r"^[a-zA-Z][\w+.-]*:|^//|^#|^/", link):  # external, in-page or absolute: unchanged
        return link
    path, _, rest = re.match(r"^([^?#]*)(([?#].*)?)$", link).groups()  # type: ignore[union-attr]
    if not path:
        return link
    english_folder = posixpath.dirname(f"{_PAGES}/{source}")
    target = posixpath.normpath(posixpath.join(english_folder, path))
    if target.startswith(f"{_PAGES}/") and target.endswith(".ipynb"):
        target = f"{_PAGES}/{language}/{target[len(_PAGES) + 1 :]}"
    elif target.startswith(f"{_HANDOUTS}/"):  # coopcourse.handouts writes each language's set in its folder
        target = f"{_HANDOUTS}/{language}/{target[len(_HANDOUTS) + 1 :]}"
    translated_folder = posixpath.dirname(f"{_PAGES}/{language}/{source}")
    return posixpath.relpath(target, translated_folder) + (rest or "")


def relink_markdown(markdown: str, source: str, language: str) -> str:
    def swap(found: re.Match[str]) -> str:
        return found[1] + relink(found[2], source, language)

    return _HTML_LINK.sub(swap, _MARKDOWN_LINK.sub(swap, markdown))


# --- the course's notebooks and languages -----------------------------------------------------


@dataclass(frozen=True)
class Language:
    code: str  # the folder name: es, fr
    name: str
    published: bool


def languages(course: Path = COURSE) -> list[Language]:
    path = course / "locale" / "languages.yaml"
    listed = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
    return [
        Language(str(code), str(entry.get("name", code)), bool(entry.get("published", False)))
        for code, entry in (listed or {}).items()
    ]


def english_notebooks(course: Path = COURSE) -> list[Path]:
    """The source notebooks: every notebook under course/ but the generated translations
    (course/<lang>/) and anything under course/locale/."""
    generated = {language.code for language in languages(course)} | {"locale"}
    return sorted(
        p
        for p in course.rglob("*.ipynb")
        if ".ipynb_checkpoints" not in p.parts and p.relative_to(course).parts[0] not in generated
    )


def translated_notebooks(course: Path = COURSE) -> list[Path]:
    """The generated notebooks of every listed language (course/<lang>/**.ipynb)."""
    return sorted(
        p
        for language in languages(course)
        for p in (course / language.code).rglob("*.ipynb")
        if ".ipynb_checkpoints" not in p.parts
    )


def _name(path: Path, course: Path) -> str:
    return path.relative_to(course).as_posix()


def po_path(course: Path, code: str) -> Path:
    return course / "locale" / code / "LC_MESSAGES" / f"{DOMAIN}.po"


# --- catalogs ---------------------------------------------------------------------------------

_HINTS = {
    "heading": "heading",
    "paragraph": "paragraph",
    "item": "list item",
    "quote": "quoted paragraph",
    "row": "table row: keep one | between cells",
}


def template(course: Path = COURSE) -> Catalog:
    catalog = Catalog(project=PROJECT, version="1", copyright_holder="the course's authors", fuzzy=False)
    for path in english_notebooks(course):
        notebook = nbformat.read(path, as_version=4)
        for number, cell in enumerate(notebook.cells):
            if cell.cell_type != "markdown":
                continue
            for unit in units(cell.source):
                catalog.add(unit.text, locations=[(_name(path, course), number + 1)], auto_comments=[_HINTS[unit.kind]])
    return catalog


def render(catalog: Catalog) -> str:
    out = io.BytesIO()
    write_po(out, catalog, width=100, ignore_obsolete=True, include_previous=False)
    return out.getvalue().decode("utf-8")


_DATES = re.compile(r'^"(POT-Creation-Date|PO-Revision-Date): .*\\n"$', re.MULTILINE)


def same_catalog(a: str, b: str) -> bool:
    """Equal but for the dates in the header, so an unchanged catalog is not rewritten."""
    return _DATES.sub("", a) == _DATES.sub("", b)


def babel_locale(code: str) -> str | None:
    """The code as Babel's locale, or None for one CLDR does not know (a test's made-up language)."""
    try:
        Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return None
    return code


def load(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale=babel_locale(locale) if locale else None)


def updated(pot: Catalog, code: str, existing: Path, project: str = PROJECT) -> Catalog:
    """The language's catalog merged with the template, as ``pybabel update`` does."""
    if existing.exists():
        catalog = load(existing, code)
    else:
        catalog = Catalog(locale=babel_locale(code), project=project, version="1")
    catalog.update(pot)
    return catalog


# --- completeness: a published language's PO --------------------------------------------------

_MARKS: dict[str, re.Pattern[str]] = {
    "placeholder": re.compile(r"\{[^{}]*\}"),
    "bold": re.compile(r"\*\*"),
    "code": re.compile(r"`+"),
    "link target": re.compile(r"\]\(\s*<?([^)\s>]+)"),
    "HTML tag": re.compile(r"</?[a-zA-Z][^>]*>"),
    # A number's digits, whatever marks a language writes between them: 5,000 = 5000 = 5.000 = 5 000,
    # 12.5 = 12,5 (the digits must stay; the separators are the language's).
    "number": re.compile(r"\d+(?:[.,\u00a0\u202f ]\d+)*"),
    "table cell": re.compile(r"(?<!\\)\|"),
}


def markup_differences(msgid: str, msgstr: str, plural: bool = False) -> list[str]:
    """What the translation drops or adds of the marks it must keep: placeholders, bold, code,
    link targets, HTML tags, numbers, table cells. A blank line would start a new block. A plural
    form may leave out ``{count}`` and the numbers (the Spanish "un solo ejercicio")."""
    found = []
    for name, pattern in _MARKS.items():
        if plural and name == "number":
            continue
        kept = (lambda mark: mark != "{count}") if plural and name == "placeholder" else (lambda mark: True)
        digits = (lambda mark: re.sub(r"\D", "", mark)) if name == "number" else (lambda mark: mark)
        source = Counter(digits(m) for m in pattern.findall(msgid) if kept(m))
        translated = Counter(digits(m) for m in pattern.findall(msgstr) if kept(m))
        if source != translated:
            missing, extra = sorted((source - translated).elements()), sorted((translated - source).elements())
            said = "; ".join(
                part
                for part in (
                    f"missing {', '.join(missing)}" if missing else "",
                    f"extra {', '.join(extra)}" if extra else "",
                )
                if part
            )
            found.append(f"{name}: {said}")
    if re.search(r"\n\s*\n", msgstr):
        found.append("a blank line (it would split the text into two blocks)")
    if msgstr != msgstr.strip() and msgid == msgid.strip():
        found.append("a space or line break at the start or end (it would change the Markdown around it)")
    return found


def _where(message: Message) -> str:
    places = ", ".join(f"{file}:{line}" if line else file for file, line in message.locations[:3])
    return f"{places} [{message.context}]" if message.context else places


def _forms(value: object) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, (tuple, list)) else (str(value or ""),)


def incomplete(catalog: Catalog, pot: Catalog) -> list[str]:
    """Each message of the template the catalog does not translate in full, in words."""
    problems = []
    for message in pot:
        if not message.id:
            continue
        where = _where(message)
        found = catalog.get(message.id, context=message.context)
        english = _forms(message.id)
        first = english[0].split("\n")[0][:70]
        if found is None or not all(_forms(found.string)):
            problems.append(f"{where}: no translation of {first!r}")
        elif found.fuzzy:
            problems.append(f"{where}: fuzzy (check it, then remove the fuzzy flag) {first!r}")
        else:
            for number, form in enumerate(_forms(found.string)):
                source = english[min(number, len(english) - 1)]
                for difference in markup_differences(source, form, plural=len(english) > 1):
                    problems.append(f"{where}: {difference} in the translation of {first!r}")
    return problems


# --- building a translated notebook -----------------------------------------------------------


def build(english: Path, course: Path, code: str, catalog: Catalog) -> str:
    """The translated notebook's file text (nbformat's layout plus a final newline, as slides.py
    writes). Raises KeyError for a unit with no usable translation."""
    source = _name(english, course)
    notebook = nbformat.read(english, as_version=nbformat.NO_CONVERT)  # as the author committed it (4.4 or 4.5)
    translated = copy.deepcopy(notebook)

    def translate(text: str) -> str:
        message = catalog.get(text)
        if message is None or not message.string or message.fuzzy:
            raise KeyError(f"{source}: no translation of {text[:70]!r}")
        return str(message.string)

    for cell in translated.cells:
        if cell.cell_type == "markdown":
            cell.source = relink_markdown(translate_markdown(cell.source, translate), source, code)
        elif cell.cell_type == "code":  # as the English source commits them: no outputs
            cell.outputs = []
            cell.execution_count = None
    translated.metadata.setdefault("coop", {})["language"] = code
    if "title" in notebook.metadata:  # the page's title in the browser: the first heading's translation
        translated.metadata["title"] = translate(notebook.metadata["title"])
    return nbformat.writes(translated) + "\n"


def target(english: Path, course: Path, code: str) -> Path:
    return course / code / english.relative_to(course)


# --- the package's strings and content --------------------------------------------------------

PACKAGE = REPO / "widgets" / "coopcourse"
PACKAGE_PROJECT = "Cooperative business course (apps)"


def _english_strings(package: Path) -> list[tuple[str, str | tuple[str, str], str]]:
    """(key, English, file) for every string of ``locale/en/*.yaml``; a mapping of exactly ``one``
    and ``other`` is one plural message."""
    found: list[tuple[str, str | tuple[str, str], str]] = []

    def walk(prefix: str, node: object, file: str) -> None:
        if isinstance(node, dict) and set(node) == {"one", "other"}:
            found.append((prefix, (str(node["one"]), str(node["other"])), file))
        elif isinstance(node, dict):
            for key, value in node.items():
                walk(f"{prefix}.{key}" if prefix else str(key), value, file)
        else:
            found.append((prefix, str(node), file))

    for path in sorted((package / "locale" / "en").glob("*.yaml")):
        walk("", yaml.safe_load(path.read_text(encoding="utf-8")), f"locale/en/{path.name}")
    return found


def strings_template(package: Path = PACKAGE) -> Catalog:
    """Every string of the apps: the context is its key, the id its English text."""
    catalog = Catalog(project=PACKAGE_PROJECT, version="1", copyright_holder="the course's authors", fuzzy=False)
    for key, english, file in _english_strings(package):
        comments = (
            ["keep each {placeholder} as it is; {count} picks the plural form"] if isinstance(english, tuple) else []
        )
        catalog.add(english, context=key, locations=[(file, None)], auto_comments=comments)
    return catalog


def content_files(package: Path = PACKAGE) -> dict[str, Path]:
    """Name (``questions/think_coop``, ``profiles/co``) -> file of every content document."""
    root = package / "content"
    files = {p.relative_to(root / "en").with_suffix("").as_posix(): p for p in (root / "en").rglob("*.yaml")}
    files |= {f"profiles/{p.stem}": p for p in (root / "profiles").glob("*.yaml")}
    return dict(sorted(files.items()))


def content_template(package: Path = PACKAGE) -> Catalog:
    """Every translatable string of the content data: the context is the file's name, the
    comment says where in the file it is."""
    from coopcourse.content import text_fields  # the rule the apps translate by

    catalog = Catalog(project=PACKAGE_PROJECT, version="1", copyright_holder="the course's authors", fuzzy=False)
    for name, path in content_files(package).items():
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        for place, english in text_fields(document):
            existing = catalog.get(english, context=name)
            if existing is not None:
                existing.auto_comments.append(place)
                continue
            catalog.add(
                english, context=name, locations=[(path.relative_to(package).as_posix(), None)], auto_comments=[place]
            )
    return catalog


PACKAGE_DOMAINS: dict[str, Callable[[Path], Catalog]] = {"strings": strings_template, "content": content_template}


def package_po_path(package: Path, code: str, domain: str) -> Path:
    return package / "locale" / code / "LC_MESSAGES" / f"{domain}.po"


SOURCE_LANGUAGE = ("en", "English")


def words_folder(package: Path) -> Path:
    """The page template's words (widgets/share/jupyter/voila/templates/coop/words/)."""
    return package.parent / "share" / "jupyter" / "voila" / "templates" / "coop" / "words"


def template_words(package: Path, catalog: Catalog | None = None) -> str:
    """The page template's words (the strings' ``page`` section) as the JSON it includes: English,
    or translated by the language's strings catalog."""
    words = {}
    for key, english, _file in _english_strings(package):
        if not key.startswith("page.") or not isinstance(english, str):
            continue
        found = catalog.get(english, context=key) if catalog is not None else None
        words[key.removeprefix("page.")] = str(found.string) if found is not None and found.string else english
    return json.dumps(words, ensure_ascii=False, indent=2) + "\n"


def compiled(catalog: Catalog) -> bytes:
    """The catalog as the apps read it (``.mo``): fuzzy and untranslated messages left out."""
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


# --- the command ------------------------------------------------------------------------------


@dataclass
class Domain:
    """One template and its catalogs: the notebooks' Markdown, or the package's strings or content."""

    name: str
    pot: Catalog
    pot_path: Path
    po_path: Callable[[str], Path]
    project: str
    compile: bool  # the package's catalogs are read at run time as .mo


def _merge(
    domain: Domain, language: Language, check: bool, shown: Callable[[Path], str], out: Callable[[str], None]
) -> tuple[Catalog, list[str]]:
    """The language's catalog of the domain, updated with the template (or with ``check`` as
    committed), its .mo compiled; and what is out of date."""
    problems = []
    path = domain.po_path(language.code)
    if check:  # the PO as committed: that is what a published language is built from
        catalog = load(path, language.code) if path.exists() else Catalog(locale=babel_locale(language.code))
        if not path.exists():
            problems.append(f"{shown(path)} is missing ({HINT})")
        elif set(_ids(catalog)) != set(_ids(domain.pot)):
            problems.append(f"{shown(path)} has not been merged with the template ({HINT})")
    else:
        catalog = updated(domain.pot, language.code, path, domain.project)
        text = render(catalog)
        if not path.exists() or not same_catalog(path.read_text(encoding="utf-8"), text):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            out(f"updated {shown(path)}")
    if domain.compile and path.exists():
        mo = path.with_suffix(".mo")
        wanted = compiled(load(path, language.code))  # from the file: its header's dates are what they are
        if not mo.exists() or mo.read_bytes() != wanted:
            if check:
                problems.append(f"{shown(mo)} is not compiled from {path.name} ({HINT})")
            else:
                mo.write_bytes(wanted)
                out(f"compiled {shown(mo)}")
    return catalog, problems


def run(
    course: Path = COURSE, check: bool = False, out: Callable[[str], None] = print, package: Path | None = None
) -> int:
    """Extract, update and build (or with ``check`` only compare); 0 when all is up to date.
    The package's strings and content are handled too when ``package`` is given."""
    problems: list[str] = []

    def shown(path: Path) -> str:
        for root in (course.parent, package.parent.parent if package else None):
            if root is not None and path.is_relative_to(root):
                return path.relative_to(root).as_posix()
        return str(path)

    domains = [
        Domain(
            DOMAIN,
            template(course),
            course / "locale" / f"{DOMAIN}.pot",
            lambda code: po_path(course, code),
            PROJECT,
            False,
        )
    ]
    if package is not None:
        domains += [
            Domain(
                name,
                make(package),
                package / "locale" / f"{name}.pot",
                lambda code, name=name: package_po_path(package, code, name),
                PACKAGE_PROJECT,
                True,
            )
            for name, make in PACKAGE_DOMAINS.items()
        ]
    for domain in domains:
        pot_text = render(domain.pot)
        if not domain.pot_path.exists() or not same_catalog(domain.pot_path.read_text(encoding="utf-8"), pot_text):
            if check:
                problems.append(f"{shown(domain.pot_path)} is out of date with the English ({HINT})")
            else:
                domain.pot_path.parent.mkdir(parents=True, exist_ok=True)
                domain.pot_path.write_text(pot_text, encoding="utf-8")
                out(f"updated {shown(domain.pot_path)}")
    words: dict[Path, str] = {}
    shown_languages = dict([SOURCE_LANGUAGE])
    if package is not None:
        words[words_folder(package) / f"{SOURCE_LANGUAGE[0]}.json"] = template_words(package)
    for language in languages(course):
        missing: list[str] = []
        notebooks_catalog = None
        for domain in domains:
            catalog, found = _merge(domain, language, check, shown, out)
            problems += found
            if language.published:
                missing += [f"{domain.name}: {p}" for p in incomplete(catalog, domain.pot)]
            if domain.name == DOMAIN:
                notebooks_catalog = catalog
            if domain.name == "strings" and language.published and package is not None:
                words[words_folder(package) / f"{language.code}.json"] = template_words(package, catalog)
        problems += [f"{language.code} ({language.name}) is published but {p}" for p in missing]
        wanted: dict[Path, str] = {}
        if language.published and not missing and notebooks_catalog is not None:
            wanted = {
                target(e, course, language.code): build(e, course, language.code, notebooks_catalog)
                for e in english_notebooks(course)
            }
        problems += _sync(course, language, wanted, check, out)
        if language.published and not missing:
            shown_languages[language.code] = language.name
        elif package is not None:  # incomplete: its pages are not built, so neither are its words
            words.pop(words_folder(package) / f"{language.code}.json", None)
    if package is not None:
        words[words_folder(package) / "languages.json"] = json.dumps(shown_languages, ensure_ascii=False) + "\n"
        problems += _sync_words(words_folder(package), words, check, shown, out)
    for problem in problems:
        out(problem)
    return 1 if problems else 0


def _ids(catalog: Catalog) -> list[tuple[str, str | None]]:
    return [(str(m.id), m.context) for m in catalog if m.id]


def _sync(
    course: Path, language: Language, wanted: dict[Path, str], check: bool, out: Callable[[str], None]
) -> list[str]:
    """Write (or with ``check`` compare) the language's notebooks; remove the ones no longer
    built (an unpublished or incomplete language has none)."""
    existing = {p for p in translated_notebooks(course) if p.relative_to(course).parts[0] == language.code}
    return _sync_files(
        existing,
        wanted,
        check,
        lambda path: _name(path, course),
        out,
        stale=f"{language.code} is not published and complete",
        source="its English notebook and PO",
    )


def _sync_words(
    folder: Path, wanted: dict[Path, str], check: bool, shown: Callable[[Path], str], out: Callable[[str], None]
) -> list[str]:
    """The template's words: English, each published language's, and the list of languages a page
    links to (only complete ones); a language no longer published loses its file."""
    existing = set(folder.glob("*.json")) if folder.is_dir() else set()
    return _sync_files(
        existing,
        wanted,
        check,
        shown,
        out,
        stale="its language is not published and complete",
        source="the strings and their catalogs",
    )


def _sync_files(
    existing: set[Path],
    wanted: dict[Path, str],
    check: bool,
    shown: Callable[[Path], str],
    out: Callable[[str], None],
    stale: str,
    source: str,
) -> list[str]:
    """Make the generated files ``wanted`` (path -> text) exactly what is on disk among
    ``existing``: write the missing or different ones, remove the others; with ``check`` only say
    what differs."""
    problems = []
    for path in sorted(existing - set(wanted)):
        if check:
            problems.append(f"{shown(path)} should not exist: {stale} ({HINT})")
        else:
            path.unlink()
            out(f"removed {shown(path)}")
    for path, text in wanted.items():
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        if check:
            problems.append(f"{shown(path)} differs from what {source} give ({HINT})")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            out(f"wrote {shown(path)}")
    return problems


def main(argv: list[str]) -> int:
    return run(COURSE, check="--check" in argv, package=PACKAGE)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
