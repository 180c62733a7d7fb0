"""Train, evaluate and package the project's Norwegian NER pipeline (``nb_norne_sm``).

Plain functions only (no CLI parsing, no orchestration imports); the CLI wires them.

Data: NorNE (ltgoslo/norne, commit bd311de) as laid out in ``shared/data/norne``:

* ``ndt/no_bokmaal-ndt-train.conll`` -- CoNLL-X, NDT tags, no SpaceAfter, ``name=B-ORG`` in
  the last column.
* ``ud/nob/no_bokmaal-ud-{dev,test}.conllu`` and ``ud/nno/no_nynorsk-ud-test.conllu`` --
  CoNLL-U with ``SpaceAfter=No`` and ``name=...`` in MISC.

Gold Docs are built directly with spaCy (words, spaces, IOB2 entities, optionally heads and
dependency labels) and written as DocBin ``.spacy`` files, which avoids ``spacy convert``
(error E1021 on the NDT tag columns).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

NORNE_COMMIT = "bd311de"
NORNE_LABELS = ("PER", "ORG", "LOC", "GPE_LOC", "GPE_ORG", "PROD", "EVT", "DRV", "MISC")

TRAIN_FILE = "ndt/no_bokmaal-ndt-train.conll"
DEV_FILE = "ud/nob/no_bokmaal-ud-dev.conllu"
TEST_FILE = "ud/nob/no_bokmaal-ud-test.conllu"
NN_TEST_FILE = "ud/nno/no_nynorsk-ud-test.conllu"
# More training data for every model, decision runs included: the nynorsk dev file. It is
# never used for evaluation here (bokmål dev decides the recipe; the test files report).
NN_DEV_FILE = "ud/nno/no_nynorsk-ud-dev.conllu"

PACKAGE_LANG = "nb"
PACKAGE_NAME = "norne_sm"
PACKAGE_VERSION = "0.2.0"

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CONFIG = Path(__file__).resolve().parent / "training" / "ner.cfg"
# The training-time augmenter the config may name (loaded by ``spacy train --code``).
AUGMENT_CODE = Path(__file__).resolve().parent / "training" / "augment.py"
# Components a config may train beside the NER only as extra objectives for the shared
# tok2vec, and what they learn; they are removed before packaging (the product runs tok2vec + ner).
AUXILIARY_COMPONENTS = {
    "tagger": "NDT part of speech of the train file (proper/common nouns apart)",
    "parser": "NDT dependencies of the train file",
}
DEFAULT_WORK_DIR = Path("/tmp/train-work")

# Sentences grouped into one training/evaluation Doc (like ``spacy convert -n 10``).
N_SENTS = 10

# Punctuation that, in running text, attaches to the previous / next token. Used to
# reconstruct plausible spacing for the NDT train file, which has no SpaceAfter info, so
# that the training texts look like the texts the tokenizer sees at run time.
_NO_SPACE_BEFORE = {",", ".", ":", ";", "!", "?", ")", "]", "}", "»", "%", "...", "…"}
_NO_SPACE_AFTER = {"(", "[", "{", "«"}


@dataclass
class Sentence:
    words: list[str]
    spaces: list[bool]
    tags: list[str]  # IOB2 NER tags, e.g. "B-ORG", "I-ORG", "O"
    heads: list[int] | None = None  # 0-based absolute head indices (root: itself)
    deps: list[str] | None = None
    meta: dict[str, str] = field(default_factory=dict)
    pos: list[str] | None = None  # NDT part of speech (CoNLL-X files only), see _ndt_pos


def _ndt_pos(pos: str, feats: str) -> str:
    """The NDT part of speech of a CoNLL-X row, with proper and common nouns told apart
    (``subst`` + features ``prop|...`` -> ``subst_prop``): the auxiliary tagger's labels."""
    kind = feats.split("|", 1)[0]
    if pos == "subst" and kind in ("prop", "appell"):
        return f"subst_{kind}"
    return pos


