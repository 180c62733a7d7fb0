import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT


def run_cli(*args, timeout=300):
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=timeout)


def test_help_lists_commands():
    r = run_cli("--help")
    assert r.returncode == 0
    for command in ("extract", "review", "train-model", "evaluate", "evaluate-ner", "vacuum", "info"):
        assert command in r.stdout


def test_extract_local_engine_exits_zero_with_failures(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "ok.txt").write_text("Innovasjon Norge får 350 mill. kroner i 2025.", encoding="utf-8")
    (raw / "bad.txt").write_bytes(b"\x00\x01\x02" * 100)
    r = run_cli("extract", str(raw), "--out", str(tmp_path / "out"), "--engine", "local")
    assert r.returncode == 0, r.stderr
    assert "failed: 1" in r.stdout and "bad.txt" in r.stdout
    assert (tmp_path / "out" / "latest" / "documents.parquet").exists()


def test_evaluate_ner_prints_spacy_scores_as_json(tmp_path):
    import json

    conllu = tmp_path / "tiny.conllu"
    conllu.write_text(
        "# text = Innovasjon Norge gir penger.\n"
        "1\tInnovasjon\t_\t_\t_\t_\t0\t_\t_\tname=B-ORG\n"
        "2\tNorge\t_\t_\t_\t_\t1\t_\t_\tname=I-ORG\n"
        "3\tgir\t_\t_\t_\t_\t0\t_\t_\tname=O\n"
        "4\tpenger\t_\t_\t_\t_\t3\t_\tSpaceAfter=No\tname=O\n"
        "5\t.\t_\t_\t_\t_\t3\t_\t_\tname=O\n\n",
        encoding="utf-8",
    )
    r = run_cli("evaluate-ner", str(conllu), "--json")
    assert r.returncode == 0, r.stderr
    scores = json.loads(r.stdout)
    assert {"ents_p", "ents_r", "ents_f", "ents_per_type"} <= set(scores)


# -- user errors: one line on stderr, exit 2, no traceback (issue 16, findings 5 and 6) ----------

