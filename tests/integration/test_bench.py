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
            "dask_1_wps", "dask_2_wps", "short_doc_wps", "hotspots", "bare_pipeline", "latency_one_doc_s", "total_s"]
    for k in keys:
        assert k in saved and saved[k] is not None, k
    assert saved["n_docs"] == r["n_docs"] == 20 and len(saved["hotspots"]) == 5
    assert "ner" in saved["bare_pipeline"] and not {"quantity_matcher", "organisation_ruler"} & set(saved["bare_pipeline"])
    assert saved["latency_one_doc_s"]["local"] > 0 and saved["latency_one_doc_s"]["prefect"] > 0
    assert all(isinstance(saved[k], (int, float)) for k in keys
               if k not in ("machine", "date", "commit", "hotspots", "bare_pipeline", "latency_one_doc_s"))


def test_corpus_is_reproducible(tmp_path):
    from bench.run import build_corpus

    a = [p.read_text() for p in build_corpus(5, 3, tmp_path / "a")]
    b = [p.read_text() for p in build_corpus(5, 3, tmp_path / "b")]
    assert a == b and all(len(t) >= 500 for t in a)


RESULTS = {"machine": "Linux x86_64, 2 cores", "date": "2026-12-02T03:00:00+00:00", "commit": "abc1234",
           "command": "python -m bench.run --n 1000", "model": "nb_norne_core_sm 1.1.0; en: en_core_web_sm 3.8.0",
           "n_docs": 1000, "n_words": 485767, "bare_nlp_wps": 4400.4, "bare_nlp_batch_size": 32,
           "bare_pipeline": ["sentencizer", "tok2vec", "tagger", "lemmatizer", "parser", "ner"],
           "bare_ner_model": "nb_norne_sm 0.2.0", "bare_ner_wps": 7700.0, "bare_ner_pipeline": ["tok2vec", "ner"],
           "bare_sample_docs": 100, "bare_sample_wps": 4500.0, "bare_ner_ratio": 1.711,
           "library_wps": 3740.2, "library_ratio": 0.85, "short_doc_wps": 3700.0,
           "long_doc_wps": 3800.0, "long_short_ratio": 1.027, "latency_one_doc_s": {"local": 6.25, "prefect": 17.5,
           "local_cpu": 4.0, "prefect_cpu": 15.2, "doc_chars": 2001, "runs": 3}, "cold_s": 120.0, "warm_s": 3.1, "warm_ratio": 0.026, "total_s": 800.0,
           "hotspots": [{"function": "numpy_ops.pyx:91(gemm)", "seconds": 2.5}],
           "hotspots_ours": [{"function": "pipeline/clean/__init__.py:286(clean)", "seconds": 0.4}]}


def test_readme_block_is_rewritten_from_the_results(tmp_path):
    """The README's Performance block is made from a results dict alone, between its markers;
    the text around them stays as it was, and a second rewrite changes nothing."""
    from bench.run import MARKERS, rewrite_readme, update_readme

    before, after = "# T\n\n## Performance\n\nintro\n\n", "\n\nHow to read it.\n\n## Next\n"
    text = before + MARKERS[0] + "\nold figures: 0.72 of bare\n" + MARKERS[1] + after
    new = rewrite_readme(text, RESULTS)
    assert new.startswith(before + MARKERS[0]) and new.endswith(MARKERS[1] + after)
    assert "old figures" not in new
    for shown in ("`python -m bench.run --n 1000`", "2026-12-02T03:00:00+00:00", "commit abc1234",
                  "nb_norne_core_sm 1.1.0", "4400 words/s (batch 32; sentencizer, tok2vec, tagger, lemmatizer, parser, ner)",
                  "7700 words/s (nb_norne_sm 0.2.0; tok2vec, ner) = 1.71x the bare pipeline's 4500 words/s on the same 100 documents", "3740 words/s = 0.85 of bare", "= 1.03 (goal >= 1.0)",
                  "6.2 s `--engine local`, 17.5 s Prefect (its temporary server); CPU 4.0 / 15.2 s", "3.1 s = 0.026 of cold", "13.3 min",
                  "`pipeline/clean/__init__.py:286(clean)` 0.40 s"):
        assert shown in new, shown
    assert rewrite_readme(new, RESULTS) == new
    results, readme = tmp_path / "results.json", tmp_path / "README.md"
    results.write_text(json.dumps(RESULTS))
    readme.write_text(text)
    update_readme(results, readme)
    assert readme.read_text() == new


def test_readme_without_markers_is_refused():
    from bench.run import rewrite_readme

    with pytest.raises(ValueError, match="markers"):
        rewrite_readme("# README without the Performance markers\n", RESULTS)


def test_the_repository_readme_shows_the_committed_results():
    """README.md's Performance block is what bench/results.json gives (both come from one run)."""
    from bench.run import README, RESULTS as RESULTS_FILE, rewrite_readme

    text = README.read_text(encoding="utf-8")
    assert rewrite_readme(text, json.loads(RESULTS_FILE.read_text(encoding="utf-8"))) == text


def test_the_limit_and_the_library_are_timed_on_the_same_rounds():
    """Every third document of each length class, in rounds; within a round grouped as the product meets them: short or
    medium documents up to 16 together (never mixed), each long one alone; the same seed gives the
    same rounds."""
    from bench.run import LONG_MIN, SHORT_MAX, sample_rounds

    sizes = [600, 2_500, 5_000, 9_000, 60_000, 70_000] * 40
    rounds = sample_rounds(sizes, 3, 7, 16, rounds=5)
    members = [i for groups in rounds for _, m in groups for i in m]
    assert len(rounds) == 5 and len(members) == len(set(members)) == 81  # 27 of each length class's 80
    assert sum(kind == "long" for groups in rounds for kind, _ in groups) == 27
    assert rounds == sample_rounds(sizes, 3, 7, 16, rounds=5)
    for groups in rounds:
        assert {kind for kind, _ in groups} == {"short", "medium", "long"}
        for kind, m in groups:
            assert 1 <= len(m) <= 16 and (kind != "long" or len(m) == 1)
            assert all({"short": sizes[i] <= SHORT_MAX, "medium": SHORT_MAX < sizes[i] < LONG_MIN,
                        "long": sizes[i] >= LONG_MIN}[kind] for i in m)
