"""Currency knowledge from CLDR (through Babel): which ISO 4217 currency a written form names.

`currency_table(lang)` ("nb", "nn" or "en") gives, for one language:
- `codes`: every ISO 4217 code CLDR names ("NOK", "ZAR", also historic ones like "DEM");
  codes are matched case-sensitively (ALL, TOP and TRY are codes as well as English words);
- `forms`: lower-cased surface form -> `CurrencyForm`, built from
  * CLDR's names in the language with their plural forms ("norsk krone", "norske kroner",
    "US dollar", "US dollars", "Swiss francs"),
  * the currency word of each name alone ("kroner", "rand", "yen", "dollars"),
  * standard symbols of the locales in pipeline/lang/common/currencies.yaml ("$", "US$", "A$",
    "zł", "kr", "₹"),
  * nationality adjective + currency word or symbol ("svenske kr", "danske kr.", "japanske
    yen"): the adjective is a CLDR name without its currency word,
  * the language's extra words and, by country, adjectives in pipeline/lang/<lang>/currencies.yaml
    ("kronor", "U.S."; nynorsk: pipeline/lang/nb/currencies-nn.yaml);
  A form several currencies use is ambiguous: its `code` is the language's default from
  pipeline/lang/<lang>/currencies.yaml ("kr" -> NOK in nb/nn, "$" -> USD) or None with qualifier
  "ambiguous-currency" (never guessed as NOK);
- `subunits`: "øre" -> NOK / 100, "cent" -> 1/100 of the amount's own currency (alone: the
  language's `alone` currency, else ambiguous), "pence" -> GBP.
`minor_digits(code)` is the currency's number of decimals (NOK 2, JPY 0, KWD 3);
`country_words(code)` the names and nationality adjectives of its countries ("Norway", "norske").
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale
from babel.core import get_global
from babel.numbers import get_currency_name, get_currency_precision, get_territory_currencies, list_currencies

from pipeline import lang as language_data

LANGUAGES = ("nb", "nn", "en")
AMBIGUOUS = "ambiguous-currency"


@dataclass(frozen=True)
class CurrencyForm:
    code: str | None  # the ISO 4217 code meant; None when ambiguous without a default
    candidates: tuple[str, ...]  # every currency the form can name, sorted
    kind: str  # name | word | symbol | adjective (most specific kind that produced the form)
    qualifier: str | None = None  # "ambiguous-currency" when code is None


@dataclass(frozen=True)
class SubUnit:
    code: str | None  # None: a sub-unit of the amount's own currency ("cent")
    factor: float  # value of one sub-unit in units of its currency
    alone: str | None = None  # the currency a sub-unit of no currency of its own means alone ("50 cents": USD)


@dataclass(frozen=True)
class CurrencyTable:
    lang: str
    codes: frozenset[str]
    forms: dict[str, CurrencyForm]
    subunits: dict[str, SubUnit]

    def resolve(self, surface: str) -> CurrencyForm | None:
        """The currency a surface form names: an upper-case ISO code, or a known form."""
        if (code := surface.strip()) in self.codes:
            return CurrencyForm(code, (code,), "code")
        return self.forms.get(normalise(surface))


def normalise(surface: str) -> str:
    """Lower case, one plain space between words (no-break and thin spaces included)."""
    return re.sub(r"\s+", " ", surface.strip().lower())


def minor_digits(code: str) -> int:
    return get_currency_precision(code)


def _data(name: str) -> dict:
    return language_data.currencies(name)


@lru_cache(maxsize=1)
def current_currencies() -> frozenset[str]:
    """Currencies legal tender somewhere today (CLDR's territory currencies without an end)."""
    return frozenset(code for entries in get_global("territory_currencies").values()
                     for code, _start, end, tender in entries if end is None and tender)


@lru_cache(maxsize=1)
def _symbols() -> dict[str, set[str]]:
    """symbol -> currencies, from the standard symbols of the locales of
    pipeline/lang/common/currencies.yaml."""
    common = _data("common")
    codes = set(list_currencies())
    out: dict[str, set[str]] = defaultdict(set)
    for name in common["symbol_locales"]:
        for code, symbol in Locale.parse(name).currency_symbols.items():
            if symbol not in codes and not (symbol.isalpha() and len(symbol) < common["min_symbol_length"]):
                out[symbol].add(code)
    for code, symbols in common["symbols"].items():
        for symbol in symbols:
            out[symbol].add(code)
    return out


def _split(name: str) -> tuple[str, str] | None:
    """A CLDR name as (adjective, currency word): "svenske kroner" -> ("svenske", "kroner")."""
    if "(" in name or " " not in name:
        return None
    adjective, word = name.rsplit(" ", 1)
    return adjective, word


def _cldr_names(locale: Locale, code: str) -> set[str]:
    """The display name and the plural forms (1 is "one", 2 "other" in nb, nn and en)."""
    if code not in locale.currencies:
        return set()
    return {get_currency_name(code, count, locale) for count in (None, 1, 2)}


@lru_cache(maxsize=len(LANGUAGES))
def currency_table(lang: str) -> CurrencyTable:
    if lang not in LANGUAGES:
        raise ValueError(f"no currency data for language {lang!r} (have {', '.join(LANGUAGES)})")
    data, locale = _data(lang), Locale.parse(lang)
    not_money, current = set(_data("common")["not_money"]), current_currencies()
    codes = frozenset(list_currencies())
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))  # form -> kind -> codes
    words: dict[str, set[str]] = defaultdict(set)  # code -> its currency words
    symbols: dict[str, set[str]] = defaultdict(set)  # code -> its symbols
    adjectives: dict[str, set[str]] = defaultdict(set)

    def add(form: str, kind: str, code: str) -> None:
        found[normalise(form)][kind].add(code)

    for code in sorted(codes - not_money):
        for name in _cldr_names(locale, code):
            add(name, "name", code)
            if parts := _split(name):
                adjectives[code].add(parts[0])
                if code in current:
                    words[code].add(parts[1])
        if code in current and " " not in (name := locale.currencies.get(code, "")) and "(" not in name:
            words[code].add(name)  # "euro"
    for symbol, symbol_codes in _symbols().items():
        for code in symbol_codes - not_money:
            add(symbol, "symbol", code)
            symbols[code].add(symbol)
    for code, extra in data.get("words", {}).items():
        words[code].update(extra)
    for territory, extra in data.get("adjectives", {}).items():
        adjectives[get_territory_currencies(territory)[0]].update(extra)
    ordinary = {normalise(w) for w in data.get("not_currency_words", [])}
    for code in set(words) | set(symbols):
        for word in {w for w in words[code] if normalise(w) not in ordinary}:
            add(word, "word", code)
        lettered = {s for s in symbols[code] if re.fullmatch(r"[^\W\d_]+\.?", s)}  # "kr", "kr."
        for word in words[code] | lettered:
            for adjective in adjectives.get(code, ()):
                add(f"{adjective} {word}", "adjective", code)  # "svenske kr", "Swiss francs"
    defaults = {normalise(form): code for form, code in data.get("defaults", {}).items()}
    forms = {form: _form(form, kinds, defaults) for form, kinds in found.items()}
    subunits = {normalise(w): SubUnit(s["currency"], float(s["factor"]), s.get("alone"))
                for w, s in data["subunits"].items()}
    return CurrencyTable(lang, codes, forms, subunits)


