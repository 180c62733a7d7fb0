"""The money grammar: atoms (numbers, number words and lexicon words) read left to right into
amounts.

1. `atoms` scans a text into atoms: digit numbers, number words, and lexicon words (scale,
   currency, unit, qualifier, range words). Reference numbers ("post 50, 71 og 76", "kap. 920")
   and table-unit headers ("(i 1 000 kr)") are masked first, so they never become amounts.
2. `Grammar` reads the atoms left to right: [[negation] qualifier] [range-open] VALUE
   [connector VALUE | connector vague-scale] [rate unit], where VALUE is [currency] number
   [scale] [currency | sub-unit] [[og] number sub-unit]. Atoms must be separated by at most two
   spaces. Currencies are the CLDR forms of pipeline/money/currencies.py (codes also glued to
   the number: "NOK7.5bn", "250NOK"); a form several currencies share is no currency, with
   qualifier "ambiguous-currency" and its `candidates`. An amount in brackets right after
   another restates it in another currency (`equivalent_of`: the start of the other one).
   Whether an amount without a currency is money is decided by `parse` (implied currency).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from pipeline.extract.common.years import is_year
from pipeline.extract.quantities.lexicon import Cur, Lexicon, norm
from pipeline.money.currencies import AMBIGUOUS
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
    per_unit: str | None = None  # the unit of a rate ("tonn" in "590 kroner per tonn"); None for a total
    equivalent_of: int | None = None  # start of the amount this one restates in another currency
    candidates: tuple[str, ...] = ()  # an ambiguous currency: the currencies it may be

    @property
    def ambiguous(self) -> bool:
        return self.currency is None and AMBIGUOUS in (self.qualifier or "")


def money(x: float) -> float:
    """An amount without float noise (1,4 * 10^9 is 1 400 000 000, not ...000.0002; 9,16 øre
    is 0.0916 kroner): twelve significant digits."""
    return float(f"{x:.12g}")


def join(*parts: str | None) -> str | None:
    """Qualifiers joined by ";" ("min;ambiguous-currency"), None for none."""
    return ";".join(p for p in parts if p) or None


# --- masks and unit headers ------------------------------------------------------------------

def unit_header(text: str, lex: Lexicon | None = None) -> tuple[float, str, int, int] | None:
    """The unit a table header or caption gives its cell numbers: (multiplier, currency,
    start, end), e.g. "(i 1 000 kr)" -> (1000, "NOK"), "(mNOK)" -> (1e6, "NOK")."""
    if lex is None:
        from pipeline.extract.quantities.lexicon import lexicon

        lex = lexicon("nb")
    for m, g, cur in lex.unit_headers(text):
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
    spans += [m.span() for m, _, _ in lex.unit_headers(text)]
    for s, e in spans:
        chars[s:e] = " " * (e - s)
    return "".join(chars)


# --- atoms ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Atom:
    kind: str  # NUM WNUM SCALE CUR UNIT SUB QUAL NEG OPEN CONN CONN2 COORD VAGUE DASHKR
    start: int
    end: int
    text: str
    value: float | None = None  # NUM/WNUM: the number; SCALE: multiplier
    attached: float | None = None  # NUM: attached scale ("10m")


def atoms(text: str, lex: Lexicon) -> list[Atom]:
    out: list[Atom] = []
    for m in lex.atom_re.finditer(mask(text, lex)):
        s, e = m.span()
        t = text[s:e]
        if m["num"]:
            if s and text[s - 1].isalpha() and not (out and out[-1].kind == "CUR" and out[-1].end == s):
                continue  # digits glued to letters that are no currency code ("ABC123")
            att = lex.attached.get(m["att"].lower()) if m["att"] else None
            out.append(Atom("NUM", s, m.end("num"), m["num"], parse_number(m["num"], lex.lang), att))
            if m["att"]:
                out[-1] = replace(out[-1], end=e, text=t)
        elif m["code"]:
            out.append(Atom("CUR", s, e, t))
        elif m["glued"]:
            if norm(t) in lex.subunits and not t.islower():
                continue  # "85C" is degrees; "85c" cents
            out.append(Atom("SUB" if norm(t) in lex.subunits else "CUR", s, e, t))
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

FLIP = {"min": "max", "max": "min"}  # "ikke mindre enn", "no more than"
NO_CURRENCY = Cur(None)  # a sub-unit of no currency of its own, alone ("40 cent" in Norwegian)


@dataclass
class _Value:
    start: int  # char offsets
    end: int
    last: int  # index of the last atom used
    number: float
    scale: float | None
    cur: Cur | None
    word: bool
    year_like: bool
    attached: bool
    factor: float = 1.0  # a sub-unit alone: "50 øre" is 0.5 kroner
    extra: float = 0.0  # "2 kroner og 23 øre": the sub-units after the unit, in units

    @property
    def currency(self) -> str | None:
        return self.cur.code if self.cur else None

    def total(self, scale: float | None = None, factor: float | None = None) -> float:
        return money(self.number * (scale or self.scale or 1.0) * (factor or self.factor) + self.extra)


def _is_year(a: Atom) -> bool:
    return a.kind == "NUM" and is_year(a.text)


def _amount(low: float, high: float | None, cur: Cur | None, qualifier: str | None, rule: str) -> Amount:
    code = cur.code if cur else None
    ambiguous = cur is not None and code is None
    return Amount(low, low, high, code, join(qualifier, AMBIGUOUS if ambiguous else None), rule,
                  candidates=cur.candidates if ambiguous else ())


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

    def currency_of(self, a: Atom, scale: float | None) -> tuple[Cur, float | None]:
        """The currency a CUR or UNIT atom names, and the scale a unit ("mNOK") adds."""
        if a.kind == "UNIT":
            code, mult = self.lex.units[norm(a.text)]
            return Cur(code, (code,), True), (scale or 1.0) * mult
        return self.lex.currency(a.text), scale

    def subunit_currency(self, sub) -> Cur:
        code = sub.code or sub.alone
        return Cur(code, (code,)) if code else NO_CURRENCY

    def value(self, i: int, bound: bool = False) -> _Value | None:
        """[currency] number [scale] [currency | sub-unit] [[og] number sub-unit] starting at
        atom i. A range's second `bound` may leave the currency to the first ("NOK 1–2bn")."""
        lex = self.lex
        pcur = None
        if self.kind(i) in ("CUR", "UNIT") and self.kind(i + 1) in ("NUM", "WNUM") and self.adjacent(i, i + 1):
            if self.kind(i) == "UNIT" or lex.currency(self.atoms[i].text).prefix:
                pcur = self.atoms[i]
                i += 1
        if self.kind(i) not in ("NUM", "WNUM"):
            return None
        n = self.atoms[i]
        first = pcur or n
        scale = n.attached
        cur, factor, extra = None, 1.0, 0.0
        if pcur is not None:
            cur, scale = self.currency_of(pcur, scale)
        last = i
        if self.kind(last + 1) == "SCALE" and self.adjacent(last, last + 1) and n.attached is None:
            last += 1
            scale = self.atoms[last].value
            word = self.atoms[last].text.lower()
            if word in lex.one_word_scales and n.kind == "WNUM" and n.value == 1:
                scale = lex.one_word_scales[word]  # Norwegian "en billion" is 10^12
        suffix = None
        if cur is None:
            nxt = self.kind(last + 1)
            if nxt in ("CUR", "UNIT") and self.adjacent(last, last + 1):
                last += 1
                suffix = self.atoms[last]
                cur, scale = self.currency_of(suffix, scale)
            elif nxt == "DASHKR" and self.adjacent(last, last + 1, ""):
                last += 1
                cur = Cur(lex.dash_kroner, (lex.dash_kroner,))
            elif nxt == "SUB" and self.adjacent(last, last + 1) and n.kind == "NUM":
                last += 1
                sub = lex.subunits[norm(self.atoms[last].text)]
                cur, factor = self.subunit_currency(sub), sub.factor
        elif self.kind(last + 1) == "DASHKR" and self.adjacent(last, last + 1, ""):
            last += 1  # "kr 299,-"
        if scale is None and (pcur is not None or suffix is not None):
            last, extra = self.subunits_after(last, cur)
        if n.kind == "WNUM" and scale is None:
            article = norm(n.text) in lex.articles
            if cur is None or article and not (norm(n.text) in lex.currency_articles and suffix is not None
                                               and not cur.prefix and self.text[self.atoms[last].end:][:1] != "-"):
                return None
        if n.attached is not None and cur is None and not bound:
            return None  # "25m" without a currency is not money
        return _Value(first.start, self.atoms[last].end, last, n.value, scale, cur, n.kind == "WNUM",
                      _is_year(n) and scale is None and cur is None, n.attached is not None, factor, extra)

    def subunits_after(self, last: int, cur: Cur) -> tuple[int, float]:
        """"2 kroner og 23 øre", "$20 and 43c", "3 GBP 1 pence": the sub-units after a whole
        amount (last atom, value in units); none: (last, 0)."""
        j = last + 1
        if self.kind(j) in ("CONN2", "COORD") and self.adjacent(last, j):
            j += 1
        if not (self.kind(j) == "NUM" and self.kind(j + 1) == "SUB" and self.adjacent(j - 1, j) and self.adjacent(j, j + 1)):
            return last, 0.0
        sub = self.lex.subunits[norm(self.atoms[j + 1].text)]
        if sub.code not in (None, cur.code):
            return last, 0.0
        return j + 1, self.atoms[j].value * sub.factor

    def qualifier_before(self, i: int) -> tuple[str | None, int]:
        """The qualifier words directly before atom i: (qualifier, index of the first one); a
        negation before them flips a bound ("ikke mindre enn", "not more than")."""
        q, j = None, i
        while self.kind(j - 1) == "QUAL" and self.adjacent(j - 1, j):
            j -= 1
            q = q or self.lex.qualifiers[norm(self.atoms[j].text)]
        if q and self.kind(j - 1) == "NEG" and self.adjacent(j - 1, j):
            j -= 1
            q = FLIP.get(q, q)
        return q, j

    def parse(self) -> list[tuple[int, int, Amount]]:
        """(start, end, amount) for every amount candidate, stated currency or not."""
        out: list[tuple[int, int, Amount]] = []
        i = 0
        while i < len(self.atoms):
            got = self.parse_at(i)
            if got is None:
                i += 1
                continue
            items, last = got
            items = self.with_rate(items)
            if out and (pair := self.restated(out[-1], items)):
                out[-1], items = pair
            out.extend(items)
            i = last + 1
        return out

    def with_rate(self, items: list[tuple[int, int, Amount]], at: int | None = None) -> list[tuple[int, int, Amount]]:
        """The items with the rate unit right after them ("590 kroner per tonn", "$80 a barrel",
        "95 øre/kWh"), their spans taking it in; a unit that is not a rate ("per år") is left."""
        m = self.lex.per_unit_re.match(self.text, items[-1][1] if at is None else at)
        if not m:
            return items
        unit = m["any"] or self.lex.rate_nouns.get(norm(m["noun"] or "")) or self.lex.rate_units.get(norm(m["unit"] or ""))
        if not unit or unit.lower() in self.lex.not_per_units:
            return items
        extend = at is None
        return [(s, m.end() if extend and k == len(items) - 1 else e, replace(a, per_unit=unit))
                for k, (s, e, a) in enumerate(items)]

    def restated(self, before: tuple[int, int, Amount], items: list[tuple[int, int, Amount]]):
        """An amount right after another, in another currency, that restates it: in brackets
        ("NOK7.5bn ($710m)", "100 euro (ca. 1 150 kroner)") or after a conversion word ("187 500
        euro, tilsvarende 1,4 millioner kroner", "37 300 dollar, eller om lag 270 000 kroner").
        Both then point to each other, and a rate unit after a bracket applies to both."""
        (s0, e0, a0), (s1, e1, a1) = before, items[0]
        if len(items) != 1 or a0.currency is not None and a0.currency == a1.currency:
            return None
        gap, close = self.text[e0:s1], re.match(r"\s*[)\]]", self.text[e1:])
        bracketed = close is not None and re.fullmatch(r"\s*[(\[]\s*", gap) is not None
        if not bracketed and not (a0.currency and a1.currency and self.lex.conversion_re.fullmatch(gap)):
            return None
        pair = [(s0, e0, replace(a0, equivalent_of=s1)), (s1, e1, replace(a1, equivalent_of=s0))]
        if bracketed and a0.per_unit is None:
            pair = self.with_rate(pair, at=e1 + close.end())
        return pair[0], pair[1:]

    def change_before(self, i: int) -> bool:
        """A change verb shortly before atom i: "økte fra 2 til 3 millioner" is two amounts."""
        words = [w.lower() for w in WORD.findall(self.text[max(0, self.atoms[i].start - 60) : self.atoms[i].start])][-5:]
        return any(w in self.lex.change_verbs for w in words)

    def coordinated(self, v1: _Value, k: int) -> _Value | None:
        """"henholdsvis 20 og 30 millioner kroner": the amount with a currency after a coordinator
        that a bare number before it takes its magnitude and currency from."""
        if not (self.kind(k) in ("CONN2", "COORD") and self.adjacent(v1.last, k) and self.adjacent(k, k + 1)):
            return None
        v2 = self.value(k + 1)
        return v2 if v2 is not None and v2.cur is not None else None

    def parse_at(self, i: int):
        opened = None
        if self.kind(i) == "OPEN" and self.adjacent(i, i + 1):
            opened = i
            i += 1
        v1 = self.value(i)
        if v1 is None:
            return None
        begin = opened if opened is not None else i
        qual, qstart = self.qualifier_before(begin)
        qualified = qstart < begin
        s = self.atoms[qstart].start if qualified else self.atoms[begin].start  # a range's start
        single = self.atoms[qstart].start if qualified else v1.start  # a single value's start
        k = v1.last + 1
        conn = self.kind(k) == "CONN" or (self.kind(k) == "CONN2" and opened is not None)
        if conn and self.adjacent(v1.last, k) and not v1.year_like:
            # open upper bound: "fra 500 mill. kroner til flere milliarder"
            if self.kind(k + 1) == "VAGUE" and self.kind(k + 2) == "SCALE" and self.adjacent(k, k + 1) and self.adjacent(k + 1, k + 2):
                last = k + 2
                cur = v1.cur
                if self.kind(last + 1) == "CUR" and self.adjacent(last, last + 1):
                    last += 1
                    cur = cur or self.lex.currency(self.atoms[last].text)
                if v1.scale is not None:
                    amount = _amount(v1.total(), None, cur, qual or "min", "open_range")
                    return [(s, self.atoms[last].end, amount)], last
            v2 = self.value(k + 1, bound=True) if self.adjacent(k, k + 1) else None
            # a year-like second bound only closes a plain range ("kr 1500–2000"), never takes
            # the first bound's magnitude ("5 mill. kroner – 2021")
            if v2 is not None and (not v2.year_like or v1.scale is None and v1.currency is not None):
                rng = self.combine(v1, v2)
                if rng is not None:
                    low, high, cur = rng
                    opener = norm(self.atoms[opened].text) if opened is not None else ""
                    if opener in self.lex.change_openers and self.change_before(opened):
                        # "økte fra 2 til 3 millioner kroner": a change, not a range
                        return [(v1.start, v1.end, _amount(low, low, cur, qual, "change_from")),
                                (v2.start, v2.end, _amount(high, high, cur, None, "change_to"))], v2.last
                    return [(s, v2.end, _amount(low, high, cur, qual, "range"))], v2.last
        if v1.scale is None and v1.cur is None and opened is None and not v1.year_like and not v1.word:
            v2 = self.coordinated(v1, k)
            if v2 is not None:
                low = v1.total(v2.scale, v2.factor)
                return [(single, v1.end, _amount(low, low, v2.cur, qual, "stated"))], v1.last
        if v1.scale is None and v1.cur is None:
            return None
        if v1.year_like or self.price_level(v1, i):
            return None
        low = v1.total()
        return [(single, v1.end, _amount(low, low, v1.cur, qual, "stated"))], v1.last

    def price_level(self, v: _Value, i: int) -> bool:
        """"i 2021 kroner", "in 2020 dollars": a year naming a price level, not an amount."""
        n = self.atoms[i]
        if not (_is_year(n) and v.scale is None and v.start == n.start):
            return False
        before = WORD.findall(self.text[max(0, n.start - 20) : n.start])
        return bool(before) and before[-1].lower() in self.lex.price_level_words

    @staticmethod
    def combine(v1: _Value, v2: _Value) -> tuple[float, float, Cur | None] | None:
        if v1.currency and v2.currency and v1.currency != v2.currency:
            return None
        cur = next((c for c in (v1.cur, v2.cur) if c is not None and c.code), v1.cur or v2.cur)
        if v2.attached and cur is None:
            return None
        s1 = v1.scale if v1.scale is not None else v2.scale
        s2 = v2.scale if v2.scale is not None else v1.scale
        if s1 is None and s2 is None and cur is None:
            return None
        f1 = v1.factor if v1.cur is not None else v2.factor  # "50–60 øre"
        low, high = v1.total(s1, f1), v2.total(s2)
        if low > high:
            return None
        return low, high, cur
