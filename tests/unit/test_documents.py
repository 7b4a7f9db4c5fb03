"""Documents (the business plan and the minutes): Markdown and Word output, checked by opening them.

The Markdown is rendered with a CommonMark parser (mistune, which Voila's nbconvert brings) and the
Word file is opened with python-docx, so the tests see what a reader sees."""

from __future__ import annotations

import io
from html.parser import HTMLParser

import pytest
from docx import Document as WordDocument
from hypothesis import given
from hypothesis import strategies as st

from coopcourse import documents
from coopcourse.calculations import cash_flow as cf
from coopcourse.calculations import feasibility as fz
from tests.hostile import TEXTS as HOSTILE

mistune = pytest.importorskip("mistune")


class Rendered(HTMLParser):
    """The elements of rendered HTML, in order, each with its text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[list] = []
        self.stack: list[list] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "br":
            for element in self.stack:
                element[1] += "\n"
            return
        element = [tag, ""]
        self.elements.append(element)
        self.stack.append(element)

    def handle_endtag(self, tag) -> None:
        if tag == "br":
            return
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data) -> None:
        for element in self.stack:
            element[1] += data

    def tags(self) -> list[str]:
        return [tag for tag, _ in self.elements]

    def texts(self, tag: str) -> list[str]:
        return [one_line(text) for t, text in self.elements if t == tag]


def render(markdown: str) -> Rendered:
    return Rendered(mistune.html(markdown))


def word(data: bytes):
    return WordDocument(io.BytesIO(data))


def one_line(value: str) -> str:
    return " ".join(line.strip() for line in value.splitlines() if line.strip())


def plan() -> documents.Document:
    """A business plan built like the course builds it: figures from the calculations."""
    inputs = fz.FeasibilityInputs(
        price=9,
        variable_cost=5.5,
        fixed_costs=14_000,
        expected_volume=6_000,
        market_size=40_000,
        investment=30_000,
        loans=12_000,
        grants=6_000,
        members=15,
    )
    result = fz.analyse(inputs)
    flow = cf.project(
        cf.CashFlowInputs(
            opening_cash=3_000,
            full_monthly_volume=500,
            ramp_up_months=3,
            price=9,
            variable_cost=5.5,
            monthly_fixed_costs=14_000 / 12,
            monthly_loan_repayment=0,
        )
    )
    figures = documents.Table(
        ("Figure", "Value"),
        (
            ("Contribution per unit", f"{result.contribution_per_unit:,.2f}"),
            ("Break-even volume", f"{result.break_even_volume:,}"),
            ("Capital members must raise", f"{result.capital_to_raise:,.2f}"),
        ),
    )
    cash = documents.Table(
        ("Month", "Cash at month end"), tuple((str(r.month), f"{r.closing_cash:,.2f}") for r in flow.months)
    )
    return documents.Document(
        title="Business plan: Honey jars",
        subtitle="Prepared by Riverside group",
        sections=(
            documents.Section("Business idea and core group", ("Business idea: Honey jars",), ("Ana", "Ben", "Chloé")),
            documents.Section(
                "Feasibility", ("Go: the figures support the idea.",), ("Sales are 33% above break-even.",), figures
            ),
            documents.Section("Risks", ("Drought.", "A buyer leaves.")),
            documents.Section("Cash flow, first 12 months", table=cash),
        ),
    )


def test_business_plan_in_word_has_the_headings_members_figures_and_cash_flow() -> None:
    document = word(documents.to_docx(plan()))
    styled = [(p.style.name, p.text) for p in document.paragraphs]
    assert styled[0] == ("Title", "Business plan: Honey jars")
    assert [text for style, text in styled if style == "Heading 1"] == [
        "Business idea and core group",
        "Feasibility",
        "Risks",
        "Cash flow, first 12 months",
    ]
    assert [text for style, text in styled if style == "List Bullet"] == [
        "Ana",
        "Ben",
        "Chloé",
        "Sales are 33% above break-even.",
    ]
    assert ("Normal", "Drought.") in styled and ("Normal", "A buyer leaves.") in styled
    assert document.paragraphs[1].runs[0].italic and document.paragraphs[1].text == "Prepared by Riverside group"
    figures, cash = document.tables
    assert [[c.text for c in row.cells] for row in figures.rows] == [
        ["Figure", "Value"],
        ["Contribution per unit", "3.50"],
        ["Break-even volume", "4,000"],
        ["Capital members must raise", "12,000.00"],
    ]
    rows = [[c.text for c in row.cells] for row in cash.rows]
    assert len(rows) == 13 and rows[0] == ["Month", "Cash at month end"]
    # Month 1: 500 x 1/4 = 125 jars x 3.50 = 437.50 - 1,166.67 fixed = -729.17 from 3,000 = 2,270.83
    assert rows[1] == ["1", "2,270.83"]
    assert [r[0] for r in rows[1:]] == [str(m) for m in range(1, 13)]


def test_business_plan_in_markdown_has_the_same_content() -> None:
    markdown = documents.to_markdown(plan())
    page = render(markdown)
    assert page.texts("h1") == ["Business plan: Honey jars"]
    assert page.texts("h2") == ["Business idea and core group", "Feasibility", "Risks", "Cash flow, first 12 months"]
    assert page.texts("em") == ["Prepared by Riverside group"]
    assert page.texts("li") == ["Ana", "Ben", "Chloé", "Sales are 33% above break-even."]
    assert page.tags().count("table") == 2
    cells = page.texts("td")
    assert ["Break-even volume", "4,000"] == cells[2:4]
    assert "2,270.83" in cells and "12,000.00" in cells
    assert page.tags().count("tr") == 4 + 13


@pytest.mark.parametrize("hostile", HOSTILE, ids=lambda v: v[:20])
def test_hostile_text_is_carried_as_text_in_markdown(hostile) -> None:
    document = documents.Document(
        title=hostile,
        subtitle=hostile,
        sections=(
            documents.Section(
                hostile,
                (hostile, "After."),
                (hostile, "Second bullet"),
                documents.Table((hostile, "B"), ((hostile, "x"), ("y", hostile))),
            ),
            documents.Section("Next section", ("Plain.",)),
        ),
    )
    page = render(documents.to_markdown(document))
    # The structure is exactly the document's: one title, two section headings, one paragraph of
    # subtitle + two paragraphs + one of the next section, two bullets, one table of 3 rows.
    assert page.tags().count("h1") == 1 and page.tags().count("h2") == 2
    assert not {
        "h3",
        "h4",
        "h5",
        "h6",
        "script",
        "img",
        "a",
        "strong",
        "code",
        "pre",
        "ol",
        "blockquote",
        "del",
        "hr",
    } & set(page.tags())
    assert page.tags().count("li") == 2 and page.tags().count("table") == 1
    assert page.tags().count("tr") == 3 and page.tags().count("td") == 4
    assert page.tags().count("em") == 1  # the subtitle's, nothing from the learner's underscores
    # Every text reads back as typed (line breaks within a heading or a cell become spaces).
    expected = one_line(hostile)
    assert page.texts("h1") == [expected]
    assert page.texts("h2") == [expected, "Next section"]
    assert page.texts("em") == [expected]
    assert page.texts("li") == [expected, "Second bullet"]
    assert page.texts("th") == [expected, "B"]
    assert page.texts("td") == [expected, "x", "y", expected]
    assert page.texts("p")[1:] == [expected, "After.", "Plain."]


@pytest.mark.parametrize("hostile", (*HOSTILE, "tab\tand vertical\x0btab\x00nul\x1bescape�"), ids=lambda v: v[:20])
def test_hostile_text_is_carried_as_text_in_word(hostile) -> None:
    document = documents.Document(
        title=hostile,
        subtitle=hostile,
        sections=(
            documents.Section(hostile, (hostile,), (hostile,), documents.Table((hostile, "B"), ((hostile, "x"),))),
        ),
    )
    opened = word(documents.to_docx(document))
    kept = hostile.replace("\x0b", "\n").replace("\x00", "").replace("\x1b", "").replace("\ud800", "")
    styled = [(p.style.name, p.text) for p in opened.paragraphs]
    assert styled == [("Title", kept), ("Normal", kept), ("Heading 1", kept), ("Normal", kept), ("List Bullet", kept)]
    assert [[c.text for c in row.cells] for row in opened.tables[0].rows] == [[kept, "B"], [kept, "x"]]


def test_markdown_of_control_characters_can_be_written_as_utf8() -> None:
    markdown = documents.to_markdown(documents.Document("a\x00b\ud800c\x0bd"))
    assert markdown.encode("utf-8").startswith(b"# abc d")


def test_negative_amounts_in_tables_stay_readable() -> None:
    markdown = documents.to_markdown(
        documents.Document("T", sections=(documents.Section("S", table=documents.Table(("A",), (("-190.00",),))),))
    )
    assert "| -190.00 |" in markdown
    assert render(markdown).texts("td") == ["-190.00"]


def test_a_document_with_nothing_but_a_title() -> None:
    assert documents.to_markdown(documents.Document("Only")).strip() == "# Only"
    assert [p.text for p in word(documents.to_docx(documents.Document("Only"))).paragraphs] == ["Only"]


printable = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=60
).filter(lambda s: s.strip())


@given(texts=st.lists(printable, min_size=3, max_size=3))
def test_any_text_keeps_the_structure_of_the_markdown(texts) -> None:
    heading, paragraph, bullet = texts
    document = documents.Document(
        "Plan",
        sections=(
            documents.Section(heading, (paragraph,), (bullet,), documents.Table(("A", "B"), ((paragraph, bullet),))),
        ),
    )
    page = render(documents.to_markdown(document))
    tags = page.tags()
    assert tags.count("h1") == 1 and tags.count("h2") == 1 and tags.count("li") == 1 and tags.count("td") == 2
    assert not {"script", "img", "a", "strong", "em", "code", "ol", "h3", "blockquote"} & set(tags)
    words = lambda value: value.split()  # noqa: E731 - spacing aside, the same words in the same order
    assert [words(t) for t in page.texts("h2")] == [words(heading)]
    assert [words(t) for t in page.texts("td")] == [words(paragraph), words(bullet)]
    assert [words(t) for t in page.texts("li")] == [words(bullet)]
