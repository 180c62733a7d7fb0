"""Storage: versioned Delta Lake tables plus plain-Parquet `latest/` exports (CONTRACT.md).

Commit protocol (one run):
1. every document table (documents, mentions, organisations, amounts, targets, actions) and the
   organisation_registry are overwritten with the run's full content, one new Delta version each,
   its commit metadata carrying the run_id;
2. the run's row is appended to `runs`: this commit marks the run as complete;
3. `latest/` is replaced in one step (a symlink swapped atomically to a folder of Parquet files);
   then `norextract.duckdb`, DuckDB views over `latest/`, is rebuilt (pipeline/store/sql.py).
A run that dies before (2) is not complete: `read_table` reads every table at the version
written by the newest run in `runs`, so readers never mix runs, and the next run overwrites
what the dead one left. Concurrent runs on one folder are serialised by `run_lock`.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import fcntl
import gc
import json
import os
import shutil
import signal
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from typing import Iterator

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq
from deltalake import CommitProperties, DeltaTable, write_deltalake

from pipeline.store.schema import RUNS, TABLES, to_table
from pipeline.store.sql import write_views

LATEST = "latest"
_LATEST_DIR = ".latest"
_LOCK = ".lock"


try:  # glibc's malloc_trim: give freed heap pages back to the OS (absent on macOS, musl)
    _MALLOC_TRIM = ctypes.CDLL(ctypes.util.find_library("c")).malloc_trim
except (AttributeError, OSError, TypeError):
    _MALLOC_TRIM = None


def release_memory() -> None:
    """Return memory that Arrow and delta-rs freed to the operating system. Their allocators
    keep it for reuse, so without this a run's RSS grows with every table it writes."""
    pa.default_memory_pool().release_unused()
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


def checkpoint(point: str) -> None:
    """Crash-test hook at a named point of a run. With PIPELINE_KILL_AT=<point> the process
    kills itself (SIGKILL) here, as a reboot or `kill -9` would; with
    PIPELINE_PAUSE_AT=<point>:<seconds> it sleeps here. Does nothing otherwise."""
    if os.environ.get("PIPELINE_KILL_AT") == point:
        os.kill(os.getpid(), signal.SIGKILL)
    pause = os.environ.get("PIPELINE_PAUSE_AT", "")
    if pause.rpartition(":")[0] == point:
        time.sleep(float(pause.rpartition(":")[2]))


class LockedError(RuntimeError):
    """Another run holds the output folder."""


@contextmanager
def run_lock(out: Path, run_id: str, wait_s: float = 0.0):
    """Hold the output folder for one run. The lock is an OS file lock, released by the kernel
    when the process dies, so a killed run never leaves a stale lock behind."""
    out.mkdir(parents=True, exist_ok=True)
    fd = os.open(out / _LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + wait_s
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 4096, 0).decode("utf-8", "replace")
                    try:
                        info = json.loads(holder)
                        msg = f"locked by run {info['run_id']} (pid {info['pid']}) since {info['since']}"
                    except (ValueError, KeyError):
                        msg = "locked by another run"
                    raise LockedError(f"{out}: {msg}") from None
                time.sleep(0.5)
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({"run_id": run_id, "pid": os.getpid(),
                                  "since": datetime.now(timezone.utc).isoformat(timespec="seconds")}).encode(), 0)
        yield
    finally:
        try:
            os.ftruncate(fd, 0)
        except OSError:
            pass
        os.close(fd)  # closing releases the lock


def _table_path(out: Path, name: str) -> Path:
    return out / name


def _exists(out: Path, name: str) -> bool:
    return DeltaTable.is_deltatable(str(_table_path(out, name)))


def committed_runs(out: Path) -> pa.Table | None:
    """The `runs` table (complete runs only), or None before the first run."""
    if not _exists(out, "runs"):
        return None
    return DeltaTable(str(_table_path(out, "runs"))).to_pyarrow_table()


def latest_run_id(out: Path) -> str | None:
    runs = committed_runs(out)
    if runs is None or runs.num_rows == 0:
        return None
    finished = runs.column("finished_at").to_pylist()
    return runs.column("run_id")[max(range(len(finished)), key=finished.__getitem__)].as_py()


