"""Storage and incremental runs, through the Prefect-free runner (pipeline.run)."""
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from deltalake import DeltaTable

from pipeline import run, store
from pipeline.store.schema import TABLES
from tests.conftest import REPO_ROOT, same_rows

TEXT_A = "Innovasjon Norge får 350 mill. kroner. Målet er å øke eksporten til 50 milliarder kroner i 2030."
TEXT_B = "Rapporten anbefaler at regjeringen etablerer et nytt senter. Enova får 2 mrd. kroner."


@pytest.fixture
def inputs(tmp_path):
    d = tmp_path / "raw"
    d.mkdir()
    (d / "a.txt").write_text(TEXT_A, encoding="utf-8")
    (d / "b.txt").write_text(TEXT_B, encoding="utf-8")
    return d


def test_two_runs_two_versions_and_time_travel(inputs, tmp_path):
    out = tmp_path / "out"
    s1 = run.run_extraction([str(inputs)], out)
    (inputs / "c.txt").write_text("Siva får 10 mill. kroner i 2025.", encoding="utf-8")
    s2 = run.run_extraction([str(inputs)], out)
    assert s1.versions["documents"] == 0 and s2.versions["documents"] == 1
    first = DeltaTable(str(out / "documents"), version=0).to_pyarrow_table()
    assert first.num_rows == 2
    assert store.read_table(out, "documents").num_rows == 3
    assert store.read_table(out, "documents", run_id=s1.run_id).num_rows == 2


def test_latest_equals_newest_version(inputs, tmp_path):
    out = tmp_path / "out"
    run.run_extraction([str(inputs)], out)
    s = run.run_extraction([str(inputs)], out)
    for name in TABLES:
        latest = pq.read_table(out / "latest" / f"{name}.parquet")
        assert same_rows(latest, store.read_table(out, name).select(latest.schema.names).cast(latest.schema)), name
    assert set(pq.read_table(out / "latest" / "runs.parquet").column("run_id").to_pylist()) >= {s.run_id}


def test_unchanged_documents_are_not_reprocessed(inputs, tmp_path, monkeypatch):
    out = tmp_path / "out"
    s1 = run.run_extraction([str(inputs)], out)
    assert s1.n_processed == 2 and s1.n_reused == 0
    s2 = run.run_extraction([str(inputs)], out)
    assert s2.n_processed == 0 and s2.n_reused == 2
    for name in ("amounts", "actions", "targets", "organisations"):
        assert s2.rows[name] == s1.rows[name] > 0, name
    (inputs / "b.txt").write_text(TEXT_B + " Siva får 5 mill. kroner.", encoding="utf-8")
    s3 = run.run_extraction([str(inputs)], out)
    assert s3.n_processed == 1 and s3.n_reused == 1
    assert s3.rows["amounts"] == s1.rows["amounts"] + 1


def test_removed_documents_disappear_but_stay_in_history(inputs, tmp_path):
    out = tmp_path / "out"
    s1 = run.run_extraction([str(inputs)], out)
    (inputs / "b.txt").unlink()
    run.run_extraction([str(inputs)], out, sync=True)
    assert store.read_table(out, "documents").column("source").to_pylist() == [str(inputs / "a.txt")]
    assert store.read_table(out, "documents", run_id=s1.run_id).num_rows == 2


def test_crash_before_commit_leaves_previous_version(inputs, tmp_path, monkeypatch):
    out = tmp_path / "out"
    s1 = run.run_extraction([str(inputs)], out)
    before = {n: store.read_table(out, n) for n in TABLES}
    (inputs / "c.txt").write_text("Siva får 10 mill. kroner i 2025.", encoding="utf-8")

    real_write = store.write_deltalake
    calls = {"n": 0}

    def dying_write(path, *args, **kwargs):  # dies after two tables were written
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt("killed mid-commit")
        return real_write(path, *args, **kwargs)

    monkeypatch.setattr(store, "write_deltalake", dying_write)
    with pytest.raises(KeyboardInterrupt):
        run.run_extraction([str(inputs)], out)
    monkeypatch.undo()
    assert store.latest_run_id(out) == s1.run_id
    for name, table in before.items():
        assert same_rows(store.read_table(out, name), table), name
    assert pq.read_table(out / "latest" / "documents.parquet").num_rows == 2
    s3 = run.run_extraction([str(inputs)], out)  # the next run completes
    assert store.latest_run_id(out) == s3.run_id and s3.n_documents == 3


