"""Command line: `norextract COMMAND` or `python -m pipeline COMMAND` (see --help).

Exit status: 0 done (also when some documents failed), 1 unexpected error, 2 usage error,
3 the output folder is locked by another run, 130 interrupted (Ctrl-C or SIGTERM).
Environment: NOREXTRACT_OUT is the default output folder (else `processed`).
"""
from __future__ import annotations

import argparse
import atexit
import gc
import json
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

from pipeline.run.interrupt import EXIT_INTERRUPTED
from pipeline.read import DEFAULT_MAX_BYTES

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 3
OUT_ENV = "NOREXTRACT_OUT"


class UsageError(Exception):
    """A mistake on the command line: one line on stderr and exit 2, before anything is written."""


# -- argument types: numeric bounds are checked by argparse, as usage errors --------------------

def _bounded(kind: type, low: float, strict: bool):
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {'an integer' if kind is int else 'a number'}") from None
        if value < low or (strict and value == low):
            raise argparse.ArgumentTypeError(f"must be {'>' if strict else '>='} {low}, not {text}")
        return value

    return parse


positive_int = _bounded(int, 0, strict=True)
non_negative_float = _bounded(float, 0, strict=False)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, not the usage block
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see --help)\n")


# -- checks before a run: a usage error leaves nothing behind -----------------------------------

