"""Write the participant handouts, the facilitator guide, the evaluation form and the certificate.

Everything comes from the notebooks under ``course/`` (read, never run), the question banks, the
exercises and their scenarios, ``content/<language>/facilitator.yaml`` and
``content/<language>/worksheets.yaml``; every word of the documents' own comes from
``locale/<language>/handouts.yaml``. Nothing is fetched from the network.

Each language whose notebooks are built (``course/<language>/``, see ``make translations``) gets
its own set, read from its notebooks and written in its words: English in the output folder,
another language in ``<output>/<language>/`` (the landing page of ``course/es/`` links there).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from coopcourse import content
from coopcourse.content import QuestionSet
from coopcourse.formatting import trimmed
from coopcourse.handouts.markdown import Block
from coopcourse.handouts.notebook import Exercise, Module, Section, SelfCheck, modules
from coopcourse.handouts.pdf import LINE, SMALL, WRITE_LINE, Document
from coopcourse.handouts.worksheets import Worksheet, worksheet
from coopcourse.text import DEFAULT_LANGUAGE, current_language, speaking, text, translated_languages

GUIDE = "facilitator-guide.pdf"
EVALUATION = "evaluation-form.pdf"
CERTIFICATE = "certificate.pdf"


def _worksheet(exercise: Exercise) -> Worksheet:
    return _worksheet_in(exercise, current_language())


@cache  # the guide and the handout show the same worksheets: the exercise is built once per language
def _worksheet_in(exercise: Exercise, language: str) -> Worksheet:
    return worksheet(exercise)


def _questions(check: SelfCheck) -> QuestionSet:
    return content.question_set(check.bank, check.set_id)


def facilitator_notes() -> dict[str, Any]:
    return content.load("facilitator")


def _clock(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def _letter(index: int) -> str:
    return chr(ord("A") + index)


# --- the participant handout ----------------------------------------------------------------
def handout(module: Module, paper: str = "a4") -> Document:
    doc = Document(module.title, paper)
    doc.add_page()
    doc.big_title(module.title)
    if module.total_minutes:
        doc.label(text("handouts.time", minutes=module.total_minutes))
    doc.blocks(module.intro)
    worksheets: list[tuple[Section, Worksheet]] = []
    for section in module.sections:
        if section.tagged("sources") and len(section.pieces) == len(section.tagged("sources")):
            continue  # the sources are in the facilitator guide
        if section.heading:
            doc.heading(section.heading, 2)
        for piece in section.pieces:
            if piece.tag == "sources":
                continue
            if piece.tag == "read-aloud":
                doc.boxed(text("handouts.read_aloud"), piece.blocks)
            elif piece.tag == "key-messages":
                doc.boxed(text("handouts.remember"), piece.blocks)
            elif piece.exercise is not None:
                sheet = _worksheet(piece.exercise)
                worksheets.append((section, sheet))
                doc.paragraph(text("handouts.use_worksheet", number=len(worksheets), title=sheet.title))
            elif piece.self_check is not None:
                _questions_to_answer(doc, _questions(piece.self_check))
            else:
                doc.blocks(piece.blocks, top_level=3)
    for number, (section, sheet) in enumerate(worksheets, 1):
        _worksheet_pages(doc, number, section, sheet)
    return doc


def _questions_to_answer(doc: Document, questions: QuestionSet) -> None:
    doc.label(questions.title)
    doc.paragraph(text("handouts.self_check_how"))
    for number, question in enumerate(questions.questions, 1):
        doc.keep(LINE * 5)
        doc.paragraph(f"**{number}.** {question.prompt}")
        if question.kind == "choice":
            doc.tick_boxes([choice.text for choice in question.choices], indent=6)
        else:
            doc.paragraph(text("handouts.your_answer", unit=question.unit), indent=6)
            doc.write_lines(1, indent=6)


def _worksheet_pages(doc: Document, number: int, section: Section, sheet: Worksheet) -> None:
    doc.add_page()
    doc.heading(text("handouts.worksheet_title", number=number, title=sheet.title), 2)
    if section.heading:
        doc.paragraph(text("handouts.for_activity", activity=section.heading))
    if sheet.formulas:
        doc.label(text("handouts.how_to_work_it_out"))
        doc.items(sheet.formulas, numbered=True)
    if sheet.has_example:
        doc.heading(text("handouts.worked_example", title=sheet.example_title or sheet.title), 3)
        if sheet.example_story:
            doc.paragraph(sheet.example_story)
        _inputs_table(doc, sheet, filled=True)
        if sheet.is_calculator:
            doc.label(text("handouts.work_out_results"))
            for result in sheet.results:
                doc.paragraph(result.caption)
                keep_first = bool(result.rows) and len(result.columns) > 1
                rows = [[row[0]] + [""] * (len(row) - 1) for row in result.rows] if keep_first else []
                doc.grid(result.columns, rows, row_height=WRITE_LINE)
    doc.heading(text("handouts.own_figures") if sheet.is_calculator else text("handouts.own_answers"), 3)
    _inputs_table(doc, sheet, filled=False)
    if sheet.is_calculator:
        doc.label(text("handouts.own_results"))
        for result in sheet.results:
            doc.paragraph(result.caption)
            doc.grid(result.columns, [], blank_rows=max(3, min(len(result.rows), 8)), row_height=WRITE_LINE)


def _inputs_table(doc: Document, sheet: Worksheet, filled: bool) -> None:
    """The worked example's inputs (``filled``), or the same inputs blank for the group's own."""
    single = [i for i in sheet.inputs if i.kind in ("number", "text", "choice") or (i.kind == "ticks" and filled)]
    if filled:
        single = [i for i in single if i.value]
    if single and (filled or sheet.is_calculator):
        doc.grid(
            [text("handouts.column_what"), text("handouts.column_example" if filled else "handouts.column_ours")],
            [[i.label, i.value if filled else ""] for i in single],
            widths=(65, 35),
            row_height=LINE if filled else WRITE_LINE,
        )
    for item in sheet.inputs:
        if item.kind == "rows":
            if filled and item.rows:
                doc.keep(LINE * 5)
                doc.paragraph(f"**{item.label}**")
                doc.grid(item.columns, item.rows)
            elif not filled:
                doc.keep(WRITE_LINE * 4)
                doc.paragraph(f"**{item.label}**")
                doc.grid(item.columns, [], blank_rows=max(4, min(len(item.rows), 10)), row_height=WRITE_LINE)
        elif filled:
            if item.kind == "long_text" and item.value:
                doc.paragraph(f"**{item.label}**: {item.value}")
        elif item.kind == "long_text":
            doc.label(item.label)
            doc.write_lines(3)
        elif not sheet.is_calculator and item.kind in ("choice", "ticks"):
            doc.label(item.label)
            doc.tick_boxes(item.options, indent=4, letters=False)
        elif not sheet.is_calculator and item.kind in ("number", "text"):
            doc.label(item.label)
            doc.write_lines(1)
        elif sheet.is_calculator and item.kind == "ticks":
            doc.label(item.label)
            doc.write_lines(1)


# --- the facilitator guide ------------------------------------------------------------------
def guide(all_modules: Sequence[Module], paper: str = "a4") -> Document:
    notes = facilitator_notes()
    doc = Document(text("handouts.guide_title"), paper)
    doc.add_page()
    doc.big_title(text("handouts.guide_title"))
    doc.paragraph(text("handouts.guide_intro"))
    doc.label(text("handouts.guide_contents"))
    doc.grid(
        [text("handouts.column_module"), text("handouts.column_minutes")],
        [[m.title, str(m.total_minutes)] for m in all_modules],
        widths=(80, 20),
    )
    _day_agenda(doc, all_modules)
    for module in all_modules:
        _module_guide(doc, module, notes["modules"].get(module.path, {}))
    doc.add_page()
    evaluation_form(doc)
    doc.add_page(orientation="landscape")
    certificate(doc)
    return doc


def _day_agenda(doc: Document, all_modules: Sequence[Module]) -> None:
    """The day's agenda as the participants see it: the notebook cell tagged ``agenda`` (Think.Coop
    session 1) is its only copy; tests/test_handouts.py checks its times against the sessions'
    ``coop.minutes``."""
    pieces = [piece for module in all_modules for piece in module.tagged("agenda")]
    if not pieces:
        return
    doc.add_page()
    doc.heading(text("handouts.agenda_title"), 1)
    doc.paragraph(text("handouts.agenda_intro"))
    for piece in pieces:
        doc.blocks(piece.blocks, top_level=3)


def _objectives(module: Module) -> list[Block]:
    tagged = module.tagged("objectives")
    if tagged:
        return [b for p in tagged for b in p.blocks]
    purposes = []  # notebooks without the tag: each activity's "**Purpose.** ..." line
    for section in module.sections:
        for piece in section.pieces:
            for block in piece.blocks:
                if block.kind == "paragraph" and block.text.startswith("**Purpose.**"):
                    purposes.append(block.text.removeprefix("**Purpose.**").strip())
    return [Block("bullets", items=purposes)] if purposes else []


def _module_guide(doc: Document, module: Module, notes: dict[str, Any]) -> None:
    doc.add_page()
    doc.big_title(module.title)
    doc.label(text("handouts.time", minutes=module.total_minutes))
    objectives = _objectives(module)
    if objectives:
        doc.heading(text("handouts.objectives"), 3)
        doc.blocks(objectives, top_level=3)
    timed = module.timed
    if timed:
        doc.heading(text("handouts.timing"), 3)
        clock, rows = 0, []
        for section in timed:
            minutes = section.minutes or 0
            rows.append([f"{_clock(clock)}–{_clock(clock + minutes)}", section.heading, str(minutes)])
            clock += minutes
        doc.grid(
            [text("handouts.column_time"), text("handouts.column_what"), text("handouts.column_minutes")],
            rows,
            widths=(20, 65, 15),
        )
    for key, words in (
        ("materials", "handouts.materials"),
        ("room", "handouts.room"),
        ("mistakes", "handouts.mistakes"),
    ):
        if notes.get(key):
            doc.heading(text(words), 3)
            doc.items(notes[key])
    activities = notes.get("activities", {})
    for section in module.sections:
        note = activities.get(section.activity, {}) if section.activity else {}
        if not (note or section.exercises or section.self_checks or section.minutes):
            continue
        doc.heading(f"{section.heading}", 2)
        for key, words in (
            ("notes", "handouts.notes"),
            ("listen_for", "handouts.listen_for"),
            ("mistakes", "handouts.mistakes"),
        ):
            if note.get(key):
                doc.label(text(words))
                doc.items(note[key])
        for exercise in section.exercises:
            _expected_results(doc, _worksheet(exercise))
        for check in section.self_checks:
            _answer_key(doc, _questions(check))
    for piece in module.tagged("key-messages"):
        doc.boxed(text("handouts.key_messages"), piece.blocks)
    for piece in module.tagged("sources"):
        doc.heading(text("handouts.sources"), 3)
        for block in piece.blocks:
            if block.kind == "paragraph":
                doc.paragraph(block.text, size=SMALL)
            elif block.kind in ("bullets", "numbered"):
                for item in block.items:
                    doc.paragraph(f"• {item}", size=SMALL)


def _expected_results(doc: Document, sheet: Worksheet) -> None:
    doc.label(text("handouts.expected_results", title=sheet.title))
    if not sheet.is_calculator:
        doc.paragraph(text("handouts.no_results"))
        return
    if sheet.example_title:
        doc.paragraph(text("handouts.example_named", title=sheet.example_title))
    if sheet.feedback:
        doc.paragraph(sheet.feedback)
    for result in sheet.results:
        doc.paragraph(f"**{result.caption}**")
        doc.grid(result.columns, result.rows)


def _answer_key(doc: Document, questions: QuestionSet) -> None:
    doc.label(text("handouts.answer_key", title=questions.title))
    for number, question in enumerate(questions.questions, 1):
        doc.keep(LINE * 4)
        doc.paragraph(f"**{number}.** {question.prompt}")
        if question.kind == "choice":
            right = [f"{_letter(i)}. {c.text}" for i, c in enumerate(question.choices) if c.correct]
            doc.paragraph(text("handouts.answer", answer="; ".join(right)), indent=6)
        else:
            assert question.answer is not None, question.id  # the schema requires a number question's answer
            answer = f"{trimmed(question.answer, 10)} {question.unit}".strip()
            if question.tolerance:
                answer = text("handouts.answer_within", answer=answer, tolerance=trimmed(question.tolerance, 10))
            doc.paragraph(text("handouts.answer", answer=answer), indent=6)
        doc.paragraph(text("handouts.why", explanation=question.explanation), indent=6)


# --- the evaluation form and the certificate ------------------------------------------------
def evaluation_form(doc: Document) -> None:
    doc.big_title(text("handouts.evaluation_title"))
    doc.paragraph(text("handouts.evaluation_intro"))
    doc.label(text("handouts.evaluation_course"))
    doc.write_lines(1)
    scale = [text(f"handouts.scale_{n}") for n in range(1, 6)]
    doc.grid(
        [text("handouts.column_statement"), *[str(n) for n in range(1, 6)]],
        [[text(f"handouts.rate_{n}"), "", "", "", "", ""] for n in range(1, 7)],
        widths=(50, 10, 10, 10, 10, 10),
        row_height=WRITE_LINE,
    )
    doc.paragraph(text("handouts.scale", words=", ".join(f"{n} = {w}" for n, w in enumerate(scale, 1))), size=SMALL)
    for n in range(1, 4):
        doc.label(text(f"handouts.open_{n}"))
        doc.write_lines(3)


def certificate(doc: Document) -> None:
    doc.ln(14)
    doc.set_font("DejaVu", "B", 30)
    doc.cell(0, 16, text("handouts.certificate_title"), align="C", new_x="LMARGIN", new_y="NEXT")
    doc.set_font("DejaVu", size=16)
    doc.ln(8)
    doc.cell(0, 10, text("handouts.certificate_certifies"), align="C", new_x="LMARGIN", new_y="NEXT")
    doc.ln(16)
    doc.line(doc.l_margin + 40, doc.get_y(), doc.w - doc.r_margin - 40, doc.get_y())
    doc.set_font("DejaVu", size=12)
    doc.cell(0, 8, text("handouts.certificate_name"), align="C", new_x="LMARGIN", new_y="NEXT")
    doc.set_font("DejaVu", size=16)
    doc.ln(6)
    doc.cell(0, 10, text("handouts.certificate_took_part"), align="C", new_x="LMARGIN", new_y="NEXT")
    doc.ln(14)
    doc.line(doc.l_margin + 40, doc.get_y(), doc.w - doc.r_margin - 40, doc.get_y())
    doc.set_font("DejaVu", size=12)
    doc.cell(0, 8, text("handouts.certificate_course"), align="C", new_x="LMARGIN", new_y="NEXT")
    doc.ln(16)
    third = doc.epw / 3
    y = doc.get_y()
    for index, key in enumerate(
        ("handouts.certificate_date", "handouts.certificate_place", "handouts.certificate_trainer")
    ):
        x = doc.l_margin + index * third
        doc.line(x + 8, y, x + third - 8, y)
        doc.set_xy(x, y + 1)
        doc.multi_cell(third, 6, text(key), align="C")  # a long label ("formateur ou formatrice") wraps
    doc.set_xy(doc.l_margin, y + 16)
    doc.set_font("DejaVu", size=SMALL)
    doc.multi_cell(0, 6, text("handouts.certificate_note"), align="C")
    doc.set_font("DejaVu", size=12)


def _single(title: str, paper: str, draw: Any, orientation: str = "portrait") -> Document:
    doc = Document(title, paper, orientation)
    doc.show_footer = orientation == "portrait"  # a certificate has no page number
    doc.add_page()
    draw(doc)
    return doc


# --- writing the files ----------------------------------------------------------------------
def handout_path(out: Path, module: Module) -> Path:
    return out / f"{module.path}.pdf"


def languages(course: Path) -> list[str]:
    """English and every language whose notebooks are built under ``course/<language>/``."""
    built = [code for code in sorted(translated_languages()) if any((course / code).glob("*/[0-9][0-9]_*.ipynb"))]
    return [DEFAULT_LANGUAGE, *built]


def language_folder(folder: Path, language: str) -> Path:
    """Where ``language``'s notebooks (under the course) or handouts (under the output) are."""
    return folder if language == DEFAULT_LANGUAGE else folder / language


