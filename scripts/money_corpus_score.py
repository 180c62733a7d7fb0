"""Score the money extraction on the money corpus (pipeline/money/corpus/): pass rate per language
and per category. Report only: it prints, it does not fail (tests/test_money_corpus.py does).

A case passes when the pipeline gives exactly the expected amounts in text order, each with the
same numbers, currency, qualifiers, per_unit and equivalent_of (`pipeline.money.corpus.agrees`);
"spans" also requires the same surface text.

    python scripts/money_corpus_score.py                       # the real extraction path
    python scripts/money_corpus_score.py --failures nb         # and list nb's failing cases
    python scripts/money_corpus_score.py --parser pkg.mod:func # a parse_amounts-like function

The default runs each text as a document of its language through a blank pipeline with our
components and `pipeline.extract.amounts.extract` (as the corpus test does). A `--parser` is
called as `func(text, lang)` with lang "en" or "nb" and returns (start, end, amount) triples
whose amount has `low`, `high`, `currency`, `qualifier`, `per_unit` and `equivalent_of` (the
start of the other amount).
"""
from __future__ import annotations

import argparse
import importlib
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's pipeline

from pipeline.money.corpus import LANGUAGES, as_parsed, load, passes  # noqa: E402


def parser(spec: str):
    """`func(text, lang)` -> parsed amounts in the corpus's terms."""
    if spec == "extract":
        from tests.test_money_corpus import extracted

        return extracted
    module, _, name = spec.partition(":")
    func = getattr(importlib.import_module(module), name)

    def parse(text: str, lang: str) -> list[dict]:
        found = func(text, "en" if lang == "en" else "nb")
        return as_parsed([{"start": s, "text": text[s:e], "low": a.low, "high": a.high, "currency": a.currency,
                           "qualifier": a.qualifier, "per_unit": getattr(a, "per_unit", None),
                           "equivalent_of": getattr(a, "equivalent_of", None)} for s, e, a in found])
    return parse


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    args.add_argument("--parser", default="extract", help="'extract' (default) or pkg.mod:func")
    args.add_argument("--failures", nargs="*", choices=LANGUAGES, default=[], help="list failing cases")
    opts = args.parse_args()
    parse = parser(opts.parser)
    print(f"parser: {opts.parser}")
    print(f"{'':14}" + "".join(f"{lang:>16}" for lang in LANGUAGES))
    table: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0, 0]))
    failures = []
    for lang in LANGUAGES:
        for case in load(lang):
            got = parse(case["text"], lang)
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
