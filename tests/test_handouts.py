"""The printed kit (`make handouts`): handouts, worksheets and the facilitator guide, read back with
a PDF text extractor.

A fast subset is built here (two modules, and a guide of those two); `HANDOUTS_ALL=1` builds and
checks every module (the full set is also one command: `make handouts`)."""

from __future__ import annotations

import json
import os
import re
import socket
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from coopcourse import content
from coopcourse.handouts import build
from coopcourse.handouts.notebook import Module, modules, read
from coopcourse.handouts.pdf import Document
from coopcourse.handouts.worksheets import worksheet
from coopcourse.text import speaking, text

ROOT = Path(__file__).resolve().parent.parent
COURSE = ROOT / "course"
ALL = modules(COURSE)
SUBSET = ("think_coop/02_collective_action", "think_coop/04_what_is_a_cooperative")
CHOSEN = ALL if os.environ.get("HANDOUTS_ALL") else [m for m in ALL if m.path in SUBSET]
A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)


class NetworkUsed(AssertionError):
    pass


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Any attempt to open a connection while generating fails the test."""

    def refuse(*_args: Any, **_kwargs: Any) -> None:
        raise NetworkUsed("a handout tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    yield


def flat(words: str) -> str:
    """Text with every run of white space as one space (lines break anywhere in a PDF)."""
    return re.sub(r"\s+", " ", words.replace("**", "").replace("__", "")).strip()


FOOTER = re.compile(r"^.* · \w+ \d+ \w+ \d+$")  # "page 2 of 9", "página 2 de 9"


def pdf_text(path: Path) -> str:
    """The document's words, without the page footers (text runs on across a page break)."""
    lines = [
        line
        for page in PdfReader(str(path)).pages
        for line in page.extract_text().splitlines()
        if not FOOTER.match(line)
    ]
    return flat(" ".join(lines))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("handouts")
    with pytest.MonkeyPatch.context() as patch:  # the module fixture runs before the autouse one
        patch.setattr(socket.socket, "connect", lambda *a, **k: (_ for _ in ()).throw(NetworkUsed()))
        patch.setattr(socket, "getaddrinfo", lambda *a, **k: (_ for _ in ()).throw(NetworkUsed()))
        paths = {}
        for module in CHOSEN:
            paths[module.path] = build.handout_path(out, module)
            paths[module.path].parent.mkdir(parents=True, exist_ok=True)
            build.handout(module).output(str(paths[module.path]))
        paths["guide"] = out / build.GUIDE
        build.guide(CHOSEN).output(str(paths["guide"]))
    return paths


def test_the_network_guard_works() -> None:
    with pytest.raises(NetworkUsed):
        socket.create_connection(("127.0.0.1", 9))


@pytest.mark.parametrize("module", CHOSEN, ids=lambda m: m.path)
def test_a_handout_has_every_activity_question_and_worksheet(module: Module, built: dict[str, Path]) -> None:
    handout = pdf_text(built[module.path])
    for section in module.timed:
        assert flat(section.heading) in handout, section.heading
    for check in module.self_checks:
        for question in content.question_set(check.bank, check.set_id).questions:
            assert flat(question.prompt) in handout, question.id
            for choice in question.choices:
                assert flat(choice.text) in handout, f"{question.id} {choice.id}"
    for exercise in module.exercises:
        sheet = worksheet(exercise)
        assert flat(sheet.title) in handout
        packed = handout.replace(" ", "")  # a long word in a narrow column breaks across lines
        for result in sheet.results:  # the blank results table, by its headings
            for column in result.columns:
                assert column.replace(" ", "") in packed, f"{sheet.exercise_id}: column {column!r}"
        for formula in sheet.formulas:
            assert flat(formula) in handout


@pytest.mark.parametrize("module", CHOSEN, ids=lambda m: m.path)
def test_the_answer_key_is_only_in_the_guide(module: Module, built: dict[str, Path]) -> None:
    handout, guide = pdf_text(built[module.path]), pdf_text(built["guide"])
    checks = module.self_checks
    for check in checks:
        for question in content.question_set(check.bank, check.set_id).questions:
            assert flat(question.explanation) in guide, question.id
            assert flat(question.explanation) not in handout, question.id
            for choice in question.choices:
                assert flat(choice.feedback) not in handout
    assert "Answer:" not in handout and "Why:" not in handout
    if checks:
        assert "Answer:" in guide


