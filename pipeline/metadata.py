"""Document metadata found in the text: the publication date and whether a stored title says
anything. Month names and cue words per language are data in `metadata.yaml`.

`parse_date("Publisert 5. mars 2024")` -> "2024-03-05"; `published_date(text)` looks for the
date the document states it was published near its top: first a line with a cue word
("Publisert", "Published"), else a line that is nothing but a date ("Oslo, June 14, 2024",
"6/27/2024", "mandag 24. juni 2019").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

DATA = yaml.safe_load(Path(__file__).with_name("metadata.yaml").read_text(encoding="utf-8"))

MONTHS: dict[str, int] = {}
for _names in DATA["months"].values():
    MONTHS.update({k.casefold(): v for k, v in _names.items()})
WEEKDAYS = {w.casefold() for ws in DATA["weekdays"].values() for w in ws}


def _words(groups: dict[str, list[str]]) -> re.Pattern:
    words = sorted({w for ws in groups.values() for w in ws}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, words)) + r")(?!\w)", re.I)


_PUBLISHED_CUE = _words(DATA["published_cues"])
_OTHER_CUE = _words(DATA["other_date_cues"])
_MARKER = re.compile(DATA["date_marker"], re.I)
_EMPTY_TITLES = [re.compile(p, re.I) for p in DATA["empty_titles"]]

_MONTH = "(?P<month>" + "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True)) + r")\.?"
_FORMS = [  # (pattern, order of the numeric groups); the first match in a string wins
    re.compile(r"(?<!\d)(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?!\d)"),
    re.compile(rf"(?<![\w.])(?P<day>\d{{1,2}})\.?\s+{_MONTH}\s+(?P<year>\d{{4}})(?!\d)", re.I),
    re.compile(rf"(?<!\w){_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})(?!\d)", re.I),
    re.compile(r"(?<![\d.])(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})(?!\d)"),
    re.compile(r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<year>\d{4})(?!\d)"),
]


@dataclass(frozen=True)
class DateMatch:
    iso: str
    start: int
    end: int


def find_date(text: str) -> DateMatch | None:
    """The first full date in `text` (day, month and year), as ISO. Slashed dates are read
    month first ("6/27/2024", US style) unless the first number cannot be a month."""
    best: DateMatch | None = None
    for form in _FORMS:
        for m in form.finditer(text):
            iso = _to_iso(m)
            if iso:
                if best is None or m.start() < best.start:
                    best = DateMatch(iso, m.start(), m.end())
                break
    return best


def _to_iso(m: re.Match) -> str | None:
    g = m.groupdict()
    year = int(g["year"])
    if "a" in g:
        a, b = int(g["a"]), int(g["b"])
        month, day = (a, b) if a <= 12 else (b, a)
    else:
        month = int(g["month"]) if g["month"].isdigit() else MONTHS[g["month"].casefold()]
        day = int(g["day"])
    try:
        return date(year, month, day).isoformat() if 1800 <= year <= 2200 else None
    except ValueError:
        return None


def parse_date(text: str) -> str | None:
    m = find_date(text)
    return m.iso if m else None


def published_date(text: str, max_lines: int | None = None) -> str | None:
    """The publication date a document states near its top, or None."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()][: max_lines or DATA["scan_lines"]]
    bare = None
    for line in lines:
        if _OTHER_CUE.search(line):
            continue
        m = find_date(line)
        if not m:
            continue
        cue = _PUBLISHED_CUE.search(line)
        if cue and cue.start() < m.start:
            return m.iso
        if bare is None and _is_bare_date(line, m):
            bare = m.iso
    return bare


def _is_bare_date(line: str, m: DateMatch) -> bool:
    """A line that is a date and at most a weekday or a short place name before it."""
    before = line[: m.start].strip(" ,–-:")
    after = line[m.end :].strip(" .,")
    words = [w for w in re.findall(r"\w+", before) if w.casefold() not in WEEKDAYS]
    return not after and len(words) <= DATA["max_place_words"]


def split_date_marker(text: str) -> tuple[str | None, str]:
    """A text export's leading "date 2024-11" marker as (ISO date or month, rest of the text)."""
    m = _MARKER.match(text)
    if not m:
        return None, text
    value = m.group(1)
    try:
        parts = [int(p) for p in value.split("-")]
        date(parts[0], parts[1], parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return None, text
    return value, text[m.end():]


def meaningful_title(title: str | None) -> str | None:
    """A stored title (PDF info, DOCX core properties, HTML <title>) if it says anything."""
    if not title:
        return None
    t = " ".join(title.split())
    if len(re.findall(r"\w{2,}", t)) < 2 or len(t) > 300 or any(p.search(t) for p in _EMPTY_TITLES):
        return None
    return t
