"""What targets and actions read from a dependency parse (pipeline/extract/common/statements.py):
subjects under NDT's labels (nb_norne_core_sm) and ClearNLP's (en_core_web_sm), sentences a parser
cut too early, and the one author of a document. The Norwegian parses are written by hand (the
labels nb_norne_core_sm gives), so the rules are tested whichever model is installed."""
from __future__ import annotations

import spacy
from spacy.tokens import Doc, Span

from pipeline.extract.common.statements import document_author, outer_subject, statement_sentence, subject_token


def _doc(words, heads, deps, pos=None, ents=()):
    nlp = spacy.blank("nb")
    doc = Doc(nlp.vocab, words=words, heads=heads, deps=deps, pos=pos or ["X"] * len(words))
    doc.ents = [Span(doc, s, e, label=label) for s, e, label in ents]
    return doc


def test_subject_of_a_modal_and_its_infinitive_ndt():
    # Regjeringen skal arbeide for et forbud: SUBJ on the modal, the main verb INFV below it
    doc = _doc(["Regjeringen", "skal", "arbeide", "for", "et", "forbud", "."], [1, 1, 1, 2, 5, 3, 1],
               ["SUBJ", "ROOT", "INFV", "ADV", "DET", "PUTFYLL", "IP"], ["NOUN", "AUX", "VERB", "ADP", "DET", "NOUN", "PUNCT"])
    assert subject_token(doc[2]).text == "Regjeringen"
    assert subject_token(doc[1]).text == "Regjeringen"


def test_an_expletive_subject_is_no_subject_ndt():
    # Det foreslås å øke bevilgningen: FSUBJ "Det" names nobody
    doc = _doc(["Det", "foreslås", "å", "øke", "bevilgningen", "."], [1, 1, 1, 2, 3, 1],
               ["FSUBJ", "ROOT", "DOBJ", "INFV", "DOBJ", "IP"], ["PRON", "VERB", "PART", "VERB", "NOUN", "PUNCT"])
    assert subject_token(doc[1]) is None
    assert subject_token(doc[3]) is None


def test_outer_subject_names_the_speaker_not_the_thing_that_changes():
    # Kari Nordmann sa at industrien skal kutte utslippene innen 2030
    words = ["Kari", "Nordmann", "sa", "at", "industrien", "skal", "kutte", "utslippene", "innen", "2030", "."]
    heads = [1, 2, 2, 5, 5, 2, 5, 6, 6, 8, 2]
    deps = ["ATR", "SUBJ", "ROOT", "SBU", "SUBJ", "DOBJ", "INFV", "DOBJ", "ADV", "PUTFYLL", "IP"]
    pos = ["PROPN", "PROPN", "VERB", "SCONJ", "NOUN", "AUX", "VERB", "NOUN", "ADP", "NUM", "PUNCT"]
    doc = _doc(words, heads, deps, pos, ents=[(0, 2, "PER")])
    assert outer_subject(doc[8]) == "Kari Nordmann"  # the person's name, from the deadline's clause up
    assert outer_subject(doc[8], lambda t: t.text == "industrien") == "industrien"


def test_title_before_a_name_is_dropped_en():
    nlp = spacy.blank("en")
    words = ["Environment", "Minister", "Kari", "Nordmann", "said", "it", "."]
    doc = Doc(nlp.vocab, words=words, heads=[3, 3, 3, 4, 4, 4, 4], deps=["compound", "compound", "compound", "nsubj", "ROOT", "dobj", "punct"],
              pos=["PROPN", "PROPN", "PROPN", "PROPN", "VERB", "PRON", "PUNCT"])
    doc.ents = [Span(doc, 2, 4, label="PERSON")]
    assert outer_subject(doc[5]) == "Kari Nordmann"


