"""Our spaCy components: real components of a pipeline that can be saved and loaded with their
rules (blank pipelines, no trained weights)."""
from __future__ import annotations

import spacy
from spacy.pipeline import Pipe, SpanRuler

from tests.extract.corpus import blank_pipelines

TEXT = ("Regjeringen vil gi Oslo Cancer Cluster og Nammo AS 55 millioner kroner innen 2030, "
        "mener Erna Solberg (H). Eksporten skal økes med 40 prosent.")
KEYS = ("org_rules", "quantities", "target_cues", "action_cues")


def _spans(doc):
    return {k: [(s.start_char, s.end_char, s.label_, s.id_) for s in doc.spans[k]] for k in KEYS}


def test_components_are_pipes_and_the_cue_matchers_are_spacy_span_rulers():
    nlp = blank_pipelines().nb
    assert nlp.pipe_names == ["sentencizer", "organisation_ruler", "quantity_matcher", "target_matcher", "action_matcher"]
    assert isinstance(nlp.get_pipe("organisation_ruler"), Pipe)
    assert isinstance(nlp.get_pipe("quantity_matcher"), Pipe)
    assert isinstance(nlp.get_pipe("target_matcher"), SpanRuler)
    assert isinstance(nlp.get_pipe("action_matcher"), SpanRuler)


def test_a_saved_pipeline_carries_its_rules(tmp_path):
    nlp = blank_pipelines().nb
    expected = _spans(nlp(TEXT))
    assert all(expected.values())
    nlp.to_disk(tmp_path)
    assert (tmp_path / "organisation_ruler" / "gazetteer.jsonl").exists()
    assert (tmp_path / "quantity_matcher" / "lexicon.json").exists()
    assert _spans(spacy.load(tmp_path)(TEXT)) == expected


def test_a_loaded_pipeline_uses_the_saved_rules_not_the_files(tmp_path):
    nlp = blank_pipelines().nb
    nlp.to_disk(tmp_path)
    lexicon = tmp_path / "quantity_matcher" / "lexicon.json"
    lexicon.write_text(lexicon.read_text(encoding="utf-8").replace('"prosent"', '"prosentx"'), encoding="utf-8")
    loaded = spacy.load(tmp_path)
    doc = loaded(TEXT)
    assert [s.label_ for s in doc.spans["quantities"]] == ["money"]  # "40 prosent" is no longer a unit


def test_every_quantity_is_parsed_once_into_its_span():
    doc = blank_pipelines().nb("Katapulten fikk 214 mNOK i 2024, 40 prosent mer, over tre år.")
    got = [(s.text, s.label_, s._.quantity.low, s._.quantity.unit) for s in doc.spans["quantities"]]
    assert got == [("214 mNOK", "money", 214e6, "NOK"), ("40 prosent", "percent", 40, "%"), ("over tre år", "duration", 3, "year")]


def test_the_money_grammar_runs_once_per_doc_and_never_in_the_extractors(monkeypatch):
    from pipeline.extract import actions, amounts, organisations, targets
    from pipeline.extract.quantities import grammar
    from tests.extract.corpus import analyse

    texts = []
    real = grammar.Grammar.__init__

    def counting(self, text, lex):
        texts.append(text)
        real(self, text, lex)

    monkeypatch.setattr(grammar.Grammar, "__init__", counting)
    document = analyse("Regjeringen vil øke bevilgningen med 55 millioner kroner innen 2030.\n\n"
                       "Regjeringen setter av 100 millioner kroner til forskning. Målet er 40 prosent innen 2030.", "nb")
    assert texts == [doc.text for _, _, doc in document.parts]  # the quantity component, once per Doc
    texts.clear()
    orgs = organisations.extract(document)[1]
    found = amounts.extract(document), targets.extract(document, orgs=orgs), actions.extract(document, orgs=orgs)
    assert all(found) and texts == []  # rows of every kind, read from the spans
