"""Assemble the full pipeline from two trained pipelines, without retraining: the tok2vec,
tagger, lemmatizer, attribute ruler and parser of a full pipeline (``nb_norne_core_sm``) and
the NER of a NER-only pipeline (``nb_norne_sm`` 0.2.0) with its own copy of that pipeline's
tok2vec (spaCy ``replace_listeners``), so that its names are the NER-only model's.

    python -m training.assemble [--core SRC] [--ner SRC] [--out models] [--version 1.1.0]

A source is a wheel (``models/*.whl``), a model folder or an installed package name.
``make model`` trains the full pipeline and then runs this step (``training.train``).
"""

from __future__ import annotations

import argparse
import zipfile
from pathlib import Path

from training.package import CORE_NAME, REPO_ROOT, package_model

ASSEMBLED_VERSION = "1.1.0"
MODELS = REPO_ROOT / "models"
DEFAULT_NER = MODELS / "nb_norne_sm-0.2.0-py3-none-any.whl"
DEFAULT_WORK_DIR = Path("/tmp/assemble-work")
CORE_CONFIG = REPO_ROOT / "training" / "configs" / "core.cfg"


def default_core() -> Path | None:
    """The committed full pipeline (the newest ``models/nb_norne_core_sm-*.whl``): an assembled
    one works as a source too, its NER is replaced again."""
    wheels = sorted(MODELS.glob(f"nb_{CORE_NAME}-*.whl"))
    return wheels[-1] if wheels else None


def load_source(source: str | Path, work_dir: Path):
    """Load a pipeline from a wheel (unpacked into ``work_dir``), a folder or a package name."""
    import spacy

    path = Path(source)
    if path.suffix == ".whl":
        unpacked = work_dir / path.stem
        with zipfile.ZipFile(path) as wheel:
            wheel.extractall(unpacked)
        configs = sorted(unpacked.glob("*/*/config.cfg"))  # name/name-version/config.cfg
        if not configs:
            raise ValueError(f"{source}: no spaCy pipeline in this wheel")
        return spacy.load(configs[0].parent)
    return spacy.load(source)


def combine(core, ner_source, ner_name: str = "ner"):
    """``core`` with its NER replaced by ``ner_source``'s, which gets its own copy of the
    tok2vec it listens to (the other components keep sharing ``core``'s tok2vec)."""
    tok2vec = next((name for name, pipe in ner_source.pipeline
                    if ner_name in getattr(pipe, "listening_components", [])), None)
    if tok2vec is not None:
        ner_source.replace_listeners(tok2vec, ner_name, ["model.tok2vec"])
    if ner_name in core.pipe_names:
        core.remove_pipe(ner_name)
    core.add_pipe(ner_name, source=ner_source)
    return core


def assemble(core: str | Path | None = None, ner: str | Path = DEFAULT_NER, out_dir: Path = MODELS,
             version: str = ASSEMBLED_VERSION, work_dir: Path = DEFAULT_WORK_DIR,
             norne_dir: Path = REPO_ROOT.parent / "shared" / "data" / "norne", train_seconds: int | None = None) -> Path:
    """Combine, save, score and package (``package_model``); returns the wheel.
    ``train_seconds``: the training time of ``core`` when it was just trained (``make model``)."""
    work_dir, core = Path(work_dir), core or default_core()
    if core is None:
        raise FileNotFoundError(f"no full pipeline: no {MODELS}/nb_{CORE_NAME}-*.whl and no --core")
    work_dir.mkdir(parents=True, exist_ok=True)
    core_nlp, ner_nlp = load_source(core, work_dir), load_source(ner, work_dir)
    parts = {"core": _describe(core_nlp, core, "core"), "ner": _describe(ner_nlp, ner, "ner")}
    nlp = combine(core_nlp, ner_nlp)
    model_dir = work_dir / "model"
    nlp.to_disk(model_dir)
    heldout = (core_nlp.meta.get("training_data") or {}).get("heldout_files")
    extra = {
        "assembled_from": {
            "core": {**parts["core"], "components": [n for n in nlp.pipe_names if n != "ner"]},
            "ner": {**parts["ner"], "components": ["ner (with its own copy of its tok2vec)"]},
        },
        "training_seconds_of_parts": {k: p["training_seconds"] for k, p in parts.items()},
    }
    return package_model(model_dir, Path(norne_dir), Path(out_dir), config=CORE_CONFIG, name=CORE_NAME,
                         version=version, work_dir=work_dir, heldout_files=heldout, extra_meta=extra,
                         train_seconds=train_seconds)


def _describe(nlp, source, part: str) -> dict:
    """Where a part comes from; for an assembled source, the part it was assembled from."""
    meta = nlp.meta
    if "assembled_from" in meta:
        return {k: v for k, v in meta["assembled_from"][part].items() if k != "components"}
    return {"source": Path(str(source)).name, "name": f"{meta.get('lang')}_{meta.get('name')}",
            "version": meta.get("version"), "training_config_file": meta.get("training_config_file"),
            "git_commit": meta.get("git_commit"), "training_seconds": meta.get("training_seconds")}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m training.assemble", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--core", default=None,
                    help="the full pipeline whose NER is replaced (default: the newest models/nb_norne_core_sm-*.whl)")
    ap.add_argument("--ner", default=str(DEFAULT_NER), help="the NER-only pipeline whose NER is used")
    ap.add_argument("--out", default=str(MODELS), help="where the wheel goes")
    ap.add_argument("--version", default=ASSEMBLED_VERSION)
    ap.add_argument("--work-dir", default=str(DEFAULT_WORK_DIR))
    a = ap.parse_args(argv)
    wheel = assemble(a.core, a.ner, Path(a.out), a.version, Path(a.work_dir))
    print(f"model package: {wheel}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
