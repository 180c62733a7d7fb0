"""The benchmark: one run, one corpus, every figure of issues 8 and 23 (README "Performance").

    python -m bench.run [--n 1000] [--seed 7] [--out bench/results.json] [--skip-dask]

1. corpus: N documents recombined (fixed seed) from the paragraphs of raw/ and, where present,
   ../shared/corpus, with lengths from a 500-character news item to an 80,000-character report;
2.-3. the limit and the library, side by side on every third document (a seeded sample) in five
   rounds: in each round the bare `nlp.pipe` of the Norwegian pipeline a run loads (pipeline/nlp.py's
   default model, every component a run runs except ours: `bare_pipeline`) over the round's cleaned
   texts, the NER-only model (`nb_norne_sm`) on every third round as a reference line, then the
   library (read -> clean -> nlp with our components -> extract, no Prefect, no storage) over the
   same documents, 16 short or medium documents together as the product batches them and each long
   one alone (short and long documents' words per second come from these groups); then a profile
   of the library for the hot spots;
4. the ad-hoc command: `python -m pipeline extract ONE.txt --out X`, process start to exit, with
   `--engine local` and with Prefect (its temporary server), median of 3;
5. the product: `python -m pipeline extract` cold, warm, and with 1% of the documents
   changed, against a Prefect server started first (its start time is reported separately);
6. memory: RSS of the cold product run, sampled through the run;
7. scale-out: the flow on a local Dask cluster with 1 and 2 worker processes, on every third
   document (a seeded sample).

The results go to `--out` (bench/results.json); with the default `--out`, the README's
"Performance" block (between the `bench:results` marker comments) is rewritten from that file.
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
import resource
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
NER_ONLY_MODEL = "nb_norne_sm"  # the reference line beside the full pipeline
BARE_BATCH_SIZE = 32  # nlp.pipe's batch size for the limit (8, 32 and 128 were within 5% of each other here)
LIBRARY_SHARE = 3  # the limit and the library are timed on every third document (a seeded sample)
ROUNDS = 5  # the sample is timed in rounds: the limit, then the library, on each round's documents
DASK_SHARE = 3  # the Dask runs take every third document (a seeded sample)
LATENCY_RUNS = 3
README = REPO / "README.md"
RESULTS = REPO / "bench" / "results.json"
MARKERS = ("<!-- bench:results (written by `python -m bench.run` from bench/results.json; do not edit) -->",
           "<!-- /bench:results -->")


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


# --- 2.-3. the limit and the library, timed side by side -----------------------------------

def words(text: str) -> int:
    return len(text.split())


def pipe_seconds(nlp, texts: list[str], batch_size: int = BARE_BATCH_SIZE) -> float:
    """Seconds of `nlp.pipe` over the texts (in a memory zone, as runs use it)."""
    nlp.max_length = max(nlp.max_length, max(len(t) for t in texts) + 1)
    t = time.perf_counter()
    with nlp.memory_zone():
        for _ in nlp.pipe(texts, batch_size=batch_size):
            pass
    return time.perf_counter() - t


def sample_rounds(sizes: list[int], share: int, seed: int, batch_docs: int,
                  rounds: int = ROUNDS) -> list[list[tuple[str, list[int]]]]:
    """Every `share`-th document of each length class of a seeded shuffle, cut into `rounds` rounds; in each round the
    documents in groups as the product meets them: up to `batch_docs` short (<= SHORT_MAX
    characters) or medium documents together, each long one (>= LONG_MIN) alone."""
    rng = random.Random(seed)
    order = list(range(len(sizes)))
    rng.shuffle(order)
    classes = [[i for i in order if test(sizes[i])] for test in (
        lambda s: s <= SHORT_MAX, lambda s: SHORT_MAX < s < LONG_MIN, lambda s: s >= LONG_MIN)]
    chosen = [i for members in classes for i in members[:: max(1, share)]]  # every share-th of each length class
    rng.shuffle(chosen)
    out = []
    for r in range(rounds):
        part = chosen[r::rounds]
        groups: list[tuple[str, list[int]]] = []
        for kind, test in (("short", lambda s: s <= SHORT_MAX), ("medium", lambda s: SHORT_MAX < s < LONG_MIN)):
            members = [i for i in part if test(sizes[i])]
            groups += [(kind, members[j : j + batch_docs]) for j in range(0, len(members), batch_docs)]
        groups += [("long", [i]) for i in part if sizes[i] >= LONG_MIN]
        if groups:
            out.append(groups)
    return out


def limit_and_library(paths: list[Path], texts: list[str], share: int, seed: int) -> dict:
    """The limit and the library on the same sample of documents, round by round (see
    `sample_rounds`), so that a change in the machine's load hits both alike: the bare pipeline
    (pipeline/nlp.py's default model with what a run adds or leaves off, e.g. the sentencizer,
    without our components: `bare_pipeline`) through one `nlp.pipe` over the round's cleaned texts;
    on every third round the NER-only model too; then the library (read -> clean -> nlp with our
    components -> extract, `process_documents`, no Prefect, no storage) over the same documents, a
    group at a time (short and long documents' words per second come from their groups)."""
    import spacy

    from pipeline.nlp import OUR_COMPONENTS, get_pipelines
    from pipeline.read import read_document
    from pipeline.run import DEFAULT_BATCH_DOCS
    from pipeline.run.process import process_documents

    pipelines = get_pipelines()
    nb = pipelines.nb
    ours = [c for c in OUR_COMPONENTS if c in nb.pipe_names]
    ner = spacy.load(NER_ONLY_MODEL) if spacy.util.is_package(NER_ONLY_MODEL) else None
    rounds = sample_rounds([len(t) for t in texts], share, seed, DEFAULT_BATCH_DOCS)
    pipelines.en  # first-use loads (the English pipeline, lingua's models) are not throughput:
    process_documents([read_document(p) for p in paths[:DEFAULT_BATCH_DOCS]], pipelines, timeout_s=None)
    seconds = {"bare": 0.0, "bare_ner_rounds": 0.0, "ner": 0.0}
    n = {"bare": 0, "ner": 0, "ner_docs": 0}
    lib: dict[str, list[float]] = {"short": [0, 0.0], "medium": [0, 0.0], "long": [0, 0.0]}  # words, seconds
    for r, groups in enumerate(rounds):
        members = [i for _, m in groups for i in m]
        random.Random(seed + r).shuffle(members)  # bare: the round's texts mixed, as one nlp.pipe sees them
        round_texts = [texts[i] for i in members]
        n_words = sum(map(words, round_texts))
        with nb.select_pipes(disable=ours):
            s = pipe_seconds(nb, round_texts)
        seconds["bare"] += s
        n["bare"] += n_words
        if ner is not None and r % 3 == 0:
            seconds["bare_ner_rounds"] += s
            seconds["ner"] += pipe_seconds(ner, round_texts)
            n["ner"] += n_words
            n["ner_docs"] += len(members)
        for kind, group in groups:
            t = time.perf_counter()
            result = process_documents([read_document(paths[i]) for i in group], pipelines, timeout_s=None)
            lib[kind][1] += time.perf_counter() - t
            lib[kind][0] += sum(words(row["text"]) for row in result.rows["texts"])

    def wps(n_words: float, s: float) -> float | None:
        return n_words / s if s > 0 else None

    return {
        "bare_nlp_wps": wps(n["bare"], seconds["bare"]), "bare_nlp_batch_size": BARE_BATCH_SIZE,
        "bare_pipeline": [p for p in nb.pipe_names if p not in ours],
        "bare_ner_model": f"{NER_ONLY_MODEL} {ner.meta.get('version', '')}".strip() if ner else None,
        "bare_ner_pipeline": list(ner.pipe_names) if ner else None,
        "bare_ner_wps": wps(n["ner"], seconds["ner"]) if ner else None,
        "bare_sample_docs": n["ner_docs"],
        "bare_sample_wps": wps(n["ner"], seconds["bare_ner_rounds"]) if ner else None,
        "library_wps": wps(sum(v[0] for v in lib.values()), sum(v[1] for v in lib.values())),
        "short_doc_wps": wps(*lib["short"]), "long_doc_wps": wps(*lib["long"]),
        "n_short_docs": sum(len(m) for g in rounds for kind, m in g if kind == "short"),
        "n_long_docs": sum(len(m) for g in rounds for kind, m in g if kind == "long"),
        "library_sample_docs": sum(len(m) for g in rounds for _, m in g), "library_sample_words": n["bare"],
    }


def hotspots(paths: list[Path], top: int = 5, top_ours: int = 10) -> dict:
    """The costliest functions (own time) of the library over the given documents: overall
    (`hotspots`), and in this repository's code only (`hotspots_ours`)."""
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
    rows = sorted(((v[2], k) for k, v in pstats.Stats(prof).stats.items()), reverse=True)
    ours = [(t, k) for t, k in rows if k[0].startswith(str(REPO / "pipeline"))]

    def named(t: float, k: tuple) -> dict:
        name = Path(k[0]).relative_to(REPO).as_posix() if k[0].startswith(str(REPO)) else Path(k[0]).name
        return {"function": f"{name}:{k[1]}({k[2]})", "seconds": round(t, 3)}

    return {"hotspots": [named(*r) for r in rows[:top]], "hotspots_ours": [named(*r) for r in ours[:top_ours]],
            "profile_docs": len(paths), "profile_s": round(sum(t for t, _ in rows), 3)}


# --- 4. the ad-hoc command ------------------------------------------------------------------

def latency_one_doc(doc: Path, work: Path, env: dict, runs: int = LATENCY_RUNS) -> dict:
    """Seconds from process start to exit of `python -m pipeline extract DOC --out NEW`, with
    `--engine local` and with Prefect (no PREFECT_API_URL: the temporary server it starts), the
    median of `runs` runs each (the disk cache is warm after the first); `<engine>_cpu`: the
    median CPU seconds (user + system, the temporary server's included), steadier on a busy machine."""
    env = {k: v for k, v in env.items() if k != "PREFECT_API_URL"}
    result: dict = {"doc_chars": len(doc.read_text(encoding="utf-8")), "runs": runs}

    def cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    for engine in ("local", "prefect"):
        seconds, cpu_seconds = [], []
        for i in range(runs):
            out = work / f"latency-{engine}-{i}"
            t, c = time.perf_counter(), cpu()
            subprocess.run([sys.executable, "-m", "pipeline", "extract", str(doc), "--out", str(out), "--engine", engine,
                            "-q"], cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            seconds.append(time.perf_counter() - t)
            cpu_seconds.append(cpu() - c)
        result[engine] = sorted(seconds)[len(seconds) // 2]
        result[f"{engine}_cpu"] = sorted(cpu_seconds)[len(cpu_seconds) // 2]
    return result


# --- 5.-7. the product -----------------------------------------------------------------------

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
    argv = sys.argv[1:] if argv is None else list(argv)
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1000, help="documents in the corpus (default 1000)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", default=str(RESULTS))
    ap.add_argument("--readme", default=None,
                    help="the README whose Performance block is rewritten from --out (default: README.md when "
                         "--out is bench/results.json, else none)")
    ap.add_argument("--skip-dask", action="store_true", help="leave out the scale-out runs")
    ap.add_argument("--library-only", action="store_true",
                    help="only the corpus, the bare model and the library (no latency, product, memory or Dask "
                         "runs; the README is left alone)")
    ap.add_argument("--profile-docs", type=int, default=60, help="documents profiled for the hot spots")
    a = ap.parse_args(argv)
    readme = Path(a.readme) if a.readme else (README if Path(a.out).resolve() == RESULTS else None)

    from pipeline.clean import clean
    from pipeline.nlp import get_pipelines
    from pipeline.read import read_document

    started = time.perf_counter()
    phases: dict[str, float] = {}

    def phase(name: str, t0: float) -> float:
        phases[name] = round(time.perf_counter() - t0, 1)
        return time.perf_counter()

    work = Path(tempfile.mkdtemp(prefix="bench-"))
    server = None
    try:
        t = time.perf_counter()
        corpus = work / "corpus"
        paths = build_corpus(a.n, a.seed, corpus)
        texts = [clean(read_document(p).text).text for p in paths]
        r: dict = {"machine": machine(), "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                   "commit": git_commit(), "command": " ".join(["python -m bench.run", *argv]),
                   "n_docs": len(paths), "n_words": sum(map(words, texts)), "n_chars": sum(map(len, texts)),
                   "model": get_pipelines().model_description, "phase_s": phases}
        print(f"corpus: {r['n_docs']} documents, {r['n_words']} words; model {r['model']}", flush=True)
        t = phase("corpus", t)
        r.update(limit_and_library(paths, texts, LIBRARY_SHARE, a.seed))
        r["library_ratio"] = r["library_wps"] / r["bare_nlp_wps"]
        r["bare_ner_ratio"] = r["bare_ner_wps"] / r["bare_sample_wps"] if r["bare_ner_wps"] else None
        r["long_short_ratio"] = r["long_doc_wps"] / r["short_doc_wps"] if r["long_doc_wps"] and r["short_doc_wps"] else None
        print(f"bare nlp ({', '.join(r['bare_pipeline'])}): {r['bare_nlp_wps']:.0f} words/s; "
              f"NER only ({r['bare_ner_model']}): {r['bare_ner_wps'] or 0:.0f} words/s; "
              f"library: {r['library_wps']:.0f} words/s ({r['library_ratio']:.2f} of bare), "
              f"on {r['library_sample_docs']} documents", flush=True)
        t = phase("limit_and_library", t)
        r.update(hotspots(paths[: a.profile_docs]))
        t = phase("profile", t)
        if a.library_only:
            return _finish(r, a.out, None, started)

        env = {**os.environ, "PREFECT_HOME": str(work / "prefect-home"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
               "PIPELINE_PROGRESS_EVERY_S": "0"}
        one = min(paths, key=lambda p: abs(p.stat().st_size - 2_000))  # a news item: about 2,000 characters
        r["latency_one_doc_s"] = latency_one_doc(one, work, env)
        print(f"one document: local {r['latency_one_doc_s']['local']:.1f} s, "
              f"prefect {r['latency_one_doc_s']['prefect']:.1f} s", flush=True)
        t = phase("latency", t)
        server, url, r["server_start_s"] = start_prefect_server(work / "prefect-home")
        env["PREFECT_API_URL"] = url
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
        t = phase("product", t)
        if not a.skip_dask:
            dask_corpus = work / "corpus-dask"
            dask_corpus.mkdir()
            chosen = sorted(random.Random(a.seed + 2).sample(range(len(paths)), max(2, len(paths) // DASK_SHARE)))
            for i in chosen:
                shutil.copy(paths[i], dask_corpus / paths[i].name)
            n_words = sum(words(texts[i]) for i in chosen)
            s1 = dask_run(dask_corpus, work / "out-dask1", env, 1)
            s2 = dask_run(dask_corpus, work / "out-dask2", env, 2)
            r.update(dask_docs=len(chosen), dask_1_wps=n_words / s1, dask_2_wps=n_words / s2, dask_speedup=s1 / s2)
            print(f"dask: 1 worker {r['dask_1_wps']:.0f} words/s, 2 workers {r['dask_2_wps']:.0f} words/s", flush=True)
            t = phase("dask", t)
        if r.get("rss_first10pct_mb"):
            r["rss_ratio"] = r["rss_peak_mb"] / r["rss_first10pct_mb"]
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(30)
        shutil.rmtree(work, ignore_errors=True)
    return _finish(r, a.out, readme, started)


def _finish(r: dict, out: str, readme: Path | None, started: float) -> dict:
    r["total_s"] = round(time.perf_counter() - started, 1)
    Path(out).write_text(json.dumps(r, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table(r))
    if readme is not None:
        update_readme(Path(out), readme)
        print(f"{readme}: Performance block rewritten from {out}")
    return r


# --- the README's Performance block ----------------------------------------------------------

GOALS = "issue 23"


def table(r: dict) -> str:
    """The run's figures as the README's Markdown block (made from the results dict only)."""
    def f(v, fmt="{:.0f}"):
        return "-" if v is None else fmt.format(v)

    lat = r.get("latency_one_doc_s") or {}
    rows = [
        ("corpus", f"{r['n_docs']} documents, {r['n_words']} words"),
        ("bare pipeline (the limit)", f"{f(r.get('bare_nlp_wps'))} words/s (batch {r.get('bare_nlp_batch_size')}; "
                                      f"{', '.join(r.get('bare_pipeline') or ['-'])})"),
        ("NER-only model (reference)", f"{f(r.get('bare_ner_wps'))} words/s ({r.get('bare_ner_model') or 'not installed'}; "
                                       f"{', '.join(r.get('bare_ner_pipeline') or ['-'])}) = "
                                       f"{f(r.get('bare_ner_ratio'), '{:.2f}')}x the bare pipeline's "
                                       f"{f(r.get('bare_sample_wps'))} words/s on the same {r.get('bare_sample_docs', '-')} documents"),
        ("library", f"{f(r.get('library_wps'))} words/s = {f(r.get('library_ratio'), '{:.2f}')} of bare (goal >= 0.85); both on "
                    f"the same {r.get('library_sample_docs', '-')} documents, {r.get('library_sample_words', '-')} words"),
        ("short / long documents", f"{f(r.get('short_doc_wps'))} / {f(r.get('long_doc_wps'))} words/s = "
                                   f"{f(r.get('long_short_ratio'), '{:.2f}')} (goal >= 1.0)"),
        ("one document, ad hoc (process start to exit)",
         f"{f(lat.get('local'), '{:.1f}')} s `--engine local`, {f(lat.get('prefect'), '{:.1f}')} s Prefect "
         f"(its temporary server); CPU {f(lat.get('local_cpu'), '{:.1f}')} / {f(lat.get('prefect_cpu'), '{:.1f}')} s; "
         f"{lat.get('doc_chars', '-')} characters, median of {lat.get('runs', '-')}"),
        ("Prefect server start", f"{f(r.get('server_start_s'), '{:.1f}')} s (not in the runs below)"),
        ("product cold", f"{f(r.get('cold_s'), '{:.1f}')} s"),
        ("product warm re-run", f"{f(r.get('warm_s'), '{:.1f}')} s = {f(r.get('warm_ratio'), '{:.3f}')} of cold (goal <= 0.05)"),
        ("product 1% changed", f"{f(r.get('changed_1pct_s'), '{:.1f}')} s = {f(r.get('changed_1pct_ratio'), '{:.3f}')} of cold (goal <= 0.10)"),
        ("RSS first 10% / peak", f"{f(r.get('rss_first10pct_mb'))} / {f(r.get('rss_peak_mb'))} MB = {f(r.get('rss_ratio'), '{:.2f}')} (goal <= 1.25)"),
        ("Dask 1 / 2 workers", f"{f(r.get('dask_1_wps'))} / {f(r.get('dask_2_wps'))} words/s = {f(r.get('dask_speedup'), '{:.2f}')}x "
                               f"(goal >= 1.6); {r.get('dask_docs', '-')} documents"),
        ("whole benchmark", f"{f(r['total_s'] / 60 if r.get('total_s') else None, '{:.1f}')} min (goal < 15)"),
    ]
    lines = ["| measure | result |", "|---|---|", *[f"| {a} | {b} |" for a, b in rows], ""]
    lines.append("Hot spots (own time, profile of the library): " + "; ".join(
        f"{h['function']} {h['seconds']:.2f} s" for h in r.get("hotspots", [])))
    if r.get("hotspots_ours"):
        lines += ["", f"Our code's hot spots (own time over {r.get('profile_docs')} documents): " + "; ".join(
            f"`{h['function']}` {h['seconds']:.2f} s" for h in r["hotspots_ours"])]
    return "\n".join(lines)


def readme_block(r: dict) -> str:
    """The Performance block: the command, date, commit, machine and model, then the table."""
    return "\n".join([
        f"Latest run: `{r.get('command', 'python -m bench.run')}` on {r['date']}, commit {r['commit']}, {r['machine']};",
        f"model {r['model']}. Goals: {GOALS}.",
        "",
        table(r),
    ])


def rewrite_readme(text: str, r: dict) -> str:
    """`text` with the block between the markers replaced by `readme_block(r)`; ValueError
    when the markers are missing (nothing is written then)."""
    start, end = text.find(MARKERS[0]), text.find(MARKERS[1])
    if start < 0 or end < start:
        raise ValueError(f"README markers not found: {MARKERS[0]} ... {MARKERS[1]}")
    return text[: start + len(MARKERS[0])] + "\n" + readme_block(r) + "\n" + text[end:]


def update_readme(results: Path = RESULTS, readme: Path = README) -> None:
    """Rewrite the README's Performance block from a results file."""
    r = json.loads(Path(results).read_text(encoding="utf-8"))
    readme.write_text(rewrite_readme(readme.read_text(encoding="utf-8"), r), encoding="utf-8")


if __name__ == "__main__":
    main()
