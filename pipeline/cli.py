"""Command line: `python -m pipeline COMMAND` (see `python -m pipeline --help`)."""
from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import sys
from pathlib import Path

from pipeline.read import DEFAULT_MAX_BYTES


def _summary(summary) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(stderr=False)
    warn = "blank" in summary.model
    console.print(f"run [bold]{summary.run_id}[/] -> {summary.out}  ({summary.seconds:.1f} s)")
    console.print(f"model: [{'bold red' if warn else 'green'}]{summary.model}[/]")
    if warn:
        console.print("[bold red]WARNING: no trained Norwegian model: organisations come from rules only "
                      "(see README, 'Model').[/]")
    console.print(f"documents: {summary.n_documents}  processed: {summary.n_processed}  "
                  f"reused: {summary.n_reused}  failed: {summary.n_failed}")
    table = Table("table", "rows", "version")
    for name, version in summary.versions.items():
        table.add_row(name, str(summary.rows.get(name, "")), str(version))
    console.print(table)
    for source, error in summary.failures:
        console.print(f"[yellow]failed[/] {source}: {error}")
    review = Path(summary.out) / "review" / "index.html"
    if review.exists():
        console.print(f"review pages: {review.resolve()}")


def cmd_extract(a: argparse.Namespace) -> int:
    from pipeline.store import LockedError

    inputs = a.paths or ["raw"]
    out = Path(a.out)
    try:
        if a.engine == "local":
            from pipeline.run import run_extraction

            summary = run_extraction(inputs, out, a.model, a.batch_docs, a.max_bytes, a.wait_lock, a.doc_timeout)
        else:
            os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
            from flows.extract import extract_flow, with_dask

            flow = with_dask(a.workers, a.dask_address) if (a.workers or a.dask_address) else extract_flow
            summary = flow(inputs=inputs, out=str(out), model=a.model, batch_docs=a.batch_docs,
                           max_bytes=a.max_bytes, lock_wait_s=a.wait_lock, doc_timeout_s=a.doc_timeout)
    except LockedError as e:
        print(f"error: {e}", file=sys.stderr)
        return 3
    _summary(summary)
    return 0


def cmd_review(a: argparse.Namespace) -> int:
    from pipeline.review import build_site

    index = build_site(Path(a.out), Path(a.site) if a.site else None)
    print(f"review site: {index.resolve()}")
    return 0


def cmd_train_model(a: argparse.Namespace) -> int:
    from training.train import train_model

    wheel = train_model(Path(a.norne), Path(a.out), Path(a.config) if a.config else None, final=not a.dev_only,
                        work_dir=Path(a.work_dir), version=a.version)
    print(f"model package: {wheel}\ninstall it with: .venv/bin/pip install --no-deps --force-reinstall {wheel}")
    return 0


def _evaluation_model(name: str | None):
    """The spaCy model to score (no rule components of ours): `name`, or the configured one."""
    from pipeline.nlp import load_model

    nlp, description, _ = load_model("nb", name)
    return nlp, description


def cmd_evaluate(a: argparse.Namespace) -> int:
    from training.evaluate import NER_SETS, evaluate_all, format_all

    nlp, description = _evaluation_model(a.model)
    sets = tuple(a.sets.split(",")) if a.sets else None
    unknown = [s for s in sets or () if s not in NER_SETS and s != "ndt_heldout"]
    if unknown:
        print(f"error: unknown set(s) {unknown}; known: ndt_heldout, {', '.join(NER_SETS)}", file=sys.stderr)
        return 2
    results = evaluate_all(nlp, Path(a.norne), sets=sets, limit=a.limit)
    if a.json:
        print(json.dumps({"model": description, "scores": results}, default=str))
    else:
        print(f"{description} (the pipeline's own tokenization, %)\n")
        print(format_all(results))
    return 0


def cmd_evaluate_ner(a: argparse.Namespace) -> int:
    from training.evaluate import evaluate_ner, format_ner_scores

    nlp, description = _evaluation_model(a.model)
    scores = evaluate_ner(nlp, Path(a.file))
    if a.json:
        print(json.dumps(scores, default=str))
    else:
        print(format_ner_scores(scores, title=f"{description} on {a.file} (exact spans, %)"))
    return 0


def cmd_vacuum(a: argparse.Namespace) -> int:
    from pipeline.store import vacuum

    removed = vacuum(Path(a.out), a.keep_days)
    for name, n in removed.items():
        print(f"{name}: removed {n} files")
    return 0


