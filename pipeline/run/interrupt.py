"""Ctrl-C and SIGTERM during an `extract` run (pipeline/cli.py): one line on stderr, exit 130,
the helpers the run started stopped, nothing half committed."""
from __future__ import annotations

import os
import signal
import sys
import threading
import time
from pathlib import Path

EXIT_INTERRUPTED = 130


def _stop_helpers() -> None:
    """Stop what this process started for the run: the temporary Prefect server (if any) and
    local Dask workers (multiprocessing children), which would otherwise go on staging a batch."""
    import multiprocessing

    server_module = sys.modules.get("prefect.server.api.server")
    if server_module is not None:
        for server in list(server_module.SubprocessASGIServer._instances.values()):
            server.stop()
    children = multiprocessing.active_children()
    for child in children:
        child.terminate()
    for child in children:
        child.join(3)


def _leave(message) -> None:
    """Stop the helpers, then say `message()` (a batch may have been staged meanwhile) and exit."""
    _stop_helpers()
    sys.stderr.flush()
    os.write(2, f"{message()}\n".encode())  # not print: a flow with log_prints turns print into a log record
    os._exit(EXIT_INTERRUPTED)  # nothing else of the run may go on (Prefect's crash handling, threads)


def stop_on_signals(out: Path) -> None:
    """Make SIGINT/SIGTERM end an `extract` run at once with one line and exit 130. Staged
    batches stay for the next run. A commit under way is let finish (seconds), so that the line
    is true; a second signal then stops at once (a crash at any point leaves the previous
    version intact, too)."""
    from pipeline import run

    def leave() -> None:
        if run.COMMITTED.is_set():
            _leave(lambda: f"interrupted after the commit; the review pages may be stale "
                           f"(`review --out {out}` rebuilds them)")
        _leave(lambda: f"interrupted; nothing committed; {run.staged_batches(out)} staged batches kept for the next run")

    def leave_after_commit() -> None:
        while run.COMMITTING.is_set():
            time.sleep(0.05)
        leave()

    waiting: list[threading.Thread] = []

    def stopped(signum, frame) -> None:
        if not run.COMMITTING.is_set():
            leave()
        if waiting:  # the second signal during the commit
            _leave(lambda: "interrupted twice during the commit; the next run completes or redoes it")
        waiting.append(threading.Thread(target=leave_after_commit, daemon=True))
        waiting[0].start()

    signal.signal(signal.SIGINT, stopped)
    signal.signal(signal.SIGTERM, stopped)
