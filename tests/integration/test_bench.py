"""The benchmark still runs end to end (at N = 20; the full one is `make bench`)."""
import json

import pytest


@pytest.mark.slow
def test_benchmark_runs_at_twenty_documents(tmp_path):
    from bench.run import main

    out = tmp_path / "results.json"
    r = main(["--n", "20", "--out", str(out), "--profile-docs", "5"])
    saved = json.loads(out.read_text())
    keys = ["machine", "date", "commit", "n_docs", "n_words", "bare_nlp_wps", "library_wps", "library_ratio",
            "server_start_s", "cold_s", "warm_s", "changed_1pct_s", "rss_first10pct_mb", "rss_peak_mb",
            "dask_1_wps", "dask_2_wps", "short_doc_wps", "hotspots"]
    for k in keys:
        assert k in saved and saved[k] is not None, k
    assert saved["n_docs"] == r["n_docs"] == 20 and len(saved["hotspots"]) == 5
    assert all(isinstance(saved[k], (int, float)) for k in keys if k not in ("machine", "date", "commit", "hotspots"))


def test_corpus_is_reproducible(tmp_path):
    from bench.run import build_corpus

    a = [p.read_text() for p in build_corpus(5, 3, tmp_path / "a")]
    b = [p.read_text() for p in build_corpus(5, 3, tmp_path / "b")]
    assert a == b and all(len(t) >= 500 for t in a)
