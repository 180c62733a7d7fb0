"""Readers for HTML, PDF and DOCX: fixtures are built here in code (HTML strings, DOCX with
python-docx, PDFs drawn with reportlab) and the exact segments after cleaning are asserted."""
from __future__ import annotations

import importlib.util
import io
import zipfile
from datetime import date
from pathlib import Path

import pytest

from pipeline.clean import clean
from pipeline.read import read_document

REPO = Path(__file__).resolve().parents[1]


def _render_module():
    spec = importlib.util.spec_from_file_location("render_samples", REPO / "tests" / "fixtures" / "render_samples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


render = _render_module()


def read_bytes(tmp_path, name: str, data: bytes | str):
    p = tmp_path / name
    p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return read_document(p)


def segments(doc) -> list[tuple[str, str]]:
    assert doc.ok, doc.error
    ct = clean(doc.text, doc.blocks)
    return [(s.kind, ct.segment_text(s)) for s in ct.segments]


# --- HTML ----------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html lang="no"><head><meta charset="utf-8"><title>Havvind | Regjeringen.no</title>
<meta property="article:published_time" content="2025-02-01T08:00:00+01:00"></head>
<body>
<header><nav><ul><li><a href="/">Forside</a></li><li><a href="/tema">Tema</a></li><li><a href="/om">Om oss</a></li></ul></nav></header>
<div id="cookie-banner" class="cookie-consent">Vi bruker informasjonskapsler for å forbedre nettstedet. <button>Godta alle</button></div>
<main><article>
<h1>Regjeringen styrker satsingen på havvind</h1>
<p>Publisert 3. februar 2025</p>
<p>Nærings- og fiskeridepartementet legger i dag fram en ny handlingsplan.
Regjeringen setter av 1,2 milliarder kroner til ordningen i 2025.</p>
<h2>Tiltak i planen</h2>
<ol><li>Etablere et nasjonalt senter for havvind.</li><li>Styrke låneordningene i Eksfin.</li></ol>
<ul><li>Raskere konsesjoner</li><li>Mer forskning</li></ul>
<table><tr><th>Post</th><th>Beløp</th></tr><tr><td>Havvind</td><td>800 mill. kroner</td></tr></table>
<div class="share-buttons"><a href="https://facebook.com/share">Del på Facebook</a> <a href="https://x.com/share">Del på X</a></div>
</article></main>
<footer><p>Kontakt oss | Personvern | Informasjonskapsler</p><p>© 2025 Departementet</p></footer>
</body></html>"""


def test_html_main_content_as_segments(tmp_path):
    doc = read_bytes(tmp_path, "havvind.html", PAGE)
    assert segments(doc) == [
        ("heading", "Regjeringen styrker satsingen på havvind"),
        ("heading", "Publisert 3. februar 2025"),
        ("paragraph", "Nærings- og fiskeridepartementet legger i dag fram en ny handlingsplan. "
                      "Regjeringen setter av 1,2 milliarder kroner til ordningen i 2025."),
        ("heading", "Tiltak i planen"),
        ("list_item", "1. Etablere et nasjonalt senter for havvind."),
        ("list_item", "2. Styrke låneordningene i Eksfin."),
        ("list_item", "Raskere konsesjoner"),
        ("list_item", "Mer forskning"),
        ("table_row", "Post | Beløp"),
        ("table_row", "Havvind | 800 mill. kroner"),
    ]
    assert (doc.reader, doc.content_type) == ("html", "text/html")
    assert doc.title == "Regjeringen styrker satsingen på havvind"
    assert doc.published == date(2025, 2, 3)  # the date the page states, before its metadata


def test_html_date_from_metadata_when_the_text_has_none(tmp_path):
    doc = read_bytes(tmp_path, "a.html", PAGE.replace("<p>Publisert 3. februar 2025</p>", ""))
    assert doc.published == date(2025, 2, 1)


@pytest.mark.parametrize(
    "html",
    ["<html><head><title>Bare tittel</title></head></html>", "<html><body>  </body></html>",
     "<html><body><nav><a href='/'>Forside</a></nav></body></html>"],
    ids=["no-body", "empty-body", "only-navigation"],
)
def test_html_without_main_text_fails(tmp_path, html):
    doc = read_bytes(tmp_path, "x.html", html)
    assert not doc.ok and doc.error.startswith("no main text found in HTML")


def test_html_nested_100000_deep_does_not_crash(tmp_path):
    deep = "<html><body>" + "<div>" * 100_000 + "<p>Dypt nede står det en setning om eksport.</p>" + "</div>" * 100_000 + "</body></html>"
    doc = read_bytes(tmp_path, "deep.html", deep)
    assert doc.ok or "HTML" in doc.error
    assert doc.error is None or "\n" not in doc.error


def test_html_external_entity_is_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("HEMMELIG-INNHOLD")
    html = (f'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{secret}">]>'
            "<html><body><article><h1>Overskrift for saken</h1><p>Teksten i artikkelen er her: &xxe; og mer tekst "
            "som gjør avsnittet langt nok til å telle som hovedinnhold i siden.</p></article></body></html>")
    doc = read_bytes(tmp_path, "xxe.html", html)
    assert "HEMMELIG" not in (doc.text or "") and "HEMMELIG" not in (doc.error or "")


def test_html_line_break_separates_words(tmp_path):
    html = ("<html><body><article><h1>Overskrift for saken</h1><p>Første linje<br>andre linje, og et avsnitt "
            "som er langt nok til å være hovedinnholdet på siden.</p></article></body></html>")
    assert segments(read_bytes(tmp_path, "br.html", html))[1] == (
        "paragraph", "Første linje andre linje, og et avsnitt som er langt nok til å være hovedinnholdet på siden.")


# --- Markdown ------------------------------------------------------------------------------

NOTES = """Notat om eksport
================

Regjeringen vil **styrke** eksporten, og [Innovasjon Norge](https://innovasjonnorge.no) får
Ansvaret for ordningen.

## Tiltak

3. Etablere et senter.
4. Styrke *lånene*:
   - i Eksfin
   - i Innovasjon Norge

> Sitat fra rapporten.

| Post | Beløp |
|------|------:|
| Havvind | 800 mill. kroner |
"""


def test_markdown_from_the_markup(tmp_path):
    doc = read_bytes(tmp_path, "notat.md", NOTES)
    assert segments(doc) == [
        ("heading", "Notat om eksport"),
        ("paragraph", "Regjeringen vil styrke eksporten, og Innovasjon Norge får Ansvaret for ordningen."),
        ("heading", "Tiltak"),
        ("list_item", "3. Etablere et senter."),
        ("list_item", "4. Styrke lånene:"),
        ("list_item", "i Eksfin"),
        ("list_item", "i Innovasjon Norge"),
        ("paragraph", "Sitat fra rapporten."),
        ("table_row", "Post | Beløp"),
        ("table_row", "Havvind | 800 mill. kroner"),
    ]
    assert (doc.reader, doc.content_type, doc.title) == ("markdown", "text/markdown", "Notat om eksport")


# --- DOCX ----------------------------------------------------------------------------------

def _docx() -> bytes:
    import docx

    d = docx.Document()
    d.core_properties.title = "Høringssvar om eksportstrategien"
    d.add_paragraph("Høringssvar fra Norsk Industri", style="Title")
    d.add_heading("Innledning", level=1)
    p = d.add_paragraph("Norsk Industri viser til høringsbrevet.")
    p.add_run().add_break()
    p.add_run("Vi har følgende merknader.")
    d.add_paragraph("Raskere konsesjoner", style="List Bullet")
    d.add_paragraph("Mer forskning", style="List Bullet")
    d.add_heading("Anbefalinger", level=2)
    d.add_paragraph("Regjeringen bør etablere en garantiordning.", style="List Number")
    d.add_paragraph("Eksfin bør få økt låneramme.", style="List Number")
    table = d.add_table(rows=3, cols=3)
    for r, cells in enumerate([["Tiltak", "Beløp", "År"], ["Garantiordning", "500 mill. kroner", "2026"]]):
        for c, t in enumerate(cells):
            table.cell(r, c).text = t
    merged = table.cell(2, 0).merge(table.cell(2, 1))
    merged.text = "Sum"
    table.cell(2, 2).text = "2026"
    d.add_paragraph("")
    d.add_paragraph("Med vennlig hilsen Norsk Industri.")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_docx_styles_and_tables_as_segments(tmp_path):
    doc = read_bytes(tmp_path, "svar.docx", _docx())
    assert segments(doc) == [
        ("heading", "Høringssvar fra Norsk Industri"),
        ("heading", "Innledning"),
        ("paragraph", "Norsk Industri viser til høringsbrevet. Vi har følgende merknader."),
        ("list_item", "Raskere konsesjoner"),
        ("list_item", "Mer forskning"),
        ("heading", "Anbefalinger"),
        ("list_item", "1. Regjeringen bør etablere en garantiordning."),
        ("list_item", "2. Eksfin bør få økt låneramme."),
        ("table_row", "Tiltak | Beløp | År"),
        ("table_row", "Garantiordning | 500 mill. kroner | 2026"),
        ("table_row", "Sum | 2026"),
        ("paragraph", "Med vennlig hilsen Norsk Industri."),
    ]
    assert doc.reader == "docx" and doc.title == "Høringssvar om eksportstrategien"
    assert doc.content_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_docx_zip_bomb_is_refused_before_parsing(tmp_path):
    bomb = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document>" + b" " * 20_000_000})
    assert len(bomb) < 100_000
    doc = read_bytes(tmp_path, "bomb.docx", bomb)
    assert not doc.ok and doc.error.startswith("zip bomb")


def test_docx_external_entity_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("HEMMELIG-INNHOLD")
    z = zipfile.ZipFile(io.BytesIO(_docx()))
    members = {i.filename: z.read(i) for i in z.infolist()}
    xml = members["word/document.xml"].decode("utf-8")
    xml = xml.replace("?>", f'?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret}">]>', 1)
    members["word/document.xml"] = xml.replace("Mer forskning", "&xxe;").encode("utf-8")
    doc = read_bytes(tmp_path, "xxe.docx", _zip(members))
    assert not doc.ok and "entity" in doc.error and "HEMMELIG" not in doc.error


# --- PDF -----------------------------------------------------------------------------------

HEADER = "Eksempelbyrået – Rapport om helseindustri 2024"


def _pdf(draw) -> bytes:
    """A PDF (A4, reportlab, reproducible) with the pages `draw(canvas)` makes."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    draw(c)
    c.save()
    return buf.getvalue()


def _draw_lines(c, x: float, y: float, lines: list[str], step: float = 12.5) -> None:
    for i, line in enumerate(lines):
        c.drawString(x, y - step * i, line)


def _pdf_report() -> bytes:
    """Two A4 pages: a running header and page number on both; page 1 with a heading, a
    paragraph with hyphenated line breaks, a list and a table; page 2 in two columns, drawn
    line by line across both columns (so that drawing order is not reading order)."""
    return _pdf(_draw_report)


def _draw_report(c) -> None:
    def furniture(n):
        c.setFont("Helvetica", 8)
        c.drawString(72, 800, HEADER)
        c.drawString(290, 40, f"Side {n}")

    furniture(1)
    c.setFont("Helvetica-Bold", 14)
    c.drawString(72, 740, "Eksport av helseteknologi")
    c.setFont("Helvetica", 10)
    _draw_lines(c, 72, 710, [
        "Satsingen skal gi mer norsk legemiddel-",
        "produksjon og flere arbeidsplasser. Nærings-",
        "og fiskeridepartementet leder arbeidet.",
    ])
    for i, item in enumerate(["Etablere en helsekatapult.", "Styrke eksportfinansieringen."]):
        c.drawString(76, 660 - 15 * i, "•")
        c.drawString(90, 660 - 15 * i, item)
    for i, row in enumerate([["Tiltak", "Ansvar", "Beløp"], ["Helsekatapult", "Siva", "30 mNOK"]]):
        for x, cell in zip((72, 220, 360), row):
            c.drawString(x, 610 - 14 * i, cell)
    c.showPage()

    furniture(2)
    left = ["Venstre spalte begynner her, og teksten fyller", "spalten før den fortsetter på neste linje.", "",
            "Andre avsnitt i venstre spalte er kort."]
    right = ["Høyre spalte kommer etter venstre spalte i", "lesefølgen, selv om linjene er tegnet om", "hverandre med venstre spalte.",
             "Siste linje i høyre spalte."]
    c.setFont("Helvetica", 10)
    for i, (lt, rt) in enumerate(zip(left, right)):
        y = 740 - 12.5 * i
        if lt:
            c.drawString(72, y, lt)
        if rt:
            c.drawString(320, y, rt)
    c.showPage()


def test_pdf_reading_order_hyphens_headers_tables(tmp_path):
    doc = read_bytes(tmp_path, "rapport.pdf", _pdf_report())
    assert segments(doc) == [
        ("heading", "Eksport av helseteknologi"),
        ("paragraph", "Satsingen skal gi mer norsk legemiddelproduksjon og flere arbeidsplasser. "
                      "Nærings- og fiskeridepartementet leder arbeidet."),
        ("list_item", "Etablere en helsekatapult."),
        ("list_item", "Styrke eksportfinansieringen."),
        ("table_row", "Tiltak | Ansvar | Beløp"),
        ("table_row", "Helsekatapult | Siva | 30 mNOK"),
        ("paragraph", "Venstre spalte begynner her, og teksten fyller spalten før den fortsetter på neste linje."),
        ("paragraph", "Andre avsnitt i venstre spalte er kort."),
        ("paragraph", "Høyre spalte kommer etter venstre spalte i lesefølgen, selv om linjene er tegnet om "
                      "hverandre med venstre spalte. Siste linje i høyre spalte."),
    ]
    assert HEADER not in doc.text and "Side 1" not in doc.text
    assert (doc.reader, doc.content_type, doc.n_pages) == ("pdf", "application/pdf", 2)


def _scanned_pdf() -> bytes:
    def draw(c):
        c.rect(72, 72, 400, 600, fill=1)  # a page that is all picture, no text layer
        c.showPage()

    return _pdf(draw)


def _encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    w = PdfWriter()
    w.append(PdfReader(io.BytesIO(_pdf_report())))
    w.encrypt(user_password="hemmelig", owner_password="eier")
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def _pdf_objects(objects: list[bytes]) -> bytes:
    out = b"%PDF-1.4\n"
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def _page_tree_loop_pdf() -> bytes:
    return _pdf_objects([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",  # the page tree lists itself
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ])


def test_owner_password_only_pdf_is_read(tmp_path):
    from pypdf import PdfReader, PdfWriter

    w = PdfWriter()
    w.append(PdfReader(io.BytesIO(_pdf_report())))
    w.encrypt(user_password="", owner_password="eier")
    buf = io.BytesIO()
    w.write(buf)
    doc = read_bytes(tmp_path, "restricted.pdf", buf.getvalue())
    assert doc.ok and "legemiddelproduksjon" in doc.text


# --- broken files of every type --------------------------------------------------------------

BROKEN = [
    ("truncated.pdf", lambda: _pdf_report()[:1500], "truncated PDF"),
    ("locked.pdf", _encrypted_pdf, "password-protected PDF"),
    ("scan.pdf", _scanned_pdf, "no text layer in PDF"),
    ("loop.pdf", _page_tree_loop_pdf, "broken PDF"),
    ("notes.docx", lambda: _zip({"notes.txt": b"just a zip"}), "not a DOCX: zip without word/document.xml"),
    ("plain.docx", lambda: b"This is not a zip file at all, just text.", "not a DOCX: not a zip file"),
    ("nobody.html", lambda: b"<html><head><title>x</title></head></html>", "no main text found in HTML"),
]


@pytest.mark.parametrize("name, make, error", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_file_is_a_clear_error(tmp_path, name, make, error):
    doc = read_bytes(tmp_path, name, make())
    assert not doc.ok
    assert doc.error.startswith(error) and "\n" not in doc.error and len(doc.error) < 300


def test_broken_files_become_failed_rows_and_the_run_goes_on(tmp_path, pipelines):
    from pipeline.run.process import process_documents, read_batch

    for name, make, _ in BROKEN:
        (tmp_path / name).write_bytes(make())
    (tmp_path / "good.html").write_text(PAGE, encoding="utf-8")
    files = sorted((str(p), p.name, None) for p in tmp_path.iterdir())
    rows = process_documents(read_batch(files), pipelines).rows
    status = {r["source"]: (r["status"], r["error"]) for r in rows["documents"]}
    good = next(r["doc_id"] for r in rows["documents"] if r["source"] == "good.html")
    assert status.pop("good.html") == ("ok", None)
    assert {s for s, _ in status.values()} == {"failed"} and len(status) == len(BROKEN)
    assert {r["doc_id"] for r in rows["amounts"]} == {good}


@pytest.mark.parametrize("name, make", [
    ("a.html", lambda: PAGE), ("a.docx", _docx), ("a.pdf", _pdf_report), ("a.md", lambda: NOTES),
])
def test_cleaning_reader_output_is_idempotent(tmp_path, name, make):
    doc = read_bytes(tmp_path, name, make())
    once = clean(doc.text, doc.blocks)
    assert clean(once.text).text == once.text


@pytest.mark.parametrize("suffix", [".pdf", ".docx", ".html", ".md", ".txt"])
@pytest.mark.parametrize("data", [
    bytes(range(256)) * 8, b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\n%%EOF\n", b"PK\x03\x04" + b"\x00" * 200,
], ids=["bytes", "pdf-header", "zip-header"])
def test_garbage_never_raises(tmp_path, suffix, data):
    doc = read_bytes(tmp_path, "garbage" + suffix, data)
    assert not doc.ok and doc.error and "\n" not in doc.error


# --- the same document in every format -------------------------------------------------------

# offsets differ by format; the NOK values follow documents.published, which a format's metadata
# may give where the plain text states none (x01: "date 2024-11" in the HTML rendering only)
IGNORED = {"doc_id", "start", "end", "first_start", "run_id", "equivalent_of", "value_nok", "low_nok", "high_nok", "fx_date"}
TABLES = ("organisations", "amounts", "targets", "actions")


def _rows(rows: dict, doc_id: str) -> dict[str, list[tuple]]:
    out = {}
    for table in TABLES:
        out[table] = sorted(
            tuple(sorted((k, repr(v)) for k, v in r.items() if k not in IGNORED))
            for r in rows[table] if r["doc_id"] == doc_id
        )
    return out


def _same_rows_in_every_format(tmp_path, pipelines, source: Path):
    from pipeline.run.process import process_documents

    segs = render.segments(source.read_text(encoding="utf-8"))
    (tmp_path / "doc.html").write_text(render.to_html(segs, title=segs[0][1]), encoding="utf-8")
    (tmp_path / "doc.docx").write_bytes(render.to_docx(segs))
    (tmp_path / "doc.pdf").write_bytes(render.to_pdf(segs))
    raws = [read_document(source)] + [read_document(tmp_path / f"doc.{s}") for s in ("html", "docx", "pdf")]
    assert all(r.ok for r in raws), [r.error for r in raws]
    result = process_documents(raws, pipelines).rows
    expected = _rows(result, raws[0].doc_id)
    assert any(expected.values())
    for raw in raws[1:]:
        assert _rows(result, raw.doc_id) == expected, raw.reader
    docs = {r["reader"]: r for r in result["documents"]}
    if segs[0][0] == "heading":  # else HTML and DOCX take their first heading, text its first short paragraph
        assert len({d["title"] for d in docs.values()}) == 1
    assert docs["pdf"]["n_pages"] >= 2


@pytest.mark.parametrize("sample", ["pressemelding_eksport.txt", "english_news.txt", "nynorsk_melding.txt", "rapport_utdrag.md"])
def test_renderings_yield_the_same_rows_as_the_text(tmp_path, pipelines, sample):
    _same_rows_in_every_format(tmp_path, pipelines, REPO / "raw" / sample)


@pytest.mark.parametrize("name", [
    "seeds/000_043c1c71e3207819.txt", "seeds/001_ac8114fb6df33ca9.txt", "seeds/003_54a915ffe900ddce.txt",
    "seeds/004_d5510e198b059233.txt", "extra/x01_nb_news.txt", "extra/x04_en_release.txt", "extra/x06_nb_oped.txt",
])
def test_corpus_renderings_yield_the_same_rows_as_the_text(tmp_path, pipelines, name):
    from tests.conftest import require_shared

    _same_rows_in_every_format(tmp_path, pipelines, require_shared("corpus", *name.split("/")))


def test_raw_samples_in_other_formats_match_their_text():
    """The renderings committed in raw/ are what tests/fixtures/render_samples.py makes of the text."""
    for html in sorted((REPO / "raw").glob("*.html")):
        text = next(p for p in (html.with_suffix(".txt"), html.with_suffix(".md")) if p.exists())
        segs = render.segments(text.read_text(encoding="utf-8"))
        assert segments(read_document(html)) == segs
        assert segments(read_document(html.with_suffix(".docx"))) == segs
        assert segments(read_document(html.with_suffix(".pdf"))) == segs


def _pdf_with_dateline() -> bytes:
    """A press release whose dateline sits on the line right above the first sentence, in the
    same font and spacing: the PDF reader joins them into one paragraph."""
    def draw(c):
        c.setFont("Helvetica-Bold", 14)
        c.drawString(72, 760, "More money for green shipping")
        c.setFont("Helvetica", 10)
        _draw_lines(c, 72, 730, [
            "Oslo, 3 February 2025",
            "The Government proposes to strengthen Enova by NOK 3 billion next year.",
            "The ministry recommends that ports build shore power by 2030.",
        ])
        c.showPage()

    return _pdf(draw)


def test_pdf_dateline_is_the_published_date_not_the_first_sentence(tmp_path, pipelines):
    from pipeline.run.process import process_documents

    doc = read_bytes(tmp_path, "release.pdf", _pdf_with_dateline())
    assert doc.published == date(2025, 2, 3)
    assert ("dateline", "Oslo, 3 February 2025") in segments(doc)
    rows = process_documents([doc], pipelines).rows
    assert rows["documents"][0]["published"] == date(2025, 2, 3)
    assert rows["actions"] and rows["amounts"]
    for table in ("actions", "targets", "amounts"):
        for r in rows[table]:
            assert not r["sentence"].startswith("Oslo") and "2025 The" not in r["sentence"], (table, r["sentence"])
