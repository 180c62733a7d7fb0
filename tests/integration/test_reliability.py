"""Crashes, concurrent runs, retention and time limits: nothing committed is ever lost."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from deltalake import DeltaTable

from pipeline import run, store
from pipeline.store.schema import DOC_TABLES, TABLES
from tests.conftest import REPO_ROOT, same_rows

DOCS = {
    "a.txt": "Innovasjon Norge får 350 mill. kroner. Målet er å øke eksporten til 50 milliarder kroner i 2030.",
    "b.txt": "Rapporten anbefaler at regjeringen etablerer et nytt senter. Enova får 2 mrd. kroner.",
    "c.txt": "Siva skal bruke 10 mill. kroner i 2025. Virkemiddelapparatet foreslår en ny ordning.",
}


def make_inputs(root: Path, extra: dict | None = None) -> Path:
    raw = root / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    for name, text in {**DOCS, **(extra or {})}.items():
        (raw / name).write_text(text, encoding="utf-8")
    return raw


def cli(*args, env=None, wait=True, timeout=300):
    cmd = [sys.executable, "-m", "pipeline", "extract", *args, "--engine", "local", "--batch-docs", "1"]
    full_env = {**os.environ, **(env or {})}
    if not wait:
        return subprocess.Popen(cmd, cwd=REPO_ROOT, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
    return subprocess.run(cmd, cwd=REPO_ROOT, env=full_env, capture_output=True, text=True, timeout=timeout)


def assert_consistent(out: Path) -> str | None:
    """Every table reads; all tables hold a version of the newest complete run; latest/ is
    exactly one committed run's tables. Returns that run id."""
    for name in TABLES:
        if (out / name).exists():
            DeltaTable(str(out / name)).to_pyarrow_table()
    run_id = store.latest_run_id(out)
    if run_id is None:
        return None
    for name in DOC_TABLES:
        assert store.table_version(out, name, run_id) is not None, name
    latest_run = os.readlink(out / "latest").rsplit("/", 1)[-1]
    committed = set(store.read_table(out, "runs").column("run_id").to_pylist())
    assert latest_run in committed
    for name in DOC_TABLES:
        latest = pq.read_table(out / "latest" / f"{name}.parquet")
        committed_rows = store.read_table(out, name, latest_run).select(latest.schema.names).cast(latest.schema)
        assert same_rows(latest, committed_rows), name
    return run_id


def assert_no_debris(out: Path):
    assert [p.name for p in (out / ".latest").iterdir()] == [os.readlink(out / "latest").rsplit("/", 1)[-1]]
    assert not list(out.glob(".latest.*.link"))


KILL_POINTS = ["after-batch", "after-table:documents", "after-table:amounts", "after-table:texts",
               "after-table:organisation_registry", "after-runs",
               "export:amounts", "before-link-swap"]


@pytest.mark.slow
@pytest.mark.parametrize("point", KILL_POINTS)
def test_kill_nine_anywhere_loses_nothing(tmp_path, point):
    raw = make_inputs(tmp_path)
    out = tmp_path / "out"
    first = cli(str(raw), "--out", str(out))
    assert first.returncode == 0, first.stderr
    committed = assert_consistent(out)
    (raw / "d.txt").write_text("Enova får 3 mrd. kroner i 2026.", encoding="utf-8")
    killed = cli(str(raw), "--out", str(out), env={"PIPELINE_KILL_AT": point})
    assert killed.returncode == -signal.SIGKILL
    after = assert_consistent(out)
    if point not in ("after-runs", "export:amounts", "before-link-swap"):
        assert after == committed  # the killed run never became visible
    again = cli(str(raw), "--out", str(out))
    assert again.returncode == 0, again.stderr
    final = assert_consistent(out)
    assert final != committed and store.read_table(out, "documents").num_rows == 4
    assert_no_debris(out)


def start_run_holding_the_lock(raw: Path, out: Path, pause_s: float) -> subprocess.Popen:
    """A CLI run that pauses `pause_s` seconds after its first batch; returns once it holds the lock."""
    run_ = cli(str(raw), "--out", str(out), env={"PIPELINE_PAUSE_AT": f"after-batch:{pause_s}"}, wait=False)
    deadline = time.monotonic() + 120
    while not ((out / ".lock").exists() and (out / ".lock").read_text()):
        assert time.monotonic() < deadline and run_.poll() is None, "the first run never took the lock"
        time.sleep(0.2)
    return run_


@pytest.mark.slow
def test_second_run_waits_or_fails_clearly_and_stale_lock_is_taken_over(tmp_path):
    raw = make_inputs(tmp_path)
    out = tmp_path / "out"
    first = start_run_holding_the_lock(raw, out, 30)
    second = cli(str(raw), "--out", str(out))
    assert second.returncode == 3 and "locked by run" in second.stderr and "since" in second.stderr
    first.send_signal(signal.SIGKILL)  # the holder dies: its lock goes with it
    first.wait(30)
    third = cli(str(raw), "--out", str(out))
    assert third.returncode == 0, third.stderr
    assert_consistent(out)