def write_all(
    course: Path, out: Path, paper: str = "a4", only: Sequence[str] = (), language: str = DEFAULT_LANGUAGE
) -> list[Path]:
    """Write ``language``'s handouts of the modules whose path starts with one of ``only`` (all
    when empty), and the guide, the evaluation form and the certificate when nothing is chosen,
    into ``language_folder(out, language)``."""
    with speaking(language):
        return _write_all(language_folder(course, language), language_folder(out, language), paper, only)


def _write_all(course: Path, out: Path, paper: str, only: Sequence[str]) -> list[Path]:
    found = modules(course)
    chosen = [m for m in found if not only or any(m.path.startswith(prefix) for prefix in only)]
    written = []
    for module in chosen:
        target = handout_path(out, module)
        target.parent.mkdir(parents=True, exist_ok=True)
        handout(module, paper).output(str(target))
        written.append(target)
    if not only:
        out.mkdir(parents=True, exist_ok=True)
        documents = (
            (GUIDE, guide(found, paper)),
            (EVALUATION, _single(text("handouts.evaluation_title"), paper, evaluation_form)),
            (CERTIFICATE, _single(text("handouts.certificate_title"), paper, certificate, "landscape")),
        )
        for name, document in documents:
            document.output(str(out / name))
            written.append(out / name)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m coopcourse.handouts", description=__doc__)
    parser.add_argument("--course", type=Path, default=Path("course"), help="the course folder (default: course)")
    parser.add_argument("--out", type=Path, default=Path("handouts"), help="where to write (default: handouts)")
    parser.add_argument("--paper", choices=("a4", "letter"), default="a4")
    parser.add_argument(
        "--language",
        action="append",
        help="a language to build (en, es, ...; again for more); default: every language whose notebooks are built",
    )
    parser.add_argument("only", nargs="*", help="module paths to build, e.g. think_coop/02 (default: everything)")
    arguments = parser.parse_args(argv)
    available = languages(arguments.course)
    chosen = arguments.language or available
    missing = [code for code in chosen if code not in available]
    if missing:
        parser.error(f"no notebooks in {', '.join(missing)} (available: {', '.join(available)}; see make translations)")
    for language in chosen:
        for path in write_all(arguments.course, arguments.out, arguments.paper.lower(), arguments.only, language):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
