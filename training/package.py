"""Package a trained pipeline: the tokenizer fix, auxiliary components removed, meta.json with
the training data and scores, the wheel (``spacy package``) and ``models/README.md``."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from training.data import (DEV_FILE, POS_MAP, LANG, NB_TRAIN_FILE, NN_DEV_FILE, NN_TEST_FILE, NN_TRAIN_FILE,
                           NORNE_COMMIT, NORNE_LABELS, TEST_FILE)
from training.evaluate import core_markdown, evaluate_all, format_all, scores_markdown

REPO_ROOT = Path(__file__).resolve().parents[1]

# The full pipeline (training/configs/core.cfg) and the NER-only recipes (ner.cfg, ner-aux.cfg).
CORE_NAME = "norne_core_sm"
CORE_VERSION = "1.0.0"
NER_NAME = "norne_sm"
NER_VERSION = "0.2.0"
PACKAGE_LANG = LANG

# Components a NER-only config may train beside the NER only as extra objectives for the
# shared tok2vec, and what they learn; they are removed before packaging a NER-only model.
AUXILIARY_COMPONENTS = {
    "tagger": "NDT part of speech of the train file (proper/common nouns apart)",
    "parser": "NDT dependencies of the train file",
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


def auxiliary_components(config: Path) -> list[str]:
    """The auxiliary components (``AUXILIARY_COMPONENTS``) in a NER-only config's pipeline
    (none for a config with an ``attribute_ruler``, i.e. the full pipeline: there they stay)."""
    from thinc.api import Config

    pipeline = Config().from_disk(config, interpolate=False)["nlp"]["pipeline"]
    if "attribute_ruler" in pipeline or "trainable_lemmatizer" in pipeline:
        return []
    return [name for name in pipeline if name in AUXILIARY_COMPONENTS]


def strip_auxiliary(nlp) -> list[str]:
    """Remove the auxiliary components from a trained NER-only pipeline; returns their names.
    The NER keeps listening to the shared tok2vec, so its entities do not change."""
    auxiliary = [name for name in nlp.pipe_names if name in AUXILIARY_COMPONENTS]
    for name in auxiliary:
        nlp.remove_pipe(name)
    return auxiliary


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


def run(cmd: list, log: Path | None = None, env: dict | None = None) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    if log is None:
        subprocess.run([str(c) for c in cmd], check=True, env=env)
        return
    with log.open("a", encoding="utf-8") as fh:
        proc = subprocess.run([str(c) for c in cmd], stdout=fh, stderr=subprocess.STDOUT, env=env)
    if proc.returncode != 0:
        tail = log.read_text(encoding="utf-8")[-3000:]
        raise RuntimeError(f"command failed ({proc.returncode}): {' '.join(map(str, cmd))}\n{tail}")


def build_wheel(model_dir: Path, out_dir: Path, work_dir: Path, name: str = CORE_NAME,
                version: str = CORE_VERSION) -> Path:
    """``spacy package`` the pipeline in ``model_dir`` and build its wheel into ``out_dir``
    (replacing older wheels of the same name there).

    Uses ``spacy package --build wheel`` when the ``build`` or ``wheel`` package is there;
    otherwise lets spaCy write the package folder (``--build none``) and builds the wheel
    with ``pip wheel --no-deps --no-build-isolation`` (the environment's own setuptools; fails
    where that setuptools has no ``bdist_wheel``, as the project venv's 65.5 does), falling back to
    pip's isolated build env, which fetches setuptools from the configured index (on 2026-12-01
    the machine's local index served it, so no internet was needed).
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
    run(cmd)
    pkg_dir = pkg_root / f"{PACKAGE_LANG}_{name}-{version}"
    dist = pkg_dir / "dist"
    if not have_builder:
        # the environment's own setuptools first (>= 70.1 builds wheels without the `wheel`
        # package); else pip's isolated build environment (fetches setuptools from the index)
        try:
            run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(dist),
                 str(pkg_dir)])
        except subprocess.CalledProcessError:
            run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(dist), str(pkg_dir)])
    wheels = sorted(dist.glob("*.whl"))
    if not wheels:
        raise RuntimeError(f"no wheel built in {dist}")
    out_dir.mkdir(parents=True, exist_ok=True)
    dest = out_dir / wheels[-1].name
    for old in out_dir.glob(f"{PACKAGE_LANG}_{name}-*.whl"):
        old.unlink()
    shutil.copy(wheels[-1], dest)
    return dest


