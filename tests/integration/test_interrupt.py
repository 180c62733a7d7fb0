"""Ctrl-C and SIGTERM during `extract` (issue 16, finding 4): one line, exit 130, within seconds;
the previous run stays the tables' content and the staged batches are reused by the next run."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from pipeline import run, store
from tests.conftest import REPO_ROOT, same_rows

TEXT = "Innovasjon Norge får {n} mill. kroner i 2025. Regjeringen vil styrke eksporten med {n} prosent."


def make_raw(root: Path, n: int) -> Path:
    raw = root / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (raw / f"doc{i:02d}.txt").write_text(TEXT.format(n=i + 1), encoding="utf-8")
    return raw


def start(raw: Path, out: Path, pause_at: str, *args: str) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "pipeline", "extract", str(raw), "--out", str(out), "--model", "blank:nb",
           "--batch-docs", "2", "-q", *args]
    env = {**os.environ, "PIPELINE_PAUSE_AT": pause_at}
    return subprocess.Popen(cmd, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)  # its own process group, as in a terminal


def wait_for(proc: subprocess.Popen, condition, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the run never got there"
        time.sleep(0.1)


def interrupt(proc: subprocess.Popen, signum: int) -> tuple[str, str, float]:
    """Ctrl-C in a terminal sends SIGINT to the whole process group (the temporary Prefect server
    too); a scheduler sends SIGTERM to the process."""
    sent = time.monotonic()
    if signum == signal.SIGINT:
        os.killpg(proc.pid, signum)
    else:
        proc.send_signal(signum)
    stdout, stderr = proc.communicate(timeout=60)
    return stdout, stderr, time.monotonic() - sent


def committed_state(out: Path):
    return store.latest_run_id(out), store.read_table(out, "documents"), os.readlink(out / "latest")


def interrupted_run_keeps_the_tables(tmp_path: Path, signum: int, *args: str) -> dict[str, psutil.Process]:
    """Returns the processes the run had started (a Prefect server, ...) by command line, to check they are gone."""
    raw = make_raw(tmp_path, 3)
    out = tmp_path / "out"
    run.run_extraction([str(raw)], out, model="blank:nb", timeout_s=None)  # the previous version
    before = committed_state(out)
    make_raw(tmp_path, 12)  # nine new documents: five batches of two

    proc = start(raw, out, "after-batch:120", *args)
    wait_for(proc, lambda: run.staged_batches(out) >= 1)
    children = {" ".join(p.cmdline()): p for p in psutil.Process(proc.pid).children(recursive=True)}
    stdout, stderr, seconds = interrupt(proc, signum)

    assert proc.returncode == 130, stderr
    staged = run.staged_batches(out)  # 1 in this process; Prefect's task thread may have staged more
    assert stderr.strip().splitlines() == [f"interrupted; nothing committed; {staged} staged batches kept for the next run"]
    assert stdout == "" and seconds < 10, seconds
    assert staged >= 1 and (staged == 1 or "local" not in args)
    after = committed_state(out)
    assert after[0] == before[0] and after[2] == before[2] and same_rows(after[1], before[1])

    run.run_extraction([str(raw)], out, model="blank:nb", batch_docs=2, timeout_s=None)  # the next run
    assert store.read_table(out, "documents").num_rows == 12 and run.staged_batches(out) == 0
    return children


@pytest.mark.parametrize("signum", [signal.SIGINT, pytest.param(signal.SIGTERM, marks=pytest.mark.slow)])
def test_interrupted_local_run_stops_at_once_with_one_line(tmp_path, signum):
    interrupted_run_keeps_the_tables(tmp_path, signum, "--engine", "local")


@pytest.mark.slow  # starts a temporary Prefect server: 20 s to 2 min on a busy machine
@pytest.mark.flow
@pytest.mark.parametrize("signum, args", [(signal.SIGINT, ()), (signal.SIGTERM, ()), (signal.SIGINT, ("--workers", "1"))])
def test_interrupted_prefect_run_stops_at_once_and_leaves_no_process(tmp_path, signum, args):
    children = interrupted_run_keeps_the_tables(tmp_path, signum, *args)
    assert any("prefect.server.api.server" in cmdline for cmdline in children)  # its temporary server
    assert [cmdline for cmdline, p in children.items() if p.is_running() and p.status() != psutil.STATUS_ZOMBIE] == []


def test_interrupt_during_the_commit_lets_it_finish_and_says_so(tmp_path):
    raw = make_raw(tmp_path, 3)
    out = tmp_path / "out"
    proc = start(raw, out, "after-runs:5", "--engine", "local")  # pauses inside the commit
    wait_for(proc, lambda: store.latest_run_id(out) is not None)
    stdout, stderr, seconds = interrupt(proc, signal.SIGINT)
    assert proc.returncode == 130, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("interrupted after the commit"), stderr
    run_id = store.latest_run_id(out)
    assert os.readlink(out / "latest").endswith(run_id)  # the commit was finished, latest/ swapped
    assert store.read_table(out, "documents").num_rows == 3 and run.staged_batches(out) == 0


def test_second_interrupt_during_the_commit_stops_at_once(tmp_path):
    raw = make_raw(tmp_path, 3)
    out = tmp_path / "out"
    proc = start(raw, out, "after-runs:120", "--engine", "local")
    wait_for(proc, lambda: store.latest_run_id(out) is not None)
    proc.send_signal(signal.SIGINT)
    time.sleep(1)
    assert proc.poll() is None  # waits for the commit
    stdout, stderr, seconds = interrupt(proc, signal.SIGINT)
    assert proc.returncode == 130 and seconds < 10
    assert stderr.strip().splitlines() == ["interrupted twice during the commit; the next run completes or redoes it"]
    run.run_extraction([str(raw)], out, model="blank:nb", timeout_s=None)
    assert store.read_table(out, "documents").num_rows == 3 and os.readlink(out / "latest").endswith(store.latest_run_id(out))
