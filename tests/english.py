"""A small stop-word check: text meant to be Spanish or French with a sentence left in English."""

from __future__ import annotations

import re

# Words that in Spanish or French text only come from a sentence left in English.
ENGLISH_WORDS = re.compile(
    r"\b(the|and|with|your|you|this|that|which|have|will|what|they|their|when|each|must|should|would|there|been)\b",
    re.IGNORECASE,
)


def english_lines(text: str) -> list[str]:
    """Lines that read as English: four or more common English words (a cited English title has
    fewer: "Cooperatives and the Free Rider Problem")."""
    return [line for line in text.splitlines() if len(ENGLISH_WORDS.findall(line)) >= 4]
