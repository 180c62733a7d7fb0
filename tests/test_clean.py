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
