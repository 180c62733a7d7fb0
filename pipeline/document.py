"""The analysed document every extractor reads: cleaned text, segments and spaCy Docs."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Iterator

from spacy.tokens import Doc, Span

from pipeline.clean import CleanText, Segment


@dataclass
class AnalysedDocument:
    doc_id: str
    clean: CleanText
    parts: list[tuple[int, Segment, Doc]]  # (offset of the Doc in the cleaned text, segment, Doc)
    title: str | None = None
    source: str | None = None
    published: date | None = None  # the publication date the document states (metadata.published_date)
    meta: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.clean.text

    @property
    def language(self) -> str:
        return self.clean.language

    def spans(self, key: str) -> Iterator[tuple[int, Segment, Span]]:
        """Every span our components stored under `doc.spans[key]`, with its Doc's offset."""
        for offset, seg, doc in self.parts:
            if key in doc.spans:
                for span in doc.spans[key]:
                    yield offset, seg, span


def provenance(offset: int, span: Span) -> dict:
    """The provenance columns of a row found at `span` of a Doc starting at `offset`."""
    sent = span.sent if span.doc.has_annotation("SENT_START") else span.doc[:]
    return {
        "start": offset + span.start_char,
        "end": offset + span.end_char,
        "text": span.text,
        "sentence": sent.text.strip(),
    }
