"""The language data loader (pipeline/lang): one typed object per language folder."""
from __future__ import annotations

import pytest

from pipeline import lang


@pytest.mark.parametrize("code", ["nb", "en", "common"])
def test_every_theme_file_loads(code):
    data = lang.get(code)
    assert isinstance(data, lang.LanguageData) and data.code == code
    for theme in lang.THEMES:
        assert isinstance(getattr(data, theme), dict)


def test_nynorsk_and_unknown_segments_read_the_norwegian_folder():
    assert lang.get("nn") is lang.get("nb") is lang.get(None) is lang.get("mixed")
    assert lang.code("en") == "en" and lang.code("nn") == "nb"


def test_word_lists_of_every_language_are_read_together():
    stops = lang.union("organisations", "stop_names")
    assert "regjeringen" in stops and "the government" in stops and "nok" in stops


def test_the_change_verbs_are_written_once_and_read_by_every_pattern():
    from pipeline.extract.common.cues import patterns

    nb = lang.get("nb").targets
    verbs = nb["increase_verbs"] + nb["decrease_verbs"]
    change = [p["pattern"][0]["LOWER"]["IN"] for p in patterns("nb", "targets") if p["label"].startswith("change_")]
    assert len(change) == 3 and all(c == verbs for c in change)


def test_the_pipeline_version_hashes_every_language_data_file_and_no_test_corpus():
    from pipeline.run.process import versioned_files

    names = {p.relative_to(lang.HERE).as_posix() for p in lang.files()}
    assert {"nb/money.yaml", "en/money.yaml", "common/organisations.jsonl"} <= names
    hashed = set(versioned_files())
    assert set(lang.files()) <= hashed
    assert not any("corpus" in p.parts for p in hashed)


def test_month_names_date_cues_and_currency_words_are_read_from_the_language_folders():
    from pipeline.money.currencies import currency_table
    from pipeline.read.metadata import MONTHS, published_date

    assert MONTHS["desember"] == 12 and MONTHS["dec"] == 12  # nb/dates.yaml, en/dates.yaml
    assert published_date("Publisert 5. mars 2024\n\nTekst.").isoformat() == "2024-03-05"
    assert "kronane" in lang.currencies("nn")["words"]["NOK"]  # nb/currencies-nn.yaml
    assert lang.currencies("nb") is lang.get("nb").currencies
    assert currency_table("nn").resolve("kronane").code == "NOK"
