"""Organisation candidates of a document: the ruler's spans, the model's entities and member
lists, filtered (people, places, generic nouns, titles) and de-overlapped."""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span

from pipeline.document import AnalysedDocument
from pipeline.extract.common.rows import provenance, sentence_of
from pipeline.extract.common.alternation import alternation
from pipeline.extract.organisations.data import (
    ADDRESS_CUES, CAP, CAPITALISING_TOKENS, CONNECTORS, COORDINATORS, FIRST_NAMES,
    GAZETTEER_RULE, HEAD_SUFFIX, HEAD_WORDS, LEADING_STRIP, LEGAL_FORMS, LOWER_HEADS, NER_REJECT_AFTER, NOT_ORG_ENDINGS,
    PLACE_PREPOSITIONS, PLACES, ROMAN_OR_LETTER, RULES, SPANS_KEY, STOP, STRONG_RULES, Entry,
    NAME_START, ZIPF, gazetteer, key, keys, lookup, rare_word, zipf,
)
from pipeline.extract.organisations.ruler import _is_name_token


@dataclass
class Mention:
    start: int
    end: int
    text: str
    source_rule: str
    priority: int
    entry: Entry | None = None
    sentence: str = ""
    group: int = -1


# Overlapping candidates: the lower tier wins, and within a tier the longer span
# ("Nammo AS" by its legal form over the gazetteer's "Nammo").
PRIORITY = {"gazetteer": 0, "rule": 0, "list": 1, "coord": 2, "ner": 3, "second": 4}


def _sentence(span: Span) -> str:
    return sentence_of(span).text.strip()


def _mention(offset: int, span: Span, rule: str, priority: int, entry: Entry | None = None) -> Mention:
    """A mention found at `span` of a Doc starting at `offset`, with its provenance."""
    p = provenance(offset, span)
    return Mention(p["start"], p["end"], p["text"], rule, priority, entry, p["sentence"])


def _org_evidence(tok) -> bool:
    """A legal form or an organisation head word: the name is an organisation's, whatever else it is."""
    k = key(tok.text)
    return k in LEGAL_FORMS or k in HEAD_WORDS or k in LOWER_HEADS or bool(HEAD_SUFFIX.search(tok.lower_))


def _is_person(span: Span, person_spans: list[tuple[int, int]]) -> bool:
    """A person's name: inside a model's PER name, or a first name (pipeline/lang/common/first_names.yaml
    and organisations.yaml) and a surname, also when the name goes on after the span ("Odd" of "Odd
    Emil Ingebrigtsen"); not when a legal form or head word ends it ("Per Aarsleff AS")."""
    doc, end = span.doc, span.start
    while end < len(doc) and end - span.start < 4 and (end < span.end or doc[end].is_alpha and not doc[end].is_sent_start) and (
            doc[end].text[:1].isupper() or doc[end].is_punct):
        end += 1  # the capitalised words from the span's start, also past its end
    toks = [t for t in doc[span.start : end] if not t.is_punct]
    if toks and _org_evidence(toks[-1]):
        return False
    if 2 <= len(toks) <= 4 and toks[0].text in FIRST_NAMES and all(t.text[:1].isupper() for t in toks):
        return True
    return any(s <= span.start and span.end <= e for s, e in person_spans)


def plausible(span: Span, person_spans=(), place_spans=()) -> bool:
    """Can this (non-gazetteer) span be an organisation's name?"""
    text = span.text
    k = key(text)
    if not k or "\n" in text or not re.match(NAME_START, text.strip()):
        return False
    if any(kk in STOP or kk in PLACES for kk in keys(text)):
        return False
    if len(span) > 8 or not any(c.isalpha() for c in text) or len(k) < 2:
        return False
    if all(t.text in LEADING_STRIP or t.is_punct for t in span) or span[0].like_num:
        return False  # "6. Helsenæringen"
    if _is_person(span, list(person_spans)):
        return False
    if any(s == span.start and e == span.end for s, e in place_spans):
        return False
    return True


def _ent_spans(doc: Doc, labels) -> list[tuple[int, int]]:
    return [(e.start, e.end) for e in doc.ents if e.label_ in labels]


def _lower_words(document: AnalysedDocument) -> frozenset[str]:
    """Words the document writes in lower case (common nouns, not names)."""
    return _lower_words_of(document.text)


