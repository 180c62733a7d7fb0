"""Monetary amounts: the money spans of the quantity component (`doc.spans["quantities"]`,
label "money") as `amounts` rows, with the currency an implied amount takes in its document
and the year its sentence ties it to; plus amounts in table cells whose unit a header gives
(tables.py).

Money words: pipeline/lang/<lang>/money.yaml (shared codes and symbols: pipeline/lang/common/).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import replace

from spacy.tokens import Span

from pipeline.document import AnalysedDocument
from pipeline.extract.amounts.tables import table_amounts
from pipeline.extract.amounts.rows import amount_row, mark_first_mentions, year_of
from pipeline.extract.quantities import Amount, lexicon, quantities

__all__ = ["extract", "table_amounts", "money_spans"]


def money_spans(doc) -> list[Span]:
    return [s for s in quantities(doc) if s.label_ == "money"]


def _fallback_currencies(document: AnalysedDocument) -> dict[str, str | None]:
    """The currency an amount without one takes when its sentence states none, per segment
    language: a Norwegian sentence's is kroner ("eksport på 22 milliarder"); an English
    sentence's is the document's most frequent stated currency, else kroner in a Norwegian
    document, else none (the amount is left out)."""
    stated = Counter(s._.quantity.amount.currency for _, _, doc in document.parts for s in money_spans(doc)
                     if s._.quantity.amount.currency)
    norwegian = lexicon("nb").default_currency
    if stated:
        english = stated.most_common(1)[0][0]
    else:
        english = norwegian if document.language in ("nb", "nn", "mixed") else None
    return {"en": english, "nb": norwegian, "nn": norwegian}


def extract(document: AnalysedDocument) -> list[dict]:
    rows = []
    fallback = _fallback_currencies(document)
    for offset, seg, doc in document.parts:
        spans = money_spans(doc)
        for span in spans:
            a: Amount = span._.quantity.amount
            if a.currency is None:
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
            rows.append(amount_row(offset, span, a, year))
    rows.extend(table_amounts(document))
    rows.sort(key=lambda r: r["start"])
    mark_first_mentions(rows)
    return rows
