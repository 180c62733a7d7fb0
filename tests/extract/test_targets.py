"""Targets with the trained models: provenance and the document's year. The cue families,
negative sentences, fields and clause texts are the corpus pipeline/extract/targets/corpus/
(tests/extract/test_corpora.py)."""
import pytest

from pipeline.extract import targets


def _rows(analyse_text, text):
    document = analyse_text(text)
    return document, targets.extract(document)


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
    from pipeline.extract.common.statements import document_year

    assert document_year(analyse_text(text)) == year


# with the English model's parse (issue 20): whose target it is, from the outermost subject that
# names someone (a title before a person's name dropped)
@pytest.mark.parametrize(
    "text, actor",
    [
        ("Norway aims to cut its emissions by 55 percent by 2030.", "Norway"),
        ("Environment Minister Kari Nordmann said the fee will be raised to 500 crowns per tonne by 2030.", "Kari Nordmann"),
    ],
)
def test_actor_from_the_parse(analyse_text, text, actor):
    _, rows = _rows(analyse_text, text)
    assert [(r["actor"], r["target_year"]) for r in rows] == [(actor, 2030)]
