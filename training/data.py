"""NorNE / NDT files -> spaCy Docs and DocBins (words, tags, lemmas, heads, deprels, names).

Data: NorNE (ltgoslo/norne, commit bd311de) as laid out in ``shared/data/norne``:

* ``ndt/no_{bokmaal,nynorsk}-ndt-train.conll`` -- CoNLL-X, no SpaceAfter: lemma, NDT part of
  speech and features, head, NDT deprel, ``name=B-ORG`` in the last column.
* ``ud/{nob,nno}/*-ud-{dev,test}.conllu`` -- CoNLL-U with ``SpaceAfter=No`` and ``name=...``
  in MISC; their POS/deprels are UD and are not used (names only).

Gold Docs are built directly with spaCy and written as DocBin ``.spacy`` files, which avoids
``spacy convert`` (error E1021 on the NDT tag columns).

Held-out NDT data: whole source files. Bokmål sentence ids carry the file (``ap001_0000-001``
-> ``ap001_0000``, one of the 180 files UD lists); the nynorsk file has no ids or comments, so it is cut into contiguous blocks
of ``NN_BLOCK`` sentences (about one source file each: 14,148 sentences from 159 files).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

NORNE_COMMIT = "bd311de"
NORNE_LABELS = ("PER", "ORG", "LOC", "GPE_LOC", "GPE_ORG", "PROD", "EVT", "DRV", "MISC")
LANG = "nb"

NB_TRAIN_FILE = "ndt/no_bokmaal-ndt-train.conll"
NN_TRAIN_FILE = "ndt/no_nynorsk-ndt-train.conll"
TRAIN_FILE = NB_TRAIN_FILE  # the NER-only recipes' train file
DEV_FILE = "ud/nob/no_bokmaal-ud-dev.conllu"
TEST_FILE = "ud/nob/no_bokmaal-ud-test.conllu"
NN_DEV_FILE = "ud/nno/no_nynorsk-ud-dev.conllu"
NN_TEST_FILE = "ud/nno/no_nynorsk-ud-test.conllu"

# The attribute ruler's patterns: NDT tag (and lemma) -> UD part of speech.
POS_MAP = Path(__file__).resolve().parent / "data" / "ndt_to_ud.json"

# Sentences grouped into one training/evaluation Doc (like ``spacy convert -n 10``).
N_SENTS = 10
# Held-out NDT: every HELDOUT_EVERY-th bokmål file (sorted ids, starting at HELDOUT_OFFSET)
# and every HELDOUT_EVERY-th nynorsk block: 1/11 = 9.1 % of the sentences, give or take.
HELDOUT_EVERY = 11
HELDOUT_OFFSET = 5
NN_BLOCK = 90

# Punctuation that, in running text, attaches to the previous / next token. Used to
# reconstruct plausible spacing for the NDT train files, which have no SpaceAfter info, so
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
    pos: list[str] | None = None  # NDT tag (CoNLL-X files only), see ndt_tag
    lemmas: list[str] | None = None  # see ndt_lemma (UD files: their lemmas, where given)
    upos: list[str] | None = None  # UD part of speech (CoNLL-U files only, where given)


def ndt_tag(pos: str, feats: str) -> str:
    """The tagger's label of a CoNLL-X row: the NDT part of speech, with proper nouns apart
    (``subst`` + feature ``prop`` -> ``subst_prop``), so that PROPN and NOUN can be mapped."""
    if pos == "subst" and "prop" in feats.split("|"):
        return "subst_prop"
    return pos


def ndt_lemma(word: str, lemma: str) -> str:
    """NDT lemmas of punctuation are ``$`` + the form (``$,``): the word itself instead."""
    if lemma.startswith("$") and len(lemma) > 1:
        return word
    if lemma in ("", "_"):
        return word
    return lemma


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

    ID, FORM, HEAD, DEPREL and MISC are used, and in CoNLL-X (NDT) files also the lemma and
    the part of speech (``Sentence.lemmas``, ``Sentence.pos``); UD tags and lemmas are
    ignored. Multiword token ranges (``1-2``) and empty nodes (``1.1``) are skipped.
    ``SpaceAfter=No`` in MISC is honoured; if the file has no SpaceAfter info
    (``guess_spaces`` None -> decided by the suffix: ``.conll`` files get guessed spacing),
    spacing is reconstructed heuristically.
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
        full = ndt and all(len(r) > 5 for r in rows)
        pos = [ndt_tag(r[3], r[5]) for r in rows] if full else None
        lemmas = [ndt_lemma(r[1], r[2]) for r in rows] if full else None
        upos = None
        if not ndt and all(len(r) > 3 and r[2] not in ("", "_") and r[3] not in ("", "_") for r in rows):
            lemmas = [ndt_lemma(r[1], r[2]) for r in rows]
            upos = [r[3] for r in rows]
        return Sentence(words, spaces, tags, heads, deps, dict(meta), pos, lemmas, upos)

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


def source_file(sent: Sentence, index: int) -> str:
    """The NDT source file a sentence comes from: the ``sent_id`` minus the sentence number
    (``ap001_0000-001`` -> ``ap001_0000``), or,
    without ids (nynorsk), its contiguous block of ``NN_BLOCK`` sentences (``block0007``)."""
    sent_id = sent.meta.get("sent_id")
    if sent_id and "-" in sent_id:
        return sent_id.rsplit("-", 1)[0]
    return f"block{index // NN_BLOCK:04d}"


def split_heldout(sentences: Iterable[Sentence], every: int = HELDOUT_EVERY,
                  offset: int = HELDOUT_OFFSET) -> tuple[list[Sentence], list[Sentence], list[str]]:
    """(train, held-out, held-out file names): whole source files, every ``every``-th in
    order of first appearance, starting at ``offset``."""
    sentences = list(sentences)
    files: list[str] = []
    of: list[str] = []
    for i, s in enumerate(sentences):
        f = source_file(s, i)
        if not files or files[-1] != f and f not in files:
            files.append(f)
        of.append(f)
    held = {f for k, f in enumerate(files) if every and k % every == offset % every}
    train = [s for s, f in zip(sentences, of) if f not in held]
    heldout = [s for s, f in zip(sentences, of) if f in held]
    return train, heldout, sorted(held)


def sentences_to_docs(vocab, sentences: Iterable[Sentence], n_sents: int = N_SENTS,
                      with_deps: bool = False, with_tags: bool = False,
                      with_lemmas: bool = False, with_upos: bool = False) -> Iterator:
    """Group sentences into Docs of ``n_sents`` with gold entities and sentence starts
    (``with_deps``: heads and labels instead; ``with_tags``: the NDT tag as TAG;
    ``with_lemmas``: the lemmas; ``with_upos``: a UD file's part of speech as POS)."""
    from spacy.tokens import Doc

    batch: list[Sentence] = []

    def make(batch: list[Sentence]):
        words, spaces, ents, sent_starts = [], [], [], []
        heads: list[int] = []
        deps: list[str] = []
        pos: list[str] = []
        lemmas: list[str] = []
        upos: list[str] = []
        use_upos = with_upos and all(s.upos is not None for s in batch)
        use_deps = with_deps and all(s.heads is not None for s in batch)
        use_tags = with_tags and all(s.pos is not None for s in batch)
        use_lemmas = with_lemmas and all(s.lemmas is not None for s in batch)
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
            if use_lemmas:
                lemmas.extend(s.lemmas)
            if use_upos:
                upos.extend(s.upos)
        spaces[-1] = False
        kwargs: dict = {"heads": heads, "deps": deps} if use_deps else {"sent_starts": sent_starts}
        if use_tags:
            kwargs["tags"] = pos
        if use_lemmas:
            kwargs["lemmas"] = lemmas
        if use_upos:
            kwargs["pos"] = upos
        return Doc(vocab, words=words, spaces=spaces, ents=ents, **kwargs)

    for sent in sentences:
        batch.append(sent)
        if len(batch) >= n_sents:
            yield make(batch)
            batch = []
    if batch:
        yield make(batch)


def ud_pos_ruler(nlp, pos_map: Path = POS_MAP):
    """An attribute ruler (not in ``nlp``'s pipeline) setting UD ``pos`` from the NDT tag and
    the lemma, with the packaged model's patterns; used to give the held-out gold Docs the
    UD part of speech their gold tags and lemmas map to."""
    import srsly
    from spacy.pipeline import AttributeRuler

    ruler = AttributeRuler(nlp.vocab, name="attribute_ruler")
    ruler.add_patterns(srsly.read_json(pos_map))
    return ruler


def write_docbin(docs: Iterable, dest: Path) -> Path:
    from spacy.tokens import DocBin

    db = DocBin(store_user_data=False)
    for doc in docs:
        db.add(doc)
    dest.parent.mkdir(parents=True, exist_ok=True)
    db.to_disk(dest)
    return dest


def conll_to_docbin(src: Path, dest: Path, *, n_sents: int = N_SENTS, with_deps: bool = False,
                    with_tags: bool = False, limit: int = 0) -> Path:
    import spacy

    nlp = spacy.blank(LANG)
    return write_docbin(sentences_to_docs(nlp.vocab, read_conll(src, limit=limit), n_sents, with_deps,
                                          with_tags), dest)


def convert_ndt(norne_dir: Path, work_dir: Path, limit: int = 0) -> dict:
    """The full pipeline's data: both NDT train files with every annotation, split into
    train and held-out (whole files) DocBins, plus the UD dev/test files (names only).

    Returns ``{"train": dir, "heldout": file, "dev", "test", "nn_dev", "nn_test": files,
    "heldout_files": {"bokmaal": [...], "nynorsk": [...]}, "sentences": {...}}``.
    ``limit`` reads only the first N sentences of each file (for tests).
    """
    import spacy

    norne_dir, work_dir = Path(norne_dir), Path(work_dir)
    nlp = spacy.blank(LANG)
    out: dict = {"heldout_files": {}, "sentences": {}}
    train_dir = work_dir / "train"
    if train_dir.exists():
        shutil.rmtree(train_dir)
    train_dir.mkdir(parents=True)
    heldout_all: list[Sentence] = []
    ruler = ud_pos_ruler(nlp)
    for key, rel in (("bokmaal", NB_TRAIN_FILE), ("nynorsk", NN_TRAIN_FILE)):
        src = norne_dir / rel
        if not src.exists():
            if key == "bokmaal":
                raise FileNotFoundError(src)
            continue
        train, heldout, files = split_heldout(read_conll(src, limit=limit),
                                              every=HELDOUT_EVERY if not limit else 3, offset=HELDOUT_OFFSET if not limit else 1)
        out["heldout_files"][key] = files
        out["sentences"][key] = {"train": len(train), "heldout": len(heldout)}
        write_docbin(sentences_to_docs(nlp.vocab, train, with_deps=True, with_tags=True, with_lemmas=True),
                     train_dir / f"{key}.spacy")
        heldout_all.extend(heldout)
    out["train"] = train_dir
    out["heldout"] = write_docbin((ruler(doc) for doc in sentences_to_docs(
        nlp.vocab, heldout_all, with_deps=True, with_tags=True, with_lemmas=True)), work_dir / "heldout.spacy")
    for key, rel in (("dev", DEV_FILE), ("test", TEST_FILE), ("nn_dev", NN_DEV_FILE), ("nn_test", NN_TEST_FILE)):
        if (norne_dir / rel).exists():
            out[key] = conll_to_docbin(norne_dir / rel, work_dir / f"{key}.spacy", limit=limit)
    return out


def convert_norne(norne_dir: Path, work_dir: Path, include_dev: bool = False,
                  with_deps: bool = False, with_tags: bool = False, limit: int = 0,
                  nynorsk_train: bool = False) -> dict[str, Path]:
    """The NER-only recipes' data (``ner.cfg``, ``ner-aux.cfg``): NorNE bokmål train/dev/test
    (/nynorsk dev and test) to DocBin files in ``work_dir``.

    Returns ``{"train", "dev", "test", "nn_test"}`` -> path (only files that exist). The
    ``"train"`` entry is a directory (spaCy's Corpus reads every .spacy file in it) holding
    the bokmål train DocBin and, where the file exists, the nynorsk dev one; with
    ``include_dev`` also the bokmål dev DocBin, for the final train+dev model; with
    ``nynorsk_train`` also the nynorsk NDT train file (names only).
    """
    norne_dir, work_dir = Path(norne_dir), Path(work_dir)
    work_dir.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}
    files = {"train": TRAIN_FILE, "dev": DEV_FILE, "test": TEST_FILE, "nn_test": NN_TEST_FILE,
             "nn_dev": NN_DEV_FILE, **({"nn_train": NN_TRAIN_FILE} if nynorsk_train else {})}
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
    for key in ("train", "nn_dev", "nn_train") + (("dev",) if include_dev else ()):
        if key in out:
            shutil.copy(out[key], train_dir / f"{key}.spacy")
    out.pop("nn_dev", None)
    out.pop("nn_train", None)
    out["train"] = train_dir
    return out