def test_a_parser_sentence_cut_before_the_deadline_year_is_joined():
    # the parser made "2030." a sentence of its own: no final punctuation before it
    words = ["Vi", "skal", "halvere", "utslippene", "innen", "2030."]
    doc = _doc(words, [1, 1, 1, 2, 2, 5], ["SUBJ", "ROOT", "INFV", "DOBJ", "ADV", "ROOT"])
    assert [s.text for s in doc.sents] == ["Vi skal halvere utslippene innen", "2030."]
    assert statement_sentence(doc[0:2]).text == "Vi skal halvere utslippene innen 2030."
    assert statement_sentence(doc[5:6]).text == "Vi skal halvere utslippene innen 2030."


def test_sentences_after_final_punctuation_stay_apart():
    words = ["Vi", "skal", "kutte", ".", "Det", "haster", "."]
    doc = _doc(words, [1, 1, 1, 1, 5, 5, 5], ["SUBJ", "ROOT", "INFV", "IP", "SUBJ", "ROOT", "IP"])
    assert statement_sentence(doc[0:1]).text == "Vi skal kutte ."


class _Doc:
    def __init__(self, text):
        self.text = text


def test_the_author_is_the_first_organisation_with_a_joint_byline_only():
    orgs = [{"name": n, "aliases": []} for n in ("Alfa Klynge", "Beta Senter", "Gamma AS", "Stortinget")]
    joint = _Doc("Alfa Klynge, Beta Senter og Gamma AS har sendt et høringssvar til Stortinget om saken.")
    assert document_author(joint, orgs) == "Alfa Klynge, Beta Senter, Gamma AS"
    single = _Doc("Alfa Klynge, en ledende klynge i Norge, har fått med seg Gamma AS og Stortinget.")
    assert document_author(single, orgs) == "Alfa Klynge"
    assert document_author(_Doc("Ingen organisasjoner her."), orgs) is None


def test_dependency_cues_ndt():
    from pipeline.extract.common.cues import dependency_cues

    # I år skal Equinor bore tre brønner: a named actor (ORG) and the verb "skal" governs
    words = ["I", "år", "skal", "Equinor", "bore", "tre", "brønner", "."]
    heads = [2, 0, 2, 2, 2, 6, 4, 2]
    deps = ["ADV", "PUTFYLL", "ROOT", "SUBJ", "INFV", "DET", "DOBJ", "IP"]
    pos = ["ADP", "NOUN", "AUX", "PROPN", "VERB", "NUM", "NOUN", "PUNCT"]
    doc = _doc(words, heads, deps, pos, ents=[(3, 4, "ORG")])
    for t, lemma in zip(doc, ["i", "år", "skulle", "Equinor", "bore", "tre", "brønn", "."]):
        t.lemma_ = lemma
    assert [(c.text, c.label_) for c in dependency_cues(doc, "nb", "actions")] == [("skal Equinor bore", "commit_named")]
    doc[4].lemma_ = "trenge"  # "skal Equinor trenge ...": no plan
    assert dependency_cues(doc, "nb", "actions") == []
    assert dependency_cues(spacy.blank("nb")("I år skal Equinor bore tre brønner."), "nb", "actions") == []  # no parse


def test_kind_mentions_are_found_as_a_scan_per_form_finds_them():
    """`_mentions` tries the patterns only where a plain search finds the form or the kind's word;
    it must give what scanning the whole text with each form's pattern gives."""
    from pipeline.extract.common.statements import _anaphor_rx, _forms, _mentions

    text = ("Bergen kommune og Kommunestyret i Bergen. Bedriften Nova Sea AS vokser; bedriften Nova Sea "
            "og Nova Sea AS. Selskapet Havfrakt AS og havfrakt as. Fylkeskommunen Vestland fylkeskommune. "
            "Bergen Kommune igjen, Bergenkommune ikke.") * 3
    forms = _forms((("Bergen kommune", ()), ("Nova Sea AS", ("Nova Sea",)), ("Havfrakt AS", ()),
                    ("Vestland fylkeskommune", ())))
    for stem in ("kommune", "bedrift", "selskap", "fylkeskommune"):
        scanned = [(m.start(), m.end(), i, f) for i, f in enumerate(forms) for m in _anaphor_rx(f, stem).finditer(text)]
        assert _mentions(text, forms, stem) == scanned, stem
        assert scanned or stem == "fylkeskommune"
