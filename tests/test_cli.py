import subprocess
import sys

from tests.conftest import REPO_ROOT


def run_cli(*args, timeout=300):
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=timeout)


def test_help_lists_commands():
    r = run_cli("--help")
    assert r.returncode == 0
    for command in ("extract", "vacuum", "info"):
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
