"""The money corpus: per-language (text -> expected amounts) cases in nb.yaml, nn.yaml, en.yaml.

`load(lang)` reads one language's cases; `problems(cases)` lists every way they break the schema
of README.md (empty when valid); `agrees(expected, got)` says whether one parsed amount gives the
expected one. The schema test (tests/test_money_corpus.py) and the score script
(scripts/money_corpus_score.py) use them; the money grammar's corpus test will too.
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
    if eq is not None and not (isinstance(eq, int) and not isinstance(eq, bool) and 0 <= eq < i):
        out.append(f"amount {i}: equivalent_of must be the index of an earlier amount")
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