def _misc_get(misc: str, key: str) -> str | None:
    if misc in ("", "_"):
        return None
    for part in misc.split("|"):
        if "=" in part:
            k, v = part.split("=", 1)
            if k == key:
                return v
    return None


def _ner_tag(misc: str) -> str:
    tag = _misc_get(misc, "name") or "O"
    if tag != "O" and not (tag.startswith("B-") or tag.startswith("I-")):
        raise ValueError(f"unexpected NER tag {tag!r}")
    return tag


def _guess_spaces(words: list[str]) -> list[bool]:
    spaces = []
    for i, word in enumerate(words):
        if i == len(words) - 1:
            spaces.append(False)
        elif word in _NO_SPACE_AFTER or words[i + 1] in _NO_SPACE_BEFORE:
            spaces.append(False)
        else:
            spaces.append(True)
    return spaces


def read_conll(path: Path, *, guess_spaces: bool | None = None, limit: int = 0) -> Iterator[Sentence]:
    """Read a CoNLL-X (NDT) or CoNLL-U (UD) NorNE file sentence by sentence.

    Only ID, FORM, HEAD, DEPREL and MISC are used, and in CoNLL-X (NDT) files the part of
    speech (``Sentence.pos``); UD tags are a different tag set and are ignored. Multiword
    token ranges (``1-2``) and empty nodes (``1.1``) are skipped. ``SpaceAfter=No`` in MISC
    is honoured; if the file has no SpaceAfter info (``guess_spaces`` None -> decided by the
    suffix: ``.conll`` files get guessed spacing), spacing is reconstructed heuristically.
    """
    path = Path(path)
    ndt = path.suffix == ".conll"
    if guess_spaces is None:
        guess_spaces = ndt
    n = 0
    rows: list[list[str]] = []
    meta: dict[str, str] = {}

    def flush() -> Sentence | None:
        if not rows:
            return None
        words = [r[1] for r in rows]
        tags = [_ner_tag(r[9] if len(r) > 9 else "_") for r in rows]
        if guess_spaces:
            spaces = _guess_spaces(words)
        else:
            spaces = [_misc_get(r[9] if len(r) > 9 else "_", "SpaceAfter") != "No" for r in rows]
        heads: list[int] | None = []
        deps: list[str] | None = []
        for i, r in enumerate(rows):
            if len(r) < 8 or not r[6].isdigit() or r[7] in ("", "_"):
                heads = deps = None
                break
            h = int(r[6])
            heads.append(i if h == 0 else h - 1)
            deps.append("ROOT" if h == 0 else r[7])
        pos = [_ndt_pos(r[3], r[5]) for r in rows] if ndt and all(len(r) > 5 for r in rows) else None
        return Sentence(words, spaces, tags, heads, deps, dict(meta), pos)

    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line.strip():
                sent = flush()
                rows, meta = [], {}
                if sent is not None:
                    yield sent
                    n += 1
                    if limit and n >= limit:
                        return
                continue
            if line.startswith("#"):
                if "=" in line:
                    k, v = line[1:].split("=", 1)
                    meta[k.strip()] = v.strip()
                continue
            cols = line.split("\t")
            if "-" in cols[0] or "." in cols[0]:
                continue
            rows.append(cols)
    sent = flush()
    if sent is not None:
        yield sent


def sentences_to_docs(vocab, sentences: Iterable[Sentence], n_sents: int = N_SENTS,
                      with_deps: bool = False, with_tags: bool = False) -> Iterator:
    """Group sentences into Docs of ``n_sents`` with gold entities and sentence starts
    (``with_deps``: heads and labels instead; ``with_tags``: the NDT part of speech as TAG)."""
    from spacy.tokens import Doc

    batch: list[Sentence] = []

    def make(batch: list[Sentence]):
        words, spaces, ents, sent_starts = [], [], [], []
        heads: list[int] = []
        deps: list[str] = []
        pos: list[str] = []
        use_deps = with_deps and all(s.heads is not None for s in batch)
        use_tags = with_tags and all(s.pos is not None for s in batch)
        for s in batch:
            offset = len(words)
            words.extend(s.words)
            # sentences are separated by a space in the Doc text
            sp = list(s.spaces)
            sp[-1] = True
            spaces.extend(sp)
            ents.extend(s.tags)
            sent_starts.extend([True] + [False] * (len(s.words) - 1))
            if use_deps:
                heads.extend(h + offset for h in s.heads)
                deps.extend(s.deps)
            if use_tags:
                pos.extend(s.pos)
        spaces[-1] = False
        kwargs: dict = {"heads": heads, "deps": deps} if use_deps else {"sent_starts": sent_starts}
        if use_tags:
            kwargs["tags"] = pos
        return Doc(vocab, words=words, spaces=spaces, ents=ents, **kwargs)

    for sent in sentences:
        batch.append(sent)
        if len(batch) >= n_sents:
            yield make(batch)
            batch = []
    if batch:
        yield make(batch)


