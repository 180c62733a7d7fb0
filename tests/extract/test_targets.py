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
