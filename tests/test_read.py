from pathlib import Path

import pytest

from pipeline.read import decode_text, discover, read_document

NB = "Næringslivet øker eksporten på én måte: «Å være først» – sier Ærlige Østby i Ålesund."


@pytest.mark.parametrize(
    "data",
    [
        NB.encode("utf-8"),
        NB.encode("utf-8-sig"),
        NB.encode("utf-16"),
        NB.encode("cp1252"),
        NB.replace("–", "-").replace("«", '"').replace("»", '"').encode("latin-1"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "cp1252", "latin1"],
)
def test_decodes_norwegian_text_in_common_encodings(data):
    text = decode_text(data)
    assert "Næringslivet" in text and "Ærlige Østby i Ålesund" in text


def test_reads_text_file_with_sha256_id(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(NB, encoding="utf-8")
    doc = read_document(p)
    assert doc.ok and doc.text == NB and doc.reader == "text"
    assert len(doc.doc_id) == 64


@pytest.mark.parametrize(
    "name, data, error",
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b" \n\t\n", "empty file"),
        ("binary.txt", bytes(range(256)) * 20, "binary file"),
        ("png.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "binary file"),
        ("data.xyz", b"some text", "unsupported file type .xyz"),
    ],
)
def test_bad_input_becomes_error(tmp_path, name, data, error):
    p = tmp_path / name
    p.write_bytes(data)
    doc = read_document(p)
    assert not doc.ok and error in doc.error


def test_missing_file_is_an_error(tmp_path):
    doc = read_document(tmp_path / "gone.txt")
    assert not doc.ok and doc.error.startswith("cannot read")


def test_too_large_is_refused_without_reading(tmp_path):
    p = tmp_path / "big.txt"
    p.write_bytes(b"a" * 2000)
    doc = read_document(p, max_bytes=1000)
    assert not doc.ok and doc.error.startswith("too large")


def test_five_megabyte_file_is_read(tmp_path):
    p = tmp_path / "five.txt"
    p.write_text(("Regjeringen bevilger 5 millioner kroner til Innovasjon Norge. " * 80 + "\n\n") * 1100)
    doc = read_document(p)
    assert doc.ok and len(doc.text) > 5_000_000


def test_discover_walks_folders_and_skips_hidden(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("b")
    (tmp_path / "a.md").write_text("a")
    (tmp_path / ".hidden.txt").write_text("h")
    found = [Path(p).name for p, _, _ in discover([tmp_path])]
    assert found == ["a.md", "b.txt"]