def table_version(out: Path, name: str, run_id: str) -> int | None:
    """The version of table `name` that run `run_id` wrote."""
    if not _exists(out, name):
        return None
    for entry in DeltaTable(str(_table_path(out, name))).history():
        if entry.get("run_id") == run_id:
            return entry["version"]
    return None


class UnknownTable(KeyError):
    """A table name that is not one of the tables (a KeyError, as before, with a readable message)."""

    def __str__(self) -> str:
        return str(self.args[0])


class UnknownRun(LookupError):
    """A run id that is not a complete run of the folder, or a run whose files vacuum removed."""


def _run_ids_newest_first(runs: pa.Table | None) -> list[str]:
    if runs is None:
        return []
    rows = sorted(runs.select(["run_id", "finished_at"]).to_pylist(), key=lambda r: r["finished_at"], reverse=True)
    return [r["run_id"] for r in rows]


def _check_run(out: Path, runs: pa.Table | None, run_id: str) -> None:
    ids = _run_ids_newest_first(runs)
    if run_id not in ids:
        known = f"the newest: {', '.join(ids[:5])}" if ids else "it has no complete run yet"
        raise UnknownRun(f"no complete run {run_id!r} in {out} ({known}; all are in the runs table)")


def read_table(out: Path | str, name: str, run_id: str | None = None, columns: list[str] | None = None,
               doc_ids: set[str] | None = None) -> pa.Table:
    """Table `name` (a pyarrow Table) as written by `run_id` (default: the newest complete run);
    empty before the first run. Readers use this so that they never mix two runs' tables.
    `columns` and `doc_ids` read only those columns, and only the rows of those documents.
    Raises UnknownTable for a name that is not a table, UnknownRun for a run id that is not a
    complete run of `out` or whose files were removed by `vacuum`."""
    out = Path(out)
    if name not in TABLES:
        raise UnknownTable(f"no table {name!r}; the tables are: {', '.join(TABLES)}")
    schema = TABLES[name]
    runs = committed_runs(out) if run_id is not None or name == "runs" else None
    if run_id is not None:
        _check_run(out, runs, run_id)
    if name == "runs":
        table = runs if runs is not None else schema.empty_table()
        if run_id is not None:  # the runs as they stood when run_id committed
            then = [r for r in table.to_pylist() if r["run_id"] == run_id][0]["finished_at"]
            table = table.filter(pc.less_equal(table.column("finished_at"), pa.scalar(then, table.schema.field("finished_at").type)))
        return table.select(columns) if columns else table
    run_id = run_id or latest_run_id(out)
    version = table_version(out, name, run_id) if run_id else None
    if version is None:
        return schema.empty_table().select(columns or schema.names)
    try:
        dt = DeltaTable(str(_table_path(out, name)), version=version)
        if columns is None and doc_ids is None:
            return dt.to_pyarrow_table()
        rows = None if doc_ids is None else pc.field("doc_id").isin(pa.array(sorted(doc_ids), pa.string()))
        return dt.to_pyarrow_dataset().to_table(columns=columns, filter=rows)
    except FileNotFoundError:  # delta-rs' message carries terminal colour codes: say it plainly
        raise UnknownRun(f"run {run_id}'s files were removed by vacuum (table {name}, version {version}); "
                         f"only runs newer than the vacuum's --keep-days can be read") from None


def previous_documents(out: Path) -> dict[str, dict]:
    """doc_id -> documents row of the newest complete run."""
    return {r["doc_id"]: r for r in read_table(out, "documents").to_pylist()}


def read_texts(out: Path, run_id: str | None = None) -> dict[str, str]:
    """doc_id -> cleaned text, for the newest complete run (or `run_id`)."""
    t = read_table(out, "texts", run_id)
    return dict(zip(t.column("doc_id").to_pylist(), t.column("text").to_pylist()))


def carried_batches(out: Path, name: str, doc_ids: set[str]) -> Iterator[pa.RecordBatch]:
    """The newest complete run's rows of table `name` for `doc_ids` (documents reused
    unchanged), streamed in record batches. The Delta log is read now; the batches are read
    by pyarrow alone, so the stream can feed a Delta write (delta-rs cannot be re-entered)."""
    run_id = latest_run_id(out) if doc_ids else None
    version = table_version(out, name, run_id) if run_id else None
    if version is None:
        return iter(())
    files = DeltaTable(str(_table_path(out, name)), version=version).file_uris()
    if not files:  # a version with no rows has no data files
        return iter(())
    dataset = ds.dataset(files, format="parquet")
    return dataset.to_batches(filter=pc.field("doc_id").isin(pa.array(sorted(doc_ids), pa.string())))