def test_evaluate_prints_every_set_as_json(tmp_path):
    import json

    dev = tmp_path / "norne" / "ud" / "nob" / "no_bokmaal-ud-dev.conllu"
    dev.parent.mkdir(parents=True)
    dev.write_text(
        "# text = Innovasjon Norge gir penger.\n"
        "1\tInnovasjon\t_\t_\t_\t_\t3\t_\t_\tname=B-ORG\n"
        "2\tNorge\t_\t_\t_\t_\t1\t_\t_\tname=I-ORG\n"
        "3\tgir\t_\t_\t_\t_\t0\t_\t_\tname=O\n"
        "4\tpenger\t_\t_\t_\t_\t3\t_\tSpaceAfter=No\tname=O\n"
        "5\t.\t_\t_\t_\t_\t3\t_\t_\tname=O\n\n",
        encoding="utf-8",
    )
    r = run_cli("evaluate", "--norne", str(tmp_path / "norne"), "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert set(out["scores"]) == {"bokmaal_dev"}  # only the files that exist
    assert {"ents_p", "ents_r", "ents_f", "ents_per_type"} <= set(out["scores"]["bokmaal_dev"])
    r = run_cli("evaluate", "--sets", "nonsense")
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1, r.stderr


def _one_line_error(r, code=2):
    assert r.returncode == code, (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr and r.stdout == ""
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr
    return r.stderr.strip()


@pytest.mark.parametrize("args, words", [
    (["extract", "--batch-docs", "0"], "--batch-docs"),
    (["extract", "--batch-docs", "-3"], "--batch-docs"),
    (["extract", "--max-bytes", "-5"], "--max-bytes"),
    (["extract", "--max-bytes", "0"], "--max-bytes"),
    (["extract", "--doc-timeout", "-1"], "--doc-timeout"),
    (["extract", "--wait-lock", "-1"], "--wait-lock"),
    (["extract", "--workers", "0"], "--workers"),
    (["extract", "--batch-docs", "many"], "--batch-docs"),
    (["vacuum", "--keep-days", "-1"], "--keep-days"),
    (["no-such-command"], "invalid choice"),
])
def test_bad_numbers_and_commands_are_one_line_usage_errors(args, words):
    assert words in _one_line_error(run_cli(*args))


def test_out_that_is_a_file_or_cannot_be_written_is_a_usage_error(tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("x")
    assert "is a file" in _one_line_error(run_cli("extract", str(tmp_path), "--out", str(afile), "--engine", "local"))
    # /proc refuses new folders, also to root (a chmod'ed folder would not stop root)
    assert "not a writable folder" in _one_line_error(run_cli("extract", str(tmp_path), "--out", "/proc/norextract-out"))
    assert afile.read_text() == "x"


def test_review_of_a_folder_without_tables_is_an_error(tmp_path):
    msg = _one_line_error(run_cli("review", "--out", str(tmp_path / "nonexistent")))
    assert "no committed run" in msg
    assert not (tmp_path / "nonexistent").exists()


@pytest.mark.parametrize("command", [["extract", "--engine", "local"], ["info"], ["evaluate-ner", "x.conllu"]])
def test_unknown_model_exits_2_listing_the_installed_ones(tmp_path, command):
    import spacy

    r = run_cli(*command, "--model", "nonexistent_model", *(["--out", str(tmp_path / "o")] if command[0] == "extract" else []))
    msg = _one_line_error(r)
    assert "nonexistent_model" in msg and "blank:nb" in msg
    assert all(m in msg for m in spacy.util.get_installed_models())
    assert not (tmp_path / "o").exists()  # refused before anything is written


def test_unexpected_error_is_one_line_exit_1_and_a_traceback_with_verbose(tmp_path):
    missing = str(tmp_path / "missing.conllu")
    msg = _one_line_error(run_cli("evaluate-ner", missing, "--model", "blank:nb"), code=1)
    assert "missing.conllu" in msg and "-v" in msg
    r = run_cli("evaluate-ner", missing, "--model", "blank:nb", "-v")
    assert r.returncode == 1 and "Traceback" in r.stderr


# -- conventions: --version, the console script, --json, -q, NOREXTRACT_OUT (finding 9) --------

def test_version_prints_package_pipeline_and_model():
    from importlib.metadata import version

    r = run_cli("--version")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == f"norextract {version('norextract')}"
    assert lines[1].startswith("pipeline ") and lines[2].startswith("model ")


def test_console_script_in_pyproject_is_the_cli():
    import importlib
    import tomllib

    target = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]["scripts"]["norextract"]
    module, _, function = target.partition(":")
    assert callable(getattr(importlib.import_module(module), function))
    r = subprocess.run([sys.executable, "-c", f"import {module}; {module}.{function}()", "--help"], cwd=REPO_ROOT,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stdout.startswith("usage: norextract"), r.stderr


def _small_raw(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "ok.txt").write_text("Innovasjon Norge får 350 mill. kroner i 2025.", encoding="utf-8")
    (raw / "bad.txt").write_bytes(b"\x00\x01\x02" * 100)
    return raw


def test_json_summary_is_the_only_stdout_and_out_comes_from_the_environment(tmp_path):
    import json
    import os

    raw = _small_raw(tmp_path)
    env = {**os.environ, "NOREXTRACT_OUT": str(tmp_path / "env-out")}
    r = subprocess.run([sys.executable, "-m", "pipeline", "extract", str(raw), "--engine", "local", "--model", "blank:nb",
                        "--json"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=300, env=env)
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout)
    assert len(r.stdout.strip().splitlines()) == 1
    assert s["out"] == str(tmp_path / "env-out") and (tmp_path / "env-out" / "latest" / "documents.parquet").exists()
    assert s["run_id"] and s["n_documents"] == 2 and s["n_failed"] == 1 and s["rows"]["documents"] == 2
    assert set(s["versions"]) >= {"documents", "runs"} and s["seconds"] > 0 and "blank" in s["model"]
    assert s["failures"] == [{"source": str(raw / "bad.txt"), "error": s["failures"][0]["error"]}]
    # per-document lines on stderr when it is not a terminal: the failed one as a warning with its error
    assert "1/2" in r.stderr and "2/2" in r.stderr and f"failed {raw / 'bad.txt'}: " in r.stderr


def test_quiet_prints_only_the_one_line_result(tmp_path):
    raw = _small_raw(tmp_path)
    r = run_cli("extract", str(raw), "--out", str(tmp_path / "out"), "--engine", "local", "--model", "blank:nb", "-q")
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    assert len(r.stdout.strip().splitlines()) == 1
    assert "2 documents" in r.stdout and "1 failed" in r.stdout and str(tmp_path / "out") in r.stdout


@pytest.mark.slow  # a temporary Prefect server and a Dask cluster: 20 s to 2 min
@pytest.mark.flow
def test_prefect_engine_is_quiet_and_times_the_whole_run(tmp_path):
    """Default verbosity on the Prefect engine: no banners, no per-task "Finished in state"
    lines, no Dask chatter; the summary's seconds include the temporary server's start."""
    import json
    import time

    raw = _small_raw(tmp_path)
    t0 = time.monotonic()
    r = run_cli("extract", str(raw), "--out", str(tmp_path / "out"), "--model", "blank:nb", "--workers", "1", "--json")
    wall = time.monotonic() - t0
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout)
    for noise in ("Finished in state", "Starting temporary server", "docs.prefect.io", "INFO distributed",
                  "INFO prefect"):
        assert noise not in r.stderr, r.stderr
    ours = [line for line in r.stderr.splitlines() if " pipeline." in line]
    assert len(ours) == 3 and len(r.stderr.splitlines()) <= 5, r.stderr  # two documents, one rate line
    assert s["seconds"] > 0.6 * wall, (s["seconds"], wall)  # was the commit step's time only


def test_progress_bar_on_a_terminal_for_the_prefect_flow_too(monkeypatch):
    import logging

    from flows.extract import _progress
    from pipeline.run import Progress

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    shown = logging.getLogger("pipeline")
    old = shown.level
    shown.setLevel(logging.INFO)  # as the command line sets it
    try:
        p = _progress(3)
        assert p.bar is not None
        p.close()
    finally:
        shown.setLevel(old)
    quiet = logging.getLogger("tests.quiet")
    quiet.setLevel(logging.ERROR)  # -q: no bar, no lines
    assert Progress(3, logger=quiet).bar is None


@pytest.mark.parametrize("verbosity, level", [(0, "CRITICAL"), (1, "INFO")])
def test_dask_loggers_are_quiet_unless_verbose(verbosity, level):
    """distributed's own default keeps "distributed.client" at WARNING: an interrupted Dask run
    printed "Couldn't gather 1 keys" above the one-line message. Every Dask logger follows -v."""
    code = (
        "import logging\nfrom pipeline.cli import configure_logging\n"
        f"configure_logging({verbosity})\nimport distributed\n"
        "print(*{logging.getLevelName(logging.getLogger(n).getEffectiveLevel()) for n in"
        " ('distributed', 'distributed.client', 'distributed.worker', 'tornado.application')})"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True).stdout
    assert out.split() == [level]
