"""HTML: the main content only, found by trafilatura (navigation, cookie banners, share
buttons and footers are left out), as heading, paragraph, list item and table row blocks.

Nothing is fetched: trafilatura parses the string it is given, and the XML it returns is
parsed with entities and network access off. A page nested too deep for the parser, or with
no main text, is a `ReadError`.
"""
from __future__ import annotations

import trafilatura
from lxml import etree

from pipeline.document import CELL_SEP
from pipeline.read.metadata import as_date, meaningful_title, published_date
from pipeline.read.base import ReadError, ReadResult, decode_text

# lxml's HTML parser (huge_tree off) keeps at most 255 levels of nesting, so trafilatura's tree
# walk stays within Python's recursion limit; text nested deeper is lost.
_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def read(data: bytes) -> ReadResult:
    html = decode_text(data)
    try:
        xml = trafilatura.extract(
            html, output_format="xml", include_tables=True, include_comments=False,
            include_links=False, include_images=False, with_metadata=True, favor_recall=True,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except RecursionError:
        raise ReadError("HTML nested too deeply to parse") from None
    if not xml:
        raise ReadError("no main text found in HTML (no body or an empty one)")
    root = etree.fromstring(xml.encode("utf-8"), _XML)
    for lb in root.iter("lb"):  # a line break inside a paragraph separates words
        lb.tail = " " + (lb.tail or "")
    main = root.find("main")
    blocks = list(_blocks(main if main is not None else root))
    if not blocks:
        raise ReadError("no main text found in HTML (no body or an empty one)")
    headings = [t for k, t in blocks if k == "heading"]
    title = meaningful_title(root.get("title")) or (headings[0] if headings else None)
    return ReadResult(
        text="\n\n".join(t for _, t in blocks), content_type="text/html", title=title,
        published=published_date("\n".join(t for _, t in blocks)) or as_date(root.get("date")),
        blocks=blocks,
    )


def _text(el) -> str:
    return " ".join("".join(el.itertext()).split())


def _text_outside_lists(el) -> str:
    parts = [el.text or ""]
    for child in el:
        if child.tag != "list":
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def _blocks(parent):
    """(kind, text) blocks of trafilatura's XML, in document order. Ordered list items keep
    their number ("1. ..."), as they read in a text file."""
    for el in parent:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "head":
            yield "heading", _text(el)
        elif tag == "list":
            numbered = el.get("rend") == "ol"
            n = 0
            for item in el.findall("item"):
                t = _text_outside_lists(item)
                if t:
                    n += 1
                    yield "list_item", f"{n}. {t}" if numbered else t
                for nested in item.findall("list"):
                    yield from _blocks([nested])
        elif tag == "table":
            for row in el.iter("row"):
                cells = [_text(c) for c in row.iter("cell")]
                cells = [c for c in cells if c]
                if cells:
                    yield "table_row", CELL_SEP.join(cells)
        elif tag in ("p", "quote", "code"):
            t = _text(el)
            if t:
                yield "paragraph", t
        elif tag in ("div", "main", "section"):
            yield from _blocks(el)
        else:
            t = _text(el)
            if t:
                yield "paragraph", t
