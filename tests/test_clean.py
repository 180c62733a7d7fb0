import pytest

from pipeline.clean import clean, title_of


def kinds(ct):
    return [(s.kind, ct.segment_text(s)) for s in ct.segments]


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Tittel på saken\n\nDette er et avsnitt. Det har to setninger.",
         [("heading", "Tittel på saken"), ("paragraph", "Dette er et avsnitt. Det har to setninger.")]),
        ("Tiltak:\n • Første tiltak\n • Andre tiltak",
         [("paragraph", "Tiltak:"), ("list_item", "Første tiltak"), ("list_item", "Andre tiltak")]),
        ("  1. Forenkle tilgang til helsedata – Redusere tiden.\n  2. Styrke samarbeidet – Øke insentiver.",
         [("list_item", "1. Forenkle tilgang til helsedata – Redusere tiden."),
          ("list_item", "2. Styrke samarbeidet – Øke insentiver.")]),
        ("5.1. BAKGRUNN OG FAKTA\n\nTekst her.", [("heading", "5.1. BAKGRUNN OG FAKTA"), ("paragraph", "Tekst her.")]),
        ('Behov\t<ul style="list-style-type: none"> • FoU-støtte • Forskningsfasiliteter </ul>\t<ul> • Markedskompetanse </ul>',
         [("heading", "Behov"), ("list_item", "FoU-støtte"), ("list_item", "Forskningsfasiliteter"),
          ("list_item", "Markedskompetanse")]),
        ("1\tMedisinsk utstyr\tAnslagsvis 30 mNOK", [("table_row", "1 | Medisinsk utstyr | Anslagsvis 30 mNOK")]),
        ("# Overskrift\n\n- punkt én\n- punkt to", [("heading", "Overskrift"), ("list_item", "punkt én"), ("list_item", "punkt to")]),
        ("| A | B |\n|---|---|\n| 1 | 2 |", [("table_row", "A | B"), ("table_row", "1 | 2")]),
    ],
)
def test_segments(raw, expected):
    assert kinds(clean(raw)) == expected


@pytest.mark.parametrize(
    "raw, gone",
    [
        ("Skip to main content\nThe real text of the article is here.", "Skip to main content"),
        ("The article text is here.\n\nShare this article on social media", "Share this article"),
        ("Innhold\n\n5.1. BAKGRUNN OG FAKTA.....\t4\n\nTekst i rapporten.", "....."),
        ("Rapporten viser dette¹ og mer². Neste setning.", "¹"),
        ("Som vist i studien^{15, 16} øker eksporten.", "^{"),
        ("Tekst på side en.\n\n12\n\nTekst på side to.", "12"),
    ],
)
def test_furniture_is_dropped(raw, gone):
    assert gone not in clean(raw).text


def test_footnote_lines_become_footnotes():
    ct = clean("Avsnitt med en fotnote¹.\n\n¹ Menon Economics, rapport 2022.")
    assert kinds(ct)[-1] == ("footnote", "Menon Economics, rapport 2022.")


def test_mojibake_and_spaces_are_repaired():
    ct = clean("NÃ¦ringslivet fikk 1\u00a0500\u202fkroner \u2013 ikke mer.")
    assert ct.text == "Næringslivet fikk 1 500 kroner – ikke mer."


def test_hard_wrapped_lines_join():
    ct = clean("Regjeringen la fram planen\nfor grønn industri i dag.")
    assert kinds(ct) == [("paragraph", "Regjeringen la fram planen for grønn industri i dag.")]


@pytest.mark.parametrize("raw", [
    "Tittel\n\nAvsnitt én.\n • punkt\n • punkt to\n\n1. Sammendrag\n\nTekst¹ her.",
    "Behov\t<ul> • A • B </ul>\tC\n\nSlutt.",
])
def test_cleaning_is_idempotent(raw):
    once = clean(raw)
    twice = clean(once.text)
    assert twice.text == once.text


def test_segment_offsets_point_into_text():
    ct = clean("Tittel\n\nAvsnitt én.\n • punkt\n\nTo\tkolonner")
    for s in ct.segments:
        assert ct.text[s.start:s.end].strip() == ct.text[s.start:s.end]
        assert s.end > s.start


@pytest.mark.parametrize(
    "raw, language",
    [
        ("Regjeringen vil styrke eksporten og sier at næringslivet må få bedre vilkår for å investere.", "nb"),
        ("Regjeringa vil styrkje eksporten og seier at næringslivet må få betre vilkår for å investere.", "nn"),
        ("The government will strengthen exports and says that industry needs better conditions to invest.", "en"),
    ],
)
def test_language(raw, language):
    ct = clean(raw)
    assert ct.language == language
    assert ct.segments[0].lang == language


def test_title_is_first_heading_with_words():
    assert title_of(clean("2024\n\nAnbefaling for norsk legemiddelproduksjon\n\nTekst her.")) == \
        "Anbefaling for norsk legemiddelproduksjon"