def test_the_guide_shows_the_worked_examples_results_computed_by_the_course(built: dict[str, Path]) -> None:
    guide = pdf_text(built["guide"])
    # Six tuk-tuk drivers, 200 litres at 90 plus 600 for fetching: (200 x 90 + 600) / 200 = 93.00 a litre.
    assert "each unit costs 93.00" in flat(guide)
    for module in CHOSEN:
        for exercise in module.exercises:
            sheet = worksheet(exercise)
            for result in sheet.results:
                for row in result.rows:
                    for cell in row:
                        for word in cell.split():
                            assert word in guide, f"{sheet.exercise_id}: {cell!r}"


def test_pages_are_a4_and_within_limits(built: dict[str, Path]) -> None:
    for name, path in built.items():
        pages = PdfReader(str(path)).pages
        assert 1 <= len(pages) <= (25 if name != "guide" else 120), name
        for page in pages:
            assert (float(page.mediabox.width), float(page.mediabox.height)) in (A4, A4[::-1]) or (
                pytest.approx(float(page.mediabox.width), abs=0.1) in (A4[0], A4[1])
            ), name


def test_letter_paper(tmp_path: Path) -> None:
    module = CHOSEN[0]
    target = tmp_path / "letter.pdf"
    build.handout(module, paper="letter").output(str(target))
    page = PdfReader(str(target)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == LETTER


def font_sizes(path: Path) -> Counter[float]:
    sizes: Counter[float] = Counter()
    for page in PdfReader(str(path)).pages:

        def visit(words: str, _cm: Any, tm: Any, _font: Any, size: float) -> None:
            if words.strip():
                sizes[round(size * abs(tm[0]), 1)] += len(words.strip())

        page.extract_text(visitor_text=visit)
    return sizes


@pytest.mark.parametrize("module", CHOSEN, ids=lambda m: m.path)
def test_type_is_large(module: Module, built: dict[str, Path]) -> None:
    sizes = font_sizes(built[module.path])
    total = sum(sizes.values())
    large = sum(count for size, count in sizes.items() if size >= 12)
    assert large / total >= 0.85, sizes
    assert min(sizes) >= 10, sizes  # only the page footer is below 11 points


def test_every_activity_note_belongs_to_an_activity_of_its_module() -> None:
    notes = build.facilitator_notes()
    by_path = {m.path: m for m in ALL}
    for path, module_notes in notes["modules"].items():
        assert path in by_path, f"facilitator.yaml names {path}, which is not a module"
        activities = {s.activity for s in by_path[path].sections if s.activity}
        unknown = set(module_notes.get("activities", {})) - activities
        assert not unknown, f"{path}: notes for activities {sorted(unknown)}, the notebook has {sorted(activities)}"


def test_every_worksheet_formula_names_an_exercise_of_the_course() -> None:
    ids = {worksheet(e).exercise_id for m in ALL for e in m.exercises}
    assert set(content.load("worksheets")["worksheets"]) <= ids


def _cell(kind: str, source: str, tags: tuple[str, ...] = (), minutes: int | None = None) -> dict[str, Any]:
    metadata: dict[str, Any] = {"tags": list(tags)} if tags else {}
    if minutes is not None:
        metadata["coop"] = {"minutes": minutes}
    cell: dict[str, Any] = {"cell_type": kind, "metadata": metadata, "source": source}
    if kind == "code":
        cell.update(outputs=[], execution_count=None)
    return cell


KEY = ("key-messages",)


def test_a_notebook_with_the_new_tags_prints_by_them(tmp_path: Path) -> None:
    """The structure of the content conventions (issue 11): tagged cells and coop.minutes."""
    cells = [
        _cell("markdown", "# Think.Coop session 9: Testing\n\nA short intro.", minutes=40),
        _cell(
            "markdown", "## What you will be able to do\n\n- Work out the saving of buying together", ("objectives",)
        ),
        _cell("markdown", "## Activity 1: Buy together\n\nSteps here.", minutes=30),
        _cell("markdown", "A text to read aloud about the fertiliser.", tags=("read-aloud",)),
        _cell("code", "from coopcourse.exercises import think_coop\nthink_coop.joint_purchasing()"),
        _cell("markdown", "## Check your understanding (10 minutes)", minutes=10),
        _cell("code", 'from coopcourse.exercises.self_check import self_check\nself_check("think_coop", "values")'),
        _cell(
            "markdown", "## Key messages\n\n- Buying together pays when orders are added up first", ("key-messages",)
        ),
        _cell("markdown", "[Next session](10_next.ipynb)", ("next-module",)),
        _cell("markdown", "## Sources\n\n- A made-up source, example.org, 2026", ("sources",)),
    ]
    course = tmp_path / "course"
    (course / "think_coop").mkdir(parents=True)
    path = course / "think_coop" / "09_testing.ipynb"
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}), "utf-8")
    module = read(path, course)
    assert module.total_minutes == 40 and [s.minutes for s in module.timed] == [30, 10]
    build.handout(module).output(str(tmp_path / "h.pdf"))
    build.guide([module]).output(str(tmp_path / "g.pdf"))
    handout, guide = pdf_text(tmp_path / "h.pdf"), pdf_text(tmp_path / "g.pdf")
    assert "Read aloud A text to read aloud about the fertiliser." in handout
    assert "Remember • Buying together pays when orders are added up first" in handout
    assert "example.org" not in handout and "example.org" in guide  # sources: guide only
    assert "Work out the saving of buying together" in guide  # objectives from the tagged cell
    assert "0:00–0:30 Activity 1: Buy together 30" in guide  # timing from coop.minutes
    assert "Worksheet 1: Joint purchasing" in handout