@lru_cache(maxsize=8)
def _lower_words_of(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"(?<![\w-])[a-zæøå][\w]+", text))


def _generic_word(span: Span, lower_words: set[str]) -> bool:
    """One capitalised word that the document also uses in lower case ("Climate", "Rapporten")
    (also in the genitive: "Katapultsentrenes") or that is a stop word ("Vår ref")."""
    if len(span) != 1 or span.text.lower() == span.text:
        return False
    word = span.text.lower()
    return word in lower_words or (word.endswith("s") and word[:-1] in lower_words) or span[0].is_stop


def _capitalised_by_position(tok) -> bool:
    """A word at a sentence start or right after a colon, bullet, dash or opening quote."""
    return tok.is_sent_start or (tok.i > 0 and tok.doc[tok.i - 1].text in CAPITALISING_TOKENS)


def _conjuncts(span: Span) -> list[Span]:
    """A model name with "og"/"and" inside: the names it joins when each is one ("Equinor og
    Telenor"; uses the parse's coordination where the model has one), else the first ("Digicat og
    Manufacturing technology"); one name when the last part ends in a head word and the parts
    before are common words, not names ("Norwegian Oil and Gas Association"). Not after a
    hyphen: "Helse- og omsorgsdepartementet" is one."""
    cuts = [k for k in range(1, len(span) - 1) if span[k].lower_ in COORDINATORS and not span[k - 1].text.endswith("-")]
    if not cuts:
        return [span]
    parts = [span[a:b] for a, b in zip([0] + [k + 1 for k in cuts], cuts + [len(span)])]
    if not all(len(p) and _is_name_token(p[0]) for p in parts):
        return [parts[0]]
    first = [t for p in parts[:-1] for t in p]
    if key(parts[-1][-1].text) in HEAD_WORDS and not any(lookup(p.text) or _org_evidence(p[-1]) for p in parts[:-1]) and (
            not any(rare_word(t.text) for t in first if t.is_alpha)):
        return [span]
    if span.doc.has_annotation("DEP") and not all(p.root.dep_ in ("KOORD", "conj") for p in parts[1:]):
        return [parts[0]]  # the parser does not read the later parts as coordinated names
    return parts


def _in_all_caps_run(span: Span) -> bool:
    """The span has an all-caps word (of two letters or more) right before or after it."""
    doc = span.doc
    neighbours = [doc[i] for i in (span.start - 1, span.end) if 0 <= i < len(doc)]
    return any(t.is_alpha and len(t.text) >= 2 and t.text.isupper() for t in neighbours)


def _in_address(span: Span) -> bool:
    """The postal district of an address: "Postboks 448 Sentrum 0104 OSLO"."""
    doc, i = span.doc, span.start
    return i >= 2 and doc[i - 1].like_num and doc[i - 2].lower_ in ADDRESS_CUES


def _part_at(document: AnalysedDocument, start: int):
    """The (offset, Doc) of the part holding character `start` (parts are in text order)."""
    offsets = document.meta.get("_part_offsets")
    if offsets is None or len(offsets) != len(document.parts):
        offsets = document.meta["_part_offsets"] = [offset for offset, _, _ in document.parts]
    i = bisect_right(offsets, start) - 1
    if i >= 0:
        offset, _, doc = document.parts[i]
        if start < offset + len(doc.text):
            return offset, doc
    return None, None


def _span_at(document: AnalysedDocument, start: int, end: int) -> Span | None:
    offset, doc = _part_at(document, start)
    if doc is None:
        return None
    return doc.char_span(start - offset, end - offset, alignment_mode="expand")