def conll_to_docbin(src: Path, dest: Path, *, n_sents: int = N_SENTS, with_deps: bool = False,
                    with_tags: bool = False, limit: int = 0) -> Path:
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank(PACKAGE_LANG)
    db = DocBin(store_user_data=False)
    for doc in sentences_to_docs(nlp.vocab, read_conll(src, limit=limit), n_sents, with_deps, with_tags):
        db.add(doc)
    dest.parent.mkdir(parents=True, exist_ok=True)
    db.to_disk(dest)
    return dest


def convert_norne(norne_dir: Path, work_dir: Path, include_dev: bool = False,
                  with_deps: bool = False, with_tags: bool = False, limit: int = 0) -> dict[str, Path]:
    """Convert NorNE train/dev/test(/nynorsk dev and test) to DocBin files in ``work_dir``.

    Returns ``{"train", "dev", "test", "nn_test"}`` -> path (only files that exist). The
    ``"train"`` entry is a directory (spaCy's Corpus reads every .spacy file in it) holding
    the bokmål train DocBin and, where the file exists, the nynorsk dev one; with
    ``include_dev`` also the bokmål dev DocBin, for the final train+dev model.
    ``with_deps`` also stores heads/deprels (NDT labels in the train file) for a parser,
    ``with_tags`` the train file's NDT part of speech for a tagger.
    ``limit`` reads only the first N sentences of each file (for tests).
    """
    norne_dir, work_dir = Path(norne_dir), Path(work_dir)
    work_dir.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}
    files = {"train": TRAIN_FILE, "dev": DEV_FILE, "test": TEST_FILE, "nn_test": NN_TEST_FILE,
             "nn_dev": NN_DEV_FILE}
    for key, rel in files.items():
        src = norne_dir / rel
        if not src.exists():
            if key in ("train", "dev"):
                raise FileNotFoundError(src)
            continue
        out[key] = conll_to_docbin(src, work_dir / f"{key}.spacy", with_deps=with_deps and key == "train",
                                   with_tags=with_tags and key == "train", limit=limit)
    train_dir = work_dir / ("train_dev" if include_dev else "train_all")
    if train_dir.exists():
        shutil.rmtree(train_dir)
    train_dir.mkdir()
    for key in ("train", "nn_dev") + (("dev",) if include_dev else ()):
        if key in out:
            shutil.copy(out[key], train_dir / f"{key}.spacy")
    out.pop("nn_dev", None)
    out["train"] = train_dir
    return out


# --------------------------------------------------------------------------------------
# Evaluation
# --------------------------------------------------------------------------------------


def _load(nlp_or_model_name):
    import spacy

    if isinstance(nlp_or_model_name, (str, Path)):
        return spacy.load(nlp_or_model_name)
    return nlp_or_model_name


