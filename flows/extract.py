"""The extraction flow: discover -> process batches (in parallel on the task runner) -> commit.

Every task is a thin wrapper over a plain function in `pipeline.run`; the flow hands them to
`run.run_steps`, the sequence the local engine runs too (lock -> plan -> batches -> commit ->
review). Run it with `python -m pipeline extract` (CLI), `python flows/extract.py`, or
as a deployment (`flows/prefect.yaml`, or `python flows/extract.py --serve` for a nightly
schedule at 02:00 Europe/Oslo; both need a running Prefect server: README, "Scheduling").
"""
from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
if not __package__:  # run as a script (`python flows/extract.py`): import this checkout's packages
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from prefect import flow, get_run_logger, task  # noqa: E402
from prefect.artifacts import create_link_artifact, create_markdown_artifact  # noqa: E402
from prefect.futures import as_completed  # noqa: E402
from prefect.task_runners import ThreadPoolTaskRunner  # noqa: E402

from flows import server  # noqa: E402
from pipeline import run  # noqa: E402
from pipeline.read import DEFAULT_MAX_BYTES  # noqa: E402
from pipeline.run.summary import summary_fields, summary_markdown  # noqa: E402

# Without PREFECT_API_URL, the temporary server Prefect starts for this process dies with it,
# also when it is killed (flows/server.py).
server.die_with_parent()


@task(name="discover")
def discover_task(inputs: list[str], out: str, model: str | None, max_bytes: int, run_id: str, sync: bool,
                  allow_empty: bool, force: bool) -> run.RunPlan:
    """Plan the run; its guards raise RunRefused (the flow run fails with that message, nothing written)."""
    return run.plan_run(inputs, Path(out), model, max_bytes, run_id, sync, allow_empty, force)


@task(name="process-batch")
def process_batch_task(files: list, out: str, pipeline_version: str, model: str | None, max_bytes: int,
                       timeout_s: float | None) -> run.BatchInfo:
    """One batch: its rows are staged on disk (and reused if a killed run staged them already)."""
    return run.process_batch(files, out, pipeline_version, model, max_bytes, timeout_s)


@task(name="review-pages")
def review_task(summary: run.RunSummary, infos: list) -> str:
    return str(run.build_review(summary, infos))


@task(name="commit", retries=2, retry_delay_seconds=2)
def commit_task(plan: run.RunPlan, infos: list) -> run.RunSummary:
    return run.commit_run(plan, infos)


def _progress(total_docs: int) -> run.Progress:
    """Progress and failed documents go to the `pipeline` log when the caller shows it (the
    command line: a bar on a terminal, else a line per document), else to the flow run's log
    (a deployment's UI)."""
    if run.log.isEnabledFor(logging.INFO):
        return run.Progress(total_docs)
    return run.Progress(total_docs, logger=get_run_logger(), bar=False)


# Batches run one at a time in the flow's process (spaCy holds the GIL: more threads would add
# memory, not speed); scale out with Dask (`with_dask`), one batch per worker process.
@flow(name="extract", log_prints=True, task_runner=ThreadPoolTaskRunner(max_workers=1))
def extract_flow(
    inputs: list[str] | None = None,
    out: str = "processed",
    model: str | None = None,
    batch_docs: int = run.DEFAULT_BATCH_DOCS,
    max_bytes: int = DEFAULT_MAX_BYTES,
    lock_wait_s: float = 0.0,
    doc_timeout_s: float | None = run.DEFAULT_DOC_TIMEOUT_S,
    sync: bool = False,
    allow_empty: bool = False,
    force: bool = False,
) -> run.RunSummary:
    """Extract the four tables from the documents in `inputs` (files or folders) into `out`.
    Add mode (default): the documents given are added or refreshed, the others kept; `sync`: the
    tables hold exactly the documents under `inputs` (the nightly deployment). `allow_empty` and
    `force` pass the guards of an empty sync and of a sync dropping more than half the documents."""
    inputs = inputs or ["raw"]
    run_id = run.new_run_id()
    summary = run.run_steps(
        Path(out), run_id, lock_wait_s, batch_docs,
        plan=lambda: discover_task(inputs, out, model, max_bytes, run_id, sync, allow_empty, force),
        process=lambda batch, plan: process_batch_task.submit(batch, plan.out, plan.pipeline_version, model,
                                                              max_bytes, doc_timeout_s),
        results=lambda futures: (future.result() for future in as_completed(list(futures))),
        commit=commit_task, review=review_task, progress=_progress)
    create_markdown_artifact(summary_markdown(summary), key="extraction-run", description="Extraction run summary")
    review = summary_fields(summary)["review"]  # the review index's absolute path, None when there is none
    if review:
        create_link_artifact(Path(review).as_uri(), link_text="Review pages", key="review-pages")
    return summary


def with_dask(workers: int | None = None, address: str | None = None):
    """The flow on a Dask cluster: an existing one at `address`, or a local one with
    `workers` single-threaded worker processes."""
    from prefect_dask import DaskTaskRunner

    if address:
        runner = DaskTaskRunner(address=address)
    else:
        # Dask's nanny sets MALLOC_TRIM_THRESHOLD_ in its workers, which turns off glibc's adaptive
        # mmap threshold: every large array spaCy allocates is then mmapped, page-faulted in and
        # unmapped again (a fifth more CPU per batch, most of it system time). Our workers live
        # for one run; they keep glibc's default.
        import dask

        dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None})
        # dashboard on a free port: a second local cluster (two runs at once) does not warn "Port 8787 is already in use"
        runner = DaskTaskRunner(cluster_kwargs={"n_workers": workers or 1, "threads_per_worker": 1, "processes": True,
                                                "dashboard_address": ":0"})
    return extract_flow.with_options(task_runner=runner)


if __name__ == "__main__":
    if "--serve" in sys.argv:
        from prefect.schedules import Cron

        if not server.api_url():  # Prefect cannot keep a schedule on a run's temporary server
            print(server.SERVE_NEEDS_SERVER, file=sys.stderr)
            sys.exit(2)
        # A long-running process that runs the flow nightly at 02:00 Oslo time (README, "Scheduling").
        extract_flow.serve(
            name="nightly-extract",
            schedules=[Cron("0 2 * * *", timezone="Europe/Oslo")],
            parameters={"inputs": ["raw"], "out": "processed", "sync": True},
        )
    else:
        extract_flow(inputs=sys.argv[1:] or None)
