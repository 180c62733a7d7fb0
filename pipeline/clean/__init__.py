"""Cleaning: repaired, normalised text made of typed segments with offsets.

`clean(text)` returns a `CleanText`: the cleaned text (what every offset in the output
tables points into) and its segments (heading, paragraph, list_item, table_row, footnote,
dateline), each with the language of its text. Cleaning is idempotent: cleaning a cleaned text
returns the same text.

A line opening with a dash is a list item, or a quotation in the Norwegian news style
("– Vi må ..., sier X."): `_opens_quote` tells them apart. A dateline opening the document
("OSLO, 3. feb. 2025 (NTB): ...") is a `dateline` segment of its own, never part of the first
sentence or the title.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import ftfy
import yaml

from pipeline import lang as language_data
from pipeline.clean.language import detect_languages, document_language, norwegian_variant
from pipeline.document import CELL_SEP
from pipeline.read.metadata import DATA as METADATA, dateline

DATA = yaml.safe_load((Path(__file__).with_name("clean.yaml")).read_text(encoding="utf-8"))
_BOILERPLATE = {s.casefold() for s in DATA["boilerplate_lines"]}
_BOILERPLATE_RE = [re.compile(p, re.I) for p in DATA["boilerplate_patterns"]]
_TOC_RE = [re.compile(p) for p in DATA["toc_patterns"]]
_BULLETS = DATA["bullets"]

KINDS = ("heading", "paragraph", "list_item", "table_row", "footnote", "dateline")


@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    kind: str
    lang: str | None = None
    level: int = 0  # heading level (1 = top) or list depth


@dataclass
class CleanText:
    text: str
    segments: list[Segment] = field(default_factory=list)
    language: str = "nb"
    languages: list[str] = field(default_factory=list)

    def segment_text(self, seg: Segment) -> str:
        return self.text[seg.start : seg.end]


# --- character level -----------------------------------------------------------------------

_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u2009\u200a\u2002\u2003\u2004\u2005\u2006\u2008\u205f\u3000"), " ")
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_HYPHENS = dict.fromkeys(map(ord, "\u2010\u2011"), "-")
_DASHES = dict.fromkeys(map(ord, "\u2012\u2013\u2014\u2015\u2212"), "–")
_CHAR_MAP = {**_SPACES, **_ZERO_WIDTH, **_HYPHENS, **_DASHES}

_SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_FOOTNOTE_LINE = re.compile(rf"^\s*([{_SUPERSCRIPT}]+)\s*(.*)$")
_FOOTNOTE_MARK = re.compile(rf"(?<=\S)[{_SUPERSCRIPT}]+(?:,\s*[{_SUPERSCRIPT}]+)*|\^\{{[\d,\s]+\}}|\^\d+\b")
_HTML_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")
_LIST_TAG = re.compile(r"<li\b[^>]*>|<br\s*/?>", re.I)
_MD_LINK = re.compile(r"\[([^\]]*)\]\((?:[^()]|\([^()]*\))*\)")
_ANGLE_URL = re.compile(r"<(https?://[^>\s]+)>")
_MD_ESCAPE = re.compile(r"\\([()\[\]_*#])")
_MULTISPACE = re.compile(r"[ \f\v]+")


def normalise_chars(text: str) -> str:
    """Repair mojibake (ftfy), then normalise spaces, dashes and line ends. Invisible characters
    go first, so that ftfy sees the same text whether it runs once or twice (idempotence)."""
    text = text.translate(_ZERO_WIDTH).replace("\r\n", "\n").replace("\r", "\n")
    return ftfy.fix_text(text, normalization="NFC").translate(_CHAR_MAP)


# --- line level ----------------------------------------------------------------------------

def _is_noise(line: str) -> bool:
    s = line.strip()
    if s.casefold().rstrip(".:") in _BOILERPLATE or s.casefold() in _BOILERPLATE:
        return True
    return any(p.search(s) for p in _BOILERPLATE_RE) or any(p.search(line) for p in _TOC_RE)


def _strip_markup(s: str) -> str:
    s = _ANGLE_URL.sub(r"\1", s)
    s = _MD_LINK.sub(r"\1", s)
    s = _MD_ESCAPE.sub(r"\1", s)
    s = _FOOTNOTE_MARK.sub("", s)
    s = _HTML_TAG.sub(" ", s)
    s = _MULTISPACE.sub(" ", s).strip()
    return "" if s.strip(_SUPERSCRIPT + " ") == "" else s  # a stray footnote number is not text


_BULLET_START = re.compile(rf"^\s*[{re.escape(_BULLETS)}]\s+")
_NUMBER_START = re.compile(r"^\s*(\d{1,2}|[a-z])[.)]\s+(?=\S)")
_SECTION_NUMBER = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2})+)\.?\s+(?=\S)")
_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+")
_SENTENCE_END = re.compile(r"[.!?:;,]$")


def _split_bullets(cell: str) -> list[str]:
    """A table cell holding a bulleted list ("<ul> • A • B </ul>") as its items."""
    cell = _LIST_TAG.sub(" • ", cell)
    cell = _HTML_TAG.sub(" ", cell)
    parts = re.split(r"(?:^|\s|(?<=\S))[•◦▪●■‣⁃∙]\s*", cell)
    return [p for p in (_strip_markup(x) for x in parts) if p]


def _line_blocks(line: str) -> list[tuple[str, str, int]]:
    """One raw line as (kind, text, level) blocks."""
    raw = line.rstrip()
    if "\t" in raw.strip() or raw.lstrip().startswith("|") or CELL_SEP in raw:
        cells = [c for c in re.split(r"\t|(?<!\\)\|", raw) if c.strip()]
        if len(cells) >= 2 or "<ul" in raw or "<li" in raw:
            plain, items = [], []
            for c in cells:
                if "<ul" in c or "<li" in c or re.search(r"[•●■]", c):
                    items.extend(_split_bullets(c))
                else:
                    t = _strip_markup(c)
                    if t and not re.fullmatch(r":?-{3,}:?", t):
                        plain.append(t)
            # one cell is not a table row: a row label before bulleted cells reads as a paragraph
            # (so that cleaning the cleaned text gives the same kinds)
            out = [("table_row" if len(plain) > 1 else "paragraph", CELL_SEP.join(plain), 0)] if plain else []
            return out + [("list_item", it, 1) for it in items]
    m = _MD_HEADING.match(raw)
    if m:
        return [("heading", _strip_markup(raw[m.end():].rstrip("#")), len(m.group(1)))]
    m = _FOOTNOTE_LINE.match(raw)
    if m:
        return [("footnote", _strip_markup(m.group(2)), 0)]
    if "<li" in raw or "<ul" in raw:
        return [("list_item", it, 1) for it in _split_bullets(raw)]
    raw = _HTML_TAG.sub("", raw)  # the line's shape (bullet, number) is judged without its tags
    m = _BULLET_START.match(raw)
    if m:
        depth = 1 + (len(raw) - len(raw.lstrip())) // 2
        return [("list_item", _strip_markup(raw[m.end():]), depth)]
    text = _strip_markup(raw)
    m = _SECTION_NUMBER.match(raw)
    if m and len(text) <= 120 and not text.endswith("."):
        return [("heading", text, m.group(1).count(".") + 1)]
    m = _NUMBER_START.match(raw)
    if m:
        if _looks_like_heading(text[m.end() - (len(raw) - len(raw.lstrip())):]) and raw == raw.lstrip():
            return [("heading", text, 1)]
        return [("list_item", text, 1)]
    return [("paragraph", text, 0)]


# Quote attributions (", sier X." / ", says X."): the patterns targets and actions read them by.
_ATTRIBUTION = re.compile("|".join(f"(?:{language_data.get(lang).clauses['attribution']})" for lang in language_data.LANGS),
                          re.I | re.S)
_QUOTE_DASH = re.compile(r"^\s*[–-]\s+(?=\S)")
_FULL_STOP = re.compile(r"[.!?…][»\"”]?$")


def _dash_item(blocks: list[tuple[str, str, int]], line: str) -> bool:
    """The line is one list item, marked by a dash: a quotation, maybe (`_opens_quote`)."""
    return len(blocks) == 1 and blocks[0][0] == "list_item" and bool(_QUOTE_DASH.match(line))


def _opens_quote(text: str, prev: tuple[str, str, int] | None, next_dash: bool, tight: bool) -> bool:
    """Whether a line opening with a dash ("– Vi må ...") is a quotation, not a list item: the
    words after the dash start with a capital (or a quote mark) and either end in an attribution
    (", sier X.", ", said X"), or go on the quotation of the block before, or stand as a paragraph
    of their own: not after a lead-in (":") or a list item, and not the first of a run of dash
    lines (the next line is one, right below or after a line without final punctuation).
    `prev` is the block before; `next_dash`: the next non-blank line opens with a dash;
    `tight`: with no blank line between them."""
    rest = text[_QUOTE_DASH.match(text).end():]
    if not (rest[:1].isupper() or rest[:1] in "«\"“"):
        return False
    if _ATTRIBUTION.search(rest):
        return True
    if prev and prev[0] == "paragraph" and _QUOTE_DASH.match(prev[1]):
        return True  # a quotation over several paragraphs
    if prev and (prev[0] == "list_item" or prev[1].endswith(":")):
        return False
    return not (next_dash and (tight or not _FULL_STOP.search(rest.rstrip())))


def _looks_like_heading(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= 12 and len(text) <= 100 and not _SENTENCE_END.search(text) and (
        text[:1].isupper() or text[:1].isdigit() or text[:1] in "«\"“'"
    )


def _blocks(text: str) -> list[tuple[str, str, int]]:
    """The text as (kind, text, level) blocks: one per line, wrapped lines joined, headings
    told from short paragraphs by their shape."""
    blocks: list[tuple[str, str, int]] = []
    prev_blank = True
    lines = text.split("\n")
    filled = [i for i, line in enumerate(lines) if line.strip()]
    next_filled = dict(zip(filled, filled[1:]))
    for i, line in enumerate(lines):
        if not line.strip():
            prev_blank = True
            continue
        if _is_noise(line):
            continue
        found = _line_blocks(line)
        if _dash_item(found, line):
            j = next_filled.get(i)
            if _opens_quote(line, blocks[-1] if blocks else None, j is not None and bool(_QUOTE_DASH.match(lines[j])), j == i + 1):
                found = [("paragraph", _strip_markup(line), 0)]
        for kind, t, level in found:
            if not t or _is_noise(t):
                continue
            if (
                kind == "paragraph" and blocks and not prev_blank and blocks[-1][0] == "paragraph"
                and not _SENTENCE_END.search(blocks[-1][1]) and t[:1].islower()
            ):  # a hard-wrapped line continues the paragraph before it
                blocks[-1] = ("paragraph", blocks[-1][1] + " " + t, 0)
                continue
            blocks.append((kind, t, level))
        prev_blank = False
    # a short line without final punctuation, standing alone, is a heading
    return [
        ("heading", t, 2) if k == "paragraph" and _looks_like_heading(t) else (k, t, lv)
        for k, t, lv in blocks
    ]


def _reader_blocks(blocks: list[tuple[str, str]]) -> list[tuple[str, str, int]]:
    """Blocks a structured reader (HTML, DOCX) gave. Headings, list items, table rows and
    footnotes keep their kind; a paragraph is read like a line of a text file, so that a
    bullet or a short title line gets the same kind in every format."""
    found: list[tuple[str, str, int]] = []
    texts = [" ".join(normalise_chars(t).split()) for _, t in blocks]
    for i, ((kind, _), t) in enumerate(zip(blocks, texts)):
        if not t or _is_noise(t):
            continue
        if kind in KINDS and kind != "paragraph":
            t = _strip_markup(t)
            if t and not _is_noise(t):
                found.append((kind, t, 1))
            continue
        line_blocks = _line_blocks(t)
        if _dash_item(line_blocks, t):
            next_dash = i + 1 < len(blocks) and blocks[i + 1][0] == "paragraph" and bool(_QUOTE_DASH.match(texts[i + 1]))
            if _opens_quote(t, found[-1] if found else None, next_dash, tight=False):
                line_blocks = [("paragraph", _strip_markup(t), 0)]
        for k, bt, level in line_blocks:
            if bt and not _is_noise(bt):
                if k == "paragraph" and _looks_like_heading(bt):
                    k, level = "heading", 2
                found.append((k, bt, level))
    return found


_BULLET_MARK = "• "


def assemble(blocks: list[tuple[str, str, int]]) -> tuple[str, list[tuple[int, int, str, int]]]:
    """Join blocks into one text; returns the text and (start, end, kind, level) per block."""
    parts: list[str] = []
    spans = []
    pos = 0
    for i, (kind, t, level) in enumerate(blocks):
        if i:
            sep = "\n" if kind in ("list_item", "table_row") else "\n\n"  # (not by the previous kind: idempotent)
            parts.append(sep)
            pos += len(sep)
        if kind == "list_item":  # keep the bullet, so that cleaning the cleaned text changes nothing
            parts.append(_BULLET_MARK)
            pos += len(_BULLET_MARK)
        parts.append(t)
        spans.append((pos, pos + len(t), kind, level))
        pos += len(t)
    return "".join(parts), spans


def clean(text: str, blocks: list[tuple[str, str]] | None = None) -> CleanText:
    """Clean a document's text (or the blocks a structured reader produced) into segments."""
    if blocks is not None:
        found = _reader_blocks(blocks)
    else:
        found = _blocks(normalise_chars(text))
    # joining wrapped lines can form new mojibake-like sequences: repair each block once more,
    # so that cleaning the cleaned text changes nothing
    found = [(k, t2, lv) for k, t, lv in found if (t2 := normalise_chars(t).strip())]
    out, spans = assemble(_split_dateline(found))
    variant = norwegian_variant(out)
    segments = []
    for (start, end, kind, level), lang in zip(spans, detect_languages([out[start:end] for start, end, _, _ in spans])):
        segments.append(Segment(start, end, kind, variant if lang == "no" else lang, level))
    language, languages = document_language([(s.lang, s.end - s.start) for s in segments])
    segments = [s if s.lang else Segment(s.start, s.end, s.kind, language if language != "mixed" else languages[0], s.level)
                for s in segments]
    return CleanText(out, segments, language, languages)


def _split_dateline(blocks: list[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    """The first dateline among the first blocks as a `dateline` block of its own: "OSLO, 3. feb.
    2025 (NTB): Regjeringen foreslår ..." -> "OSLO, 3. feb. 2025 (NTB)" + "Regjeringen foreslår
    ..." (the separator between them goes). The reader took it as the publication date."""
    for i, (kind, t, level) in enumerate(blocks[: METADATA["dateline_lines"]]):
        m = dateline(t) if kind in ("heading", "paragraph") else None
        if m:
            rest = re.sub(r"^\s*[:–—-]?\s*", "", t[m.end:])
            return [*blocks[:i], ("dateline", t[m.start : m.end], 0), *([(kind, rest, level)] if rest else []), *blocks[i + 1 :]]
    return blocks


def title_of(ct: CleanText) -> str | None:
    """The document's title: its first heading or short paragraph with three words or more."""
    for s in ct.segments[:12]:
        t = ct.segment_text(s)
        if s.kind in ("heading", "paragraph") and len(re.findall(r"\w{2,}", t)) >= 3 and len(t) <= 200:
            return t
    return None
