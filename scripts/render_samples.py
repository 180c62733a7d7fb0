"""Render the text samples in raw/ as HTML, DOCX and PDF, to show the other readers.

    .venv/bin/python scripts/render_samples.py [raw/english_news.txt ...]   # writes raw/<name>.html|docx|pdf

Each file is cleaned first and its segments are drawn as a web page (with navigation, a
cookie banner, share buttons and a footer around the article), a Word document (Heading and
List styles, a real table) and a PDF (running header, page numbers, hyphenated line breaks
when a word does not fit). tests/test_formats.py uses the same functions to check that every
rendering yields the same extraction rows as the text. Needs reportlab (the `dev` extra).
"""
from __future__ import annotations

import html as htmllib
import io
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.clean import clean  # noqa: E402
from pipeline.metadata import split_date_marker  # noqa: E402

_NUMBERED = re.compile(r"^(\d{1,2})\.\s+")


def segments(text: str) -> list[tuple[str, str]]:
    """(kind, text) of the cleaned text: what each rendering draws."""
    _, text = split_date_marker(text)  # as the text reader does
    ct = clean(text)
    return [(s.kind, ct.segment_text(s)) for s in ct.segments]


def _groups(segs):
    """Consecutive list items / table rows grouped: (kind, [texts])."""
    out: list[tuple[str, list[str]]] = []
    for kind, t in segs:
        if kind == "list_item":
            kind = "ol" if _NUMBERED.match(t) else "ul"
        if out and out[-1][0] == kind and kind in ("ol", "ul", "table_row"):
            out[-1][1].append(t)
        else:
            out.append((kind, [t]))
    return out


def to_html(segs: list[tuple[str, str]], title: str = "Dokument") -> str:
    e = htmllib.escape
    body = []
    first_heading = True
    for kind, texts in _groups(segs):
        if kind == "heading":
            tag = "h1" if first_heading else "h2"
            first_heading = False
            body.append(f"<{tag}>{e(texts[0])}</{tag}>")
        elif kind in ("ol", "ul"):
            items = "".join(f"<li>{e(_NUMBERED.sub('', t))}</li>" for t in texts)
            body.append(f"<{kind}>{items}</{kind}>")
        elif kind == "table_row":
            rows = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in t.split(" | ")) + "</tr>" for t in texts)
            body.append(f"<table>{rows}</table>")
        else:
            body.append(f"<p>{e(texts[0])}</p>")
    return f"""<!DOCTYPE html>
<html lang="no"><head><meta charset="utf-8"><title>{e(title)} | Nyheter</title></head>
<body>
<header><nav><ul><li><a href="/">Forside</a></li><li><a href="/nyheter">Nyheter</a></li><li><a href="/om">Om oss</a></li></ul></nav></header>
<div id="cookie-banner" class="cookie-consent">Vi bruker informasjonskapsler for å forbedre nettstedet. <button>Godta alle</button></div>
<main><article>
{chr(10).join(body)}
<div class="share-buttons"><a href="https://facebook.com/share">Del på Facebook</a> <a href="https://linkedin.com/share">Del på LinkedIn</a></div>
</article></main>
<footer><p>Kontakt oss | Personvern | Informasjonskapsler</p><p>© 2025 Eksempelbyrået</p></footer>
</body></html>
"""


