"""An amount row, the year its sentence ties the amount to, its first mention and its value in NOK."""
from __future__ import annotations

from datetime import date

from spacy.tokens import Span

from pipeline.extract.common.rows import provenance
from pipeline.extract.quantities import Amount, lexicon
from pipeline.extract.quantities.grammar import money
from pipeline.money.fx import fx_date_for, to_nok

SOURCE_RULE = "amount_grammar"


def year_of(sentence: str, start: int, end: int, others: list[tuple[int, int]]) -> int | None:
    """The year the sentence ties the amount at [start, end) to: "22 milliarder kroner i 2021",
    "NOK 3 billion in the state budget for 2019", "I 2024 er ... tildelt 214 mNOK"."""
    lex = lexicon("nb")  # the year words of every language
    nxt = min([s for s, _ in others if s >= end], default=len(sentence))
    m = lex.year_after_re.match(sentence[end:nxt])
    if m:
        return int(m.group(1))
    prev = max([e for _, e in others if e <= start], default=0)
    if prev:
        tied = lex.year_after_re.match(sentence[prev:start])
        prev += tied.end() if tied else 0
    found = list(lex.year_before_re.finditer(sentence[prev:start]))
    return int(found[-1].group(1)) if found else None


def amount_row(offset: int, span: Span, a: Amount, year: int | None, chars: tuple[int, int] | None = None) -> dict:
    """The row of an amount found at `span` (its exact characters `chars`, when known, give
    start, end and text: "€32m" rather than the token "€32m.")."""
    row = provenance(offset, span)
    if chars is not None:
        row.update(start=offset + chars[0], end=offset + chars[1], text=span.doc.text[chars[0]:chars[1]])
    row.update(value=a.value, low=a.low, high=a.high, currency=a.currency, qualifier=a.qualifier,
               year=year, source_rule=f"{SOURCE_RULE}:{a.rule}", per_unit=a.per_unit,
               equivalent_of=None if a.equivalent_of is None else offset + a.equivalent_of)
    return row


def value_in_nok(row: dict, published: date | None, today: date | None = None) -> dict:
    """`value_nok`, `low_nok`, `high_nok` and `fx_date`: the amount at the ECB rate of the
    document's publication date, else of 1 July of the amount's year, else of the run date
    (pipeline/money/fx.py); nulls where no rate exists."""
    on = fx_date_for(published, row.get("year"), today or date.today())
    out = {"value_nok": None, "low_nok": None, "high_nok": None, "fx_date": None}
    for key in ("value", "low", "high"):
        nok, used = to_nok(row.get(key), row.get("currency"), on)
        if nok is not None:
            out[f"{key}_nok"], out["fx_date"] = money(nok), used
    return out


def mark_first_mentions(rows: list[dict]) -> None:
    """`first_mention`: true for the first row (in text order) of each distinct amount (low,
    high, currency) of a document, false for a repeat, so that a sum over the rows where it is
    true counts "200 millioner kroner" in the title and again in the body once."""
    seen: set[tuple] = set()
    for r in rows:
        key = (r["low"], r["high"], r["currency"])
        r["first_mention"] = key not in seen
        seen.add(key)
