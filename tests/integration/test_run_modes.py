"""Run modes (add/update, sync), the guards before a commit, `remove`, and the run summary's counts."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from pipeline import run, store
from pipeline.review import page_name
from pipeline.store.schema import TABLES
from tests.conftest import REPO_ROOT

TEXTS = {
    "a.txt": "Innovasjon Norge får 350 mill. kroner i 2025.",
    "b.txt": "Rapporten anbefaler at regjeringen etablerer et nytt senter. Enova får 2 mrd. kroner.",
    "c.txt": "Siva skal bruke 10 mill. kroner i 2025.",
}


def write(folder: Path, names=None, texts=TEXTS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names or texts:
        (folder / name).write_text(texts[name], encoding="utf-8")
    return folder


def sources(out: Path) -> set[str]:
    return {Path(s).name for s in store.read_table(out, "documents").column("source").to_pylist()}


def pages(out: Path) -> set[str]:
    return {p.name for p in (out / "review").glob("doc-*.html")}


def snapshot(out: Path) -> dict:
    """Everything a refused run must leave as it was: table versions, latest/, review site, SQL views."""
    files = [out / "latest", out / "review" / "index.html", out / "norextract.duckdb"]
    return {"versions": {n: store.table_version(out, n, store.latest_run_id(out)) for n in TABLES},
            "run": store.latest_run_id(out), "latest": os.readlink(out / "latest"), "pages": pages(out),
            "mtimes": [f.stat().st_mtime_ns for f in files]}


def cli(*args):
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=REPO_ROOT, capture_output=True, text=True,
                          timeout=300)


@pytest.fixture
def first(tmp_path):
    """A committed run on a.txt and b.txt."""
    raw = write(tmp_path / "raw", ["a.txt", "b.txt"])
    out = tmp_path / "out"
    run.run_extraction([str(raw)], out)
    return raw, out


def test_add_mode_adds_new_documents_and_keeps_the_others(first, tmp_path):
    raw, out = first
    new = write(tmp_path / "new", ["c.txt"])
    s = run.run_extraction([str(new)], out)
    assert s.mode == "add" and (s.n_processed, s.n_kept, s.n_reused, s.n_removed) == (1, 2, 0, 0)
    assert s.n_documents == 3 and sources(out) == {"a.txt", "b.txt", "c.txt"}
    assert len(pages(out)) == 3
    row = [r for r in store.read_table(out, "runs").to_pylist() if r["run_id"] == s.run_id][0]
    assert (row["mode"], row["n_kept"], row["n_documents"]) == ("add", 2, 3)
    kept = store.read_table(out, "amounts").column("doc_id").to_pylist()
    assert len(set(kept)) == 3  # the kept documents' rows are carried forward too


def test_add_mode_refreshes_a_path_given_again_with_new_bytes(first):
    raw, out = first
    old_ids = {r["source"]: r["doc_id"] for r in store.read_table(out, "documents").to_pylist()}
    (raw / "a.txt").write_text("Innovasjon Norge får 400 mill. kroner i 2026.", encoding="utf-8")
    s = run.run_extraction([str(raw / "a.txt")], out)
    assert (s.n_processed, s.n_kept, s.n_removed, s.n_documents) == (1, 1, 0, 2)
    docs = {r["source"]: r["doc_id"] for r in store.read_table(out, "documents").to_pylist()}
    assert docs[str(raw / "a.txt")] != old_ids[str(raw / "a.txt")]  # replaced, not added beside the old one
    assert docs[str(raw / "b.txt")] == old_ids[str(raw / "b.txt")]
    assert sorted(store.read_table(out, "amounts").column("low").to_pylist()) == [400e6, 2e9]


def test_add_mode_keeps_a_file_deleted_from_a_given_folder_and_sync_drops_it(first, tmp_path):
    raw, out = first
    write(raw, ["c.txt"])
    (raw / "b.txt").unlink()
    s = run.run_extraction([str(raw)], out)
    assert sources(out) == {"a.txt", "b.txt", "c.txt"} and s.n_kept == 1 and s.n_reused == 1
    s = run.run_extraction([str(raw)], out, sync=True)
    assert s.mode == "sync" and sources(out) == {"a.txt", "c.txt"}
    assert (s.n_removed, s.n_kept, s.n_reused, s.n_documents) == (1, 0, 2, 2)
    assert len(pages(out)) == 2  # the review site dropped b's page


def test_a_moved_file_keeps_its_rows_and_takes_its_new_path_in_both_modes(first, tmp_path):
    raw, out = first
    moved = tmp_path / "moved"
    moved.mkdir()
    os.rename(raw / "b.txt", moved / "b.txt")
    s = run.run_extraction([str(raw), str(moved)], out, sync=True)
    assert (s.n_processed, s.n_reused, s.n_removed) == (0, 2, 0)
    assert str(moved / "b.txt") in store.read_table(out, "documents").column("source").to_pylist()


def test_make_run_and_the_nightly_deployment_sync():
    assert "extract raw --out processed --sync" in (REPO_ROOT / "Makefile").read_text()
    deployment = yaml.safe_load((REPO_ROOT / "flows" / "prefect.yaml").read_text())["deployments"][0]
    assert deployment["parameters"]["sync"] is True
    import inspect

    from flows.extract import extract_flow

    assert inspect.signature(extract_flow.fn).parameters["sync"].default is False


def test_help_explains_both_modes():
    r = cli("extract", "--help")
    assert r.returncode == 0
    text = " ".join(r.stdout.split())
    for words in ("add/update (default)", "--sync", "every other document of the newest version is kept",
                  "documents gone from them disappear", "--allow-empty", "--force"):
        assert words in text, words
    assert "remove" in cli("--help").stdout


# Guards: nothing is committed, the review site and the SQL views are untouched, exit 2.

def test_a_path_that_does_not_exist_is_refused(first, tmp_path):
    raw, out = first
    before = snapshot(out)
    for sync in (False, True):
        with pytest.raises(run.RunRefused, match="input not found: .*typo"):
            run.run_extraction([str(raw), str(tmp_path / "typo")], out, sync=sync)
    assert snapshot(out) == before


def test_an_empty_sync_is_refused_unless_allowed(first, tmp_path):
    raw, out = first
    empty = tmp_path / "share"
    empty.mkdir()
    before = snapshot(out)
    with pytest.raises(run.RunRefused, match="no documents under .*--allow-empty"):
        run.run_extraction([str(empty)], out, sync=True)
    assert snapshot(out) == before
    s = run.run_extraction([str(empty)], out, sync=True, allow_empty=True)
    assert s.n_documents == 0 and s.n_removed == 2 and store.read_table(out, "documents").num_rows == 0
    assert pages(out) == set()


def test_a_sync_dropping_more_than_half_is_refused_unless_forced(tmp_path):
    raw = write(tmp_path / "raw")
    out = tmp_path / "out"
    run.run_extraction([str(raw)], out)
    before = snapshot(out)
    with pytest.raises(run.RunRefused, match="remove 2 of the 3 documents.*--force"):
        run.run_extraction([str(raw / "a.txt")], out, sync=True)
    assert snapshot(out) == before
    s = run.run_extraction([str(raw / "a.txt"), str(raw / "b.txt")], out, sync=True)  # one of three: fine
    assert s.n_removed == 1
    s = run.run_extraction([str(raw / "c.txt")], out, sync=True, force=True)  # two of two, forced
    assert sources(out) == {"c.txt"} and s.n_removed == 2


def test_the_command_line_exits_2_with_one_line_for_each_guard(first, tmp_path):
    raw, out = first
    (tmp_path / "empty").mkdir()
    before = snapshot(out)
    for args, words in [((str(tmp_path / "typo"),), "input not found"),
                        ((str(tmp_path / "empty"), "--sync"), "--allow-empty"),
                        ((str(write(tmp_path / "c", ["c.txt"])), "--sync"), "--force")]:
        for engine in ("local", "prefect"):  # the prefect engine checks before it starts a server
            r = cli("extract", *args, "--out", str(out), "--engine", engine)
            assert r.returncode == 2, (args, engine, r.stderr)
            assert r.stderr.strip().count("\n") == 0 and r.stderr.startswith("error: ") and words in r.stderr
    assert snapshot(out) == before


# remove

def test_remove_by_path_id_and_prefix_commits_a_version_and_drops_pages(tmp_path):
    raw = write(tmp_path / "raw")
    (raw / "sub").mkdir()
    (raw / "sub" / "d.txt").write_text("Enova får 3 mrd. kroner i 2026.", encoding="utf-8")
    out = tmp_path / "out"
    first = run.run_extraction([str(raw)], out)
    ids = {Path(r["source"]).name: r["doc_id"] for r in store.read_table(out, "documents").to_pylist()}
    s = run.remove_documents(out, [str(raw / "a.txt"), ids["b.txt"][:10]])
    assert sources(out) == {"c.txt", "d.txt"} and s.mode == "remove" and s.n_removed == 2 and s.n_documents == 2
    assert s.versions["documents"] == first.versions["documents"] + 1
    assert page_name(ids["a.txt"]) not in pages(out) and page_name(ids["c.txt"]) in pages(out)
    assert ids["a.txt"] not in store.read_table(out, "amounts").column("doc_id").to_pylist()
    row = [r for r in store.read_table(out, "runs").to_pylist() if r["run_id"] == s.run_id][0]
    assert row["mode"] == "remove" and row["n_removed"] == 2 and row["n_processed"] == 0
    assert store.read_table(out, "documents", run_id=first.run_id).num_rows == 4  # history keeps them
    run.remove_documents(out, [ids["c.txt"], str(raw / "sub")])  # a full id; a folder: all under it
    assert sources(out) == set() and pages(out) == set()


def test_remove_refuses_unknown_or_ambiguous_names_and_changes_nothing(first, tmp_path):
    raw, out = first
    before = snapshot(out)
    with pytest.raises(run.RunRefused, match="no document 'nope'"):
        run.remove_documents(out, [str(raw / "a.txt"), "nope"])
    with pytest.raises(run.RunRefused, match="no document"):
        run.remove_documents(out, [store.read_table(out, "documents").column("doc_id")[0].as_py()[:3]])  # too short
    with pytest.raises(run.RunRefused, match="no complete run"):
        run.remove_documents(tmp_path / "empty-out", ["x"])
    assert snapshot(out) == before
    r = cli("remove", "--out", str(out), "nope")
    assert r.returncode == 2 and r.stderr.startswith("error: no document 'nope'")
    r = cli("remove", "--out", str(out), str(raw / "b.txt"))
    assert r.returncode == 0, r.stderr
    assert "removed 1 documents" in r.stdout and sources(out) == {"a.txt"}


# Summary counts

def test_runs_row_count_is_in_the_summary(first, tmp_path):
    raw, out = first
    s = run.run_extraction([str(raw)], out)
    assert s.rows["runs"] == 2
    from flows.extract import summary_markdown

    assert "| runs | 2 |" in summary_markdown(s)


def test_staged_batches_of_a_half_finished_run_are_reused_not_processed(tmp_path):
    raw = write(tmp_path / "raw")
    out = tmp_path / "out"
    plan = run.plan_run([str(raw)], out)
    run.process_batch(plan.batches(1)[0], str(out), plan.pipeline_version)  # a run that died after one batch
    s = run.run_extraction([str(raw)], out, batch_docs=1)
    assert (s.n_staged_batches, s.n_staged, s.n_processed, s.n_documents) == (1, 1, 2, 3)
    assert store.read_table(out, "runs").to_pylist()[0]["n_staged"] == 1


def test_batches_come_largest_first_and_keep_their_documents_together(tmp_path):
    """On several Dask workers the last batch to finish should be a small one: the plan gives its
    batches largest first (bytes), each batch still the same consecutive documents."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for i, n in enumerate([1, 1, 9, 9, 3, 3]):
        (raw / f"d{i}.txt").write_text(f"Dokument {i}. " + "Regjeringen foreslår tiltak. " * 20 * n, encoding="utf-8")
    plan = run.plan_run([str(raw)], tmp_path / "out")
    batches = plan.batches(2)
    assert [[Path(p).name for p, *_ in b] for b in batches] == [["d2.txt", "d3.txt"], ["d4.txt", "d5.txt"],
                                                                 ["d0.txt", "d1.txt"]]
    assert sorted(e for b in batches for e in b) == sorted(plan.to_process)