def _training_data(core: bool, final: bool, heldout_files: dict | None) -> dict:
    if core:
        return {
            "corpus": "NorNE / NDT",
            "norne_commit": NORNE_COMMIT,
            "train_files": [NB_TRAIN_FILE, NN_TRAIN_FILE],
            "heldout_files": heldout_files or {},
            "dev_file": "held-out NDT files (model-best)",
            "test_files": [DEV_FILE, TEST_FILE, NN_DEV_FILE, NN_TEST_FILE],
            "train_plus_dev": False,
            "note": ("bokmål + nynorsk NDT train files minus the held-out NDT files (whole files; "
                     "nynorsk: contiguous blocks of 90 sentences); model-best by the held-out score "
                     "(tag, pos, lemma, UAS, LAS, ents); the UD dev/test files are not trained on"),
            "tags": "NDT part of speech (subst_prop for proper nouns); UD pos by the attribute ruler",
            "dependency_labels": "NDT (ROOT for the root)",
        }
    return {
        "corpus": "NorNE",
        "norne_commit": NORNE_COMMIT,
        "train_files": [NB_TRAIN_FILE, NN_DEV_FILE] + ([DEV_FILE] if final else []),
        "dev_file": DEV_FILE,
        "test_files": [TEST_FILE, NN_TEST_FILE],
        "train_plus_dev": bool(final),
        "note": ("final model trained on bokmål train+dev and nynorsk dev with the recipe "
                 "chosen on bokmål dev; the dev scores are therefore not held-out" if final else
                 "trained on bokmål train and nynorsk dev; model-best by bokmål dev ents F"),
    }


