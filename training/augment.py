"""Training-time data augmentation for the NER model: mention replacement.

A training Doc is also seen, now and then, with some of its entities swapped for other
mentions of the same label met earlier in the training stream: the same context with a name
the model may not know, so that it learns organisations (and people, places ...) from their
context and form, not from a memorised list of names. The original Doc is always kept.

Registered as ``norextract.entity_swap.v1``; ``spacy train --code`` loads this file, and the
config names it in ``[corpora.train.augmenter]``. No other import of the project is needed
here, so the file can be loaded on its own.
"""

from __future__ import annotations

import random
from typing import Callable, Iterator

import spacy
from spacy.tokens import Doc
from spacy.training import Example


def _mention(span) -> tuple[tuple[str, ...], tuple[bool, ...]]:
    """A span's words and whether each is followed by a space."""
    return tuple(t.text for t in span), tuple(bool(t.whitespace_) for t in span)


def swap_entities(reference: Doc, pools: dict[str, list[tuple[tuple[str, ...], tuple[bool, ...]]]],
                  rng: random.Random, swap_prob: float) -> Doc | None:
    """A copy of ``reference`` with each entity replaced, with probability ``swap_prob``, by
    a mention of the same label from ``pools`` (words and spaces); None if nothing changed.

    Entity labels, sentence starts and the spacing around each entity are kept; token tags
    and dependencies are not carried into the copy (they would no longer fit)."""
    words: list[str] = []
    spaces: list[bool] = []
    iob: list[str] = []
    starts: list[bool] = []
    by_start = {ent.start: ent for ent in reference.ents}
    swapped = False
    i = 0
    while i < len(reference):
        ent = by_start.get(i)
        if ent is None:
            tok = reference[i]
            words.append(tok.text)
            spaces.append(bool(tok.whitespace_))
            iob.append("O")
            starts.append(bool(tok.is_sent_start))
            i += 1
            continue
        own = _mention(ent)
        pool = pools.get(ent.label_)
        new_words, new_spaces = rng.choice(pool) if pool and rng.random() < swap_prob else own
        swapped = swapped or new_words != own[0]
        words.extend(new_words)
        spaces.extend(new_spaces)
        spaces[-1] = bool(reference[ent.end - 1].whitespace_)
        iob.extend([f"B-{ent.label_}"] + [f"I-{ent.label_}"] * (len(new_words) - 1))
        starts.extend([bool(reference[ent.start].is_sent_start)] + [False] * (len(new_words) - 1))
        i = ent.end
    if not swapped:
        return None
    starts[0] = True
    return Doc(reference.vocab, words=words, spaces=spaces, ents=iob, sent_starts=starts)


@spacy.registry.augmenters("norextract.entity_swap.v1")
def create_entity_swap_augmenter(level: float, swap_prob: float = 0.5, pool_size: int = 5000,
                                 seed: int = 0) -> Callable[..., Iterator[Example]]:
    """Yield every example, and with probability ``level`` also a copy with entities swapped
    (each with probability ``swap_prob``) for mentions of the same label seen before; each
    label keeps a reservoir of at most ``pool_size`` mentions."""
    pools: dict[str, list[tuple[tuple[str, ...], tuple[bool, ...]]]] = {}
    rng = random.Random(seed)

    def augment(nlp, example: Example) -> Iterator[Example]:
        reference = example.reference
        for ent in reference.ents:
            pool = pools.setdefault(ent.label_, [])
            mention = _mention(ent)
            if len(pool) < pool_size:
                pool.append(mention)
            else:
                pool[rng.randrange(pool_size)] = mention
        yield example
        if reference.ents and rng.random() < level:
            variant = swap_entities(reference, pools, rng, swap_prob)
            if variant is not None:
                yield Example(nlp.make_doc(variant.text), variant)

    return augment