def evaluate_ner(nlp_or_model_name, conllu_path: Path, n_sents: int = N_SENTS,
                 limit: int = 0) -> dict:
    """Score a pipeline's entities on a NorNE CoNLL-U (or CoNLL-X) file, exact spans.

    Gold Docs are built from the file's words, ``SpaceAfter=No`` and ``name=`` IOB2 tags; the
    pipeline sees the raw text (its own tokenizer), and spaCy's Scorer aligns the tokens.
    Returns spaCy's score dict (``ents_p``, ``ents_r``, ``ents_f``, ``ents_per_type`` as
    {label: {"p", "r", "f"}}, fractions; plus whatever else the pipeline scores).
    """
    from spacy.training import Example

    nlp = _load(nlp_or_model_name)
    gold_docs = sentences_to_docs(nlp.vocab, read_conll(Path(conllu_path), limit=limit), n_sents)
    examples = [Example(nlp.make_doc(gold.text), gold) for gold in gold_docs]
    scores = nlp.evaluate(examples)
    # A pipeline without an "ents" scorer (or with no predicted entities at all) still
    # gets the keys, so callers can rely on them.
    if scores.get("ents_f") is None:
        from spacy.scorer import Scorer

        scores.update(Scorer.score_spans(examples, "ents"))
    scores.setdefault("ents_per_type", {})
    for key in ("ents_p", "ents_r", "ents_f"):
        if scores.get(key) is None:
            scores[key] = 0.0
    return scores


def format_ner_scores(scores: dict, title: str | None = None) -> str:
    """A plain-text P/R/F table (percent) for the overall and per-label entity scores."""
    lines = []
    if title:
        lines.append(title)
    lines.append(f"{'label':<10} {'P':>6} {'R':>6} {'F':>6}")
    per_type = scores.get("ents_per_type") or {}
    for label in sorted(per_type, key=lambda lab: (NORNE_LABELS.index(lab) if lab in NORNE_LABELS else 99, lab)):
        s = per_type[label]
        lines.append(f"{label:<10} {100 * s['p']:6.1f} {100 * s['r']:6.1f} {100 * s['f']:6.1f}")
    lines.append(f"{'ALL':<10} {100 * (scores.get('ents_p') or 0):6.1f} "
                 f"{100 * (scores.get('ents_r') or 0):6.1f} {100 * (scores.get('ents_f') or 0):6.1f}")
    return "\n".join(lines)


def _ner_summary(scores: dict) -> dict:
    """The NER part of a score dict, rounded, JSON-friendly."""
    return {
        "ents_p": round(scores.get("ents_p") or 0.0, 4),
        "ents_r": round(scores.get("ents_r") or 0.0, 4),
        "ents_f": round(scores.get("ents_f") or 0.0, 4),
        "ents_per_type": {
            lab: {k: round(v, 4) for k, v in s.items()}
            for lab, s in (scores.get("ents_per_type") or {}).items()
        },
        **{k: round(scores[k], 4) for k in ("dep_uas", "dep_las", "sents_f") if scores.get(k) is not None},
    }


# Tokenizer special cases of spaCy's nb language data that glue a sentence-final period to
# a party name ("... enn Frp." -> one token "Frp."), which hides the ORG entity (NorNE and
# NDT tokenize "Frp" "."). Seen on the dev file; removed from the packaged tokenizer.
PARTY_ABBREVIATIONS = ("Ap.", "Frp.", "Sp.")


def customize_tokenizer(nlp) -> list[str]:
    """Remove special cases that merge party names with a following period; returns them."""
    rules = dict(nlp.tokenizer.rules or {})
    removed = [key for key in PARTY_ABBREVIATIONS if key in rules]
    if removed:
        for key in removed:
            del rules[key]
        nlp.tokenizer.rules = rules
    return removed


# --------------------------------------------------------------------------------------
# Training and packaging
# --------------------------------------------------------------------------------------


def git_commit(repo: Path = REPO_ROOT) -> str:
    """``git rev-parse HEAD`` of the project repo, or "uncommitted" (no repo / no commit)."""
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True,
                             text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return "uncommitted"
    commit = out.stdout.strip()
    if out.returncode != 0 or not commit:
        return "uncommitted"
    return commit


def _run(cmd: list[str], log: Path | None = None, env: dict | None = None) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    if log is None:
        subprocess.run([str(c) for c in cmd], check=True, env=env)
        return
    with log.open("a", encoding="utf-8") as fh:
        proc = subprocess.run([str(c) for c in cmd], stdout=fh, stderr=subprocess.STDOUT, env=env)
    if proc.returncode != 0:
        tail = log.read_text(encoding="utf-8")[-3000:]
        raise RuntimeError(f"command failed ({proc.returncode}): {' '.join(map(str, cmd))}\n{tail}")


