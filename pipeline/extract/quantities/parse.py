"""Every quantity of a text, from one pass of the money grammar: money (with a stated or an
implied currency), percentages, percentage points, durations and counts.

An amount without a stated currency ("eksport på 22 milliarder") is money when a money cue
word is near and no count noun follows ("30 millioner mennesker" is a count); its currency is
left open here (`currency_inferred`): the amounts extractor decides it from the document.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from pipeline.extract.common.sentences import sentence_starts
from pipeline.extract.common.years import is_year
from pipeline.extract.quantities.grammar import WORD, Amount, Grammar, join
from pipeline.extract.quantities.lexicon import Lexicon, lexicon, norm
from pipeline.extract.quantities.numbers import number_value

INFERRED = "currency_inferred"


@dataclass(frozen=True)
class Quantity:
    """A parsed quantity: money (unit = ISO currency, None while only implied), percent
    (unit "%"), percentage points ("pp"), durations (unit year/month/week/day) or counts
    (unit = the counted noun). Money keeps its `amount`; `chars` are its exact characters in
    the text (the component's token span may take in a "." glued to its last token: "€32m.")."""
    kind: str
    value: float
    low: float
    high: float | None
    unit: str | None
    qualifier: str | None = None
    amount: Amount | None = None
    chars: tuple[int, int] | None = None


def _stem_hit(word: str, stems: list[str]) -> bool:
    return any(word == s if len(s) <= 3 else word.startswith(s) for s in stems)


def _money_context(text: str, start: int, end: int, lex: Lexicon, money_sentence: bool = False) -> bool:
    """A bare magnitude ("22 milliarder") is money when the word right after it is a function
    word (not a counted noun: "30 millioner mennesker") and a money cue word stands within a
    few words around it."""
    after = WORD.search(text, end, min(len(text), end + 30))
    if after and re.fullmatch(r"[ \u00a0]*", text[end:after.start()]):
        word = after.group().lower()
        if word not in lex.bare_followers:
            return False
    if money_sentence:
        return True
    before = [w.lower() for w in WORD.findall(text[max(0, start - 70) : start])][-8:]
    behind = [w.lower() for w in WORD.findall(text[end : end + 50])][:6]
    return any(_stem_hit(w, lex.money_cues) for w in before + behind)


def _amounts(text: str, lex: Lexicon, found: list[tuple[int, int, Amount]]) -> list[tuple[int, int, Amount]]:
    """The grammar's candidates that are money; an implied currency stays None."""
    out = []
    sentences = sentence_starts(text)

    def sentence_of(pos: int) -> int:
        return sum(1 for b in sentences if b <= pos)

    stated_in = {sentence_of(s) for s, _, a in found if a.currency is not None or a.ambiguous}
    for start, end, a in found:
        if a.currency is None and not a.ambiguous:
            if not _money_context(text, start, end, lex, sentence_of(start) in stated_in):
                continue
            a = replace(a, qualifier=join(a.qualifier, INFERRED), currency_inferred=True,
                        rule="implied_currency" if a.rule == "stated" else a.rule)
        out.append((start, end, a))
    return out


def find(text: str, lex: Lexicon) -> list[tuple[int, int, Quantity]]:
    """Every quantity of `text` as (start, end, Quantity), in text order: the one place the
    money grammar runs (the quantity component calls it once per Doc)."""
    found = Grammar(text, lex).parse()
    out = [(s, e, Quantity("money", a.value, a.low, a.high, a.currency, a.qualifier, a))
           for s, e, a in _amounts(text, lex, found)]
    taken = [(s, e) for s, e, _ in out]
    for m in lex.quantity_re.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        if is_year(m["a"]) and not m["b"]:
            continue
        kind, unit = lex.quantity_units[norm(m["unit"])]
        low = number_value(m["a"], lex)
        high = number_value(m["b"], lex) if m["b"] else low
        q = lex.qualifiers.get(norm(m["qual"])) if m["qual"] else None
        out.append((m.start(), m.end(), Quantity(kind, low, low, high, unit, q)))
        taken.append(m.span())
    # counts: a bare magnitude or number followed by a counted noun
    for start, end, a in found:
        if a.currency is not None or any(s < end and start < e for s, e in taken):
            continue
        noun = WORD.search(text, end, min(len(text), end + 30))
        if noun and text[end:noun.start()].strip() == "" and _stem_hit(noun.group().lower(), lex.non_money):
            out.append((start, noun.end(), Quantity("count", a.value, a.low, a.high, noun.group().lower(), a.qualifier)))
    return sorted(out, key=lambda t: t[0])


def with_default_currency(q: Quantity, lang: str | None) -> Quantity:
    """Money whose currency is only implied, in the segment language's default currency
    (kroner in Norwegian, none in English)."""
    if q.amount is None or not q.amount.currency_inferred:
        return q
    default = lexicon(lang).default_currency
    return replace(q, unit=default, amount=replace(q.amount, currency=default))


def parse_quantities(text: str, lang: str = "nb") -> list[tuple[int, int, Quantity]]:
    """Every quantity of a text (money in the language's default currency where only implied)."""
    return [(s, e, with_default_currency(q, lang)) for s, e, q in find(text, lexicon(lang))]


def parse_amounts(text: str, lang: str = "nb") -> list[tuple[int, int, Amount]]:
    """Every monetary amount of a text as (start, end, Amount), in text order; an amount
    without a stated currency gets the language's default (NOK for Norwegian, none for English)
    and `currency_inferred`."""
    return [(s, e, q.amount) for s, e, q in parse_quantities(text, lang) if q.kind == "money"]
