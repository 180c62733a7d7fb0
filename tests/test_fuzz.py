"""Property tests: cleaning and every extractor survive arbitrary text (bounded examples in CI;
`HYPOTHESIS_PROFILE=long make test` runs many more, see README "Reliability")."""
import os

from hypothesis import HealthCheck, given, settings, strategies as st

from pipeline.clean import clean
from pipeline.run.process import extract_rows

settings.register_profile("ci", max_examples=60, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=3000, deadline=None, suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# Text that looks like our input: words, numbers, money and list markup, plus any Unicode.
_pieces = st.sampled_from([
    "Innovasjon Norge", "får", "1 500", "mill.", "kroner", "mrd.", "NOK", "€", "10m", "80 - 90 mNOK", "i 2030",
    "Målet er å", "øke", "foreslår", "anbefaler", "bør", "\n", "\n\n", "\t", " • ", "1. ", "<ul>", "</li>", "¹",
    "^{2}", "(DMP)", "Direktoratet for", "....", "|", "–", "%", "prosent", ".", ",", " ",
])
texts = st.one_of(st.text(max_size=400), st.lists(st.one_of(_pieces, st.text(max_size=8)), max_size=60).map("".join))


@given(texts)
def test_cleaning_never_raises_and_is_idempotent(text):
    once = clean(text)
    assert clean(once.text).text == once.text


@given(texts)
def test_segments_map_back_to_their_characters(text):
    ct = clean(text)
    last = 0
    for s in ct.segments:
        assert last <= s.start < s.end <= len(ct.text)
        assert ct.text[s.start:s.end] == ct.text[s.start:s.end].strip()
        last = s.end


@settings(max_examples=40)
@given(texts)
def test_extractors_never_raise_and_offsets_are_inside(analyse_text, text):
    doc = analyse_text(text)
    for table, rows in extract_rows(doc).items():
        for r in rows:
            if "start" in r:
                assert 0 <= r["start"] <= r["end"] <= len(doc.text), table
                if "text" in r and table != "targets":
                    assert doc.text[r["start"]:r["end"]] == r["text"], table
