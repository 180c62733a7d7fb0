"""Sentences in plain text, where a Doc's sentence boundaries do not serve. Everything else
reads spaCy's (`span.sent`: the sentencizer or the model's parser).

Two rules, kept apart because each extractor's rows depend on its own (merging them would
change what is extracted):
- `sentence_starts`: where the money grammar's sentences start (a stated currency makes a bare
  magnitude in the same sentence money): after . ! ? before an upper-case letter, a quote or a
  dash, and at every line break;
- `sentences`: the sentences of a list item or table cell for measure lists: after . ! ? before
  an upper-case word or a digit, not after an abbreviation ("f.eks.", "e.g.").
"""
from __future__ import annotations

import re
from functools import lru_cache

from pipeline import lang as language_data

_MONEY_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ«\"“–-])|\n")
_ITEM_BREAK = re.compile(r'(?<=[.!?])\s+(?=[«"“(]?[A-ZÆØÅ0-9])')


def sentence_starts(text: str) -> list[int]:
    """The positions where the money grammar's sentences break (the first sentence is 0)."""
    return [m.start() for m in _MONEY_BREAK.finditer(text)]


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    return frozenset(language_data.union("clauses", "abbreviations"))


def sentences(text: str, start: int = 0) -> list[tuple[int, int]]:
    """Sentence ranges of `text` from `start` on, cut after . ! ? before an upper-case word
    (for list items and cells, where a model's sentence boundaries may also cut at ":")."""
    out, pos = [], start
    abbreviations = _abbreviations()
    for m in _ITEM_BREAK.finditer(text, start):
        word = re.search(r"(\S+)$", text[pos : m.start()])
        if word and word.group(1).lower().lstrip("([«\"“") in abbreviations:
            continue
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    return [(s, e) for s, e in out if text[s:e].strip()]
