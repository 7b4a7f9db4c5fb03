"""Text typed to break a page: the one list every test uses to check that what a learner types
stays text (escaped in HTML, kept as typed in Markdown and Word, refused where a number is due).

``IMAGE`` and ``SCRIPT`` are the two single payloads the widget tests type into names and fields;
``TEXTS`` adds Markdown and HTML syntax, other scripts and a very long text for the documents.
"""

from __future__ import annotations

IMAGE = '<img src=x onerror="alert(1)">'  # runs script if shown as HTML; the quotes test attribute escaping
SCRIPT = "<script>alert(1)</script>"
MARKDOWN = "# heading **bold** $\\frac{$"  # Markdown and an unfinished TeX formula

TEXTS = (
    SCRIPT,
    "**bold** and _italic_ and `code`",
    "# heading",
    "## second heading\n---",
    "1. not a list",
    "- not a bullet\n+ nor this\n* nor this",
    "> not a quote",
    "[a link](javascript:alert(1)) ![img](x.png)",
    "| not | a | table |",
    "&amp; &lt;b&gt; \\ backslash",
    "~~struck~~ $x^2$ ===",
    "    four spaces of code",
    "```\nfenced\n```",
    IMAGE,
    "Кооператив пчеловодов · 蜂蜜合作社 · تعاونية العسل · मधुमक्खी सहकारी",
    "word " * 2_000,
)
