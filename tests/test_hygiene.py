"""Notebooks are committed clean, and the landing page links every one of them.

- no outputs, no execution counts, no widget state or other stray metadata;
- kernelspec ``python3``; valid nbformat 4;
- every notebook other than ``course/index.ipynb`` is linked from it with a relative link, and
  every relative link on the landing page leads to an existing notebook;
- every module also has a presenter-view link (``<notebook>?template=coop-reveal``), and a link
  that chooses a template names one that exists;
- translated notebooks (``course/<lang>/``, built by ``tools/translations.py``) are checked as clean
  notebooks with slides too, but the landing-page checks are about the English source notebooks:
  each language's landing page links its own notebooks by the same relative links;
- slides for the presenter view (``?template=coop-reveal``): every Markdown cell opening with an H1
  or H2 heading starts a slide and every cell has a slide type (``python tools/slides.py`` sets them).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import nbformat
import pytest

from tests.notebooks import english_notebooks, tool, translated_notebooks

REPO = Path(__file__).resolve().parents[1]
COURSE = REPO / "course"
INDEX = COURSE / "index.ipynb"
TEMPLATES = REPO / "widgets" / "share" / "jupyter" / "voila" / "templates"
PRESENTER_TEMPLATE = "coop-reveal"

TOOLS = REPO / "tools"

# The English notebooks an author edits, and the translations generated from them (course/<lang>/).
NOTEBOOKS = english_notebooks(COURSE)
TRANSLATED = translated_notebooks(COURSE)

# Notebook metadata a clean notebook may carry; anything else (widgets state, execution
# timings, toc, vscode, colab ...) is noise from an editor session.
ALLOWED_METADATA = {"kernelspec", "language_info", "title"}  # title: the page's, its first heading
TRANSLATED_METADATA = ALLOWED_METADATA | {"coop"}  # coop.language: the language it is written in
ALLOWED_CELL_METADATA = {"tags", "editable", "deletable", "slideshow", "jupyter", "coop"}  # coop: minutes

MARKDOWN_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HTML_LINK = re.compile(r"""href\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


def _ids(paths: list[Path]) -> list[str]:
    return [p.relative_to(COURSE).as_posix() for p in paths]


def test_there_are_notebooks() -> None:
    assert NOTEBOOKS, "no notebook under course/"


@pytest.mark.parametrize("path", NOTEBOOKS + TRANSLATED, ids=_ids(NOTEBOOKS + TRANSLATED))
def test_notebook_is_valid_and_clean(path: Path) -> None:
    nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    assert nb.nbformat == 4, f"nbformat {nb.nbformat}, expected 4"
    nbformat.validate(nb)

    problems = []
    kernelspec = nb.metadata.get("kernelspec", {})
    if kernelspec.get("name") != "python3":
        problems.append(f"kernelspec {kernelspec!r}, expected name python3")
    odd = set(nb.metadata) - (TRANSLATED_METADATA if path in TRANSLATED else ALLOWED_METADATA)
    if odd:
        problems.append(f"unexpected notebook metadata {sorted(odd)} (e.g. widget state)")
    for index, cell in enumerate(nb.cells):
        where = f"cell {index} ({cell.cell_type})"
        if cell.cell_type == "code":
            if cell.outputs:
                problems.append(f"{where} has outputs")
            if cell.execution_count is not None:
                problems.append(f"{where} has an execution count")
        odd_cell = set(cell.get("metadata", {})) - ALLOWED_CELL_METADATA
        if odd_cell:
            problems.append(f"{where} has unexpected metadata {sorted(odd_cell)}")
        if cell.get("attachments"):
            problems.append(f"{where} has attachments: use image files instead")
    assert not problems, (
        "\n".join(problems) + "\nClear outputs and metadata before committing "
        "(e.g. jupyter nbconvert --clear-output --inplace, then remove the metadata)."
    )


def landing_page_links() -> list[str]:
    nb = nbformat.read(INDEX, as_version=4)
    links: list[str] = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            links += MARKDOWN_LINK.findall(cell.source) + HTML_LINK.findall(cell.source)
    return links


def _is_external(link: str) -> bool:
    parts = urlsplit(link)
    return bool(parts.scheme or parts.netloc) or link.startswith("#")


def _target(link: str) -> Path:
    return (COURSE / unquote(urlsplit(link).path)).resolve()


def test_landing_page_exists() -> None:
    assert INDEX.exists(), "course/index.ipynb (the landing page) is missing"


# Voila serves a module's handout at /voila/files/handouts/<part>/<module>.pdf (voila.json allows those only).
HANDOUT_LINK = re.compile(r"\.\./files/handouts/((?:think|start|manage)_coop/\w+)\.pdf")


def test_landing_page_links_are_relative_and_lead_to_notebooks() -> None:
    if not INDEX.exists():
        pytest.skip("no landing page yet")
    problems = []
    for link in landing_page_links():
        if _is_external(link):
            continue
        path = urlsplit(link).path
        if path.startswith("/"):
            problems.append(f"{link}: absolute path; use a link relative to course/index.ipynb")
            continue
        handout = HANDOUT_LINK.fullmatch(path)
        if handout:  # a module's printed handout, built before serving (make serve) into course/handouts/
            if not (COURSE / f"{handout.group(1)}.ipynb").exists():
                problems.append(f"{link}: a handout of a module that does not exist")
            continue
        target = _target(link)
        if COURSE.resolve() not in target.parents:
            problems.append(f"{link}: leads outside course/")
        elif not path.endswith(".ipynb"):
            problems.append(f"{link}: not a notebook (Voila serves notebooks, not other files)")
        elif not target.exists():
            problems.append(f"{link}: no such notebook")
    assert not problems, "broken links on the landing page:\n" + "\n".join(problems)


