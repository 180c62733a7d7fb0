"""Document metadata found in the text: the publication date and whether a stored title says
anything. Month names and cue words are language data (`pipeline/lang/<lang>/dates.yaml`).

`parse_date("Publisert 5. mars 2024")` -> date(2024, 3, 5); `published_date(text)` is the one
finder of the date a document states it was published, near its top: first a line with a cue
word ("Publisert", "Published"), else a line that is nothing but a date ("Oslo, June 14, 2024",
"6/27/2024", "mandag 24. juni 2019"), or a dateline opening one of the first lines
("OSLO, 3. feb. 2025 (NTB): Regjeringen ..."; `dateline` finds it, and the cleaner makes it a
segment of its own).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from pipeline import lang as language_data

DATA = yaml.safe_load(Path(__file__).with_name("metadata.yaml").read_text(encoding="utf-8"))

_DATES = [language_data.get(lang).dates for lang in language_data.LANGS]
MONTHS: dict[str, int] = {k.casefold(): v for dates in _DATES for k, v in dates["months"].items()}
WEEKDAYS = {w.casefold() for dates in _DATES for w in dates["weekdays"]}


def _words(words: list[str]) -> re.Pattern:
    words = sorted(set(words), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, words)) + r")(?!\w)", re.I)


_PUBLISHED_CUE = _words(language_data.union("dates", "published_cues"))
_OTHER_CUE = _words(language_data.union("dates", "other_date_cues"))
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

    @property
    def value(self) -> date:
        return date.fromisoformat(self.iso)


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


def parse_date(text: str) -> date | None:
    m = find_date(text)
    return m.value if m else None


def published_date(text: str, max_lines: int | None = None) -> date | None:
    """The publication date a document states near its top, or None."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()][: max_lines or DATA["scan_lines"]]
    bare = None
    for i, line in enumerate(lines):
        if _OTHER_CUE.search(line):
            continue
        m = find_date(line)
        if not m:
            continue
        cue = _PUBLISHED_CUE.search(line)
        if cue and cue.start() < m.start:
            return m.value
        if bare is None and (_is_bare_date(line, m) or (i < DATA["dateline_lines"] and dateline(line))):
            bare = m.value
    return bare


_PLACE = r"[A-ZÆØÅ][\w'.-]*(?:\s+[\w'.-]+){0,%d}" % (DATA["max_place_words"] - 1)
_WEEKDAY = "(?i:" + "|".join(map(re.escape, sorted(WEEKDAYS, key=len, reverse=True))) + ")"
_DATELINE_HEAD = re.compile(rf"\s*(?:{_PLACE}\s*,\s*)?(?:{_WEEKDAY}\s*,?\s+)?")
_DATELINE_TAIL = re.compile(r"\.?\s*(?:\([^()\n]{1,30}\))?\s*(?:[–—:-](?=\s|$)|\.(?=\s|$))?\s*")


def dateline(text: str) -> DateMatch | None:
    """The dateline `text` opens with: "Oslo, 3. februar 2025", "OSLO, 3. feb. 2025 (NTB):",
    "Oslo, June 14, 2024 –": at most a place (then a comma) and a weekday before the date, a
    news agency in brackets after it. `start`/`end` are where the dateline's own text starts
    and ends (its trailing separator left out); None when `text` opens otherwise, or when the
    text after the dateline does not start a sentence."""
    m = find_date(text[:120])
    if not m or not _DATELINE_HEAD.fullmatch(text, 0, m.start):
        return None
    tail = _DATELINE_TAIL.match(text, m.end)
    rest = text[tail.end():]
    if rest and not (rest[0].isupper() or rest[0] in "«\"“–"):
        return None
    start = len(text) - len(text.lstrip())
    end = len(text[: tail.end()].rstrip(" :–—-"))
    return DateMatch(m.iso, start, end)


def _is_bare_date(line: str, m: DateMatch) -> bool:
    """A line that is a date and at most a weekday or a short place name before it."""
    before = line[: m.start].strip(" ,–-:")
    after = line[m.end :].strip(" .,")
    words = [w for w in re.findall(r"\w+", before) if w.casefold() not in WEEKDAYS]
    return not after and len(words) <= DATA["max_place_words"]


def split_date_marker(text: str) -> tuple[date | None, str]:
    """A text export's leading "date 2024-11" marker as (date, rest of the text); a month
    alone ("2024-11") is its first day."""
    m = _MARKER.match(text)
    if not m:
        return None, text
    value = as_date(m.group(1))
    return (value, text[m.end():]) if value else (None, text)


def as_date(value: str | date | None) -> date | None:
    """An ISO date ("2024-11-05", "2024-11-05T08:00:00+01:00") or month ("2024-11": its first
    day) as a date; None for anything else."""
    if value is None or isinstance(value, date):
        return value
    m = re.match(r"\s*(\d{4})-(\d{2})(?:-(\d{2}))?", value)
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3) or 1)) if m else None
    except ValueError:
        return None


def meaningful_title(title: str | None) -> str | None:
    """A stored title (PDF info, DOCX core properties, HTML <title>) if it says anything."""
    if not title:
        return None
    t = " ".join(title.split())
    if len(re.findall(r"\w{2,}", t)) < 2 or len(t) > 300 or any(p.search(t) for p in _EMPTY_TITLES):
        return None
    return t
