"""The steps of an extraction run as plain functions: plan (what changed), process batches,
commit, review; `run_steps` chains them for the Prefect flow (flows/extract.py, its tasks) and for
`run_extraction` (tests, benchmarks, `--engine local`).
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import threading
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline import store
from pipeline.extract.organisations import registry
from pipeline.nlp import get_pipelines, model_description
from pipeline.read import DEFAULT_MAX_BYTES, discover
from pipeline.run.process import DEFAULT_DOC_TIMEOUT_S, pipeline_version, process_documents, read_batch
from pipeline.run.progress import Progress
from pipeline.store.schema import DOC_TABLES, ORGANISATION_REGISTRY, ORGANISATIONS, conform, to_table

log = logging.getLogger("pipeline.run")
DEFAULT_BATCH_DOCS = 16
STAGING = ".staging"  # batches processed but not yet committed, under the output folder
# Where this process's run is, for an interrupt handler (pipeline/run/interrupt.py): it must not cut a
# commit in half, and must not say "nothing committed" once a run's row is in `runs`.
COMMITTING = threading.Event()  # set while commit_run writes the tables
COMMITTED = threading.Event()  # set once commit_run has committed its run


class RunRefused(Exception):
    """A run (or removal) stopped by a guard before anything was written: a path that does not
    exist, an empty sync, a sync that would drop more than half of the documents, an unknown
    document to remove. The command line exits 2 with its message."""


def new_run_id() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:8]


@dataclass
class RunPlan:
    run_id: str
    started_at: datetime
    out: str
    inputs: list[str]
    pipeline_version: str
    model: str
    # (path, source, sha256 or None, problem or None): a file with a problem is not read
    to_process: list[tuple[str, str, str | None, str | None]] = field(default_factory=list)
    reuse: dict[str, str] = field(default_factory=dict)  # doc_id -> current source
    skipped_duplicates: list[str] = field(default_factory=list)
    mode: str = "add"  # add, sync or remove
    keep: dict[str, str] = field(default_factory=dict)  # add mode: doc_id -> source of documents not given, kept
    removed: list[str] = field(default_factory=list)  # doc_ids of the newest version that this run drops

    @property
    def n_documents(self) -> int:
        return len(self.to_process) + len(self.reuse) + len(self.keep)

    @property
    def carried(self) -> dict[str, str]:
        """doc_id -> source of every document whose rows are carried forward from the newest version."""
        return {**self.keep, **self.reuse}

    def batches(self, size: int = DEFAULT_BATCH_DOCS) -> list[list[tuple[str, str, str | None, str | None]]]:
        """The documents to process, `size` at a time in discovery order; the batches largest first
        (bytes on disk), so that on several Dask workers the last batch to finish is a small one."""
        batches = [self.to_process[i : i + size] for i in range(0, len(self.to_process), size)]
        return sorted(batches, key=lambda batch: -sum(_file_size(path) for path, *_ in batch))


@dataclass
class RunSummary:
    run_id: str
    out: str
    model: str
    n_documents: int  # documents in the tables after the run
    n_processed: int  # run through the NLP stages by this run
    n_reused: int  # given again unchanged: rows carried forward
    n_failed: int
    rows: dict[str, int]  # rows per table after the run (`runs`: every complete run)
    versions: dict[str, int]
    failures: list[tuple[str, str]]
    seconds: float
    mode: str = "add"  # add, sync or remove
    n_kept: int = 0  # add mode: documents not given, kept as they were
    n_removed: int = 0  # documents of the previous version dropped (refreshed ones not counted)
    n_staged: int = 0  # documents of reused staged batches (a half-finished earlier run processed them)
    n_staged_batches: int = 0  # reused staged batches


def _file_size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def file_digest(path: Path) -> str | None:
    h = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return None
    return h.hexdigest()


def _path_key(source: str) -> str:
    return os.path.normpath(os.path.abspath(source))


def plan_run(inputs: list[str], out: Path, model: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
             run_id: str | None = None, sync: bool = False, allow_empty: bool = False, force: bool = False) -> RunPlan:
    """Discover the input files and decide which to process and which to carry forward: a
    document whose bytes (doc_id) and pipeline version are unchanged since the newest
    complete run, and which did not fail then, is reused. The other documents of the newest
    version are kept as they are (add mode, the default) or dropped (`sync`); a document whose
    source path is given again with other bytes is replaced in both modes. Raises RunRefused
    for a path that does not exist, an empty sync (unless `allow_empty`) and a sync that would
    drop more than half of the documents (unless `force`)."""
    missing = [str(i) for i in inputs if not os.path.exists(i)]
    if missing:
        raise RunRefused(f"input not found: {', '.join(missing)} (nothing was changed)")
    found = discover(inputs)
    if sync and not found and not allow_empty:
        raise RunRefused(f"no documents under {', '.join(map(str, inputs))}: a sync would empty every table "
                         "(an unmounted share?); pass --allow-empty to commit that")
    description = model_description(model)
    version = pipeline_version(description, model)
    plan = RunPlan(run_id or new_run_id(), datetime.now(timezone.utc), os.path.abspath(out), [str(i) for i in inputs], version,
                   description, mode="sync" if sync else "add")
    previous = store.previous_documents(out)
    seen: set[str] = set()
    for path, source, problem in found:
        p = Path(path)
        digest = None
        try:
            if problem is None and p.is_file() and p.stat().st_size <= max_bytes:
                digest = file_digest(p)
        except OSError:
            digest = None
        if digest is not None:
            if digest in seen:
                plan.skipped_duplicates.append(source)
                continue
            seen.add(digest)
            prev = previous.get(digest)
            if prev and prev["status"] == "ok" and prev["pipeline_version"] == version:
                plan.reuse[digest] = source
                continue
        # absolute paths: batches may run on Dask workers started in other folders
        plan.to_process.append((os.path.abspath(path), source, digest, problem))
    if plan.skipped_duplicates:
        log.info("skipped %d files with the same bytes as another input", len(plan.skipped_duplicates))
    given = {_path_key(source) for _, source, _ in found}
    current = set(plan.reuse) | {digest for _, _, digest, _ in plan.to_process if digest}
    others = {d: r["source"] for d, r in previous.items() if d not in current and _path_key(r["source"]) not in given}
    if not sync:
        plan.keep = others
    elif 2 * len(others) > len(previous) and not force and not (allow_empty and not found):
        raise RunRefused(f"a sync would remove {len(others)} of the {len(previous)} documents of the newest version "
                         f"(they are not under {', '.join(map(str, inputs))}); check the inputs, or pass --force")
    plan.removed = sorted(others) if sync else []
    return plan


@dataclass
class BatchInfo:
    """What a processed batch left in the staging area (its rows stay on disk until commit)."""
    key: str
    path: str
    n_documents: int
    doc_ids: list[str]
    failures: list[tuple[str, str]]
    n_words: int
    cached: bool = False
    sources: list[str] = field(default_factory=list)  # one per document, in doc_ids order


def batch_key(files: list[tuple[str, str, str | None, str | None]], version: str) -> str:
    """A batch is identified by its documents' bytes (sha256), names and the pipeline version;
    unreadable files (no digest) make the key unique to this attempt."""
    h = hashlib.sha256(version.encode())
    for path, source, digest, _ in files:
        h.update(f"{source}\0{digest or uuid.uuid4().hex}\n".encode())
    return h.hexdigest()[:32]


def staging_dir(out: Path) -> Path:
    return Path(out) / STAGING


def process_batch(files: list[tuple[str, str, str | None, str | None]], out: str, version: str, model: str | None = None,
                  max_bytes: int = DEFAULT_MAX_BYTES, timeout_s: float | None = DEFAULT_DOC_TIMEOUT_S) -> BatchInfo:
    """Read and process one batch of files and stage its rows as Parquet files under
    `out/.staging/<batch key>/` (runs in a worker process under Dask). A batch already staged
    by a run that died before committing is reused, not processed again."""
    key = batch_key(files, version)
    path = staging_dir(Path(out)) / key
    info_file = path / "info.json"
    if info_file.exists():
        info = BatchInfo(**json.loads(info_file.read_text()))
        info.cached = True
        return info
    result = process_documents(read_batch([(p, s, problem) for p, s, _, problem in files], max_bytes), get_pipelines(model), timeout_s)
    tmp = path.with_name(key + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for name, schema in DOC_TABLES.items():
        pq.write_table(to_table(result.rows[name], schema), tmp / f"{name}.parquet")
    docs = result.rows["documents"]
    n_words = sum(len(r["text"].split()) for r in result.rows["texts"])
    info = BatchInfo(key, str(path), len(docs), [r["doc_id"] for r in docs],
                     [(r["source"], r["error"]) for r in docs if r["status"] == "failed"], n_words,
                     sources=[r["source"] for r in docs])
    (tmp / "info.json").write_text(json.dumps(asdict(info)))
    shutil.rmtree(path, ignore_errors=True)
    os.rename(tmp, path)
    return info


def organisation_ids(plan: RunPlan, infos: list[BatchInfo]) -> tuple[dict[tuple[str, str], str], pa.Table]:
    """The registry id of every organisations row of this run ((doc_id, name) -> org_id) and the
    registry to commit: the previous complete run's registry updated with this run's rows
    (carried rows keep their ids; pipeline/extract/organisations/registry.py)."""
    out = Path(plan.out)
    columns = ["doc_id", "name", "aliases", "org_id"]
    rows = [r for batch in store.carried_batches(out, "organisations", set(plan.carried))
            for r in conform(batch, ORGANISATIONS).select(columns).to_pylist()]
    for info in infos:
        rows += pq.read_table(Path(info.path) / "organisations.parquet", columns=columns).to_pylist()
    previous = store.read_table(out, "organisation_registry").to_pylist()
    ids, registry_rows = registry.rebuild(previous, rows, plan.run_id)
    return ids, to_table(registry_rows, ORGANISATION_REGISTRY)


def _with_org_ids(batch: pa.RecordBatch, name: str, ids: dict[tuple[str, str], str]) -> pa.RecordBatch:
    """An organisations or ORG mentions batch with the registry ids of its organisations."""
    if name not in ("organisations", "mentions"):
        return batch
    column = "name" if name == "organisations" else "canonical"
    pairs = zip(batch.column("doc_id").to_pylist(), batch.column(column).to_pylist())
    org_ids = pa.array([ids.get(pair) for pair in pairs], pa.string())
    return batch.set_column(batch.schema.get_field_index("org_id"), "org_id", org_ids)


def _table_stream(plan: RunPlan, name: str, schema: pa.Schema, infos: list[BatchInfo], counts: dict,
                  org_ids: dict[tuple[str, str], str]) -> pa.RecordBatchReader:
    """Carried-forward rows of reused documents, then the staged rows of this run, stamped
    with the run id (and organisation ids), as one stream (never all in memory)."""
    seen_docs: set[str] = set()
    sources_of = plan.carried
    carried = store.carried_batches(Path(plan.out), name, set(sources_of))  # opened now, read lazily

    def batches():
        for batch in carried:
            if name == "documents":  # a reused file may have moved: keep its current path
                ids = batch.column("doc_id").to_pylist()
                sources = pa.array([sources_of[d] for d in ids], pa.string())
                batch = batch.set_column(batch.schema.get_field_index("source"), "source", sources)
            batch = _with_org_ids(conform(batch, schema), name, org_ids)  # rows of an earlier version: new columns null
            counts[name] = counts.get(name, 0) + batch.num_rows
            yield batch
        for info in infos:
            table = pq.read_table(Path(info.path) / f"{name}.parquet")
            if name == "documents":  # the same bytes in two batches: keep one row
                keep = [d not in seen_docs for d in table.column("doc_id").to_pylist()]
                seen_docs.update(table.column("doc_id").to_pylist())
                table = table.filter(pa.array(keep, pa.bool_()))
            table = table.set_column(table.schema.get_field_index("run_id"), "run_id",
                                     pa.array([plan.run_id] * table.num_rows, pa.string()))
            counts[name] = counts.get(name, 0) + table.num_rows
            for batch in table.select(schema.names).cast(schema).to_batches():
                yield _with_org_ids(batch, name, org_ids)

    return pa.RecordBatchReader.from_batches(schema, batches())


def commit_run(plan: RunPlan, infos: list[BatchInfo]) -> RunSummary:
    """Commit one version of every table: carried-forward rows plus the staged rows."""
    out = Path(plan.out)
    counts: dict[str, int] = {}
    org_ids, org_registry = organisation_ids(plan, infos)
    tables = {name: _table_stream(plan, name, schema, infos, counts, org_ids) for name, schema in DOC_TABLES.items()}
    tables["organisation_registry"] = org_registry
    failures = [tuple(f) for info in infos for f in info.failures]
    processed = {d for info in infos if not info.cached for d in info.doc_ids}
    staged = {d for info in infos if info.cached for d in info.doc_ids} - processed
    n_staged_batches = sum(1 for info in infos if info.cached)
    finished = datetime.now(timezone.utc)
    run_row = {
        "run_id": plan.run_id, "started_at": plan.started_at, "finished_at": finished,
        "n_documents": len(processed) + len(staged) + len(plan.reuse) + len(plan.keep), "n_processed": len(processed),
        "n_reused": len(plan.reuse), "n_failed": len(failures), "pipeline_version": plan.pipeline_version,
        "model": plan.model, "inputs": plan.inputs, "mode": plan.mode, "n_kept": len(plan.keep),
        "n_removed": len(plan.removed), "n_staged": len(staged),
    }
    COMMITTING.set()
    try:
        versions = store.commit(out, plan.run_id, tables, run_row)
        counts["organisation_registry"] = org_registry.num_rows
        counts["runs"] = store.committed_runs(out).num_rows
        shutil.rmtree(staging_dir(out), ignore_errors=True)  # committed: the staged batches are done
        COMMITTED.set()
    finally:
        COMMITTING.clear()
    return RunSummary(
        run_id=plan.run_id, out=str(out), model=plan.model, n_documents=run_row["n_documents"],
        n_processed=len(processed), n_reused=len(plan.reuse), n_failed=len(failures),
        rows=counts, versions=versions, failures=failures,
        seconds=(datetime.now(timezone.utc) - plan.started_at).total_seconds(),
        mode=plan.mode, n_kept=len(plan.keep), n_removed=len(plan.removed), n_staged=len(staged),
        n_staged_batches=n_staged_batches,
    )


def staged_batches(out: Path) -> int:
    """How many processed batches wait under `out/.staging/` for a commit (the next run reuses them)."""
    return sum(1 for p in staging_dir(out).glob("*/info.json"))


def _matches(target: str, documents: dict[str, dict]) -> set[str]:
    """The documents `target` names: a doc_id, a source path (a folder: every document under
    it), or a unique doc_id prefix of at least 6 characters."""
    if target in documents:
        return {target}
    key = _path_key(target)
    by_path = {d for d, r in documents.items()
               if r["source"] == target or _path_key(r["source"]) == key or _path_key(r["source"]).startswith(key + os.sep)}
    if by_path:
        return by_path
    by_prefix = {d for d in documents if len(target) >= 6 and d.startswith(target)}
    if len(by_prefix) > 1:
        raise RunRefused(f"{target!r} is the start of {len(by_prefix)} doc_ids: give more of it")
    return by_prefix


def remove_documents(out: Path, targets: list[str], lock_wait_s: float = 0.0) -> RunSummary:
    """Drop documents (see `_matches`) and commit a new version of every table without them,
    with a `runs` row of mode `remove`; the review site drops their pages. Raises RunRefused,
    before anything is written, when a target names no document."""
    out = Path(out)
    if store.latest_run_id(out) is None:
        raise RunRefused(f"{out} holds no complete run: nothing to remove")
    run_id = new_run_id()
    with store.run_lock(out, run_id, lock_wait_s):
        documents = store.previous_documents(out)
        drop: set[str] = set()
        for target in targets:
            found = _matches(target, documents)
            if not found:
                raise RunRefused(f"no document {target!r} in {out} (give a doc_id, a unique start of one, "
                                 "or a source path as in the documents table); nothing was removed")
            drop |= found
        last = store.read_table(out, "runs").to_pylist()
        last = max(last, key=lambda r: r["finished_at"])
        plan = RunPlan(run_id, datetime.now(timezone.utc), os.path.abspath(out), list(targets), last["pipeline_version"],
                       last["model"], mode="remove", removed=sorted(drop),
                       keep={d: r["source"] for d, r in documents.items() if d not in drop})
        summary = commit_run(plan, [])
        build_review(summary, [])
        return summary


def run_steps(out: Path, run_id: str, lock_wait_s: float, batch_docs: int, *, plan: Callable[[], RunPlan],
              process: Callable[[list, RunPlan], Any], results: Callable[[Iterable], Iterable[BatchInfo]],
              commit: Callable[[RunPlan, list[BatchInfo]], RunSummary], review: Callable[[RunSummary, list[BatchInfo]], Any],
              progress: Callable[[int], Progress] = Progress) -> RunSummary:
    """The sequence of every extraction run: lock -> plan -> batches -> commit -> review. The
    Prefect flow passes its tasks (`process` submits a batch, `results` waits for the futures as
    they complete); the local engine passes the plain functions of this module."""
    with store.run_lock(Path(out), run_id, lock_wait_s):
        the_plan = plan()
        pending = (process(batch, the_plan) for batch in the_plan.batches(batch_docs))
        shown = progress(len(the_plan.to_process))
        infos = []
        try:
            for info in results(pending):
                infos.append(info)
                shown.update(info)
                store.checkpoint("after-batch")
        finally:
            shown.close()
        summary = commit(the_plan, infos)
        review(summary, infos)
        return summary


def run_extraction(inputs: list[str], out: Path, model: str | None = None, batch_docs: int = DEFAULT_BATCH_DOCS,
                   max_bytes: int = DEFAULT_MAX_BYTES, lock_wait_s: float = 0.0,
                   timeout_s: float | None = DEFAULT_DOC_TIMEOUT_S, sync: bool = False, allow_empty: bool = False,
                   force: bool = False) -> RunSummary:
    """The whole run in this process, without Prefect (modes and guards: `plan_run`)."""
    out = Path(out)
    run_id = new_run_id()
    return run_steps(
        out, run_id, lock_wait_s, batch_docs,
        plan=lambda: plan_run(inputs, out, model, max_bytes, run_id, sync, allow_empty, force),
        process=lambda batch, plan: process_batch(batch, str(out), plan.pipeline_version, model, max_bytes, timeout_s),
        results=lambda infos: infos,  # processed one at a time, as the loop asks for them
        commit=commit_run, review=build_review)


def build_review(summary: RunSummary, infos: list[BatchInfo]) -> Path:
    """Rebuild the review site after a run: the pages of the documents it processed, and the index."""
    from pipeline.review import build_site

    return build_site(Path(summary.out), only={d for info in infos for d in info.doc_ids})
