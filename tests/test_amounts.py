"""Monetary amounts (pipeline/extract/amounts.py): the form table, the not-money table,
number formats, ranges, qualifiers, table headers, rows, and property tests that render
generated amounts in every supported style and require the exact value back."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pipeline.extract.amounts import (
    extract,
    parse_amounts,
    parse_number,
    parse_quantities,
    unit_header,
)

B, M, K = 10**9, 10**6, 10**3


def keys(text, lang="nb"):
    return [(a.currency, a.low, a.high) for _, _, a in parse_amounts(text, lang)]


# --- forms ------------------------------------------------------------------------------------

FORMS = [
    # magnitude words and abbreviations
    ("Selskapet fikk 5 tusen kroner.", "nb", [("NOK", 5 * K, 5 * K)]),
    ("Prosjektet koster 75 millionar kroner.", "nb", [("NOK", 75 * M, 75 * M)]),
    ("De fikk 20 millioner kroner.", "nb", [("NOK", 20 * M, 20 * M)]),
    ("Rammen er 3 mill. kroner.", "nb", [("NOK", 3 * M, 3 * M)]),
    ("Rammen er 3 mln. kroner.", "nb", [("NOK", 3 * M, 3 * M)]),
    ("Omsetningen var 47 mrd. kroner.", "nb", [("NOK", 47 * B, 47 * B)]),
    ("Omsetningen var 4 mia. kroner.", "nb", [("NOK", 4 * B, 4 * B)]),
    ("Salget var 1,5 milliarder kroner.", "nb", [("NOK", 1.5 * B, 1.5 * B)]),
    ("Salget var 25 mrd. dollar.", "nb", [("USD", 25 * B, 25 * B)]),
    ("Selskapet hentet 10 mill. Euro.", "nb", [("EUR", 10 * M, 10 * M)]),
    ("Lånet er på kr 1 500.", "nb", [("NOK", 1500, 1500)]),
    ("Prisen er 1 500,- per år.", "nb", [("NOK", 1500, 1500)]),
    ("Budsjettet er 1,5 mrd. kr.", "nb", [("NOK", 1.5 * B, 1.5 * B)]),
    ("The fund holds NOK 2.3 billion.", "en", [("NOK", 2.3 * B, 2.3 * B)]),
    ("Sales reached $25 billion.", "en", [("USD", 25 * B, 25 * B)]),
    ("It raised €10m last year.", "en", [("EUR", 10 * M, 10 * M)]),
    ("It raised $2.5bn.", "en", [("USD", 2.5 * B, 2.5 * B)]),
    ("A grant of USD 5 million.", "en", [("USD", 5 * M, 5 * M)]),
    ("A budget of 40 million euros.", "en", [("EUR", 40 * M, 40 * M)]),
    ("A prize of £50k.", "en", [("GBP", 50 * K, 50 * K)]),
    # number words
    ("Staten gir en halv milliard kroner.", "nb", [("NOK", 0.5 * B, 0.5 * B)]),
    ("Staten gir to milliarder kroner.", "nb", [("NOK", 2 * B, 2 * B)]),
    ("Staten gir tjue millioner kroner.", "nb", [("NOK", 20 * M, 20 * M)]),
    ("Staten gir fem hundre millioner kroner.", "nb", [("NOK", 500 * M, 500 * M)]),
    ("Staten gir halvannen milliard kroner.", "nb", [("NOK", 1.5 * B, 1.5 * B)]),
    ("Regjeringa gir ein milliard kroner.", "nb", [("NOK", 1 * B, 1 * B)]),
    ("Strengthen the programme with NOK seven million.", "en", [("NOK", 7 * M, 7 * M)]),
    ("The state gives twenty-five million dollars.", "en", [("USD", 25 * M, 25 * M)]),
    ("It costs half a billion dollars.", "en", [("USD", 0.5 * B, 0.5 * B)]),
    # currency-scaled units
    ("Katapulten fikk 214 mNOK.", "nb", [("NOK", 214 * M, 214 * M)]),
    ("Katapulten fikk 214 MNOK.", "nb", [("NOK", 214 * M, 214 * M)]),
    ("Behovet er MNOK 30.", "nb", [("NOK", 30 * M, 30 * M)]),
    ("Behovet er 500 kNOK.", "nb", [("NOK", 500 * K, 500 * K)]),
    ("Budget of 12 MEUR.", "en", [("EUR", 12 * M, 12 * M)]),
    ("Budget of 12 MUSD.", "en", [("USD", 12 * M, 12 * M)]),
    ("Revenue was NOK 40m.", "en", [("NOK", 40 * M, 40 * M)]),
    # news and budget forms
    ("Beløpet på kr 2 500 000,- ble utbetalt 1. juli.", "nb", [("NOK", 2_500_000, 2_500_000)]),
    ("Det gis kr. 50.000 i tilskudd.", "nb", [("NOK", 50_000, 50_000)]),
    ("Fondet forvalter over 15 000 milliarder kroner.", "nb", [("NOK", 15_000 * B, 15_000 * B)]),
    ("Oljepengebruken er 413,8 mrd. kroner.", "nb", [("NOK", 413.8 * B, 413.8 * B)]),
    ("Lønnen er 650 000 kroner i året, mens snittet ligger på 600.000 kr.", "nb", [("NOK", 650_000, 650_000), ("NOK", 600_000, 600_000)]),
    ("Norway will contribute NOK 1 billion (about USD 95 million) to the fund.", "en", [("NOK", 1 * B, 1 * B), ("USD", 95 * M, 95 * M)]),
    ("The programme has a budget of 500,000 euros over three years.", "en", [("EUR", 500_000, 500_000)]),
    ("The government will spend 2 billion kroner on the project.", "en", [("NOK", 2 * B, 2 * B)]),
    # two amounts in one sentence, years not swallowed
    ("Målet er å øke eksportinntektene fra 22 milliarder kroner i 2021 til 50 milliarder kroner i 2030.", "nb",
     [("NOK", 22 * B, 22 * B), ("NOK", 50 * B, 50 * B)]),
]


@pytest.mark.parametrize("text,lang,expected", FORMS)
def test_form(text, lang, expected):
    assert keys(text, lang) == expected


# --- number formats ---------------------------------------------------------------------------

NUMBERS = [
    ("1 500 000", "nb", 1_500_000),
    ("1\u00a0500\u00a0000", "nb", 1_500_000),
    ("1\u202f500", "nb", 1500),
    ("1.500.000", "nb", 1_500_000),
    ("1.500.000", "en", 1_500_000),
    ("1,500,000.50", "en", 1_500_000.5),
    ("1,500,000", "nb", 1_500_000),
    ("1.500,50", "nb", 1500.5),
    ("1.500", "nb", 1500),  # Norwegian thousands dot
    ("1.500", "en", 1.5),  # English decimal point
    ("1,500", "en", 1500),  # English thousands comma
    ("1,500", "nb", 1.5),  # Norwegian decimal comma
    ("1,5", "nb", 1.5),
    ("1,5", "en", 1.5),
    ("3.2", "en", 3.2),
    ("3.2", "nb", 3.2),
    ("14,4", "nb", 14.4),
    ("947 136", "nb", 947_136),
]


@pytest.mark.parametrize("text,lang,expected", NUMBERS)
def test_number_format(text, lang, expected):
    assert parse_number(text, lang) == expected


# --- ranges -----------------------------------------------------------------------------------

RANGES = [
    ("Anslagsvis 80 - 90 mNOK", "nb", [("NOK", 80 * M, 90 * M)]),
    ("Prosjektet koster 80–90 millioner kroner.", "nb", [("NOK", 80 * M, 90 * M)]),
    ("Utstyr verdt mellom 800 og 1300 millioner kroner.", "nb", [("NOK", 800 * M, 1300 * M)]),
    ("Behov for 30 til 40 milliarder kroner i investeringer.", "nb", [("NOK", 30 * B, 40 * B)]),
    ("Støtten er mellom 2 og 3 mrd. kroner.", "nb", [("NOK", 2 * B, 3 * B)]),
    ("Fra 2 mrd. til 3 mrd. kroner.", "nb", [("NOK", 2 * B, 3 * B)]),
    ("Prisen ligger fra 2 til 3 millioner kroner.", "nb", [("NOK", 2 * M, 3 * M)]),  # no change verb
    ("A fund of between $5 and $10 million.", "en", [("USD", 5 * M, 10 * M)]),
    ("A fund of NOK 80-90 million.", "en", [("NOK", 80 * M, 90 * M)]),
    ("Costs of 5 to 10 million dollars.", "en", [("USD", 5 * M, 10 * M)]),
    ("Behov for 30 til 40 milliarder kroner.", "en", [("NOK", 30 * B, 40 * B)]),  # misdetected language
    ("Kostnader fra 500 mill. kroner til flere milliarder.", "nb", [("NOK", 500 * M, None)]),
    # ranges never swallow years
    ("fra 22 milliarder kroner i 2021 til 50 milliarder kroner i 2030", "nb", [("NOK", 22 * B, 22 * B), ("NOK", 50 * B, 50 * B)]),
    ("I perioden 2021–2025 brukes 500 mill. kroner.", "nb", [("NOK", 500 * M, 500 * M)]),
    ("Fra 2021 til 5 mrd. kroner i 2030.", "nb", [("NOK", 5 * B, 5 * B)]),
    ("Billetter koster kr 1500–2000.", "nb", [("NOK", 1500, 2000)]),
    ("Støtten er 5 mill. kroner – 2021 var et rekordår.", "nb", [("NOK", 5 * M, 5 * M)]),
]


@pytest.mark.parametrize("text,lang,expected", RANGES)
def test_range(text, lang, expected):
    assert keys(text, lang) == expected


CHANGES = [
    ("Innsatsen økte fra 2 til 3 millioner kroner.", "nb", [("2", 2 * M), ("3 millioner kroner", 3 * M)]),
    ("Målet er å øke eksporten fra 22 til 50 milliarder kroner.", "nb", [("22", 22 * B), ("50 milliarder kroner", 50 * B)]),
    ("Revenue rose from $2 to $3 billion.", "en", [("$2", 2 * B), ("$3 billion", 3 * B)]),
]


@pytest.mark.parametrize("text,lang,expected", CHANGES)
def test_change_from_to_is_two_amounts(text, lang, expected):
    assert [(text[s:e], a.low) for s, e, a in parse_amounts(text, lang) if a.low == a.high] == expected


def test_open_range_is_min():
    (_, _, a), = parse_amounts("Kostnader fra 500 mill. kroner til flere milliarder.", "nb")
    assert (a.value, a.low, a.high, a.qualifier) == (500 * M, 500 * M, None, "min")


# --- qualifiers -------------------------------------------------------------------------------

QUALIFIERS = [
    ("Det koster ca. 5 mill. kroner.", "nb", "approx"),
    ("Det koster cirka 5 mill. kroner.", "nb", "approx"),
    ("Det koster rundt 5 mill. kroner.", "nb", "approx"),
    ("Det koster omtrent 5 mill. kroner.", "nb", "approx"),
    ("Anslagsvis 30 mNOK", "nb", "approx"),
    ("Det koster nær 5 mill. kroner.", "nb", "approx"),
    ("Det koster nesten 5 mill. kroner.", "nb", "approx"),
    ("Selskapet har hentet inntil 10 mill. Euro.", "nb", "max"),
    ("Støtte på opptil 5 mill. kroner.", "nb", "max"),
    ("Det koster under 5 mill. kroner.", "nb", "max"),
    ("Det koster over 5 mill. kroner.", "nb", "min"),
    ("Det koster mer enn 5 mill. kroner.", "nb", "min"),
    ("Det koster minst 5 mill. kroner.", "nb", "min"),
    ("It costs around $5 million.", "en", "approx"),
    ("It costs about $5 million.", "en", "approx"),
    ("Grants of up to $5 million.", "en", "max"),
    ("It costs at least $5 million.", "en", "min"),
    ("It costs more than NOK 3 billion.", "en", "min"),
    ("Det koster 5 mill. kroner.", "nb", None),
]


@pytest.mark.parametrize("text,lang,expected", QUALIFIERS)
def test_qualifier(text, lang, expected):
    (start, end, a), = parse_amounts(text, lang)
    assert a.qualifier == expected


def test_qualifier_is_part_of_the_text():
    text = "Selskapet har hentet inntil 10 mill. Euro."
    (start, end, _), = parse_amounts(text, "nb")
    assert text[start:end] == "inntil 10 mill. Euro"


# --- currency from context ----------------------------------------------------------------------

IMPLIED = [
    ("Det er en betydelig eksport på 22 milliarder fra helseindustrien.", "nb", [("NOK", 22 * B, 22 * B)]),
    ("Innovasjon Norge tilbyr 500 millioner til fordelaktige betingelser.", "nb", [("NOK", 500 * M, 500 * M)]),
    ("Støtten er mellom 2 og 3 mrd. i året.", "nb", [("NOK", 2 * B, 3 * B)]),
    ("Staten bruker 3 milliarder på tiltaket.", "nb", [("NOK", 3 * B, 3 * B)]),
    ("Budsjettet er 2,5 mrd.", "nb", [("NOK", 2.5 * B, 2.5 * B)]),
    ("Selskapet har 1 200 ansatte og omsetter for 2 milliarder.", "nb", [("NOK", 2 * B, 2 * B)]),
    # a stated amount in the same sentence makes a coordinated bare one money
    ("Regjeringa vil løyve 120 millionar kroner til tiltaket, og om lag 30 millionar til forsking.", "nb",
     [("NOK", 120 * M, 120 * M), ("NOK", 30 * M, 30 * M)]),
]


@pytest.mark.parametrize("text,lang,expected", IMPLIED)
def test_implied_currency(text, lang, expected):
    assert keys(text, lang) == expected


def test_implied_currency_is_noted_in_the_qualifier():
    (_, _, a), = parse_amounts("Eksporten på 22 milliarder fra helseindustrien.", "nb")
    assert a.currency_inferred and a.qualifier == "currency_inferred"


def test_english_bare_magnitude_waits_for_the_document():
    (_, _, a), = parse_amounts("The Government proposes to transfer 3 billion to Enova.", "en")
    assert a.currency is None and a.currency_inferred


# --- not money ----------------------------------------------------------------------------------

NOT_MONEY = [
    ("der 70 prosent er fra legemiddelproduksjon", "nb"),
    ("Av dette utgjorde eksporten 40%.", "nb"),
    ("with 50% public and 50% private financing", "en"),
    ("Publisert 5. mars 2024", "nb"),
    ("Målet skal nås innen 2030.", "nb"),
    ("sammen utgjør vi en befolkning på nesten 30 millioner mennesker", "nb"),
    ("Norge har 5 millioner innbyggere.", "nb"),
    ("Over 3 000 bedrifter deltok.", "nb"),
    ("Det er 250 selskaper i klyngen.", "nb"),
    ("Se side 26 og figur 4.", "nb"),
    ("verdens 10 mest solgte legemidler i 2023", "nb"),
    ("Ring 22 24 90 90 for mer informasjon.", "nb"),
    ("Organisasjonsnummer 912 345 678.", "nb"),
    ("Innovasjon Norge Postboks 448 Sentrum 0104 OSLO", "nb"),
    ("Prop. 1 S (2021-2022)", "nb"),
    ("The Government proposes 3 billion doses of vaccine.", "en"),
    ("Saksbehandlingstiden skal ned til under seks måneder.", "nb"),
    ("Løpet tar 10 år.", "nb"),
    ("A 25m swimming pool.", "en"),
    ("(i 1 000 kr)", "nb"),
    ("Tabell 1. Verdens 10 mest solgte legemidler i 2023 (salg i mrd. dollar).", "nb"),
    ("Det skjedde 17. og 21. desember 2021.", "nb"),
    ("Beløpene er oppgitt i 2021 kroner.", "nb"),
    ("I 2020–2021 kroner.", "nb"),
    ("Figures are in 2020 dollars.", "en"),
    ("Flyplassen hadde 5 millioner passasjerer og økte omsetningen.", "nb"),
    ("Investeringene ga 2 millioner besøkende.", "nb"),
    ("Befolkningen er 5 millioner.", "nb"),
    ("Det ble solgt 2,3 millioner biler i Europa.", "nb"),
    ("About 5 million people live in Norway.", "en"),
    ("It saved 300 million tonnes of CO2.", "en"),
    ("Stortinget vedtok budsjettet med 85 mot 84 stemmer.", "nb"),
]


@pytest.mark.parametrize("text,lang", NOT_MONEY)
def test_not_money(text, lang):
    assert parse_amounts(text, lang) == []


# --- other quantities (for targets) -------------------------------------------------------------

QUANTITIES = [
    ("der 70 prosent er fra legemiddelproduksjon", "nb", [("percent", 70, 70, "%")]),
    ("Eksporten utgjorde 40%.", "nb", [("percent", 40, 40, "%")]),
    ("weighted at least 20% in procurements", "en", [("percent", 20, 20, "%")]),
    ("Redusere saksbehandlingstiden til under seks måneder.", "nb", [("duration", 6, 6, "month")]),
    ("støtte over flere år (anslagsvis 3-5 år)", "nb", [("duration", 3, 5, "year")]),
    ("en befolkning på nesten 30 millioner mennesker", "nb", [("count", 30 * M, 30 * M, "mennesker")]),
    ("fra 22 milliarder kroner i 2021 til 50 milliarder kroner i 2030", "nb",
     [("money", 22 * B, 22 * B, "NOK"), ("money", 50 * B, 50 * B, "NOK")]),
    ("Målet skal nås innen 2030.", "nb", []),
]


@pytest.mark.parametrize("text,lang,expected", QUANTITIES)
def test_quantity(text, lang, expected):
    assert [(q.kind, q.low, q.high, q.unit) for _, _, q in parse_quantities(text, lang)] == expected


# --- table headers ------------------------------------------------------------------------------

HEADERS = [
    ("(i 1 000 kr)", (1000, "NOK")),
    ("(i 1000 kroner)", (1000, "NOK")),
    ("Beløp i 1 000 kr", (1000, "NOK")),
    ("(mNOK)", (M, "NOK")),
    ("Finansieringsbehov (MNOK)", (M, "NOK")),
    ("Tabell 1. Verdens 10 mest solgte legemidler i 2023 (salg i mrd. dollar).", (B, "USD")),
    ("(i mill. kroner)", (M, "NOK")),
    ("(NOK million)", (M, "NOK")),
    ("Tabell 2. Antall bedrifter per fylke", None),
    ("Vi har investert i kroner og øre.", None),
]


@pytest.mark.parametrize("text,expected", HEADERS)
def test_unit_header(text, expected):
    h = unit_header(text)
    assert (h[:2] if h else None) == expected


BUDGET_LETTER = (
    "For 2022 er bevilgningene til Innovasjon Norge fordelt som følger:\n\n"
    "(i 1 000 kr)\n\n"
    "Kap. 2421 Innovasjon Norge, tilskuddsposter Beløp\n\n"
    "Post 50 Tilskudd til etablerere og bedrifter, inkl. tapsavsetninger 947 136\n\n"
    "Post 70 Basiskostnader 168 500\n\n"
    "Post 75 Grønn plattform, kan nyttes under post 50, 71 og 76 217 700\n"
)

SALES_TABLE = (
    "Tabell 1. Verdens 10 mest solgte legemidler i 2023 (salg i mrd. dollar).\n\n"
    "| Legemiddel | Salg | Firma | Sykdom |\n|---|---|---|---|\n"
    "| Keytruda | 25 | MSD/Merck | Kreft |\n| Humira | 14,4 | Abbvie | Autoimun |\n"
    "| Ozempic | 14 | NovoNordisk | Type 2 diabetes |\n\n"
    "Anvendelsesområdene på de 20 mest solgte legemidlene på verdensbasis i 2022 var diabetes, kreft, "
    "smittsomme sykdommer og autoimmune sykdommer, med en betydelig økning i salg av monoklonale antistoffer.\n"
)


@pytest.mark.parametrize("text,expected", [
    (BUDGET_LETTER, [("NOK", 947_136 * K, 947_136 * K), ("NOK", 168_500 * K, 168_500 * K), ("NOK", 217_700 * K, 217_700 * K)]),
    (SALES_TABLE, [("USD", 25 * B, 25 * B), ("USD", 14.4 * B, 14.4 * B), ("USD", 14 * B, 14 * B)]),
])
def test_table_header_unit_applies_to_cells_below(analyse_text, text, expected):
    rows = extract(analyse_text(text))
    assert [(r["currency"], r["low"], r["high"]) for r in rows] == expected


TWO_TABLES = (
    "Tabell 1. Tilskudd (i 1 000 kr)\n\n| Post | Tilskudd |\n|---|---|\n| 50 | 12 500 |\n\n"
    "Tabell 2. Antall bedrifter\n\n| Fylke | Bedrifter |\n|---|---|\n| Agder | 120 |\n"
)
PROSE_AFTER = (
    "(i 1 000 kr)\n\nPost 70 Basiskostnader 168 500\n\n"
    "Departementet viser til budsjettforslaget og ber Innovasjon Norge følge opp 3.2 og 4 i brevet "
    "innen fristen, med 12 rapporter og 40 møter i løpet av året som beskrevet nedenfor.\n\n"
    "Post 71 Noe annet 100\n"
)


def test_table_cells_are_read_in_the_document_language(analyse_text):
    text = ("Tabell 1. Salg (i mill. kroner)\n\n| Produkt | Salg |\n|---|---|\n"
            "| Humira | 14,900 |\n| Keytruda | 12,5 |\n\n"
            "Tallene er hentet fra selskapenes egne årsrapporter og gjelder for hele kalenderåret 2023, "
            "ifølge oversikten som departementet har laget for Stortinget.\n")
    rows = extract(analyse_text(text))
    assert [(r["currency"], r["low"]) for r in rows] == [("NOK", 14.9 * M), ("NOK", 12.5 * M)]


BUDGET_TABLE = (
    "Tabell 3.1 Forslag til bevilgning (i 1 000 kr)\n\n"
    "| Kap. | Post | Betegnelse | Regnskap 2020 | Forslag 2022 | Endring i % |\n|---|---|---|---|---|---|\n"
    "| 2421 | 50 | Tilskudd til etablerere | 1 234 567 | 947 136 | 4,5 |\n"
    "| 2421 | 70 | Basiskostnader | 160 000 | 168 500 | 5,3 |\n"
)


def test_budget_table_columns(analyse_text):
    rows = extract(analyse_text(BUDGET_TABLE))
    assert [(r["text"], r["low"], r["year"]) for r in rows] == [
        ("1 234 567", 1_234_567 * K, 2020), ("947 136", 947_136 * K, 2022),
        ("160 000", 160_000 * K, 2020), ("168 500", 168_500 * K, 2022),
    ]


@pytest.mark.parametrize("text,expected", [
    (TWO_TABLES, [("NOK", 12_500 * K, 12_500 * K)]),
    (PROSE_AFTER, [("NOK", 168_500 * K, 168_500 * K)]),
])
def test_table_header_unit_ends_with_the_table(analyse_text, text, expected):
    rows = extract(analyse_text(text))
    assert [(r["currency"], r["low"], r["high"]) for r in rows] == expected


# --- rows ---------------------------------------------------------------------------------------

def test_rows_keep_provenance(analyse_text):
    doc = analyse_text("Selskapet har hentet inntil 10 mill. Euro.\n\n" + BUDGET_LETTER)
    rows = extract(doc)
    assert rows
    for r in rows:
        assert doc.text[r["start"]:r["end"]] == r["text"]
        assert r["source_rule"].startswith("amount_grammar")
        assert r["sentence"]


@pytest.mark.parametrize("text,expected", [
    ("Målet er å øke eksportinntektene fra 22 milliarder kroner i 2021 til 50 milliarder kroner i 2030.", [2021, 2030]),
    ("The Government proposes more than NOK 3 billion in the state budget for 2019.", [2019]),
    ("I 2024 er katapultordningen tildelt 214 mNOK i støtte.", [2024]),
    ("Selskapet har hentet inntil 10 mill. Euro fra EIC.", [None]),
])
def test_year_the_sentence_ties_the_amount_to(analyse_text, text, expected):
    assert [r["year"] for r in extract(analyse_text(text))] == expected


def test_english_document_gives_bare_amounts_its_currency(analyse_text):
    doc = analyse_text(
        "The Government proposes to transfer 3 billion to Enova\n\n"
        "The Norwegian Government proposes to strengthen Enova by more than NOK 3 billion in the state budget."
    )
    assert [(r["currency"], r["low"]) for r in extract(doc)] == [("NOK", 3 * B), ("NOK", 3 * B)]


@pytest.mark.parametrize("text, expected", [
    ("Enova får 200 millioner kroner\n\nRegjeringen gir Enova 200 mill. kroner. Siva får 50 millioner kroner, "
     "og Enova får i alt 200 millioner kroner.", [(200e6, True), (200e6, False), (50e6, True), (200e6, False)]),
    ("Fondet får mellom 2 og 3 milliarder kroner. Det er 2 milliarder kroner mer enn i fjor, og 2 til 3 milliarder kroner totalt.",
     [(2e9, True), (2e9, True), (2e9, False)]),  # a range and its low end are two amounts
    ("The fund gets NOK 40 million. The fund gets EUR 40 million. It repeats: NOK 40 million.",
     [(40e6, True), (40e6, True), (40e6, False)]),  # the same number in another currency is another amount
])
def test_first_mention_of_each_amount(analyse_text, text, expected):
    assert [(r["low"], r["first_mention"]) for r in extract(analyse_text(text))] == expected


def test_component_stores_spans(pipelines):
    doc = pipelines.nb("Katapulten fikk 214 mNOK i 2024.")
    (span,) = doc.spans["amounts"]
    assert span.text == "214 mNOK" and span._.amount.low == 214 * M


# --- property tests: render generated amounts in every style, parse the exact value back ----------

SCALES = {
    "nb": [("tusen", K), ("millioner", M), ("mill.", M), ("mln.", M), ("milliarder", B), ("mrd.", B), ("mia.", B)],
    "en": [("thousand", K), ("million", M), ("billion", B), ("bn", B), ("m", M)],
}
CURRENCIES = {
    "nb": [("kroner", "NOK", "suffix"), ("kr", "NOK", "suffix"), ("kr", "NOK", "prefix"), ("NOK", "NOK", "prefix"),
           ("dollar", "USD", "suffix"), ("euro", "EUR", "suffix"), ("EUR", "EUR", "prefix"), ("svenske kroner", "SEK", "suffix")],
    "en": [("NOK", "NOK", "prefix"), ("$", "USD", "symbol"), ("€", "EUR", "symbol"), ("£", "GBP", "symbol"),
           ("USD", "USD", "prefix"), ("dollars", "USD", "suffix"), ("euros", "EUR", "suffix")],
}
UNITS = [("mNOK", "NOK", M, "suffix"), ("MNOK", "NOK", M, "prefix"), ("MEUR", "EUR", M, "suffix"), ("kNOK", "NOK", K, "suffix")]
QUALS = {"nb": [("ca.", "approx"), ("rundt", "approx"), ("inntil", "max"), ("opptil", "max"), ("minst", "min"), ("over", "min")],
         "en": [("about", "approx"), ("up to", "max"), ("at least", "min"), ("more than", "min")]}
FRAME = {"nb": "Regjeringen foreslår å bevilge {} til formålet.", "en": "The Government proposes to allocate {} to the programme."}


def render_decimal(d: Decimal, lang: str, grouping: str) -> str:
    """A number in one of the written styles of `lang`."""
    sign_free = f"{d:f}"
    whole, _, frac = sign_free.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    sep = {"space": " ", "nbsp": "\u00a0", "thin": "\u202f", "dot": ".", "comma": ",", "none": ""}[grouping]
    dec = "," if lang == "nb" else "."
    if grouping == "dot" and lang == "nb":
        dec = ","
    out = sep.join(groups)
    return out + (dec + frac if frac else "")


def groupings(lang: str, d: Decimal) -> list[str]:
    base = ["space", "nbsp", "thin", "none"]
    return base + (["dot"] if lang == "nb" else ["comma"])


mantissas = st.one_of(
    st.integers(min_value=1, max_value=999).map(Decimal),
    st.tuples(st.integers(min_value=1, max_value=99), st.integers(min_value=1, max_value=9)).map(
        lambda t: Decimal(f"{t[0]}.{t[1]}")),
    st.tuples(st.integers(min_value=1, max_value=99), st.integers(min_value=1, max_value=99)).map(
        lambda t: Decimal(f"{t[0]}.{t[1]:02d}")),
)
FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def render_amount(data, lang: str) -> tuple[str, str, Decimal, Decimal]:
    """Draw one amount and render it: (text, currency, low, high)."""
    style = data.draw(st.sampled_from(["scale", "unit", "plain"]))
    ranged = data.draw(st.booleans())
    m1 = data.draw(mantissas)
    m2 = m1 + data.draw(mantissas) if ranged else m1
    if style == "plain":
        m1, m2 = (data.draw(st.integers(min_value=1, max_value=10**9)), data.draw(st.integers(min_value=1, max_value=10**9)))
        m1, m2 = (Decimal(min(m1, m2)), Decimal(max(m1, m2))) if ranged else (Decimal(m1), Decimal(m1))
    grouping = data.draw(st.sampled_from(groupings(lang, m1)))
    # a bare year-like first bound ("2021–2030 ...") is a year, never a range start (see RANGES)
    assume(not (ranged and style == "plain" and grouping == "none" and 1900 <= m1 <= 2099))

    def num(d: Decimal) -> str:
        return render_decimal(d, lang, grouping if style == "plain" else "none")

    if ranged:
        joiner = data.draw(st.sampled_from({"nb": ["{a} – {b}", "{a}-{b}", "mellom {a} og {b}", "fra {a} til {b}", "{a} til {b}"],
                                            "en": ["{a}–{b}", "between {a} and {b}", "from {a} to {b}", "{a} to {b}"]}[lang]))
    else:
        joiner = "{a}"
    if style == "unit":
        word, cur, mult, pos = data.draw(st.sampled_from(UNITS))
        body = joiner.format(a=num(m1), b=num(m2))
        text = f"{word} {body}" if pos == "prefix" and not ranged else f"{body} {word}"
        return text, cur, m1 * mult, m2 * mult
    word, cur, pos = data.draw(st.sampled_from(CURRENCIES[lang]))
    scale_word, mult = data.draw(st.sampled_from(SCALES[lang])) if style == "scale" else ("", 1)
    attached = scale_word in ("m", "bn")
    if attached and pos == "suffix":
        scale_word, mult = "million", M
        attached = False
    sc = (scale_word if attached else f" {scale_word}") if scale_word else ""
    first = {"prefix": f"{word} {num(m1)}", "symbol": f"{word}{num(m1)}"}.get(pos, num(m1))
    text = joiner.format(a=first, b=num(m2)) + sc
    if pos == "suffix":
        text = f"{text} {word}"
    return text, cur, m1 * mult, m2 * mult


@pytest.mark.parametrize("lang", ["nb", "en"])
@FAST
@given(data=st.data())
def test_property_rendered_amount_parses_to_its_value(lang, data):
    text, cur, low, high = render_amount(data, lang)
    sentence = FRAME[lang].format(text)
    assert keys(sentence, lang) == [(cur, float(low), float(high))], sentence


@pytest.mark.parametrize("lang", ["nb", "en"])
@FAST
@given(data=st.data())
def test_property_qualifier_is_kept(lang, data):
    text, cur, low, high = render_amount(data, lang)
    word, qualifier = data.draw(st.sampled_from(QUALS[lang]))
    sentence = FRAME[lang].format(f"{word} {text}")
    (start, end, a), = parse_amounts(sentence, lang)
    assert (a.currency, a.low, a.high, a.qualifier) == (cur, float(low), float(high), qualifier), sentence
    assert sentence[start:end] == f"{word} {text}"


@FAST
@given(value=st.integers(min_value=1, max_value=10**12), lang=st.sampled_from(["nb", "en"]),
       grouping=st.sampled_from(["space", "nbsp", "thin", "none", "sep"]))
def test_property_number_formats(value, lang, grouping):
    g = grouping if grouping != "sep" else ("dot" if lang == "nb" else "comma")
    assert parse_number(render_decimal(Decimal(value), lang, g), lang) == value
