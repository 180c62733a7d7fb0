"""PDF with pypdf: text per page in reading order, as plain text the cleaner segments like a
`.txt` file (one line per paragraph, list item or table row).

- Reading order from the text positions: lines top to bottom; on a page with a column gutter
  shared by several lines, the left column before the right one.
- Lines are joined into paragraphs by their spacing (a list item's wrapped lines must be
  indented past its bullet, a quotation's opening dash asks nothing); a line-final hyphen is joined
  ("legemiddel-" + "produksjon" -> "legemiddelproduksjon"), except before "og"/"and".
- Running headers/footers (top or bottom lines repeating across pages, digits ignored) and
  page numbers are dropped.
- A line with pieces far apart is a table row (cells joined by a tab).
- No text layer (a scan): `ReadError`, no OCR. Password protection, a truncated file or a
  broken page tree: `ReadError`.
"""
from __future__ import annotations

import io
import logging
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pypdf import PdfReader
from pypdf.generic._font import Font  # glyph widths; private module, guarded in _width
from pypdf.errors import FileNotDecryptedError, PdfReadError, PyPdfError

from pipeline.read.metadata import meaningful_title
from pipeline.read.base import ReadError, ReadResult

DATA = yaml.safe_load(Path(__file__).with_name("pdf.yaml").read_text(encoding="utf-8"))
_KEEP_HYPHEN = {w.casefold() for w in DATA["keep_hyphen_before"]}
_PAGE_NUMBER = [re.compile(p, re.I) for p in DATA["page_number_patterns"]]
_LIST_START = re.compile(rf"^(?:[{re.escape(DATA['bullets'])}]|\d{{1,2}}[.)]|[a-z][.)])\s+")
# a dash opening a capitalised sentence may be a quotation ("– Vi må ..."; the cleaner decides),
# whose wrapped lines go back to the margin
_QUOTE_START = re.compile(r"^[–—-]\s+[«\"“A-ZÆØÅ]")
_SENTENCE_END = re.compile(r"[.!?:;]$")
MAX_PAGES = 5000

logging.getLogger("pypdf").setLevel(logging.ERROR)  # broken files are reported as ReadError


@dataclass
class Piece:
    x: float
    y: float
    text: str
    size: float
    bold: bool
    width: float | None = None  # from the font's glyph widths where pypdf knows them

    @property
    def end(self) -> float:
        return self.x + (self.width if self.width is not None else len(self.text) * self.size * DATA["glyph_width"])


@dataclass
class Line:
    pieces: list[Piece] = field(default_factory=list)

    @property
    def x(self) -> float:
        return self.pieces[0].x

    @property
    def y(self) -> float:
        return self.pieces[0].y

    @property
    def size(self) -> float:
        return max(p.size for p in self.pieces)

    @property
    def bold(self) -> bool:
        return all(p.bold for p in self.pieces)

    def groups(self) -> list[list[Piece]]:
        """Pieces split where the horizontal gap is wide: cells or columns."""
        out: list[list[Piece]] = []
        for p in self.pieces:
            if out and p.x - out[-1][-1].end <= DATA["cell_gap"] * p.size:
                out[-1].append(p)
            else:
                out.append([p])
        return out

    @property
    def text(self) -> str:
        return "\t".join(_words(g) for g in self.groups())


def _words(pieces: list[Piece]) -> str:
    """Pieces of one cell as text: a space between them unless they touch (a word drawn in
    parts, e.g. for kerning)."""
    out = pieces[0].text
    for prev, p in zip(pieces, pieces[1:]):
        touching = prev.width is not None and p.x - prev.end < 0.1 * p.size
        out += p.text if touching and not out.endswith(" ") else " " + p.text
    return out


