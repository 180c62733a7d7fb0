"""Rule-based clause splitting and trimming on plain text (works without a parser).

A sentence is cut at the separators of pipeline/lang/<lang>/clauses.yaml: `hard` separators between independent
clauses ("; ", " – Xxx", ", men "), `coord` separators before a coordinated clause that shares
the cue of the one before it (", samt å ...", ", and establish ..."). Offsets are always
relative to the text given, so callers can map them back into the cleaned text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline import lang as language_data

_TRAILING = " \t\n,;:–-.!?»”\""


@dataclass(frozen=True)
class Clause:
    start: int
    end: int
    coordinated: bool  # joined to the clause before it by a coordinating separator


@lru_cache(maxsize=8)
def _rules(lang: str, verbs: tuple[str, ...]) -> dict:
    lex = {**language_data.get("common").clauses, **language_data.get(lang).clauses}
    verb_alt = "|".join(re.escape(v) for v in sorted(verbs, key=len, reverse=True)) or "(?!)"
    coord = list(lex.get("coord", []))
    if verbs:
        coord.append(lex["coord_verb"].replace("{verbs}", verb_alt))
    return {
        "hard": [re.compile(p) for p in lex.get("hard", [])],
        "coord": [re.compile(p) for p in coord],
        "lead": re.compile(lex["lead"]),
        "label": re.compile(lex["label"]),
        "attribution": re.compile(lex["attribution"], re.I | re.S),
        "quote": re.compile(lex["quote"]),
        "quote_inside": re.compile(lex["quote_inside"]),
    }


def rules(lang: str | None, verbs: tuple[str, ...] = ()) -> dict:
    return _rules(language_data.code(lang), tuple(verbs))


def split(text: str, lang: str | None, verbs: tuple[str, ...] = (), coordinate: bool = True) -> list[Clause]:
    """The clauses of `text` (a sentence or list item), in order, untrimmed."""
    r = rules(lang, verbs)
    cuts: list[tuple[int, int, bool]] = []
    for kind in ("hard", "coord") if coordinate else ("hard",):
        for rx in r[kind]:
            for m in rx.finditer(text):
                if m.start() > 0 and m.end() < len(text):
                    cuts.append((m.start(), m.end(), kind == "coord"))
    cuts.sort()
    out, pos, coord = [], 0, False
    for s, e, is_coord in cuts:
        if s < pos:  # overlapping separators: keep the first
            continue
        out.append(Clause(pos, s, coord))
        pos, coord = e, is_coord
    out.append(Clause(pos, len(text), coord))
    return [c for c in out if text[c.start : c.end].strip()]


def trim(text: str, start: int, end: int, lang: str | None, label: bool = False) -> tuple[int, int]:
    """Narrow [start, end) of `text` to the clause proper: no bullet, number, opening dash or
    quote mark, no "Label: " prefix (when `label`), no trailing quote attribution or punctuation."""
    r = rules(lang)
    piece = text[start:end]
    m = r["lead"].match(piece)
    s = m.end() if m else 0
    if label:
        m = r["label"].match(piece, s)
        if m:
            s = m.end()
    e = len(piece)
    m = r["attribution"].search(piece, s)
    if m and m.start() > s:
        e = m.start()
    while e > s and piece[e - 1] in _TRAILING:
        e -= 1
    return start + s, start + max(e, s)


def window(text: str, start: int, end: int, pos: int, limit: int = 500) -> tuple[int, int]:
    """[start, end) narrowed to at most `limit` characters around `pos` (a cue inside it), cut
    at commas where possible: for run-on sentences longer than a clause may be."""
    if end - start <= limit:
        return start, end
    comma = text.rfind(", ", start, pos)
    if comma >= 0 and pos - comma < limit // 2:
        start = comma + 2
    elif pos - start >= limit // 2:
        start = text.find(" ", pos - limit // 2, pos) + 1 or pos
    stop = min(end, start + limit)
    if stop < end:
        cut = max(text.rfind(", ", pos, stop), text.rfind(" ", pos, stop))
        stop = cut if cut > pos else stop
    return start, stop


def is_quote(text: str, lang: str | None) -> bool:
    """Direct speech: an opening dash or a trailing "..., sa X" attribution."""
    r = rules(lang)
    return bool(r["quote"].match(text) or r["attribution"].search(text))


def opens_quote(text: str, lang: str | None) -> int | None:
    """Where direct speech opens inside `text` after a sentence end that lacks its space
    ("... i næringstransport.– Vi skal ..."), else None."""
    found = None
    for m in rules(lang)["quote_inside"].finditer(text):
        found = m.end()
    return found


def quote_speaker(text: str, start: int, lang: str | None) -> str | None:
    """The speaker of the direct speech that the sentence starting at `start` of the paragraph
    `text` belongs to: the attribution after it ("– A. B. C, sier X."), when a quote is open there
    (the paragraph opens with a quote dash, or one opens before the sentence: "... transport.– Vi
    skal ..."). A sentence after the quote's attribution ("..., sier X. Departementet skriver ...")
    has none."""
    r = rules(lang)
    if not r["attribution"].search(text, start):
        return None
    opened = [m.end() for m in r["quote_inside"].finditer(text[: start + 3])]
    if not (r["quote"].match(text) or opened):
        return None
    closed = [m.start() for m in r["attribution"].finditer(text[:start])]  # a quote attributed before this sentence
    if closed and not any(o >= min(closed) for o in opened or [0]):
        return None
    return attribution(text[start:], lang)


def attribution(text: str, lang: str | None) -> str | None:
    """Who is quoted: the words after "sa"/"sier"/"says" up to the next comma or full stop."""
    m = rules(lang)["attribution"].search(text)
    if not m:
        return None
    words = [w.strip(".,;:\"”»") for w in re.split(r"\s+", m.group(0).strip(" ,\"”»"))[1:]]
    names: list[str] = []
    for w in words[:8]:
        if w[:1].isupper():
            names.append(w)
        elif names or not w:
            break
    return " ".join(names) or None
