import pytest

from pipeline.metadata import meaningful_title, parse_date, published_date, split_date_marker
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
    assert parse_date(text) == iso


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
    assert published_date(text) == iso


@pytest.mark.parametrize(
    "text, published, rest",
    [
        (" date 2024-11 Det norske batteriselskapet Morrow trenger penger.", "2024-11", "Det norske batteriselskapet Morrow trenger penger."),
        (" date 2018-10-06 The Government proposes to transfer 3 billion to Enova\n\nText.", "2018-10-06",
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
    from pipeline.process import process_documents

    p = tmp_path / "x04.txt"
    p.write_text(" date 2018-10-06 The Government proposes to transfer 3 billion to Enova\n\n"
                 "The Norwegian Government proposes to strengthen Enova by more than NOK 3 billion.\n", encoding="utf-8")
    raw = read_document(p)
    assert raw.published == "2018-10-06" and "date 2018" not in raw.text
    row = process_documents([raw], pipelines).rows["documents"][0]
    assert row["title"] == "The Government proposes to transfer 3 billion to Enova"
    assert row["published"] == "2018-10-06"


def test_published_date_of_text_file(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("Regjeringa vil styrkje eksporten\n\nPublisert 6. mai 2025\n\nTekst her.", encoding="utf-8")
    assert read_document(p).published == "2025-05-06"


@pytest.mark.parametrize(
    "name, published",
    [("000_043c1c71e3207819.txt", "2024-03-05"), ("001_ac8114fb6df33ca9.txt", "2025-05-06"),
     ("002_49f2bfa45f46e3ea.txt", "2024-06-27"), ("003_54a915ffe900ddce.txt", "2024-06-14")],
)
def test_seed_published_dates(seeds_dir, name, published):
    assert read_document(seeds_dir / name).published == published


@pytest.mark.parametrize(
    "name, published",
    [("x01_nb_news.txt", "2024-11"), ("x02_nn_release.txt", "2020-10"), ("x03_nb_strategy.txt", "2019-06-24"),
     ("x04_en_release.txt", "2018-10-06")],
)
def test_extra_published_dates(name, published):
    from tests.conftest import require_shared

    doc = read_document(require_shared("corpus", "extra", name))
    assert doc.published == published
    assert not doc.text.lstrip().startswith("date ")
