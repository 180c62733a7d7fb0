"""Organisations: candidates, filters and resolution (pipeline/extract/organisations.py).

Every case runs through the real pipelines (clean + spaCy + our components); the cases hold
with and without a trained Norwegian or English model installed.
"""
import pytest

from pipeline.extract import organisations


def orgs(analyse_text, text):
    """{name: set(aliases)} of the organisations found in `text`."""
    _, rows = organisations.extract(analyse_text(text))
    return {r["name"]: set(r["aliases"]) for r in rows}


def group_of(found: dict, form: str) -> str | None:
    """The organisation row whose name or aliases contain `form`."""
    for name, aliases in found.items():
        if form == name or form in aliases:
            return name
    return None


# --------------------------------------------------------------------------- resolution


@pytest.mark.parametrize("text, full, other", [
    # genitive (nb)
    ("Innovasjon Norge gir lån. Innovasjon Norges rolle er viktig.", "Innovasjon Norge", "Innovasjon Norges"),
    # definite form and genitive of a gazetteer alias (nb)
    ("Norges forskningsråd fordeler midler. Forskningsrådets budsjett øker.", "Norges forskningsråd", "Forskningsrådets"),
    # all-caps heading (nb)
    ("OPPDRAGSBREV TIL INNOVASJON NORGE\n\nInnovasjon Norge skal rapportere.", "Innovasjon Norge", "INNOVASJON NORGE"),
    # genitive with an apostrophe (en)
    ("Enova got more money. Enova's climate work grows.", "Enova", "Enova's"),
    # leading article (en)
    ("The Life Science Cluster met Life Science Cluster members.", "The Life Science Cluster", "Life Science Cluster"),
])
def test_genitive_definite_and_case_variants_are_one_organisation(analyse_text, text, full, other):
    doc = analyse_text(text)
    mentions, rows = organisations.extract(doc)
    assert [r["name"] for r in rows] == [full]
    assert rows[0]["n_mentions"] == 2
    assert any(other.startswith(m["text"]) and doc.text.startswith(other, m["start"]) for m in mentions)


def test_second_pass_finds_every_mention(analyse_text):
    doc = analyse_text("Det norske batteriselskapet Morrow trenger penger. Morrow har søkt om lån. Morrow-sjef Bacher er optimist.")
    mentions, rows = organisations.extract(doc)
    assert [r["name"] for r in rows] == ["Morrow"]
    assert len([m for m in mentions if m["canonical"] == "Morrow"]) == 3


# --------------------------------------------------------------------------- candidates


def test_list_introduced_as_companies_gives_organisations(analyse_text):
    text = "SELSKAPENE I GRUPPEN\n\n• Nadeno Nanoscience\n• ClexBio\n• Zelluna\n"
    found = orgs(analyse_text, text)
    assert {"Nadeno Nanoscience", "ClexBio", "Zelluna"} <= set(found)


def test_list_of_sectors_under_a_company_cue_is_not_organisations(analyse_text):
    text = "Bedriftene kommer fra disse sektorene:\n\n• Helse\n• Energi\n\nMange jobber med helse og energi."
    assert orgs(analyse_text, text) == {}


def test_list_without_a_company_cue_is_not_organisations(analyse_text):
    text = "Hovedpunkter\n\n• Forenkle tilgang\n• Styrke kapital\n"
    assert orgs(analyse_text, text) == {}


# --------------------------------------------------------------------------- precision


def test_person_in_parentheses_keeps_the_organisation(analyse_text):
    found = orgs(analyse_text, "Leif Rune Skymoen (LMI) og Monica Larsen (LMI) deltok.")
    assert list(found) == ["LMI"]


# --------------------------------------------------------------------------- rows