def _candidates(document: AnalysedDocument) -> list[Mention]:
    found: list[Mention] = []
    ner_labels = set(RULES["ner_labels"])
    lower_words = _lower_words(document)
    surnames = _surnames(document)
    for offset, seg, doc in document.parts:
        persons = _ent_spans(doc, set(RULES["person_labels"]))
        places = _ent_spans(doc, set(RULES["place_labels"]))
        for span in doc.spans.get(SPANS_KEY, []):
            rule = span.id_ or "rule"
            if rule.startswith(GAZETTEER_RULE + ":"):
                entry = lookup(rule.split(":", 1)[1])
                found.append(_mention(offset, span, GAZETTEER_RULE, PRIORITY["gazetteer"], entry))
            elif rule.split(":")[-1] in STRONG_RULES and plausible(span):
                found.append(_mention(offset, span, rule, PRIORITY["rule"], lookup(span.text)))
            elif plausible(span, persons, places) and not _generic_word(span, lower_words):
                found.append(_mention(offset, span, rule, PRIORITY["rule"], lookup(span.text)))
        for ent in doc.ents if seg.kind != "table_row" else ():  # table cells: products, figures
            if ent.label_ in ner_labels:
                span = _strip_leading(ent)
                while (span is not None and len(span) > 1 and (span.start == 0 or span[0].is_sent_start)
                       and not span[0].text.isupper() and span[0].lower_ in lower_words):
                    span = span[1:]  # a capitalised common word at a sentence start ("Styrket Nordisk ...")
                for part in _conjuncts(span) if span is not None else ():
                    if plausible(part, persons, places) and _model_name_ok(part, lower_words, surnames):
                        found.append(_mention(offset, part, f"ner:{doc.lang_}:{ent.label_}", PRIORITY["ner"], lookup(part.text)))
    found.extend(_capitalised_common_words(document))
    found.extend(_member_lists(document))
    found.extend(_compound_prefixes(document))
    return found


def _capitalised_common_words(document: AnalysedDocument) -> list[Mention]:
    """Norwegian writes only a name's first word with a capital, so a common word (wordfreq: frequent
    in Norwegian, rare in English) capitalised inside a sentence marks a name that capitalises every
    word: two such words joined by "og" ("Natur og Ungdom", also at a sentence start), or a
    capitalised word and such a word ("Kirkens Nødhjelp", "Nye Veier"). Not where the model reads
    the words as anything else (a place, a person, an event, or two names: "Brann og Vålerenga"),
    not a label with a number ("Figur 2"), not in a sentence written in title case."""
    out = []
    coordinators = COORDINATORS - {"&"}

    def common(tok) -> bool:
        return (tok.is_title and tok.is_alpha and zipf(tok.text, "nb") >= ZIPF["capitalised_common_from"]
                and zipf(tok.text, "en") < ZIPF["rare_below"] and tok.pos_ not in ("ADJ", "VERB"))

    for offset, seg, doc in document.parts:
        if doc.lang_ == "en" or seg.kind == "table_row":
            continue
        for tok in doc[1:]:
            if not common(tok) or _capitalised_by_position(tok):
                continue
            i = tok.i
            if i >= 2 and doc[i - 1].lower_ in coordinators and common(doc[i - 2]):
                span = doc[i - 2 : i + 1]  # "Natur og Ungdom"
            elif doc[i - 1].is_title and doc[i - 1].is_alpha and not _capitalised_by_position(doc[i - 1]):
                span = doc[i - 1 : i + 1]  # "Kirkens Nødhjelp"
            else:
                continue
            if span.end < len(doc) and (doc[span.end].like_num or doc[span.end].is_title):
                continue  # "Se Figur 2"; a longer run of capitals is a title, not this rule's
            if sum(t.is_lower and t.is_alpha for t in sentence_of(span)) < 3:
                continue
            if any(key(t.text) in PLACES or t.text in FIRST_NAMES for t in span) or not plausible(span):
                continue
            if any(e.start < span.end and span.start < e.end and not (e.start <= span.start and span.end <= e.end and e.label_ in RULES["ner_labels"])
                   for e in doc.ents):
                continue
            # weaker than the name rules: "Noregs Mållag og Statens kartverk" is two names
            out.append(_mention(offset, span, "rule:capitalised_name", PRIORITY["list"], lookup(span.text)))
    return out


@lru_cache(maxsize=1)
def _compound_regex() -> re.Pattern:
    forms = {f for e in gazetteer() for f in e.forms if not e.is_weak(f)}
    return re.compile(rf"(?<![\w-])({alternation(forms)})-[a-zæøå]")


def _compound_prefixes(document: AnalysedDocument) -> list[Mention]:
    """A known organisation as the first part of a hyphen compound: "Høyre-leder",
    "Innovasjon Norge-sjefen" (the tokenizer keeps such compounds as one token)."""
    out = []
    for m in _compound_regex().finditer(document.text):
        span = _span_at(document, m.start(1), m.end(1))
        if span is not None:
            out.append(Mention(m.start(1), m.end(1), m[1], GAZETTEER_RULE, PRIORITY["gazetteer"], lookup(m[1]), _sentence(span)))
    return out




