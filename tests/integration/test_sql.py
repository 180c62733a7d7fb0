"""OUT/norextract.duckdb: DuckDB views over latest/, offline; the README's DuckDB snippets run as written."""
import logging
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from pipeline import run, store
from pipeline.store import sql
from pipeline.store.schema import TABLES
from tests.conftest import REPO_ROOT

TEXTS = {
    "a.txt": "Innovasjon Norge får 350 mill. kroner i 2025. Rapporten anbefaler at regjeringen etablerer et nytt senter.",
    "b.txt": "Enova får 2 mrd. kroner. Utvalget foreslår at departementet styrker ordningen.",
    "c.txt": "The report recommends that the government funds Siva with NOK 10 million in 2025.",
}


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A folder laid out as the repo: raw/ and processed/ (one committed run)."""
    root = tmp_path_factory.mktemp("project")
    (root / "raw").mkdir()
    for name, text in TEXTS.items():
        (root / "raw" / name).write_text(text, encoding="utf-8")
    run.run_extraction([str(root / "raw")], root / "processed")
    return root


def offline_env(root: Path) -> dict:
    """No DuckDB extension cached (an empty HOME) and no way to download one (a dead proxy)."""
    home = root / "home"
    home.mkdir(exist_ok=True)
    return {**os.environ, "HOME": str(home), "http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9",
            "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9"}


def python(code: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=offline_env(cwd), capture_output=True, text=True,
                          timeout=120)


def readme_duckdb_snippets() -> tuple[list[str], list[str]]:
    """The README's code blocks that use DuckDB: Python blocks, and the SQL of `duckdb FILE -c "..."` lines."""
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```(\w+)\n(.*?)```", readme, re.S)
    py = [code for lang, code in blocks if lang == "python" and "duckdb" in code]
    shell = [m for lang, code in blocks if lang == "sh" for m in re.findall(r'^duckdb (\S+) -c "(.*)"$', code, re.M)]
    return py, shell


def test_every_run_writes_one_view_per_table_over_latest(project, monkeypatch):
    db = project / "processed" / sql.DB_NAME
    assert db.exists() and not list((project / "processed").glob(f".{sql.DB_NAME}*"))  # renamed into place
    monkeypatch.chdir(project)
    con = duckdb.connect(str(db.relative_to(project)), read_only=True)
    views = {r[0] for r in con.sql("select view_name from duckdb_views() where not internal").fetchall()}
    assert views == set(TABLES)
    for name in TABLES:
        latest = pq.read_table(project / "processed" / "latest" / f"{name}.parquet")
        assert con.sql(f"select count(*) from {name}").fetchall()[0][0] == latest.num_rows, name
    assert con.sql("select count(*) from amounts").fetchall()[0][0] > 0
    # DuckDB 1.x (an older command-line tool) opens it too
    tags = dict(con.sql("select database_name, tags from duckdb_databases()").fetchall())
    assert tags["norextract"]["storage_version"].startswith("v1.0.0")
    con.close()


def test_readme_duckdb_snippets_run_offline(project):
    py, shell = readme_duckdb_snippets()
    assert py and shell, "the README shows DuckDB in Python and on the command line"
    for code in py:
        assert ".show()" in code and "norextract.duckdb" in code and "install" not in code
        r = python(code, project)
        assert r.returncode == 0, r.stderr
        assert "currency" in r.stdout and "NOK" in r.stdout and "│ add " in r.stdout, r.stdout
    for db, query in shell:  # the SQL of each `duckdb FILE -c "..."` line, through the same database file
        cli = shutil.which("duckdb")
        if cli:
            r = subprocess.run([cli, db, "-c", query], cwd=project, env=offline_env(project), capture_output=True,
                               text=True, timeout=120)
        else:
            r = python(f"import duckdb; duckdb.connect({db!r}, read_only=True).sql({query!r}).show()", project)
        assert r.returncode == 0 and "ORG" in r.stdout, r.stderr


def test_the_folder_moves_with_its_parent_and_opens_from_elsewhere_with_file_search_path(project, tmp_path):
    moved = tmp_path / "copy"
    shutil.copytree(project / "processed", moved / "processed", symlinks=True)
    r = python("import duckdb; print(duckdb.connect('processed/norextract.duckdb').sql('select count(*) from documents')"
               ".fetchall()[0][0])", moved)
    assert r.returncode == 0 and r.stdout.strip() == "3", r.stderr
    code = (f"import duckdb; con = duckdb.connect({str(moved / 'processed' / sql.DB_NAME)!r}, "
            f"config={{'file_search_path': {str(moved)!r}}}); print(con.sql('select count(*) from runs').fetchall()[0][0])")
    r = python(code, tmp_path)  # not the parent: file_search_path points there
    assert r.returncode == 0 and r.stdout.strip() == "1", r.stderr


def test_remove_rebuilds_it(project, tmp_path, monkeypatch):
    root = tmp_path / "p"
    shutil.copytree(project, root, symlinks=True)  # this test changes its folder
    run.remove_documents(root / "processed", [str(project / "raw" / "c.txt")])
    monkeypatch.chdir(root)
    con = duckdb.connect("processed/norextract.duckdb", read_only=True)
    assert con.sql("select count(*) from documents").fetchall()[0][0] == 2
    assert con.sql("select mode from runs order by finished_at desc limit 1").fetchall()[0][0] == "remove"
    con.close()


def test_a_failure_to_build_it_is_a_warning_and_the_run_commits(tmp_path, monkeypatch, caplog):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "a.txt").write_text(TEXTS["a.txt"], encoding="utf-8")
    out = tmp_path / "out"
    run.run_extraction([str(tmp_path / "raw")], out)
    before = (out / sql.DB_NAME).stat().st_mtime_ns

    def broken(*args, **kwargs):
        raise duckdb.IOException("disk full")

    monkeypatch.setattr(duckdb, "connect", broken)
    (tmp_path / "raw" / "b.txt").write_text(TEXTS["b.txt"], encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="pipeline.store.sql"):
        s = run.run_extraction([str(tmp_path / "raw")], out)
    assert store.latest_run_id(out) == s.run_id and s.n_documents == 2
    assert any("could not rebuild" in r.getMessage() and "disk full" in r.getMessage() for r in caplog.records)
    assert (out / sql.DB_NAME).stat().st_mtime_ns == before  # the previous file is intact
    assert not list(out.glob(f".{sql.DB_NAME}*"))
