"""A cue matcher: a spaCy component that marks named cue patterns (from a YAML file per
extractor, one section per language) as spans under `doc.spans[key]`."""
from __future__ import annotations

from pathlib import Path

import yaml
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span


class CueMatcher:
    def __init__(self, nlp: Language, patterns: dict[str, list], key: str):
        self.key = key
        self.matcher = Matcher(nlp.vocab)
        for name, pats in patterns.items():
            self.matcher.add(name, pats)

    def __call__(self, doc: Doc) -> Doc:
        doc.spans[self.key] = [
            Span(doc, start, end, label=self.matcher.vocab.strings[match_id])
            for match_id, start, end in self.matcher(doc)
        ]
        return doc


def load_patterns(path: Path, lang: str) -> dict[str, list]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data.get("en" if lang == "en" else "nb", {})
