"""The glossary page: every term with its plain explanation and an example, one anchor per term
(``glossary.ipynb#patronage-refund``) so that every module can link the words it uses.

Static HTML (no widgets): the page costs the server one output, and reads on any phone.
"""

from __future__ import annotations

import html

from IPython.display import HTML

from coopcourse import content
from coopcourse.text import text

# Large, plain type for reading aloud; the term a module linked to is marked.
GLOSSARY_CSS = (
    ".coop-glossary dt{font-weight:700;font-size:1.2em;margin-top:1.1em}"
    ".coop-glossary dd{margin:0.2em 0 0 0;line-height:1.5;max-width:48em}"
    ".coop-glossary dd p{margin:0.2em 0}"
    ".coop-glossary dt:target{background:#fff3b0;outline:2px solid #8a6d00}"
)


def glossary_html() -> str:
    entries = "".join(
        f'<dt id="{term.id}" tabindex="-1">{html.escape(term.term)}</dt>'
        f"<dd><p>{html.escape(term.explanation)}</p>"
        f'<p class="coop-glossary-example"><strong>{html.escape(text("glossary.example"))}</strong> '
        f"{html.escape(term.example)}</p></dd>"
        for term in content.glossary()
    )
    return f'<style>{GLOSSARY_CSS}</style><dl class="coop-glossary">{entries}</dl>'


def glossary_page() -> HTML:
    """The glossary, for the notebook's one code cell."""
    return HTML(glossary_html())
