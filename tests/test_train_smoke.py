"""A 30-step training of the full pipeline (training/configs/core.cfg, made tiny) on a slice of
the NDT files: every component is built, trained, saved and loaded, and sets its attributes."""

from __future__ import annotations

from pathlib import Path

import pytest

spacy = pytest.importorskip("spacy")

from training.data import NB_TRAIN_FILE  # noqa: E402

try:
    from conftest import shared_dir
except ImportError:  # pragma: no cover
    def shared_dir() -> Path:
        return (Path(__file__).resolve().parents[1] / ".." / "shared").resolve()

NORNE = shared_dir() / "data" / "norne"

# A tiny network and schedule: the recipe's architecture, 30 steps.
TINY = {
    "components.tok2vec.model.encode.width": "32",
    "components.tok2vec.model.encode.depth": "1",
    "components.tok2vec.model.embed.rows": "[500,200,200,200]",
    "components.parser.model.hidden_width": "16",
    "components.ner.model.hidden_width": "16",
    "components.trainable_lemmatizer.min_tree_freq": "1",
    "training.max_steps": "30",
    "training.eval_frequency": "15",
    "training.batcher.size.start": "300",
    "training.batcher.size.stop": "300",
    "nlp.batch_size": "64",
}


@pytest.mark.skipif(not (NORNE / NB_TRAIN_FILE).exists(), reason=f"NorNE data not found at {NORNE}")
def test_train_full_pipeline_30_steps(tmp_path):
    from training.evaluate import evaluate_all
    from training.package import customize_tokenizer
    from training.train import train_core

    model_dir = train_core(NORNE, tmp_path / "models", work_dir=tmp_path / "work", overrides=TINY,
                           limit=300, package=False)
    nlp = spacy.load(model_dir)
    assert set(nlp.meta["training_data"]["heldout_files"]) == {"bokmaal", "nynorsk"}  # for training.assemble
    assert nlp.pipe_names == ["tok2vec", "tagger", "trainable_lemmatizer", "attribute_ruler", "parser", "ner"]
    customize_tokenizer(nlp)
    doc = nlp("Equinor kjøper aksjer i Oslo. Statsministeren sa at regjeringen vil bruke mer penger.")
    assert all(t.tag_ and t.pos_ and t.lemma_ and t.dep_ for t in doc)
    assert doc.has_annotation("DEP") and len(list(doc.sents)) >= 1
    assert all(t.head.i < len(doc) for t in doc)
    assert isinstance(doc.ents, tuple)
    assert "ner" in nlp.pipe_names and nlp.get_pipe("ner").labels
    scores = evaluate_all(nlp, NORNE, sets=("ndt_heldout", "bokmaal_dev"), limit=60)
    held = scores["ndt_heldout"]
    for key in ("pos_acc", "tag_acc", "lemma_acc", "dep_uas", "dep_las", "ents_f"):
        assert 0.0 <= held[key] <= 1.0
    assert "ents_per_type" in scores["bokmaal_dev"]
