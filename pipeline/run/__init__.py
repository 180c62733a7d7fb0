"""Running an extraction: one sequence of steps (lock -> plan -> batches -> commit -> review)
shared by the Prefect flow and the local engine.

    steps.py     plan_run, process_batch, commit_run, build_review, remove_documents, and
                 run_steps, which chains them (also run_extraction: the run without Prefect)
    process.py   one batch of documents: read, clean, NLP, rows; the pipeline version
    progress.py  the progress bar or log lines
    summary.py   the summary of a run, for the command line and the flow's artifact
    interrupt.py Ctrl-C and SIGTERM

`pipeline.run.X` is `pipeline.run.steps.X`, imported on first use: the command line and the
interrupt handler import this package without loading spaCy.
"""
from __future__ import annotations

import importlib


def __getattr__(name: str):
    return getattr(importlib.import_module("pipeline.run.steps"), name)
