"""Score a Norwegian pipeline: NER per label on the NorNE UD dev/test files, and part of
speech, tags, lemmas and the dependency parse on the held-out NDT files.

The pipeline always sees raw text (its own tokenizer); spaCy's Scorer aligns its tokens with
the gold words. Figures are fractions (0-1) in the dicts, percent in the tables.
"""

from __future__ import annotations

from pathlib import Path

from training.data import (DEV_FILE, LANG, N_SENTS, NB_TRAIN_FILE, NN_DEV_FILE, NN_TEST_FILE,
                           NN_TRAIN_FILE, NORNE_LABELS, TEST_FILE, read_conll, sentences_to_docs,
                           split_heldout, ud_pos_ruler)

# The NER evaluation sets: name -> file under the NorNE folder.
NER_SETS = {"bokmaal_dev": DEV_FILE, "bokmaal_test": TEST_FILE,
            "nynorsk_dev": NN_DEV_FILE, "nynorsk_test": NN_TEST_FILE}
# Scores of the held-out NDT evaluation, in the order of the tables.
CORE_KEYS = ("pos_acc", "tag_acc", "lemma_acc", "dep_uas", "dep_las", "sents_f", "ents_f")
# nb_core_news_sm 3.8.0's published figures (meta.json; its own development data).
NB_CORE_NEWS_SM = {"pos_acc": 0.967, "morph_acc": 0.953, "lemma_acc": 0.969, "ents_f": 0.752}


def _load(nlp_or_model_name):
    import spacy

    if isinstance(nlp_or_model_name, (str, Path)):
        return spacy.load(nlp_or_model_name)
    return nlp_or_model_name


def evaluate_ner(nlp_or_model_name, conllu_path: Path, n_sents: int = N_SENTS,
                 limit: int = 0) -> dict:
    """Score a pipeline's entities on a NorNE CoNLL-U (or CoNLL-X) file, exact spans.

    Gold Docs are built from the file's words, ``SpaceAfter=No`` and ``name=`` IOB2 tags (and,
    in UD files, their part of speech and lemmas: a pipeline that sets them also gets
    ``pos_acc`` and ``lemma_acc`` against UD's own annotation); the pipeline sees the raw text
    (its own tokenizer), and spaCy's Scorer aligns the tokens.
    Returns spaCy's score dict (``ents_p``, ``ents_r``, ``ents_f``, ``ents_per_type`` as
    {label: {"p", "r", "f"}}, fractions; plus whatever else the pipeline scores).
    """
    from spacy.training import Example

    nlp = _load(nlp_or_model_name)
    gold_docs = sentences_to_docs(nlp.vocab, read_conll(Path(conllu_path), limit=limit), n_sents,
                                  with_lemmas=True, with_upos=True)
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


def heldout_docs(vocab, norne_dir: Path, limit: int = 0) -> dict[str, list]:
    """The held-out NDT files as gold Docs per variety (``{"bokmaal": [...], "nynorsk": [...]}``):
    words, NDT tags, lemmas, heads, deprels, names, and the UD ``pos`` that the gold tags and
    lemmas map to. ``limit``: the first N held-out sentences of each file only."""
    import spacy

    ruler = ud_pos_ruler(spacy.blank(LANG))
    out = {}
    for variety, rel in (("bokmaal", NB_TRAIN_FILE), ("nynorsk", NN_TRAIN_FILE)):
        src = Path(norne_dir) / rel
        if not src.exists():
            continue
        _, heldout, _ = split_heldout(read_conll(src))
        if limit:
            heldout = heldout[:limit]
        out[variety] = [ruler(doc) for doc in sentences_to_docs(vocab, heldout, with_deps=True, with_tags=True,
                                                                 with_lemmas=True)]
    return out


def evaluate_heldout(nlp_or_model_name, norne_dir: Path, limit: int = 0) -> dict:
    """pos_acc (UD, via the attribute ruler), tag_acc (NDT), lemma_acc, dep_uas, dep_las,
    sents_f and the entity scores on the held-out NDT files (see ``training.data``), both
    varieties together; ``by_variety`` has the same per variety."""
    from spacy.scorer import Scorer
    from spacy.training import Example

    nlp = _load(nlp_or_model_name)
    gold = heldout_docs(nlp.vocab, norne_dir, limit)
    examples = {}
    for variety, docs in gold.items():
        predicted = nlp.pipe([doc.text for doc in docs], batch_size=64)
        examples[variety] = [Example(pred, ref) for pred, ref in zip(predicted, docs)]
    scorer = Scorer(nlp)
    scores = scorer.score([eg for egs in examples.values() for eg in egs])
    scores["by_variety"] = {variety: summary(scorer.score(egs)) for variety, egs in examples.items()}
    return scores


