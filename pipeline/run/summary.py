"""A run's summary as one dict of fields, which every rendering reads: the command line's JSON,
its one line and its table (pipeline/cli.py) and the flow's Markdown artifact (flows/extract.py)."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.run import RunSummary

# The document counts of a run, (label, field), in the order they are shown.
COUNTS = [("documents", "n_documents"), ("processed", "n_processed"), ("reused", "n_reused"), ("kept", "n_kept"),
          ("removed", "n_removed"), ("from staged batches", "n_staged"), ("failed", "n_failed")]


def summary_fields(summary: RunSummary, seconds: float | None = None) -> dict:
    """Everything a rendering shows; `seconds` (the caller's wall time) defaults to the run's own."""
    review = Path(summary.out) / "review" / "index.html"
    return {
        "run_id": summary.run_id, "out": summary.out, "model": summary.model,
        "n_documents": summary.n_documents, "n_processed": summary.n_processed,
        "n_reused": summary.n_reused, "n_failed": summary.n_failed, "mode": summary.mode,
        "n_kept": summary.n_kept, "n_removed": summary.n_removed, "n_staged": summary.n_staged,
        "n_staged_batches": summary.n_staged_batches, "rows": summary.rows, "versions": summary.versions,
        "failures": [{"source": s, "error": e} for s, e in summary.failures],
        "seconds": round(summary.seconds if seconds is None else seconds, 3),
        "review": str(review.resolve()) if review.exists() else None,
    }


def table_rows(s: dict) -> list[tuple[str, str, str]]:
    """(table, rows, version) per table of the run."""
    return [(name, str(s["rows"].get(name, "")), str(version)) for name, version in s["versions"].items()]


def summary_markdown(summary: RunSummary) -> str:
    s = summary_fields(summary)
    lines = [
        f"# Extraction run `{s['run_id']}`", "",
        f"Model: **{s['model']}**", "",
        f"Mode: **{s['mode']}**", "",
        "| " + " | ".join(label for label, _ in COUNTS) + " |", "|" + "---|" * len(COUNTS),
        "| " + " | ".join(str(s[key]) for _, key in COUNTS) + " |", "",
        "| table | rows | version |", "|---|---|---|",
        *[f"| {t} | {n} | {v} |" for t, n, v in table_rows(s)],
    ]
    if s["failures"]:
        lines += ["", "## Failed documents", "", "| source | error |", "|---|---|"]
        lines += [f"| {f['source']} | {f['error']} |" for f in s["failures"]]
    if s["review"]:
        lines += ["", f"Review pages: `{s['review']}`"]
    return "\n".join(lines)