def cmd_info(a: argparse.Namespace) -> int:
    from pipeline.nlp import get_pipelines
    from pipeline.process import pipeline_version

    p = get_pipelines(a.model)
    print(json.dumps({"model": p.model_description, "nb_pipe_names": p.nb.pipe_names,
                      "en_pipe_names": p.en.pipe_names, "pipeline_version": pipeline_version(p.model_description, p.model)},
                     indent=2))
    return 0


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__)
    sub = ap.add_subparsers(dest="command", required=True)

    e = sub.add_parser("extract", help="run the extraction flow on files or folders and write the tables")
    e.add_argument("paths", nargs="*", help="files or folders (default: raw/)")
    e.add_argument("--out", default="processed", help="output folder (default: processed/)")
    e.add_argument("--engine", choices=["prefect", "local"], default="prefect",
                   help="prefect: the Prefect flow (default); local: the same steps in this process, no Prefect")
    e.add_argument("--workers", type=int, default=None, help="run batches on a local Dask cluster with N workers")
    e.add_argument("--dask-address", default=None, help="run batches on an existing Dask cluster (tcp://host:8786)")
    e.add_argument("--batch-docs", type=int, default=16, help="documents per batch (default 16)")
    e.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES,
                   help=f"files larger than this fail with 'too large' (default {DEFAULT_MAX_BYTES})")
    e.add_argument("--model", default=None, help="spaCy pipeline for Norwegian (default: PIPELINE_MODEL or the first installed)")
    e.add_argument("--doc-timeout", type=float, default=300.0,
                   help="seconds one document may take before it fails with 'timeout' (default 300; 0: no limit)")
    e.add_argument("--wait-lock", type=float, default=0.0, help="seconds to wait for another run on --out (default 0: fail)")
    e.set_defaults(func=cmd_extract)

    r = sub.add_parser("review", help="build the static review site (HTML) from the committed tables")
    r.add_argument("--out", default="processed", help="folder with the tables (default processed/)")
    r.add_argument("--site", default=None, help="where to write the site (default OUT/review/)")
    r.set_defaults(func=cmd_review)

    default_norne = str(Path(__file__).resolve().parents[1].parent / "shared" / "data" / "norne")
    t = sub.add_parser("train-model", help="train the Norwegian pipeline on NorNE/NDT and build its wheel in models/")
    t.add_argument("--norne", default=default_norne, help="the NorNE folder (default ../shared/data/norne)")
    t.add_argument("--out", default="models", help="where the wheel goes (default models/)")
    t.add_argument("--config", default=None,
                   help="spaCy config (default training/configs/core.cfg: the full pipeline; "
                        "training/configs/ner.cfg: the NER-only recipe)")
    t.add_argument("--dev-only", action="store_true",
                   help="NER-only configs: train on train only and keep the best dev checkpoint, not train+dev")
    t.add_argument("--version", default=None,
                   help="the package version (default: 1.0.0 for the full pipeline, 0.2.0 for NER-only)")
    t.add_argument("--work-dir", default="/tmp/train-work",
                   help="scratch folder for the converted data and checkpoints (default /tmp/train-work)")
    t.set_defaults(func=cmd_train_model)

    ev = sub.add_parser("evaluate", help="score the Norwegian model: NER per label on the NorNE dev/test files; "
                                         "POS, tags, lemmas, UAS, LAS on the held-out NDT files")
    ev.add_argument("--norne", default=default_norne, help="the NorNE folder (default ../shared/data/norne)")
    ev.add_argument("--model", default=None, help="the pipeline to score (default: the configured one)")
    ev.add_argument("--sets", default=None,
                    help="comma-separated subset of ndt_heldout,bokmaal_dev,bokmaal_test,nynorsk_dev,nynorsk_test")
    ev.add_argument("--limit", type=int, default=0, help="read only the first N sentences of each file (quick checks)")
    ev.add_argument("--json", action="store_true", help="print the scores as JSON")
    ev.set_defaults(func=cmd_evaluate)

    n = sub.add_parser("evaluate-ner", help="score the Norwegian pipeline's entities on one NorNE CoNLL-U file")
    n.add_argument("file", help="a NorNE .conllu file, e.g. ../shared/data/norne/ud/nob/no_bokmaal-ud-test.conllu")
    n.add_argument("--json", action="store_true", help="print spaCy's score dict as JSON")
    n.add_argument("--model", default=None, help="the pipeline to score (default: the configured one)")
    n.set_defaults(func=cmd_evaluate_ner)

    v = sub.add_parser("vacuum", help="remove table versions older than --keep-days (explicit retention)")
    v.add_argument("--out", default="processed")
    v.add_argument("--keep-days", type=float, required=True)
    v.set_defaults(func=cmd_vacuum)

    i = sub.add_parser("info", help="show the model and components a run would use")
    i.add_argument("--model", default=None)
    i.set_defaults(func=cmd_info)
    return ap


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("pipeline").setLevel(logging.INFO)  # progress lines
    a = build_parser().parse_args(argv)
    code = a.func(a)
    gc.collect()  # release delta-rs/pyarrow objects before interpreter exit (delta-rs issue 2184)
    sys.stdout.flush()
    return code