def test_every_activity_of_every_module_has_facilitator_notes() -> None:
    notes = {path: n.get("activities", {}) for path, n in build.facilitator_notes()["modules"].items()}
    missing = [
        f"{module.path} activity {section.activity}"
        for module in ALL
        for section in module.sections
        if section.activity and not {"notes", "listen_for"} & set(notes.get(module.path, {}).get(section.activity, {}))
    ]
    assert not missing, "activities without notes or listen_for in facilitator.yaml: " + ", ".join(missing)


def _words(value: Any) -> str:
    """Every string in a loaded YAML document, joined."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return " ".join(_words(v) for v in value.values())
    if isinstance(value, list):
        return " ".join(_words(v) for v in value)
    return str(value)


def _module_text(module: Module) -> str:
    """What a facilitator of the module has in front of them: the notebook, its self-check
    questions and the content of its exercises (scenarios, stories, checklists)."""
    notebook = json.loads((COURSE / f"{module.path}.ipynb").read_text("utf-8"))
    parts = ["".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in notebook["cells"]]
    parts += [_words(content.load(f"questions/{c.bank}")["sets"][c.set_id]) for c in module.self_checks]
    exercises = {worksheet(e).exercise_id.split(".", 1)[1] for e in module.exercises}
    for name in content.content_files():
        document = content.load(name)
        if name.rsplit("/", 1)[-1] in exercises or document.get("exercise") in exercises:
            parts.append(_words(document))
    return "\n".join(parts)


# A capitalised word that does not start a sentence, a quotation or a list: a name (Dara, UCIRI).
NAME = re.compile(r"(?<![.!?:;'\"(]\s)(?<![.!?:;'\"(])(?<!^)\b([A-Z][\w.-]*[A-Za-z])")


# A figure: 93, 100.45, 6,000.
FIGURE = re.compile(r"(?<![\w.,])\d+(?:,\d{3})*(?:\.\d+)?(?!\w)")


def test_names_and_figures_in_the_facilitator_notes_are_the_modules_own() -> None:
    """A note that quotes a person, a cooperative, a place or a figure quotes one the module uses:
    notes written for an older example (a buyer called Esi, other prices) fail here."""
    notes = build.facilitator_notes()["modules"]
    by_path = {m.path: m for m in ALL}
    stale = []
    for path, module_notes in notes.items():
        known = _module_text(by_path[path])
        lines = [*module_notes.get("materials", []), *module_notes.get("room", []), *module_notes.get("mistakes", [])]
        for note in module_notes.get("activities", {}).values():
            lines += [line for kind in note.values() for line in kind]
        for line in lines:
            for name in NAME.findall(line.strip()):
                if not re.search(rf"(?<![\w]){re.escape(name)}(?![\w])", known):
                    stale.append(f"{path}: {name!r} in {line!r}")
            for figure in FIGURE.findall(line):
                if not re.search(rf"(?<![\d,.]){re.escape(figure)}(?!\d|[.,]\d)", known):
                    stale.append(f"{path}: {figure!r} in {line!r}")
    assert not stale, "names or figures the module does not use:\n" + "\n".join(stale)


AGENDA_ROW = re.compile(r"^\|\s*(\d{1,2}):(\d{2})\s*[–-]\s*(\d{1,2}):(\d{2})\s*\|(.*)\|\s*(\d+)\s*\|\s*$")


def test_the_day_agenda_has_one_copy_that_agrees_with_the_sessions_minutes(tmp_path: Path) -> None:
    """The day's agenda is the Think.Coop session 1 cell tagged `agenda`, and nowhere else: the
    guide prints that cell. Its times add up, and each session takes its notebook's coop.minutes."""
    assert "day_agenda" not in build.facilitator_notes()
    sessions = [m for m in ALL if m.part == "think_coop"]
    assert len([piece for module in ALL for piece in module.tagged("agenda")]) == 1, "one agenda cell in the course"
    cell = next(
        "".join(c["source"])
        for c in json.loads((COURSE / f"{sessions[0].path}.ipynb").read_text("utf-8"))["cells"]
        if "agenda" in c.get("metadata", {}).get("tags", [])
    )
    rows = [found.groups() for line in cell.splitlines() if (found := AGENDA_ROW.match(line.strip()))]
    assert rows, "the agenda cell has a table of | start – end | what | minutes |"
    clock, seen = None, []
    for start_h, start_m, end_h, end_m, what, minutes in rows:
        start, end = int(start_h) * 60 + int(start_m), int(end_h) * 60 + int(end_m)
        assert clock is None or start == clock, f"{what.strip()} does not start when the row before ends"
        assert end - start == int(minutes), f"{what.strip()}: {end - start} minutes, not {minutes}"
        clock = end
        number = re.search(r"Session (\d+):", what)
        if number:
            module = sessions[int(number.group(1)) - 1]
            seen.append(module.path)
            assert int(minutes) == module.total_minutes, f"{module.path} takes {module.total_minutes} minutes"
    assert seen == [m.path for m in sessions], "the agenda has every Think.Coop session, in order"
    target = tmp_path / "guide.pdf"
    build.guide(sessions[:1]).output(str(target))
    guide = pdf_text(target)
    for start_h, start_m, end_h, end_m, _what, _minutes in rows:
        assert f"{start_h}:{start_m} – {end_h}:{end_m}" in guide
    assert guide.count("Lunch") == flat(cell).count("Lunch"), "the guide prints the notebook's agenda, no other"


