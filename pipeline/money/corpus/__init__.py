"""The money corpus: per-language (text -> expected amounts) cases in nb.yaml, nn.yaml, en.yaml.

`load(lang)` reads one language's cases; `problems(cases)` lists every way they break the schema
of README.md (empty when valid); `as_parsed(rows)` turns `amounts` rows of one text into the
corpus's terms; `agrees(expected, got)` says whether one of them gives the expected amount. The
corpus test (tests/test_money_corpus.py, on the real extraction path) and the score script
(scripts/money_corpus_score.py) use them.
"""
from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

import yaml
from babel.numbers import list_currencies

HERE = Path(__file__).parent
LANGUAGES = ("nb", "nn", "en")
CATEGORIES = ("code", "glued", "symbol", "word", "nationality", "magnitude", "number", "range", "bound",
              "subunit", "rate", "conversion", "ambiguous", "negative")
QUALIFIERS = {"min", "max", "approx", "ambiguous-currency"}
AMOUNT_KEYS = {"text", "value", "low", "high", "currency", "qualifier", "per_unit", "equivalent_of"}
CASE_KEYS = {"text", "category", "amounts"}


@lru_cache(maxsize=len(LANGUAGES))
def load(lang: str) -> tuple[dict, ...]:
    return tuple(yaml.safe_load((HERE / f"{lang}.yaml").read_text(encoding="utf-8")))


def _number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def qualifiers(q: str | None) -> set[str]:
    """'min;ambiguous-currency' -> {'min', 'ambiguous-currency'}."""
    return set(q.split(";")) if q else set()


def _amount_problems(a: dict, i: int, text: str, start: int) -> tuple[list[str], int]:
    out = []
    if not isinstance(a, dict) or not {"text", "currency"} <= set(a) or set(a) - AMOUNT_KEYS:
        return [f"amount {i}: needs text and currency, may have {sorted(AMOUNT_KEYS)}: {a}"], start
    found = text.find(a["text"], start) if isinstance(a["text"], str) and a["text"] else -1
    if found < 0:
        out.append(f"amount {i}: {a['text']!r} is not in the text after the previous amount")
    if ("value" in a) == ("low" in a or "high" in a):
        out.append(f"amount {i}: give value, or low and high")
    elif "value" in a and not _number(a["value"]):
        out.append(f"amount {i}: value {a['value']!r} is not a number")
    elif "low" in a and not (_number(a.get("low")) and _number(a.get("high")) and a["low"] < a["high"]):
        out.append(f"amount {i}: low {a.get('low')!r} must be a number below high {a.get('high')!r}")
    if a["currency"] is not None and a["currency"] not in list_currencies():
        out.append(f"amount {i}: {a['currency']!r} is not an ISO 4217 code CLDR knows")
    q = qualifiers(a.get("qualifier"))
    if q - QUALIFIERS:
        out.append(f"amount {i}: unknown qualifier {sorted(q - QUALIFIERS)}")
    if (a["currency"] is None) != ("ambiguous-currency" in q):
        out.append(f"amount {i}: a null currency goes with qualifier ambiguous-currency, and only it")
    if not (a.get("per_unit") is None or (isinstance(a["per_unit"], str) and a["per_unit"])):
        out.append(f"amount {i}: per_unit must be a word or null")
    eq = a.get("equivalent_of")
    if eq is not None and not (isinstance(eq, int) and not isinstance(eq, bool) and eq >= 0 and eq != i):
        out.append(f"amount {i}: equivalent_of must be the index of another amount")
    return out, max(found, start) + len(a["text"]) if found >= 0 else start


def problems(cases) -> list[str]:
    """Every schema violation of a language's cases, as readable lines (empty: valid)."""
    out, seen = [], set()
    for n, case in enumerate(cases):
        where = f"case {n} ({case.get('text', '?')!r})" if isinstance(case, dict) else f"case {n}"
        if not isinstance(case, dict) or set(case) != CASE_KEYS:
            out.append(f"{where}: needs exactly {sorted(CASE_KEYS)}")
            continue
        if not isinstance(case["text"], str) or not case["text"].strip() or case["text"] in seen:
            out.append(f"{where}: text must be a new non-empty string")
        seen.add(case["text"])
        if case["category"] not in CATEGORIES:
            out.append(f"{where}: category must be one of {CATEGORIES}")
        if not isinstance(case["amounts"], list) or (case["category"] == "negative") != (case["amounts"] == []):
            out.append(f"{where}: amounts is a list, empty exactly for category negative")
            continue
        start = 0
        for i, a in enumerate(case["amounts"]):
            found, start = _amount_problems(a, i, str(case["text"]), start)
            out += [f"{where}: {p}" for p in found]
        links = {i: a.get("equivalent_of") for i, a in enumerate(case["amounts"]) if isinstance(a, dict)}
        if any(j is not None and links.get(j) != i for i, j in links.items()):
            out.append(f"{where}: equivalent_of pairs amounts that point to each other")
    return out


def bounds(a: dict) -> tuple[float, float]:
    return (a["value"], a["value"]) if "value" in a else (a["low"], a["high"])


def agrees(expected: dict, got: dict) -> bool:
    """Whether a parsed amount (a dict with the same keys, low/high always set) gives the
    expected one: same numbers (to 1e-9 relative), currency, qualifiers, per_unit, equivalent_of."""
    lo, hi = bounds(expected)
    same = all(g is not None and math.isclose(x, g, rel_tol=1e-9) for x, g in ((lo, got["low"]), (hi, got["high"])))
    return (same and expected["currency"] == got["currency"]
            and qualifiers(expected.get("qualifier")) == qualifiers(got.get("qualifier"))
            and expected.get("per_unit") == got.get("per_unit")
            and expected.get("equivalent_of") == got.get("equivalent_of"))


IGNORED_QUALIFIERS = {"currency_inferred"}  # how a currency was found, not what the text says


def as_parsed(rows: list[dict]) -> list[dict]:
    """`amounts` rows of one text (text order) in the corpus's terms: `equivalent_of` as the
    index of the other row, qualifiers without how the currency was found."""
    index = {r["start"]: i for i, r in enumerate(rows)}
    return [{"text": r["text"], "low": r["low"], "high": r["high"], "currency": r["currency"],
             "qualifier": ";".join(q for q in (r.get("qualifier") or "").split(";") if q and q not in IGNORED_QUALIFIERS) or None,
             "per_unit": r.get("per_unit"), "equivalent_of": index.get(r.get("equivalent_of"))}
            for r in rows]


def passes(case: dict, got: list[dict]) -> tuple[bool, bool]:
    """Whether parsed amounts give exactly the case's amounts, in order; and with the same spans."""
    ok = len(got) == len(case["amounts"]) and all(agrees(e, g) for e, g in zip(case["amounts"], got))
    return ok, ok and all(e["text"] == g["text"] for e, g in zip(case["amounts"], got))
