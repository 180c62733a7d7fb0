import json

from pipeline.nlp import model_description, model_fingerprint
from pipeline.run.process import pipeline_version


def test_a_retrained_model_with_the_same_name_changes_the_pipeline_version(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for folder, score in ((a, 0.69), (b, 0.70)):
        folder.mkdir()
        (folder / "meta.json").write_text(json.dumps({"lang": "nb", "name": "norne_sm", "version": "0.1.0",
                                                      "performance": {"ents_f": score}}))
    assert model_description(str(a)).split(";")[0] == model_description(str(b)).split(";")[0] == "nb_norne_sm 0.1.0"
    assert model_fingerprint(str(a)) != model_fingerprint(str(b))
    assert pipeline_version(model_description(str(a)), str(a)) != pipeline_version(model_description(str(b)), str(b))


def _raw(name, text):
    from pipeline.read import RawDocument, path_id

    return RawDocument(source=name, doc_id=path_id(name), reader="text", text=text)


TEXTS = {
    "a.txt": "Innovasjon Norge får 12 mill. kroner i 2026.\n\nRegjeringen vil styrke Forskningsrådet.",
    "b.txt": "Målet er å øke eksporten til 50 milliarder kroner innen 2030, sier Siva.",
    "c.txt": "The Government will invest NOK 3 billion in the state budget for 2019.",
}


def test_shared_nlp_pass_gives_the_rows_of_one_document_at_a_time(pipelines):
    from pipeline.run.process import process_documents

    together = process_documents([_raw(n, t) for n, t in TEXTS.items()], pipelines)
    alone = [process_documents([_raw(n, t)], pipelines) for n, t in TEXTS.items()]
    for table in ("mentions", "organisations", "amounts", "targets", "actions", "texts"):
        assert together.rows[table] == [r for a in alone for r in a.rows[table]], table


def test_a_document_failing_in_the_shared_pass_fails_alone(pipelines, monkeypatch):
    import pipeline.run.process as process

    real = process.clean

    def broken(text, blocks=None):
        if "KAPUTT" in text:
            raise ValueError("broken")
        return real(text, blocks)

    monkeypatch.setattr(process, "clean", broken)
    raws = [_raw(n, t) for n, t in TEXTS.items()] + [_raw("bad.txt", "KAPUTT dokument om 5 mill. kroner.")]
    docs = {r["source"]: r for r in process.process_documents(raws, pipelines).rows["documents"]}
    assert docs["bad.txt"]["status"] == "failed" and docs["bad.txt"]["error"].startswith("cleaning failed")
    assert all(docs[n]["status"] == "ok" for n in TEXTS)


def test_the_english_pipeline_is_built_when_a_segment_needs_it_and_joins_the_open_memory_zone():
    import spacy

    from pipeline.clean import clean
    from pipeline.nlp import Pipelines, analyse

    built = []

    def english():
        built.append(spacy.blank("en"))
        return built[-1]

    p = Pipelines(nb=spacy.blank("nb"), en=english, model_description="blank nb; en: blank en")
    norwegian = clean("Regjeringen foreslår å bruke 12 millioner kroner på nye tiltak for klimaet i 2026.")
    with p.memory_zone():
        assert [doc.text for _, _, doc in analyse([norwegian], p)[0]] == [norwegian.text]
    assert built == []  # a Norwegian document never loads the English pipeline
    english_text = clean("The government proposes to spend twelve million on Qwertyzonk measures for the climate.")
    assert english_text.segments[0].lang == "en"
    with p.memory_zone():
        docs = [doc for _, _, doc in analyse([english_text], p)[0]]
        assert len(built) == 1 and docs[0].vocab is built[0].vocab and "Qwertyzonk" in built[0].vocab.strings
    assert "Qwertyzonk" not in built[0].vocab.strings  # built inside the zone, freed with it
    assert p.en is built[0] and p.for_lang("en") is built[0] and len(built) == 1


def test_norwegian_sentences_come_from_the_sentencizer_even_with_a_parser():
    import spacy

    from pipeline.nlp import add_components

    nb = spacy.blank("nb")
    for name in ("parser", "attribute_ruler"):
        nb.add_pipe(name)
    add_components(nb, "nb")
    assert nb.pipe_names[:2] == ["sentencizer", "parser"]
    assert not nb.disabled  # the attribute ruler runs: the extractors read Norwegian pos_
    en = spacy.blank("en")
    en.add_pipe("parser")
    add_components(en, "en")
    assert "sentencizer" not in en.pipe_names  # English: the parser's sentences


def test_the_runtime_norwegian_sentences_are_the_sentencizers(pipelines):
    """Whatever the installed model (a parser sets sentences too), runs see the rule sentences."""
    import spacy

    text = ("Regjeringen vil styrke Enova og Innovasjon Norge i 2026 Samtidig skal Forskningsrådet få mer\n"
            "Tiltak: CO2-avgift, støtteordninger til fylkeskommuner. Målet er 50 prosent innen 2030.")
    rules = spacy.blank("nb")
    rules.add_pipe("sentencizer")
    want = [s.text for s in rules(text).sents]
    assert [s.text for s in pipelines.nb(text).sents] == want


def test_the_runtime_norwegian_model_tags_lemmatises_and_parses(pipelines):
    """The default Norwegian pipeline is the full one: UD pos_ (attribute ruler), lemmas and a
    parse reach the extractors (their Matcher patterns read POS; without it spaCy raises E155)."""
    doc = pipelines.nb("Regjeringen foreslår å øke avgiften på utslipp med 50 prosent innen 2030.")
    assert doc.has_annotation("POS") and doc.has_annotation("LEMMA") and doc.has_annotation("DEP")
    assert doc[1].pos_ == "VERB" and doc[1].lemma_ == "foreslå" and doc[0].dep_ == "SUBJ"
