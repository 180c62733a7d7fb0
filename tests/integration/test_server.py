"""A run's temporary Prefect server ends with the run, however the run ends (flows/server.py)."""
import os
import signal
import subprocess
import sys
import time

import psutil
import pytest

from tests.conftest import REPO_ROOT


def servers_of(pid: int) -> list[psutil.Process]:
    try:
        children = psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    return [c for c in children if "uvicorn" in " ".join(c.cmdline())]


def alive(p: psutil.Process) -> bool:
    try:
        return p.is_running() and p.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGKILL, signal.SIGTERM])
def test_a_killed_run_takes_its_temporary_server_down(tmp_path, stop):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / "a.txt").write_text("Innovasjon Norge får 350 mill. kroner i 2025.", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", "PREFECT_PROFILES_PATH")}
    env.update(PREFECT_HOME=str(tmp_path / "prefect-home"), PIPELINE_PAUSE_AT="after-batch:120",
               PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="120")  # a busy machine, a new database
    run = subprocess.Popen([sys.executable, "-m", "pipeline", "extract", str(raw), "--out", str(out)], cwd=REPO_ROOT,
                           env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    servers = []
    try:
        deadline = time.monotonic() + 180
        while not (out / ".lock").exists():  # the flow runs: its temporary server is up
            assert time.monotonic() < deadline and run.poll() is None, "the run never started its flow"
            time.sleep(0.5)
        servers = servers_of(run.pid)
        assert len(servers) == 1
        run.send_signal(stop)  # neither runs Prefect's atexit hook that stops the server
        run.wait(30)
        deadline = time.monotonic() + 5
        while alive(servers[0]) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not alive(servers[0]), "the temporary server outlived its run"
    finally:
        for p in servers:
            if alive(p):
                p.kill()
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
            run.wait(10)
