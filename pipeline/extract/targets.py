"""Targets: sentences that state a goal with an end state, from named cue patterns
(targets.yaml) and the amounts parser for baseline and target values."""
from __future__ import annotations

import re
from pathlib import Path

from spacy.language import Language

from pipeline.document import AnalysedDocument, provenance
from pipeline.extract.amounts import parse_amounts
from pipeline.extract.cues import CueMatcher, load_patterns

SPANS_KEY = "target_cues"
PATTERNS = Path(__file__).with_name("targets.yaml")
_YEAR = re.compile(r"\b(?:innen|innan|i|by|in|til)\s+((?:19|20)\d{2})\b", re.I)
_INCREASE = re.compile(r"\b(øke|auke|doble|tredoble|vokse|increase|double|triple|grow)", re.I)
_DECREASE = re.compile(r"\b(redusere|halvere|kutte|senke|reduce|halve|cut|lower)", re.I)


@Language.factory("target_matcher", default_config={"lang": "nb"})
def make_target_matcher(nlp: Language, name: str, lang: str):
    return CueMatcher(nlp, load_patterns(PATTERNS, lang), SPANS_KEY)


def extract(document: AnalysedDocument) -> list[dict]:
    rows, seen = [], set()
    for offset, seg, cue in document.spans(SPANS_KEY):
        sent = cue.sent
        if (offset, sent.start_char) in seen:
            continue
        seen.add((offset, sent.start_char))
        row = provenance(offset, sent)
        text = row["text"]
        years = [int(y) for y in _YEAR.findall(text)]
        amounts = parse_amounts(text, seg.lang or "nb")
        direction = "increase" if _INCREASE.search(text) else "decrease" if _DECREASE.search(text) else "reach"
        row.update(
            target_year=max(years) if years else None,
            baseline_value=amounts[0][2].value if len(amounts) > 1 else None,
            baseline_year=min(years) if len(years) > 1 else None,
            target_value=amounts[-1][2].value if amounts else None,
            target_unit=amounts[-1][2].currency if amounts else None,
            direction=direction,
            metric=None,
            actor=None,
            source_rule=f"target:{cue.label_}",
        )
        rows.append(row)
    return rows
