"""From documents to table rows: read -> clean -> nlp -> extract, for a batch of files.

Plain functions over plain data, used by both the Prefect flow (flows/extract.py) and the
Prefect-free runner (pipeline/run/).
"""
from __future__ import annotations

import hashlib
import logging
import signal
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pipeline import __version__
from pipeline.clean import CleanText, clean, title_of
from pipeline.document import AnalysedDocument
from pipeline.extract import actions, amounts, organisations, targets
from pipeline.nlp import Pipelines, analyse, model_fingerprint
from pipeline.read import DEFAULT_MAX_BYTES, RawDocument, path_id, read_document

log = logging.getLogger(__name__)

ROW_TABLES = ("mentions", "organisations", "amounts", "targets", "actions", "texts")


def versioned_files() -> list[Path]:
    """The code and every rule file: the language data (pipeline/lang/) and the stages' YAML,
    not the extractors' test corpora."""
    root = Path(__file__).parents[1]
    return sorted(p for p in root.rglob("*") if p.suffix in (".py", ".yaml", ".jsonl")
                  and "__pycache__" not in p.parts and "corpus" not in p.parts)


@lru_cache(maxsize=4)
def pipeline_version(model_description: str, model: str | None = None) -> str:
    """Code version + a hash of the code, every rule file and the language data + the models
    (name, version and a hash of their meta.json): a document is processed again when any of
    them changes."""
    h = hashlib.sha256(f"{model_description}|{model_fingerprint(model)}".encode())
    root = Path(__file__).parents[1]
    for p in versioned_files():
        h.update(p.relative_to(root).as_posix().encode())
        h.update(p.read_bytes())
    return f"{__version__}+{h.hexdigest()[:12]}"


@dataclass
class BatchResult:
    rows: dict[str, list[dict]] = field(default_factory=lambda: {t: [] for t in ("documents", *ROW_TABLES)})

    def extend(self, other: "BatchResult") -> None:
        for k, v in other.rows.items():
            self.rows[k].extend(v)


def document_row(raw: RawDocument, version: str, **extra) -> dict:
    return {
        "doc_id": raw.doc_id, "source": raw.source, "title": raw.title,
        "status": "failed" if raw.error else "ok", "error": raw.error, "pipeline_version": version,
        "content_type": raw.content_type, "reader": raw.reader, "published": raw.published,
        "n_pages": raw.n_pages, **extra,
    }


def extract_rows(document: AnalysedDocument) -> dict[str, list[dict]]:
    """All extraction rows of one analysed document (without run_id)."""
    mentions, orgs = organisations.extract(document)
    return {
        "mentions": mentions,
        "organisations": orgs,
        "amounts": amounts.extract(document),
        "targets": targets.extract(document, orgs=orgs),
        "actions": actions.extract(document, orgs=orgs),
    }


DEFAULT_DOC_TIMEOUT_S = 300.0


class DocumentTimeout(Exception):
    """A document took longer than the per-document time limit."""


@contextmanager
def time_limit(seconds: float | None):
    """Raise DocumentTimeout when the block runs longer than `seconds`. In the main thread a
    timer interrupts the work; in worker threads (Prefect, Dask) signals are not available, so
    the limit is checked when the block ends and its result is discarded."""
    if not seconds:
        yield
        return
    start = time.monotonic()
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        def _expired(signum, frame):
            raise DocumentTimeout

        previous = signal.signal(signal.SIGALRM, _expired)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    else:
        yield
    if time.monotonic() - start > seconds:
        raise DocumentTimeout


SHARED_PASS_MAX_CHARS = 20_000  # longer documents fill the model's batches on their own


