"""The index page's charts: Vega-Lite specifications rendered to SVG at build time by
vl-convert (Vega and Vega-Lite bundled in the package: nothing is fetched, no JS in the page).

Numbers on the axes and bars are written the Norwegian way (CLDR symbols from Babel).
"""
from __future__ import annotations

from collections import defaultdict

import vl_convert
from babel.numbers import get_decimal_symbol, get_group_symbol

from pipeline.review.layout import LOCALE

VEGA_LITE = "https://vega.github.io/schema/vega-lite/v5.json"  # the schema's name; never fetched
FORMAT_LOCALE = {"decimal": get_decimal_symbol(LOCALE), "thousands": get_group_symbol(LOCALE), "grouping": [3],
                 "currency": ["", "\u00a0kr"]}
NUMBER = ",.3~r"  # three significant digits, grouped: 2 300, 410 000, 4,54
BAR, NO_YEAR = "#4e79a7", "no year"
UNITS = [(1e9, "billion"), (1e6, "million"), (1e3, "thousand")]
# vl-convert measures text with this machine's fonts: DejaVu Sans is wide, so labels measured with it
# fit in the narrower fonts other machines fall back to
FONT = {"font": "DejaVu Sans, Verdana, sans-serif", "axis": {"labelFontSize": 12, "titleFontSize": 12},
        "header": {"labelFontSize": 13, "labelFontWeight": "bold"}, "view": {"stroke": None}}


def render(spec: dict) -> str:
    """A Vega-Lite spec as an inline SVG element (text escaped by Vega's SVG renderer)."""
    svg = vl_convert.vegalite_to_svg({"$schema": VEGA_LITE, "config": FONT, **spec}, format_locale=FORMAT_LOCALE)
    return svg[svg.index("<svg"):]


def _bars_with_values(x: dict, y: dict, text_field: str, horizontal: bool = False) -> list[dict]:
    label = {"type": "text", "dx": 4, "align": "left"} if horizontal else {"type": "text", "dy": -6}
    return [{"mark": {"type": "bar", "color": BAR}, "encoding": {"x": x, "y": y}},
            {"mark": {**label, "fontSize": 11},
             "encoding": {"x": x, "y": y, "text": {"field": text_field, "type": "quantitative", "format": NUMBER}}}]


def _unit(values: list[float]) -> tuple[float, str]:
    top = max(abs(v) for v in values)
    return next(((d, name) for d, name in UNITS if top >= 10 * d), (1, ""))


def _second_of_a_pair(amount: dict) -> bool:
    """Of an amount and its conversion ("NOK 7.5bn ($710m)"), the one written second."""
    other = amount.get("equivalent_of")
    return other is not None and other == other and other < amount.get("start", 0)


def amounts_by_year(amounts: list[dict]) -> str:
    """Sum of the distinct totals (first mentions, no rates, one of a conversion pair; the low end of a range) per year the sentence
    ties them to: in NOK from `value_nok` when the table has it, else one panel per currency.
    Each panel's unit (billion, million) suits its largest bar."""
    in_nok = any("value_nok" in a for a in amounts[:1])
    sums: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))  # currency -> year -> sum
    for a in amounts:
        if a.get("first_mention") is False or a.get("per_unit") or _second_of_a_pair(a):
            continue  # a repeat, a rate (not a total) or the converted form of an amount already summed
        value, currency = a.get("low"), a.get("currency")
        if in_nok:  # rows of an earlier version have no value_nok: NOK amounts are their own
            value, currency = (a["value_nok"], "NOK") if a.get("value_nok") is not None else \
                (value if currency == "NOK" else None, "NOK")
        if value is not None and currency:
            sums[currency][str(a["year"]) if a.get("year") else NO_YEAR] += value
    if not sums:
        return '<p class="muted">No amounts with a currency.</p>'
    values = []
    for currency, by_year in sums.items():
        div, unit = _unit(list(by_year.values()))
        values += [{"year": y, "panel": f"{currency} {unit}".strip(), "sum": v / div} for y, v in by_year.items()]
    years = sorted({v["year"] for v in values}, key=lambda y: (y == NO_YEAR, y))
    x = {"field": "year", "type": "ordinal", "sort": years, "title": None, "axis": {"labelAngle": 0}}
    y = {"field": "sum", "type": "quantitative", "axis": {"format": NUMBER}, "title": None}
    layers = _bars_with_values(x, y, "sum")
    panels = sorted({v["panel"] for v in values}, key=lambda p: (not p.startswith("NOK"), p))
    return render({
        "data": {"values": values}, "columns": 3,
        "facet": {"field": "panel", "type": "nominal", "title": None, "sort": panels},
        "spec": {"width": max(120, 48 * len(years)), "height": 200, "layer": layers},
        "resolve": {"scale": {"y": "independent", "x": "independent"}},
    })


def count_by_name(counts: list[tuple[str, int]], what: str) -> str:
    """Horizontal bars, one per name, most first, with the count at the bar's end."""
    if not counts:
        return f'<p class="muted">No {what}.</p>'
    values = [{"name": n, "count": c} for n, c in counts]
    x = {"field": "count", "type": "quantitative", "title": what, "axis": {"format": "d", "tickMinStep": 1}}
    y = {"field": "name", "type": "nominal", "sort": "-x", "title": None, "axis": {"labelLimit": 300}}
    return render({"data": {"values": values}, "width": 220, "height": {"step": 20},
                   "layer": _bars_with_values(x, y, "count", horizontal=True)})
