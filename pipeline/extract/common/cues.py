"""Cue patterns as spaCy's own `span_ruler`: the target and action matchers are SpanRuler
components whose token patterns come from the `patterns` section of a language's
targets.yaml / actions.yaml (pipeline/lang/<lang>/). The pattern name is the span label, and
becomes the row's `source_rule`. A saved pipeline carries the patterns (SpanRuler.to_disk).

In a pattern, "$name" inside an IN / NOT_IN list stands for the words of the list `name` of the
same file: one definition of the change verbs, read by every pattern that needs them.
"""
from __future__ import annotations

from functools import lru_cache

from spacy.language import Language
from spacy.pipeline import SpanRuler

from pipeline import lang as language_data


def _expand(value, words: dict):
    if isinstance(value, dict):
        return {k: _expand(v, words) for k, v in value.items()}
    if isinstance(value, list):
        out = []
        for v in value:
            if isinstance(v, str) and v.startswith("$"):
                out.extend(_words(v[1:], words))
            else:
                out.append(_expand(v, words))
        return out
    return value


def _words(name: str, words: dict) -> list[str]:
    if name == "change_verbs":
        return [*words["increase_verbs"], *words["decrease_verbs"]]
    return list(words[name])


def patterns(lang: str | None, theme: str) -> list[dict]:
    """The span_ruler patterns ({"label", "pattern"}) of a theme ("targets", "actions")."""
    data = language_data.theme(lang, theme)
    return [{"label": name, "pattern": _expand(p, data)}
            for name, pats in data.get("patterns", {}).items() for p in pats]


@lru_cache(maxsize=None)
def label_order(theme: str) -> dict[str, int]:
    """The place of each pattern name in its file ({name: i}): cues over the same words are
    read in this order (as the rules are written), not in the span ruler's sorted order."""
    order: dict[str, int] = {}
    for lang in language_data.LANGS:
        for name in language_data.theme(lang, theme).get("patterns", {}):
            order.setdefault(name, len(order))
    return order


def cue_ruler(nlp: Language, name: str, lang: str, theme: str, spans_key: str) -> SpanRuler:
    """A span_ruler marking the cue patterns of `theme` under `doc.spans[spans_key]`."""
    ruler = SpanRuler(nlp, name, spans_key=spans_key, overwrite=True)
    ruler.add_patterns(patterns(lang, theme))
    return ruler
