"""Currency knowledge (pipeline/money/currencies.py): every ISO 4217 currency CLDR names resolves
from its code, its symbol and its nb/en names; the forms of the issue; ambiguity; sub-units."""
from __future__ import annotations

import time
from collections import defaultdict

import pytest
from babel import Locale
from babel.numbers import get_currency_symbol, list_currencies

from pipeline.money import currencies
from pipeline.money.currencies import AMBIGUOUS, currency_table, minor_digits

NOT_MONEY = set(currencies._data("common")["not_money"])
MONEY = sorted(set(list_currencies()) - NOT_MONEY)


def cldr_names(lang: str) -> dict[str, set[str]]:
    """Lower-cased CLDR name (display name and plural forms) -> currencies bearing it."""
    loc, out = Locale.parse(lang), defaultdict(set)
    for code in MONEY:
        plural = loc._data["currency_names_plural"].get(code, {})
        for name in {loc.currencies.get(code), *plural.values()} - {None}:
            out[" ".join(name.lower().split())].add(code)
    return out


NAMES = {lang: cldr_names(lang) for lang in ("nb", "en")}


def resolves_to(form, code: str, shared: bool) -> bool:
    return form is not None and (form.code == code if not shared else code in form.candidates)


@pytest.mark.parametrize("code", MONEY)
def test_every_cldr_currency_resolves_from_code_symbol_and_names(code):
    for lang in ("nb", "nn", "en"):
        assert currency_table(lang).resolve(code).code == code
    for lang in ("nb", "en"):
        table = currency_table(lang)
        symbol = get_currency_symbol(code, lang)
        if symbol != code and symbol not in set(list_currencies()):
            owners = {c for c in MONEY if get_currency_symbol(c, lang) == symbol}
            assert resolves_to(table.resolve(symbol), code, len(owners) > 1), (lang, symbol)
        for name, owners in NAMES[lang].items():
            if code in owners:
                assert resolves_to(table.resolve(name), code, len(owners) > 1), (lang, name)


def test_the_list_is_cldrs():
    assert len(MONEY) > 250 and {"NOK", "ZAR", "INR", "PLN", "DEM"} <= set(MONEY)


@pytest.mark.parametrize("code", sorted(NOT_MONEY & set(list_currencies())))
def test_metals_and_test_codes_resolve_by_code_only(code):
    for lang in ("nb", "en"):
        table = currency_table(lang)
        assert table.resolve(code).code == code
        name = Locale.parse(lang).currencies.get(code)
        assert name is None or table.resolve(name) is None


ISSUE_FORMS = [  # lang, surface, code
    ("nb", "kr", "NOK"), ("nb", "kr.", "NOK"), ("nb", "kroner", "NOK"), ("nb", "Kroner", "NOK"),
    ("nb", "kronor", "SEK"), ("nb", "svenske kr", "SEK"), ("nb", "svenske  kroner", "SEK"),
    ("nb", "danske kr", "DKK"), ("nb", "danske kr.", "DKK"), ("nb", "sveitsiske franc", "CHF"),
    ("nb", "japanske yen", "JPY"), ("nb", "sørafrikanske rand", "ZAR"), ("nb", "euro", "EUR"),
    ("nb", "dollar", "USD"), ("nb", "US-dollar", "USD"), ("nb", "amerikanske dollar", "USD"),
    ("nb", "indiske rupier", "INR"), ("nb", "polske zloty", "PLN"), ("nb", "kinesiske yuan", "CNY"),
    ("nn", "kr", "NOK"), ("nn", "kroner", "NOK"), ("nn", "svenske kronor", "SEK"),
    ("nn", "indiske rupiar", "INR"), ("nn", "sveitsiske franc", "CHF"),
    ("en", "$", "USD"), ("en", "US$", "USD"), ("en", "A$", "AUD"), ("en", "C$", "CAD"),
    ("en", "NZ$", "NZD"), ("en", "HK$", "HKD"), ("en", "€", "EUR"), ("en", "£", "GBP"),
    ("en", "¥", "JPY"), ("en", "zł", "PLN"), ("en", "₹", "INR"), ("en", "CHF", "CHF"),
    ("en", "Swiss francs", "CHF"), ("en", "Swiss franc", "CHF"), ("en", "dollar", "USD"),
    ("en", "dollars", "USD"), ("en", "euros", "EUR"), ("en", "pounds", "GBP"),
    ("en", "Norwegian kroner", "NOK"), ("en", "Swedish kronor", "SEK"), ("en", "kronor", "SEK"),
    ("en", "South African rand", "ZAR"), ("en", "rand", "ZAR"), ("en", "yen", "JPY"),
    ("en", "U.S. dollars", "USD"), ("en", "Danish kr", "DKK"), ("en", "Rs", "INR"),
]


@pytest.mark.parametrize("lang,surface,code", ISSUE_FORMS)
def test_the_issues_forms(lang, surface, code):
    assert currency_table(lang).resolve(surface).code == code


@pytest.mark.parametrize("lang,surface", [
    ("en", "kr"), ("en", "kroner"), ("en", "krone"), ("en", "francs"), ("en", "rupees"),
    ("nb", "franc"), ("nb", "peso"), ("nb", "rupier"), ("nn", "dinar"),
])
def test_ambiguous_forms_are_null_with_a_qualifier(lang, surface):
    form = currency_table(lang).resolve(surface)
    assert form.code is None and form.qualifier == AMBIGUOUS and len(form.candidates) > 1
    assert form.code != "NOK"


@pytest.mark.parametrize("lang,surface", [
    ("nb", "gull"), ("nb", "mark"), ("nb", "som"), ("en", "mark"), ("en", "real"), ("en", "gold"),
    ("en", "all"), ("en", "top"), ("nb", "nok"),  # codes only in capitals
])
def test_ordinary_words_are_not_currencies(lang, surface):
    assert currency_table(lang).resolve(surface) is None


@pytest.mark.parametrize("lang,word,code,factor", [
    ("nb", "øre", "NOK", 0.01), ("nn", "øre", "NOK", 0.01), ("nb", "cent", None, 0.01),
    ("en", "c", None, 0.01), ("en", "cents", None, 0.01), ("en", "pence", "GBP", 0.01),
    ("en", "p", "GBP", 0.01),
])
def test_subunits(lang, word, code, factor):
    sub = currency_table(lang).subunits[word]
    assert (sub.code, sub.factor) == (code, factor)


@pytest.mark.parametrize("code,digits", [("NOK", 2), ("USD", 2), ("JPY", 0), ("KWD", 3)])
def test_minor_digits(code, digits):
    assert minor_digits(code) == digits


def test_builds_fast():
    for lang in ("nb", "nn", "en"):
        currency_table.cache_clear()
        start = time.perf_counter()
        currency_table(lang)
        assert time.perf_counter() - start < 0.5, lang


def test_unknown_language_is_a_clear_error():
    with pytest.raises(ValueError, match="no currency data"):
        currency_table("sv")


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_defaults_settle_ambiguous_forms_only(lang):
    table = currency_table(lang)
    for form, code in currencies._data(lang)["defaults"].items():
        resolved = table.resolve(form)
        assert resolved.code == code and len(resolved.candidates) > 1, form
