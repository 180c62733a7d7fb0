"""The nightly schedule for real: the README's deploy commands, run as written against
`prefect server start` on a free port with a temporary PREFECT_HOME; `flows/extract.py --serve`
with and without a server."""
import json
import os
import re
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from pipeline import store
from tests.conftest import REPO_ROOT

README_PORT = "4200"
DEPLOYMENT = "extract/nightly-extract"


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def readme_commands(marker: str) -> list[str]:
    """The lines of the README's ```sh block that contains `marker`, comments dropped."""
    blocks = re.findall(r"```sh\n(.*?)```", (REPO_ROOT / "README.md").read_text(encoding="utf-8"), re.S)
    block = next(b for b in blocks if marker in b)
    return [line.split("  #")[0].strip() for line in block.splitlines() if line.strip()]


def next_two_am_oslo() -> datetime:
    oslo = ZoneInfo("Europe/Oslo")
    now = datetime.now(oslo)
    day = now.date() if now.hour < 2 else now.date() + timedelta(days=1)
    return datetime(day.year, day.month, day.day, 2, tzinfo=oslo)


class Shell:
    """Runs README lines the way a shell would, from the repository folder: `export` sets the
    environment, a line ending in `&` (and any `long_running` line) starts in the background in
    its own process group; `stop()` ends every process group it started, with bounded waits."""

    def __init__(self, home: Path, port: int):
        self.home, self.port, self.background = home, str(port), []
        self.env = {**os.environ, "PREFECT_HOME": str(home), "PWD": str(REPO_ROOT),
                    "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
        self.env.pop("PREFECT_API_URL", None)
        self.env.pop("PREFECT_PROFILES_PATH", None)

    def _localise(self, line: str) -> str:
        return line.replace(".venv/bin/", f"{Path(sys.executable).parent}/").replace(README_PORT, self.port)

    def run(self, line: str, long_running: bool = False, timeout: float = 120) -> subprocess.CompletedProcess | None:
        line = self._localise(line)
        if line.startswith("export "):
            key, value = line[len("export "):].split("=", 1)
            self.env[key] = value
            return None
        if line.endswith("&") or long_running:
            log = open(self.home / f"bg{len(self.background)}.log", "w")
            self.background.append(subprocess.Popen(["bash", "-c", "exec " + line.rstrip("& ")], cwd=REPO_ROOT,
                                                    env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                                    start_new_session=True))
            return None
        r = subprocess.run(["bash", "-c", line], cwd=REPO_ROOT, env=self.env, capture_output=True, text=True,
                           timeout=timeout)
        assert r.returncode == 0, f"{line}\n{r.stdout}\n{r.stderr}\n{self.logs()}"
        return r

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text()[-3000:]}" for p in sorted(self.home.glob("bg*.log")))

    def stop(self) -> None:
        for p in self.background:
            _signal_group(p.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for p in self.background:
            try:
                p.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(p.pid, signal.SIGKILL)
                p.wait(10)
        assert wait_until(lambda: not processes_with_home(self.home), 15), processes_with_home(self.home)


def _signal_group(pid: int, sig: int) -> None:
    try:
        os.killpg(pid, sig)
    except ProcessLookupError:
        pass


def processes_with_home(home: Path) -> list[str]:
    """Command lines of live processes whose PREFECT_HOME is `home` (ours, and their children)."""
    import psutil

    found = []
    for p in psutil.process_iter(["cmdline"]):
        try:
            if p.environ().get("PREFECT_HOME") == str(home) and p.status() != psutil.STATUS_ZOMBIE:
                found.append(" ".join(p.info["cmdline"] or []))
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            pass
    return found


def wait_until(condition, timeout: float, every: float = 1.0):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(every)


def read_flow_runs(api_url: str, flow_run_id: str | None = None):
    """The deployment's flow runs (or one flow run) as the server's API reports them."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterName
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: api_url}), get_client(sync_client=True) as client:
        if flow_run_id:
            return client.read_flow_run(flow_run_id)
        name = DEPLOYMENT.split("/")[1]
        return client.read_flow_runs(deployment_filter=DeploymentFilter(name=DeploymentFilterName(any_=[name])))


def scheduled_starts(api_url: str) -> list[datetime]:
    return sorted(r.expected_start_time for r in read_flow_runs(api_url) if r.state and r.state.is_scheduled()
                  and r.expected_start_time > datetime.now(ZoneInfo("UTC")) + timedelta(minutes=1))


@pytest.fixture
def shell(tmp_path):
    home = tmp_path / "prefect-home"
    home.mkdir()
    sh = Shell(home, free_port())
    yield sh
    sh.stop()


@pytest.mark.slow
def test_nightly_schedule_fires_and_adhoc_run_completes_with_readme_commands(shell, tmp_path):
    inputs, out = tmp_path / "new", tmp_path / "out"
    inputs.mkdir()
    (inputs / "a.txt").write_text("Innovasjon Norge får 350 mill. kroner i 2025.", encoding="utf-8")
    (inputs / "b.txt").write_text("Enova skal bruke 2 mrd. kroner. Målet er å kutte utslippene med 55 prosent "
                                  "innen 2030.", encoding="utf-8")
    commands = readme_commands("prefect deploy")
    assert commands[-1].startswith(".venv/bin/prefect worker start")  # the worker runs until stopped
    for line in commands:
        shell.run(line, long_running=line is commands[-1])
    api_url = shell.env["PREFECT_API_URL"]
    assert shell.port in api_url

    # the scheduler creates the next 02:00 Europe/Oslo run, with the deployment's parameters
    starts = wait_until(lambda: scheduled_starts(api_url), 90)
    assert starts, f"no scheduled run\n{shell.logs()}"
    assert starts[0] == next_two_am_oslo()
    assert all(s.astimezone(ZoneInfo("Europe/Oslo")).hour == 2 for s in starts)

    # an ad hoc run of the deployment on other documents, as the README gives it
    adhoc = readme_commands("prefect deployment run")[0]
    adhoc = adhoc.replace("""'["new/"]'""", f"'{json.dumps([str(inputs)])}'").replace("out=processed", f"out={out}")
    r = shell.run(adhoc)
    flow_run_id = re.search(r"UUID: ([0-9a-f-]{36})", r.stdout).group(1)
    state = wait_until(lambda: (s := read_flow_runs(api_url, flow_run_id).state) and s.is_final() and s, 180, 2)
    assert state and state.is_completed(), f"{state}\n{shell.logs()}"
    documents = store.read_table(out, "documents")
    assert sorted(Path(p).name for p in documents.column("source").to_pylist()) == ["a.txt", "b.txt"]
    assert store.read_table(out, "amounts").num_rows >= 2


def test_serve_without_a_server_says_what_to_run(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", "PREFECT_PROFILES_PATH")}
    env["PREFECT_HOME"] = str(tmp_path)
    started = time.monotonic()
    r = subprocess.run([sys.executable, "flows/extract.py", "--serve"], cwd=REPO_ROOT, env=env, capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "prefect server start" in lines[0] and "PREFECT_API_URL" in lines[0], r.stderr
    assert r.stdout == "" and time.monotonic() - started < 60


@pytest.mark.slow
def test_serve_with_a_server_schedules_the_nightly_run(shell):
    commands = readme_commands("prefect deploy")
    server_lines = commands[: next(i for i, line in enumerate(commands) if "/api/health" in line) + 1]
    assert any("prefect server start" in line for line in server_lines)
    for line in server_lines:  # the server, as the README starts it
        shell.run(line)
    serve = ".venv/bin/python flows/extract.py --serve"
    assert f"`{serve}`" in (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    shell.run(serve, long_running=True)
    starts = wait_until(lambda: scheduled_starts(shell.env["PREFECT_API_URL"]), 120)
    assert starts and starts[0] == next_two_am_oslo(), shell.logs()
