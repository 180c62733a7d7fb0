"""Numbers as Norwegian and English write them: digits ("1 500 000", "1.500,50", "1,500.50")
and number words ("tjuefem", "fem hundre", "twenty-five", "en halv")."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.extract.quantities.lexicon import Lexicon

SP = r"[ \u00a0\u202f\u2009\u2007]"  # the spaces that group thousands
NUMBER_RE = (
    rf"\d{{1,3}}(?:{SP}\d{{3}})+(?:[.,]\d+)?(?!\d)"  # 1 500 000 / 1 500,50
    r"|\d{1,3}(?:\.\d{3})+(?:,\d+)?(?![\d.]\d)"      # 1.500.000 / 1.500,50 / 1.500
    r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,]\d)"      # 1,500,000.50 / 1,500
    r"|\d+(?:[.,]\d+)?"
)


def parse_number(s: str, lang: str = "nb") -> float:
    """A number as written in Norwegian or English. Spaces (also non-breaking and thin) group
    thousands; with both "." and "," the last one is the decimal mark; two or more equal marks
    group thousands ("1.500.000", "1,500,000"); one mark followed by exactly three digits is a
    thousands mark where the segment's language writes it so ("1.500" in Norwegian, "1,500" in
    English) and a decimal mark otherwise."""
    s = re.sub(SP, "", s.strip())
    if "," in s and "." in s:
        dec = "," if s.rfind(",") > s.rfind(".") else "."
        grp = "." if dec == "," else ","
        return float(s.replace(grp, "").replace(dec, "."))
    for mark in (".", ","):
        if s.count(mark) > 1:
            return float(s.replace(mark, ""))
    m = re.fullmatch(r"(\d{1,3})([.,])(\d{3})", s)
    if m:
        thousands_mark = "." if lang != "en" else ","
        if m.group(2) == thousands_mark:
            return float(m.group(1) + m.group(3))
    return float(s.replace(",", "."))


def parse_word_number(s: str, lex: "Lexicon") -> float:
    from pipeline.extract.quantities.lexicon import norm

    s = norm(s)
    if s in lex.fractions:
        return lex.fractions[s]
    words = s.split()
    total, current = 0.0, 0.0
    i = 0
    while i < len(words):
        w = words[i]
        if w in lex.hundred:
            current = (current or 1.0) * 100
        elif w in lex.joiner:
            pass
        elif i + 1 < len(words) and f"{w} {words[i + 1]}" in lex.numbers:
            current += lex.numbers[f"{w} {words[i + 1]}"]
            i += 1
        else:
            current += lex.numbers[w]
        i += 1
    return total + current


def number_value(s: str, lex: "Lexicon") -> float:
    """A number in digits or words."""
    return parse_number(s, lex.lang) if re.match(r"\d", s) else parse_word_number(s, lex)