def _query(link: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(link).query, keep_blank_values=True)


def test_landing_page_query_strings_choose_an_existing_template() -> None:
    if not INDEX.exists():
        pytest.skip("no landing page yet")
    problems = []
    for link in landing_page_links():
        query = _query(link)
        if _is_external(link) or not urlsplit(link).query:
            continue
        if set(query) != {"template"} or len(query["template"]) != 1:
            problems.append(f"{link}: only ?template=<name> is expected in a link to a notebook")
        elif not (TEMPLATES / query["template"][0] / "index.html.j2").exists():
            problems.append(f"{link}: no Voila template {query['template'][0]!r} in {TEMPLATES.relative_to(REPO)}")
    assert not problems, "odd links on the landing page:\n" + "\n".join(problems)


def test_every_module_has_a_presenter_view_link() -> None:
    if not INDEX.exists():
        pytest.skip("no landing page yet")
    presenter = {
        _target(link)
        for link in landing_page_links()
        if not _is_external(link) and _query(link).get("template") == [PRESENTER_TEMPLATE]
    }
    assert presenter, f"no presenter-view link (?template={PRESENTER_TEMPLATE}) on the landing page"
    modules = [p for p in NOTEBOOKS if p.parent != COURSE]  # the landing page and the glossary are not modules
    missing = [p.relative_to(COURSE).as_posix() for p in modules if p.resolve() not in presenter]
    assert not missing, (
        f"modules without a presenter-view link (<notebook>?template={PRESENTER_TEMPLATE}, "
        "e.g. ([slides](part/NN_topic.ipynb?template=coop-reveal))) on course/index.ipynb: " + ", ".join(missing)
    )


def test_every_notebook_is_linked_from_the_landing_page() -> None:
    if not INDEX.exists():
        pytest.skip("no landing page yet")
    linked = {_target(link) for link in landing_page_links() if not _is_external(link) and not urlsplit(link).query}
    missing = [p.relative_to(COURSE).as_posix() for p in NOTEBOOKS if p != INDEX and p.resolve() not in linked]
    assert not missing, "notebooks not linked from course/index.ipynb: " + ", ".join(missing)


# --- slides for the presenter view ------------------------------------------------------------


def _slides_tool():
    return tool("slides")


SLIDES_HINT = "\nSet the slide metadata with: .venv/bin/python tools/slides.py (it changes only cell metadata)."


@pytest.mark.parametrize("path", NOTEBOOKS + TRANSLATED, ids=_ids(NOTEBOOKS + TRANSLATED))
def test_every_heading_starts_a_slide(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    problems = []
    for index, cell in enumerate(nb.cells):
        heading = cell.cell_type == "markdown" and re.match(r"\s*#{1,2}\s", cell.source)
        kind = cell.get("metadata", {}).get("slideshow", {}).get("slide_type")
        if heading and kind != "slide":
            title = cell.source.strip().splitlines()[0]
            problems.append(f"cell {index} {title!r} has slide_type {kind!r}: an H1/H2 heading starts a slide")
    assert not problems, "\n".join(problems) + SLIDES_HINT


@pytest.mark.parametrize("path", NOTEBOOKS + TRANSLATED, ids=_ids(NOTEBOOKS + TRANSLATED))
def test_slide_metadata_is_up_to_date(path: Path) -> None:
    problems = _slides_tool().problems(nbformat.read(path, as_version=4))
    assert not problems, "\n".join(problems) + SLIDES_HINT


SELF_CHECK_CELL = re.compile(
    r'from coopcourse\.exercises\.self_check import self_check\nself_check\("([a-z0-9_]+)", "([a-z0-9_]+)"\)'
)


def test_every_self_check_cell_has_the_one_form_and_names_an_existing_set() -> None:
    """A quiz's title and words come from its question set, so the cell holds only the two names."""
    from coopcourse import content

    found, problems = 0, []
    for path in NOTEBOOKS:
        for index, cell in enumerate(nbformat.read(path, as_version=4).cells):
            if cell.cell_type != "code" or "self_check" not in cell.source:
                continue
            found += 1
            where = f"{path.relative_to(COURSE).as_posix()} cell {index}"
            match = SELF_CHECK_CELL.fullmatch(cell.source.strip())
            if match is None:
                problems.append(f"{where}: not the form of docs/authoring.md: {cell.source!r}")
            elif match[2] not in content.load(f"questions/{match[1]}")["sets"]:
                problems.append(f"{where}: no set {match[2]!r} in questions/{match[1]}.yaml")
    assert found >= 15
    assert not problems, "\n".join(problems)


def test_every_template_file_is_installed_by_a_regular_install() -> None:
    """Binder and pip install the package for real, not editable: a template file missing from
    pyproject's data-files would be missing from the page there (an include fails to render)."""
    import tomllib

    root = Path(__file__).resolve().parent.parent
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    listed = {Path(f) for files in config["tool"]["setuptools"]["data-files"].values() for f in files}
    on_disk = {p.relative_to(root) for p in (root / "widgets" / "share").rglob("*") if p.is_file()}
    assert on_disk == listed
