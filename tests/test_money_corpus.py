"""The money corpus (pipeline/money/corpus/): every case gives exactly its amounts on the real
extraction path; valid schema, at least 300 cases, every category of issue 19 in every language,
negatives in each, and a validator that catches broken cases."""
from __future__ import annotations

from collections import Counter

import pytest

from pipeline.extract import amounts
from pipeline.money.corpus import CATEGORIES, LANGUAGES, agrees, as_parsed, load, passes, problems
from tests.extract.corpus import analyse


def extracted(text: str, lang: str) -> list[dict]:
    """The amounts the pipeline extracts from the text as a document of `lang` (blank pipeline
    with our components), in the corpus's terms."""
    return as_parsed(amounts.extract(analyse(text, lang)))


@pytest.mark.parametrize("lang,case", [pytest.param(lang, case, id=f"{lang}-{i}-{case['category']}")
                                       for lang in LANGUAGES for i, case in enumerate(load(lang))])
def test_corpus_case(lang, case):
    got = extracted(case["text"], lang)
    assert passes(case, got)[0], got


@pytest.mark.parametrize("lang", LANGUAGES)
def test_corpus_follows_the_schema(lang):
    assert problems(load(lang)) == []


def test_corpus_has_at_least_300_cases():
    assert sum(len(load(lang)) for lang in LANGUAGES) >= 300


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_category_in_every_language(lang):
    counts = Counter(case["category"] for case in load(lang))
    assert set(counts) == set(CATEGORIES)
    assert counts["negative"] >= 10


GOOD = {"text": "Det koster 5 kroner.", "category": "word",
        "amounts": [{"text": "5 kroner", "value": 5, "currency": "NOK"}]}


@pytest.mark.parametrize("change,message", [
    ({"category": "prices"}, "category"),
    ({"amounts": []}, "empty exactly for category negative"),
    ({"category": "negative"}, "empty exactly for category negative"),
    ({"amounts": [{"text": "6 kroner", "value": 6, "currency": "NOK"}]}, "not in the text"),
    ({"amounts": [{"text": "5 kroner", "value": 5}]}, "needs text and currency"),
    ({"amounts": [{"text": "5 kroner", "value": "5", "currency": "NOK"}]}, "not a number"),
    ({"amounts": [{"text": "5 kroner", "low": 5, "high": 3, "currency": "NOK"}]}, "below high"),
    ({"amounts": [{"text": "5 kroner", "value": 5, "low": 5, "high": 6, "currency": "NOK"}]}, "give value"),
    ({"amounts": [{"text": "5 kroner", "value": 5, "currency": "KRN"}]}, "ISO 4217"),
    ({"amounts": [{"text": "5 kroner", "value": 5, "currency": None}]}, "ambiguous-currency"),
    ({"amounts": [{"text": "5 kroner", "value": 5, "currency": "NOK", "qualifier": "ambiguous-currency"}]},
     "ambiguous-currency"),
    ({"amounts": [{"text": "5 kroner", "value": 5, "currency": "NOK", "qualifier": "minimum"}]}, "qualifier"),
    ({"amounts": [{"text": "5 kroner", "value": 5, "currency": "NOK", "equivalent_of": 0}]}, "another amount"),
    ({"text": "5 kroner (6 kroner)", "amounts": [{"text": "5 kroner", "value": 5, "currency": "NOK"},
                                                 {"text": "6 kroner", "value": 6, "currency": "NOK", "equivalent_of": 0}]},
     "point to each other"),
    ({"amounts": [{"text": "5 kroner", "value": 5, "currency": "NOK", "per_unit": ""}]}, "per_unit"),
    ({"note": "x"}, "needs exactly"),
])
def test_the_validator_catches_broken_cases(change, message):
    assert problems([GOOD]) == []
    found = problems([{**GOOD, **change}])
    assert found and any(message in p for p in found), found


def test_the_validator_catches_a_repeated_text():
    assert any("new non-empty" in p for p in problems([GOOD, GOOD]))


def test_agreement():
    expected = {"text": "minst 5 kroner per tonn", "value": 5, "currency": "NOK", "qualifier": "min", "per_unit": "tonn"}
    got = {"low": 5.0, "high": 5.0, "currency": "NOK", "qualifier": "min", "per_unit": "tonn", "equivalent_of": None}
    assert agrees(expected, got)
    for change in ({"high": 6.0}, {"currency": "SEK"}, {"qualifier": "max"}, {"per_unit": None}, {"equivalent_of": 0}):
        assert not agrees(expected, {**got, **change})
