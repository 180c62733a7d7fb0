from datetime import date

import pytest

from pipeline.read.metadata import meaningful_title, parse_date, published_date, split_date_marker
from pipeline.read import read_document


@pytest.mark.parametrize(
    "text, iso",
    [
        ("Publisert 5. mars 2024", "2024-03-05"),
        ("Publisert: 6. mai 2025", "2025-05-06"),
        ("6/27/2024", "2024-06-27"),
        ("27/6/2024", "2024-06-27"),
        ("June 14, 2024", "2024-06-14"),
        ("Oslo, June 14, 2024", "2024-06-14"),
        ("Published 14 June 2024", "2024-06-14"),
        ("mandag 24. juni 2019", "2019-06-24"),
        ("Publisert 3. feb. 2025", "2025-02-03"),
        ("Sept. 3, 2023", "2023-09-03"),
        ("27.06.2024", "2024-06-27"),
        ("2024-06-27T10:00:00Z", "2024-06-27"),
        ("Laurdag 1. desember 2018", "2018-12-01"),
    ],
)
def test_parse_date(text, iso):
    assert parse_date(text) == date.fromisoformat(iso)


@pytest.mark.parametrize("text", ["2024", "31. februar 2024", "13/13/2024", "Side 3 av 12", "5 millioner kroner i 2024"])
def test_not_a_date(text):
    assert parse_date(text) is None


@pytest.mark.parametrize(
    "text, iso",
    [
        ("Tittel her\n\nPublisert 5. mars 2024\n\nTekst som nevner 1. januar 2030.", "2024-03-05"),
        ("Tittel\n\nSist oppdatert 7. mai 2025\nPublisert: 6. mai 2025\n\nTekst.", "2025-05-06"),
        ("2024\n\nAnbefaling for norsk legemiddelproduksjon\n\nSiva\n\n6/27/2024\n\nInnhold", "2024-06-27"),
        ("Norwegian cluster calls for a strategy\n\nOslo, June 14, 2024\n\nThe cluster ...", "2024-06-14"),
        ("Overskrift\n\nHøringsfrist 1. mars 2025\n\nTekst.", None),
        ("Regjeringen vil innen 1. januar 2030 kutte utslippene.", None),  # a date inside a sentence
    ],
)
def test_published_date(text, iso):
    assert published_date(text) == (iso and date.fromisoformat(iso))


@pytest.mark.parametrize(
    "text, published, rest",
    [
        (" date 2024-11 Det norske batteriselskapet Morrow trenger penger.", date(2024, 11, 1), "Det norske batteriselskapet Morrow trenger penger."),
        (" date 2018-10-06 The Government proposes to transfer 3 billion to Enova\n\nText.", date(2018, 10, 6),
         "The Government proposes to transfer 3 billion to Enova\n\nText."),
        ("date 2024-13 Feil måned.", None, "date 2024-13 Feil måned."),
        ("Mandag 24. juni 2019\n\nTekst.", None, "Mandag 24. juni 2019\n\nTekst."),
    ],
)
def test_date_marker(text, published, rest):
    assert split_date_marker(text) == (published, rest)


@pytest.mark.parametrize(
    "title, kept",
    [
        ("Microsoft Word - rapport_endelig.docx", None),
        ("rapport.pdf", None),
        ("Untitled", None),
        ("Anbefaling for norsk legemiddelproduksjon", "Anbefaling for norsk legemiddelproduksjon"),
        ("  Grønn   industri ", "Grønn industri"),
    ],
)
def test_meaningful_title(title, kept):
    assert meaningful_title(title) == kept


def test_text_file_date_marker_is_the_published_date_not_the_title(tmp_path, pipelines):
    from pipeline.run.process import process_documents

    p = tmp_path / "x04.txt"
    p.write_text(" date 2018-10-06 The Government proposes to transfer 3 billion to Enova\n\n"
                 "The Norwegian Government proposes to strengthen Enova by more than NOK 3 billion.\n", encoding="utf-8")
    raw = read_document(p)
    assert raw.published == date(2018, 10, 6) and "date 2018" not in raw.text
    row = process_documents([raw], pipelines).rows["documents"][0]
    assert row["title"] == "The Government proposes to transfer 3 billion to Enova"
    assert row["published"] == date(2018, 10, 6)