def writable_folder(path: Path, option: str = "--out") -> Path:
    """`path` as a folder we can write to (created if missing), else UsageError."""
    if path.exists() and not path.is_dir():
        raise UsageError(f"{option} {path}: is a file, not a folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as e:
        raise UsageError(f"{option} {path}: not a writable folder ({e.strerror or e})") from None
    return path


def check_model(name: str | None) -> None:
    from pipeline.nlp import UnknownModelError, check_model

    try:
        check_model(name)
    except UnknownModelError as e:
        raise UsageError(str(e)) from None


# -- commands -----------------------------------------------------------------------------------

def _summary_line(s: dict) -> str:
    return (f"run {s['run_id']} ({s['mode']}): {s['n_documents']} documents, {s['n_processed']} processed, "
            f"{s['n_reused']} reused, {s['n_kept']} kept, {s['n_removed']} removed, {s['n_failed']} failed "
            f"-> {s['out']} ({s['seconds']:.1f} s)")


def _print_summary(s: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    from pipeline.run.summary import COUNTS, table_rows

    console = Console(stderr=False)
    warn = "blank" in s["model"]
    console.print(f"run [bold]{s['run_id']}[/] -> {s['out']}  ({s['seconds']:.1f} s)")
    console.print(f"model: [{'bold red' if warn else 'green'}]{s['model']}[/]")
    if warn:
        console.print("[bold red]WARNING: no trained Norwegian model: organisations come from rules only "
                      "(see README, 'Model').[/]")
    counts = "  ".join(f"{label}: {s[key]}" for label, key in COUNTS)
    console.print(f"mode: {s['mode']}  {counts}", highlight=False)
    table = Table("table", "rows", "version")
    for row in table_rows(s):
        table.add_row(*row)
    console.print(table)
    for f in s["failures"]:
        console.print(f"[yellow]failed[/] {f['source']}: {f['error']}", markup=True, highlight=False)
    if s["review"]:
        console.print(f"review pages: {s['review']}")


def _report(summary, a: argparse.Namespace) -> int:
    """The summary of a committed run: JSON (--json), one line (-q) or the table."""
    from pipeline.run.summary import summary_fields

    s = summary_fields(summary, time.monotonic() - a.started)  # wall time, the server start included
    if getattr(a, "json", False):
        print(json.dumps(s, default=str))
    elif a.verbosity < 0:
        print(_summary_line(s))
    else:
        if s["mode"] == "remove":
            print(f"removed {s['n_removed']} documents")
        _print_summary(s)
    return EXIT_OK


def cmd_extract(a: argparse.Namespace) -> int:
    inputs = a.paths or ["raw"]
    modes = {"sync": a.sync, "allow_empty": a.allow_empty, "force": a.force}
    from pipeline.run.interrupt import stop_on_signals

    check_model(a.model)
    if a.engine == "local":
        from pipeline.run import run_extraction

        out = writable_folder(Path(a.out))
        stop_on_signals(out)
        summary = run_extraction(inputs, out, a.model, a.batch_docs, a.max_bytes, a.wait_lock, a.doc_timeout, **modes)
    else:
        from pipeline.run import plan_run

        plan_run(inputs, Path(a.out), a.model, a.max_bytes, **modes)  # the guards, before Prefect starts (the flow checks again)
        out = writable_folder(Path(a.out))
        stop_on_signals(out)
        from flows.extract import extract_flow, with_dask

        flow = with_dask(a.workers, a.dask_address) if (a.workers or a.dask_address) else extract_flow
        summary = flow(inputs=inputs, out=str(out), model=a.model, batch_docs=a.batch_docs,
                       max_bytes=a.max_bytes, lock_wait_s=a.wait_lock, doc_timeout_s=a.doc_timeout, **modes)
    return _report(summary, a)


def cmd_remove(a: argparse.Namespace) -> int:
    from pipeline.run import remove_documents

    return _report(remove_documents(Path(a.out), a.documents, a.wait_lock), a)


def cmd_review(a: argparse.Namespace) -> int:
    from pipeline.review import build_site
    from pipeline.store import latest_run_id

    out = Path(a.out)
    if not out.is_dir() or latest_run_id(out) is None:
        raise UsageError(f"--out {out}: no committed run there (run `extract --out {out}` first)")
    index = build_site(out, Path(a.site) if a.site else None)
    print(f"review site: {index.resolve()}")
    return EXIT_OK


def cmd_train_model(a: argparse.Namespace) -> int:
    from training.assemble import DEFAULT_NER
    from training.train import train_model

    ner = None if a.ner == "trained" else (a.ner or DEFAULT_NER)
    wheel = train_model(Path(a.norne), Path(a.out), Path(a.config) if a.config else None, final=not a.dev_only,
                        work_dir=Path(a.work_dir), version=a.version, ner=ner, nynorsk_train=a.nynorsk_train)
    print(f"model package: {wheel}\ninstall it with: .venv/bin/pip install --no-deps --force-reinstall {wheel}")
    return EXIT_OK


def _evaluation_model(name: str | None):
    """The spaCy model to score (no rule components of ours): `name`, or the configured one."""
    check_model(name)
    from pipeline.nlp import load_model

    nlp, description, _ = load_model("nb", name)
    return nlp, description


def cmd_evaluate(a: argparse.Namespace) -> int:
    from training.evaluate import NER_SETS, evaluate_all, format_all

    nlp, description = _evaluation_model(a.model)
    sets = tuple(a.sets.split(",")) if a.sets else None
    unknown = [s for s in sets or () if s not in NER_SETS and s != "ndt_heldout"]
    if unknown:
        raise UsageError(f"unknown set(s) {unknown}; known: ndt_heldout, {', '.join(NER_SETS)}")
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
    return EXIT_OK


def cmd_vacuum(a: argparse.Namespace) -> int:
    from pipeline.store import vacuum

    removed = vacuum(Path(a.out), a.keep_days)
    for name, n in removed.items():
        print(f"{name}: removed {n} files")
    return EXIT_OK


def cmd_info(a: argparse.Namespace) -> int:
    check_model(a.model)
    from pipeline.nlp import get_pipelines
    from pipeline.run.process import pipeline_version

    p = get_pipelines(a.model)
    print(json.dumps({"model": p.model_description, "nb_pipe_names": p.nb.pipe_names,
                      "en_pipe_names": p.en.pipe_names, "pipeline_version": pipeline_version(p.model_description, p.model)},
                     indent=2))
    return EXIT_OK


def version_text() -> str:
    """The package version, and the pipeline version and model a run would use (meta.json only)."""
    from importlib.metadata import PackageNotFoundError, version

    from pipeline.nlp import model_description
    from pipeline.run.process import pipeline_version

    try:
        package = version("norextract")
    except PackageNotFoundError:
        package = "unknown (not installed)"
    try:
        model = model_description()
        return f"norextract {package}\npipeline {pipeline_version(model)}\nmodel {model}"
    except Exception as e:  # a broken PIPELINE_MODEL must not hide the version
        return f"norextract {package}\nmodel: {e}"


class _Version(argparse.Action):
    def __init__(self, option_strings, dest, **kwargs):
        super().__init__(option_strings, dest, nargs=0, help="print the version, the pipeline version and the model, and exit")

    def __call__(self, parser, namespace, values, option_string=None):
        print(version_text())
        parser.exit()


def build_parser(prog: str = "python -m pipeline") -> argparse.ArgumentParser:
    default_out = os.environ.get(OUT_ENV) or "processed"
    ap = _Parser(prog=prog, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--version", action=_Version)
    # -q/-v before or after the command; SUPPRESS keeps a subcommand from resetting the top level's value
    verbosity = _Parser(add_help=False)
    for parser, default in ((ap, 0), (verbosity, argparse.SUPPRESS)):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("-v", "--verbose", dest="verbosity", action="store_const", const=1, default=default,
                           help="debug logs, Prefect's and Dask's INFO lines, tracebacks")
        group.add_argument("-q", "--quiet", dest="verbosity", action="store_const", const=-1, default=default,
                           help="only errors (and for extract the one-line result)")
    sub = ap.add_subparsers(dest="command", required=True)
    add = lambda name, **kw: sub.add_parser(name, parents=[verbosity], **kw)  # noqa: E731

    e = add(
        "extract", help="run the extraction flow on files or folders and write the tables",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Run modes:\n"
        "  add/update (default)  the documents given are added, or refreshed when their bytes changed (a\n"
        "                        path given again with new bytes replaces its old document); every other\n"
        "                        document of the newest version is kept as it is.\n"
        "  sync (--sync)         the tables hold exactly the documents under the given paths; documents\n"
        "                        gone from them disappear from the newest version (make run, nightly).\n"
        "Guards (exit 2, nothing written): a path that does not exist; a sync with no documents\n"
        "(--allow-empty); a sync that would drop more than half of the documents (--force).\n"
        "Remove documents with `python -m pipeline remove`.\n"
        "Ctrl-C or SIGTERM: one line, exit 130, nothing committed; processed batches are kept for the next run.")
    e.add_argument("paths", nargs="*", help="files or folders (default: raw/)")
    e.add_argument("--out", metavar="DIR", default=default_out, help=f"output folder (default: ${OUT_ENV} or processed/)")
    e.add_argument("--engine", choices=["prefect", "local"], default="prefect",
                   help="prefect: the Prefect flow (default); local: the same steps in this process, no Prefect")
    e.add_argument("--workers", metavar="N", type=positive_int, default=None, help="run batches on a local Dask cluster with N workers")
    e.add_argument("--dask-address", metavar="URL", default=None, help="run batches on an existing Dask cluster (tcp://host:8786)")
    e.add_argument("--batch-docs", metavar="N", type=positive_int, default=16, help="documents per batch (default 16)")
    e.add_argument("--max-bytes", metavar="N", type=positive_int, default=DEFAULT_MAX_BYTES,
                   help=f"files larger than this fail with 'too large' (default {DEFAULT_MAX_BYTES})")
    e.add_argument("--model", default=None, metavar="NAME",
                   help="spaCy pipeline for Norwegian: an installed package, a folder, or blank:nb for rules only "
                        "(default: PIPELINE_MODEL or the first installed)")
    e.add_argument("--doc-timeout", metavar="S", type=non_negative_float, default=300.0,
                   help="seconds one document may take before it fails with 'timeout' (default 300; 0: no limit)")
    e.add_argument("--wait-lock", metavar="S", type=non_negative_float, default=0.0,
                   help="seconds to wait for another run on --out (default 0: fail at once, exit 3)")
    e.add_argument("--sync", action="store_true",
                   help="the tables hold exactly the documents under PATHs; others are dropped (default: add/update)")
    e.add_argument("--allow-empty", action="store_true", help="let a sync with no documents empty the tables")
    e.add_argument("--force", action="store_true", help="let a sync drop more than half of the documents")
    e.add_argument("--json", action="store_true", help="print the run summary as one JSON object on stdout")
    e.set_defaults(func=cmd_extract)

    m = add("remove", help="drop documents by doc_id (or its first 6+ characters) or source path; "
                           "commits a new version of every table")
    m.add_argument("documents", nargs="+", metavar="ID_OR_PATH",
                   help="a doc_id, a unique start of one (6+ characters), or a source path (a folder: every document under it)")
    m.add_argument("--out", metavar="DIR", default=default_out, help=f"output folder (default: ${OUT_ENV} or processed/)")
    m.add_argument("--wait-lock", metavar="S", type=non_negative_float, default=0.0,
                   help="seconds to wait for another run on --out (default 0: fail at once, exit 3)")
    m.add_argument("--json", action="store_true", help="print the summary as one JSON object on stdout")
    m.set_defaults(func=cmd_remove)

    r = add("review", help="build the static review site (HTML) from the committed tables")
    r.add_argument("--out", metavar="DIR", default=default_out, help=f"folder with the tables (default: ${OUT_ENV} or processed/)")
    r.add_argument("--site", default=None, help="where to write the site (default OUT/review/)")
    r.set_defaults(func=cmd_review)

    default_norne = str(Path(__file__).resolve().parents[1].parent / "shared" / "data" / "norne")
    t = add("train-model", help="train the Norwegian pipeline on NorNE/NDT and build its wheel in models/")
    t.add_argument("--norne", default=default_norne, help="the NorNE folder (default ../shared/data/norne)")
    t.add_argument("--out", default="models", help="where the wheel goes (default models/)")
    t.add_argument("--config", default=None,
                   help="spaCy config (default training/configs/core.cfg: the full pipeline; "
                        "training/configs/ner.cfg: the NER-only recipe)")
    t.add_argument("--dev-only", action="store_true",
                   help="NER-only configs: train on train only and keep the best dev checkpoint, not train+dev")
    t.add_argument("--version", default=None,
                   help="the package version (default: 1.1.0 for the full pipeline, 1.0.0 with --ner trained, 0.2.0 for NER-only)")
    t.add_argument("--ner", default=None,
                   help="full pipeline: whose NER it ships (training/assemble.py; default the committed nb_norne_sm "
                        "0.2.0 wheel; `trained`: the NER trained with it)")
    t.add_argument("--nynorsk-train", action="store_true",
                   help="NER-only configs: also train on the nynorsk NDT train file (names)")
    t.add_argument("--work-dir", default="/tmp/train-work",
                   help="scratch folder for the converted data and checkpoints (default /tmp/train-work)")
    t.set_defaults(func=cmd_train_model)

    ev = add("evaluate", help="score the Norwegian model: NER per label on the NorNE dev/test files; "
                            "POS, tags, lemmas, UAS, LAS on the held-out NDT files")
    ev.add_argument("--norne", default=default_norne, help="the NorNE folder (default ../shared/data/norne)")
    ev.add_argument("--model", default=None, help="the pipeline to score (default: the configured one)")
    ev.add_argument("--sets", default=None,
                    help="comma-separated subset of ndt_heldout,bokmaal_dev,bokmaal_test,nynorsk_dev,nynorsk_test")
    ev.add_argument("--limit", type=int, default=0, help="read only the first N sentences of each file (quick checks)")
    ev.add_argument("--json", action="store_true", help="print the scores as JSON")
    ev.set_defaults(func=cmd_evaluate)

    n = add("evaluate-ner", help="score the Norwegian pipeline's entities on one NorNE CoNLL-U file")
    n.add_argument("file", help="a NorNE .conllu file, e.g. ../shared/data/norne/ud/nob/no_bokmaal-ud-test.conllu")
    n.add_argument("--json", action="store_true", help="print spaCy's score dict as JSON")
    n.add_argument("--model", default=None, help="the pipeline to score (default: the configured one)")
    n.set_defaults(func=cmd_evaluate_ner)

    v = add("vacuum", help="remove table versions older than --keep-days (explicit retention)")
    v.add_argument("--out", metavar="DIR", default=default_out, help=f"folder with the tables (default: ${OUT_ENV} or processed/)")
    v.add_argument("--keep-days", metavar="DAYS", type=non_negative_float, required=True, help="keep versions newer than this many days")
    v.set_defaults(func=cmd_vacuum)

    i = add("info", help="show the model and components a run would use")
    i.add_argument("--model", default=None, help="the pipeline to show (default: the configured one)")
    i.set_defaults(func=cmd_info)
    return ap


class _HidePrefectRunReports(logging.Filter):
    """Prefect's own reports on its flow and task runs ("Crash detected!", "Finished in state
    Failed" and a traceback): the command line reports the outcome itself (summary or one line)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.name.startswith(("prefect.flow_runs", "prefect.task_runs"))


def configure_logging(verbosity: int) -> None:
    """Log levels for us, Prefect and Dask; set before Prefect or Dask is imported (both read
    their settings from the environment then). Default: our progress and warnings, and only
    Prefect's and Dask's warnings (no per-task "Finished in state Completed()", no banners)."""
    level = {-1: logging.ERROR, 0: logging.INFO, 1: logging.DEBUG}[verbosity]
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if verbosity < 1:
        for handler in logging.getLogger().handlers:
            handler.addFilter(_HidePrefectRunReports())
    logging.getLogger("pipeline").setLevel(level)
    os.environ["PREFECT_LOGGING_LEVEL"] = {-1: "ERROR", 0: "WARNING", 1: "INFO"}[verbosity]
    # the temporary server shares our stderr; on Ctrl-C in a terminal it gets the SIGINT too, and
    # its services log their cancellation with tracebacks
    os.environ["PREFECT_SERVER_LOGGING_LEVEL"] = "WARNING" if verbosity > 0 else "CRITICAL"
    # Dask's warnings and errors are about its own workers and tasks (a restart, a slow shutdown,
    # "Couldn't gather keys" of a run being interrupted); what reaches the run comes back as an exception
    # (the whole logging map: distributed's own default keeps "distributed.client" at warning)
    dask_level = "info" if verbosity > 0 else "critical"
    dask_loggers = ("distributed", "distributed.client", "bokeh", "tornado", "tornado.application")
    os.environ["DASK_LOGGING"] = repr({name: dask_level for name in dask_loggers})
    if verbosity < 1:  # an interrupted Dask run leaves its semaphores to multiprocessing's tracker, which warns
        quiet_tracker = "ignore:resource_tracker:UserWarning"
        os.environ["PYTHONWARNINGS"] = ",".join(filter(None, [os.environ.get("PYTHONWARNINGS"), quiet_tracker]))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # a loaded machine can take more than Prefect's default 20 s to start the temporary server
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")


def main(argv: list[str] | None = None, prog: str = "python -m pipeline") -> int:
    started = time.monotonic()
    a = build_parser(prog).parse_args(argv)
    a.started = started
    configure_logging(a.verbosity)
    from pipeline.run import RunRefused
    from pipeline.store import LockedError

    try:
        code = a.func(a)
    except (UsageError, RunRefused) as e:  # RunRefused: a guard stopped the run before anything was written
        print(f"error: {e}", file=sys.stderr)
        code = EXIT_USAGE
    except LockedError as e:
        print(f"error: {e}", file=sys.stderr)
        code = EXIT_LOCKED
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        code = EXIT_INTERRUPTED
    except Exception as e:  # last resort: one line, the traceback with -v
        if a.verbosity > 0:
            raise
        first = (str(e).strip().splitlines() or [""])[0]
        print(f"error: {type(e).__name__}: {first} (run with -v for the traceback)", file=sys.stderr)
        code = EXIT_ERROR
    gc.collect()  # release delta-rs/pyarrow objects before interpreter exit (delta-rs issue 2184)
    sys.stdout.flush()
    return code


def entry(prog: str = "norextract") -> None:
    """The `norextract` console script (and `python -m pipeline`): main, then leave without the
    interpreter's teardown: delta-rs/pyarrow can abort there after a successful commit
    ("terminate called without an active exception", delta-rs issue 2184), and a committed run
    must exit 0. Exit handlers (e.g. Prefect's temporary server shutdown) still run."""
    code = main(prog=prog)
    sys.stdout.flush()
    sys.stderr.flush()
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
