"""The print stylesheet (coop template, `@media print`): printing a module page gives the text and
the results, with no buttons, no input boxes and no empty widget boxes.

The same page is checked on screen first, so the check is shown to find buttons and inputs when
they are there. Chromium's print to PDF of the page lands in ``test-artifacts/print--*.pdf``."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from tests.browser.voila_app import ARTIFACTS

PAGE = Path("think_coop/02_collective_action.ipynb")

# What a printout must not show: visible buttons and input boxes, and widget boxes with nothing in them.
LEFTOVERS = """() => {
  const visible = e => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
  const all = sel => [...document.querySelectorAll(sel)].filter(visible);
  const empty = all('.jupyter-widgets, .widget-box, .widget-html, .jp-OutputArea-output').filter(e =>
    !e.innerText.trim() && !e.querySelector('img, svg, canvas, table'));
  return {
    buttons: all('button, .jupyter-button, .widget-button').length,
    inputs: all('input:not([type=hidden]), select, textarea').length,
    empty: empty.length,
    tables: all('.coop-results table').length,
  };
}"""


def test_a_printed_module_page_has_no_buttons_or_empty_boxes(open_app) -> None:
    app = open_app(PAGE)
    page = app.page
    on_screen = page.evaluate(LEFTOVERS)
    assert on_screen["buttons"] > 0 and on_screen["inputs"] > 0  # the check sees them when they show
    page.emulate_media(media="print")
    printed = page.evaluate(LEFTOVERS)
    assert printed["buttons"] == 0, printed
    assert printed["inputs"] == 0, printed
    assert printed["empty"] == 0, printed
    assert printed["tables"] >= 2, printed  # joint purchasing and shared equipment keep their results
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / "print--think_coop-02.pdf"
    page.pdf(path=str(target), format="A4", print_background=False)
    words = " ".join(p.extract_text() for p in PdfReader(str(target)).pages)
    for heading in ("Activity 2: Buying together", "Cost alone", "Cost together", "Yearly cost"):
        assert heading in " ".join(words.split()), heading
    page.emulate_media(media="screen")
