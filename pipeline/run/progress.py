"""Progress of a run: a bar on a terminal, else a log line per document (logger `pipeline.run`)."""
from __future__ import annotations

import logging
import os
import sys
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.run import BatchInfo

log = logging.getLogger("pipeline.run")


class Progress:
    """Progress of a run, shown when `logger` is enabled for INFO: a rich progress bar when
    stderr is a terminal, otherwise one log line per document and a rate line every `every_s`
    seconds. A failed document is logged as a warning (with its error) unless the bar shows."""

    def __init__(self, total_docs: int, every_s: float | None = None, logger: logging.Logger | None = None,
                 bar: bool | None = None):
        self.total, self.done, self.failed, self.words = total_docs, 0, 0, 0
        self.start = self.last = time.monotonic()
        self.every_s = float(os.environ.get("PIPELINE_PROGRESS_EVERY_S", 10)) if every_s is None else every_s
        self.logger = logger or log
        self.bar = None
        show = self.logger.isEnabledFor(logging.INFO)
        if total_docs and show and (sys.stderr.isatty() if bar is None else bar):
            from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn, TimeRemainingColumn

            self.bar = Bar(TextColumn("documents"), BarColumn(), MofNCompleteColumn(),
                           TextColumn("failed {task.fields[failed]} · {task.fields[wps]:.0f} words/s"),
                           TimeRemainingColumn(), transient=True)
            self.task = self.bar.add_task("extract", total=total_docs, failed=0, wps=0.0)
            self.bar.start()

    def update(self, info: BatchInfo) -> None:
        self.done += info.n_documents
        self.failed += len(info.failures)
        self.words += info.n_words
        now = time.monotonic()
        wps = self.words / max(now - self.start, 1e-9)
        if self.bar is not None:
            self.bar.update(self.task, completed=self.done, failed=self.failed, wps=wps)
            return
        errors = dict(info.failures)
        for i, source in enumerate(info.sources or list(errors), self.done - info.n_documents + 1):
            if source in errors:
                self.logger.warning("%d/%d failed %s: %s", i, self.total, source, errors[source])
            else:
                self.logger.info("%d/%d ok %s", i, self.total, source)
        if now - self.last >= self.every_s or self.done == self.total:
            eta = (self.total - self.done) * (now - self.start) / max(self.done, 1)
            self.logger.info("progress %d/%d documents, %d failed, %.0f words/s, ETA %.0f s",
                             self.done, self.total, self.failed, wps, eta)
            self.last = now

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