def package_model(model_dir: Path, norne_dir: Path, out_dir: Path, config: Path, final: bool = False,
                  name: str | None = None, version: str | None = None, work_dir: Path = Path("/tmp/train-work"),
                  train_seconds: int | None = None, heldout_files: dict | None = None,
                  extra_meta: dict | None = None) -> Path:
    """Fix the tokenizer, strip auxiliary components, score the pipeline (``evaluate_all``),
    write its meta.json (plus ``extra_meta``) and build the wheel into ``out_dir``; returns the wheel path."""
    import spacy

    model_dir, norne_dir, config, work_dir = Path(model_dir), Path(norne_dir), Path(config), Path(work_dir)
    work_dir.mkdir(parents=True, exist_ok=True)
    nlp = spacy.load(model_dir)
    core = "parser" in nlp.pipe_names and "trainable_lemmatizer" in nlp.pipe_names
    name = name or (CORE_NAME if core else NER_NAME)
    version = version or (CORE_VERSION if core else NER_VERSION)
    removed = customize_tokenizer(nlp)
    auxiliary = [] if core else strip_auxiliary(nlp)
    if "attribute_ruler" in nlp.pipe_names:  # the mapping as committed now (tests pin it)
        import srsly

        ruler = nlp.get_pipe("attribute_ruler")
        ruler.clear()
        ruler.add_patterns(srsly.read_json(POS_MAP))
        removed.append("attribute_ruler")
    if removed or auxiliary:
        nlp.to_disk(model_dir)
    for aux in auxiliary:  # to_disk leaves the removed components' folders behind
        shutil.rmtree(model_dir / aux, ignore_errors=True)
    scores = evaluate_all(nlp, norne_dir, sets=None if core else ("bokmaal_dev", "bokmaal_test", "nynorsk_test"))
    print(format_all(scores), flush=True)

    meta_path = model_dir / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    test = scores["bokmaal_test"]
    td = _training_data(core, final, heldout_files)
    if not core:
        td["auxiliary_objectives"] = [AUXILIARY_COMPONENTS[a] for a in auxiliary]
    what = ("Norwegian (bokmål, nynorsk) pipeline: NDT tags, UD pos, lemmas, NDT dependencies, "
            if core else "Norwegian Bokmål NER pipeline ")
    meta.update({
        "lang": PACKAGE_LANG,
        "name": name,
        "version": version,
        # any spaCy 3.8.x loads it (the architectures are the same across 3.8 patch releases)
        "spacy_version": ">=3.8.0,<3.9.0",
        "description": (
            what + "NorNE names (" + ", ".join(NORNE_LABELS) + "), trained on NorNE/NDT with spaCy "
            f"on CPU, no static vectors. Bokmål test ents F {100 * test['ents_f']:.1f}."
        ),
        "license": "CC0-1.0 (NorNE annotations); model weights for the project's use",
        "author": "norextract",
        "sources": [{
            "name": "NorNE (Norwegian Named Entities) with the Norwegian Dependency Treebank",
            "url": "https://github.com/ltgoslo/norne",
            "license": "CC0-1.0",
            "author": "LTG (University of Oslo), Språkbanken, Schibsted",
        }],
        "training_data": td,
        "training_config": config.read_text(encoding="utf-8"),
        "training_config_file": str(config.relative_to(REPO_ROOT)) if config.is_relative_to(REPO_ROOT) else str(config),
        "git_commit": git_commit(),
        "training_seconds": train_seconds,
        "scores": scores,
        **(extra_meta or {}),
    })
    perf = dict(meta.get("performance") or {})
    perf.update({k: test[k] for k in ("ents_p", "ents_r", "ents_f")})
    perf["ents_per_type"] = test["ents_per_type"]
    perf["evaluated_on"] = TEST_FILE
    if "ndt_heldout" in scores:
        perf.update({k: v for k, v in scores["ndt_heldout"].items() if not k.startswith("ents")})
        perf["tags_lemmas_parse_evaluated_on"] = "held-out NDT files"
    meta["performance"] = perf
    meta_path.write_text(json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf-8")
    (work_dir / "scores.json").write_text(json.dumps(scores, indent=2), encoding="utf-8")
    wheel = build_wheel(model_dir, out_dir, work_dir, name=name, version=version)
    (work_dir / "MODEL_README.md").write_text(model_card(meta, wheel), encoding="utf-8")
    return wheel


def model_card(meta: dict, wheel: Path) -> str:
    """A Markdown summary of a packaged model (written to the work dir; models/README.md
    quotes it by hand, with the runs)."""
    td = meta["training_data"]
    full = f"{PACKAGE_LANG}_{meta['name']}"
    core = "ndt_heldout" in meta["scores"]
    text = f"""# {full} {meta['version']}

`{wheel.name}` ({wheel.stat().st_size / 1e6:.1f} MB), spaCy {meta.get('spacy_version', '')},
components: {', '.join(meta.get('pipeline', []))}; NER labels
{', '.join(meta.get('labels', {}).get('ner', NORNE_LABELS))}.

Install and load (offline): `pip install models/{wheel.name}`, then `spacy.load("{full}")`.

## Training
- Data: NorNE commit {td['norne_commit']}: {', '.join(td['train_files'])} ({td['note']}).
- Recipe: `training/` with `{meta['training_config_file']}` on CPU (`--gpu-id -1`),
  {meta.get('training_seconds') or '?'} s including conversion. The tokenizer is spaCy's nb tokenizer
  without the special cases {', '.join(PARTY_ABBREVIATIONS)} (they hide sentence-final party names).
- Git commit of the recipe: `{meta['git_commit']}`. Full config and scores: the package's `meta.json`.

## Scores (the pipeline's own tokenization)
"""
    if core:
        text += core_markdown(meta["scores"]) + "\n\n"
    text += scores_markdown(meta["scores"]) + "\n"
    return text
