"""Score a money parser on the money corpus (pipeline/money/corpus/): pass rate per language and
per category. Report only: it prints, it does not fail.

A case passes when the parser gives exactly the expected amounts in text order, each with the
same numbers, currency, qualifiers, per_unit and equivalent_of (`pipeline.money.corpus.agrees`);
"spans" also requires the same surface text.

    python scripts/money_corpus_score.py                       # the current parse_amounts
    python scripts/money_corpus_score.py --failures nb         # and list nb's failing cases
    python scripts/money_corpus_score.py --parser pkg.mod:func # another parse_amounts-like function

The parser is called as `func(text, lang)` with lang "en" or "nb" (nynorsk is read with the nb
rules, as the pipeline does) and returns (start, end, amount) triples whose amount has `low`,
`high`, `currency` and `qualifier` (and, once the money grammar has them, `per_unit` and
`equivalent_of`).
"""
from __future__ import annotations

import argparse
import importlib
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's pipeline

from pipeline.money.corpus import LANGUAGES, agrees, load  # noqa: E402

IGNORED_QUALIFIERS = {"currency_inferred"}  # how a currency was found, not what the text says


def parser(spec: str):
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


def parsed(parse, text: str, lang: str) -> list[dict]:
    out = []
    for start, end, a in parse(text, "en" if lang == "en" else "nb"):
        kept = [q for q in (a.qualifier or "").split(";") if q and q not in IGNORED_QUALIFIERS]
        out.append({"text": text[start:end], "low": a.low, "high": a.high, "currency": a.currency,
                    "qualifier": ";".join(kept) or None, "per_unit": getattr(a, "per_unit", None),
                    "equivalent_of": getattr(a, "equivalent_of", None)})
    return out


def passes(case: dict, got: list[dict]) -> tuple[bool, bool]:
    ok = len(got) == len(case["amounts"]) and all(agrees(e, g) for e, g in zip(case["amounts"], got))
    return ok, ok and all(e["text"] == g["text"] for e, g in zip(case["amounts"], got))


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    args.add_argument("--parser", default="pipeline.extract.amounts:parse_amounts")
    args.add_argument("--failures", nargs="*", choices=LANGUAGES, default=[], help="list failing cases")
    opts = args.parse_args()
    parse = parser(opts.parser)
    print(f"parser: {opts.parser}")
    print(f"{'':14}" + "".join(f"{lang:>16}" for lang in LANGUAGES))
    table: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0, 0]))
    failures = []
    for lang in LANGUAGES:
        for case in load(lang):
            got = parsed(parse, case["text"], lang)
            ok, span_ok = passes(case, got)
            for key in (case["category"], "ALL"):
                cell = table[key][lang]
                cell[0] += ok
                cell[1] += span_ok
                cell[2] += 1
            if not ok and lang in opts.failures:
                failures.append((lang, case, got))
    for key in [*sorted(k for k in table if k != "ALL"), "ALL"]:
        cells = [table[key].get(lang) for lang in LANGUAGES]
        print(f"{key:14}" + "".join(f"{c[0]:>4}/{c[2]:<3} {100 * c[0] / c[2]:>5.0f}% " if c else f"{'-':>16}"
                                    for c in cells))
    spans = " ".join(f"{lang} {100 * table['ALL'][lang][1] / table['ALL'][lang][2]:.0f}%" for lang in LANGUAGES)
    print(f"with the same spans too: {spans}")
    for lang, case, got in failures:
        print(f"\n[{lang}/{case['category']}] {case['text']}\n  expected {case['amounts']}\n  got      {got}")


if __name__ == "__main__":
    main()