# --- a dash opening a line: a quotation (Norwegian news style) or a list item ---------------------

QUOTES = [  # (text, the paragraphs that must stay quotations, dash included)
    ("Regjeringen la fram planen i dag.\n\n– Vi må bygge ut mer kraft, og det haster, sier energiministeren.\n\n"
     "Planen behandles i Stortinget i vår.",
     ["– Vi må bygge ut mer kraft, og det haster, sier energiministeren."]),
    ("– Dette er et viktig steg for regionen, sa ordføreren.\n\n– Nå håper vi at staten følger opp.",  # over two paragraphs
     ["– Dette er et viktig steg for regionen, sa ordføreren.", "– Nå håper vi at staten følger opp."]),
    ("Ordføreren var fornøyd.\n– Dette gir oss nye muligheter, mener ordfører Kari Nordmann.\n– Vi har ventet lenge.",
     ["– Dette gir oss nye muligheter, mener ordfører Kari Nordmann.", "– Vi har ventet lenge."]),
    ("Kommunen satser på sykkel.\n\n– Et historisk løft\n\nSykkelveiene skal stå ferdige i 2028.",  # a quoted crosshead
     ["– Et historisk løft"]),
    ("Fylket fikk ikke støtte.\n\n– Vi må gjøre mer for\neksportbedriftene våre, seier fylkesordføraren.",  # hard-wrapped
     ["– Vi må gjøre mer for eksportbedriftene våre, seier fylkesordføraren."]),
    ("Styret var samlet.\n\n\u2014 Det er for sent å snu nå, sa styrelederen.",  # an em dash is a dash
     ["– Det er for sent å snu nå, sa styrelederen."]),
    ("The fund opened on Monday.\n\n– We want to back more founders in the north, says the fund's manager.\n\n"
     "The fund holds NOK 300 million.",
     ["– We want to back more founders in the north, says the fund's manager."]),
    ("Talks ended late.\n\n- This is a turning point for the industry, said the minister.",  # a hyphen too
     ["- This is a turning point for the industry, said the minister."]),
]

LISTS = [  # (text, the list items)
    ("Utvalget anbefaler:\n– Etablere et nasjonalt fond\n– Styrke låneordningen",
     ["Etablere et nasjonalt fond", "Styrke låneordningen"]),
    ("Tiltak\n\n– Etablere et nasjonalt fond\n– Styrke låneordningen\n– Mer forskning",  # a run, no lead-in
     ["Etablere et nasjonalt fond", "Styrke låneordningen", "Mer forskning"]),
    ("Tiltak\n\n– Etablere et nasjonalt fond\n\n– Styrke låneordningen",  # blank lines between short items
     ["Etablere et nasjonalt fond", "Styrke låneordningen"]),
    ("Deltakerne kom fra flere land.\n\n- svenske bedrifter\n- danske bedrifter",  # not a sentence
     ["svenske bedrifter", "danske bedrifter"]),
    ("Our recommendations:\n\n– Introduce a tax credit for research\n– Simplify public procurement",
     ["Introduce a tax credit for research", "Simplify public procurement"]),
    ("Sitater:\n• Vi må gjøre mer, sier lederen.",  # only a dash can open a quotation
     ["Vi må gjøre mer, sier lederen."]),
]


@pytest.mark.parametrize("raw, quotes", QUOTES)
def test_quote_dash_stays_a_quotation(raw, quotes):
    ct = clean(raw)
    segs = kinds(ct)
    for q in quotes:
        assert ("paragraph", q) in segs, segs
    assert not [t for k, t in segs if k == "list_item"] and "•" not in ct.text
    assert clean(ct.text).text == ct.text


@pytest.mark.parametrize("raw, items", LISTS)
def test_dash_list_stays_a_list(raw, items):
    ct = clean(raw)
    assert [t for k, t in kinds(ct) if k == "list_item"] == items
    assert clean(ct.text).text == ct.text


def test_quote_dash_in_html_and_markdown(tmp_path):
    from pipeline.read import read_document

    page = ("<html><body><main><article><h1>Kommunen satser på sykkel</h1><p>Planen ble lagt fram i dag.</p>"
            "<p>– Dette er et historisk løft, sier ordføreren.</p><ul><li>Nye sykkelveier</li></ul>"
            "</article></main></body></html>")
    (tmp_path / "a.html").write_text(page, encoding="utf-8")
    (tmp_path / "a.md").write_text("# Sykkel\n\n– Dette er et historisk løft, sier ordføreren.\n\n- Nye sykkelveier\n",
                                   encoding="utf-8")
    for name in ("a.html", "a.md"):
        doc = read_document(tmp_path / name)
        segs = kinds(clean(doc.text, doc.blocks))
        assert ("paragraph", "– Dette er et historisk løft, sier ordføreren.") in segs, name
        assert ("list_item", "Nye sykkelveier") in segs, name  # a markup list stays a list
