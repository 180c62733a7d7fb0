"""Markdown with markdown-it-py (CommonMark plus tables): headings (ATX and underlined),
paragraphs (wrapped lines joined), list items (numbered ones keep their number, "1. ..."),
table rows, block quotes and code as paragraphs; emphasis, links and images reduced to their
text. Raw HTML is not interpreted (the cleaner strips leftover tags)."""
from __future__ import annotations

from markdown_it import MarkdownIt

from pipeline.document import CELL_SEP
from pipeline.read.metadata import split_date_marker
from pipeline.read.base import ReadResult, decode_text

_MD = MarkdownIt("commonmark", {"html": False}).enable("table")


def read(data: bytes) -> ReadResult:
    published, text = split_date_marker(decode_text(data))
    blocks = list(_blocks(_MD.parse(text)))
    headings = [t for k, t in blocks if k == "heading"]
    return ReadResult(
        text="\n\n".join(t for _, t in blocks), content_type="text/markdown",
        title=headings[0] if headings else None, published=published, blocks=blocks,
    )


def _inline(token) -> str:
    parts = []
    for child in token.children or []:
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content)
    return " ".join("".join(parts).split())


def _blocks(tokens):
    lists: list[list] = []  # per open list: [ordered, next number]
    item_open = False  # the next paragraph is the text of a list item
    row: list[str] | None = None
    for i, tok in enumerate(tokens):
        t = tok.type
        if t in ("bullet_list_open", "ordered_list_open"):
            lists.append([t == "ordered_list_open", int(tok.attrGet("start") or 1)])
        elif t in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif t == "list_item_open":
            item_open = True
        elif t == "heading_open":
            yield "heading", _inline(tokens[i + 1])
        elif t == "tr_open":
            row = []
        elif t in ("th_open", "td_open") and row is not None:
            row.append(_inline(tokens[i + 1]))
        elif t == "tr_close" and row is not None:
            cells = [c for c in row if c]
            if cells:
                yield "table_row", CELL_SEP.join(cells)
            row = None
        elif t == "inline" and tokens[i - 1].type == "paragraph_open":
            text = _inline(tok)
            if not text:
                continue
            if item_open and lists:
                ordered, n = lists[-1]
                if ordered:
                    lists[-1][1] += 1
                yield "list_item", f"{n}. {text}" if ordered else text
                item_open = False
            else:
                yield "paragraph", text
        elif t in ("fence", "code_block"):
            for line in tok.content.splitlines():
                if line.strip():
                    yield "paragraph", line.strip()
