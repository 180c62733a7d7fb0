"""Recommended actions: positive and negative sentences per cue family (Bokmål, Nynorsk,
English), measure lists with inherited cues, clause-level text, actor and provenance."""
import pytest

from pipeline.extract import actions


def _rows(analyse_text, text, **kw):
    document = analyse_text(text)
    return document, actions.extract(document, **kw)


@pytest.mark.parametrize(
    "text, key, modality",
    [
        # propose
        ("Rapporten foreslår at Norge etablerer en nasjonal plattform for alle helsedata.", "etablerer en nasjonal plattform", "propose"),
        ("En rekke tiltak foreslås vurdert, som CO2-avgift og utslippsfrie havner.", "utslippsfrie havner", "propose"),
        ("Departementet føreslår at ordninga blir gjord permanent.", "ordninga blir gjord permanent", "propose"),
        ("– Vi foreslår å løyve 75 millionar kroner til ei strategisk satsing på eksport, seier Nybø.", "løyve 75 millionar kroner", "propose"),
        ("The Norwegian Government proposes to strengthen Enova by more than NOK 3 billion.", "strengthen enova", "propose"),
        ("NOK 175 million is proposed granted to a capture station.", "capture station", "propose"),
        # recommend
        ("Virkemiddelapparatet anbefaler en styrking av dagens katapulttilbud.", "styrking av dagens katapulttilbud", "recommend"),
        ("Utvalet tilrår at fylkeskommunen får ansvaret for ordninga.", "fylkeskommunen får ansvaret", "recommend"),
        ("The committee recommends a national life sciences strategy.", "national life sciences strategy", "recommend"),
        # should
        ("Tilbudet bør inneholde fasiliteter og kompetanse innenfor alle produktområdene.", "tilbudet bør inneholde", "should"),
        ("Norway should build a national health catapult.", "national health catapult", "should"),
        # must
        ("Offentlig sektor må være en aktiv partner i innovasjon.", "aktiv partner i innovasjon", "must"),
        ("Norsk Industri mener at tilskuddet må styrkes med 250 millioner kroner.", "må styrkes med 250 millioner", "must"),
        ("Derfor er det avgjørende med økte investeringer i produksjonskapasitet.", "økte investeringer", "must"),
        ("Life sciences must be placed in a wider industrial context.", "wider industrial context", "must"),
        # demand
        ("Momentet er nå, og Norsk Industri krever strakstiltak.", "krever strakstiltak", "demand"),
        ("Siva bes i samarbeid med Innovasjon Norge å etablere en nasjonal satsing.", "etablere en nasjonal satsing", "demand"),
        ("The industry calls for faster approval of new medicines.", "faster approval", "demand"),
        ("However, we urge the Commission to involve EFTA states.", "involve efta states", "demand"),
        # commit
        ("Regjeringa vil opprette ei ny eining og samle kompetanse der.", "opprette ei ny eining", "commit"),
        ("I tillegg vil regjeringa bruke 20 millionar kroner til å styrkje klyngjeprogrammet.", "styrkje klyngjeprogrammet", "commit"),
        ("Det skal oppnemnast eit mellombels eksportpanel.", "mellombels eksportpanel", "commit"),
        ("Regjeringen vil legge til rette for grønn skipsfart.", "legge til rette", "commit"),
        ("Elvestuen will also increase funding for the Climate and Forest Initiative.", "increase funding", "commit"),
        ("They also want to provide the renewable fund with an investment capital of NOK 400 million.", "renewable fund", "commit"),
        ("Regjeringen setter av 100 millioner kroner til grønn skipsfart.", "grønn skipsfart", "commit"),
        ("I budsjettet styrker regjeringa klyngjeprogrammet med 20 millionar kroner.", "klyngjeprogrammet", "commit"),
        # perfect-tense proposals and ministry expectations
        ("Utvalget har foreslått at ordningen gjøres permanent.", "ordningen gjøres permanent", "propose"),
        ("The committee has recommended a national consent solution.", "national consent solution", "recommend"),
        ("Departementet forventer at Innovasjon Norge prioriterer grønne prosjekter.", "prioriterer grønne prosjekter", "demand"),
        ("Vi ber departementet om å utrede en ny låneordning.", "utrede en ny låneordning", "demand"),
    ],
)
def test_action_found(analyse_text, text, key, modality):
    _, rows = _rows(analyse_text, text)
    hits = [r for r in rows if key.casefold() in r["text"].casefold()]
    assert hits, [r["text"] for r in rows]
    assert hits[0]["modality"] == modality


