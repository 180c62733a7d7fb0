"""Words per second of Norwegian models over the same texts, in one run (interleaved rounds,
best round kept, so that a busy machine hurts every model alike).

    python -m training.speed MODEL [MODEL ...] [--docs DIR ...] [--rounds 3] [--json]

The texts: the Norwegian segments of the cleaned documents (default: the development
documents in ../shared/corpus). Each model is measured bare (``spacy.load``: its own
components only) and as the runtime builds it (``pipeline.nlp.add_components``: plus our
rule components and, without a parser, a sentencizer).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DOCS = [REPO.parent / "shared" / "corpus" / name for name in ("seeds", "extra", "dev2")]


def norwegian_texts(folders: list[Path]) -> list[str]:
    from pipeline.clean import clean
    from pipeline.nlp import pieces
    from pipeline.read import read_document

    texts = []
    for folder in folders:
        for path in sorted(Path(folder).glob("*")):
            doc = read_document(path)
            if not doc.ok:
                continue
            texts += [text for _, text, seg in pieces(clean(doc.text)) if seg.lang != "en"]
    return texts


def measure(models: list[str], texts: list[str], rounds: int = 3) -> dict:
    import spacy

    from pipeline.nlp import add_components

    pipes = {}
    for name in models:
        pipes[f"{name} (bare)"] = spacy.load(name)
        pipes[f"{name} (runtime)"] = add_components(spacy.load(name), "nb")
    words = sum(len(text.split()) for text in texts)
    best: dict[str, dict] = {}
    for _ in range(rounds):
        for key, nlp in pipes.items():
            wall, cpu = time.perf_counter(), time.process_time()
            n_tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=64))
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            row = {"words_per_s": round(words / wall), "words_per_cpu_s": round(words / cpu),
                   "tokens": n_tokens, "seconds": round(wall, 2), "cpu_seconds": round(cpu, 2),
                   "pipe_names": nlp.pipe_names}
            if key not in best or row["words_per_cpu_s"] > best[key]["words_per_cpu_s"]:
                best[key] = row
    return {"texts": len(texts), "words": words, "rounds": rounds, "models": best}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m training.speed", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("models", nargs="+", help="model names or folders")
    ap.add_argument("--docs", nargs="*", default=[str(p) for p in DEFAULT_DOCS])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    result = measure(a.models, norwegian_texts([Path(d) for d in a.docs]), a.rounds)
    if a.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"{result['texts']} texts, {result['words']} words (whitespace-separated), best of {result['rounds']} rounds")
    for key, row in result["models"].items():
        print(f"{key:<55} {row['words_per_s']:>7} words/s  {row['words_per_cpu_s']:>7} words/cpu-s  "
              f"({row['seconds']} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
