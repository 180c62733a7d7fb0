"""Quantities: the money grammar and the other quantities (percent, durations, counts), run
once per Doc by the `quantity_matcher` component (`doc.spans["quantities"]`).

    lexicon.py    the words of pipeline/lang as one lexicon per segment language
    numbers.py    digits and number words
    grammar.py    atoms -> amounts (qualifiers, ranges, changes, scales, currencies)
    parse.py      implied currency, percentages, durations and counts: `find`, the one entry
    component.py  the spaCy component and the span helpers the extractors read
"""
from pipeline.extract.quantities.component import SPANS_KEY, QuantityMatcher, in_range, quantities
from pipeline.extract.quantities.grammar import Amount, unit_header
from pipeline.extract.quantities.lexicon import lexicon
from pipeline.extract.quantities.numbers import NUMBER_RE, parse_number
from pipeline.extract.quantities.parse import (
    INFERRED, Quantity, parse_amounts, parse_quantities, with_default_currency,
)

__all__ = ["SPANS_KEY", "QuantityMatcher", "in_range", "quantities", "Amount", "unit_header", "lexicon",
           "NUMBER_RE", "parse_number", "INFERRED", "Quantity", "parse_amounts", "parse_quantities",
           "with_default_currency"]
