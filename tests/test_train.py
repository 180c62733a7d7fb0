"""Fast tests for the training package (conversion, evaluation, packaging helpers; no
model training here: tests/test_train_smoke.py trains a tiny full pipeline)."""

from __future__ import annotations

from pathlib import Path

import pytest

spacy = pytest.importorskip("spacy")
from spacy.tokens import DocBin  # noqa: E402

from training.data import (  # noqa: E402
    DEV_FILE,
    NN_DEV_FILE,
    NN_TEST_FILE,
    NN_TRAIN_FILE,
    TEST_FILE,
    TRAIN_FILE,
    convert_norne,
    read_conll,
)
from training.evaluate import evaluate_ner, format_ner_scores  # noqa: E402

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
    assert sorted(p.name for p in out["train"].iterdir()) == ["train.spacy"]


def test_convert_norne_with_the_nynorsk_train_file(tmp_path):
    """``nynorsk_train``: the nynorsk NDT train file joins the train folder, names included."""
    root = tmp_path / "norne"
    for rel in (TRAIN_FILE, DEV_FILE, NN_TRAIN_FILE):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text((NORNE / rel).read_text(encoding="utf-8")[:20000], encoding="utf-8")
    out = convert_norne(root, tmp_path / "work", nynorsk_train=True, limit=40)
    assert sorted(p.name for p in out["train"].iterdir()) == ["nn_train.spacy", "train.spacy"]
    words = [t.text for d in _docs(out["train"] / "nn_train.spacy") for t in d]
    assert words[:5] == list(read_conll(root / NN_TRAIN_FILE))[0].words[:5]
    assert any(d.ents for d in _docs(out["train"] / "nn_train.spacy"))


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
    from training.package import customize_tokenizer

    nlp = spacy.blank("nb")
    assert "Frp." in [t.text for t in nlp("Det er mer enn Frp.")]
    assert customize_tokenizer(nlp) == ["Ap.", "Frp.", "Sp."]
    assert [t.text for t in nlp("Det er mer enn Frp.")][-2:] == ["Frp", "."]
    assert "bl.a." in [t.text for t in nlp("Det gjelder bl.a. skatt.")]


def test_scores_markdown(tmp_path):
    from training.evaluate import _ner_summary, scores_markdown

    path = tmp_path / "tiny.conllu"
    path.write_text(CONLLU, encoding="utf-8")
    summary = _ner_summary(evaluate_ner(_ruler_nlp(), path))
    table = scores_markdown({"dev": summary})
    assert "| ORG | 100.0 / 100.0 / 100.0 |" in table
    assert "| **all** | 33.3 / 33.3 / 33.3 |" in table


def test_read_conll_ndt_part_of_speech(tmp_path):
    """CoNLL-X (NDT) rows give the auxiliary tagger's labels; UD files give none."""
    root = _write_tiny_norne(tmp_path / "norne")
    train = list(read_conll(root / TRAIN_FILE))
    assert train[0].pos == ["subst_prop", "verb", "prep", "subst_prop", "clb"]
    assert train[1].pos[3] == "<komma>"
    assert list(read_conll(root / DEV_FILE))[0].pos is None


def test_convert_norne_with_tags(tmp_path):
    root = _write_tiny_norne(tmp_path / "norne")
    out = convert_norne(root, tmp_path / "work", with_tags=True)
    (train_doc,) = _docs(out["train"] / "train.spacy")
    assert [t.tag_ for t in train_doc][:5] == ["subst_prop", "verb", "prep", "subst_prop", "clb"]
    assert [s.text for s in train_doc.sents][0] == "Equinor kjøper i Oslo."
    (dev_doc,) = _docs(out["dev"])
    assert all(t.tag_ == "" for t in dev_doc)  # never tags outside the train file


def test_auxiliary_components(tmp_path):
    from thinc.api import Config

    from training.package import auxiliary_components
    from training.train import NER_CONFIG as DEFAULT_CONFIG

    cfg = Config().from_disk(DEFAULT_CONFIG, interpolate=False)
    cfg["nlp"]["pipeline"] = ["tok2vec", "tagger", "parser", "ner"]
    path = tmp_path / "aux.cfg"
    cfg.to_disk(path)
    assert auxiliary_components(path) == ["tagger", "parser"]