@pytest.mark.parametrize(
    "text",
    [
        # past events
        "Katapultordningen ble etablert i 2017.",
        "Senteret vart oppretta i fjor.",
        "In 2023 the agency recommended a new centre.",
        "Regjeringen la høsten 2023 frem Veikart for helsenæringen.",
        # routine descriptions
        "Siva eier og forvalter katapultordningen.",
        "Innovasjon Norge tilbyr lån og tilskudd til bedrifter i hele landet.",
        "Dette krever tilgang til godkjente fasiliteter for klinisk testing.",
        "Nye produkter må ofte sendes til utlandet for å kvalitetssikres.",
        "I pasienttilpassede behandlinger må pasientceller i dag gjerne sendes til utlandet.",
        "Det understrekes at oppsummeringen ikke må betraktes som fullstendig.",
        "Dette vil gjøre det enklere å bruke data til persontilpasset medisin.",
        "The proposal will be presented in full on Monday.",
        "The proposed centre opened in 2020.",
        "The ministry should have acted earlier.",
        "Norway unveils plan to cut emissions",
        "According to a report, demand will triple in the coming years.",
        "Regjeringen styrket klyngene med 20 millioner kroner i fjor.",
        "Regjeringen setter pris på innspillene.",
        "Aktørenes behov må dekkes av utenlandske aktører, på samme måte som i dag.",
        # subordinate uses and questions
        "Selskapene tar lange utviklingsløp som bioteknologiselskap må gjennom.",
        "Innspillene spriker i hvilken innretning en helsekatapult bør ha.",
        "Hvilken innretning bør en helsekatapult ha?",
        "Godt marknadstilgang ligg til grunn for alt vi ønskjer å få til.",
        # needs nobody demands
        "Det er behov for flere virkemidler som støtter effektivisering.",
        "Selskapet har behov for totalt 30 til 40 milliarder kroner i investeringer.",
        "There is a need for more risk capital in the Nordic region.",
        "Morrow trenger penger for å fullføre batterifabrikken.",
    ],
)
def test_no_action(analyse_text, text):
    _, rows = _rows(analyse_text, text)
    assert rows == [], [r["text"] for r in rows]


@pytest.mark.parametrize(
    "text, expected",
    [
        # a numbered measure list under a heading: one row per clause of each item
        ("Fem strategiske grep\n\n1. Forenkle tilgang til helsedata – Redusere saksbehandlingstiden til under seks måneder.\n"
         "2. Styrke kapitaltilgangen – Opprette et nordisk investeringsfond.",
         ["Forenkle tilgang til helsedata", "Redusere saksbehandlingstiden til under seks måneder",
          "Styrke kapitaltilgangen", "Opprette et nordisk investeringsfond"]),
        # an unnamed list: only items that start with an action verb
        ("Våre innspill:\n\n• Innføre en skatteinsentivordning for investeringer\n• Bedriftene opplever lang saksbehandlingstid",
         ["Innføre en skatteinsentivordning for investeringer"]),
        # abbreviations do not end a sentence inside an item
        ("Tiltak\n\n• Gjennomføre større utlysninger (ref. Grønn plattform, o.l.)",
         ["Gjennomføre større utlysninger (ref. Grønn plattform, o.l.)"]),
        # bullets under "Tiltak"
        ("Tiltak\n\n• Etablere en helsekatapult\n• Styrke klyngene i hele landet",
         ["Etablere en helsekatapult", "Styrke klyngene i hele landet"]),
        # labelled key points after a lead-in ending in ":", coordinated imperatives split
        ("Key points from the submission include:\n\n"
         "Health Data: Create a national data platform, task Helsenorge with developing a consent solution, and establish an action plan for AI.\n\n"
         "Procurement: Introduce an innovation criterion in relevant procurements.",
         ["Create a national data platform", "task Helsenorge with developing a consent solution",
          "establish an action plan for AI", "Introduce an innovation criterion in relevant procurements"]),
    ],
)
def test_list_items_inherit_the_lead_cue(analyse_text, text, expected):
    _, rows = _rows(analyse_text, text)
    assert [r["text"] for r in rows] == expected
    assert all(r["source_rule"].startswith("action:list:") for r in rows)
    assert all(r["modality"] in ("propose", "recommend", "must", "commit") for r in rows)


