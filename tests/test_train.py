"""Fast tests for pipeline/train.py (no model training here)."""

from __future__ import annotations

from pathlib import Path

import pytest

spacy = pytest.importorskip("spacy")
from spacy.tokens import DocBin  # noqa: E402

from pipeline.train import (  # noqa: E402
    DEV_FILE,
    NN_DEV_FILE,
    NN_TEST_FILE,
    TEST_FILE,
    TRAIN_FILE,
    convert_norne,
    evaluate_ner,
    format_ner_scores,
    read_conll,
)

try:
    from conftest import shared_dir
except ImportError:  # pragma: no cover - conftest not importable as a module
    def shared_dir() -> Path:
        return (Path(__file__).resolve().parents[1] / ".." / "shared").resolve()


NORNE = shared_dir() / "data" / "norne"
needs_norne = pytest.mark.skipif(
    not (NORNE / TRAIN_FILE).exists(),
    reason=f"NorNE data not found at {NORNE} (CI places shared/ beside the repo clone)",
)

# A tiny hand-made NorNE-like corpus: CoNLL-X (NDT columns, no SpaceAfter) and CoNLL-U.
CONLLX = """\
# sent_id = t1
1\tEquinor\tEquinor\tsubst\tsubst\tprop\t2\tSUBJ\t_\tname=B-ORG
2\tkjøper\tkjøpe\tverb\tverb\tpres\t0\tFINV\t_\tname=O
3\ti\ti\tprep\tprep\t_\t2\tADV\t_\tname=O
4\tOslo\tOslo\tsubst\tsubst\tprop\t3\tPUTFYLL\t_\tname=B-GPE_LOC
5\t.\t$.\tclb\tclb\t<punkt>\t2\tIP\t_\tname=O

# sent_id = t2
1\tPer\tPer\tsubst\tsubst\tprop\t3\tSUBJ\t_\tname=B-PER
2\tHansen\tHansen\tsubst\tsubst\tprop\t1\tFLAT\t_\tname=I-PER
3\tsmiler\tsmile\tverb\tverb\tpres\t0\tFINV\t_\tname=O
4\t,\t$,\t<komma>\t<komma>\t_\t3\tIK\t_\tname=O
5\tsa\tsi\tverb\tverb\tpret\t3\tKOORD\t_\tname=O
6\tNRK\tNRK\tsubst\tsubst\tprop\t5\tSUBJ\t_\tname=B-ORG
7\t.\t$.\tclb\tclb\t<punkt>\t3\tIP\t_\tname=O

"""

CONLLU = """\
# sent_id = u1
# text = Equinor ASA kjøper i Oslo.
1\tEquinor\tEquinor\tPROPN\t_\t_\t3\tnsubj\t_\tname=B-ORG
2\tASA\tASA\tPROPN\t_\t_\t1\tflat:name\t_\tname=I-ORG
3\tkjøper\tkjøpe\tVERB\t_\t_\t0\troot\t_\tname=O
4\ti\ti\tADP\t_\t_\t5\tcase\t_\tname=O
5\tOslo\tOslo\tPROPN\t_\t_\t3\tobl\t_\tSpaceAfter=No|name=B-GPE_LOC
6\t.\t$.\tPUNCT\t_\t_\t3\tpunct\t_\tname=O

# sent_id = u2
# text = Per Hansen bor i Bergen.
1\tPer\tPer\tPROPN\t_\t_\t3\tnsubj\t_\tname=B-PER
2\tHansen\tHansen\tPROPN\t_\t_\t1\tflat:name\t_\tname=I-PER
3\tbor\tbo\tVERB\t_\t_\t0\troot\t_\tname=O
4\ti\ti\tADP\t_\t_\t5\tcase\t_\tname=O
5\tBergen\tBergen\tPROPN\t_\t_\t3\tobl\t_\tSpaceAfter=No|name=O
6\t.\t$.\tPUNCT\t_\t_\t3\tpunct\t_\tname=O

"""