def test_training_configs():
    """The kept recipe trains tok2vec + ner; the alternative one (ner-aux.cfg) adds the
    auxiliary tagger and the mention-replacement augmenter, which resolves."""
    from thinc.api import Config

    import training.augment  # noqa: F401  (registers the augmenter)
    from training.package import auxiliary_components
    from training.train import NER_CONFIG as DEFAULT_CONFIG

    aux = DEFAULT_CONFIG.with_name("ner-aux.cfg")
    assert auxiliary_components(DEFAULT_CONFIG) == []
    assert auxiliary_components(aux) == ["tagger"]
    assert Config().from_disk(DEFAULT_CONFIG)["corpora"]["train"]["augmenter"] is None
    section = Config().from_disk(aux)["corpora"]["train"]["augmenter"]
    assert callable(spacy.registry.resolve({"augmenter": section})["augmenter"])


def _tagger_ner_nlp():
    """A tiny pipeline whose tagger and NER listen to one shared tok2vec, briefly trained."""
    from spacy.tokens import Doc
    from spacy.training import Example

    nlp = spacy.blank("nb")
    nlp.add_pipe("tok2vec")
    nlp.add_pipe("tagger")
    nlp.add_pipe("ner")
    words = ["Equinor", "kjøper", "i", "Oslo", "."]
    gold = Doc(nlp.vocab, words=words, tags=["subst_prop", "verb", "prep", "subst_prop", "clb"],
               ents=["B-ORG", "O", "O", "B-GPE_LOC", "O"])
    examples = [Example(nlp.make_doc(gold.text), gold)]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(30):
        nlp.update(examples, sgd=optimizer)
    return nlp


def test_strip_auxiliary_keeps_the_entities():
    from training.package import strip_auxiliary

    nlp = _tagger_ner_nlp()
    text = "Equinor kjøper i Oslo. Hydro kjøper i Bergen."
    before = [(e.text, e.label_) for e in nlp(text).ents]
    assert before, "the tiny model predicts entities"
    assert strip_auxiliary(nlp) == ["tagger"]
    assert nlp.pipe_names == ["tok2vec", "ner"]
    assert [(e.text, e.label_) for e in nlp(text).ents] == before


def _gold_doc(vocab, words, ents):
    from spacy.tokens import Doc

    spaces = [i + 1 < len(words) and words[i + 1] != "." for i in range(len(words))]
    return Doc(vocab, words=words, spaces=spaces, ents=ents)


def test_swap_entities_replaces_mentions_of_the_same_label():
    import random

    from training.augment import swap_entities

    nlp = spacy.blank("nb")
    ref = _gold_doc(nlp.vocab, ["Equinor", "kjøper", "Hydro", "i", "Oslo", "."],
                    ["B-ORG", "O", "B-ORG", "O", "B-GPE_LOC", "O"])
    pools = {"ORG": [(("Norsk", "Hydro", "ASA"), (True, True, True))]}
    doc = swap_entities(ref, pools, random.Random(0), swap_prob=1.0)
    assert doc.text == "Norsk Hydro ASA kjøper Norsk Hydro ASA i Oslo."
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Norsk Hydro ASA", "ORG"), ("Norsk Hydro ASA", "ORG"), ("Oslo", "GPE_LOC")]
    assert swap_entities(ref, pools, random.Random(0), swap_prob=0.0) is None  # nothing swapped
    assert swap_entities(ref, {}, random.Random(0), swap_prob=1.0) is None      # no other names


def test_entity_swap_augmenter_keeps_every_original():
    from spacy.training import Example

    from training.augment import create_entity_swap_augmenter

    nlp = spacy.blank("nb")
    docs = [
        _gold_doc(nlp.vocab, ["Equinor", "kjøper", "."], ["B-ORG", "O", "O"]),  # text "Equinor kjøper."
        _gold_doc(nlp.vocab, ["Statkraft", "selger", "."], ["B-ORG", "O", "O"]),
        _gold_doc(nlp.vocab, ["Ingen", "navn", "."], ["O", "O", "O"]),
    ]
    augment = create_entity_swap_augmenter(level=1.0, swap_prob=1.0)
    out = [eg for _ in range(5) for doc in docs for eg in augment(nlp, Example(nlp.make_doc(doc.text), doc))]
    texts = [eg.reference.text for eg in out]
    originals = [d.text for d in docs]
    assert [t for t in texts if t in originals] == originals * 5  # every original, in order
    variants = [eg for eg in out if eg.reference.text not in originals]
    # a variant: a name seen elsewhere in the same context, labelled as that name was
    assert {eg.reference.text for eg in variants} == {"Statkraft kjøper.", "Equinor selger."}
    assert all([e.label_ for e in eg.reference.ents] == ["ORG"] for eg in variants)
    assert all(eg.predicted.text == eg.reference.text for eg in variants)
    none = create_entity_swap_augmenter(level=0.0)
    assert [eg.reference.text for doc in docs for eg in none(nlp, Example(nlp.make_doc(doc.text), doc))] == [
        d.text for d in docs]


