"""DOCX with python-docx: paragraphs with their styles (Title/Heading -> heading, list styles
or numbering -> list item, numbered ones keep their number) and tables as rows, in body order.

Before python-docx sees the file, the zip is checked: not a zip, no word/document.xml, members
whose uncompressed size or compression ratio is out of bounds ("zip bomb"), or XML with a DTD
or entity declarations (never resolved) are `ReadError`s.
"""
from __future__ import annotations

import io
import re
import zipfile

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph

from pipeline.document import CELL_SEP
from pipeline.read.metadata import meaningful_title
from pipeline.read.base import ReadError, ReadResult

MAX_UNCOMPRESSED = 200 * 1024 * 1024  # all members together
MAX_RATIO = 200  # uncompressed / compressed, for members over 1 MB
MAX_MEMBERS = 10_000
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.I)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def check_zip(data: bytes) -> None:
    """Refuse what is not a DOCX package, or would be dangerous to unpack and parse."""
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as e:
        raise ReadError(f"not a DOCX: not a zip file ({e})") from None
    with z:
        infos = z.infolist()
        if len(infos) > MAX_MEMBERS:
            raise ReadError(f"zip bomb: {len(infos)} members")
        total = sum(i.file_size for i in infos)
        if total > MAX_UNCOMPRESSED:
            raise ReadError(f"zip bomb: {total} bytes uncompressed (limit {MAX_UNCOMPRESSED})")
        for i in infos:
            if i.file_size > 1024 * 1024 and i.file_size > MAX_RATIO * max(i.compress_size, 1):
                raise ReadError(f"zip bomb: {i.filename} expands {i.file_size // max(i.compress_size, 1)}x")
        names = {i.filename for i in infos}
        if "word/document.xml" not in names:
            raise ReadError("not a DOCX: zip without word/document.xml")
        for i in infos:
            if i.filename.endswith((".xml", ".rels")):
                with z.open(i) as f:
                    head = f.read(i.file_size + 1)  # bounded by the checks above
                if _DTD.search(head):
                    raise ReadError(f"DOCX with a DTD or entity declaration in {i.filename}: refused")


def read(data: bytes) -> ReadResult:
    check_zip(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as e:  # noqa: BLE001 - python-docx raises many kinds for broken packages
        raise ReadError(f"broken DOCX: {type(e).__name__}: {e}".splitlines()[0][:200]) from None
    numbering = _numbering_formats(document)
    blocks: list[tuple[str, str]] = []
    counters: dict[tuple[str, int], int] = {}
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            blocks.extend(("table_row", row) for row in _table_rows(item))
            continue
        if not isinstance(item, Paragraph):
            continue
        text = " ".join(item.text.split())
        if not text:
            continue
        style = (item.style.name if item.style is not None else "") or ""
        kind, number = _kind(item, style, numbering)
        if kind == "list_item" and number is not None:
            counters[number] = counters.get(number, 0) + 1
            text = f"{counters[number]}. {text}"
        elif kind != "list_item":
            counters.clear()
        blocks.append((kind, text))
    if not blocks:
        raise ReadError("no text in DOCX")
    props = document.core_properties
    headings = [t for k, t in blocks if k == "heading"]
    title = meaningful_title(props.title) or (headings[0] if headings else None)
    return ReadResult(
        text="\n\n".join(t for _, t in blocks),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        title=title, blocks=blocks,
    )


def _kind(p: Paragraph, style: str, numbering: dict) -> tuple[str, tuple[str, int] | None]:
    """("heading" | "list_item" | "paragraph", numbering key if the item is numbered)."""
    s = style.casefold()
    if s == "title" or s.startswith("heading"):
        return "heading", None
    num_pr = p._p.pPr.numPr if p._p.pPr is not None else None
    if num_pr is not None and num_pr.numId is not None and str(num_pr.numId.val) != "0":  # 0: numbering removed
        num_id = str(num_pr.numId.val)
        level = int(num_pr.ilvl.val) if num_pr.ilvl is not None else 0
        numbered = numbering.get((num_id, level)) not in (None, "bullet", "none")
        return "list_item", ((num_id, level) if numbered else None)
    if s.startswith("list number"):
        return "list_item", (style, 0)
    if s.startswith("list"):
        return "list_item", None
    return "paragraph", None


def _numbering_formats(document) -> dict[tuple[str, int], str]:
    """(numId, level) -> numFmt ("decimal", "bullet", ...) from the numbering part."""
    try:
        root = document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return {}
    abstract = {}
    for a in root.iter(f"{_W}abstractNum"):
        for lvl in a.iter(f"{_W}lvl"):
            fmt = lvl.find(f"{_W}numFmt")
            abstract[(a.get(f"{_W}abstractNumId"), int(lvl.get(f"{_W}ilvl", "0")))] = (
                fmt.get(f"{_W}val") if fmt is not None else None
            )
    out = {}
    for num in root.iter(f"{_W}num"):
        ref = num.find(f"{_W}abstractNumId")
        if ref is None:
            continue
        for (aid, level), fmt in abstract.items():
            if aid == ref.get(f"{_W}val"):
                out[(num.get(f"{_W}numId"), level)] = fmt
    return out


def _table_rows(table: Table) -> list[str]:
    rows = []
    for row in table.rows:
        cells: list[str] = []
        seen = set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell is listed once per grid column it spans
                continue
            seen.add(id(cell._tc))
            t = " ".join(cell.text.split())
            if t:
                cells.append(t)
        if cells:
            rows.append(CELL_SEP.join(cells))
    return rows
