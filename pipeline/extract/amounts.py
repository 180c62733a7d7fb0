"""Monetary amounts: a small grammar over a money lexicon, a spaCy component that marks
amounts (`doc.spans["amounts"]`, each span carrying `span._.amount`), and `extract` that turns
them into `amounts` rows.

Data: amounts.yaml (magnitude words, currencies, "mNOK"-style units, qualifiers, range words,
money cues, table-header units) and amounts_numbers.yaml (number words per language).

How it works:
1. `_atoms` scans a text into atoms: digit numbers, number words, and lexicon words (scale,
   currency, unit, qualifier, range words). Reference numbers ("post 50, 71 og 76", "kap. 920")
   and table-unit headers ("(i 1 000 kr)") are masked first, so they never become amounts.
2. `_Grammar` reads the atoms left to right: [qualifier] [range-open] VALUE [connector VALUE |
   connector vague-scale], where VALUE is [currency] number [scale] [currency]. Atoms must be
   separated by at most two spaces. A value with a currency is money; a value with a magnitude
   word but no currency ("eksport på 22 milliarder") is money when a money cue word is near and
   no count noun follows ("30 millioner mennesker" is not); its currency is inferred.
3. `extract` resolves inferred currencies against the document, finds the year a sentence ties an
   amount to, and applies table-header units to the numeric cells of the rows below them.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import yaml
from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.document import AnalysedDocument, provenance
from pipeline.extract.alternation import alternation

_HERE = Path(__file__).parent
LEXICON = yaml.safe_load((_HERE / "amounts.yaml").read_text(encoding="utf-8"))
NUMBER_WORDS = yaml.safe_load((_HERE / "amounts_numbers.yaml").read_text(encoding="utf-8"))
SOURCE_RULE = "amount_grammar"
SPANS_KEY = "amounts"
INFERRED = "currency_inferred"

if not Span.has_extension("amount"):
    Span.set_extension("amount", default=None)


@dataclass(frozen=True)
class Amount:
    value: float
    low: float
    high: float | None
    currency: str | None
    qualifier: str | None = None
    rule: str = "stated"  # stated | range | open_range | implied_currency | table_header
    currency_inferred: bool = False


@dataclass(frozen=True)
class Quantity:
    """A parsed quantity for the targets extractor: money (unit = ISO currency), percent
    (unit "%"), percentage points ("pp"), durations (unit year/month/week/day) or counts
    (unit = the counted noun)."""
    kind: str
    value: float
    low: float
    high: float | None
    unit: str | None
    qualifier: str | None = None


# --- lexicon --------------------------------------------------------------------------------

def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s.strip().lower())


def _alt(words) -> str:
    """The words as one regex alternation, longest first; a space matches any whitespace."""
    return alternation(words, space=r"\s+", ignorecase=True)


@dataclass
class _Lexicon:
    lang: str
    scales: dict
    attached: dict
    currencies: dict
    prefix_currencies: set
    units: dict
    qualifiers: dict  # word -> approx|max|min
    range_open: set
    connectors: set
    connectors_after_open: set
    vague: set
    money_cues: list
    non_money: list
    bare_followers: set
    change_verbs: set
    change_openers: set
    default_currency: str | None
    numbers: dict  # word -> value
    fractions: dict
    hundred: set
    joiner: set
    articles: set
    kinds: dict  # lower word -> kind


def _merged(lang: str) -> dict:
    out: dict = {}
    for part in (LEXICON["common"], LEXICON.get(lang, {})):
        for k, v in part.items():
            if isinstance(v, dict) and isinstance(out.get(k), dict):
                out[k] = {**out[k], **v}
            elif isinstance(v, list) and isinstance(out.get(k), list):
                out[k] = out[k] + v
            else:
                out[k] = v
    return out


@lru_cache(maxsize=4)
def lexicon(lang: str) -> _Lexicon:
    lang = "en" if lang == "en" else "nb"
    d = _merged(lang)
    nw = NUMBER_WORDS[lang]
    numbers = {k.lower(): float(v) for k, v in {**nw["units"], **nw["tens"]}.items()}
    for t, tv in nw["tens"].items():  # "tjuefem", "twenty-five", "twenty five"
        for u, uv in nw["units"].items():
            if 1 <= uv <= 9 and u not in ("a", "an"):
                if lang == "en":
                    numbers[f"{t}-{u}"] = numbers[f"{t} {u}"] = float(tv + uv)
                else:
                    numbers[f"{t}{u}"] = float(tv + uv)
    lex = _Lexicon(
        lang=lang,
        scales={_norm(k): float(v) for k, v in d["scales"].items()},
        attached={k: float(v) for k, v in d["attached_scales"].items()},
        currencies={_norm(k): v for k, v in d["currencies"].items()},
        prefix_currencies={_norm(k) for k in d["prefix_currencies"]},
        units={_norm(k): (v[0], float(v[1])) for k, v in d["scaled_units"].items()},
        qualifiers={_norm(w): q for q, ws in d["qualifiers"].items() for w in ws},
        range_open={_norm(w) for w in d["range_open"]},
        connectors={_norm(w) for w in d["range_connectors"]},
        connectors_after_open={_norm(w) for w in d["range_connectors_after_open"]},
        vague={_norm(w) for w in d["range_vague"]},
        money_cues=[w.lower() for w in d["money_cues"]],
        non_money=[w.lower() for w in d["non_money_nouns"]],
        bare_followers={w.lower() for w in d["bare_followers"]},
        change_verbs={w.lower() for w in d["change_verbs"]},
        change_openers={_norm(w) for w in d["change_openers"]},
        default_currency=d.get("default_currency"),
        numbers=numbers,
        fractions={_norm(k): float(v) for k, v in nw["fractions"].items()},
        hundred={w.lower() for w in nw["hundred"]},
        joiner={w.lower() for w in nw["joiner"]},
        articles={w.lower() for w in nw["articles"]},
        kinds={},
    )
    kinds = lex.kinds
    for table, kind in ((lex.qualifiers, "QUAL"), (lex.range_open, "OPEN"), (lex.vague, "VAGUE"),
                        (lex.connectors_after_open, "CONN2"), (lex.connectors, "CONN"),
                        (lex.scales, "SCALE"), (lex.currencies, "CUR"), (lex.units, "UNIT")):
        for w in table:
            kinds[w] = kind
    return lex


# --- numbers --------------------------------------------------------------------------------

_SP = r"[ \u00a0\u202f\u2009\u2007]"
NUMBER_RE = (
    rf"\d{{1,3}}(?:{_SP}\d{{3}})+(?:[.,]\d+)?(?!\d)"  # 1 500 000 / 1 500,50
    r"|\d{1,3}(?:\.\d{3})+(?:,\d+)?(?![\d.]\d)"      # 1.500.000 / 1.500,50 / 1.500
    r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,]\d)"      # 1,500,000.50 / 1,500
    r"|\d+(?:[.,]\d+)?"
)


def parse_number(s: str, lang: str = "nb") -> float:
    """A number as written in Norwegian or English. Spaces (also non-breaking and thin) group
    thousands; with both "." and "," the last one is the decimal mark; two or more equal marks
    group thousands ("1.500.000", "1,500,000"); one mark followed by exactly three digits is a
    thousands mark where the segment's language writes it so ("1.500" in Norwegian, "1,500" in
    English) and a decimal mark otherwise."""
    s = re.sub(_SP, "", s.strip())
    if "," in s and "." in s:
        dec = "," if s.rfind(",") > s.rfind(".") else "."
        grp = "." if dec == "," else ","
        return float(s.replace(grp, "").replace(dec, "."))
    for mark in (".", ","):
        if s.count(mark) > 1:
            return float(s.replace(mark, ""))
    m = re.fullmatch(r"(\d{1,3})([.,])(\d{3})", s)
    if m:
        thousands_mark = "." if lang != "en" else ","
        if m.group(2) == thousands_mark:
            return float(m.group(1) + m.group(3))
    return float(s.replace(",", "."))


def _word_number_re(lex: _Lexicon) -> str:
    n = _alt(lex.numbers)
    h = _alt(lex.hundred)
    j = _alt(lex.joiner)
    return rf"(?:{_alt(lex.fractions)})|(?:(?:{n})\s+)?(?:{h})(?:\s+(?:(?:{j})\s+)?(?:{n}))?|(?:{n})"


def parse_word_number(s: str, lex: _Lexicon) -> float:
    s = _norm(s)
    if s in lex.fractions:
        return lex.fractions[s]
    words = s.split()
    total, current = 0.0, 0.0
    i = 0
    while i < len(words):
        w = words[i]
        if w in lex.hundred:
            current = (current or 1.0) * 100
        elif w in lex.joiner:
            pass
        elif i + 1 < len(words) and f"{w} {words[i + 1]}" in lex.numbers:
            current += lex.numbers[f"{w} {words[i + 1]}"]
            i += 1
        else:
            current += lex.numbers[w]
        i += 1
    return total + current


# --- atoms ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Atom:
    kind: str  # NUM WNUM SCALE CUR UNIT QUAL OPEN CONN CONN2 VAGUE DASHKR
    start: int
    end: int
    text: str
    value: float | None = None  # NUM/WNUM: the number; SCALE: multiplier
    attached: float | None = None  # NUM: attached scale ("10m")


@lru_cache(maxsize=4)
def _atom_re(lang: str) -> re.Pattern:
    lex = lexicon(lang)
    words = [w for w in lex.kinds if re.search(r"\w", w)]
    symbols = [w for w in lex.kinds if not re.search(r"\w", w) and w not in "-–—"]
    return re.compile(
        rf"(?P<num>(?<![\w.,]){NUMBER_RE})(?P<att>(?:{_alt(lex.attached)})(?![\w]))?"
        r"|(?P<dashkr>(?<=\d),[-–](?![\w]))"
        rf"|(?P<sym>{_alt(symbols)})"
        r"|(?P<dash>[-–—])"
        rf"|(?<![\w])(?P<word>{_alt(words)})(?:(?<=\.)|(?![\w]))"
        rf"|(?<![\w])(?P<wnum>{_word_number_re(lex)})(?![\w])",
        re.I,
    )


@lru_cache(maxsize=1)
def _reference_re() -> re.Pattern:
    refs = _alt(LEXICON["common"]["reference_words"])
    return re.compile(rf"(?<![\w])(?:{refs})\s*\d+[a-z]?(?:\s*(?:,|og|and|&|[-–])\s*\d+[a-z]?)*(?![\d])", re.I)


@lru_cache(maxsize=1)
def _unit_header_re() -> re.Pattern:
    c = LEXICON["common"]
    scales = _alt(c["scales"])
    curs = _alt([*c["currencies"], *c["scaled_units"]])
    lead = _alt(c["unit_header_lead"])
    thousand = r"1(?:[ .,\u00a0]?000)+"
    body = (rf"(?:(?P<num>{thousand})\s*)?(?:(?P<scale>{scales})\s*)?(?P<cur>{curs})"
            rf"(?:\s+(?P<scale2>{scales}|{thousand}))?")
    return re.compile(
        rf"\(\s*(?:(?:{lead})\s+)?{body}\s*\)"
        rf"|(?<![\w])(?:{lead})\s+{body.replace('?P<', '?P<h_')}(?=\s*(?:[).;:]|$))",
        re.I,
    )


def unit_header(text: str) -> tuple[float, str, int, int] | None:
    """The unit a table header or caption gives its cell numbers: (multiplier, currency,
    start, end), e.g. "(i 1 000 kr)" -> (1000, "NOK"), "(mNOK)" -> (1e6, "NOK")."""
    for m in _unit_header_re().finditer(text):
        g = {k.removeprefix("h_"): v for k, v in m.groupdict().items() if v}
        lex = lexicon("nb")
        cur = _norm(g["cur"])
        mult = 1.0
        if cur in lex.units:
            currency, mult = lex.units[cur]
        else:
            currency = lex.currencies[cur]
        for key in ("num", "scale", "scale2"):
            if key in g:
                v = _norm(g[key])
                mult *= lex.scales[v] if v in lex.scales else parse_number(v, "nb")
        return mult, currency, m.start(), m.end()
    return None


def _mask(text: str) -> str:
    """Blank out reference numbers and unit headers (offsets stay the same)."""
    chars = list(text)
    spans = [m.span() for m in _reference_re().finditer(text)]
    spans += [m.span() for m in _unit_header_re().finditer(text)]
    for s, e in spans:
        chars[s:e] = " " * (e - s)
    return "".join(chars)


def _atoms(text: str, lang: str) -> list[_Atom]:
    lex = lexicon(lang)
    out = []
    for m in _atom_re(lang).finditer(_mask(text)):
        s, e = m.span()
        t = text[s:e]
        if m["num"]:
            att = lex.attached.get(m["att"].lower()) if m["att"] else None
            out.append(_Atom("NUM", s, m.end("num"), m["num"], parse_number(m["num"], lang), att))
            if m["att"]:
                out[-1] = replace(out[-1], end=e, text=t)
        elif m["dashkr"]:
            out.append(_Atom("DASHKR", s, e, t))
        elif m["dash"]:
            out.append(_Atom("CONN", s, e, t))
        elif m["wnum"]:
            out.append(_Atom("WNUM", s, e, t, parse_word_number(t, lex)))
        else:
            kind = lex.kinds[_norm(t)]
            out.append(_Atom(kind, s, e, t, lex.scales.get(_norm(t)) if kind == "SCALE" else None))
    return out


# --- grammar --------------------------------------------------------------------------------

@dataclass
class _Value:
    start: int  # char offsets
    end: int
    last: int  # index of the last atom used
    number: float
    scale: float | None
    currency: str | None
    word: bool
    year_like: bool
    attached: bool


def _money(x: float) -> float:
    """Whole currency units to the cent (1,4 * 10^9 is 1 400 000 000, not ...000.0002)."""
    return round(x, 2)


def _is_year(a: _Atom) -> bool:
    return a.kind == "NUM" and re.fullmatch(r"(19|20)\d\d", a.text) is not None


class _Grammar:
    def __init__(self, text: str, lang: str):
        self.text = text
        self.lex = lexicon(lang)
        self.atoms = _atoms(text, lang)

    def kind(self, i: int) -> str | None:
        return self.atoms[i].kind if 0 <= i < len(self.atoms) else None

    def adjacent(self, i: int, j: int, gap: str = r"[ \u00a0\u202f\u2009]{0,2}") -> bool:
        if not (0 <= i < len(self.atoms) and 0 <= j < len(self.atoms)):
            return False
        return re.fullmatch(gap, self.text[self.atoms[i].end : self.atoms[j].start]) is not None

    def value(self, i: int, bound: bool = False) -> _Value | None:
        """[currency] number [scale] [currency] starting at atom i. A range's second `bound`
        may leave the currency to the first ("NOK 1–2bn")."""
        lex = self.lex
        pcur = None
        if self.kind(i) in ("CUR", "UNIT") and self.kind(i + 1) in ("NUM", "WNUM") and self.adjacent(i, i + 1):
            w = _norm(self.atoms[i].text)
            if self.kind(i) == "UNIT" or w in lex.prefix_currencies:
                pcur = self.atoms[i]
                i += 1
        if self.kind(i) not in ("NUM", "WNUM"):
            return None
        n = self.atoms[i]
        first = pcur or n
        scale = n.attached
        currency = None
        if pcur is not None:
            if pcur.kind == "UNIT":
                currency, unit_mult = lex.units[_norm(pcur.text)]
                scale = (scale or 1.0) * unit_mult
            else:
                currency = lex.currencies[_norm(pcur.text)]
        last = i
        if self.kind(last + 1) == "SCALE" and self.adjacent(last, last + 1) and n.attached is None:
            last += 1
            scale = self.atoms[last].value
            if self.atoms[last].text.lower() == "billion" and self.lex.lang == "nb" and n.kind == "WNUM" and n.value == 1:
                scale = 1e12  # Norwegian "en billion" is 10^12
        if currency is None:
            if self.kind(last + 1) in ("CUR", "UNIT") and self.adjacent(last, last + 1):
                last += 1
                a = self.atoms[last]
                if a.kind == "UNIT":
                    currency, unit_mult = lex.units[_norm(a.text)]
                    scale = (scale or 1.0) * unit_mult
                else:
                    currency = lex.currencies[_norm(a.text)]
            elif self.kind(last + 1) == "DASHKR" and self.adjacent(last, last + 1, ""):
                last += 1
                currency = LEXICON["common"]["dash_kroner"]
        if n.kind == "WNUM":
            if scale is None and (currency is None or _norm(n.text) in lex.articles):
                return None
        if n.attached is not None and currency is None and not bound:
            return None  # "25m" without a currency is not money
        return _Value(first.start, self.atoms[last].end, last, n.value, scale, currency,
                      n.kind == "WNUM", _is_year(n) and scale is None and currency is None, n.attached is not None)

    def qualifier_before(self, i: int) -> tuple[str | None, int]:
        """The qualifier words directly before atom i: (qualifier, index of the first one)."""
        q, j = None, i
        while self.kind(j - 1) == "QUAL" and self.adjacent(j - 1, j):
            j -= 1
            q = q or self.lex.qualifiers[_norm(self.atoms[j].text)]
        return q, j

    def parse(self) -> list[tuple[int, int, Amount]]:
        """(start, end, amount) for every amount candidate, stated currency or not."""
        out = []
        i = 0
        while i < len(self.atoms):
            got = self.parse_at(i)
            if got is None:
                i += 1
                continue
            items, last = got
            out.extend(items)
            i = last + 1
        return out

    def change_before(self, i: int) -> bool:
        """A change verb shortly before atom i: "økte fra 2 til 3 millioner" is two amounts."""
        words = [w.lower() for w in _WORD.findall(self.text[max(0, self.atoms[i].start - 60) : self.atoms[i].start])][-5:]
        return any(w in self.lex.change_verbs for w in words)

    def parse_at(self, i: int):
        opened = None
        if self.kind(i) == "OPEN" and self.adjacent(i, i + 1):
            opened = i
            i += 1
        v1 = self.value(i)
        if v1 is None:
            return None
        qual, qstart = self.qualifier_before(opened if opened is not None else i)
        start = self.atoms[qstart].start if qstart < (opened if opened is not None else i) else None
        k = v1.last + 1
        conn = self.kind(k) == "CONN" or (self.kind(k) == "CONN2" and opened is not None)
        if conn and self.adjacent(v1.last, k) and not v1.year_like:
            # open upper bound: "fra 500 mill. kroner til flere milliarder"
            if self.kind(k + 1) == "VAGUE" and self.kind(k + 2) == "SCALE" and self.adjacent(k, k + 1) and self.adjacent(k + 1, k + 2):
                last = k + 2
                currency = v1.currency
                if self.kind(last + 1) == "CUR" and self.adjacent(last, last + 1):
                    last += 1
                    currency = currency or self.lex.currencies[_norm(self.atoms[last].text)]
                if v1.scale is not None:
                    low = _money(v1.number * v1.scale)
                    s = start if start is not None else self.atoms[opened if opened is not None else i].start
                    amount = Amount(low, low, None, currency, qual or "min", "open_range")
                    return [(s, self.atoms[last].end, amount)], last
            v2 = self.value(k + 1, bound=True) if self.adjacent(k, k + 1) else None
            # a year-like second bound only closes a plain range ("kr 1500–2000"), never takes
            # the first bound's magnitude ("5 mill. kroner – 2021")
            if v2 is not None and (not v2.year_like or v1.scale is None and v1.currency is not None):
                rng = self.combine(v1, v2)
                if rng is not None:
                    s = start if start is not None else self.atoms[opened if opened is not None else i].start
                    low, high, currency = rng
                    opener = _norm(self.atoms[opened].text) if opened is not None else ""
                    if opener in self.lex.change_openers and self.change_before(opened):
                        # "økte fra 2 til 3 millioner kroner": a change, not a range
                        return [(v1.start, v1.end, Amount(low, low, low, currency, qual, "change_from")),
                                (v2.start, v2.end, Amount(high, high, high, currency, None, "change_to"))], v2.last
                    return [(s, v2.end, Amount(low, low, high, currency, qual, "range"))], v2.last
        if opened is not None and v1.scale is None and v1.currency is None:
            return None
        if v1.scale is None and v1.currency is None:
            return None
        if v1.year_like or self.price_level(v1, i):
            return None
        low = _money(v1.number * (v1.scale or 1.0))
        s = start if start is not None else v1.start
        return [(s, v1.end, Amount(low, low, low, v1.currency, qual, "stated"))], v1.last

    def price_level(self, v: _Value, i: int) -> bool:
        """"i 2021 kroner", "in 2020 dollars": a year naming a price level, not an amount."""
        n = self.atoms[i]
        if not (_is_year(n) and v.scale is None and v.start == n.start):
            return False
        before = _WORD.findall(self.text[max(0, n.start - 20) : n.start])
        return bool(before) and before[-1].lower() in {"i", "in", "faste", "constant", "real"}

    @staticmethod
    def combine(v1: _Value, v2: _Value) -> tuple[float, float, str | None] | None:
        if v1.currency and v2.currency and v1.currency != v2.currency:
            return None
        currency = v1.currency or v2.currency
        if v2.attached and currency is None:
            return None
        s1 = v1.scale if v1.scale is not None else v2.scale
        s2 = v2.scale if v2.scale is not None else v1.scale
        if s1 is None and s2 is None and currency is None:
            return None
        low, high = _money(v1.number * (s1 or 1.0)), _money(v2.number * (s2 or 1.0))
        if low > high:
            return None
        return low, high, currency


# --- implied currency -------------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+")


def _stem_hit(word: str, stems: list[str]) -> bool:
    return any(word == s if len(s) <= 3 else word.startswith(s) for s in stems)


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ«\"“–-])|\n")


def _money_context(text: str, start: int, end: int, lex: _Lexicon, money_sentence: bool = False) -> bool:
    """A bare magnitude ("22 milliarder") is money when the word right after it is a function
    word (not a counted noun: "30 millioner mennesker") and a money cue word stands within a
    few words around it."""
    after = _WORD.search(text, end, min(len(text), end + 30))
    if after and re.fullmatch(r"[ \u00a0]*", text[end:after.start()]):
        word = after.group().lower()
        if word not in lex.bare_followers:
            return False
    if money_sentence:
        return True
    before = [w.lower() for w in _WORD.findall(text[max(0, start - 70) : start])][-8:]
    behind = [w.lower() for w in _WORD.findall(text[end : end + 50])][:6]
    return any(_stem_hit(w, lex.money_cues) for w in before + behind)


def _join(*parts: str | None) -> str | None:
    s = ";".join(p for p in parts if p)
    return s or None


_NOT_SET = object()


def parse_amounts(text: str, lang: str = "nb", default_currency=_NOT_SET) -> list[tuple[int, int, Amount]]:
    """Every monetary amount in `text` as (start, end, Amount), in text order.

    An amount without a stated currency ("eksport på 22 milliarder") gets `default_currency`
    (by default the language's: NOK for Norwegian, none for English) and `currency_inferred`;
    pass `default_currency=None` to leave it open (the document decides, see `extract`).
    """
    lex = lexicon(lang)
    default = lex.default_currency if default_currency is _NOT_SET else default_currency
    out = []
    found = _Grammar(text, lang).parse()
    sentences = [m.start() for m in _SENTENCE_END.finditer(text)]

    def sentence_of(pos: int) -> int:
        return sum(1 for b in sentences if b <= pos)

    stated_in = {sentence_of(s) for s, _, a in found if a.currency is not None}
    for start, end, a in found:
        if a.currency is None:
            if not _money_context(text, start, end, lex, sentence_of(start) in stated_in):
                continue
            a = replace(a, currency=default, qualifier=_join(a.qualifier, INFERRED), currency_inferred=True,
                        rule="implied_currency" if a.rule == "stated" else a.rule)
        out.append((start, end, a))
    return out


# --- other quantities ------------------------------------------------------------------------

@lru_cache(maxsize=4)
def _quantity_re(lang: str) -> re.Pattern:
    lex = lexicon(lang)
    units = _alt(LEXICON["quantities"])
    num = rf"(?:(?<![\w.,]){NUMBER_RE}|(?<![\w])(?:{_word_number_re(lex)}))"
    quals = _alt(lex.qualifiers)
    conn = _alt([*lex.connectors, *lex.connectors_after_open])
    return re.compile(
        rf"(?:(?P<qual>{quals})\s+)?(?P<a>{num})(?:\s*(?:{conn})\s*(?P<b>{num}))?\s?(?P<unit>{units})(?![\w])", re.I
    )


def _num_value(s: str, lang: str) -> float:
    return parse_number(s, lang) if re.match(r"\d", s) else parse_word_number(s, lexicon(lang))


def parse_quantities(text: str, lang: str = "nb") -> list[tuple[int, int, Quantity]]:
    """Money amounts and the other quantities targets are stated in, in text order:
    percentages ("70 prosent", "40%"), percentage points, durations ("seks måneder",
    "3-5 år") and counts ("30 millioner mennesker")."""
    lex = lexicon(lang)
    out = [(s, e, Quantity("money", a.value, a.low, a.high, a.currency, a.qualifier))
           for s, e, a in parse_amounts(text, lang)]
    taken = [(s, e) for s, e, _ in out]
    for m in _quantity_re(lang).finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        if re.fullmatch(r"(19|20)\d\d", m["a"]) and not m["b"]:
            continue
        kind, unit = LEXICON["quantities"][_norm(m["unit"])]
        low = _num_value(m["a"], lang)
        high = _num_value(m["b"], lang) if m["b"] else low
        q = lex.qualifiers.get(_norm(m["qual"])) if m["qual"] else None
        out.append((m.start(), m.end(), Quantity(kind, low, low, high, unit, q)))
        taken.append(m.span())
    # counts: a bare magnitude or number followed by a counted noun
    for start, end, a in _Grammar(text, lang).parse():
        if a.currency is not None or any(s < end and start < e for s, e in taken):
            continue
        noun = _WORD.search(text, end, min(len(text), end + 30))
        if noun and text[end:noun.start()].strip() == "" and _stem_hit(noun.group().lower(), lex.non_money):
            out.append((start, noun.end(), Quantity("count", a.value, a.low, a.high, noun.group().lower(), a.qualifier)))
    return sorted(out, key=lambda t: t[0])


# --- spaCy component ------------------------------------------------------------------------

@Language.factory("amount_matcher", default_config={"lang": "nb"})
def make_amount_matcher(nlp: Language, name: str, lang: str):
    return AmountMatcher(lang)


class AmountMatcher:
    """Marks every amount in `doc.spans["amounts"]` (label MONEY, `span._.amount`). Amounts
    whose currency is only implied keep `currency=None` here; `extract` decides it from the
    document."""

    def __init__(self, lang: str):
        self.lang = lang

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for start, end, amount in parse_amounts(doc.text, self.lang, default_currency=None):
            span = doc.char_span(start, end, label="MONEY", alignment_mode="expand")
            if span is not None:
                span._.amount = amount
                spans.append(span)
        doc.spans[SPANS_KEY] = spans
        return doc


# --- rows ------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _year_after_re() -> re.Pattern:
    words = _alt(LEXICON["common"]["year_words"])
    return re.compile(rf"^[\s,]*(?:[^\W\d]+\s+){{0,4}}?(?:{words})\s+((?:19|20)\d\d)(?![\d])", re.I)


@lru_cache(maxsize=1)
def _year_before_re() -> re.Pattern:
    words = _alt(["i", "in", "for", "innen", "innan", "by", "året", "år", "fra", "frå", "from", "since", "siden"])
    return re.compile(rf"(?<![\w])(?:{words})\s+((?:19|20)\d\d)(?![\d])", re.I)


def _year(sentence: str, start: int, end: int, others: list[tuple[int, int]]) -> int | None:
    """The year the sentence ties the amount at [start, end) to: "22 milliarder kroner i 2021",
    "NOK 3 billion in the state budget for 2019", "I 2024 er ... tildelt 214 mNOK"."""
    nxt = min([s for s, _ in others if s >= end], default=len(sentence))
    m = _year_after_re().match(sentence[end:nxt])
    if m:
        return int(m.group(1))
    prev = max([e for _, e in others if e <= start], default=0)
    if prev:
        tied = _year_after_re().match(sentence[prev:start])
        prev += tied.end() if tied else 0
    found = list(_year_before_re().finditer(sentence[prev:start]))
    return int(found[-1].group(1)) if found else None


def _fallback_currencies(document: AnalysedDocument) -> dict[str, str | None]:
    """The currency an amount without one takes when its sentence states none, per segment
    language: a Norwegian sentence's is kroner ("eksport på 22 milliarder"); an English
    sentence's is the document's most frequent stated currency, else kroner in a Norwegian
    document, else none (the amount is left out)."""
    stated = Counter(s._.amount.currency for _, _, s in document.spans(SPANS_KEY) if s._.amount.currency)
    norwegian = lexicon("nb").default_currency
    if stated:
        english = stated.most_common(1)[0][0]
    else:
        english = norwegian if document.language in ("nb", "nn", "mixed") else None
    return {"en": english, "nb": norwegian, "nn": norwegian}


def _row(offset: int, span: Span, a: Amount, year: int | None) -> dict:
    row = provenance(offset, span)
    row.update(value=a.value, low=a.low, high=a.high, currency=a.currency, qualifier=a.qualifier,
               year=year, source_rule=f"{SOURCE_RULE}:{a.rule}")
    return row


def extract(document: AnalysedDocument) -> list[dict]:
    rows = []
    fallback = _fallback_currencies(document)
    for offset, seg, doc in document.parts:
        spans = list(doc.spans[SPANS_KEY]) if SPANS_KEY in doc.spans else []
        for span in spans:
            a: Amount = span._.amount
            if a.currency is None:
                sent_curs = [s._.amount.currency for s in spans if s._.amount.currency and not s._.amount.currency_inferred
                             and s.sent == span.sent] if doc.has_annotation("SENT_START") else []
                currency = sent_curs[0] if sent_curs else fallback.get(seg.lang or "nb", fallback["nb"])
                if currency is None:
                    continue
                a = replace(a, currency=currency)
            sent = span.sent if doc.has_annotation("SENT_START") else doc[:]
            others = [(s.start_char - sent.start_char, s.end_char - sent.start_char) for s in spans
                      if s is not span and sent.start_char <= s.start_char < sent.end_char]
            year = _year(sent.text, span.start_char - sent.start_char, span.end_char - sent.start_char, others)
            rows.append(_row(offset, span, a, year))
    rows.extend(table_amounts(document))
    rows.sort(key=lambda r: r["start"])
    mark_first_mentions(rows)
    return rows


def mark_first_mentions(rows: list[dict]) -> None:
    """`first_mention`: true for the first row (in text order) of each distinct amount (low,
    high, currency) of a document, false for a repeat, so that a sum over the rows where it is
    true counts "200 millioner kroner" in the title and again in the body once."""
    seen: set[tuple] = set()
    for r in rows:
        key = (r["low"], r["high"], r["currency"])
        r["first_mention"] = key not in seen
        seen.add(key)


# --- tables with a unit header ----------------------------------------------------------------

MAX_TABLE_ROWS = 80
_CELL_SEP = " | "


_CAPTION = re.compile(r"\s*(?:tabell|table|figur|figure|fig\.)\s*\d", re.I)


def _ends_in_number(text: str) -> bool:
    """A table row that lost its cell separators (PDF text): "Post 70 Basiskostnader 168 500"."""
    return len(text) <= 400 and re.search(rf"(?<![\w.,]){NUMBER_RE}\s*$", _mask(text)) is not None


def _cells(text: str, is_table: bool) -> list[tuple[int, int, str]]:
    if not is_table:
        return [(0, len(text), text)]
    out, pos = [], 0
    for part in text.split(_CELL_SEP):
        out.append((pos, pos + len(part), part))
        pos += len(part) + len(_CELL_SEP)
    return out


def _cell_numbers(cell: str, lang: str, whole_cell: bool) -> list[tuple[int, int, float, float, str | None]]:
    """Numbers in a cell that a unit header applies to: (start, end, low, high, qualifier)."""
    lex = lexicon(lang)
    if whole_cell:
        quals = _alt(lex.qualifiers)
        m = re.fullmatch(rf"\s*(?:(?P<q>{quals})\s+)?(?P<a>{NUMBER_RE})(?:\s*[-–]\s*(?P<b>{NUMBER_RE}))?\s*", cell, re.I)
        if not m or m["a"].startswith("0") or (re.fullmatch(r"(19|20)\d\d", m["a"]) and not m["b"]):
            return []
        low = parse_number(m["a"], lang)
        high = parse_number(m["b"], lang) if m["b"] else low
        if low == 0 or high < low:
            return []
        q = lex.qualifiers.get(_norm(m["q"])) if m["q"] else None
        return [(m.start("q") if m["q"] else m.start("a"), m.end("b") if m["b"] else m.end("a"), low, high, q)]
    out = []
    masked = _mask(cell)
    for m in re.finditer(rf"(?<![\w.,]){NUMBER_RE}", masked):
        t = m.group()
        after = masked[m.end() : m.end() + 12]
        if t.startswith("0") or re.fullmatch(r"(19|20)\d\d", t) or re.match(r"\s*(%|prosent|pst)", after, re.I):
            continue
        if re.match(r"[.)]", after) or masked[max(0, m.start() - 1) : m.start()] == "(":
            continue  # "(2)", "1." page and list numbers
        if not re.search(_SP, t) and masked[m.end():].strip():
            continue  # in a row without cell separators only grouped numbers and the last one
        v = parse_number(t, lang)
        out.append((m.start(), m.end(), v, v, None))
    return out


def table_amounts(document: AnalysedDocument) -> list[dict]:
    """Amounts in table cells whose unit is given by a header or caption above them:
    "(i 1 000 kr)" makes the cell "947 136" NOK 947 136 000; "(salg i mrd. dollar)" makes "14,4"
    USD 14.4 billion. The header applies to the rows that follow it, until a segment that is
    not row-like (prose)."""
    rows = []
    unit = None  # (multiplier, currency, column or None)
    n_rows = 0
    columns: list[str] = []  # the table's column headers, once seen
    # cells are too short to tell their language: their numbers are read as the document writes them
    lang = "en" if document.language == "en" else "nb"
    for offset, seg, doc in document.parts:
        text = doc.text
        is_table = seg.kind == "table_row"
        header = None
        if is_table:
            for col, (_, _, cell) in enumerate(_cells(text, True)):
                h = unit_header(cell)
                if h:
                    header = (h[0], h[1], col)
                    columns = [c for _, _, c in _cells(text, True)]
                    break
        else:
            h = unit_header(text)
            if h:
                header = (h[0], h[1], None)
                columns = []
        if header:
            unit, n_rows = header, 0
            continue
        if unit is None:
            continue
        row = seg.kind == "table_row" or _ends_in_number(text)
        # a column-header line right below the unit header may carry no number; anything
        # else that is not a row (prose, a new caption) ends the table
        if not row and (n_rows > 0 or len(text) > 120 or _CAPTION.match(text)) or n_rows >= MAX_TABLE_ROWS:
            unit = None
            continue
        n_rows += 1
        mult, currency, column = unit
        stated = [(s.start_char, s.end_char) for s in doc.spans[SPANS_KEY]] if SPANS_KEY in doc.spans else []
        cells = _cells(text, is_table)
        if is_table and not columns and not any(_cell_numbers(c, lang, True) for _, _, c in cells):
            columns = [c for _, _, c in cells]  # the column-header row
            continue
        for col, (cs, ce, cell) in enumerate(cells):
            if column is not None and col != column:
                continue
            if is_table and col == 0 and len(cells) > 1:
                continue  # the row's label or number
            head = columns[col] if is_table and col < len(columns) else ""
            if _NOT_AMOUNT_COLUMN().search(head):
                continue  # "Post", "Antall", "Andel (%)", "År"
            head_year = re.search(r"(?<!\d)((?:19|20)\d\d)(?!\d)", head)
            for s, e, low, high, q in _cell_numbers(cell, lang, whole_cell=is_table):
                s, e = cs + s, cs + e
                if any(a < e and s < b for a, b in stated):
                    continue
                span = doc.char_span(s, e, alignment_mode="expand")
                if span is None:
                    continue
                amount = Amount(_money(low * mult), _money(low * mult), _money(high * mult), currency, q, "table_header")
                rows.append(_row(offset, span, amount, int(head_year.group(1)) if head_year else None))
    return rows


@lru_cache(maxsize=1)
def _NOT_AMOUNT_COLUMN() -> re.Pattern:  # noqa: N802
    words = _alt(LEXICON["common"]["not_amount_columns"])
    return re.compile(rf"(?<![\w])(?:{words})(?![\w])|%", re.I)
