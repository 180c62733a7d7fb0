"""Amounts in table cells whose unit a header or caption above them gives: "(i 1 000 kr)" makes
the cell "947 136" NOK 947 136 000; "(salg i mrd. dollar)" makes "14,4" USD 14.4 billion."""
from __future__ import annotations

import re

from pipeline.document import AnalysedDocument
from pipeline.extract.amounts.rows import amount_row
from pipeline.extract.common.rows import cells
from pipeline.extract.common.years import YEAR_IN_CELL, is_year
from pipeline.extract.quantities import NUMBER_RE, Amount, lexicon, parse_number, quantities, unit_header
from pipeline.extract.quantities.grammar import mask, money
from pipeline.extract.quantities.lexicon import Lexicon, alt, norm
from pipeline.extract.quantities.numbers import SP

MAX_TABLE_ROWS = 80


def _ends_in_number(text: str, lex: Lexicon) -> bool:
    """A table row that lost its cell separators (PDF text): "Post 70 Basiskostnader 168 500"."""
    return len(text) <= 400 and re.search(rf"(?<![\w.,]){NUMBER_RE}\s*$", mask(text, lex)) is not None


def _cells(text: str, is_table: bool) -> list[tuple[int, int, str]]:
    return cells(text) if is_table else [(0, len(text), text)]


def _cell_numbers(cell: str, lex: Lexicon, whole_cell: bool) -> list[tuple[int, int, float, float, str | None]]:
    """Numbers in a cell that a unit header applies to: (start, end, low, high, qualifier)."""
    lang = lex.lang
    if whole_cell:
        quals = alt(lex.qualifiers)
        m = re.fullmatch(rf"\s*(?:(?P<q>{quals})\s+)?(?P<a>{NUMBER_RE})(?:\s*[-–]\s*(?P<b>{NUMBER_RE}))?\s*", cell, re.I)
        if not m or m["a"].startswith("0") or (is_year(m["a"]) and not m["b"]):
            return []
        low = parse_number(m["a"], lang)
        high = parse_number(m["b"], lang) if m["b"] else low
        if low == 0 or high < low:
            return []
        q = lex.qualifiers.get(norm(m["q"])) if m["q"] else None
        return [(m.start("q") if m["q"] else m.start("a"), m.end("b") if m["b"] else m.end("a"), low, high, q)]
    out = []
    masked = mask(cell, lex)
    for m in re.finditer(rf"(?<![\w.,]){NUMBER_RE}", masked):
        t = m.group()
        after = masked[m.end() : m.end() + 12]
        if t.startswith("0") or is_year(t) or lex.percent_after_re.match(after):
            continue
        if re.match(r"[.)]", after) or masked[max(0, m.start() - 1) : m.start()] == "(":
            continue  # "(2)", "1." page and list numbers
        if not re.search(SP, t) and masked[m.end():].strip():
            continue  # in a row without cell separators only grouped numbers and the last one
        v = parse_number(t, lang)
        out.append((m.start(), m.end(), v, v, None))
    return out


def table_amounts(document: AnalysedDocument) -> list[dict]:
    """Amounts in table cells whose unit is given by a header or caption above them. The header
    applies to the rows that follow it, until a segment that is not row-like (prose)."""
    rows = []
    unit = None  # (multiplier, currency, column or None)
    n_rows = 0
    columns: list[str] = []  # the table's column headers, once seen
    # cells are too short to tell their language: their numbers are read as the document writes them
    lex = lexicon("en" if document.language == "en" else "nb")
    for offset, seg, doc in document.parts:
        text = doc.text
        is_table = seg.kind == "table_row"
        header = None
        if is_table:
            for col, (_, _, cell) in enumerate(_cells(text, True)):
                h = unit_header(cell, lex)
                if h:
                    header = (h[0], h[1], col)
                    columns = [c for _, _, c in _cells(text, True)]
                    break
        else:
            h = unit_header(text, lex)
            if h:
                header = (h[0], h[1], None)
                columns = []
        if header:
            unit, n_rows = header, 0
            continue
        if unit is None:
            continue
        row = seg.kind == "table_row" or _ends_in_number(text, lex)
        # a column-header line right below the unit header may carry no number; anything
        # else that is not a row (prose, a new caption) ends the table
        if not row and (n_rows > 0 or len(text) > 120 or lex.caption_re.match(text)) or n_rows >= MAX_TABLE_ROWS:
            unit = None
            continue
        n_rows += 1
        mult, currency, column = unit
        stated = [(s.start_char, s.end_char) for s in quantities(doc) if s.label_ == "money"]
        cells = _cells(text, is_table)
        if is_table and not columns and not any(_cell_numbers(c, lex, True) for _, _, c in cells):
            columns = [c for _, _, c in cells]  # the column-header row
            continue
        for col, (cs, ce, cell) in enumerate(cells):
            if column is not None and col != column:
                continue
            if is_table and col == 0 and len(cells) > 1:
                continue  # the row's label or number
            head = columns[col] if is_table and col < len(columns) else ""
            if lex.not_amount_column_re.search(head):
                continue  # "Post", "Antall", "Andel (%)", "År"
            head_year = YEAR_IN_CELL.search(head)
            for s, e, low, high, q in _cell_numbers(cell, lex, whole_cell=is_table):
                s, e = cs + s, cs + e
                if any(a < e and s < b for a, b in stated):
                    continue
                span = doc.char_span(s, e, alignment_mode="expand")
                if span is None:
                    continue
                amount = Amount(money(low * mult), money(low * mult), money(high * mult), currency, q, "table_header")
                rows.append(amount_row(offset, span, amount, int(head_year.group(1)) if head_year else None))
    return rows