def test_published_date_of_text_file(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("Regjeringa vil styrkje eksporten\n\nPublisert 6. mai 2025\n\nTekst her.", encoding="utf-8")
    assert read_document(p).published == date(2025, 5, 6)


@pytest.mark.parametrize(
    "name, published",
    [("000_043c1c71e3207819.txt", "2024-03-05"), ("001_ac8114fb6df33ca9.txt", "2025-05-06"),
     ("002_49f2bfa45f46e3ea.txt", "2024-06-27"), ("003_54a915ffe900ddce.txt", "2024-06-14")],
)
def test_seed_published_dates(seeds_dir, name, published):
    assert read_document(seeds_dir / name).published == date.fromisoformat(published)


@pytest.mark.parametrize(
    "name, published",
    [("x01_nb_news.txt", "2024-11-01"), ("x02_nn_release.txt", "2020-10-01"), ("x03_nb_strategy.txt", "2019-06-24"),
     ("x04_en_release.txt", "2018-10-06")],
)
def test_extra_published_dates(name, published):
    from tests.conftest import require_shared

    doc = read_document(require_shared("corpus", "extra", name))
    assert doc.published == date.fromisoformat(published)  # a month alone: its first day
    assert not doc.text.lstrip().startswith("date ")


# --- datelines ----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, iso, line",
    [
        ("Oslo, 3 February 2025", "2025-02-03", "Oslo, 3 February 2025"),
        ("Oslo, 3. februar 2025", "2025-02-03", "Oslo, 3. februar 2025"),
        ("OSLO, 3. feb. 2025 (NTB)", "2025-02-03", "OSLO, 3. feb. 2025 (NTB)"),
        ("TROMSØ, 12. mars 2024 (NTB): Fylket vil bygge ny kai.", "2024-03-12", "TROMSØ, 12. mars 2024 (NTB)"),
        ("London, March 5, 2025 – The fund closed at EUR 40 million.", "2025-03-05", "London, March 5, 2025"),
        ("Bergen, tirsdag 4. mars 2025: Kommunen legger fram budsjettet.", "2025-03-04", "Bergen, tirsdag 4. mars 2025"),
        ("Mo i Rana, 7. april 2022 Selskapet ansetter 40 nye.", "2022-04-07", "Mo i Rana, 7. april 2022"),
    ],
)
def test_dateline(text, iso, line):
    from pipeline.read.metadata import dateline

    m = dateline(text)
    assert m and m.iso == iso and text[m.start:m.end] == line


@pytest.mark.parametrize("text", [
    "Innen 1. januar 2030 skal alle ferjer være utslippsfrie.",  # a deadline, no place
    "Oslo, 3. februar 2025 ble det vedtatt en ny plan.",  # the sentence goes on in lower case
    "Publisert 3. mars 2025",  # a cue line (published_date reads it), not a dateline
    "Fristen er 3. mars 2025.",
])
def test_not_a_dateline(text):
    from pipeline.read.metadata import dateline

    assert dateline(text) is None


@pytest.mark.parametrize(
    "text, iso",
    [
        ("Fylket vil bygge ny kai\n\nTROMSØ, 12. mars 2024 (NTB): Fylket legger fram planen.", "2024-03-12"),
        ("Oslo, 3 February 2025 The Government proposes to strengthen Enova.", "2025-02-03"),
        ("Tittel\n\n" + "Et avsnitt.\n\n" * 8 + "Oslo, 3. mars 2025 Regjeringen sier noe.", None),  # not near the top
    ],
)
def test_published_date_from_a_dateline(text, iso):
    assert published_date(text) == (iso and date.fromisoformat(iso))


def test_dateline_is_a_segment_of_its_own_and_never_the_title():
    from pipeline.clean import clean, title_of

    ct = clean("OSLO, 3. feb. 2025 (NTB): Regjeringen foreslår å styrke Enova med 3 milliarder kroner.\n\nMer tekst her.")
    assert [(s.kind, ct.segment_text(s)) for s in ct.segments][:2] == [
        ("dateline", "OSLO, 3. feb. 2025 (NTB)"),
        ("paragraph", "Regjeringen foreslår å styrke Enova med 3 milliarder kroner."),
    ]
    assert clean(ct.text).text == ct.text
    assert title_of(clean("Oslo, 3. februar 2025\n\nRegjeringen legger fram ny havbruksplan\n\nTekst.")) == \
        "Regjeringen legger fram ny havbruksplan"


def test_document_year_is_the_year_of_the_publication_date(analyse_text):
    from dataclasses import replace

    from pipeline.extract.common.statements import document_year

    document = analyse_text("Rapport om 2024. Tallene for 2024 og 2024 er klare.")
    assert document_year(document) == 2024
    assert document_year(replace(document, published=date(2019, 5, 1))) == 2019


def test_published_date_reaches_the_extractors_and_the_documents_table(tmp_path, pipelines, monkeypatch):
    import pyarrow as pa

    from pipeline.run import process
    from pipeline.store.schema import DOCUMENTS, to_table

    seen = []
    extract = process.extract_rows
    monkeypatch.setattr(process, "extract_rows", lambda document: seen.append(document.published) or extract(document))
    p = tmp_path / "a.txt"
    p.write_text("Fylket vil bygge ny kai\n\nTROMSØ, 12. mars 2024 (NTB): Fylket legger fram planen.\n", encoding="utf-8")
    rows = process.process_documents([read_document(p)], pipelines).rows["documents"]
    assert seen == [date(2024, 3, 12)] and rows[0]["published"] == date(2024, 3, 12)
    table = to_table(rows, DOCUMENTS)
    assert table.schema.field("published").type == pa.date32()
    assert table.column("published").to_pylist() == [date(2024, 3, 12)]
