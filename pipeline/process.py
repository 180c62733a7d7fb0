"""From documents to table rows: read -> clean -> nlp -> extract, for a batch of files.

Plain functions over plain data, used by both the Prefect flow (flows/extract.py) and the
Prefect-free runner (pipeline/run.py).
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pipeline import __version__
from pipeline.clean import clean, title_of
from pipeline.document import AnalysedDocument
from pipeline.extract import actions, amounts, organisations, targets
from pipeline.nlp import Pipelines, analyse
from pipeline.read import DEFAULT_MAX_BYTES, RawDocument, read_document

log = logging.getLogger(__name__)

ROW_TABLES = ("mentions", "organisations", "amounts", "targets", "actions", "texts")


@lru_cache(maxsize=4)
def pipeline_version(model_description: str) -> str:
    """Code version + a hash of every rule/lexicon file + the model: a document is processed
    again when any of them changes."""
    h = hashlib.sha256(model_description.encode())
    root = Path(__file__).parent
    for p in sorted(root.rglob("*")):
        if p.suffix in (".py", ".yaml", ".jsonl") and "__pycache__" not in p.parts:
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
        "targets": targets.extract(document),
        "actions": actions.extract(document),
    }


def process_documents(raws: list[RawDocument], pipelines: Pipelines) -> BatchResult:
    """Rows for a batch of read documents. A document whose cleaning, analysis or extraction
    fails becomes a `failed` row; the others are unaffected."""
    version = pipeline_version(pipelines.model_description)
    result = BatchResult()
    good: list[tuple[RawDocument, object]] = []
    for raw in raws:
        if raw.error is None:
            try:
                good.append((raw, clean(raw.text, raw.blocks)))
            except Exception as e:  # noqa: BLE001 - reported per document
                raw.error = f"cleaning failed: {type(e).__name__}: {e}"[:300]
        if raw.error is not None:
            result.rows["documents"].append(document_row(raw, version))
    try:
        analysed = analyse([ct for _, ct in good], pipelines)
    except Exception:  # one bad document must not fail its batch: analyse one at a time
        analysed = []
        for raw, ct in good:
            try:
                analysed.extend(analyse([ct], pipelines))
            except Exception as e:  # noqa: BLE001
                raw.error = f"nlp failed: {type(e).__name__}: {e}"[:300]
                analysed.append(None)
    for (raw, ct), parts in zip(good, analysed):
        if parts is None:
            result.rows["documents"].append(document_row(raw, version))
            continue
        title = raw.title or title_of(ct)
        document = AnalysedDocument(raw.doc_id, ct, parts, title=title, source=raw.source)
        try:
            rows = extract_rows(document)
        except Exception as e:  # noqa: BLE001
            log.exception("extraction failed for %s", raw.source)
            raw.error = f"extraction failed: {type(e).__name__}: {e}"[:300]
            result.rows["documents"].append(document_row(raw, version))
            continue
        rows["texts"] = [{"text": ct.text}]
        for table, table_rows in rows.items():
            for r in table_rows:
                r["doc_id"] = raw.doc_id
            result.rows[table].extend(table_rows)
        raw.title = title
        result.rows["documents"].append(document_row(
            raw, version, language=ct.language, languages=ct.languages,
            n_chars=len(ct.text), n_segments=len(ct.segments),
        ))
    return result


def read_batch(files: list[tuple[str, str]], max_bytes: int = DEFAULT_MAX_BYTES) -> list[RawDocument]:
    return [read_document(Path(path), source, max_bytes) for path, source in files]
