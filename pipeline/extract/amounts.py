"""Monetary amounts: a spaCy component that marks amounts (`doc.spans["amounts"]`, each span
carrying `span._.amount`), and `extract` that turns them into `amounts` rows.

The lexicon (scale words, currencies, currency-scaled units, qualifiers) is amounts.yaml.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.document import AnalysedDocument, provenance

LEXICON = yaml.safe_load(Path(__file__).with_name("amounts.yaml").read_text(encoding="utf-8"))
SOURCE_RULE = "amount_grammar"

if not Span.has_extension("amount"):
    Span.set_extension("amount", default=None)


@dataclass(frozen=True)
class Amount:
    value: float
    low: float
    high: float | None
    currency: str | None
    qualifier: str | None = None


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_NUM = r"\d{1,3}(?:[ .]\d{3})+(?:,\d+)?|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?"


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern:
    scales = _alt(LEXICON["scales"])
    curs = _alt(LEXICON["currencies"])
    units = _alt(LEXICON["scaled_units"])
    quals = _alt(w for ws in LEXICON["qualifiers"].values() for w in ws)
    def num(name: str) -> str:
        return rf"(?P<{name}>{_NUM})"

    return re.compile(
        rf"(?<![\w.,])(?:(?P<qual>{quals})\s+)?"
        rf"(?:(?P<pcur>{curs}|{units})\s?)?"
        + num("a")
        + rf"(?:\s*(?:-|–)\s*" + num("b") + r")?"
        + rf"(?:\s*(?P<scale>{scales})(?![\w]))?"
        + rf"(?:\s*(?P<cur>{units}|{curs})(?!\w))?",
        re.I,
    )


def parse_number(s: str, lang: str = "nb") -> float:
    """A number as written in Norwegian or English ("1 500", "1.500", "1,5", "1,500.50")."""
    s = s.replace(" ", "")
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", s) and lang == "en":
        return float(s.replace(",", ""))
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", s):
        return float(s.replace(".", "").replace(",", "."))
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", s):
        return float(s.replace(",", ""))
    return float(s.replace(",", "."))


def _lookup(table: dict, word: str | None):
    return table.get(word.lower()) if word else None


def parse_amounts(text: str, lang: str = "nb") -> list[tuple[int, int, Amount]]:
    """Every monetary amount in `text` as (start, end, Amount)."""
    out = []
    for m in _pattern().finditer(text):
        unit = _lookup(LEXICON["scaled_units"], m["pcur"]) or _lookup(LEXICON["scaled_units"], m["cur"])
        currency = unit[0] if unit else (_lookup(LEXICON["currencies"], m["pcur"]) or _lookup(LEXICON["currencies"], m["cur"]))
        scale = _lookup(LEXICON["scales"], m["scale"]) or 1.0
        if unit:
            scale *= unit[1]
        if currency is None:
            continue
        if m["scale"] and m["scale"].lower() in ("m", "k") and not (m["pcur"] or m["cur"]):
            continue
        low = parse_number(m["a"], lang) * scale
        high = parse_number(m["b"], lang) * scale if m["b"] else low
        qualifier = None
        if m["qual"]:
            q = m["qual"].lower()
            qualifier = next(k for k, ws in LEXICON["qualifiers"].items() if q in [w.lower() for w in ws])
        start = m.start("qual") if m["qual"] else m.start()
        out.append((start, m.end(), Amount(low, low, high, currency, qualifier)))
    return out


@Language.factory("amount_matcher", default_config={"lang": "nb"})
def make_amount_matcher(nlp: Language, name: str, lang: str):
    return AmountMatcher(lang)


class AmountMatcher:
    def __init__(self, lang: str):
        self.lang = lang

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for start, end, amount in parse_amounts(doc.text, self.lang):
            span = doc.char_span(start, end, label="MONEY", alignment_mode="expand")
            if span is not None:
                span._.amount = amount
                spans.append(span)
        doc.spans["amounts"] = spans
        return doc


_YEAR = re.compile(r"\b(?:i|in|innen|by|for|år)\s+((?:19|20)\d{2})\b")


def extract(document: AnalysedDocument) -> list[dict]:
    rows = []
    for offset, seg, span in document.spans("amounts"):
        a: Amount = span._.amount
        row = provenance(offset, span)
        year = _YEAR.search(span.doc.text[span.end_char : span.end_char + 12])
        row.update(asdict(a), year=int(year.group(1)) if year else None, source_rule=SOURCE_RULE)
        rows.append(row)
    return rows