def read(data: bytes) -> ReadResult:
    if b"%PDF-" not in data[:1024]:
        raise ReadError("not a PDF: no %PDF header")
    if b"%%EOF" not in data[-2048:]:
        raise ReadError("truncated PDF: no %%EOF end marker")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except (PyPdfError, NotImplementedError) as e:
                raise ReadError(f"encrypted PDF that cannot be opened: {e}") from None
            if not opened:
                raise ReadError("password-protected PDF: cannot read without the password")
        n_pages = len(reader.pages)
        if n_pages > MAX_PAGES:
            raise ReadError(f"too many pages: {n_pages} (limit {MAX_PAGES})")
        pages = [_page_lines(page) for page in reader.pages]
        title = meaningful_title(_info_title(reader))
    except ReadError:
        raise
    except FileNotDecryptedError:
        raise ReadError("password-protected PDF: cannot read without the password") from None
    except RecursionError:
        raise ReadError("broken PDF: page tree loops or nests too deeply") from None
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError) as e:
        raise ReadError(f"broken PDF: {type(e).__name__}: {e}".splitlines()[0][:200]) from None
    if n_pages == 0:
        raise ReadError("PDF has no pages")
    if not any(lines for lines, _ in pages):
        raise ReadError(f"no text layer in PDF ({n_pages} pages; scanned? OCR is not supported)")
    pages = _drop_running_lines(pages)
    return ReadResult(text=_text(pages), content_type="application/pdf", title=title, n_pages=n_pages)


def _info_title(reader: PdfReader) -> str | None:
    try:
        meta = reader.metadata
        return str(meta.title) if meta and meta.title else None
    except Exception:  # noqa: BLE001 - a broken info dictionary only loses the title
        return None


# --- one page ------------------------------------------------------------------------------

def _page_lines(page) -> tuple[list[Line], float]:
    pieces: list[Piece] = []
    fonts: dict[int, object] = {}

    def visit(text, cm, tm, font, size):
        for part in text.split("\n"):
            part = part.strip()
            if not part:
                continue
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            scale = (cm[3] ** 2 + cm[2] ** 2) ** 0.5 * (tm[3] ** 2 + tm[2] ** 2) ** 0.5 or 1.0
            width = _width(fonts, font, part, size * scale)
            name = str((font or {}).get("/BaseFont", ""))
            pieces.append(Piece(x, y, part, size * scale, "bold" in name.casefold(), width))

    page.extract_text(visitor_text=visit)
    pieces.sort(key=lambda p: (-p.y, p.x))
    lines: list[Line] = []
    for p in pieces:
        if lines and abs(lines[-1].y - p.y) <= 0.3 * p.size:
            lines[-1].pieces.append(p)
        else:
            lines.append(Line([p]))
    for ln in lines:
        ln.pieces.sort(key=lambda p: p.x)
        if _is_bullet_glyph(ln.pieces[0].text):
            ln.pieces[0].text = "•"  # a bullet in a symbol font often decodes as a control character
    width = float(page.mediabox.width) or 612.0
    height = float(page.mediabox.height) or 792.0
    return _reading_order(lines, width), height


def _width(cache: dict, font, text: str, size: float) -> float | None:
    """Width of `text` from the font's widths (or the core-14 font metrics pypdf ships)."""
    if not font:
        return None
    key = id(font)
    if key not in cache:
        try:
            cache[key] = Font.from_font_resource(font)
        except Exception:  # noqa: BLE001 - an odd font only costs the estimate
            cache[key] = None
    f = cache[key]
    if f is None:
        return None
    try:
        return f.get_text_width(text) * size / 1000
    except Exception:  # noqa: BLE001
        return None


def _is_bullet_glyph(s: str) -> bool:
    return len(s) == 1 and (s in DATA["bullets"] or unicodedata.category(s) in ("Cc", "Co", "So"))