def to_docx(segs: list[tuple[str, str]]) -> bytes:
    import docx

    d = docx.Document()
    first_heading = True
    for kind, texts in _groups(segs):
        if kind == "heading":
            d.add_heading(texts[0], level=1 if first_heading else 2)
            first_heading = False
        elif kind in ("ol", "ul"):
            for t in texts:
                d.add_paragraph(_NUMBERED.sub("", t), style="List Number" if kind == "ol" else "List Bullet")
        elif kind == "table_row":
            rows = [t.split(" | ") for t in texts]
            table = d.add_table(rows=len(rows), cols=max(map(len, rows)))
            for r, cells in enumerate(rows):
                for c, t in enumerate(cells):
                    table.cell(r, c).text = t
        else:
            d.add_paragraph(texts[0])
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def to_pdf(segs: list[tuple[str, str]], header: str = "Eksempelbyrået – rapport", min_pages: int = 2) -> bytes:
    """A one-column A4 PDF: running header and "Side N" footer on every page; paragraphs
    wrapped at the margin, a word that does not fit is hyphenated."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    width, height = A4
    left, right, top, bottom = 72, width - 72, height - 90, 80
    state = {"y": top, "page": 1}

    def furniture():
        c.setFont("Helvetica", 8)
        c.drawString(left, height - 50, header)
        c.drawString(width / 2, 40, f"Side {state['page']}")

    def need(h):
        if state["y"] - h < bottom:
            furniture()
            c.showPage()
            state["page"] += 1
            state["y"] = top

    def wrap(text, font, size, w):
        lines, cur = [], ""
        for word in text.split():
            trial = f"{cur} {word}".strip()
            if stringWidth(trial, font, size) <= w:
                cur = trial
                continue
            if len(word) >= 10 and cur:  # hyphenate a long word to fill the line
                for cut in range(len(word) - 5, 3, -1):
                    if word[cut - 1].isalpha() and word[cut].isalpha() and stringWidth(f"{cur} {word[:cut]}-", font, size) <= w:
                        lines.append(f"{cur} {word[:cut]}-")
                        word = word[cut:]
                        break
                else:
                    lines.append(cur)
                cur = word
                continue
            if cur:
                lines.append(cur)
            cur = word
        if cur:
            lines.append(cur)
        return lines

    def block(text, font="Helvetica", size=10, indent=0, bullet=None, gap=8):
        lines = wrap(text, font, size, right - left - indent)
        lead = size * 1.25
        need(lead * min(len(lines), 2))
        for i, line in enumerate(lines):
            need(lead)
            c.setFont(font, size)
            if i == 0 and bullet:
                c.drawString(left + indent - 18, state["y"], bullet)
            c.drawString(left + indent, state["y"], line)
            state["y"] -= lead
        state["y"] -= gap

    groups = _groups(segs)
    for n, (kind, texts) in enumerate(groups):
        if min_pages > 1 and n == len(groups) // 2:
            need(height)  # start a new page half way, so that the header and page number repeat
        if kind == "heading":
            block(texts[0], "Helvetica-Bold", 13, gap=6)
        elif kind in ("ol", "ul"):
            for t in texts:
                m = _NUMBERED.match(t)
                block(_NUMBERED.sub("", t), indent=22, bullet=f"{m.group(1)}." if m else "•", gap=3)
            state["y"] -= 6
        elif kind == "table_row":
            rows = [t.split(" | ") for t in texts]
            ncol = max(map(len, rows))
            widths = [max(stringWidth(r[i], "Helvetica", 9) for r in rows if i < len(r)) + 24 for i in range(ncol)]
            for cells in rows:
                need(14)
                c.setFont("Helvetica", 9)
                x = left
                for i, t in enumerate(cells):
                    c.drawString(x, state["y"], t)
                    x += widths[i]
                state["y"] -= 14
            state["y"] -= 8
        else:
            block(texts[0])
    furniture()
    c.showPage()
    c.save()
    return buf.getvalue()


def main(paths: list[str]) -> None:
    paths = paths or [str(p) for p in sorted((ROOT / "raw").glob("*")) if p.suffix in (".txt", ".md")]
    for p in map(Path, paths):
        segs = segments(p.read_text(encoding="utf-8"))
        p.with_suffix(".html").write_text(to_html(segs, title=segs[0][1]), encoding="utf-8")
        p.with_suffix(".docx").write_bytes(to_docx(segs))
        p.with_suffix(".pdf").write_bytes(to_pdf(segs))
        print(f"{p} -> {p.stem}.html, {p.stem}.docx, {p.stem}.pdf")


if __name__ == "__main__":
    main(sys.argv[1:])