# --------------------------------------------------------------------------------------
# The full pipeline's data: NDT tags, lemmas, parse; held-out whole files
# --------------------------------------------------------------------------------------


def test_ndt_tags_and_lemmas(tmp_path):
    from training.data import ndt_lemma, ndt_tag

    assert ndt_tag("subst", "mask|prop") == "subst_prop"
    assert ndt_tag("subst", "appell|mask|ub|ent") == "subst"
    assert ndt_tag("<komma>", "_") == "<komma>"
    assert ndt_lemma(",", "$,") == "," and ndt_lemma("sto", "stå") == "stå" and ndt_lemma("x", "_") == "x"
    root = _write_tiny_norne(tmp_path / "norne")
    (first, second) = read_conll(root / TRAIN_FILE)
    assert first.lemmas == ["Equinor", "kjøpe", "i", "Oslo", "."]
    assert second.lemmas[3] == ","


def _numbered(n_files: int, per_file: int, ids: bool) -> str:
    out = []
    for f in range(n_files):
        for k in range(per_file):
            if ids:
                out.append(f"# sent_id = ap{f:03d}_0000-{k:03d}")
            out.append("1\tHei\thei\tinterj\tinterj\t_\t0\tFRAG\t_\tname=O\n")
    return "\n".join(out) + "\n"


def test_split_heldout_whole_files(tmp_path):
    from training.data import NN_BLOCK, split_heldout

    path = tmp_path / "nb.conll"
    path.write_text(_numbered(22, 3, ids=True), encoding="utf-8")
    train, heldout, files = split_heldout(read_conll(path), every=11, offset=5)
    assert files == ["ap005_0000", "ap016_0000"]
    assert len(heldout) == 6 and len(train) == 60
    assert {s.meta["sent_id"].rsplit("-", 1)[0] for s in heldout} == set(files)
    # no ids (the nynorsk file): contiguous blocks of NN_BLOCK sentences
    path = tmp_path / "nn.conll"
    path.write_text(_numbered(1, 3 * NN_BLOCK, ids=False), encoding="utf-8")
    train, heldout, files = split_heldout(read_conll(path), every=3, offset=1)
    assert files == ["block0001"] and len(heldout) == NN_BLOCK and len(train) == 2 * NN_BLOCK


def test_convert_ndt_full_annotation(tmp_path):
    from training.data import NN_TRAIN_FILE, convert_ndt

    root = _write_tiny_norne(tmp_path / "norne")
    (root / NN_TRAIN_FILE).write_text(CONLLX.replace("# sent_id = t1\n", "").replace("# sent_id = t2\n", ""),
                                      encoding="utf-8")
    (root / TRAIN_FILE).write_text(CONLLX.replace("t1", "ap000_0000-001").replace("t2", "ap001_0000-001"),
                                   encoding="utf-8")
    out = convert_ndt(root, tmp_path / "work", limit=2)  # limit: every 3rd file held out, from the 2nd
    assert sorted(p.name for p in out["train"].glob("*.spacy")) == ["bokmaal.spacy", "nynorsk.spacy"]
    assert out["heldout_files"]["bokmaal"] == ["ap001_0000"]
    docs = _docs(out["train"] / "bokmaal.spacy") + _docs(out["heldout"])
    doc = next(d for d in docs if d.text.startswith("Equinor"))
    assert [t.tag_ for t in doc][:5] == ["subst_prop", "verb", "prep", "subst_prop", "clb"]
    assert [t.lemma_ for t in doc][:5] == ["Equinor", "kjøpe", "i", "Oslo", "."]
    assert [t.head.i for t in doc][:5] == [1, 1, 1, 2, 1] and doc[1].dep_ == "ROOT" and doc[0].dep_ == "SUBJ"
    assert [(e.text, e.label_) for e in doc.ents][:2] == [("Equinor", "ORG"), ("Oslo", "GPE_LOC")]
    held = _docs(out["heldout"])
    assert held and all(t.pos_ for d in held for t in d)  # gold UD pos from the attribute ruler
    assert set(out["heldout_files"]) == {"bokmaal", "nynorsk"}


