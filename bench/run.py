"""The benchmark: one run, one corpus, every figure of issue 8 (README "Performance").

    python -m bench.run [--n 1000] [--seed 7] [--out bench/results.json] [--skip-dask]

1. corpus: N documents recombined (fixed seed) from the paragraphs of raw/ and, where present,
   ../shared/corpus, with lengths from a 500-character news item to an 80,000-character report;
2. the limit: bare `nlp.pipe` of the same spaCy model (none of our components) over the
   cleaned texts, at the best batch size tried;
3. the library: read -> clean -> nlp (with our components) -> extract, no Prefect, no storage,
   with per-document timing (long vs short documents) and a profile for the hot spots;
4. the product: `python -m pipeline extract` cold, warm, and with 1% of the documents
   changed, against a Prefect server started first (its start time is reported separately);
5. memory: RSS of the cold product run, sampled through the run;
6. scale-out: the flow on a local Dask cluster with 1 and 2 worker processes.
"""
from __future__ import annotations

import argparse
import cProfile
import json
import os
import platform
import pstats
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "corpus"
LENGTHS = [(0.80, 500, 2_000), (0.17, 2_000, 12_000), (0.03, 20_000, 80_000)]  # share, min, max chars
SHORT_MAX, LONG_MIN = 3_000, 50_000
PROGRESS = re.compile(r"progress (\d+)/(\d+) documents")


# --- 1. corpus -----------------------------------------------------------------------------

def source_paragraphs() -> list[str]:
    from pipeline.clean import clean
    from pipeline.read import read_document

    files = sorted(p for p in (REPO / "raw").iterdir() if p.suffix in (".txt", ".md"))
    if SHARED.exists():
        files += sorted(SHARED.glob("*/*.txt"))
    paragraphs = []
    for f in files:
        doc = read_document(f)
        if doc.ok:
            ct = clean(doc.text)
            for s in ct.segments:
                text = ct.segment_text(s)
                paragraphs.append(("• " + text) if s.kind == "list_item" else text)
    return paragraphs


def build_corpus(n: int, seed: int, folder: Path) -> list[Path]:
    """N documents of realistic lengths, reproducible from the seed."""
    rng = random.Random(seed)
    paragraphs = source_paragraphs()
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        r, acc = rng.random(), 0.0
        for share, lo, hi in LENGTHS:
            acc += share
            if r <= acc:
                break
        target = rng.randint(lo, hi)
        start = rng.randrange(len(paragraphs))
        parts, size = [], 0
        while size < target:  # mostly consecutive paragraphs (documents stay coherent), sometimes a jump
            start = start + 1 if rng.random() < 0.8 else rng.randrange(len(paragraphs))
            p = paragraphs[start % len(paragraphs)]
            parts.append(p)
            size += len(p) + 2
        path = folder / f"doc{i:05d}.txt"
        path.write_text("\n\n".join(parts), encoding="utf-8")
        paths.append(path)
    return paths


# --- 2.-3. the limit and the library -------------------------------------------------------

def words(text: str) -> int:
    return len(text.split())


