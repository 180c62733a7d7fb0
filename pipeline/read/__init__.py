"""Reading: turn a file into a `RawDocument` (text plus metadata) or a clear error.

One reader per file type (pipeline/read/), chosen by suffix from `READERS`. A reader takes the raw bytes and
returns a `ReadResult`; it raises `ReadError` with a one-line message for input it cannot use.
A reader's module (and its library: pypdf, python-docx, trafilatura) is imported when a file of
its type is first read, so that a run over text files does not pay for the others.
`read_document` never raises: every problem becomes `RawDocument.error`, so one bad file
cannot stop a run.
"""
from __future__ import annotations

import hashlib
import importlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from pipeline.read.metadata import published_date
from pipeline.read.base import ReadError, ReadResult, decode_text, looks_binary  # noqa: F401
from pipeline.read.text import read_plain_text

DEFAULT_MAX_BYTES = 50 * 1024 * 1024  # larger files fail with "too large" without being read


@dataclass(kw_only=True)
class RawDocument(ReadResult):
    """A file as read: the reader's `ReadResult` fields plus where it came from and, when it
    could not be read, the one-line `error`."""
    source: str
    doc_id: str
    reader: str | None = None
    error: str | None = None
    meta: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.error is None


Reader = Callable[[bytes], ReadResult]

def _lazy(module: str) -> Reader:
    """The `read` function of pipeline/read/<module>.py, imported on its first call."""
    def read(data: bytes) -> ReadResult:
        return importlib.import_module(f"pipeline.read.{module}").read(data)

    return read


# suffix -> (reader name, reader). A new format: a module in pipeline/read/ with a
# `read(data) -> ReadResult`, registered here.
READERS: dict[str, tuple[str, Reader]] = {
    ".txt": ("text", read_plain_text),
    ".text": ("text", read_plain_text),
    ".md": ("markdown", _lazy("markdown")),
    ".markdown": ("markdown", _lazy("markdown")),
    ".html": ("html", _lazy("html")),
    ".htm": ("html", _lazy("html")),
    ".xhtml": ("html", _lazy("html")),
    ".pdf": ("pdf", _lazy("pdf")),
    ".docx": ("docx", _lazy("docx")),
}


def doc_id_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_document(path: Path, source: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> RawDocument:
    """Read one file. Never raises: problems are reported in `RawDocument.error`."""
    source = source if source is not None else str(path)
    try:
        size = path.stat().st_size
    except OSError as e:
        return RawDocument(source=source, doc_id=path_id(source), error=f"cannot read: {e.strerror or e}")
    if size > max_bytes:
        return RawDocument(
            source=source, doc_id=path_id(source),
            error=f"too large: {size} bytes (limit {max_bytes}; set --max-bytes)",
        )
    try:
        with open(path, "rb") as f:
            data = f.read(max_bytes + 1)
    except OSError as e:
        return RawDocument(source=source, doc_id=path_id(source), error=f"cannot read: {e.strerror or e}")
    doc = RawDocument(source=source, doc_id=doc_id_of(data))
    if not data.strip():
        doc.error = "empty file"
        return doc
    suffix = path.suffix.lower()
    if suffix not in READERS:
        doc.error = f"unsupported file type {suffix or '(no suffix)'}; supported: {', '.join(sorted(READERS))}"
        return doc
    doc.reader, reader = READERS[suffix]
    try:
        result = reader(data)
    except ReadError as e:
        doc.error = str(e)
        return doc
    except Exception as e:  # a broken file must not stop the run; say what went wrong
        doc.error = f"{doc.reader} reader failed: {type(e).__name__}: {e}".splitlines()[0][:300]
        return doc
    if not result.text.strip():
        doc.error = "no text in document"
        return doc
    doc = RawDocument(**vars(result), source=source, doc_id=doc.doc_id, reader=doc.reader)
    if doc.published is None:
        doc.published = published_date(result.text)
    return doc


def path_id(source: str) -> str:
    """An id for a file whose bytes could not be read: stable per path."""
    return "path:" + hashlib.sha256(source.encode("utf-8", "surrogateescape")).hexdigest()


def discover(paths: list[str | Path]) -> list[tuple[Path, str, str | None]]:
    """Files to read, as (path, source, problem) in a stable order. Folders are walked
    recursively; hidden files and folders are skipped. A symlink that leads out of the folder
    given is not followed: its `problem` says so, and it becomes a failed document."""
    found: list[tuple[Path, str, str | None]] = []
    for given in paths:
        p = Path(given)
        if p.is_dir():
            root = p.resolve()
            for dirpath, dirnames, filenames in os.walk(p, followlinks=False):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in sorted(filenames):
                    if name.startswith("."):
                        continue
                    fp = Path(dirpath) / name
                    problem = None
                    if fp.is_symlink():
                        try:
                            target = fp.resolve(strict=True)
                        except (OSError, RuntimeError) as e:  # broken link or a loop
                            problem = f"cannot read: broken or looping symlink ({type(e).__name__})"
                        else:
                            if not target.is_relative_to(root):
                                problem = f"symlink to {target}, outside the input folder: not followed"
                    found.append((fp, str(fp), problem))
        else:
            found.append((p, str(given), None))
    return found
