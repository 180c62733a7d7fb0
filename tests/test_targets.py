"""Targets: positive and negative sentences per cue family (Bokmål, Nynorsk, English), the
fields read from a target, and provenance."""
import pytest

from pipeline.extract import targets


def _rows(analyse_text, text):
    document = analyse_text(text)
    return document, targets.extract(document)


@pytest.mark.parametrize(
    "text, key, year",
    [
        # goal nouns
        ("Målet er å øke eksportinntektene fra 22 milliarder kroner i 2021 til 50 milliarder kroner i 2030.",
         "50 milliarder kroner i 2030", 2030),
        ("Målet er auka verdiskaping i Noreg og at norsk eksport skal bidra til vekst.", "målet er auka verdiskaping", None),
        ("Ambisjonen er å doble eksporten innen 2035.", "doble eksporten innen 2035", 2035),
        ("The goal is to double exports from the health industry by 2030.", "double exports", 2030),
        ("Hovedmålet for Innovasjon Norge er å utløse lønnsom næringsutvikling i hele landet.", "utløse lønnsom næringsutvikling", None),
        ("Regjeringen la fram en plan om å halvere utslippene innen 2030.", "halvere utslippene innen 2030", 2030),
        ("Regjeringen har lansert en plan med mål om 30 prosent lavere utslipp innen 2030.", "30 prosent lavere utslipp", 2030),
        ("The aim of the strategy is to make Norway a leading life science nation.", "leading life science nation", None),
        # "skal bli"
        ("– Norge skal bli det mest digitaliserte landet i verden innen 2030, sa Michaelsen.",
         "norge skal bli det mest digitaliserte landet i verden innen 2030", 2030),
        ("Norge skal bli det beste landet for å starte bedrift.", "det beste landet for å starte bedrift", None),
        ("Norway will become the most digitalised country in the world.", "most digitalised country", None),
        # change verbs with a value or a deadline
        ("Regjeringen vil redusere saksbehandlingstiden til under seks måneder.", "saksbehandlingstiden til under seks måneder", None),
        ("Vi må handle raskere for å halvere utslippene fra bransjen innen 2030.", "halvere utslippene fra bransjen innen 2030", 2030),
        ("Fylket skal auke eksporten med 50 prosent innan 2030.", "auke eksporten med 50 prosent", 2030),
        ("The agency aims to reduce waiting times to under six months.", "waiting times to under six months", None),
        # deadlines
        ("Helsenorge should develop a national consent solution by 2026.", "national consent solution by 2026", 2026),
        ("Alle nye ferger skal være utslippsfrie innen utgangen av 2030.", "utslippsfrie innen utgangen av 2030", 2030),
        # a value in a future year, in talk of a goal
        ("Nasjonalt eksportråd foreslår en eksportinntekt på 50 mrd. kroner i 2030, nær en dobling fra 2021.",
         "50 mrd. kroner i 2030", 2030),
    ],
)
def test_target_found_with_year(analyse_text, text, key, year):
    _, rows = _rows(analyse_text, text)
    hits = [r for r in rows if key.casefold() in r["text"].casefold()]
    assert hits, [r["text"] for r in rows]
    assert hits[0]["target_year"] == year