def _gutter(lines: list[Line], width: float) -> float | None:
    """The x where a right column starts: several lines have text starting there, in the
    middle of the page, and the text left of it fills its column (table cells do not)."""
    lo, hi = (z * width for z in DATA["column_zone"])
    starts = Counter()
    for ln in lines:
        groups = ln.groups()
        for g in groups if len(groups) > 1 else []:
            if lo <= g[0].x <= hi:
                starts[round(g[0].x / 4)] += 1
        if len(groups) == 1 and lo <= ln.x <= hi:
            starts[round(ln.x / 4)] += 1
    if not starts or any(len(ln.groups()) > 2 for ln in lines):
        return None
    bucket, n = starts.most_common(1)[0]
    gutter = bucket * 4 - 2.5
    left_edge = min(ln.x for ln in lines)
    fill = sorted(
        (g[-1].end - left_edge) / max(gutter - left_edge, 1.0)
        for ln in lines if len(ln.groups()) == 2 for g in ln.groups()[:1]
    )
    if n >= DATA["column_lines"] and fill and fill[len(fill) // 2] >= DATA["column_fill"]:
        return gutter
    return None


def _reading_order(lines: list[Line], width: float) -> list[Line]:
    gutter = _gutter(lines, width)
    if gutter is None:
        return lines
    out: list[Line] = []
    left: list[Line] = []
    right: list[Line] = []
    for ln in lines:
        spanning = any(p.x < gutter < p.end - ln.size for p in ln.pieces)
        if spanning:
            out += left + right + [ln]
            left, right = [], []
            continue
        lp = [p for p in ln.pieces if p.x < gutter]
        rp = [p for p in ln.pieces if p.x >= gutter]
        if lp:
            left.append(Line(lp))
        if rp:
            right.append(Line(rp))
    return out + left + right


# --- across pages --------------------------------------------------------------------------

def _key(line: Line) -> str:
    return re.sub(r"\d+", "#", " ".join(line.text.split()).casefold())


def _drop_running_lines(pages: list[tuple[list[Line], float]]) -> list[list[Line]]:
    """Pages without their running headers/footers and page numbers."""
    zone = DATA["margin_zone"]

    def margin(line: Line, height: float) -> bool:
        return line.y > height * (1 - zone) or line.y < height * zone

    counts = Counter()
    for lines, height in pages:
        counts.update({_key(ln) for ln in lines if margin(ln, height)})
    need = max(2, min(DATA["repeat_share"] * len(pages), DATA["repeat_pages"]))
    out = []
    for lines, height in pages:
        kept = [
            ln for ln in lines
            if not (margin(ln, height) and (
                counts[_key(ln)] >= need or any(p.fullmatch(ln.text.strip()) for p in _PAGE_NUMBER)
            ))
        ]
        out.append(kept)
    return out


def _join(a: str, b: str) -> str:
    """Two wrapped lines of one paragraph as one."""
    if re.search(r"\w-$", a) and b[:1].islower():
        first = b.split(maxsplit=1)[0].casefold().strip(".,;:")
        return f"{a} {b}" if first in _KEEP_HYPHEN else a[:-1] + b
    if a.endswith("\u00ad"):
        return a[:-1] + b
    return f"{a} {b}"


def _paragraphs(lines: list[Line]) -> list[str]:
    out: list[str] = []
    prev: Line | None = None
    item_x: float | None = None  # x of the text of the list item being continued
    for ln in lines:
        text = ln.text
        table = "\t" in text
        starts_item = bool(_LIST_START.match(text))
        new = (
            prev is None or table or "\t" in out[-1] or starts_item
            or not (0 < prev.y - ln.y <= DATA["paragraph_gap"] * ln.size)
            or abs(prev.size - ln.size) > 0.5 or prev.bold != ln.bold
            or (item_x is not None and ln.x < item_x)
        )
        if new:
            out.append(text)
            item_x = (ln.x + 1) if starts_item and not _QUOTE_START.match(text) else None
        else:
            out[-1] = _join(out[-1], text)
        prev = ln
    return out


def _text(pages: list[list[Line]]) -> str:
    paras: list[str] = []
    for lines in pages:
        page_paras = _paragraphs(lines)
        if paras and page_paras and not _SENTENCE_END.search(paras[-1]) and page_paras[0][:1].islower():
            paras[-1] = _join(paras[-1], page_paras.pop(0))  # a paragraph running over the page break
        paras.extend(page_paras)
    return "\n\n".join(paras)
