"""Years: the one pattern of a year (1900-2099) and the contexts the extractors read it in."""
from __future__ import annotations

import re

YEAR = r"(?:19|20)\d\d"
# a year standing alone, not inside a longer number ("2030", not "12030" or "2030,5")
YEAR_IN_TEXT = re.compile(rf"(?<![\d.,])({YEAR})(?!\d|[.,]\d)")
# a year as a word of its own (the document's year)
YEAR_WORD = re.compile(rf"\b({YEAR})\b")
# a year inside a table header cell ("2023", "Budsjett 2024")
YEAR_IN_CELL = re.compile(rf"(?<!\d)({YEAR})(?!\d)")


def is_year(s: str) -> bool:
    """The whole string is a year ("2030")."""
    return re.fullmatch(YEAR, s) is not None


def years(text: str) -> list[int]:
    """The years standing alone in `text`, in order."""
    return [int(y) for y in YEAR_IN_TEXT.findall(text)]