def _model_name_ok(span: Span, lower_words: set[str], surnames: set[str]) -> bool:
    """Extra checks for a name only the NER model found (the rules and the gazetteer vouch for
    their own): not a figure or recommendation number, a gloss of a term, a heading fragment,
    an unexplained short acronym, a sentence-initial common noun, a surname, an event or a
    programme."""
    if lookup(span.text):
        return True
    doc, toks = span.doc, list(span)
    if _label_like(span) or _generic_word(span, lower_words):
        return False
    if any(any(c.isdigit() for c in t.text) for t in toks) or ROMAN_OR_LETTER.match(toks[-1].text) and len(toks) > 1:
        return False  # "Figur 2", "Pillar II", "Pilot E", "HR0350"
    last = toks[-1]
    if not (last.text[:1].isupper() or last.lower_ in LOWER_HEADS):
        return False  # "Grønn plattform", "Norsk legemiddelproduksjon": a described thing
    if len(toks) > 1 and all(t.text.isupper() for t in toks if t.is_alpha):
        return False  # a fragment of an all-caps heading
    if last.text.isupper() and _in_all_caps_run(span):
        return False  # "5.1. BAKGRUNN OG FAKTA": a word of an all-caps heading
    if any(t.text == "," for t in toks):
        return False  # "Overhalla, Kløfta, Kjeller": a list, not one name
    if "-" in last.text and last.text.rsplit("-", 1)[1][:1].islower() and not HEAD_SUFFIX.search(last.lower_):
        return False  # "API-produksjon": a compound common noun
    if len(toks) == 1 and last.text.isupper() and len(last.text) <= 4:
        return False  # "QP", "RNA", "FUNN": acronyms are organisations when the text says so
    if len(toks) == 1 and last.text.isupper() and (
        len(last.text) >= 10 or (len(last.text) >= 7 and re.search(r"(?:ET|EN|ENE)$", last.text))
    ):
        return False  # "STATSBUDSJETTET", "OPPDRAGSBREV": a word of an all-caps heading, not an acronym
    if len(toks) == 1 and re.fullmatch(r"[A-Z]{1,3}[a-z]", last.text):
        return False  # "NOx", "SOx": formulas and units
    if len(toks) == 1 and (last.text in surnames or _capitalised_by_position(last) and (
            re.search(r"(?:a|en|et|ene)$", last.text) or zipf(last.text, doc.lang_) >= ZIPF["common_from"])):
        # "Skymoen" (a person named earlier), "Eininga", "Momentet", "TITTEL: Budsjettforslaget"; a
        # common word (wordfreq) only its position capitalises ("Troll" at a sentence start)
        return False
    if _in_address(span):
        return False  # "Postboks 448 Sentrum"
    if len(toks) == 1 and span.start > 0 and doc[span.start - 1].lower_ in PLACE_PREPOSITIONS:
        return False  # "i Uppsala"
    opened = [t.text for t in doc[max(0, span.start - 3) : span.start]]
    if "(" in opened and ")" not in opened[opened.index("(") :]:
        return False  # "virkestoff (Active Pharmaceutical Ingredients, API)": a gloss of a term
    if any(NOT_ORG_ENDINGS.search(t.lower_) for t in toks):
        return False  # "Livsvitenskapskonferansen ...", "...programmet"
    return True


def _surnames(document: AnalysedDocument) -> set[str]:
    """Last names of the people the document names (model PER entities, "Firstname Lastname")."""
    out = set()
    person_labels = set(RULES["person_labels"])
    for _, _, doc in document.parts:
        for ent in doc.ents:
            if ent.label_ in person_labels and len(ent) >= 2:
                out.add(ent[-1].text)
        for tok in doc[:-1]:
            if tok.text in FIRST_NAMES:
                j = tok.i + 1
                while j < len(doc) and (doc[j].text[:1].isupper() and doc[j].is_alpha or doc[j].lower_ in RULES["name_particles"]):
                    j += 1
                if j - tok.i >= 2 and doc[j - 1].text[:1].isupper():
                    out.add(doc[j - 1].text)
    return out


