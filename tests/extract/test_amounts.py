"""Monetary amounts (pipeline/extract/amounts/, pipeline/extract/quantities/) beyond the
corpora: number formats, table headers, rows in documents, and property tests that render
generated amounts in every supported style and require the exact value back."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pipeline.extract.amounts import extract
from pipeline.extract.quantities import parse_amounts, parse_number, unit_header

B, M, K = 10**9, 10**6, 10**3


def keys(text, lang="nb"):
    return [(a.currency, a.low, a.high) for _, _, a in parse_amounts(text, lang)]


# The forms, ranges, changes, qualifiers, implied currencies, not-money texts and other
# quantities are the corpora pipeline/extract/amounts/corpus/ and pipeline/extract/quantities/corpus/
# (tests/extract/test_corpora.py).


# --- every currency CLDR names ------------------------------------------------------------------

def cldr_texts(lang: str) -> list[tuple[str, str | None]]:
    """(text, the currency it states) for every money code before and after a number, and every
    CLDR name, nationality form and symbol of `lang` after it (symbols also before it). Names
    with a code in brackets ("polske zloty (PLZ)") are CLDR's labels for historic currencies,
    not running text."""
    from pipeline.extract.quantities import lexicon
    from pipeline.money.currencies import currency_table

    lex = lexicon(lang)
    out = [(t, code) for code in sorted(lex.codes) for t in (f"Prisen var {code} 5 000 i fjor.", f"Prisen var 5 000 {code} i fjor.")]
    for form, c in currency_table(lang).forms.items():
        if c.kind in ("name", "symbol", "adjective") and "(" not in form:
            out.append((f"Prisen var 5 000 {form} i fjor.", lex.currency_forms[form].code))
            if lex.currency_forms[form].prefix:
                out.append((f"Prisen var {form} 5 000 i fjor.", lex.currency_forms[form].code))
    return out


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_every_cldr_currency_parses_in_its_code_symbol_and_name_forms(lang):
    wrong = [(text, found) for text, code in cldr_texts(lang)
             if (found := [(a.currency, a.low) for _, _, a in parse_amounts(text, "en" if lang == "en" else "nb")])
             != [(code, 5000.0)]]
    assert wrong == []
    assert len({code for _, code in cldr_texts(lang)}) > 250


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


def test_english_bare_magnitude_waits_for_the_document():
    (_, _, a), = parse_amounts("The Government proposes to transfer 3 billion to Enova.", "en")
    assert a.currency is None and a.currency_inferred


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
    doc = pipelines.nb("Katapulten fikk 214 mNOK i 2024, 40 prosent mer.")
    money, percent = doc.spans["quantities"]
    assert money.text == "214 mNOK" and money.label_ == "money" and money._.quantity.amount.low == 214 * M
    assert percent.text == "40 prosent" and percent._.quantity.value == 40 and percent._.quantity.unit == "%"


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