def bare_nlp(texts: list[str], model_name: str, batch_sizes=(8, 32, 128)) -> dict:
    """Words per second of the model alone at the best batch size (chosen on a sample)."""
    import spacy

    nlp = spacy.load(model_name)
    nlp.max_length = max(nlp.max_length, max(len(t) for t in texts) + 1)
    sample = texts[: max(100, len(texts) // 10)]  # enough documents that every batch size fills batches
    best, best_wps = batch_sizes[0], 0.0
    for bs in batch_sizes:
        t = time.perf_counter()
        for _ in nlp.pipe(sample, batch_size=bs):
            pass
        wps = sum(map(words, sample)) / (time.perf_counter() - t)
        if wps > best_wps:
            best, best_wps = bs, wps
    t = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=best):
        pass
    return {"bare_nlp_wps": sum(map(words, texts)) / (time.perf_counter() - t), "bare_nlp_batch_size": best}


def library(paths: list[Path], sizes: list[int]) -> dict:
    """read -> clean -> nlp -> extract, no Prefect, no storage, in batches of documents as the
    product runs them (`pipeline.run.DEFAULT_BATCH_DOCS` per `process_documents` call).
    `sizes`: each document's cleaned length. Short documents are timed again on their own (in
    batches), and each long document alone, for their words per second."""
    from pipeline.nlp import get_pipelines
    from pipeline.run.process import process_documents
    from pipeline.read import read_document
    from pipeline.run import DEFAULT_BATCH_DOCS

    pipelines = get_pipelines()

    def timed(batches: list[list[Path]]) -> tuple[int, float]:
        n, seconds = 0, 0.0
        for batch in batches:
            t = time.perf_counter()
            result = process_documents([read_document(p) for p in batch], pipelines, timeout_s=None)
            seconds += time.perf_counter() - t
            n += sum(words(r["text"]) for r in result.rows["texts"])
        return n, seconds

    def in_batches(ps: list[Path]) -> list[list[Path]]:
        return [ps[i : i + DEFAULT_BATCH_DOCS] for i in range(0, len(ps), DEFAULT_BATCH_DOCS)]

    def wps(n_s: tuple[int, float]) -> float | None:
        return n_s[0] / n_s[1] if n_s[1] > 0 else None

    short = [p for p, size in zip(paths, sizes) if size <= SHORT_MAX]
    long = [p for p, size in zip(paths, sizes) if size >= LONG_MIN]
    return {
        "library_wps": wps(timed(in_batches(paths))),
        "short_doc_wps": wps(timed(in_batches(short))),
        "long_doc_wps": wps(timed([[p] for p in long])),
        "n_short_docs": len(short),
        "n_long_docs": len(long),
    }


def hotspots(paths: list[Path], top: int = 5) -> list[dict]:
    """The costliest functions (own time) of the library over the given documents."""
    from pipeline.nlp import get_pipelines
    from pipeline.run.process import process_documents
    from pipeline.read import read_document
    from pipeline.run import DEFAULT_BATCH_DOCS

    pipelines = get_pipelines()
    prof = cProfile.Profile()
    prof.enable()
    for i in range(0, len(paths), DEFAULT_BATCH_DOCS):
        process_documents([read_document(p) for p in paths[i : i + DEFAULT_BATCH_DOCS]], pipelines, timeout_s=None)
    prof.disable()
    stats = pstats.Stats(prof).stats
    rows = sorted(((v[2], k) for k, v in stats.items()), reverse=True)[:top]
    return [{"function": f"{Path(k[0]).name}:{k[1]}({k[2]})", "seconds": round(t, 3)} for t, k in rows]


# --- 4.-6. the product -----------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_prefect_server(home: Path) -> tuple[subprocess.Popen, str, float]:
    port = free_port()
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                             "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}/api"
    while time.perf_counter() - t < 180:
        try:
            with urllib.request.urlopen(url + "/health", timeout=2) as r:
                if r.status == 200:
                    return proc, url, time.perf_counter() - t
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("Prefect server did not start")


def product_run(corpus: Path, out: Path, env: dict, extra: list[str] = (), sample_rss: bool = False) -> dict:
    """One `python -m pipeline extract` run: wall time, and RSS over the run when asked."""
    cmd = [sys.executable, "-m", "pipeline", "extract", str(corpus), "--out", str(out), *extra]
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    samples: list[tuple[int, float]] = []  # (documents done, RSS MB)
    done = [0]

    def read_progress():
        for line in proc.stderr:
            m = PROGRESS.search(line)
            if m:
                done[0] = int(m.group(1))

    reader = threading.Thread(target=read_progress, daemon=True)
    reader.start()
    ps = psutil.Process(proc.pid)
    while proc.poll() is None:
        if sample_rss:
            try:
                rss = ps.memory_info().rss + sum(c.memory_info().rss for c in ps.children(recursive=True))
                samples.append((done[0], rss / 2**20))
            except psutil.Error:
                pass
        time.sleep(0.2)
    reader.join(5)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}")
    result = {"seconds": time.perf_counter() - t}
    if sample_rss and samples:
        n = max(d for d, _ in samples) or 1
        first = [r for d, r in samples if d <= max(1, n // 10)]
        result.update(rss_first10pct_mb=max(first) if first else None, rss_peak_mb=max(r for _, r in samples))
    return result


def dask_run(corpus: Path, out: Path, env: dict, workers: int) -> float:
    return product_run(corpus, out, env, ["--workers", str(workers)])["seconds"]


def git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def machine() -> str:
    cpu = platform.processor() or ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, " \
           f"{psutil.virtual_memory().total / 2**30:.0f} GiB, {cpu}, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1000, help="documents in the corpus (default 1000)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", default=str(REPO / "bench" / "results.json"))
    ap.add_argument("--skip-dask", action="store_true", help="leave out the scale-out runs")
    ap.add_argument("--library-only", action="store_true",
                    help="only the corpus, the bare model and the library (no product, memory or Dask runs)")
    ap.add_argument("--profile-docs", type=int, default=60, help="documents profiled for the hot spots")
    a = ap.parse_args(argv)

    from pipeline.clean import clean
    from pipeline.nlp import get_pipelines
    from pipeline.read import read_document

    work = Path(tempfile.mkdtemp(prefix="bench-"))
    server = None
    try:
        corpus = work / "corpus"
        paths = build_corpus(a.n, a.seed, corpus)
        texts = [clean(read_document(p).text).text for p in paths]
        r: dict = {"machine": machine(), "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                   "commit": git_commit(), "n_docs": len(paths), "n_words": sum(map(words, texts)),
                   "n_chars": sum(map(len, texts))}
        model = get_pipelines().model_description
        r["model"] = model
        model_name = get_pipelines().nb.meta.get("lang", "nb") + "_" + get_pipelines().nb.meta.get("name", "")
        print(f"corpus: {r['n_docs']} documents, {r['n_words']} words; model {model}", flush=True)
        if get_pipelines().nb.meta.get("name") and "blank" not in model:
            r.update(bare_nlp(texts, model_name))
        else:  # no trained model: the limit is the blank tokenizer
            import spacy

            t = time.perf_counter()
            for _ in spacy.blank("nb").pipe(texts):
                pass
            r.update(bare_nlp_wps=r["n_words"] / (time.perf_counter() - t), bare_nlp_batch_size=None)
        print(f"bare nlp: {r['bare_nlp_wps']:.0f} words/s", flush=True)
        r.update(library(paths, [len(t) for t in texts]))
        r["library_ratio"] = r["library_wps"] / r["bare_nlp_wps"]
        print(f"library: {r['library_wps']:.0f} words/s ({r['library_ratio']:.2f} of bare)", flush=True)
        r["hotspots"] = hotspots(paths[: a.profile_docs])
        if a.library_only:
            return _finish(r, a.out)

        server, url, r["server_start_s"] = start_prefect_server(work / "prefect-home")
        env = {**os.environ, "PREFECT_API_URL": url, "PREFECT_HOME": str(work / "prefect-home"),
               "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PIPELINE_PROGRESS_EVERY_S": "0"}
        out = work / "out"
        cold = product_run(corpus, out, env, sample_rss=True)
        r.update(cold_s=cold["seconds"], rss_first10pct_mb=cold.get("rss_first10pct_mb"),
                 rss_peak_mb=cold.get("rss_peak_mb"))
        r["product_wps"] = r["n_words"] / r["cold_s"]
        r["warm_s"] = product_run(corpus, out, env)["seconds"]
        rng = random.Random(a.seed + 1)
        for p in rng.sample(paths, max(1, len(paths) // 100)):
            with open(p, "a", encoding="utf-8") as f:
                f.write("\n\nEndret: Innovasjon Norge får 12 mill. kroner ekstra i 2026.")
        r["changed_1pct_s"] = product_run(corpus, out, env)["seconds"]
        r["warm_ratio"] = r["warm_s"] / r["cold_s"]
        r["changed_1pct_ratio"] = r["changed_1pct_s"] / r["cold_s"]
        print(f"product: cold {r['cold_s']:.1f} s, warm {r['warm_s']:.1f} s, 1% changed {r['changed_1pct_s']:.1f} s",
              flush=True)
        if not a.skip_dask:
            s1 = dask_run(corpus, work / "out-dask1", env, 1)
            s2 = dask_run(corpus, work / "out-dask2", env, 2)
            r.update(dask_1_wps=r["n_words"] / s1, dask_2_wps=r["n_words"] / s2, dask_speedup=s1 / s2)
            print(f"dask: 1 worker {r['dask_1_wps']:.0f} words/s, 2 workers {r['dask_2_wps']:.0f} words/s", flush=True)
        if r.get("rss_first10pct_mb"):
            r["rss_ratio"] = r["rss_peak_mb"] / r["rss_first10pct_mb"]
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(30)
        shutil.rmtree(work, ignore_errors=True)
    return _finish(r, a.out)


def _finish(r: dict, out: str) -> dict:
    Path(out).write_text(json.dumps(r, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table(r))
    return r


def table(r: dict) -> str:
    def f(v, fmt="{:.0f}"):
        return "-" if v is None else fmt.format(v)

    rows = [
        ("corpus", f"{r['n_docs']} documents, {r['n_words']} words"),
        ("bare nlp (the limit)", f"{f(r.get('bare_nlp_wps'))} words/s (batch {r.get('bare_nlp_batch_size')})"),
        ("library", f"{f(r.get('library_wps'))} words/s = {f(r.get('library_ratio'), '{:.2f}')} of bare (goal >= 0.80)"),
        ("short / long documents", f"{f(r.get('short_doc_wps'))} / {f(r.get('long_doc_wps'))} words/s"),
        ("Prefect server start", f"{f(r.get('server_start_s'), '{:.1f}')} s (not in the runs below)"),
        ("product cold", f"{f(r.get('cold_s'), '{:.1f}')} s"),
        ("product warm re-run", f"{f(r.get('warm_s'), '{:.1f}')} s = {f(r.get('warm_ratio'), '{:.3f}')} of cold (goal <= 0.05)"),
        ("product 1% changed", f"{f(r.get('changed_1pct_s'), '{:.1f}')} s = {f(r.get('changed_1pct_ratio'), '{:.3f}')} of cold (goal <= 0.10)"),
        ("RSS first 10% / peak", f"{f(r.get('rss_first10pct_mb'))} / {f(r.get('rss_peak_mb'))} MB = {f(r.get('rss_ratio'), '{:.2f}')} (goal <= 1.25)"),
        ("Dask 1 / 2 workers", f"{f(r.get('dask_1_wps'))} / {f(r.get('dask_2_wps'))} words/s = {f(r.get('dask_speedup'), '{:.2f}')}x (goal >= 1.6)"),
    ]
    lines = ["| measure | result |", "|---|---|", *[f"| {a} | {b} |" for a, b in rows]]
    lines.append("")
    lines.append("Hot spots (own time, profile of the library): " + "; ".join(
        f"{h['function']} {h['seconds']:.2f} s" for h in r.get("hotspots", [])))
    return "\n".join(lines)


if __name__ == "__main__":
    main()