def test_failed_documents_get_error_rows_and_run_goes_on(inputs, tmp_path):
    (inputs / "bin.txt").write_bytes(bytes(range(256)) * 10)
    (inputs / "empty.txt").write_bytes(b"")
    s = run.run_extraction([str(inputs)], tmp_path / "out")
    docs = {Path(r["source"]).name: r for r in store.read_table(tmp_path / "out", "documents").to_pylist()}
    assert docs["bin.txt"]["status"] == "failed" and "binary" in docs["bin.txt"]["error"]
    assert docs["empty.txt"]["status"] == "failed" and docs["empty.txt"]["error"] == "empty file"
    assert docs["a.txt"]["status"] == "ok" and s.n_failed == 2


def test_second_run_on_locked_folder_fails_clearly(inputs, tmp_path):
    out = tmp_path / "out"
    with store.run_lock(out, "run-x"):
        with pytest.raises(store.LockedError, match="locked by run run-x"):
            run.run_extraction([str(inputs)], out)
    run.run_extraction([str(inputs)], out)  # lock released


def test_every_row_has_provenance(inputs, tmp_path):
    out = tmp_path / "out"
    run.run_extraction([str(inputs)], out)
    for name in ("mentions", "amounts", "targets", "actions"):
        for r in store.read_table(out, name).to_pylist():
            assert r["doc_id"] and r["source_rule"] and r["sentence"] and r["run_id"]
            assert 0 <= r["start"] < r["end"]