def test_ud_pos_mapping():
    from spacy.tokens import Doc

    from training.data import ud_pos_ruler

    nlp = spacy.blank("nb")
    words = ["Han", "har", "kjøpt", "to", "hus", "i", "Oslo", "og", "at", "å", ",", "2020"]
    tags = ["pron", "verb", "verb", "det", "subst", "prep", "subst_prop", "konj", "sbu", "inf-merke", "<komma>",
            "det"]
    lemmas = ["han", "ha", "kjøpe", "to", "hus", "i", "Oslo", "og", "at", "å", ",", "2020"]
    doc = ud_pos_ruler(nlp)(Doc(nlp.vocab, words=words, tags=tags, lemmas=lemmas))
    assert [t.pos_ for t in doc] == ["PRON", "AUX", "VERB", "NUM", "NOUN", "ADP", "PROPN", "CCONJ", "SCONJ",
                                     "PART", "PUNCT", "NUM"]


def test_core_config_and_ner_config_apart():
    from training.package import auxiliary_components
    from training.train import CORE_CONFIG, NER_CONFIG, is_core_config

    assert is_core_config(CORE_CONFIG) and not is_core_config(NER_CONFIG)
    assert auxiliary_components(CORE_CONFIG) == []  # the full pipeline keeps its tagger and parser


def test_cli_imports_training_lazily():
    import subprocess
    import sys

    code = "import sys, pipeline.cli; print(any(m == 'training' or m.startswith('training.') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


LISTENER = {"@architectures": "spacy.Tok2VecListener.v1", "width": 96, "upstream": "*"}  # tok2vec's default width


def _listening_nlp(with_tagger: bool):
    """A blank pipeline whose tagger (optional) and NER listen to one shared tok2vec."""
    nlp = spacy.blank("nb")
    nlp.add_pipe("tok2vec")
    if with_tagger:
        nlp.add_pipe("tagger", config={"model": {"@architectures": "spacy.Tagger.v2", "tok2vec": LISTENER}})
    nlp.add_pipe("ner", config={"model": {"@architectures": "spacy.TransitionBasedParser.v2", "state_type": "ner",
                                          "hidden_width": 64, "maxout_pieces": 2, "use_upper": True,
                                          "extra_state_tokens": False, "tok2vec": LISTENER}})
    return nlp


def _trained(nlp, gold):
    from spacy.training import Example

    examples = [Example(nlp.make_doc(gold.text), gold)]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(30):
        nlp.update(examples, sgd=optimizer)
    assert nlp.get_pipe("tok2vec").listening_components == [n for n in nlp.pipe_names if n != "tok2vec"]
    return nlp


def test_combine_takes_the_ner_with_its_own_tok2vec(tmp_path):
    from spacy.tokens import Doc

    from training.assemble import combine

    core = _listening_nlp(with_tagger=True)
    core = _trained(core, Doc(core.vocab, words=["Equinor", "kjøper", "i", "Oslo", "."],
                              tags=["subst_prop", "verb", "prep", "subst_prop", "clb"],
                              ents=["B-ORG", "O", "O", "B-GPE_LOC", "O"]))
    ner_source = _listening_nlp(with_tagger=False)
    ner_source = _trained(ner_source, _gold_doc(ner_source.vocab, ["Kari", "Nordmann", "bor", "i", "Bergen", "."],
                                                ["B-PER", "I-PER", "O", "O", "B-LOC", "O"]))
    text = "Kari Nordmann bor i Bergen. Equinor kjøper i Oslo."
    tags = [t.tag_ for t in core(text)]
    ents = [(e.text, e.label_) for e in ner_source(text).ents]
    assert ents, "the tiny NER-only model predicts entities"
    nlp = combine(core, ner_source)
    assert nlp.pipe_names == ["tok2vec", "tagger", "ner"]
    assert set(nlp.get_pipe("ner").labels) == {"PER", "LOC"}
    nlp.to_disk(tmp_path / "model")
    loaded = spacy.load(tmp_path / "model")
    assert loaded.get_pipe("tok2vec").listening_components == ["tagger"]  # the NER has its own copy
    doc = loaded(text)
    assert [(e.text, e.label_) for e in doc.ents] == ents
    assert [t.tag_ for t in doc] == tags


def test_default_core_is_the_newest_committed_full_pipeline():
    from training.assemble import MODELS, default_core

    wheels = sorted(MODELS.glob("nb_norne_core_sm-*.whl"))
    assert default_core() == (wheels[-1] if wheels else None)
