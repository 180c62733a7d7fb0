"""Cue patterns as spaCy's own `span_ruler`: the target and action matchers are SpanRuler
components whose token patterns come from the `patterns` section of a language's
targets.yaml / actions.yaml (pipeline/lang/<lang>/). The pattern name is the span label, and
becomes the row's `source_rule`. A saved pipeline carries the patterns (SpanRuler.to_disk).

In a pattern, "$name" inside an IN / NOT_IN list stands for the words of the list `name` of the
same file (or of the language's clauses.yaml): one definition of the change verbs, read by every
pattern that needs them.

With a dependency parse, the `dependency_patterns` of the same file are spaCy DependencyMatcher
patterns ("<named actor> skal <any verb>"): their matches are cues as well (`dependency_cues`),
from the first to the last matched word that is not the actor. Without a parse there are none.
"""
from __future__ import annotations

from functools import lru_cache

from spacy.language import Language
from spacy.matcher import DependencyMatcher
from spacy.pipeline import SpanRuler
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span

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
    return list(words[name] if name in words else words["_clauses"][name])


def patterns(lang: str | None, theme: str) -> list[dict]:
    """The span_ruler patterns ({"label", "pattern"}) of a theme ("targets", "actions")."""
    data = _data(lang, theme)
    return [{"label": name, "pattern": _expand(p, data)}
            for name, pats in data.get("patterns", {}).items() for p in pats]


def _data(lang: str | None, theme: str) -> dict:
    return {**language_data.theme(lang, theme), "_clauses": language_data.theme(lang, "clauses")}


@lru_cache(maxsize=16)
def _dependency_matcher(vocab, lang: str, theme: str) -> tuple[DependencyMatcher, dict[int, str]]:
    """The matcher and its pattern names by match id. The names are kept here, not looked up in
    the vocab's strings: a matcher first built inside a run's `memory_zone` adds them as
    transient strings, gone when the zone closes while the cached matcher lives on."""
    data = _data(lang, theme)
    matcher = DependencyMatcher(vocab)
    for name, pats in data.get("dependency_patterns", {}).items():
        matcher.add(name, [_expand(p, data) for p in pats])
    return matcher, {get_string_id(name): name for name in data.get("dependency_patterns", {})}


def dependency_cues(doc: Doc, lang: str | None, theme: str) -> list[Span]:
    """Cue spans from the `dependency_patterns` of a theme, on a parsed Doc (none without a
    parse): each from the first to the last matched token that is not the pattern's `actor`."""
    if not doc.has_annotation("DEP"):
        return []
    code = language_data.code(lang)
    data = _data(code, theme)
    if not data.get("dependency_patterns"):
        return []
    matcher, names_by_id = _dependency_matcher(doc.vocab, code, theme)
    out = []
    for match_id, ids in matcher(doc):
        label = names_by_id[match_id]
        names = [p["RIGHT_ID"] for p in data["dependency_patterns"][label][0]]
        words = [i for name, i in zip(names, ids) if name != "actor"]
        out.append(Span(doc, min(words), max(words) + 1, label=label))
    return out


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