def build_wheel(model_dir: Path, out_dir: Path, work_dir: Path, name: str = PACKAGE_NAME,
                version: str = PACKAGE_VERSION) -> Path:
    """``spacy package`` the pipeline in ``model_dir`` and build its wheel into ``out_dir``.

    Uses ``spacy package --build wheel`` when the ``build`` or ``wheel`` package is there;
    otherwise lets spaCy write the package folder (``--build none``) and builds the wheel
    with ``pip wheel --no-deps`` (which fetches setuptools into an isolated build env).
    """
    import importlib.util

    pkg_root = work_dir / "package"
    if pkg_root.exists():
        shutil.rmtree(pkg_root)
    pkg_root.mkdir(parents=True)
    have_builder = any(importlib.util.find_spec(m) is not None for m in ("build", "wheel"))
    cmd = [sys.executable, "-m", "spacy", "package", str(model_dir), str(pkg_root),
           "--name", name, "--version", version, "--force",
           "--build", "wheel" if have_builder else "none"]
    _run(cmd)
    pkg_dir = pkg_root / f"{PACKAGE_LANG}_{name}-{version}"
    dist = pkg_dir / "dist"
    if not have_builder:
        _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(dist), str(pkg_dir)])
    wheels = sorted(dist.glob("*.whl"))
    if not wheels:
        raise RuntimeError(f"no wheel built in {dist}")
    out_dir.mkdir(parents=True, exist_ok=True)
    dest = out_dir / wheels[-1].name
    for old in out_dir.glob(f"{PACKAGE_LANG}_{name}-*.whl"):
        old.unlink()
    shutil.copy(wheels[-1], dest)
    return dest


def auxiliary_components(config: Path) -> list[str]:
    """The auxiliary components (``AUXILIARY_COMPONENTS``) in a config's pipeline."""
    from thinc.api import Config

    pipeline = Config().from_disk(config, interpolate=False)["nlp"]["pipeline"]
    return [name for name in pipeline if name in AUXILIARY_COMPONENTS]


def strip_auxiliary(nlp) -> list[str]:
    """Remove the auxiliary components from a trained pipeline; returns their names. The NER
    keeps listening to the shared tok2vec, so its entities do not change."""
    auxiliary = [name for name in nlp.pipe_names if name in AUXILIARY_COMPONENTS]
    for name in auxiliary:
        nlp.remove_pipe(name)
    return auxiliary


def train_model(norne_dir: Path, out_dir: Path, config: Path | None = None, final: bool = True,
                work_dir: Path = DEFAULT_WORK_DIR,
                extra_overrides: dict[str, str] | None = None, version: str = PACKAGE_VERSION) -> Path:
    """The full, reproducible recipe; returns the path of the built wheel in ``out_dir``.

    1. convert NorNE to DocBins in ``work_dir`` (scratch, outside the repo);
    2. ``python -m spacy train <config>`` on CPU (``--gpu-id -1``). With ``final`` the
       training corpus is train+dev (+ nynorsk dev) and the fixed-length schedule of the config
       is run to the end (``model-last``); otherwise train (+ nynorsk dev), and the best dev checkpoint
       (``model-best``) is kept;
    3. score the model on bokmål dev and test and on nynorsk test, write meta.json
       (training data, config, git commit, scores);
    4. ``spacy package`` it as ``nb_norne_sm`` and build the wheel into ``out_dir``.

    A tagger or parser in the config's pipeline is trained on the train file's NDT part of
    speech or dependencies, as an extra objective for the shared tok2vec, and removed before
    packaging.
    """
    norne_dir, out_dir, work_dir = Path(norne_dir), Path(out_dir), Path(work_dir)
    config = Path(config) if config is not None else DEFAULT_CONFIG
    work_dir.mkdir(parents=True, exist_ok=True)
    started = time.time()
    aux = auxiliary_components(config)
    data = convert_norne(norne_dir, work_dir / "data", include_dev=final, with_deps="parser" in aux,
                         with_tags="tagger" in aux)

    train_out = work_dir / ("output-final" if final else "output")
    if train_out.exists():
        shutil.rmtree(train_out)
    log = work_dir / ("train-final.log" if final else "train.log")
    if log.exists():
        log.unlink()
    cmd = [sys.executable, "-m", "spacy", "train", str(config), "--output", str(train_out),
           "--paths.train", str(data["train"]), "--paths.dev", str(data["dev"]), "--gpu-id", "-1",
           "--code", str(AUGMENT_CODE)]
    for key, value in (extra_overrides or {}).items():
        cmd += [f"--{key}", str(value)]
    _run(cmd, log=log)
    model_dir = train_out / ("model-last" if final else "model-best")
    train_seconds = round(time.time() - started)
    return package_model(model_dir, norne_dir, out_dir, config=config, final=final, version=version,
                         work_dir=work_dir, train_seconds=train_seconds)