def _label_like(span: Span) -> bool:
    """A model ORG that is a heading label ("Health Data: Create ...") or a minister's
    portfolio ("Minister for Climate and Environment")."""
    doc = span.doc
    if any(t.text == ":" for t in span):
        return True
    if span.end < len(doc) and doc[span.end].text == ":" and (span.start == 0 or doc[span.start - 1].text in ("•", "\n")):
        return True
    before = [t.text for t in doc[max(0, span.start - 2) : span.start]]
    after = doc[span.end].text if span.end < len(doc) else ""
    return any(b in NER_REJECT_AFTER for b in before) or after in NER_REJECT_AFTER  # "Trade Minister"


def _strip_leading(span: Span) -> Span | None:
    start, end = span.start, span.end
    while start < end and (span.doc[start].text in LEADING_STRIP or span.doc[start].is_punct):
        start += 1
    while end > start and span.doc[end - 1].is_punct and span.doc[end - 1].text not in (".",):
        end -= 1
    return span.doc[start:end] if start < end else None


LIST_CUE = re.compile(rf"\b(?:{'|'.join(re.escape(c) for c in RULES['list_cues'])})", re.IGNORECASE)


def _member_lists(document: AnalysedDocument) -> list[Mention]:
    """Short name-like items of a list introduced as companies or members."""
    out, intro = [], ""
    for offset, seg, doc in document.parts:
        if seg.kind != "list_item":
            intro = doc.text
            continue
        if not LIST_CUE.search(intro):
            continue
        toks = [t for t in doc if t.text not in ("•", "-", "*", "–") and not t.is_space]
        while toks and toks[-1].is_punct:
            toks.pop()
        if not toks or len(toks) > RULES["list_item_max_tokens"]:
            continue
        if not all(_is_name_token(t) or t.lower_ in CONNECTORS for t in toks) or not _is_name_token(toks[0]):
            continue
        span = doc[toks[0].i : toks[-1].i + 1]
        if plausible(span, _ent_spans(doc, set(RULES["person_labels"]))) and not _generic_word(span, _lower_words(document)):
            out.append(_mention(offset, span, "rule:member_list", PRIORITY["list"], lookup(span.text)))
    return out


class _Covered:
    """The characters already covered by mentions: a union of intervals with O(log n) look-ups
    (a 5 MB document has hundreds of thousands of mentions; scanning them all is quadratic)."""

    def __init__(self, spans=()):
        self.starts: list[int] = []
        self.ends: list[int] = []
        for s, e in spans:
            self.add(s, e)

    def overlaps(self, s: int, e: int) -> bool:
        i = bisect_right(self.starts, s)
        return (i > 0 and self.ends[i - 1] > s) or (i < len(self.starts) and self.starts[i] < e)

    def add(self, s: int, e: int) -> None:
        i = bisect_right(self.starts, s)
        if i > 0 and self.ends[i - 1] > s:  # merge with the interval on the left
            i -= 1
            s = self.starts[i]
            e = max(e, self.ends[i])
        j = i
        while j < len(self.starts) and self.starts[j] < e:  # and with those it reaches on the right
            e = max(e, self.ends[j])
            j += 1
        self.starts[i:j] = [s]
        self.ends[i:j] = [e]


def _select(cands: list[Mention]) -> list[Mention]:
    """Overlapping candidates: the gazetteer and rules first, then the model; longer first. A
    rule span that starts before a gazetteer name it contains loses to it ("Helseklyngene Oslo
    Cancer Cluster"); one that extends it to the right wins ("Nammo AS", "LIF Danmark")."""
    gaz_starts = sorted(m.start for m in cands if m.source_rule == GAZETTEER_RULE)

    def contains_gazetteer_start(m: Mention) -> bool:
        i = bisect_right(gaz_starts, m.start)
        return i < len(gaz_starts) and gaz_starts[i] < m.end

    cands = [m for m in cands if m.source_rule == GAZETTEER_RULE or not contains_gazetteer_start(m)]
    kept: list[Mention] = []
    covered = _Covered()
    for m in sorted(cands, key=lambda m: (m.priority, -(m.end - m.start), m.start)):
        if not covered.overlaps(m.start, m.end):
            kept.append(m)
            covered.add(m.start, m.end)
    return sorted(kept, key=lambda m: m.start)