@pytest.mark.slow
def test_second_run_can_wait_for_the_first(tmp_path):
    raw = make_inputs(tmp_path)
    out = tmp_path / "out"
    first = start_run_holding_the_lock(raw, out, 3)
    second = cli(str(raw), "--out", str(out), "--wait-lock", "120")
    assert first.wait(120) == 0 and second.returncode == 0, second.stderr
    runs = sorted(store.read_table(out, "runs").to_pylist(), key=lambda r: r["finished_at"])
    assert [r["n_reused"] for r in runs] == [0, 3]


@pytest.mark.slow
def test_fifty_cli_runs_all_exit_zero(tmp_path):
    raw = make_inputs(tmp_path)
    codes = [cli(str(raw), "--out", str(tmp_path / "out")).returncode for _ in range(50)]
    assert codes == [0] * 50
    assert store.read_table(tmp_path / "out", "runs").num_rows == 50


def test_vacuum_removes_old_versions_only_when_asked(tmp_path):
    raw = make_inputs(tmp_path)
    out = tmp_path / "out"
    for i in range(3):
        (raw / "x.txt").write_text(f"Siva får {i + 1} mill. kroner.", encoding="utf-8")
        run.run_extraction([str(raw)], out)
    assert DeltaTable(str(out / "amounts"), version=0).to_pyarrow_table().num_rows > 0  # history kept
    removed = store.vacuum(out, keep_days=0)
    assert removed["amounts"] >= 2
    assert store.read_table(out, "amounts").num_rows > 0  # the newest version is intact
    with pytest.raises(Exception):
        DeltaTable(str(out / "amounts"), version=0).to_pyarrow_table()


def test_slow_document_times_out_and_the_batch_goes_on(tmp_path, monkeypatch):
    from pipeline.extract import amounts

    real = amounts.extract

    def slow(document):
        if "SAKTE" in document.text:
            time.sleep(30)
        return real(document)

    monkeypatch.setattr(amounts, "extract", slow)
    raw = make_inputs(tmp_path, {"slow.txt": "SAKTE dokument om 5 mill. kroner."})
    s = run.run_extraction([str(raw)], tmp_path / "out", batch_docs=10, timeout_s=1)
    docs = {Path(r["source"]).name: r for r in store.read_table(tmp_path / "out", "documents").to_pylist()}
    assert docs["slow.txt"]["status"] == "failed" and docs["slow.txt"]["error"].startswith("timeout")
    assert all(docs[n]["status"] == "ok" for n in DOCS) and s.n_failed == 1


def test_two_hundred_megabyte_file_is_refused_without_reading(tmp_path):
    raw = make_inputs(tmp_path)
    big = raw / "huge.txt"
    with open(big, "wb") as f:  # sparse: no 200 MB written to disk
        f.truncate(200 * 1024 * 1024)
    run.run_extraction([str(raw)], tmp_path / "out")
    docs = {Path(r["source"]).name: r for r in store.read_table(tmp_path / "out", "documents").to_pylist()}
    assert docs["huge.txt"]["status"] == "failed" and docs["huge.txt"]["error"].startswith("too large")


@pytest.mark.slow
def test_five_megabyte_single_line_is_processed(tmp_path):
    raw = make_inputs(tmp_path, {"line.txt": "Innovasjon Norge får 5 mill. kroner i 2025, sier Siva. " * 90_000})
    # a blank model: this measures our cleaning, segmentation and extractors, not the NER model
    s = run.run_extraction([str(raw)], tmp_path / "out", model="blank:nb", timeout_s=None)
    docs = {Path(r["source"]).name: r for r in store.read_table(tmp_path / "out", "documents").to_pylist()}
    assert docs["line.txt"]["status"] == "ok", docs["line.txt"]["error"]
    assert s.rows["amounts"] >= 90_000


@pytest.mark.slow
def test_two_million_character_report_is_processed(tmp_path):
    paragraph = ("Virkemiddelapparatet anbefaler at regjeringen setter av 80 - 90 mNOK til et nytt senter. "
                 "Målet er å øke eksporten til 50 milliarder kroner innen 2030.\n\n")
    raw = make_inputs(tmp_path, {"report.txt": paragraph * (2_000_000 // len(paragraph) + 1)})
    run.run_extraction([str(raw)], tmp_path / "out", model="blank:nb", timeout_s=None)
    docs = {Path(r["source"]).name: r for r in store.read_table(tmp_path / "out", "documents").to_pylist()}
    assert docs["report.txt"]["status"] == "ok" and docs["report.txt"]["n_chars"] > 2_000_000
