"""Recommended actions: sentences with a recommendation cue (actions.yaml), and list items
introduced by a heading or lead-in sentence that announces measures."""
from __future__ import annotations

from pathlib import Path

import yaml
from spacy.language import Language

from pipeline.document import AnalysedDocument, provenance
from pipeline.extract.cues import CueMatcher, load_patterns

SPANS_KEY = "action_cues"
PATTERNS = Path(__file__).with_name("actions.yaml")
LIST_CUES = yaml.safe_load(PATTERNS.read_text(encoding="utf-8"))["list_cues"]


@Language.factory("action_matcher", default_config={"lang": "nb"})
def make_action_matcher(nlp: Language, name: str, lang: str):
    return CueMatcher(nlp, load_patterns(PATTERNS, lang), SPANS_KEY)


def extract(document: AnalysedDocument) -> list[dict]:
    rows, seen = [], set()
    for offset, seg, cue in document.spans(SPANS_KEY):
        sent = cue.sent
        if (offset, sent.start_char) in seen:
            continue
        seen.add((offset, sent.start_char))
        row = provenance(offset, sent)
        row.update(verb=cue.root.lemma_ or cue.text.lower(), modality=cue.label_, actor=None, addressee=None,
                   source_rule=f"action:{cue.label_}")
        rows.append(row)
    # list items under an announcing heading or lead-in
    lead = None
    for offset, seg, doc in document.parts:
        if seg.kind != "list_item":
            text = doc.text.casefold()
            lead = text if any(c in text for c in LIST_CUES) else None
            continue
        if lead and doc.text.strip():
            row = provenance(offset, doc[:])
            first = doc[0] if doc[0].is_alpha else (doc[1] if len(doc) > 1 else doc[0])
            row.update(verb=first.lemma_ or first.text.lower(), modality="recommend", actor=None, addressee=None,
                       source_rule="action:list_item")
            rows.append(row)
    rows.sort(key=lambda r: r["start"])
    return rows
