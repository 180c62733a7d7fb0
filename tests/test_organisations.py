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

@pytest.mark.parametrize("text, forms", [
    # acronym defined in parentheses (nb)
    ("Direktoratet for medisinske produkter (DMP) godkjenner legemidler. DMP har lang saksbehandlingstid.",
     ["Direktoratet for medisinske produkter", "DMP"]),
    # acronym defined with "=" (nb)
    ("Forkortelser: IN= Innovasjon Norge. IN forvalter ordningen for regjeringen.",
     ["Innovasjon Norge", "IN"]),
    # acronym of a gazetteer name (nb)
    ("Norges forskningsråd (FR) lyser ut midler. FR prioriterer helse.",
     ["Norges forskningsråd", "FR"]),
    # acronym defined for an unknown name (en)
    ("NOK 175 million goes to a capture station at Fortum Oslo Varme (FOV). FOV will build it.",
     ["Fortum Oslo Varme", "FOV"]),
    # acronym of a cluster (en)
    ("Norway Health Tech (NHT) and Oslo Cancer Cluster wrote to the ministry. NHT leads the work.",
     ["Norway Health Tech", "NHT"]),
])
def test_acronym_definitions_join_the_name(analyse_text, text, forms):
    found = orgs(analyse_text, text)
    assert {group_of(found, f) for f in forms} == {forms[0]}


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


@pytest.mark.parametrize("text, name, alias", [
    # known aliases from the gazetteer (nb)
    ("Legemiddelindustrien er bransjeforeningen. LMI mener rammevilkårene må bedres.", "Legemiddelindustrien", "LMI"),
    ("Nærings- og fiskeridepartementet (NFD) styrer Innovasjon Norge. NFD ber om rapport.",
     "Nærings- og fiskeridepartementet", "NFD"),
    # known alias in English
    ("The Research Council of Norway funds projects. Innovation Norway and the Research Council of Norway agree.",
     "The Research Council of Norway", None),
    # parenthesised translation of a known name (en)
    ("They want to give Nysnø (Fresh Snow) more capital.", "Nysnø", "Fresh Snow"),
])
def test_known_aliases_map_to_one_name(analyse_text, text, name, alias):
    found = orgs(analyse_text, text)
    assert name in found
    if alias:
        assert alias in found[name]
        assert alias not in found


@pytest.mark.parametrize("text, name, alias", [
    ("Morrow søker lån, skriver Dagens Næringsliv. Til DN sier Morrow at lånet haster.", "Dagens Næringsliv", "DN"),
    ("Erik Skullerud (Insider) leder gruppen. Medlemmene er Insider Group og Circio ASA.", "Insider Group", "Insider"),
])
def test_short_forms_after_the_full_name_are_mentions(analyse_text, text, name, alias):
    found = orgs(analyse_text, text)
    assert alias in found[name]
    assert alias not in found


@pytest.mark.parametrize("text, name, alias", [
    # a head word alone refers back to the one organisation it ends (en)
    ("We welcome the proposal from the European Commission. We urge the Commission to act.", "European Commission", "Commission"),
    # legal form dropped later in the text (nn)
    ("Hydrogenselskapet Hyvolution AS byggjer i Florø. Dagleg leiar i Hyvolution er nøgd.", "Hyvolution AS", "Hyvolution"),
    # Nynorsk spelling of a gazetteer name joins the name used in the text
    ("Forskingsrådet og Noregs forskingsråd er same organisasjon.", "Noregs forskingsråd", "Forskingsrådet"),
])
def test_variants_of_one_name_are_one_organisation(analyse_text, text, name, alias):
    found = orgs(analyse_text, text)
    assert alias in found[name]
    assert alias not in found


def test_second_pass_finds_every_mention(analyse_text):
    doc = analyse_text("Det norske batteriselskapet Morrow trenger penger. Morrow har søkt om lån. Morrow-sjef Bacher er optimist.")
    mentions, rows = organisations.extract(doc)
    assert [r["name"] for r in rows] == ["Morrow"]
    assert len([m for m in mentions if m["canonical"] == "Morrow"]) == 3


# --------------------------------------------------------------------------- candidates

@pytest.mark.parametrize("text, name", [
    ("Avtalen ble signert av Nammo AS i går.", "Nammo AS"),
    ("Kontrakten gikk til Hexagon Composites ASA.", "Hexagon Composites ASA"),
    ("The deal was signed by Acme Robotics Ltd yesterday.", "Acme Robotics Ltd"),
])
def test_legal_form_suffix_makes_an_organisation(analyse_text, text, name):
    assert name in orgs(analyse_text, text)


@pytest.mark.parametrize("text, name", [
    ("Saken ble behandlet i Kommunaldepartementet i går.", "Kommunaldepartementet"),
    ("Klimarådet anbefaler kutt.", "Klimarådet"),
    ("Møtet var hos Bergen kommune.", "Bergen kommune"),
    ("Rektor ved Universitetet i Tromsø var til stede.", "Universitetet i Tromsø"),
    ("Forskere fra Haugesund universitetssjukehus deltok.", "Haugesund universitetssjukehus"),
    ("Medlemmer av Arctic Battery Cluster møttes.", "Arctic Battery Cluster"),
    ("The Health and Care Committee held a hearing.", "Health and Care Committee"),
    ("The report was written by Manufacturing Test Catapult staff.", "Manufacturing Test Catapult"),
])
def test_head_words_make_an_organisation(analyse_text, text, name):
    assert name in orgs(analyse_text, text)


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


