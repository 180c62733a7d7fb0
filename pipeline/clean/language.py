"""Language of text: English or Norwegian by lingua, then Bokmål (nb) or Nynorsk (nn) for the
whole document by marker words (language.yaml), since lingua confuses the two on short text."""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import yaml
from lingua import Language, LanguageDetectorBuilder

MIN_LETTERS = 20  # shorter segments take the document's language
_MARKERS = yaml.safe_load(Path(__file__).with_name("language.yaml").read_text(encoding="utf-8"))
_NN, _NB = set(_MARKERS["nynorsk"]), set(_MARKERS["bokmal"])
_WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1)
def _detector():
    return LanguageDetectorBuilder.from_languages(Language.BOKMAL, Language.NYNORSK, Language.ENGLISH).build()


def detect_languages(texts: list[str]) -> list[str | None]:
    """Per text: `en` or `no` (Norwegian, variant decided per document); None when too short to
    tell. One call to lingua, which spreads the texts (a document's segments) over its threads."""
    found: list[str | None] = [None] * len(texts)
    asked = [i for i, text in enumerate(texts) if sum(map(str.isalpha, text)) >= MIN_LETTERS]
    for i, lang in zip(asked, _detector().detect_languages_in_parallel_of([texts[i] for i in asked])):
        found[i] = None if lang is None else "en" if lang == Language.ENGLISH else "no"
    return found


def norwegian_variant(text: str) -> str:
    """`nn` when Nynorsk marker words outnumber Bokmål ones, else `nb`."""
    words = Counter(w.casefold() for w in _WORD.findall(text))
    nn = sum(n for w, n in words.items() if w in _NN)
    nb = sum(n for w, n in words.items() if w in _NB)
    return "nn" if nn > nb else "nb"


def document_language(weighted: list[tuple[str | None, int]]) -> tuple[str, list[str]]:
    """The document's language from (segment language, length) pairs, and all its languages
    (most characters first). `mixed` when English and Norwegian both hold a fifth or more."""
    counts: Counter[str] = Counter()
    for lang, n in weighted:
        if lang:
            counts[lang] += n
    if not counts:
        return "nb", []
    languages = [lang for lang, _ in counts.most_common()]
    total = sum(counts.values())
    norwegian = counts["nb"] + counts["nn"]
    if counts["en"] >= 0.2 * total and norwegian >= 0.2 * total:
        return "mixed", languages
    if norwegian >= counts["en"]:
        return ("nn" if counts["nn"] > counts["nb"] else "nb"), languages
    return "en", languages