def package_model(model_dir: Path, norne_dir: Path, out_dir: Path, config: Path, final: bool,
                  version: str = PACKAGE_VERSION,
                  work_dir: Path = DEFAULT_WORK_DIR, train_seconds: int | None = None) -> Path:
    """Score a trained pipeline (bokmål dev/test, nynorsk test), write its meta.json and
    build the ``nb_norne_sm`` wheel into ``out_dir``; returns the wheel path."""
    import spacy

    model_dir, norne_dir, config = Path(model_dir), Path(norne_dir), Path(config)
    work_dir = Path(work_dir)
    work_dir.mkdir(parents=True, exist_ok=True)

    nlp = spacy.load(model_dir)
    removed = customize_tokenizer(nlp)
    auxiliary = strip_auxiliary(nlp)
    if removed or auxiliary:
        nlp.to_disk(model_dir)
    for name in auxiliary:  # to_disk leaves the removed components' folders behind
        shutil.rmtree(model_dir / name, ignore_errors=True)
    scores = {
        "bokmaal_dev": _ner_summary(evaluate_ner(nlp, norne_dir / DEV_FILE)),
        "bokmaal_test": _ner_summary(evaluate_ner(nlp, norne_dir / TEST_FILE)),
    }
    if (norne_dir / NN_TEST_FILE).exists():
        scores["nynorsk_test"] = _ner_summary(evaluate_ner(nlp, norne_dir / NN_TEST_FILE))

    meta_path = model_dir / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    test = scores["bokmaal_test"]
    meta.update({
        "lang": PACKAGE_LANG,
        "name": PACKAGE_NAME,
        "version": version,
        # any spaCy 3.8.x loads it (the architectures are the same across 3.8 patch releases)
        "spacy_version": ">=3.8.0,<3.9.0",
        "description": (
            "Norwegian Bokmål NER pipeline (NorNE labels: " + ", ".join(NORNE_LABELS) + ") "
            "trained on NorNE bokmål" + (" train+dev" if final else " train") + " and nynorsk dev with spaCy on CPU, "
            "no static vectors. Bokmål test ents F "
            f"{100 * test['ents_f']:.1f}."
        ),
        "license": "CC0-1.0 (NorNE annotations); model weights for the project's use",
        "author": "norextract",
        "sources": [{
            "name": "NorNE (Norwegian Named Entities)",
            "url": "https://github.com/ltgoslo/norne",
            "license": "CC0-1.0",
            "author": "LTG (University of Oslo), Språkbanken, Schibsted",
        }],
        "training_data": {
            "corpus": "NorNE",
            "norne_commit": NORNE_COMMIT,
            "train_files": [TRAIN_FILE, NN_DEV_FILE] + ([DEV_FILE] if final else []),
            "dev_file": DEV_FILE,
            "test_files": [TEST_FILE, NN_TEST_FILE],
            "train_plus_dev": bool(final),
            "note": ("final model trained on bokmål train+dev and nynorsk dev with the recipe "
                     "chosen on bokmål dev; the dev scores are therefore not held-out" if final else
                     "trained on bokmål train and nynorsk dev; model-best by bokmål dev ents F"),
            "dependency_labels": "NDT (from the train file)" if "parser" in auxiliary else None,
            "auxiliary_objectives": [AUXILIARY_COMPONENTS[name] for name in auxiliary],
        },
        "training_config": config.read_text(encoding="utf-8"),
        "training_config_file": str(config.relative_to(REPO_ROOT)) if config.is_relative_to(REPO_ROOT) else str(config),
        "git_commit": git_commit(),
        "training_seconds": train_seconds,
        "scores": scores,
    })
    perf = dict(meta.get("performance") or {})
    perf.update({k: test[k] for k in ("ents_p", "ents_r", "ents_f")})
    perf["ents_per_type"] = test["ents_per_type"]
    perf["evaluated_on"] = TEST_FILE
    meta["performance"] = perf
    meta_path.write_text(json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf-8")
    (work_dir / "scores.json").write_text(json.dumps(scores, indent=2), encoding="utf-8")
    for key, s in scores.items():
        print(format_ner_scores(s, title=key), flush=True)
    wheel = build_wheel(model_dir, out_dir, work_dir, version=version)
    (out_dir / "README.md").write_text(models_readme(meta, wheel), encoding="utf-8")
    return wheel


def scores_markdown(scores: dict) -> str:
    """Markdown table: one row per label, P/R/F (percent) per evaluation set."""
    sets = list(scores)
    labels = [lab for lab in NORNE_LABELS if any(lab in scores[k]["ents_per_type"] for k in sets)]
    head = "| label | " + " | ".join(f"{k} P / R / F" for k in sets) + " |"
    lines = [head, "|---|" + "---|" * len(sets)]

    def cell(s: dict | None) -> str:
        if not s:
            return "-"
        return f"{100 * s['p']:.1f} / {100 * s['r']:.1f} / {100 * s['f']:.1f}"

    for lab in labels:
        lines.append(f"| {lab} | " + " | ".join(cell(scores[k]["ents_per_type"].get(lab)) for k in sets) + " |")
    lines.append("| **all** | " + " | ".join(
        cell({"p": scores[k]["ents_p"], "r": scores[k]["ents_r"], "f": scores[k]["ents_f"]}) for k in sets) + " |")
    return "\n".join(lines)


def models_readme(meta: dict, wheel: Path) -> str:
    td = meta["training_data"]
    return f"""# {PACKAGE_LANG}_{PACKAGE_NAME} {meta['version']}

`{wheel.name}` ({wheel.stat().st_size / 1e6:.1f} MB): the project's own Norwegian NER pipeline
(spaCy {meta.get('spacy_version', '')}, components: {', '.join(meta.get('pipeline', []))}), labels
{', '.join(meta.get('labels', {}).get('ner', NORNE_LABELS))}.

Install and load (offline): `pip install models/{wheel.name}`, then `spacy.load("{PACKAGE_LANG}_{PACKAGE_NAME}")`.

## Training
- Data: NorNE commit {td['norne_commit']}: {', '.join(td['train_files'])}
  ({'train+dev' if td['train_plus_dev'] else 'train only'}; {td['note']}).
- Recipe: `pipeline/train.py` `train_model()` with `{meta['training_config_file']}` on CPU
  (`--gpu-id -1`), {meta.get('training_seconds') or '?'} s including conversion. The tokenizer is spaCy's nb tokenizer without the special
  cases {', '.join(PARTY_ABBREVIATIONS)} (they hide sentence-final party names).
- Git commit of the recipe: `{meta['git_commit']}`. Full config and scores: the package's `meta.json`.

## Scores (exact entity spans, the pipeline's own tokenization)
{scores_markdown(meta['scores'])}

`bokmaal_test` ({TEST_FILE}) is the held-out benchmark; `nynorsk_test` ({NN_TEST_FILE}) is
held out too (the model's only nynorsk is the nynorsk dev file, in its training data).
"""