@pytest.mark.parametrize("text, name", [
    ("Det norske batteriselskapet Morrow trenger penger.", "Morrow"),
    ("Ho talte i fabrikklokala til industribedrifta Nordox på Helsfyr.", "Nordox"),
    ("Cathrine Thomassen, daglig leder i GE Healthcare, talte.", "GE Healthcare"),
    ("sa Ida Sofie Jensen, administrerende direktør i LIF Danmark.", "LIF Danmark"),
    ("Per Walday (Exact Therapeutics) og Carlos de Sousa (Ultimovacs) deltok.", "Ultimovacs"),
    ("Investorene Siemens Project Ventures og ABB har sendt brev.", "ABB"),
    ("Hydrogenselskapet Hyvolution AS skal byggje eit anlegg.", "Hyvolution AS"),
    ("Statsbudsjettet 2025: Tildelingsbrev til Siva SF", "Siva SF"),
    ("Produksjonen skjer hos Bayer og GE Healthcare.", "GE Healthcare"),
    ("Our members include Rana Gruber ASA, Sibelco Nordic, Brønnøy Kalk and LKAB Norge.", "Brønnøy Kalk"),
    ("Også LO-leder Peggy Hessen Følsvik er kritisk.", "LO"),
    ("NOK 175 million goes to Fortum Oslo Varme (FOV) and Norcem.", "Norcem"),
])
def test_context_cues_give_organisations(analyse_text, text, name):
    assert name in orgs(analyse_text, text)


@pytest.mark.parametrize("text, party", [
    ("sa statssekretær Vegard Grøslie Wennesland (Ap).", "Ap"),
    ("seier næringsminister Iselin Nybø (V).", "V"),
    ("says Minister Ola Elvestuen (Liberals), in a press release.", "Liberals"),
    ("Høyre-leder Erna Solberg lovet en strategi.", "Høyre"),
])
def test_parties_after_politicians_are_organisations(analyse_text, text, party):
    assert group_of(orgs(analyse_text, text), party) is not None


# --------------------------------------------------------------------------- precision

@pytest.mark.parametrize("text, not_org", [
    ("Regjeringen vil styrke klyngene.", "Regjeringen"),
    ("Regjeringen vil styrke klyngene.", "klyngene"),
    ("Leif Rune Skymoen (LMI) talte om bransjen.", "Leif Rune Skymoen"),
    ("Monica Larsen (LMI) deltok også.", "Monica Larsen"),
    ("Selskapene flytter til Oslo og Sverige.", "Oslo"),
    ("The Norwegian Government proposes more money.", "The Norwegian Government"),
    ("Health Data: Create a national data platform.", "Health Data"),
    ("Det gjelder Københavnområdet og resten av Danmark.", "Københavnområdet"),
    ("says Minister for Climate and Environment, Ola Elvestuen.", "Climate and Environment"),
    ("Holistic Healthcare Funding: Ensure faster access.", "Holistic Healthcare Funding"),
    ("said Trade Minister Jan Christian Vestre.", "Trade"),
    ("Næringsminister Cecilie Myrseth vil ikke kommentere saken.", "Næringsminister"),
    ("Contact: John Smith, Head of Policy, Norwegian Mining Association", "Policy"),
    ("Norge og Danmark signerte avtalen.", "Norge"),
    ("Produksjonen skjer hos Bayer og GE Healthcare.", "Bayer og GE Healthcare"),
    ("Hydrogenselskapet Hyvolution AS skal byggje eit anlegg.", "Hydrogenselskapet Hyvolution AS"),
    ("Regjeringa vil styrkje klyngjeprogrammet.", "Regjeringa"),
    ("Se Figur 2 og Anbefaling 3 i rapporten.", "Figur 2"),
    ("Styrket Nordisk samhandling er målet. Vi har styrket nordisk samarbeid.", "Styrket Nordisk"),
    ("Produksjon av virkestoff (Active Pharmaceutical Ingredients, API) skjer i India.", "Active Pharmaceutical Ingredients"),
])
def test_people_places_and_generic_nouns_are_not_organisations(analyse_text, text, not_org):
    found = orgs(analyse_text, text)
    assert group_of(found, not_org) is None


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

    from pipeline.extract.organisations import _model_name_ok

    from pipeline.extract.organisations import _lower_words_of

    doc = spacy.blank("nb")(text)
    i = next(t.i for t in doc if t.text == name)
    assert _model_name_ok(doc[i : i + 1], _lower_words_of(text), set()) is ok


def test_a_list_of_places_the_model_took_for_one_name_is_not_an_organisation():
    import spacy

    from pipeline.extract.organisations import _model_name_ok

    doc = spacy.blank("nb")("Fabrikkene ligger i Horten, Overhalla, Kløfta, Kjeller og Halden.")
    assert _model_name_ok(doc[5:10], set(), set()) is False  # "Overhalla, Kløfta, Kjeller"


def test_a_model_name_around_og_is_cut_to_its_first_name():
    import spacy

    from pipeline.extract.organisations import _before_coordinator

    doc = spacy.blank("nb")("Både Future Materials, Digicat og Manufacturing technology tilbyr tjenester.")
    assert _before_coordinator(doc[4:7]).text == "Digicat"
    doc = spacy.blank("nb")("Han jobber i Nordisk Sol- og Vindkraft nå.")
    assert _before_coordinator(doc[3:7]).text == "Nordisk Sol- og Vindkraft"  # a hyphen before "og": one name