def test_rows_keep_provenance(analyse_text):
    doc = analyse_text("Innovasjon Norge og Siva deltok. Norges forskningsråd (FR) og Forskningsrådets folk også.")
    mentions, rows = organisations.extract(doc)
    assert mentions and rows
    for m in mentions:
        assert doc.text[m["start"]:m["end"]] == m["text"]
        assert m["text"] in m["sentence"] or m["sentence"] in doc.text
        assert m["source_rule"] and m["label"] == "ORG"
        assert m["canonical"] in {r["name"] for r in rows}
    for r in rows:
        assert r["n_mentions"] == len([m for m in mentions if m["canonical"] == r["name"]])
        assert doc.text[r["first_start"]:].startswith(
            next(m["text"] for m in mentions if m["canonical"] == r["name"] and m["start"] == r["first_start"]))


def test_ruler_is_a_component_of_both_pipelines(pipelines):
    assert "organisation_ruler" in pipelines.nb.pipe_names
    assert "organisation_ruler" in pipelines.en.pipe_names


def test_gazetteer_entries_are_unique_and_named():
    entries = organisations.gazetteer()
    names = [e.name for e in entries]
    assert len(names) == len(set(names))
    assert all(e.name.strip() == e.name and e.kind for e in entries)


def test_dev_seed_names_companies_in_its_member_list(seeds_dir, analyse_text):
    text = next(seeds_dir.glob("000_*.txt")).read_text(encoding="utf-8")
    found = orgs(analyse_text, text)
    assert {"Nadeno Nanoscience", "Pluvia Biotech", "Kornferry", "LMI"} <= {group_of(found, f) for f in
                                                                       ["Nadeno Nanoscience", "Pluvia Biotech", "Kornferry", "LMI"]}
    assert group_of(found, "Leif Rune Skymoen") is None


@pytest.mark.parametrize("text, name, ok", [
    ("Les STATSBUDSJETTET i dag.", "STATSBUDSJETTET", False),  # an all-caps heading word, not an acronym
    ("Les OPPDRAGSBREV i dag.", "OPPDRAGSBREV", False),
    ("Utslipp av NOx øker.", "NOx", False),  # a formula
    ("Han jobber i Nammo nå.", "Nammo", True),
    # capitalised by position (after a heading's colon) and in the definite form: a common noun
    ("STATSBUDSJETTET: Budsjettforslaget for 2021 gir ikke vekst.", "Budsjettforslaget", False),
    ("Kunde: Nammo betaler.", "Nammo", True),
    ("Deres ref Vår ref 21/1234", "Vår", False),  # a stop word of the language
    ("Innovasjon Norge Postboks 448 Sentrum 0104 OSLO", "Sentrum", False),  # an address's postal district
    ("Postboks 448 er leid av Nammo.", "Nammo", True),
    ("5.1. BAKGRUNN OG FAKTA", "BAKGRUNN", False),  # a word of an all-caps heading
    ("Avtalen med EQUINOR ble signert.", "EQUINOR", True),
    ("Dette gjelder API-produksjon i Norge.", "API-produksjon", False),  # a compound common noun
    ("Han leder Gjønnes-utvalget nå.", "Gjønnes-utvalget", True),
    ("Vi vil styrke koordinering. Koordinerings og støtteaktivitet er viktig.", "Koordinerings", False),
])
def test_names_only_the_model_found_are_checked(text, name, ok):
    import spacy

    from pipeline.extract.organisations.candidates import _model_name_ok

    from pipeline.extract.organisations.candidates import _lower_words_of

    doc = spacy.blank("nb")(text)
    i = next(t.i for t in doc if t.text == name)
    assert _model_name_ok(doc[i : i + 1], _lower_words_of(text), set()) is ok


def test_a_list_of_places_the_model_took_for_one_name_is_not_an_organisation():
    import spacy

    from pipeline.extract.organisations.candidates import _model_name_ok

    doc = spacy.blank("nb")("Fabrikkene ligger i Horten, Overhalla, Kløfta, Kjeller og Halden.")
    assert _model_name_ok(doc[5:10], set(), set()) is False  # "Overhalla, Kløfta, Kjeller"


