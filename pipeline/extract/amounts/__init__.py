"""Monetary amounts: the money spans of the quantity component (`doc.spans["quantities"]`,
label "money") as `amounts` rows, with the currency an implied or ambiguous amount takes in its
document, the year its sentence ties it to and its value in NOK; plus amounts in table cells
whose unit a header gives (tables.py).

Money words: pipeline/lang/<lang>/money.yaml (shared codes and symbols: pipeline/lang/common/).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from spacy.tokens import Span

from pipeline.document import AnalysedDocument
from pipeline.extract.amounts.tables import table_amounts
from pipeline.extract.amounts.rows import amount_row, mark_first_mentions, value_in_nok, year_of
from pipeline.extract.quantities import INFERRED, Amount, lexicon, quantities
from pipeline.extract.quantities.grammar import join
from pipeline.money.currencies import AMBIGUOUS, country_words

__all__ = ["extract", "table_amounts", "money_spans"]


def money_spans(doc) -> list[Span]:
    return [s for s in quantities(doc) if s.label_ == "money"]


def _stated(document: AnalysedDocument) -> Counter:
    """The currencies the document's amounts state (not inferred, not ambiguous), counted."""
    return Counter(s._.quantity.amount.currency for _, _, doc in document.parts for s in money_spans(doc)
                   if s._.quantity.amount.currency and not s._.quantity.amount.currency_inferred)


def _fallback_currencies(document: AnalysedDocument, stated: Counter) -> dict[str, str | None]:
    """The currency an amount without one takes when its sentence states none, per segment
    language: a Norwegian sentence's is kroner ("eksport på 22 milliarder"); an English
    sentence's is the document's most frequent stated currency, else kroner in a Norwegian
    document, else none (the amount is left out)."""
    norwegian = lexicon("nb").default_currency
    if stated:
        english = stated.most_common(1)[0][0]
    else:
        english = norwegian if document.language in ("nb", "nn", "mixed") else None
    return {"en": english, "nb": norwegian, "nn": norwegian}


def _named_countries(document: AnalysedDocument, candidates: tuple[str, ...]) -> list[str]:
    """The candidates whose country (name or nationality adjective) the document names."""
    return [c for c in candidates
            if any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", document.text) for w in country_words(c))]


def _resolved(a: Amount, document: AnalysedDocument, stated: Counter) -> Amount:
    """An ambiguous currency ("590 crowns", "90 kr" in English) is the one of its candidates the
    document states most often ("2,000 Norwegian crowns"), else the only one whose country the
    document names ("Norway", "Norwegian"), else kroner when it may be kroner in a Norwegian
    document; else it stays null with qualifier "ambiguous-currency"."""
    named = [c for c, _ in stated.most_common() if c in a.candidates]
    norwegian = lexicon("nb").default_currency
    if not named and len(countries := _named_countries(document, a.candidates)) == 1:
        named = countries
    if not named and document.language in ("nb", "nn", "mixed") and norwegian in a.candidates:
        named = [norwegian]
    if not named:
        return a
    kept = [q for q in (a.qualifier or "").split(";") if q and q != AMBIGUOUS]
    return replace(a, currency=named[0], qualifier=join(*kept, INFERRED), currency_inferred=True, candidates=())


def extract(document: AnalysedDocument) -> list[dict]:
    rows = []
    stated = _stated(document)
    fallback = _fallback_currencies(document, stated)
    for offset, seg, doc in document.parts:
        spans = money_spans(doc)
        for span in spans:
            a: Amount = span._.quantity.amount
            if a.ambiguous:
                a = _resolved(a, document, stated)
            elif a.currency is None:
                sent_curs = [s._.quantity.amount.currency for s in spans
                             if s._.quantity.amount.currency and not s._.quantity.amount.currency_inferred
                             and s.sent == span.sent] if doc.has_annotation("SENT_START") else []
                currency = sent_curs[0] if sent_curs else fallback.get(seg.lang or "nb", fallback["nb"])
                if currency is None:
                    continue
                a = replace(a, currency=currency)
            sent = span.sent if doc.has_annotation("SENT_START") else doc[:]
            others = [(s.start_char - sent.start_char, s.end_char - sent.start_char) for s in spans
                      if s is not span and sent.start_char <= s.start_char < sent.end_char]
            year = year_of(sent.text, span.start_char - sent.start_char, span.end_char - sent.start_char, others)
            rows.append(amount_row(offset, span, a, year, span._.quantity.chars))
    rows.extend(table_amounts(document))
    rows.sort(key=lambda r: r["start"])
    mark_first_mentions(rows)
    for r in rows:
        r.update(value_in_nok(r, document.published))
    return rows
