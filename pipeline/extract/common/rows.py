"""The provenance every extracted row carries, built in one place: where the row's text is
in the cleaned document (start, end), the text, and the sentence it was found in."""
from __future__ import annotations

from spacy.tokens import Doc, Span

from pipeline.document import CELL_SEP


def sentence_of(span: Span) -> Span:
    """The sentence holding `span` (the whole Doc where no sentence boundaries are set)."""
    return span.sent if span.doc.has_annotation("SENT_START") else span.doc[:]


def _row(offset: int, start: int, end: int, text: str, sentence: Span | str) -> dict:
    return {
        "start": offset + start,
        "end": offset + end,
        "text": text,
        "sentence": (sentence if isinstance(sentence, str) else sentence.text).strip(),
    }


def make_row(offset: int, doc: Doc, start: int, end: int, sentence: Span | str) -> dict:
    """Provenance columns for the characters [start, end) of `doc` (Doc-relative offsets) of a
    Doc that starts at `offset` in the cleaned text."""
    return _row(offset, start, end, doc.text[start:end], sentence)


def provenance(offset: int, span: Span) -> dict:
    """The provenance columns of a row found at `span` of a Doc starting at `offset`."""
    return _row(offset, span.start_char, span.end_char, span.text, sentence_of(span))


def cells(text: str) -> list[tuple[int, int, str]]:
    """The cells of a table row's text: (start, end, cell text)."""
    out, pos = [], 0
    for part in text.split(CELL_SEP):
        out.append((pos, pos + len(part), part))
        pos += len(part) + len(CELL_SEP)
    return out
