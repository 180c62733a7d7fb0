"""Train the project's Norwegian pipelines: the full one (``core.cfg``: tags, lemmas, parse,
names; the default) and the NER-only recipes (``ner.cfg``, ``ner-aux.cfg``).

Plain functions only (no CLI parsing); ``pipeline/cli.py`` imports them inside its commands.
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import srsly

from training.assemble import ASSEMBLED_VERSION, DEFAULT_NER, assemble
from training.data import POS_MAP, convert_ndt, convert_norne
from training.package import auxiliary_components, package_model, run

CONFIG_DIR = Path(__file__).resolve().parent / "configs"
CORE_CONFIG = CONFIG_DIR / "core.cfg"
NER_CONFIG = CONFIG_DIR / "ner.cfg"
DEFAULT_CONFIG = CORE_CONFIG
# The training-time augmenter a NER config may name (loaded by ``spacy train --code``).
AUGMENT_CODE = Path(__file__).resolve().parent / "augment.py"
DEFAULT_WORK_DIR = Path("/tmp/train-work")


def is_core_config(config: Path) -> bool:
    """Whether a config trains the full pipeline (it has an attribute ruler and a lemmatizer)."""
    from thinc.api import Config

    pipeline = Config().from_disk(config, interpolate=False)["nlp"]["pipeline"]
    return "attribute_ruler" in pipeline and "trainable_lemmatizer" in pipeline


def spacy_train(config: Path, train: Path, dev: Path, out: Path, log: Path,
                overrides: dict[str, str] | None = None, pos_map: Path | None = None) -> None:
    """``python -m spacy train`` on CPU into ``out`` (emptied first), output to ``log``."""
    if out.exists():
        shutil.rmtree(out)
    if log.exists():
        log.unlink()
    cmd = [sys.executable, "-m", "spacy", "train", str(config), "--output", str(out),
           "--paths.train", str(train), "--paths.dev", str(dev), "--gpu-id", "-1",
           "--code", str(AUGMENT_CODE)]
    if pos_map is not None:
        cmd += ["--paths.pos_map", str(pos_map)]
    for key, value in (overrides or {}).items():
        cmd += [f"--{key}", str(value)]
    run(cmd, log=log)


def train_core(norne_dir: Path, out_dir: Path, config: Path | None = None,
               work_dir: Path = DEFAULT_WORK_DIR, overrides: dict[str, str] | None = None,
               version: str | None = None, limit: int = 0, package: bool = True) -> Path:
    """The full pipeline's recipe; returns the built wheel (or, without ``package``, the
    trained model folder).

    1. convert both NDT train files (minus the held-out NDT files) and the held-out files to
       DocBins in ``work_dir`` (scratch, outside the repo);
    2. ``spacy train`` the config (default ``configs/core.cfg``) on CPU; ``model-best`` by the
       held-out NDT score (it is not trained on, so its scores stay honest);
    3. fix the tokenizer, score it (held-out NDT; NorNE UD dev/test), write meta.json and
       build the wheel (``training.package``); without ``package``, only record the held-out
       files in the folder's meta.json.
    ``limit`` reads only the first N sentences of each file (smoke tests).
    """
    norne_dir, out_dir, work_dir = Path(norne_dir), Path(out_dir), Path(work_dir)
    config = Path(config) if config is not None else CORE_CONFIG
    work_dir.mkdir(parents=True, exist_ok=True)
    started = time.time()
    data = convert_ndt(norne_dir, work_dir / "data", limit=limit)
    train_out = work_dir / "output"
    spacy_train(config, data["train"], data["heldout"], train_out, work_dir / "train.log",
                overrides=overrides, pos_map=POS_MAP)
    model_dir = train_out / "model-best"
    if not package:  # the held-out files go into its meta.json, for packaging it later (assemble)
        meta = srsly.read_json(model_dir / "meta.json")
        meta["training_data"] = {**meta.get("training_data", {}), "heldout_files": data["heldout_files"]}
        srsly.write_json(model_dir / "meta.json", meta)
        return model_dir
    return package_model(model_dir, norne_dir, out_dir, config=config, version=version, work_dir=work_dir,
                         train_seconds=round(time.time() - started), heldout_files=data["heldout_files"])


def train_ner(norne_dir: Path, out_dir: Path, config: Path | None = None, final: bool = True,
              work_dir: Path = DEFAULT_WORK_DIR, overrides: dict[str, str] | None = None,
              version: str | None = None, nynorsk_train: bool = False) -> Path:
    """The NER-only recipes (``nb_norne_sm`` 0.2.0 and the runs in models/README.md).

    Bokmål train (+ nynorsk dev, + with ``nynorsk_train`` the nynorsk NDT train file; with ``final`` also bokmål dev, running the config's schedule
    to the end and keeping ``model-last``; otherwise ``model-best`` on bokmål dev). A tagger or
    parser in the config is trained on the NDT part of speech or dependencies as an extra
    objective for the shared tok2vec and removed before packaging.
    """
    norne_dir, out_dir, work_dir = Path(norne_dir), Path(out_dir), Path(work_dir)
    config = Path(config) if config is not None else NER_CONFIG
    work_dir.mkdir(parents=True, exist_ok=True)
    started = time.time()
    aux = auxiliary_components(config)
    data = convert_norne(norne_dir, work_dir / "data", include_dev=final, with_deps="parser" in aux,
                         with_tags="tagger" in aux, nynorsk_train=nynorsk_train)
    train_out = work_dir / ("output-final" if final else "output")
    spacy_train(config, data["train"], data["dev"], train_out,
                work_dir / ("train-final.log" if final else "train.log"), overrides=overrides)
    model_dir = train_out / ("model-last" if final else "model-best")
    return package_model(model_dir, norne_dir, out_dir, config=config, final=final, version=version,
                         work_dir=work_dir, train_seconds=round(time.time() - started))


def train_model(norne_dir: Path, out_dir: Path, config: Path | None = None, final: bool = True,
                work_dir: Path = DEFAULT_WORK_DIR, extra_overrides: dict[str, str] | None = None,
                version: str | None = None, ner: Path | str | None = DEFAULT_NER, nynorsk_train: bool = False) -> Path:
    """Train the config's pipeline (default: the full one) and package it; returns the wheel.
    ``final`` only concerns the NER-only recipes (train+dev, ``model-last``). The full pipeline
    gets the NER of ``ner`` (default: the committed ``nb_norne_sm`` 0.2.0, ``training.assemble``)
    in place of the one trained with it; ``ner=None`` packages the trained one."""
    config = Path(config) if config is not None else DEFAULT_CONFIG
    if is_core_config(config) and ner is not None:
        started = time.time()
        model_dir = train_core(norne_dir, out_dir, config, work_dir=work_dir, overrides=extra_overrides,
                               package=False)
        return assemble(model_dir, ner, Path(out_dir), version or ASSEMBLED_VERSION, Path(work_dir) / "assemble",
                        Path(norne_dir), train_seconds=round(time.time() - started))
    if is_core_config(config):
        return train_core(norne_dir, out_dir, config, work_dir=work_dir, overrides=extra_overrides,
                          version=version)
    return train_ner(norne_dir, out_dir, config, final=final, work_dir=work_dir, overrides=extra_overrides,
                     version=version, nynorsk_train=nynorsk_train)