@pytest.mark.parametrize(
    "text",
    [
        "Spesifikt pekes på flere behov:\n\n• Nasjonal kvalitetskontroll for legemidler\n• Fasiliteter for celleterapi",
        "Selskapene i gruppen\n\n• Nadeno Nanoscience\n• ClexBio",
        "En trinnvis satsing som foreslått kan forventes å:\n\n• bidra til en gradvis realisering av ny produksjon\n• bygge økt kapasitet",
    ],
)
def test_lists_that_announce_no_measures(analyse_text, text):
    _, rows = _rows(analyse_text, text)
    assert rows == [], [r["text"] for r in rows]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Rapporten foreslår å innføre økonomiske insentiver for forskere, samt å utvikle bedre rammevilkår for samarbeid.",
         ["Rapporten foreslår å innføre økonomiske insentiver for forskere", "å utvikle bedre rammevilkår for samarbeid"]),
        ("– Vi må tenke stort sammen, sa Vestre.", ["Vi må tenke stort sammen"]),
        ("Regjeringen peker på at Norge er ledende, men at vi må handle mye raskere.", ["at vi må handle mye raskere"]),
    ],
)
def test_action_text_is_the_clause(analyse_text, text, expected):
    _, rows = _rows(analyse_text, text)
    assert [r["text"] for r in rows] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Rapporten anbefaler at regjeringen utvikler en nasjonal strategi.",
         {"verb": "utvikle", "actor": "Rapporten", "addressee": "regjeringen", "modality": "recommend"}),
        ("– Offentlig sektor må være en aktiv partner, sa Cathrine Thomassen.",
         {"actor": "Cathrine Thomassen", "addressee": "Offentlig sektor", "modality": "must"}),
        ("Regjeringa vil opprette ei ny eining.", {"verb": "opprette", "actor": "Regjeringa", "modality": "commit"}),
        ("NHO mener regjeringen må gå lenger.", {"actor": "NHO", "addressee": "regjeringen", "modality": "must"}),
        ("Regjeringen har vedtatt en plan, og i den sammenhengen må virkemiddelapparatet tilpasses.",
         {"addressee": "virkemiddelapparatet", "verb": "tilpasse", "modality": "must"}),
        ("Regjeringen setter av 150 millioner kroner til klinisk forskning.", {"verb": "sette", "actor": "Regjeringen", "modality": "commit"}),
        ("\"We must move faster,\" said party leader Jane Doe.", {"actor": "Jane Doe", "modality": "must"}),
        ("The Government proposes to allocate NOK 670 million to carbon capture.",
         {"verb": "allocate", "actor": "Government", "modality": "propose"}),
    ],
)
def test_action_fields(analyse_text, text, expected):
    _, rows = _rows(analyse_text, text)
    assert len(rows) == 1
    assert {k: rows[0][k] for k in expected} == expected


def test_report_resolves_to_its_author(analyse_text):
    text = "Siva og Innovasjon Norge\n\nRapport 2024\n\nRapporten foreslår at Norge etablerer en nasjonal helsekatapult."
    orgs = [{"name": "Siva", "aliases": []}, {"name": "Innovasjon Norge", "aliases": []}, {"name": "Helse Vest", "aliases": []}]
    _, rows = _rows(analyse_text, text, orgs=orgs)
    assert [r["actor"] for r in rows] == ["Siva, Innovasjon Norge"]


def test_rows_keep_provenance(analyse_text):
    document, rows = _rows(analyse_text, "Anbefalinger\n\n• Etablere en helsekatapult\n\nDet er krevende. Regjeringen bør styrke klyngene, sier Vestre.")
    assert len(rows) == 2
    for r in rows:
        assert document.text[r["start"]:r["end"]] == r["text"]
        assert len(r["text"]) <= 500
        assert r["source_rule"].startswith("action:")


def test_long_sentence_gives_a_window_around_the_cue(analyse_text):
    filler = ", ".join(f"område {i} med mange aktører" for i in range(30))
    text = f"Etter en lang gjennomgang av {filler}, anbefaler utvalget at regjeringen etablerer en nasjonal helsekatapult, {filler}."
    document, rows = _rows(analyse_text, text)
    assert len(rows) == 1
    assert "anbefaler utvalget at regjeringen etablerer en nasjonal helsekatapult" in rows[0]["text"]
    assert len(rows[0]["text"]) <= 500
    assert document.text[rows[0]["start"]:rows[0]["end"]] == rows[0]["text"]