def test_a_table_left_empty_by_one_run_does_not_break_the_next(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("Innovasjon Norge får 5 mill. kroner i 2025.", encoding="utf-8")  # no targets
    run.run_extraction([str(raw)], tmp_path / "out")
    (raw / "b.txt").write_text("Siva får 2 mill. kroner.", encoding="utf-8")
    s = run.run_extraction([str(raw)], tmp_path / "out")  # carries a.txt forward from empty tables
    assert s.n_reused == 1 and s.n_processed == 1 and s.rows["targets"] == 0


def test_published_is_a_date_column(inputs, tmp_path):
    import pyarrow as pa

    (inputs / "c.txt").write_text("Publisert 5. mars 2024\n\nSiva får 10 mill. kroner i 2025.", encoding="utf-8")
    out = tmp_path / "out"
    run.run_extraction([str(inputs)], out)
    for table in (store.read_table(out, "documents"), pq.read_table(out / "latest" / "documents.parquet")):
        assert table.schema.field("published").type == pa.date32()
        assert date(2024, 3, 5) in table.column("published").to_pylist()


def test_tables_of_an_older_version_are_migrated(inputs, tmp_path, monkeypatch):
    """Tables an earlier version wrote (`published` a string, no `first_mention`): the next run
    writes the new types, and the old version stays readable as it was."""
    from datetime import datetime, timezone

    import pyarrow as pa

    from pipeline.store.schema import AMOUNTS, DOC_TABLES, DOCUMENTS

    old_documents = pa.schema([pa.field("published", pa.string()) if f.name == "published" else f for f in DOCUMENTS])
    old_amounts = pa.schema([f for f in AMOUNTS if f.name != "first_mention"])
    old_run = "20240101T000000Z-00000000"
    tables = {name: schema.empty_table() for name, schema in DOC_TABLES.items()}
    tables["documents"] = pa.Table.from_pylist(
        [{"doc_id": "x", "source": "old.txt", "status": "ok", "published": "2024-11", "run_id": old_run}], old_documents)
    tables["amounts"] = old_amounts.empty_table()
    monkeypatch.setattr(store, "export_latest", lambda out, run_id: None)  # the old version's export is not under test
    now = datetime.now(timezone.utc)
    store.commit(tmp_path / "out", old_run, tables, {"run_id": old_run, "started_at": now, "finished_at": now})
    monkeypatch.undo()
    assert pa.schema(DeltaTable(str(tmp_path / "out" / "documents")).schema().to_arrow()).field("published").type == pa.string()

    run.run_extraction([str(inputs)], tmp_path / "out")
    documents, amounts = (pa.schema(DeltaTable(str(tmp_path / "out" / name)).schema().to_arrow()) for name in ("documents", "amounts"))
    assert documents.field("published").type == pa.date32() and amounts.field("first_mention").type == pa.bool_()
    assert store.read_table(tmp_path / "out", "documents", run_id=old_run).column("published").to_pylist() == ["2024-11"]


def test_rows_of_an_older_version_conform_to_the_schema():
    import pyarrow as pa

    from pipeline.store.schema import AMOUNTS, DOCUMENTS, conform

    docs = pa.RecordBatch.from_pylist([{"doc_id": "a", "published": "2024-11"}, {"doc_id": "b", "published": "2025-02-03"},
                                       {"doc_id": "c", "published": None}])
    out = conform(docs, DOCUMENTS)
    assert out.schema == DOCUMENTS
    assert out.column("published").to_pylist() == [date(2024, 11, 1), date(2025, 2, 3), None]
    amounts = conform(pa.RecordBatch.from_pylist([{"doc_id": "a", "low": 5.0}]), AMOUNTS)
    assert amounts.column("first_mention").to_pylist() == [None] and amounts.column("low").to_pylist() == [5.0]


def test_readme_sums_each_amount_once(tmp_path, monkeypatch):
    """The README's DuckDB total counts an amount repeated in a document once."""
    import re

    import duckdb

    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    query = next(m.group(1) for m in re.finditer(r'\.sql\("([^"]*sum\(low\)[^"]*)"\)', readme))
    assert "where first_mention" in query
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("Enova får 200 millioner kroner\n\nRegjeringen gir Enova 200 millioner kroner. "
                               "Siva får 50 millioner kroner.", encoding="utf-8")
    run.run_extraction([str(raw)], tmp_path / "processed")
    monkeypatch.chdir(tmp_path)  # the README opens the database from the output folder's parent
    con = duckdb.connect("processed/norextract.duckdb", read_only=True)
    assert con.sql(query).fetchall() == [("NOK", 2, 250e6)]


def test_read_table_takes_a_str_path_and_returns_a_pyarrow_table(inputs, tmp_path):
    import pyarrow as pa

    s = run.run_extraction([str(inputs)], tmp_path / "out")
    docs = store.read_table(str(tmp_path / "out"), "documents", run_id=s.run_id)
    assert isinstance(docs, pa.Table) and docs.num_rows == 2
    assert len(docs.to_pandas()) == 2
    assert store.read_table(str(tmp_path / "out"), "runs").num_rows == 1


def test_read_table_names_the_tables_for_an_unknown_one(inputs, tmp_path):
    run.run_extraction([str(inputs)], tmp_path / "out")
    with pytest.raises(KeyError) as e:
        store.read_table(tmp_path / "out", "amount")
    assert isinstance(e.value, store.UnknownTable)
    assert str(e.value) == "no table 'amount'; the tables are: " + ", ".join(TABLES)


def test_read_table_refuses_an_unknown_run_and_lists_the_newest(inputs, tmp_path):
    out = tmp_path / "out"
    with pytest.raises(store.UnknownRun, match="no complete run 'x'.*no complete run yet"):
        store.read_table(out, "documents", run_id="x")
    ids = [run.run_extraction([str(inputs)], out).run_id for _ in range(7)]
    for name in ("documents", "runs"):
        with pytest.raises(store.UnknownRun) as e:
            store.read_table(out, name, run_id="20261125T084311Z-1551e67b")
        message = str(e.value)
        assert "no complete run '20261125T084311Z-1551e67b'" in message and ids[-1] in message
        assert ids[0] not in message and message.count("Z-") == 6  # the five newest, not all of them
    # an old run reads as it was, the runs table too
    assert set(store.read_table(out, "runs", run_id=ids[1]).column("run_id").to_pylist()) == set(ids[:2])


def test_a_run_removed_by_vacuum_says_so_plainly(inputs, tmp_path):
    out = tmp_path / "out"
    old = run.run_extraction([str(inputs)], out)
    (inputs / "c.txt").write_text("Siva får 10 mill. kroner i 2025.", encoding="utf-8")
    run.run_extraction([str(inputs)], out)
    store.vacuum(out, keep_days=0)
    with pytest.raises(store.UnknownRun) as e:
        store.read_table(out, "amounts", run_id=old.run_id)
    assert str(e.value).startswith(f"run {old.run_id}'s files were removed by vacuum")
    assert "\x1b" not in str(e.value) and e.value.__suppress_context__
    assert store.read_table(out, "amounts").num_rows > 0


def test_every_row_table_carries_the_provenance_fields_declared_once():
    from pipeline.store.schema import ACTIONS, AMOUNTS, MENTIONS, PROVENANCE, TARGETS

    for schema in (MENTIONS, AMOUNTS, TARGETS, ACTIONS):
        assert [(name, schema.field(name).type) for name, _ in PROVENANCE] == PROVENANCE
    assert MENTIONS.names[:3] == ["doc_id", "start", "end"]  # CONTRACT.md's order
