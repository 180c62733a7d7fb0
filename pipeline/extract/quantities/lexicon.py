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


def lexicon_data(lang: str) -> dict:
    """What a lexicon is built from (plain data: the quantity component saves it with the
    pipeline): {"money": merged money words, "numbers": the language's number words,
    "quantities": unit word -> [kind, unit]}."""
    money: dict = {}
    for folder in ("common", *language_data.LANGS):
        _merge(money, language_data.get(folder).money.get("words", {}))
    _merge(money, language_data.get(lang).money.get("segment", {}))
    units: dict = {}
    for folder in ("common", *language_data.LANGS):
        units.update(language_data.get(folder).quantities.get("units", {}))
    return {"lang": lang, "money": money, "numbers": language_data.get(lang).numbers, "quantities": units}


@dataclass(eq=False)
class Lexicon:
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
    dash_kroner: str
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

    # --- compiled patterns (each built once per lexicon) ---

    @cached_property
    def word_number_re(self) -> str:
        n, h, j = alt(self.numbers), alt(self.hundred), alt(self.joiner)
        return rf"(?:{alt(self.fractions)})|(?:(?:{n})\s+)?(?:{h})(?:\s+(?:(?:{j})\s+)?(?:{n}))?|(?:{n})"

    @cached_property
    def atom_re(self) -> re.Pattern:
        words = [w for w in self.kinds if re.search(r"\w", w)]
        symbols = [w for w in self.kinds if not re.search(r"\w", w) and w not in "-–—"]
        return re.compile(
            rf"(?P<num>(?<![\w.,]){NUMBER_RE})(?P<att>(?:{alt(self.attached)})(?![\w]))?"
            r"|(?P<dashkr>(?<=\d),[-–](?![\w]))"
            rf"|(?P<sym>{alt(symbols)})"
            r"|(?P<dash>[-–—])"
            rf"|(?<![\w])(?P<word>{alt(words)})(?:(?<=\.)|(?![\w]))"
            rf"|(?<![\w])(?P<wnum>{self.word_number_re})(?![\w])",
            re.I,
        )

    @cached_property
    def reference_re(self) -> re.Pattern:
        refs = alt(self.reference_words)
        return re.compile(rf"(?<![\w])(?:{refs})\s*\d+[a-z]?(?:\s*(?:,|og|and|&|[-–])\s*\d+[a-z]?)*(?![\d])", re.I)

    @cached_property
    def unit_header_re(self) -> re.Pattern:
        scales = alt(self.scales)
        curs = alt([*self.currencies, *self.units])
        lead = alt(self.unit_header_lead)
        thousand = r"1(?:[ .,\u00a0]?000)+"
        body = (rf"(?:(?P<num>{thousand})\s*)?(?:(?P<scale>{scales})\s*)?(?P<cur>{curs})"
                rf"(?:\s+(?P<scale2>{scales}|{thousand}))?")
        return re.compile(
            rf"\(\s*(?:(?:{lead})\s+)?{body}\s*\)"
            rf"|(?<![\w])(?:{lead})\s+{body.replace('?P<', '?P<h_')}(?=\s*(?:[).;:]|$))",
            re.I,
        )

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


def build(data: dict) -> Lexicon:
    """A lexicon from `lexicon_data(lang)` (or the same data read back from a saved pipeline)."""
    lang, d, nw = data["lang"], data["money"], data["numbers"]
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
        currencies={norm(k): v for k, v in d["currencies"].items()},
        prefix_currencies={norm(k) for k in d["prefix_currencies"]},
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
        one_word_scales={norm(k): float(v) for k, v in d.get("one_word_scales", {}).items()},
        numbers=numbers,
        fractions={norm(k): float(v) for k, v in nw["fractions"].items()},
        hundred={w.lower() for w in nw["hundred"]},
        joiner={w.lower() for w in nw["joiner"]},
        articles={w.lower() for w in nw["articles"]},
        quantity_units={norm(k): tuple(v) for k, v in data["quantities"].items()},
        reference_words=d["reference_words"],
        unit_header_lead=d["unit_header_lead"],
        not_amount_columns=d["not_amount_columns"],
        year_words=d["year_words"],
        year_before_words=d["year_before_words"],
        price_level_words={w.lower() for w in d["price_level_words"]},
        caption_words=d["caption_words"],
        percent_words=d["percent_words"],
    )
    for table, kind in ((lex.qualifiers, "QUAL"), (lex.range_open, "OPEN"), (lex.vague, "VAGUE"),
                        (lex.connectors_after_open, "CONN2"), (lex.connectors, "CONN"),
                        (lex.scales, "SCALE"), (lex.currencies, "CUR"), (lex.units, "UNIT")):
        for w in table:
            lex.kinds[w] = kind
    return lex


@lru_cache(maxsize=4)
def lexicon(lang: str | None) -> Lexicon:
    """The lexicon of a segment language, from the language data."""
    return build(lexicon_data(language_data.code(lang)))
