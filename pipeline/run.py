"""A whole extraction run as plain functions: plan (what changed), process batches, commit.

The Prefect flow (flows/extract.py) calls these same functions as tasks; `run_extraction`
chains them without Prefect (tests, benchmarks, `--engine local`).
"""
from __future__ import annotations

import hashlib
import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pyarrow as pa

from pipeline import store
from pipeline.nlp import get_pipelines
from pipeline.process import DEFAULT_DOC_TIMEOUT_S, BatchResult, pipeline_version, process_documents, read_batch
from pipeline.read import DEFAULT_MAX_BYTES, discover
from pipeline.schema import DOC_TABLES, to_table

log = logging.getLogger(__name__)
DEFAULT_BATCH_DOCS = 16


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
    to_process: list[tuple[str, str, str | None]] = field(default_factory=list)  # (path, source, sha256)
    reuse: dict[str, str] = field(default_factory=dict)  # doc_id -> current source
    skipped_duplicates: list[str] = field(default_factory=list)

    @property
    def n_documents(self) -> int:
        return len(self.to_process) + len(self.reuse)

    def batches(self, size: int = DEFAULT_BATCH_DOCS) -> list[list[tuple[str, str, str | None]]]:
        return [self.to_process[i : i + size] for i in range(0, len(self.to_process), size)]


@dataclass
class RunSummary:
    run_id: str
    out: str
    model: str
    n_documents: int
    n_processed: int
    n_reused: int
    n_failed: int
    rows: dict[str, int]
    versions: dict[str, int]
    failures: list[tuple[str, str]]
    seconds: float


def file_digest(path: Path) -> str | None:
    h = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return None
    return h.hexdigest()


def plan_run(inputs: list[str], out: Path, model: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
             run_id: str | None = None) -> RunPlan:
    """Discover the input files and decide which to process and which to carry forward: a
    document whose bytes (doc_id) and pipeline version are unchanged since the newest
    complete run, and which did not fail then, is reused."""
    pipelines = get_pipelines(model)
    version = pipeline_version(pipelines.model_description)
    plan = RunPlan(run_id or new_run_id(), datetime.now(timezone.utc), str(out), [str(i) for i in inputs], version,
                   pipelines.model_description)
    previous = store.previous_documents(out)
    seen: set[str] = set()
    for path, source in discover(inputs):
        p = Path(path)
        digest = None
        try:
            if p.is_file() and p.stat().st_size <= max_bytes:
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
        plan.to_process.append((str(path), source, digest))
    if plan.skipped_duplicates:
        log.info("skipped %d files with the same bytes as another input", len(plan.skipped_duplicates))
    return plan


def process_batch(files: list[tuple[str, str, str | None]], model: str | None = None,
                  max_bytes: int = DEFAULT_MAX_BYTES, timeout_s: float | None = DEFAULT_DOC_TIMEOUT_S) -> BatchResult:
    """Read and process one batch of files (runs in a worker process under Dask). Rows get
    their run_id when committed, so a batch result can be cached and reused by a later run."""
    return process_documents(read_batch([(p, s) for p, s, _ in files], max_bytes), get_pipelines(model), timeout_s)


def commit_run(plan: RunPlan, results: list[BatchResult]) -> RunSummary:
    """Merge new rows with the carried-forward rows and commit one version of every table."""
    out = Path(plan.out)
    merged = BatchResult()
    for r in results:
        merged.extend(r)
    for rows in merged.rows.values():
        for row in rows:
            row["run_id"] = plan.run_id
    # the same bytes under two names within one batch
    docs = {}
    for row in merged.rows["documents"]:
        docs.setdefault(row["doc_id"], row)
    merged.rows["documents"] = list(docs.values())
    reuse_ids = set(plan.reuse)
    tables = {}
    for name, schema in DOC_TABLES.items():
        new = to_table(merged.rows[name], schema)
        old = store.carried_rows(out, name, reuse_ids)
        if name == "documents" and old.num_rows:
            sources = [plan.reuse.get(d, s) for d, s in zip(old.column("doc_id").to_pylist(), old.column("source").to_pylist())]
            old = old.set_column(old.schema.get_field_index("source"), "source", pa.array(sources, pa.string()))
        tables[name] = pa.concat_tables([old.select(schema.names).cast(schema), new]) if old.num_rows else new
    failures = [(r["source"], r["error"]) for r in merged.rows["documents"] if r["status"] == "failed"]
    finished = datetime.now(timezone.utc)
    run_row = {
        "run_id": plan.run_id, "started_at": plan.started_at, "finished_at": finished,
        "n_documents": tables["documents"].num_rows, "n_processed": len(merged.rows["documents"]),
        "n_reused": len(plan.reuse), "n_failed": len(failures), "pipeline_version": plan.pipeline_version,
        "model": plan.model, "inputs": plan.inputs,
    }
    versions = store.commit(out, plan.run_id, tables, run_row)
    return RunSummary(
        run_id=plan.run_id, out=str(out), model=plan.model, n_documents=run_row["n_documents"],
        n_processed=run_row["n_processed"], n_reused=run_row["n_reused"], n_failed=len(failures),
        rows={name: t.num_rows for name, t in tables.items()}, versions=versions, failures=failures,
        seconds=(finished - plan.started_at).total_seconds(),
    )


def run_extraction(inputs: list[str], out: Path, model: str | None = None, batch_docs: int = DEFAULT_BATCH_DOCS,
                   max_bytes: int = DEFAULT_MAX_BYTES, lock_wait_s: float = 0.0,
                   timeout_s: float | None = DEFAULT_DOC_TIMEOUT_S) -> RunSummary:
    """The whole run in this process, without Prefect."""
    run_id = new_run_id()
    with store.run_lock(out, run_id, lock_wait_s):
        plan = plan_run(inputs, out, model, max_bytes, run_id)
        results = []
        for batch in plan.batches(batch_docs):
            results.append(process_batch(batch, model, max_bytes, timeout_s))
            store.checkpoint("after-batch")
        summary = commit_run(plan, results)
        build_review(summary, results)
        return summary


def build_review(summary: RunSummary, results: list[BatchResult]) -> Path:
    """Rebuild the review site after a run: the pages of the documents it processed, and the index."""
    from pipeline.review import build_site

    processed = {r["doc_id"] for b in results for r in b.rows["documents"]}
    return build_site(Path(summary.out), only=processed)
