"""Organisations: candidates from the NER model and our rules, resolved per document to one
canonical name with its aliases.

Where things live:
- pipeline/lang/common/organisations.jsonl: the gazetteer (known organisations, aliases, kind);
- pipeline/lang/<lang>/organisations.yaml: head words, legal forms, cue words, stop names,
  places, first names;
- data.py: those rules as word lists and patterns, gazetteer keys and lookup;
- ruler.py: the `organisation_ruler` component (a Pipe saved with the pipeline);
- candidates.py: candidates from the ruler and the model, and their filters (people, places,
  generic nouns);
- document_rules.py: acronym definitions, aliases in parentheses, coordinated names;
- resolve.py: resolution into organisations, and a second pass that finds every other
  mention of an organisation once the document has named it.

Rows: `mentions` (one per mention) and `organisations` (one per organisation per document).
"""
from __future__ import annotations

from pipeline.document import AnalysedDocument
from pipeline.extract.organisations.data import SPANS_KEY, Entry, gazetteer, key, keys, lookup
from pipeline.extract.organisations.resolve import resolve
from pipeline.extract.organisations.ruler import OrganisationRuler

__all__ = ["extract", "resolve", "OrganisationRuler", "SPANS_KEY", "Entry", "gazetteer", "key", "keys", "lookup"]


def extract(document: AnalysedDocument) -> tuple[list[dict], list[dict]]:
    """(mentions rows, organisations rows)."""
    mentions, rows = [], []
    for org in resolve(document):
        for m in org.mentions:
            mentions.append({"start": m.start, "end": m.end, "text": m.text, "label": "ORG",
                             "canonical": org.name, "sentence": m.sentence, "source_rule": m.source_rule})
        rows.append({
            "name": org.name,
            "aliases": org.aliases,
            "n_mentions": len(org.mentions),
            "first_start": min(m.start for m in org.mentions),
            "source_rule": "+".join(sorted({m.source_rule for m in org.mentions})),
        })
    mentions.sort(key=lambda m: m["start"])
    rows.sort(key=lambda r: r["first_start"])
    return mentions, rows
