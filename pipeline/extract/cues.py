"""A cue matcher: a spaCy component that marks named cue patterns (from a YAML file per
extractor, one section per language) as spans under `doc.spans[key]`.

The YAML files have the shape

    patterns:            # spaCy Matcher token patterns, one named family each
      nb: {name: [[...token pattern...], ...], ...}
      en: {...}
    lexicon:             # word lists and regexes the extractor's post-processing reads
      nb: {...}
      en: {...}

Norwegian Bokmål and Nynorsk share the `nb` section (both go through the Norwegian pipeline).
The pattern name is the span label, and becomes the row's `source_rule`.
"""
from __future__ import annotations

from functools import lru_cache
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


def lang_key(lang: str | None) -> str:
    return "en" if lang == "en" else "nb"


@lru_cache(maxsize=16)
def _load(path: Path) -> dict:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def load_patterns(path: Path, lang: str) -> dict[str, list]:
    """The named Matcher patterns of one language."""
    data = _load(Path(path))
    section = data.get("patterns", data)
    return section.get(lang_key(lang), {})


def load_lexicon(path: Path, lang: str) -> dict:
    """The word lists of one language (`lexicon` section), merged over the `common` ones."""
    data = _load(Path(path)).get("lexicon", {})
    return {**data.get("common", {}), **data.get(lang_key(lang), {})}
