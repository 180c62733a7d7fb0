"""One test for every extractor's corpus (pipeline/extract/<extractor>/corpus/<lang>.yaml):
each text, on a blank pipeline of its language with our components, gives exactly the rows
the corpus states (the fields in corpus.FIELDS); a case with `rows: []` gives none."""
from __future__ import annotations

import pytest

from tests.extract.corpus import FIELDS, cases, corpus_files, rows

CASES = list(cases())


def test_every_extractor_has_a_corpus_per_language():
    found = {(p.parent.parent.name, p.stem) for p in corpus_files()}
    assert found >= {(x, lang) for x in FIELDS for lang in ("nb", "en")}


@pytest.mark.parametrize("extractor,lang,case", [pytest.param(x, lang, c, id=f"{x}-{lang}-{i}") for x, lang, i, c in CASES])
def test_corpus_case(extractor, lang, case):
    assert rows(extractor, case["text"], lang) == case["rows"]
