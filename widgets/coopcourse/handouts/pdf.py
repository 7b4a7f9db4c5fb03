"""Page layout for the handouts with fpdf2: large black-and-white type on A4 or US Letter.

fpdf2 is pure Python (with fontTools, Pillow and defusedxml, all wheels on PyPI): no browser, no
LaTeX and no system library. The font is DejaVu Sans, which matplotlib (already a dependency of
the course) installs with itself: it covers the letters of Spanish, French and most Latin, Greek
and Cyrillic scripts, and is embedded in each PDF, so a file prints the same on any computer.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import TableBordersLayout, XPos, YPos
from fpdf.fonts import FontFace

from coopcourse.handouts.markdown import Block
from coopcourse.text import text

FONT = "DejaVu"
BODY = 12  # points: the smallest type of running text
SMALL = 11  # points: only wide tables and page footers
LINE = 6.4  # mm between lines of body text
WRITE_LINE = 9.0  # mm between ruled lines to write on
PAPERS = {"a4": "A4", "letter": "Letter"}


def font_folder() -> Path:
    return Path(str(resources.files("matplotlib") / "mpl-data" / "fonts" / "ttf"))


class Document(FPDF):
    """One printed document: a running title in the footer with the page number."""

    def __init__(self, title: str, paper: str = "a4", orientation: str = "portrait") -> None:
        super().__init__(orientation=orientation, unit="mm", format=PAPERS[paper])
        self.running_title = title
        self.show_footer = True
        folder = font_folder()
        for style, name in (
            ("", "DejaVuSans"),
            ("B", "DejaVuSans-Bold"),
            ("I", "DejaVuSans-Oblique"),
            ("BI", "DejaVuSans-BoldOblique"),
        ):
            self.add_font(FONT, style, str(folder / f"{name}.ttf"))
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=18)
        self.set_title(title)
        self.set_creator("coopcourse")
        self.set_font(FONT, size=BODY)
        self.set_text_color(0)
        self.set_draw_color(0)
        self.alias_nb_pages()

    def footer(self) -> None:
        if not self.show_footer:
            return
        self.set_y(-13)
        self.set_font(FONT, size=SMALL - 1)
        words = text("handouts.page", title=self.running_title, page=self.page_no(), pages="{nb}")
        self.cell(0, 5, words, align="C")
        self.set_font(FONT, size=BODY)

    # --- space ------------------------------------------------------------------------------
    def room_left(self) -> float:
        return self.page_break_trigger - self.get_y()

    def keep(self, height: float) -> None:
        """Start a new page unless ``height`` mm still fit on this one."""
        if self.room_left() < height:
            self.add_page()

    def gap(self, height: float = 3.0) -> None:
        if self.get_y() > self.t_margin + 1:
            self.ln(height)

    # --- text -------------------------------------------------------------------------------
    def big_title(self, words: str) -> None:
        self.set_font(FONT, "B", 20)
        self.multi_cell(0, 9, words, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, size=BODY)
        self.ln(2)

    def heading(self, words: str, level: int = 2) -> None:
        size = {1: 20, 2: 16, 3: 14}.get(level, 13)
        self.keep(size * 0.5 + 3 * LINE)  # never a heading alone at the foot of a page
        self.gap(4 if level <= 2 else 2)
        self.set_font(FONT, "B", size)
        self.multi_cell(0, size * 0.45, words, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, size=BODY)
        self.ln(1.5)

    def label(self, words: str) -> None:
        """A short bold line before a box or a list (``Read aloud``, ``Your answer``)."""
        self.keep(3 * LINE)
        self.set_font(FONT, "B", BODY)
        self.multi_cell(0, LINE, words, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, size=BODY)

    def paragraph(self, words: str, size: float = BODY, indent: float = 0.0) -> None:
        self.set_font(FONT, size=size)
        self.set_x(self.l_margin + indent)
        self.multi_cell(
            self.epw - indent, LINE * size / BODY, words, markdown=True, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        self.set_font(FONT, size=BODY)
        self.ln(1.5)

    def items(self, items: Sequence[str], numbered: bool = False, start: int = 1, indent: float = 0.0) -> None:
        for number, words in enumerate(items, start):
            marker = f"{number}." if numbered else "•"
            self.set_x(self.l_margin + indent)
            self.cell(8, LINE, marker)
            self.multi_cell(
                self.epw - indent - 8, LINE, words, markdown=True, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
            self.ln(0.8)
        self.ln(1)

    def blocks(self, found: Sequence[Block], indent: float = 0.0, top_level: int = 2) -> None:
        for block in found:
            if block.kind == "heading":
                self.heading(block.text, max(block.level, top_level))
            elif block.kind == "paragraph":
                self.paragraph(block.text, indent=indent)
            elif block.kind in ("bullets", "numbered"):
                self.items(block.items, block.kind == "numbered", block.start, indent)
            elif block.kind == "table" and block.rows:
                self.grid(block.rows[0], block.rows[1:])

    def boxed(self, heading: str, found: Sequence[Block]) -> None:
        """Text inside a frame with a bold label on top (``Read aloud``, ``Key messages``): a rule
        on the left marks where it starts and ends, also across a page break."""
        self.keep(4 * LINE)
        self.gap(1)
        top, page = self.get_y(), self.page_no()
        self.label(heading)
        self.blocks(found, indent=5, top_level=3)
        bottom = self.get_y() - 1
        if self.page_no() == page:
            self.set_line_width(1.0)
            self.line(self.l_margin + 1, top, self.l_margin + 1, bottom)
            self.set_line_width(0.2)
        self.ln(2)

    # --- tables and space to write ----------------------------------------------------------
    def grid(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        blank_rows: int = 0,
        widths: Sequence[float] | None = None,
        row_height: float | None = None,
    ) -> None:
        """A bordered table; ``blank_rows`` empty rows to fill by hand follow the given ones."""
        columns = max(len(header), 1)
        size = BODY if columns <= 4 else SMALL
        widths = widths or self._widths_for_words(header, rows, columns, size)
        self.set_font(FONT, size=size)
        height = row_height or LINE
        self.keep(height * (2 + min(len(rows) + blank_rows, 3)))
        with self.table(
            col_widths=tuple(widths) if widths else None,
            line_height=height,
            text_align="LEFT",
            borders_layout=TableBordersLayout.ALL,
            headings_style=FontFace(emphasis="BOLD"),
            first_row_as_headings=True,
            width=self.epw,
            padding=1.2,
            repeat_headings=1,
        ) as table:
            head = table.row()
            for words in header:
                head.cell(words)
            for values in rows:
                row = table.row()
                for index in range(columns):
                    row.cell(values[index] if index < len(values) else "")
            for _ in range(blank_rows):
                row = table.row()
                for _index in range(columns):
                    row.cell(" ")
        self.set_font(FONT, size=BODY)
        self.ln(3)

    def _widths_for_words(
        self, header: Sequence[str], rows: Sequence[Sequence[str]], columns: int, size: float
    ) -> tuple[float, ...] | None:
        """Equal columns, except that a column whose longest word would not fit ("compartido"
        in a narrow Spanish heading) takes the room from the others; None (equal) if that is
        not enough for every column."""

        def longest(words: Sequence[str], style: str) -> float:
            self.set_font(FONT, style, size=size)
            return max((self.get_string_width(word) for cell in words for word in str(cell).split()), default=0.0)

        margin = 2 * 1.2 + 1.0  # the cell padding both sides, and a little air
        needed = [
            max(
                longest(header[index : index + 1], "B"),
                longest([row[index] for row in rows if index < len(row)], ""),
            )
            + margin
            for index in range(columns)
        ]
        equal = self.epw / columns
        if all(need <= equal for need in needed) or sum(needed) > self.epw:
            return None
        short = sum(need - equal for need in needed if need > equal)
        slack = sum(equal - need for need in needed if need < equal)
        return tuple(need if need >= equal else equal - (equal - need) * short / slack for need in needed)

    def write_lines(self, count: int, indent: float = 0.0) -> None:
        """``count`` ruled lines to write on."""
        self.keep(WRITE_LINE * min(count, 3) + 2)
        for _ in range(count):
            self.keep(WRITE_LINE + 1)
            self.ln(WRITE_LINE)
            self.line(self.l_margin + indent, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(3)

    def tick_boxes(self, options: Sequence[str], indent: float = 0.0, letters: bool = True) -> None:
        """One empty square per option, to tick by hand."""
        for number, words in enumerate(options):
            self.keep(LINE * 2)
            self.set_x(self.l_margin + indent)
            y = self.get_y()
            self.rect(self.get_x(), y + 1, 4.5, 4.5)
            self.set_x(self.l_margin + indent + 7)
            prefix = f"{chr(ord('A') + number)}. " if letters else ""
            self.multi_cell(
                self.epw - indent - 7,
                LINE,
                prefix + words,
                markdown=True,
                align="L",
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )
            self.ln(1.2)
        self.ln(1)