@pytest.mark.parametrize(
    "text",
    [
        # past events
        "Eksporten økte med 50 prosent fra 2019 til 2021.",
        "Målet ble nådd allerede i 2019.",
        "In 2019 exports grew to NOK 20 billion.",
        "Publisert 5. mars 2024\n\nSelskapet hadde doblet omsetningen innen 2020.",
        "Publisert 5. mars 2024\n\nOmsetningen var på 47 mrd. kroner i 2021, en økning fra året før.",
        # budget increments are actions, not goals
        "Regjeringen foreslår å øke bevilgningen med 55 millioner kroner.",
        "The Government proposes to increase funding for research by NOK 55 million.",
        # needs and descriptions
        "Det er behov for økt eksport av helseteknologi.",
        # forecasts and conditions
        "Publisert 5. mars 2024\n\nEksporten forventes å øke til 30 milliarder kroner innen 2030.",
        "Sales are expected to increase to NOK 5 billion by 2028.",
        "Innen 2035 vil det mangle 20 000 sykepleiere.",
        "Hvis Norge skal bli ledende, må vi investere mer.",
        "– Det skal bli spennende å se resultatene, sier hun.",
        "Tiltak for å redusere utslipp av klimagasser vil ofte også kutte andre utslipp.",
        "Mål for Innovasjon Norge",
        "Departementet meddeler med dette de mål og prioriteringer som gjelder for 2022.",
    ],
)
def test_no_target(analyse_text, text):
    _, rows = _rows(analyse_text, text)
    assert rows == [], [r["text"] for r in rows]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Målet er å øke eksportinntektene fra 22 milliarder kroner i 2021 til 50 milliarder kroner i 2030.",
         {"direction": "increase", "metric": "eksportinntektene", "baseline_value": 22e9, "baseline_year": 2021,
          "target_value": 50e9, "target_unit": "NOK", "target_year": 2030}),
        ("Regjeringen vil redusere saksbehandlingstiden til under seks måneder.",
         {"direction": "decrease", "metric": "saksbehandlingstiden", "target_value": 6.0}),
        ("Norge skal bli det mest digitaliserte landet i verden innen 2030.",
         {"direction": "reach", "target_year": 2030, "actor": "Norge"}),
        ("Vi må handle raskere for å halvere utslippene innen 2030, som regjeringen har satt seg som mål.",
         {"direction": "decrease", "actor": "regjeringen", "target_year": 2030}),
        ("Fylket skal auke eksporten med 50 prosent innan 2030.",
         {"direction": "increase", "target_value": 50.0, "target_unit": "%"}),
        ("I forslaget foreslår Nasjonalt eksportråd en eksportinntekt på 50 mrd. kroner i 2030, nær en dobling fra 2021.",
         {"actor": "Nasjonalt eksportråd", "target_value": 50e9, "target_year": 2030}),
    ],
)
def test_target_fields(analyse_text, text, expected):
    _, rows = _rows(analyse_text, text)
    assert len(rows) == 1
    assert {k: rows[0][k] for k in expected} == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("– Norge skal bli det beste landet for å starte bedrift, sa næringsminister Cecilie Myrseth.",
         "Norge skal bli det beste landet for å starte bedrift"),
        ("Health Data: Create a national data platform, task Helsenorge with developing a national consent solution by 2026, and establish an action plan.",
         "task Helsenorge with developing a national consent solution by 2026"),
    ],
)
def test_target_text_is_the_clause(analyse_text, text, expected):
    _, rows = _rows(analyse_text, text)
    assert [r["text"] for r in rows] == [expected]


def test_rows_keep_provenance(analyse_text):
    document, rows = _rows(analyse_text, "Innledning\n\nMålet er å øke eksporten med 50 prosent innen 2030. Det er krevende.")
    assert rows
    for r in rows:
        assert document.text[r["start"]:r["end"]] == r["text"]
        assert len(r["text"]) <= 500
        assert r["source_rule"].startswith("target:")
        assert r["text"] in r["sentence"]


@pytest.mark.parametrize(
    "text, year",
    [
        ("Publisert 5. mars 2024\n\nTekst om 2021 og 2022.", 2024),
        ("Rapport fra 2023. Tall for 2023 og 2022. Målet er 50 prosent innen 2030, og innen 2030 skal alt være klart.", 2023),
        ("Ingen årstall her.", None),
    ],
)
def test_document_year(analyse_text, text, year):
    from pipeline.extract.statements import document_year

    assert document_year(analyse_text(text)) == year


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Eksporten skal økes med 40 prosent.", [(40.0, "%")]),
        ("innen seks måneder", [(6.0, None)]),
        ("til 50 milliarder kroner", [(50e9, "NOK")]),
    ],
)
def test_quantities(text, expected):
    got = [(v, u) for _, _, v, u in targets.quantities(text, "nb")]
    assert [g[0] for g in got] == [e[0] for e in expected]
    for (_, gu), (_, eu) in zip(got, expected):
        if eu is not None:
            assert gu == eu