TRANSLATED = [code for code in build.languages(COURSE) if code != "en"]


@pytest.mark.parametrize("language", TRANSLATED)
def test_a_translated_handout_comes_from_its_notebook_in_its_words(language: str, tmp_path: Path) -> None:
    """`make handouts` builds each built language's set into handouts/<language>/: the module's
    translated notebook, its worksheets and the documents' own words, in that language."""
    path = "think_coop/02_collective_action"
    assert build.main(["--course", str(COURSE), "--out", str(tmp_path), "--language", language, path]) == 0
    assert not (tmp_path / f"{path}.pdf").exists(), "only the language asked for is built"
    handout = pdf_text(tmp_path / language / f"{path}.pdf")
    english = next(m for m in ALL if m.path == path)
    with speaking(language):
        module = next(m for m in modules(COURSE / language) if m.path == path)
        sheets = [worksheet(exercise) for exercise in module.exercises]
        own_words = [text("handouts.read_aloud"), text("handouts.how_to_work_it_out")]
    assert flat(module.title) in handout and flat(english.title) not in handout
    assert [s.activity for s in module.sections if s.activity] == [s.activity for s in english.sections if s.activity]
    for section in module.timed:
        assert flat(section.heading) in handout, section.heading
    assert sheets and len(sheets) == len(english.exercises)
    for sheet, english_exercise in zip(sheets, english.exercises, strict=True):
        assert flat(sheet.title) in handout and flat(worksheet(english_exercise).title) not in handout
        for formula in sheet.formulas:
            assert flat(formula) in handout
    for words in own_words:
        assert flat(words) in handout


def test_an_unbuilt_language_is_refused_in_plain_words(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with pytest.raises(SystemExit):
        build.main(["--course", str(COURSE), "--out", str(tmp_path), "--language", "xx"])
    assert "no notebooks in xx" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


def test_a_long_word_in_a_narrow_column_is_not_broken(tmp_path: Path) -> None:
    """Seven columns of a Spanish results table: each heading word stays whole; the columns
    whose words are longest take the room from the others."""
    header = ["Socio", "Uso (horas)", "Parte del uso", "Costo anual, compartido", "Costo por hora, compartida"]
    header += ["Costo por hora, solo", "Ahorro por año"]
    doc = Document("t", "a4")
    doc.add_page()
    doc.grid(header, [["Rosa", "", "", "", "", "", ""]])
    doc.output(str(tmp_path / "t.pdf"))
    words = {word.strip(",()") for word in PdfReader(str(tmp_path / "t.pdf")).pages[0].extract_text().split()}
    assert {"compartido", "compartida", "Ahorro"} <= words, words
