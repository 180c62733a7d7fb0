"""What every reader returns or raises, and text decoding shared by the text-like readers."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date


class ReadError(Exception):
    """Input that cannot be read as a document; the message goes into `documents.error`."""


@dataclass
class ReadResult:
    """What a reader gives back. (`RawDocument` adds where the file came from; its text and
    content type are None when the file could not be read.)"""
    text: str | None = None
    content_type: str | None = None
    title: str | None = None
    published: date | None = None  # the publication date the document states
    n_pages: int | None = None
    # Segments the reader already knows (headings, list items, table rows), as (kind, text)
    # pairs in reading order. None: the cleaner finds them in the text itself.
    blocks: list[tuple[str, str]] | None = None


_BOMS = [
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
]


def decode_text(data: bytes) -> str:
    """Decode text bytes: BOM-marked UTF-8/16, else UTF-8, else Windows-1252 (a superset of
    the printable Latin-1 used for Norwegian). Binary content raises ReadError."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as e:
                raise ReadError(f"invalid {encoding} text: {e.reason} at byte {e.start}") from None
    if looks_binary(data):
        raise ReadError("binary file, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return control > max(8, len(sample) // 100)
