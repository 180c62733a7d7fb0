"""Running an extractor's corpus: each case's text through a blank nb/en pipeline with our
components only (no trained weights: a rule test does not move when the model changes), and
the rows it gives, with the fields the extractor's corpus compares."""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import spacy
import yaml

EXTRACT = Path(__file__).resolve().parents[2] / "pipeline" / "extract"

# The fields of each extractor's rows that its corpus states.
FIELDS = {
    "quantities": ("text", "kind", "low", "high", "unit", "qualifier"),
    "amounts": ("text", "currency", "low", "high", "qualifier", "year", "source_rule"),
    "targets": ("text", "metric", "direction", "baseline_value", "baseline_year", "target_value", "target_unit",
                "target_year", "actor", "source_rule"),
    "actions": ("text", "modality", "verb", "actor", "addressee", "source_rule"),
    "organisations": ("name", "aliases"),
}


@lru_cache(maxsize=1)
def blank_pipelines():
    from pipeline.nlp import Pipelines, add_components

    nb = add_components(spacy.blank("nb"), "nb")
    en = add_components(spacy.blank("en"), "en")
    return Pipelines(nb=nb, en=en, model_description="blank nb; en: blank en")


def analyse(text: str, lang: str):
    """The text cleaned, every segment in `lang`, through the blank pipeline of `lang`."""
    from pipeline.clean import clean
    from pipeline.document import AnalysedDocument
    from pipeline.nlp import analyse as run

    ct = clean(text)
    ct.segments = [replace(s, lang=lang) for s in ct.segments]
    ct.language = lang
    return AnalysedDocument("corpus", ct, run([ct], blank_pipelines())[0])


def rows(extractor: str, text: str, lang: str) -> list[dict]:
    """The rows (corpus fields only) the extractor gives for the text."""
    from pipeline.extract import actions, amounts, organisations, targets
    from pipeline.extract.quantities import quantities

    document = analyse(text, lang)
    if extractor == "quantities":
        found = []
        for offset, _, doc in document.parts:
            for span in quantities(doc):
                q = span._.quantity
                found.append({"text": span.text, "kind": q.kind, "low": q.low, "high": q.high, "unit": q.unit,
                              "qualifier": q.qualifier})
        got = found
    elif extractor == "amounts":
        got = amounts.extract(document)
    elif extractor == "organisations":
        got = organisations.extract(document)[1]
    else:
        orgs = organisations.extract(document)[1]
        got = (targets if extractor == "targets" else actions).extract(document, orgs=orgs)
    return [{k: r.get(k) for k in FIELDS[extractor]} for r in got]


def corpus_files() -> list[Path]:
    return sorted(EXTRACT.glob("*/corpus/*.yaml"))


def cases():
    """(extractor, lang, case) for every case of every corpus, in file order."""
    for path in corpus_files():
        for i, case in enumerate(yaml.safe_load(path.read_text(encoding="utf-8")) or []):
            yield path.parent.parent.name, path.stem, i, case