def _analyse_together(raws: list[RawDocument], pipelines: Pipelines,
                      timeout_s: float | None) -> dict[int, tuple[CleanText, list]]:
    """Clean the batch's shorter documents and run them through the pipelines in one batched
    pass (one `nlp.pipe` over many documents' segments is much faster than one per document):
    index -> (cleaned text, parts). Any error or timeout gives nothing back, and each document
    is then processed on its own, so that the failure is pinned on its document."""
    ids = [i for i, raw in enumerate(raws) if raw.error is None and len(raw.text or "") <= SHARED_PASS_MAX_CHARS]
    if len(ids) < 2:
        return {}
    try:
        with time_limit(timeout_s):
            cleaned = [clean(raws[i].text, raws[i].blocks) for i in ids]
            parts = analyse(cleaned, pipelines)
    except Exception:  # noqa: BLE001 - DocumentTimeout too: each document is retried on its own
        log.info("shared nlp pass failed; processing the batch's documents one by one", exc_info=True)
        return {}
    return {i: (ct, p) for i, ct, p in zip(ids, cleaned, parts)}


def _document_rows(raw: RawDocument, pipelines: Pipelines, version: str,
                   analysed: tuple[CleanText, list] | None = None) -> dict[str, list[dict]]:
    stage = "cleaning"
    try:
        if analysed is not None:  # cleaned and analysed in the batch's shared pass
            ct, parts = analysed
        else:
            ct = clean(raw.text, raw.blocks)
            stage = "nlp"
            parts = analyse([ct], pipelines)[0]
        stage = "extraction"
        title = raw.title or title_of(ct)
        rows = extract_rows(AnalysedDocument(raw.doc_id, ct, parts, title=title, source=raw.source,
                                                    published=raw.published))
    except DocumentTimeout:
        raise
    except Exception as e:  # noqa: BLE001 - one bad document must not fail its batch
        log.warning("%s failed for %s", stage, raw.source, exc_info=True)
        raw.error = f"{stage} failed: {type(e).__name__}: {e}".splitlines()[0][:300]
        return {"documents": [document_row(raw, version)]}
    rows["texts"] = [{"text": ct.text}]
    for table_rows in rows.values():
        for r in table_rows:
            r["doc_id"] = raw.doc_id
    raw.title = title
    rows["documents"] = [document_row(raw, version, language=ct.language, languages=ct.languages,
                                      n_chars=len(ct.text), n_segments=len(ct.segments))]
    return rows


def process_documents(raws: list[RawDocument], pipelines: Pipelines,
                      timeout_s: float | None = DEFAULT_DOC_TIMEOUT_S) -> BatchResult:
    """Rows for a batch of read documents. The shorter documents are cleaned and analysed in
    one shared nlp pass, then every document is extracted on its own. A document that cannot
    be read, cleaned, analysed or extracted, or that takes longer than `timeout_s`, becomes a
    `failed` row; the others are unaffected. Everything spaCy made is freed at the end (memory
    zone): the rows are plain values."""
    version = pipeline_version(pipelines.model_description, pipelines.model)
    result = BatchResult()
    with pipelines.memory_zone():
        analysed = _analyse_together(raws, pipelines, timeout_s)
        for i, raw in enumerate(raws):
            if raw.error is not None:
                result.rows["documents"].append(document_row(raw, version))
                continue
            try:
                with time_limit(timeout_s):
                    rows = _document_rows(raw, pipelines, version, analysed.get(i))
            except DocumentTimeout:
                raw.error = f"timeout: processing took longer than {timeout_s:g} s (set --doc-timeout)"
                rows = {"documents": [document_row(raw, version)]}
            for table, table_rows in rows.items():
                result.rows[table].extend(table_rows)
    return result


def read_batch(files: list[tuple[str, str, str | None]], max_bytes: int = DEFAULT_MAX_BYTES) -> list[RawDocument]:
    """Read (path, source, problem) entries; an entry with a problem is not read at all."""
    return [
        read_document(Path(path), source, max_bytes) if problem is None
        else RawDocument(source=source, doc_id=path_id(source), error=problem)
        for path, source, problem in files
    ]
