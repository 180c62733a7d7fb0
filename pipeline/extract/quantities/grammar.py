"""The money grammar: atoms (numbers, number words and lexicon words) read left to right into
amounts.

1. `atoms` scans a text into atoms: digit numbers, number words, and lexicon words (scale,
   currency, unit, qualifier, range words). Reference numbers ("post 50, 71 og 76", "kap. 920")
   and table-unit headers ("(i 1 000 kr)") are masked first, so they never become amounts.
2. `Grammar` reads the atoms left to right: [qualifier] [range-open] VALUE [connector VALUE |
   connector vague-scale], where VALUE is [currency] number [scale] [currency]. Atoms must be
   separated by at most two spaces. Whether an amount without a currency is money is decided
   by `parse` (implied currency), not here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from pipeline.extract.common.years import is_year
from pipeline.extract.quantities.lexicon import Lexicon, norm
from pipeline.extract.quantities.numbers import parse_number, parse_word_number

WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Amount:
    value: float
    low: float
    high: float | None
    currency: str | None
    qualifier: str | None = None
    rule: str = "stated"  # stated | range | open_range | change_from | change_to | implied_currency | table_header
    currency_inferred: bool = False


def money(x: float) -> float:
    """Whole currency units to the cent (1,4 * 10^9 is 1 400 000 000, not ...000.0002)."""
    return round(x, 2)


# --- masks and unit headers ------------------------------------------------------------------

def unit_header(text: str, lex: Lexicon | None = None) -> tuple[float, str, int, int] | None:
    """The unit a table header or caption gives its cell numbers: (multiplier, currency,
    start, end), e.g. "(i 1 000 kr)" -> (1000, "NOK"), "(mNOK)" -> (1e6, "NOK")."""
    if lex is None:
        from pipeline.extract.quantities.lexicon import lexicon

        lex = lexicon("nb")
    for m in lex.unit_header_re.finditer(text):
        g = {k.removeprefix("h_"): v for k, v in m.groupdict().items() if v}
        cur = norm(g["cur"])
        mult = 1.0
        if cur in lex.units:
            currency, mult = lex.units[cur]
        else:
            currency = lex.currencies[cur]
        for key in ("num", "scale", "scale2"):
            if key in g:
                v = norm(g[key])
                mult *= lex.scales[v] if v in lex.scales else parse_number(v, "nb")
        return mult, currency, m.start(), m.end()
    return None


def mask(text: str, lex: Lexicon) -> str:
    """Blank out reference numbers and unit headers (offsets stay the same)."""
    chars = list(text)
    spans = [m.span() for m in lex.reference_re.finditer(text)]
    spans += [m.span() for m in lex.unit_header_re.finditer(text)]
    for s, e in spans:
        chars[s:e] = " " * (e - s)
    return "".join(chars)


# --- atoms ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Atom:
    kind: str  # NUM WNUM SCALE CUR UNIT QUAL OPEN CONN CONN2 VAGUE DASHKR
    start: int
    end: int
    text: str
    value: float | None = None  # NUM/WNUM: the number; SCALE: multiplier
    attached: float | None = None  # NUM: attached scale ("10m")


def atoms(text: str, lex: Lexicon) -> list[Atom]:
    out = []
    for m in lex.atom_re.finditer(mask(text, lex)):
        s, e = m.span()
        t = text[s:e]
        if m["num"]:
            att = lex.attached.get(m["att"].lower()) if m["att"] else None
            out.append(Atom("NUM", s, m.end("num"), m["num"], parse_number(m["num"], lex.lang), att))
            if m["att"]:
                out[-1] = replace(out[-1], end=e, text=t)
        elif m["dashkr"]:
            out.append(Atom("DASHKR", s, e, t))
        elif m["dash"]:
            out.append(Atom("CONN", s, e, t))
        elif m["wnum"]:
            out.append(Atom("WNUM", s, e, t, parse_word_number(t, lex)))
        else:
            kind = lex.kinds[norm(t)]
            out.append(Atom(kind, s, e, t, lex.scales.get(norm(t)) if kind == "SCALE" else None))
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


def _is_year(a: Atom) -> bool:
    return a.kind == "NUM" and is_year(a.text)


class Grammar:
    def __init__(self, text: str, lex: Lexicon):
        self.text = text
        self.lex = lex
        self.atoms = atoms(text, lex)

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
            w = norm(self.atoms[i].text)
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
                currency, unit_mult = lex.units[norm(pcur.text)]
                scale = (scale or 1.0) * unit_mult
            else:
                currency = lex.currencies[norm(pcur.text)]
        last = i
        if self.kind(last + 1) == "SCALE" and self.adjacent(last, last + 1) and n.attached is None:
            last += 1
            scale = self.atoms[last].value
            word = self.atoms[last].text.lower()
            if word in lex.one_word_scales and n.kind == "WNUM" and n.value == 1:
                scale = lex.one_word_scales[word]  # Norwegian "en billion" is 10^12
        if currency is None:
            if self.kind(last + 1) in ("CUR", "UNIT") and self.adjacent(last, last + 1):
                last += 1
                a = self.atoms[last]
                if a.kind == "UNIT":
                    currency, unit_mult = lex.units[norm(a.text)]
                    scale = (scale or 1.0) * unit_mult
                else:
                    currency = lex.currencies[norm(a.text)]
            elif self.kind(last + 1) == "DASHKR" and self.adjacent(last, last + 1, ""):
                last += 1
                currency = lex.dash_kroner
        if n.kind == "WNUM":
            if scale is None and (currency is None or norm(n.text) in lex.articles):
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
            q = q or self.lex.qualifiers[norm(self.atoms[j].text)]
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
        words = [w.lower() for w in WORD.findall(self.text[max(0, self.atoms[i].start - 60) : self.atoms[i].start])][-5:]
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
                    currency = currency or self.lex.currencies[norm(self.atoms[last].text)]
                if v1.scale is not None:
                    low = money(v1.number * v1.scale)
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
                    opener = norm(self.atoms[opened].text) if opened is not None else ""
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
        low = money(v1.number * (v1.scale or 1.0))
        s = start if start is not None else v1.start
        return [(s, v1.end, Amount(low, low, low, v1.currency, qual, "stated"))], v1.last

    def price_level(self, v: _Value, i: int) -> bool:
        """"i 2021 kroner", "in 2020 dollars": a year naming a price level, not an amount."""
        n = self.atoms[i]
        if not (_is_year(n) and v.scale is None and v.start == n.start):
            return False
        before = WORD.findall(self.text[max(0, n.start - 20) : n.start])
        return bool(before) and before[-1].lower() in self.lex.price_level_words

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
        low, high = money(v1.number * (s1 or 1.0)), money(v2.number * (s2 or 1.0))
        if low > high:
            return None
        return low, high, currency
