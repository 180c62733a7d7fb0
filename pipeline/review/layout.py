"""The pieces every review page shares: the page shell (inline CSS and JS, a content security
policy without network access), sortable tables and Norwegian number formatting.

Every value that reaches a page goes through `html.escape` here, or is a `Raw` cell built by the
caller from escaped parts.
"""
from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.numbers import format_decimal

HERE = Path(__file__).parent
LOCALE = "nb"  # numbers as Norwegian analysts write them: 2 500 000 000 and 0,25

# Column types: how a column's cells are shown and sorted (review.js reads data-type).
TEXT, LONG, NUM, YEAR, DATE = "text", "long", "num", "year", "date"


NAV = '<nav class="top"><a href="index.html">All documents</a><a href="organisations.html">Organisations</a></nav>'


@dataclass(frozen=True)
class Col:
    name: str
    type: str = TEXT  # TEXT, LONG (clamped to three lines, full text on hover or click), NUM, YEAR, DATE


class Raw(str):
    """A table cell's content that is already HTML (built by the caller from escaped parts)."""


@dataclass(frozen=True)
class Cell:
    """A cell shown as `shown` (HTML, escaped by the caller) and sorted by `key`."""
    shown: Raw
    key: object = None


def number(v) -> str:
    """2500000000.0 -> '2 500 000 000' (no-break spaces), 0.25 -> '0,25'; None -> ''."""
    return "" if v is None else format_decimal(v, locale=LOCALE)


def money(v, currency: str | None) -> str:
    """2500000000.0, 'NOK' -> '2 500 000 000 NOK'."""
    return "" if v is None else f"{number(v)}\u00a0{currency or '?'}"


def _td(col: Col, value) -> str:
    if isinstance(value, Cell):
        key = "" if value.key is None else html.escape(str(value.key))
        return f'<td class="{col.type}" data-sort="{key}">{value.shown}</td>'
    if isinstance(value, Raw):
        return f'<td class="{col.type}">{value}</td>'
    if value is None or value == "":
        return f'<td class="{col.type}" data-sort=""></td>'
    if col.type == NUM:
        return f'<td class="num" data-sort="{value!r}">{html.escape(number(value))}</td>'
    if col.type == DATE and isinstance(value, (dt.date, dt.datetime)):
        return f'<td class="date">{html.escape(value.isoformat()[:10])}</td>'
    text = html.escape(str(value))
    if col.type == LONG:
        return f'<td class="long"><div class="clamp" title="{text}">{text}</div></td>'
    return f'<td class="{col.type}">{text}</td>'


def table(cols: list[Col], rows: list[list], row_ids: list[str] | None = None,
          row_attrs: list[str] | None = None, table_id: str = "") -> str:
    """A sortable table: a click on a header sorts by that column (numbers as numbers, dates as
    dates, empty cells last), a second click reverses. `row_attrs`: extra attributes per row,
    already escaped."""
    head = "".join(f'<th scope="col" data-type="{c.type}">{html.escape(c.name).replace("_", "_<wbr>")}</th>'
                   for c in cols)  # a long column name may wrap after an underscore
    body = []
    for n, r in enumerate(rows):
        rid = f' id="{html.escape(row_ids[n])}"' if row_ids else ""
        extra = f" {row_attrs[n]}" if row_attrs else ""
        body.append(f"<tr{rid}{extra}>{''.join(_td(c, v) for c, v in zip(cols, r))}</tr>")
    tid = f' id="{html.escape(table_id)}"' if table_id else ""
    return f'<table class="sortable"{tid}><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def link(href: str, text: str) -> str:
    return f'<a href="{html.escape(href)}">{html.escape(text)}</a>'


@cache
def _assets() -> tuple[str, str]:
    return (HERE / "review.css").read_text(encoding="utf-8"), (HERE / "review.js").read_text(encoding="utf-8")


def page(title: str, body: str) -> str:
    """A complete page: inline CSS and JS, and a content security policy that allows no network
    access (nothing is fetched: no fonts, scripts or images from elsewhere)."""
    css, js = _assets()
    return (
        '<!DOCTYPE html>\n<html lang="nb"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title>"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        "script-src 'unsafe-inline'; img-src data:\">"
        f"<style>{css}</style></head><body>{body}<script>{js}</script></body></html>"
    )