def _write_tiny_norne(root: Path) -> Path:
    for rel, text in ((TRAIN_FILE, CONLLX), (DEV_FILE, CONLLU), (TEST_FILE, CONLLU),
                      (NN_TEST_FILE, CONLLU)):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def _docs(path: Path):
    nlp = spacy.blank("nb")
    return list(DocBin().from_disk(path).get_docs(nlp.vocab))


def _iob_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    spans, start, label = [], None, None
    for i, tag in enumerate(tags + ["O"]):
        if start is not None and not tag.startswith("I-"):
            spans.append((start, i, label))
            start = None
        if tag.startswith("B-"):
            start, label = i, tag[2:]
    return spans


def test_read_conll_spacing_and_tags(tmp_path):
    root = _write_tiny_norne(tmp_path / "norne")
    train = list(read_conll(root / TRAIN_FILE))
    assert [s.words for s in train][0] == ["Equinor", "kjøper", "i", "Oslo", "."]
    # no SpaceAfter in CoNLL-X: spacing is guessed (no space before punctuation)
    assert train[1].spaces[:4] == [True, True, False, True]
    assert train[1].tags[:2] == ["B-PER", "I-PER"]
    assert train[0].heads == [1, 1, 1, 2, 1] and train[0].deps[1] == "ROOT"
    dev = list(read_conll(root / DEV_FILE))
    assert dev[0].spaces == [True, True, True, True, False, True]


def test_convert_norne_synthetic(tmp_path):
    root = _write_tiny_norne(tmp_path / "norne")
    out = convert_norne(root, tmp_path / "work")
    assert set(out) == {"train", "dev", "test", "nn_test"}
    assert out["train"].is_dir() and [p.name for p in out["train"].glob("*.spacy")] == ["train.spacy"]
    (train_doc,) = _docs(out["train"] / "train.spacy")
    assert train_doc.text == "Equinor kjøper i Oslo. Per Hansen smiler, sa NRK."
    assert [(e.text, e.label_) for e in train_doc.ents] == [
        ("Equinor", "ORG"), ("Oslo", "GPE_LOC"), ("Per Hansen", "PER"), ("NRK", "ORG")]
    assert [s.text for s in train_doc.sents] == ["Equinor kjøper i Oslo.", "Per Hansen smiler, sa NRK."]
    (dev_doc,) = _docs(out["dev"])
    assert dev_doc.text == "Equinor ASA kjøper i Oslo. Per Hansen bor i Bergen."
    assert [(e.text, e.label_) for e in dev_doc.ents] == [
        ("Equinor ASA", "ORG"), ("Oslo", "GPE_LOC"), ("Per Hansen", "PER")]

    both = convert_norne(root, tmp_path / "work2", include_dev=True)["train"]
    assert both.is_dir() and sorted(p.name for p in both.glob("*.spacy")) == ["dev.spacy", "train.spacy"]

    # the nynorsk dev file, where present, is training data for every model (never evaluated)
    nn_dev = root / NN_DEV_FILE
    nn_dev.write_text(CONLLU, encoding="utf-8")
    out = convert_norne(root, tmp_path / "work3")
    assert sorted(p.name for p in out["train"].glob("*.spacy")) == ["nn_dev.spacy", "train.spacy"]
    assert "nn_dev" not in out
    both = convert_norne(root, tmp_path / "work4", include_dev=True)["train"]
    assert sorted(p.name for p in both.glob("*.spacy")) == ["dev.spacy", "nn_dev.spacy", "train.spacy"]