@lru_cache(maxsize=None)
def country_words(code: str) -> frozenset[str]:
    """The words naming a country of a current currency, as CLDR writes them in nb, nn and en:
    its territories ("Norge", "Noreg", "Norway", "Svalbard og Jan Mayen") and the nationality
    adjectives of its names ("norsk", "norske", "Norwegian"). A document naming one country
    settles an ambiguous "crowns" (pipeline/extract/amounts)."""
    territories = [t for t, entries in get_global("territory_currencies").items()
                   if any(c == code and end is None and tender for c, _start, end, tender in entries)]
    out = set()
    for lang in LANGUAGES:
        locale = Locale.parse(lang)
        out.update(locale.territories[t] for t in territories if t in locale.territories)
        out.update(parts[0] for name in _cldr_names(locale, code) if (parts := _split(name)))
    return frozenset(out)


_SPECIFIC = ("name", "adjective", "symbol", "word")  # a CLDR name beats a bare word of another


def _form(form: str, kinds: dict[str, set[str]], defaults: dict[str, str]) -> CurrencyForm:
    kind = next(k for k in _SPECIFIC if k in kinds)
    meant = kinds[kind] if kind in ("name", "adjective") else set().union(*kinds.values())
    candidates = tuple(sorted(set().union(*kinds.values())))
    if len(meant) == 1:
        return CurrencyForm(next(iter(meant)), candidates, kind)
    default = defaults.get(form)
    if default is not None and default not in meant:
        raise ValueError(f"default {default} for {form!r} is not one of its currencies {sorted(meant)}")
    return CurrencyForm(default, candidates, kind, None if default else AMBIGUOUS)
