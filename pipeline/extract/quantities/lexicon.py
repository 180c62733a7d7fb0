"""The money lexicon of one segment language, built from the language data
(pipeline/lang/*/money.yaml, numbers.yaml, quantities.yaml) with its compiled regexes.

Money words of every language are read in every segment (mixed documents: "NOK 3 billion" in
Norwegian text); the `segment` settings (default currency, range words) and the number words
are the segment language's own.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from pipeline import lang as language_data
from pipeline.extract.common.alternation import alternation
from pipeline.extract.common.years import YEAR
from pipeline.extract.quantities.numbers import NUMBER_RE
from pipeline.money.currencies import currency_table, normalise


def norm(s: str) -> str:
    return re.sub(r"\s+", " ", s.strip().lower())


def alt(words) -> str:
    """The words as one regex alternation, longest first; a space matches any whitespace."""
    return alternation(words, space=r"\s+", ignorecase=True)


def _merge(out: dict, part: dict) -> dict:
    """Merge `part` into `out`: dicts key by key, lists concatenated, other values replaced."""
    for k, v in part.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _merge(dict(out[k]), v)
        elif isinstance(v, list) and isinstance(out.get(k), list):
            out[k] = out[k] + v
        else:
            out[k] = v
    return out


def _currency_data(lang: str) -> dict:
    """The currency forms a segment of `lang` reads, from CLDR (pipeline/money/currencies.py):
    the segment language's forms first, then the other languages' forms it lacks ("NOK 3
    billion", "Swiss francs" in Norwegian text). A currency word that is an ordinary word in
    any language ("som", "mark") is left out. Forms: lower-cased form -> [code or None,
    candidates, may stand before the number, names a unit in a table header]."""
    order = ("en", "nb", "nn") if lang == "en" else ("nb", "nn", "en")
    ordinary = {normalise(w) for x in order for w in language_data.currencies(x).get("not_currency_words", [])}
    forms: dict = {}
    subunits: dict = {}
    for x in order:
        table = currency_table(x)
        symbols = {f for f, c in table.forms.items() if c.kind == "symbol"}
        for form, c in table.forms.items():
            if form in forms or c.kind == "word" and form in ordinary:
                continue
            prefix = c.kind == "symbol" or c.kind == "adjective" and form.rsplit(" ", 1)[-1] in symbols
            header = c.kind != "word" or (c.code is not None and len(c.candidates) > 1)
            forms[form] = [c.code, list(c.candidates), prefix, header]
        for form, sub in table.subunits.items():
            subunits.setdefault(form, [sub.code, sub.factor, sub.alone])
    return {"forms": forms, "codes": sorted(table.codes - set(language_data.currencies("common")["not_money"])),
            "subunits": subunits}


def lexicon_data(lang: str) -> dict:
    """What a lexicon is built from (plain data: the quantity component saves it with the
    pipeline): {"money": merged money words, "numbers": the language's number words,
    "quantities": unit word -> [kind, unit], "currencies": the CLDR currency forms}."""
    money: dict = {}
    for folder in ("common", *language_data.LANGS):
        _merge(money, language_data.get(folder).money.get("words", {}))
    _merge(money, language_data.get(lang).money.get("segment", {}))
    units: dict = {}
    for folder in ("common", *language_data.LANGS):
        units.update(language_data.get(folder).quantities.get("units", {}))
    return {"lang": lang, "money": money, "numbers": language_data.get(lang).numbers, "quantities": units,
            "currencies": _currency_data(lang)}


@dataclass(frozen=True)
class Cur:
    """What a currency form names: an ISO code, or None with the currencies it may be
    (`candidates`; qualifier "ambiguous-currency"); `prefix`: it may stand before the number."""
    code: str | None
    candidates: tuple[str, ...] = ()
    prefix: bool = False


@dataclass(frozen=True)
class SubUnit:
    code: str | None  # None: the amount's own currency ("cent")
    factor: float
    alone: str | None  # the currency it means without one of its own ("50 cents": USD)


@dataclass(eq=False)
class Lexicon:
    lang: str
    scales: dict
    attached: dict
    currency_forms: dict  # lower-cased form -> Cur
    codes: frozenset  # ISO 4217 codes (matched in capitals only)
    subunits: dict  # form -> SubUnit ("øre", "cents"; one-letter forms only glued: "85p")
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
    dash_kroner: str
    negations: set  # "ikke mindre enn": a negation before a qualifier flips min and max
    coordinators: set  # "20 og 30 millioner kroner": a bare number before them takes what follows
    per_words: list  # "per tonn", "kr/m²": the unit of a rate follows
    rate_articles: list  # "$80 a barrel", "1 100 kroner i timen": a rate noun follows
    rate_nouns: dict  # noun after a rate article -> its base form (the per_unit)
    rate_units: dict  # "60 dollar fatet": definite unit right after the amount -> base form
    not_per_units: set  # "per år": a yearly amount is a total, not a rate
    conversion_words: list  # "187 500 euro, tilsvarende 1,4 millioner kroner": a restatement follows
    currency_articles: set  # "a dollar": articles that are one with a currency word
    one_word_scales: dict  # "en billion": 10^12 in Norwegian
    numbers: dict  # word -> value
    fractions: dict
    hundred: set
    joiner: set
    articles: set
    quantity_units: dict  # unit word -> (kind, unit)
    reference_words: list
    unit_header_lead: list
    not_amount_columns: list
    year_words: list
    year_before_words: list
    price_level_words: set
    caption_words: list
    percent_words: list
    kinds: dict = field(default_factory=dict)  # lower word -> atom kind
    header_forms: set = field(default_factory=set)  # currency forms a table header may use

    def currency(self, form: str) -> Cur:
        """The currency an atom's text names (a code, a CLDR form, or a "mNOK"-style unit)."""
        if form in self.codes:
            return Cur(form, (form,), True)
        return self.currency_forms[norm(form)]

    @cached_property
    def currencies(self) -> dict:
        """Form -> ISO code of the forms a table header may name its unit with ("(i 1 000 kr)",
        "(NOK million)", "salg i mrd. dollar"): codes, symbols, CLDR names, defaults."""
        out = {code.lower(): code for code in self.codes}
        out.update({f: c.code for f, c in self.currency_forms.items() if f in self.header_forms and c.code})
        return out

    @cached_property
    def glued(self) -> list[str]:
        """Forms written right after the digits: "10kr", "49zł", "85p", "43c"."""
        lettered = [f for f, c in self.currency_forms.items() if c.prefix and re.fullmatch(r"[^\W\d_]+\.?", f)]
        return lettered + [f for f in self.subunits if len(f) == 1]

    # --- compiled patterns (each built once per lexicon) ---

    @cached_property
    def word_number_re(self) -> str:
        n, h, j = alt(self.numbers), alt(self.hundred), alt(self.joiner)
        return rf"(?:{alt(self.fractions)})|(?:(?:{n})\s+)?(?:{h})(?:\s+(?:(?:{j})\s+)?(?:{n}))?|(?:{n})"

    @cached_property
    def atom_re(self) -> re.Pattern:
        words = [w for w in self.kinds if re.search(r"\w", w)]
        symbols = [w for w in self.kinds if not re.search(r"\w", w) and w not in "-–—"]
        # a number may follow a code directly ("NOK7.5bn"); the grammar drops one after other letters
        return re.compile(
            rf"(?P<num>(?:(?<![\w.,])|(?<=(?<![^\W\d_])(?-i:[A-Z]{{3}}))){NUMBER_RE})"
            rf"(?P<att>(?:{alt(self.attached)})(?![\w]))?"
            rf"|(?P<code>(?<![^\W\d_])(?-i:{alternation(self.codes)})(?![^\W\d_]))"
            rf"|(?P<glued>(?<=\d)(?:{alt(self.glued)}))(?:(?<=\W)|(?![\w]))"
            r"|(?P<dashkr>(?<=\d),[-–](?![\w]))"
            rf"|(?P<sym>{alt(symbols)})"
            r"|(?P<dash>[-–—])"
            rf"|(?<![\w])(?P<word>{alt(words)})(?:(?<=\W)|(?![\w]))"
            rf"|(?<![\w])(?P<wnum>{self.word_number_re})(?![\w])",
            re.I,
        )

    @cached_property
    def per_unit_re(self) -> re.Pattern:
        """The unit of a rate right after an amount: "per tonn", "/MWh" (any word), "a barrel",
        "i timen" (a rate noun after a rate article), "fatet" (a definite unit)."""
        unit = r"[^\W\d_][\w²³-]*"
        words = [w for w in self.per_words if re.search(r"\w", w)]
        signs = [w for w in self.per_words if not re.search(r"\w", w)]
        parts = [rf"(?:(?:{alt(words)})\s+|(?:{alt(signs)})\s*)(?P<any>{unit})"]
        if self.rate_nouns:
            parts.append(rf"(?:{alt(self.rate_articles)})\s+(?P<noun>{alt(self.rate_nouns)})")
        if self.rate_units:
            parts.append(rf"(?P<unit>{alt(self.rate_units)})")
        return re.compile(rf"[ \u00a0]*(?:{'|'.join(parts)})(?![\w])", re.I)

    @cached_property
    def conversion_re(self) -> re.Pattern:
        """The gap between an amount and its restatement in another currency: ", tilsvarende ",
        " or "."""
        return re.compile(rf"\s*,?\s*(?:{alt(self.conversion_words)})\s+", re.I)

    @cached_property
    def reference_re(self) -> re.Pattern:
        refs = alt(self.reference_words)
        return re.compile(rf"(?<![\w])(?:{refs})\s*\d+[a-z]?(?:\s*(?:,|og|and|&|[-–])\s*\d+[a-z]?)*(?![\d])", re.I)

    @cached_property
    def unit_header_re(self) -> re.Pattern:
        """A table header or caption naming a unit: "(i 1 000 kr)", "(NOK million)", "salg i mrd.
        dollar". Its currency is any word or two here (a regex of every currency form takes
        seconds to compile); `unit_headers` keeps the matches whose currency is one."""
        scales = alt(self.scales)
        word = r"[^\s\d()][^\s()]*"
        lead = alt(self.unit_header_lead)
        thousand = r"1(?:[ .,\u00a0]?000)+"
        body = (rf"(?:(?P<num>{thousand})\s*)?(?:(?P<scale>{scales})\s*)?(?P<cur>{word}(?:\s+{word}){{0,2}}?)"
                rf"(?:\s+(?P<scale2>{scales}|{thousand}))?")
        return re.compile(
            rf"\(\s*(?:(?:{lead})\s+)?{body}\s*\)"
            rf"|(?<![\w])(?:{lead})\s+{body.replace('?P<', '?P<h_')}(?=\s*(?:[).;:]|$))",
            re.I,
        )

    def unit_headers(self, text: str):
        """The unit headers of a text: (match, its groups without the "h_" prefix, the ISO code
        or "mNOK"-style unit it names)."""
        for m in self.unit_header_re.finditer(text):
            g = {k.removeprefix("h_"): v for k, v in m.groupdict().items() if v}
            cur = norm(g["cur"])
            if cur in self.units or self.currencies.get(cur):
                yield m, g, cur

    @cached_property
    def quantity_re(self) -> re.Pattern:
        num = rf"(?:(?<![\w.,]){NUMBER_RE}|(?<![\w])(?:{self.word_number_re}))"
        conn = alt([*self.connectors, *self.connectors_after_open])
        return re.compile(
            rf"(?:(?P<qual>{alt(self.qualifiers)})\s+)?(?P<a>{num})(?:\s*(?:{conn})\s*(?P<b>{num}))?"
            rf"\s?(?P<unit>{alt(self.quantity_units)})(?![\w])", re.I
        )

    @cached_property
    def year_after_re(self) -> re.Pattern:
        return re.compile(rf"^[\s,]*(?:[^\W\d]+\s+){{0,4}}?(?:{alt(self.year_words)})\s+({YEAR})(?![\d])", re.I)

    @cached_property
    def year_before_re(self) -> re.Pattern:
        return re.compile(rf"(?<![\w])(?:{alt(self.year_before_words)})\s+({YEAR})(?![\d])", re.I)

    @cached_property
    def caption_re(self) -> re.Pattern:
        return re.compile(rf"\s*(?:{alt(self.caption_words)})\s*\d", re.I)

    @cached_property
    def percent_after_re(self) -> re.Pattern:
        return re.compile(rf"\s*(?:{alt(self.percent_words)})", re.I)

    @cached_property
    def not_amount_column_re(self) -> re.Pattern:
        return re.compile(rf"(?<![\w])(?:{alt(self.not_amount_columns)})(?![\w])|%", re.I)


# money.yaml lists the lexicon keeps as written (their regexes are built from them)
AS_WRITTEN = ("per_words", "rate_articles", "rate_nouns", "rate_units", "conversion_words", "reference_words",
              "unit_header_lead", "not_amount_columns", "year_words", "year_before_words", "caption_words",
              "percent_words")


def build(data: dict) -> Lexicon:
    """A lexicon from `lexicon_data(lang)` (or the same data read back from a saved pipeline)."""
    lang, d, nw, cur = data["lang"], data["money"], data["numbers"], data["currencies"]
    numbers = {k.lower(): float(v) for k, v in {**nw["units"], **nw["tens"]}.items()}
    for t, tv in nw["tens"].items():  # "tjuefem", "twenty-five", "twenty five"
        for u, uv in nw["units"].items():
            if 1 <= uv <= 9 and u not in nw.get("not_after_tens", []):
                if nw.get("tens_join") == "hyphen_or_space":
                    numbers[f"{t}-{u}"] = numbers[f"{t} {u}"] = float(tv + uv)
                else:
                    numbers[f"{t}{u}"] = float(tv + uv)
    lex = Lexicon(
        lang=lang,
        scales={norm(k): float(v) for k, v in d["scales"].items()},
        attached={k: float(v) for k, v in d["attached_scales"].items()},
        currency_forms={f: Cur(code, tuple(cands), prefix) for f, (code, cands, prefix, _) in cur["forms"].items()},
        codes=frozenset(cur["codes"]),
        subunits={f: SubUnit(*v) for f, v in cur["subunits"].items()},
        units={norm(k): (v[0], float(v[1])) for k, v in d["scaled_units"].items()},
        qualifiers={norm(w): q for q, ws in d["qualifiers"].items() for w in ws},
        range_open={norm(w) for w in d["range_open"]},
        connectors={norm(w) for w in d["range_connectors"]},
        connectors_after_open={norm(w) for w in d["range_connectors_after_open"]},
        vague={norm(w) for w in d["range_vague"]},
        money_cues=[w.lower() for w in d["money_cues"]],
        non_money=[w.lower() for w in d["non_money_nouns"]],
        bare_followers={w.lower() for w in d["bare_followers"]},
        change_verbs={w.lower() for w in d["change_verbs"]},
        change_openers={norm(w) for w in d["change_openers"]},
        default_currency=d.get("default_currency"),
        dash_kroner=d["dash_kroner"],
        negations={norm(w) for w in d["negations"]},
        coordinators={norm(w) for w in d["coordinators"]},
        not_per_units={w.lower() for w in d["not_per_units"]},
        currency_articles={w.lower() for w in nw.get("currency_articles", [])},
        one_word_scales={norm(k): float(v) for k, v in d.get("one_word_scales", {}).items()},
        numbers=numbers,
        fractions={norm(k): float(v) for k, v in nw["fractions"].items()},
        hundred={w.lower() for w in nw["hundred"]},
        joiner={w.lower() for w in nw["joiner"]},
        articles={w.lower() for w in nw["articles"]},
        quantity_units={norm(k): tuple(v) for k, v in data["quantities"].items()},
        price_level_words={w.lower() for w in d["price_level_words"]},
        **{key: d[key] for key in AS_WRITTEN},
    )
    lex.header_forms = {f for f, (_, _, _, header) in cur["forms"].items() if header}
    # later tables win: a currency form that is also a scale or qualifier word is that word
    for table, kind in ((lex.currency_forms, "CUR"), ({f for f in lex.subunits if len(f) > 1}, "SUB"),
                        (lex.negations, "NEG"), (lex.coordinators, "COORD"),
                        (lex.qualifiers, "QUAL"), (lex.range_open, "OPEN"), (lex.vague, "VAGUE"),
                        (lex.connectors_after_open, "CONN2"), (lex.connectors, "CONN"),
                        (lex.scales, "SCALE"), (lex.units, "UNIT")):
        for w in table:
            lex.kinds[w] = kind
    return lex


@lru_cache(maxsize=4)
def lexicon(lang: str | None) -> Lexicon:
    """The lexicon of a segment language, from the language data."""
    return build(lexicon_data(language_data.code(lang)))