@needs_norne
def test_convert_norne_real_slice(tmp_path):
    """20 sentences of each NorNE file: the DocBins hold exactly the gold IOB2 spans."""
    root = tmp_path / "norne"
    for rel in (TRAIN_FILE, DEV_FILE, TEST_FILE, NN_TEST_FILE):
        lines, n = [], 0
        with (NORNE / rel).open(encoding="utf-8") as fh:
            for line in fh:
                lines.append(line)
                if not line.strip():
                    n += 1
                    if n == 20:
                        break
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("".join(lines), encoding="utf-8")
    out = convert_norne(root, tmp_path / "work")
    for key, rel in (("train", TRAIN_FILE), ("dev", DEV_FILE), ("test", TEST_FILE),
                     ("nn_test", NN_TEST_FILE)):
        sents = list(read_conll(root / rel))
        assert len(sents) == 20
        docs = _docs(out[key] / "train.spacy" if key == "train" else out[key])
        assert sum(len(list(d.sents)) for d in docs) == 20
        assert [t.text for d in docs for t in d] == [w for s in sents for w in s.words]
        expected, offset = [], 0
        for s in sents:
            expected += [(offset + a, offset + b, lab) for a, b, lab in _iob_spans(s.tags)]
            offset += len(s.words)
        got, offset = [], 0
        for d in docs:
            got += [(offset + e.start, offset + e.end, e.label_) for e in d.ents]
            offset += len(d)
        assert got == expected
        assert all(lab in {"PER", "ORG", "LOC", "GPE_LOC", "GPE_ORG", "PROD", "EVT", "DRV", "MISC"}
                   for _, _, lab in got)
    train_ents = [e for d in _docs(out["train"] / "train.spacy") for e in d.ents]
    assert train_ents, "the first 20 train sentences contain entities"


def _ruler_nlp():
    nlp = spacy.blank("nb")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([
        {"label": "ORG", "pattern": "Equinor ASA"},   # correct
        {"label": "LOC", "pattern": "Oslo"},          # right span, wrong label
        {"label": "GPE_LOC", "pattern": "Bergen"},    # not an entity in the gold data
    ])
    return nlp


def test_evaluate_ner_entity_ruler(tmp_path):
    path = tmp_path / "tiny.conllu"
    path.write_text(CONLLU, encoding="utf-8")
    scores = evaluate_ner(_ruler_nlp(), path)
    for key in ("ents_p", "ents_r", "ents_f", "ents_per_type"):
        assert key in scores
    # gold: ORG, GPE_LOC, PER; predicted: ORG (ok), LOC (wrong), GPE_LOC (spurious)
    assert scores["ents_p"] == pytest.approx(1 / 3)
    assert scores["ents_r"] == pytest.approx(1 / 3)
    assert scores["ents_f"] == pytest.approx(1 / 3)
    per = scores["ents_per_type"]
    assert per["ORG"] == pytest.approx({"p": 1.0, "r": 1.0, "f": 1.0})
    assert per["GPE_LOC"]["p"] == 0.0 and per["GPE_LOC"]["r"] == 0.0
    assert per["PER"]["r"] == 0.0
    assert per["LOC"]["p"] == 0.0
    table = format_ner_scores(scores)
    assert "ORG" in table and "ALL" in table and "33.3" in table


def test_evaluate_ner_no_entities_predicted(tmp_path):
    path = tmp_path / "tiny.conllu"
    path.write_text(CONLLU, encoding="utf-8")
    scores = evaluate_ner(spacy.blank("nb"), path)
    assert scores["ents_f"] == 0.0 and scores["ents_r"] == 0.0


@needs_norne
def test_evaluate_ner_real_slice():
    scores = evaluate_ner(_ruler_nlp(), NORNE / DEV_FILE, limit=20)
    assert {"ents_p", "ents_r", "ents_f", "ents_per_type"} <= set(scores)
    assert 0.0 <= scores["ents_f"] <= 1.0


def test_customize_tokenizer_splits_party_names():
    from pipeline.train import customize_tokenizer

    nlp = spacy.blank("nb")
    assert "Frp." in [t.text for t in nlp("Det er mer enn Frp.")]
    assert customize_tokenizer(nlp) == ["Ap.", "Frp.", "Sp."]
    assert [t.text for t in nlp("Det er mer enn Frp.")][-2:] == ["Frp", "."]
    assert "bl.a." in [t.text for t in nlp("Det gjelder bl.a. skatt.")]


def test_scores_markdown(tmp_path):
    from pipeline.train import _ner_summary, scores_markdown

    path = tmp_path / "tiny.conllu"
    path.write_text(CONLLU, encoding="utf-8")
    summary = _ner_summary(evaluate_ner(_ruler_nlp(), path))
    table = scores_markdown({"dev": summary})
    assert "| ORG | 100.0 / 100.0 / 100.0 |" in table
    assert "| **all** | 33.3 / 33.3 / 33.3 |" in table