def test_a_model_name_around_og_is_split_into_the_names_it_joins():
    import spacy

    from pipeline.extract.organisations.candidates import _conjuncts

    def parts(text, start, end):
        return [p.text for p in _conjuncts(spacy.blank("nb")(text)[start:end])]

    assert parts("Både Future Materials, Digicat og Manufacturing technology tilbyr tjenester.", 4, 7) == ["Digicat", "Manufacturing"]
    assert parts("Avtalen ble signert av Equinor og Telenor i går.", 4, 7) == ["Equinor", "Telenor"]
    assert parts("Han jobber i Nordisk Sol- og Vindkraft nå.", 3, 7) == ["Nordisk Sol- og Vindkraft"]  # a hyphen before "og": one name
    # the last part ends in a head word, the first is common words: one name
    assert parts("She heads the Norwegian Oil and Gas Association now.", 3, 8) == ["Norwegian Oil and Gas Association"]


# --------------------------------------------------------------------------- issue 21: people, lists, known names


@pytest.mark.parametrize("text, start, end, person", [
    ("Det sier fiskeriminister Odd Emil Ingebrigtsen (H) i dag.", 3, 4, True),  # the name goes on after "Odd"
    ("Leiar Frederic Hauge i Bellona kallar det eit skifte.", 1, 3, True),  # a first name from NorNE's list
    ("Aksjene ble kjøpt av Per Aarsleff AS i går.", 4, 7, False),  # a legal form ends it
    ("Midlene går til Anders Jahre Senter i Sandefjord.", 3, 6, False),  # a head word ends it
    ("Kontrakten gikk til Bellona og Equinor.", 3, 4, False),
])
def test_first_name_and_surname_is_a_person_unless_an_organisation_word_ends_it(text, start, end, person):
    import spacy

    from pipeline.extract.organisations.candidates import _is_person

    assert _is_person(spacy.blank("nb")(text)[start:end], []) is person


@pytest.mark.parametrize("text, lang, ok", [
    ("Troll er et av de største feltene.", "nb", False),  # a common Norwegian word at a sentence start
    ("Sea levels rise.", "en", False),
    ("Northzone er et investeringsselskap.", "nb", True),  # a rare word: a name
    ("Meltwater grew fast.", "en", True),
])
def test_a_common_word_capitalised_by_its_position_is_not_a_model_name(text, lang, ok):
    import spacy

    from pipeline.extract.organisations.candidates import _model_name_ok

    nlp = spacy.blank(lang)
    nlp.add_pipe("sentencizer")
    doc = nlp(text)
    assert _model_name_ok(doc[0:1], set(), set()) is ok


def test_a_model_name_inside_a_longer_name_of_the_document_is_that_name():
    from types import SimpleNamespace

    from pipeline.extract.organisations.candidates import Mention
    from pipeline.extract.organisations.resolve import _extend_to_longer_names

    text = "Bedriften Nova Sea vokser. Nova Sea er viktig for Lovund, og Sea Farm er en annen."
    long = Mention(10, 18, "Nova Sea", "rule:company_noun", 0)
    inner = Mention(text.index("Sea", 30), text.index("Sea", 30) + 3, "Sea", "ner:nb:ORG", 3)
    other = Mention(text.index("Sea Farm"), text.index("Sea Farm") + 3, "Sea", "ner:nb:ORG", 3)
    _extend_to_longer_names(SimpleNamespace(text=text), [long, inner, other])
    assert (inner.text, inner.start) == ("Nova Sea", text.index("Nova Sea", 20))
    assert (other.text, other.start) == ("Sea", text.index("Sea Farm"))  # no "Nova" before it


@pytest.mark.parametrize("text, found", [
    # oil fields: no organisation in the list, most of it not the model's organisations
    ("Kuttene skal skje på felt som Troll, Oseberg og Gullfaks.", set()),
    # a list with a known organisation keeps its names
    ("Gründerne kommer fra Northzone, Kahoot, Visma og Meltwater, og selskapet Kahoot er størst.",
     {"Northzone", "Kahoot", "Visma", "Meltwater"}),
])
def test_lists_decide_together(analyse_text, text, found):
    assert set(orgs(analyse_text, text)) == found