def commit(out: Path, run_id: str, tables: dict[str, pa.RecordBatchReader | pa.Table], run_row: dict) -> dict[str, int]:
    """Commit one run: the tables given (document tables streamed, the organisation registry), in
    the order of TABLES, then the `runs` marker, then `latest/`. Returns the new version of every table."""
    out.mkdir(parents=True, exist_ok=True)
    props = CommitProperties(custom_metadata={"run_id": run_id})
    versions = {}
    for name, schema in TABLES.items():
        if name == "runs" or name not in tables:
            continue
        path = str(_table_path(out, name))
        write_deltalake(path, tables[name], mode="overwrite", schema_mode=_schema_mode(path, schema),
                        commit_properties=props)
        versions[name] = DeltaTable(path).version()
        release_memory()
        checkpoint(f"after-table:{name}")
    runs_path = str(_table_path(out, "runs"))
    write_deltalake(runs_path, to_table([run_row], RUNS), mode="append", schema_mode="merge", commit_properties=props)
    versions["runs"] = DeltaTable(runs_path).version()
    checkpoint("after-runs")
    export_latest(out, run_id)
    write_views(out)  # OUT/norextract.duckdb; a failure there is a warning
    gc.collect()  # drop delta-rs objects now, not at interpreter exit (delta-rs issue 2184)
    release_memory()
    return versions


def _schema_mode(path: str, schema: pa.Schema) -> str:
    """How a run's overwrite treats the table's schema: "merge" (new columns are added), or
    "overwrite" when a column changed its type (`documents.published`, string -> date), which a
    merge would silently keep. Earlier versions keep their schema (time travel)."""
    if not DeltaTable.is_deltatable(path):
        return "merge"
    current = pa.schema(DeltaTable(path).schema().to_arrow())
    changed = [f.name for f in schema if f.name in current.names and current.field(f.name).type.id != f.type.id]
    return "overwrite" if changed else "merge"


def export_latest(out: Path, run_id: str) -> Path:
    """Write `latest/<table>.parquet` for every table as run `run_id` committed it (streamed
    from the Delta tables), then replace the `latest` folder in one step."""
    base = out / _LATEST_DIR
    final = base / run_id
    tmp = base / f"{run_id}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for name, schema in TABLES.items():
        version = table_version(out, name, run_id)
        with pq.ParquetWriter(tmp / f"{name}.parquet", schema) as writer:
            if version is not None:
                dataset = DeltaTable(str(_table_path(out, name)), version=version).to_pyarrow_dataset()
                for batch in dataset.to_batches():
                    writer.write_batch(batch.select(schema.names).cast(schema))
        release_memory()
        checkpoint(f"export:{name}")
    shutil.rmtree(final, ignore_errors=True)
    os.rename(tmp, final)
    link = out / LATEST
    new_link = out / f".{LATEST}.{run_id}.link"
    if new_link.is_symlink() or new_link.exists():
        new_link.unlink()
    os.symlink(os.path.join(_LATEST_DIR, run_id), new_link)
    if link.exists() and not link.is_symlink():
        shutil.rmtree(link)  # a plain folder from an older layout
    checkpoint("before-link-swap")
    os.replace(new_link, link)
    for old in base.iterdir():  # folders and links of earlier or killed runs
        if old.name != run_id:
            shutil.rmtree(old, ignore_errors=True)
    for stale in out.glob(f".{LATEST}.*.link"):
        stale.unlink()
    return link


def vacuum(out: Path, keep_days: float) -> dict[str, int]:
    """Remove table versions older than `keep_days` (an explicit maintenance step, never run
    as a side effect of a run). Returns the number of files removed per table."""
    removed = {}
    for name in TABLES:
        if _exists(out, name):
            dt = DeltaTable(str(_table_path(out, name)))
            files = dt.vacuum(retention_hours=int(keep_days * 24), dry_run=False, enforce_retention_duration=False)
            removed[name] = len(files)
    gc.collect()
    return removed
