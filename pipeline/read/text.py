"""Plain text: decoded; the cleaner finds headings, lists and tables in the text itself. A leading export marker ("date 2024-11 ...") becomes the published date and is
taken out of the text, so that it never becomes the title."""
from __future__ import annotations

from pipeline.read.metadata import split_date_marker
from pipeline.read.base import ReadResult, decode_text


def read_plain_text(data: bytes) -> ReadResult:
    published, text = split_date_marker(decode_text(data))
    return ReadResult(text=text, content_type="text/plain", published=published)

