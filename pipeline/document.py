"""The analysed document every extractor reads: cleaned text, segments and spaCy Docs."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:  # only annotations: the readers import CELL_SEP without spaCy or the cleaner
    from spacy.tokens import Doc, Span

    from pipeline.clean import CleanText, Segment

# The separator of the cells in a table row's text (the readers and pipeline/clean join cells
# with it; the extractors split table rows on it).
CELL_SEP = " | "


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