def summary(scores: dict) -> dict:
    """The reported part of a score dict, rounded, JSON-friendly."""
    out = {k: round(scores[k], 4) for k in CORE_KEYS if scores.get(k) is not None}
    if "by_variety" in scores:
        out["by_variety"] = scores["by_variety"]
    out.update({
        "ents_p": round(scores.get("ents_p") or 0.0, 4),
        "ents_r": round(scores.get("ents_r") or 0.0, 4),
        "ents_f": round(scores.get("ents_f") or 0.0, 4),
        "ents_per_type": {
            lab: {k: round(v, 4) for k, v in s.items()}
            for lab, s in (scores.get("ents_per_type") or {}).items()
        },
    })
    return out


_ner_summary = summary  # the NER recipes' name


def evaluate_all(nlp_or_model_name, norne_dir: Path, sets: tuple[str, ...] | None = None,
                 limit: int = 0) -> dict:
    """Every evaluation a model gets: the NER sets that exist under ``norne_dir`` and, for a
    pipeline with a tagger, lemmatizer or parser, ``ndt_heldout``. ``sets`` restricts it
    (names of ``NER_SETS`` and ``"ndt_heldout"``)."""
    nlp = _load(nlp_or_model_name)
    norne_dir = Path(norne_dir)
    out: dict = {}
    has_core = any(name in nlp.pipe_names for name in ("tagger", "trainable_lemmatizer", "parser", "morphologizer"))
    if has_core and (sets is None or "ndt_heldout" in sets) and (norne_dir / NB_TRAIN_FILE).exists():
        out["ndt_heldout"] = summary(evaluate_heldout(nlp, norne_dir, limit))
    for name, rel in NER_SETS.items():
        if (sets is None or name in sets) and (norne_dir / rel).exists():
            scores = summary(evaluate_ner(nlp, norne_dir / rel, limit=limit))
            for key in ("tag_acc", "dep_uas", "dep_las", "sents_f"):  # no such gold in the UD files here
                scores.pop(key, None)
            out[name] = scores
    return out


def _label_order(lab: str) -> tuple:
    return (NORNE_LABELS.index(lab) if lab in NORNE_LABELS else 99, lab)


def format_ner_scores(scores: dict, title: str | None = None) -> str:
    """A plain-text P/R/F table (percent) for the overall and per-label entity scores."""
    lines = []
    if title:
        lines.append(title)
    lines.append(f"{'label':<10} {'P':>6} {'R':>6} {'F':>6}")
    per_type = scores.get("ents_per_type") or {}
    for label in sorted(per_type, key=_label_order):
        s = per_type[label]
        lines.append(f"{label:<10} {100 * s['p']:6.1f} {100 * s['r']:6.1f} {100 * s['f']:6.1f}")
    lines.append(f"{'ALL':<10} {100 * (scores.get('ents_p') or 0):6.1f} "
                 f"{100 * (scores.get('ents_r') or 0):6.1f} {100 * (scores.get('ents_f') or 0):6.1f}")
    return "\n".join(lines)


def format_core_scores(scores: dict, title: str | None = None) -> str:
    """A plain-text table (percent) of the held-out NDT scores."""
    lines = [title] if title else []
    for key in CORE_KEYS:
        if scores.get(key) is not None:
            lines.append(f"{key:<10} {100 * scores[key]:6.1f}")
    return "\n".join(lines)


def format_all(results: dict) -> str:
    parts = []
    for name, scores in results.items():
        if name == "ndt_heldout":
            parts.append(format_core_scores(scores, title="ndt_heldout (tags, lemmas, parse)"))
            for variety, sub in (scores.get("by_variety") or {}).items():
                parts.append(format_core_scores(sub, title=f"ndt_heldout, {variety} files only"))
            parts.append(format_ner_scores(scores, title="ndt_heldout (names)"))
        else:
            parts.append(format_ner_scores(scores, title=name))
            ud = [f"{key} {100 * scores[key]:.1f}" for key in ("pos_acc", "lemma_acc") if scores.get(key) is not None]
            if ud:
                parts[-1] += "\n(against the file's UD annotation: " + ", ".join(ud) + ")"
    return "\n\n".join(parts)


def scores_markdown(scores: dict) -> str:
    """Markdown table: one row per label, P/R/F (percent) per NER evaluation set."""
    sets = [k for k in scores if "ents_per_type" in scores[k]]
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


def core_markdown(scores: dict) -> str:
    """Markdown table: held-out NDT scores beside nb_core_news_sm's published figures."""
    held = scores.get("ndt_heldout") or {}
    rows = [("POS (UD, via the attribute ruler)", "pos_acc"), ("tag (NDT)", "tag_acc"),
            ("morph", "morph_acc"), ("lemma", "lemma_acc"), ("UAS", "dep_uas"), ("LAS", "dep_las"),
            ("sentences F", "sents_f"), ("NER F", "ents_f")]
    test = scores.get("bokmaal_test") or {}
    lines = ["| score | this model, held-out NDT | this model, bokmål UD test | "
             "nb_core_news_sm 3.8.0 (its dev data) |", "|---|---|---|---|"]

    def pct(v):
        return "-" if v is None else f"{100 * v:.1f}"

    for label, key in rows:
        lines.append(f"| {label} | {pct(held.get(key))} | {pct(test.get(key))} | {pct(NB_CORE_NEWS_SM.get(key))} |")
    return "\n".join(lines)
