"""The quantity component: finds every quantity of a Doc once and stores it in
`doc.spans["quantities"]` (label = kind, the parsed value in `span._.quantity`). Amounts,
targets and actions read these spans; none of them parses text for numbers again."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import srsly
from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.tokens import Doc, Span
from spacy.util import ensure_path

from pipeline.extract.quantities.lexicon import Lexicon, build, lexicon_data
from pipeline.extract.quantities.parse import find

SPANS_KEY = "quantities"

if not Span.has_extension("quantity"):
    Span.set_extension("quantity", default=None)


class QuantityMatcher(Pipe):
    """Marks money, percentages, durations and counts. Its lexicon (the money, number and unit
    words of pipeline/lang) is saved with the pipeline (`to_disk`/`from_disk`)."""

    def __init__(self, nlp: Language, name: str = "quantity_matcher", lang: str = "nb"):
        self.name = name
        self.lang = lang
        self.data = lexicon_data(lang)
        self.lex: Lexicon = build(self.data)

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for start, end, q in find(doc.text, self.lex):
            span = doc.char_span(start, end, label=q.kind, alignment_mode="expand")
            if span is not None:
                span._.quantity = replace(q, chars=(start, end))
                spans.append(span)
        doc.spans[SPANS_KEY] = spans
        return doc

    def to_disk(self, path, *, exclude=tuple()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "lexicon.json", self.data)

    def from_disk(self, path, *, exclude=tuple()) -> "QuantityMatcher":
        self.data = srsly.read_json(Path(path) / "lexicon.json")
        self.lex = build(self.data)
        return self


@Language.factory("quantity_matcher", default_config={"lang": "nb"})
def make_quantity_matcher(nlp: Language, name: str, lang: str):
    return QuantityMatcher(nlp, name, lang)


def quantities(doc: Doc) -> list[Span]:
    """The quantity spans of a Doc (in text order)."""
    return list(doc.spans[SPANS_KEY]) if SPANS_KEY in doc.spans else []


def in_range(doc: Doc, start: int, end: int, kinds: tuple[str, ...] | None = None) -> list[Span]:
    """The quantity spans inside the characters [start, end) of `doc`."""
    return [s for s in quantities(doc) if start <= s.start_char and s.end_char <= end
            and (kinds is None or s.label_ in kinds)]
