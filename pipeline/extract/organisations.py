"""Organisations: candidates from the NER model and our rules (a gazetteer and head-word
patterns in a SpanRuler), resolved per document to one canonical name with its aliases.

Rows: `mentions` (one per mention) and `organisations` (one per organisation per document).
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from spacy.language import Language

from pipeline.document import AnalysedDocument, provenance

HERE = Path(__file__).parent
RULES = yaml.safe_load((HERE / "organisations.yaml").read_text(encoding="utf-8"))
SPANS_KEY = "org_rules"


@lru_cache(maxsize=1)
def gazetteer() -> list[dict]:
    lines = (HERE / "organisations.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def ruler_patterns() -> list[dict]:
    """SpanRuler patterns: gazetteer names and aliases, head-word and legal-form patterns."""
    patterns = []
    for entry in gazetteer():
        for form in [entry["name"], *entry.get("aliases", [])]:
            patterns.append({"label": "ORG", "pattern": form, "id": entry["name"]})
    suffixes = "|".join(RULES["head_suffixes"])
    patterns.append({"label": "ORG", "id": "head_suffix",
                     "pattern": [{"IS_TITLE": True, "OP": "*"}, {"TEXT": {"REGEX": rf"^[A-ZÆØÅ][\w-]*({suffixes})s?$"}}]})
    heads = RULES["name_heads"]
    patterns.append({"label": "ORG", "id": "name_head",
                     "pattern": [{"IS_TITLE": True, "OP": "+"}, {"TEXT": {"IN": heads}}]})
    forms = RULES["legal_forms"]
    patterns.append({"label": "ORG", "id": "legal_form",
                     "pattern": [{"IS_TITLE": True, "OP": "+"}, {"TEXT": {"IN": forms}}]})
    return patterns


@Language.factory("organisation_ruler", default_config={"lang": "nb"})
def make_organisation_ruler(nlp: Language, name: str, lang: str):
    from spacy.pipeline import SpanRuler

    ruler = SpanRuler(nlp, name, spans_key=SPANS_KEY, phrase_matcher_attr="ORTH", overwrite=True)
    ruler.add_patterns(ruler_patterns())
    return ruler


_STOP = {s.casefold() for s in RULES["stop_names"]}
_ACRONYM_DEF = re.compile(r"(?P<name>[A-ZÆØÅ][\w-]*(?:\s+(?:[a-zæøå]{1,3}\s+)?[\w-]+){0,6})\s*\((?P<acr>[A-ZÆØÅ]{2,8})\)")


def normal_form(s: str) -> str:
    s = re.sub(r"\s+", " ", s).strip(" .,;:()«»\"'")
    return s


def _base(s: str) -> str:
    """Key for grouping mentions: casefolded, genitive -s and definite forms stripped."""
    k = normal_form(s).casefold()
    if k.endswith("s") and len(k) > 4 and not k.endswith("ss"):
        k = k[:-1]
    return k


@dataclass
class Organisation:
    name: str
    aliases: set[str] = field(default_factory=set)
    mentions: list[dict] = field(default_factory=list)


def _candidates(document: AnalysedDocument) -> list[dict]:
    labels = set(RULES["ner_labels"])
    found = []
    for offset, seg, doc in document.parts:
        for ent in doc.ents:
            if ent.label_ in labels:
                found.append({**provenance(offset, ent), "label": "ORG", "source_rule": f"ner:{ent.label_}", "id": None})
        for span in doc.spans.get(SPANS_KEY, []):
            found.append({**provenance(offset, span), "label": "ORG", "source_rule": f"rule:{span.id_ or 'gazetteer'}",
                          "id": span.id_ if span.id_ not in ("head_suffix", "name_head", "legal_form") else None})
    # overlapping candidates: keep the longest
    found.sort(key=lambda m: (m["start"], -(m["end"] - m["start"])))
    kept, end = [], -1
    for m in found:
        if m["start"] >= end:
            kept.append(m)
            end = m["end"]
    return [m for m in kept if normal_form(m["text"]).casefold() not in _STOP and len(normal_form(m["text"])) > 1]


def resolve(document: AnalysedDocument) -> list[Organisation]:
    """Group the document's mentions into organisations."""
    alias_to_name: dict[str, str] = {}
    for entry in gazetteer():
        for form in [entry["name"], *entry.get("aliases", [])]:
            alias_to_name[_base(form)] = entry["name"]
    for m in _ACRONYM_DEF.finditer(document.text):
        alias_to_name.setdefault(_base(m["acr"]), normal_form(m["name"]))
    orgs: dict[str, Organisation] = {}
    for m in _candidates(document):
        surface = normal_form(m["text"])
        key = _base(surface)
        name = m.get("id") or alias_to_name.get(key) or surface
        canonical = orgs.get(_base(name)) or orgs.setdefault(_base(name), Organisation(name))
        canonical.aliases.add(surface)
        m["canonical"] = canonical.name
        canonical.mentions.append(m)
    return list(orgs.values())


def extract(document: AnalysedDocument) -> tuple[list[dict], list[dict]]:
    """(mentions rows, organisations rows)."""
    orgs = resolve(document)
    mentions, rows = [], []
    for org in orgs:
        for m in org.mentions:
            m.pop("id", None)
            mentions.append(m)
        rows.append({
            "name": org.name,
            "aliases": sorted(a for a in org.aliases if a != org.name),
            "n_mentions": len(org.mentions),
            "first_start": min(m["start"] for m in org.mentions),
            "source_rule": "+".join(sorted({m["source_rule"] for m in org.mentions})),
        })
    mentions.sort(key=lambda m: m["start"])
    rows.sort(key=lambda r: r["first_start"])
    return mentions, rows
