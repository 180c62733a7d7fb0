"""Organisations: candidates from the NER model and our rules, resolved per document to one
canonical name with its aliases.

Where things live:
- `organisations.jsonl`: the gazetteer (known organisations, their aliases and kind);
- `organisations.yaml`: head words, legal forms, cue words, stop names, places, first names;
- `OrganisationRuler` (component "organisation_ruler"): gazetteer and pattern matches, written
  to `doc.spans["org_rules"]` with the rule (or gazetteer entry) in `span.id_`;
- `extract()`: document-level rules (member lists, acronym definitions, coordination), filters
  (people, places, generic nouns), resolution into organisations, and a second pass that finds
  every other mention of an organisation once the document has named it.

Rows: `mentions` (one per mention) and `organisations` (one per organisation per document).
"""
from __future__ import annotations

from bisect import bisect_right

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from pipeline.document import AnalysedDocument
from pipeline.extract.alternation import alternation

HERE = Path(__file__).parent
RULES = yaml.safe_load((HERE / "organisations.yaml").read_text(encoding="utf-8"))
SPANS_KEY = "org_rules"
GAZETTEER_RULE = "gazetteer"
WEAK_MAX = 2  # a gazetteer alias this short ("IN", "Ap", "V") counts only as "(V)" or once the organisation is named
GENITIVE = re.compile(r"(?:['’´‘`]s|['’´])$")
CAP = "A-ZÆØÅÄÖÜÉÈ"
NAME_TOKEN_RE = rf"^[{CAP}0-9][\w&.'’´/+-]*$"


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Entry:
    """One gazetteer organisation."""

    name: str
    aliases: tuple[str, ...] = ()
    kind: str = ""
    strong: frozenset[str] = frozenset()

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    def is_weak(self, form: str) -> bool:
        return form != self.name and len(form) <= WEAK_MAX and form not in self.strong


@lru_cache(maxsize=1)
def gazetteer() -> list[Entry]:
    lines = (HERE / "organisations.jsonl").read_text(encoding="utf-8").splitlines()
    out = []
    for line in lines:
        if line.strip():
            d = json.loads(line)
            out.append(Entry(d["name"], tuple(d.get("aliases", [])), d.get("kind", ""), frozenset(d.get("strong", []))))
    return out


def key(s: str) -> str:
    """Comparison key: NFKC, casefolded, whitespace collapsed, surrounding punctuation and a
    possessive apostrophe-s stripped, a leading English article dropped."""
    s = unicodedata.normalize("NFKC", s)
    s = re.sub(r"\s+", " ", s).strip(" \t\"'«»“”‘’.,;:()[]-–—•")
    s = GENITIVE.sub("", s)
    s = s.casefold()
    return s[4:] if s.startswith("the ") else s


def keys(s: str) -> list[str]:
    """The key, the key without a genitive -s ("Innovasjon Norges", "Forskningsrådets") and
    without a legal-form suffix ("Nammo AS")."""
    k = key(s)
    out = [k]
    if k.endswith("s") and not k.endswith("ss") and len(k) > 3:
        out.append(k[:-1])
    head, _, last = k.rpartition(" ")
    if head and last in LEGAL_FORMS:
        out.append(head)
    return out


@lru_cache(maxsize=1)
def gazetteer_index() -> dict[str, Entry]:
    index: dict[str, Entry] = {}
    for entry in gazetteer():
        for form in entry.forms:
            index.setdefault(key(form), entry)
    return index


def lookup(surface: str) -> Entry | None:
    index = gazetteer_index()
    for k in keys(surface):
        if k in index:
            return index[k]
    return None


def _casefold_set(name: str) -> set[str]:
    return {key(s) for s in RULES.get(name, [])}


STOP = _casefold_set("stop_names")
LEGAL_FORMS = _casefold_set("legal_forms")
PLACES = _casefold_set("places")
FIRST_NAMES = {s for s in RULES["first_names"]}
LEADING_STRIP = set(RULES["leading_strip"])
CONNECTORS = set(RULES["name_connectors"])


def _words(name: str) -> str:
    return "|".join(re.escape(w) for w in RULES[name])


# Rules whose evidence (a head word or legal form in the name itself) outweighs a model's
# PER/LOC reading of the same words ("NCE Heidner Biocluster" tagged PERSON).
STRONG_RULES = {"head_suffix", "name_head", "name_head_joined", "lower_head", "prefix_head", "legal_form", "company_noun", "role"}
LOWER_HEADS = set(RULES["lower_heads"])
HEAD_WORDS = {h.casefold() for h in RULES["name_heads"] + RULES["reference_heads"]}
PLACE_PREPOSITIONS = set(RULES["place_prepositions"])
ADDRESS_CUES = set(RULES["address_cues"])
CAPITALISING_TOKENS = set(RULES["capitalising_tokens"])
COORDINATORS = set(RULES["coordinators"])
HEAD_SUFFIX = re.compile(rf"(?:{_words('head_suffixes')})s?$")
HEAD_OR_LOWER_HEAD_END = re.compile(rf"(?:{_words('head_suffixes')}|{_words('lower_heads')})s?$")
NER_REJECT_AFTER = set(RULES["ner_reject_after"])
NOT_ORG_ENDINGS = re.compile(rf"(?:{_words('not_org_endings')})$")
ROMAN_OR_LETTER = re.compile(r"^(?:[IVX]+|[A-ZÆØÅ])$")


# --------------------------------------------------------------------------- component

NAME = {"TEXT": {"REGEX": NAME_TOKEN_RE}, "IS_DIGIT": False, "IS_PUNCT": False}
INNER = {"LOWER": {"IN": sorted(RULES["cue_name_connectors"])}}
INNER_ALL = {"LOWER": {"IN": sorted(CONNECTORS - {"og", "and"})}}


def _run(op: str = "+") -> list[dict]:
    return [{**NAME, "OP": op}]


def _runs_with_connector(before: list[dict], after: list[dict] | None = None) -> list[list[dict]]:
    """`before` + a name run (optionally "Universitetet i Oslo"-style with one inner connector) + `after`."""
    after = after or []
    return [before + _run() + after, before + _run() + [INNER] + _run() + after]


def rule_patterns() -> dict[str, tuple[int, list[list[dict]]]]:
    """Token patterns per rule: (tokens to trim from the left of a match, patterns)."""
    suffixes = _words("head_suffixes")
    heads = RULES["name_heads"]
    heads = heads + [h + "s" for h in heads]
    lower_heads = RULES["lower_heads"] + [h + "s" for h in RULES["lower_heads"]]
    head_token = {"TEXT": {"REGEX": rf"^(?!.*(?:{_words('not_head_suffixes')})$)[{CAP}][\w-]{{2,}}(?:{suffixes})s?$"}}
    coord = {"LOWER": {"IN": ["og", "and", "&"]}}
    return {
        "head_suffix": (0, [
            _run("*") + [head_token],
            # "Nærings- og fiskeridepartementet", "Helse- og omsorgskomiteen"
            [{"TEXT": {"REGEX": rf"^[{CAP}]\w*-$"}}, coord, {"TEXT": {"REGEX": rf"^[a-zæøå][\w-]*(?:{suffixes})s?$"}}],
        ]),
        "name_head": (0, [
            _run() + [{"TEXT": {"IN": heads}}],
            _run() + [INNER_ALL] + _run("*") + [{"TEXT": {"IN": heads}}],
        ]),
        # "Health and Care Committee" (but not "Bayer og GE Healthcare": checked in the ruler)
        "name_head_joined": (0, [_run() + [coord] + _run("*") + [{"TEXT": {"IN": heads}}]]),
        "lower_head": (0, [_run() + [{"LOWER": {"IN": lower_heads}}]]),
        "prefix_head": (0, [[{"TEXT": {"IN": RULES["prefix_heads"]}}, {"LOWER": {"IN": RULES["prefix_preps"]}}] + _run()]),
        "legal_form": (0, [_run() + [{"TEXT": {"IN": RULES["legal_forms"]}}]]),
        "company_noun": (1, _runs_with_connector([{"LOWER": {"REGEX": rf"(?:{_words('company_nouns')})$"}}])),
        "role": (2, _runs_with_connector([{"LOWER": {"REGEX": rf"(?:{_words('role_nouns')})$"}},
                                           {"LOWER": {"IN": RULES["role_preps"]}}])),
    }


def _is_name_token(tok) -> bool:
    return bool(re.match(NAME_TOKEN_RE, tok.text)) and not tok.is_digit and not tok.is_punct


def _joined_name_ok(span: Span) -> bool:
    """One name around "and"/"og" ("Health and Care Committee"), not two coordinated names
    ("Bayer og GE Healthcare", "Norway Health Tech og Norwegian Smart Care Cluster")."""
    at = next(i for i, t in enumerate(span) if t.lower_ in ("og", "and", "&"))
    left, right = span[:at], span[at + 1 : -1]
    return len(left) == 1 and len(right) <= 3 and lookup(left.text) is None


# A capitalised cue word at a sentence start is not part of the name that follows it.
CUE_WORD = re.compile(rf"(?:{_words('company_nouns')}|{_words('role_nouns')})$")


class OrganisationRuler:
    """Finds organisation candidates: gazetteer names and aliases (with genitive and all-caps
    variants), head-word, legal-form and cue patterns, and party/organisation short forms in
    parentheses after a person ("Erna Solberg (H)", "Monica Larsen (LMI)")."""

    def __init__(self, nlp: Language, name: str = "organisation_ruler", lang: str = "nb"):
        self.name = name
        self.lang = lang
        self.phrases = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.weak = PhraseMatcher(nlp.vocab, attr="ORTH")
        for i, entry in enumerate(gazetteer()):
            strong, weak = [], []
            for form in entry.forms:
                (weak if entry.is_weak(form) else strong).append(form)
            variants = set()
            for form in strong:
                variants.add(form)
                if not GENITIVE.search(form) and not form.endswith("s"):
                    variants.add(form + "s")
                if len(form) >= 4 and not form.isupper():
                    variants.add(form.upper())
            self.phrases.add(str(i), [nlp.make_doc(v) for v in sorted(variants)])
            if weak:
                self.weak.add(str(i), [nlp.make_doc(v) for v in weak])
        self.matcher = Matcher(nlp.vocab)
        self.trim: dict[str, int] = {}
        for rule, (trim, patterns) in rule_patterns().items():
            self.trim[rule] = trim
            self.matcher.add(rule, patterns, greedy="LONGEST")
        self.person_paren = Matcher(nlp.vocab)
        first = {"TEXT": {"IN": sorted(FIRST_NAMES)}}
        particle = {"LOWER": {"IN": RULES["name_particles"]}, "OP": "?"}
        close = {"ORTH": {"IN": [")", ","]}}
        self.person_paren.add("person_paren", [
            [first] + _run("*") + [particle] + _run() + [{"ORTH": "("}] + _run() + [close],
            [first] + _run("*") + [particle] + _run() + [{"ORTH": "("}] + _run() + [INNER] + _run() + [close],
        ], greedy="LONGEST")

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        entries = gazetteer()
        for match_id, start, end in self.phrases(doc):
            spans.append(Span(doc, start, end, label="ORG", span_id=f"{GAZETTEER_RULE}:{entries[int(doc.vocab.strings[match_id])].name}"))
        for match_id, start, end in self.weak(doc):
            if start > 0 and end < len(doc) and doc[start - 1].text == "(" and doc[end].text in (")", ","):
                spans.append(Span(doc, start, end, label="ORG", span_id=f"{GAZETTEER_RULE}:{entries[int(doc.vocab.strings[match_id])].name}"))
        for match_id, start, end in self.matcher(doc):
            rule = doc.vocab.strings[match_id]
            start += self.trim[rule]
            while start < end and (doc[start].text in LEADING_STRIP or (end - start > 1 and CUE_WORD.search(doc[start].lower_))):
                start += 1
            if start < end and doc[start].text == "The" and (start == 0 or doc[start].is_sent_start):
                start += 1  # a sentence's article, not part of the name
            if start >= end or (rule == "name_head" and end - start == 1):
                continue
            if rule == "name_head_joined" and not _joined_name_ok(doc[start:end]):
                continue
            if rule.startswith("name_head") and end < len(doc) and _is_name_token(doc[end]) and not doc[end].is_sent_start:
                continue  # the head word does not end the name ("Holistic Healthcare Funding")
            spans.append(Span(doc, start, end, label="ORG", span_id=f"rule:{rule}"))
        for _, start, end in self.person_paren(doc):
            open_at = next(i for i in range(start, end) if doc[i].text == "(")
            if open_at + 1 < end - 1:
                spans.append(Span(doc, open_at + 1, end - 1, label="ORG", span_id="rule:person_affiliation"))
        doc.spans[SPANS_KEY] = spans
        return doc


@Language.factory("organisation_ruler", default_config={"lang": "nb"})
def make_organisation_ruler(nlp: Language, name: str, lang: str):
    return OrganisationRuler(nlp, name, lang)


# --------------------------------------------------------------------------- candidates


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
    sent = span.sent if span.doc.has_annotation("SENT_START") else span.doc[:]
    return sent.text.strip()


def _mention(offset: int, span: Span, rule: str, priority: int, entry: Entry | None = None) -> Mention:
    return Mention(offset + span.start_char, offset + span.end_char, span.text, rule, priority, entry, _sentence(span))


def _is_person(span: Span, person_spans: list[tuple[int, int]]) -> bool:
    toks = [t for t in span if not t.is_punct]
    if 2 <= len(toks) <= 4 and toks[0].text in FIRST_NAMES and all(t.text[:1].isupper() for t in toks):
        return True
    return any(s <= span.start and span.end <= e for s, e in person_spans)


def plausible(span: Span, person_spans=(), place_spans=()) -> bool:
    """Can this (non-gazetteer) span be an organisation's name?"""
    text = span.text
    k = key(text)
    if not k or "\n" in text or not re.match(rf"[{CAP}0-9]", text.strip()):
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


def _before_coordinator(span: Span) -> Span:
    """A model name with "og"/"and" inside joins two names ("Digicat og Manufacturing
    technology"): keep the first. Not after a hyphen: "Helse- og omsorgsdepartementet" is one."""
    for k in range(1, len(span) - 1):
        if span[k].lower_ in COORDINATORS and not span[k - 1].text.endswith("-"):
            return span[:k]
    return span


def _in_all_caps_run(span: Span) -> bool:
    """The span has an all-caps word (of two letters or more) right before or after it."""
    doc = span.doc
    neighbours = [doc[i] for i in (span.start - 1, span.end) if 0 <= i < len(doc)]
    return any(t.is_alpha and len(t.text) >= 2 and t.text.isupper() for t in neighbours)


def _in_address(span: Span) -> bool:
    """The postal district of an address: "Postboks 448 Sentrum 0104 OSLO"."""
    doc, i = span.doc, span.start
    return i >= 2 and doc[i - 1].like_num and doc[i - 2].lower_ in ADDRESS_CUES


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
                if span is not None:
                    span = _before_coordinator(span)
                if span is not None and plausible(span, persons, places) and _model_name_ok(span, lower_words, surnames):
                    found.append(_mention(offset, span, f"ner:{doc.lang_}:{ent.label_}", PRIORITY["ner"], lookup(span.text)))
    found.extend(_member_lists(document))
    found.extend(_compound_prefixes(document))
    return found


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
    if len(toks) == 1 and (last.text in surnames or (_capitalised_by_position(last) and re.search(r"(?:a|en|et|ene)$", last.text))):
        return False  # "Skymoen" (a person named earlier), "Eininga", "Momentet", "TITTEL: Budsjettforslaget"
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


# --------------------------------------------------------------------------- document rules


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


ACRONYM = re.compile(rf"^[{CAP}][A-Za-zÆØÅæøå]{{1,7}}$")


def _acronym_fits(acr: str, name: str) -> bool:
    """The acronym's letters appear in order in the name, the first at the name's start."""
    a, n = acr.casefold(), name.casefold()
    if not n or a[0] != n[0]:
        return False
    i = 0
    for c in n:
        if i < len(a) and c == a[i]:
            i += 1
    return i == len(a)


def _links(document: AnalysedDocument, mentions: list[Mention]) -> tuple[list[Mention], list[tuple[Mention, Mention]]]:
    """Acronym definitions and parenthesised aliases: "Oslo universitetssykehus (OUS)",
    "Nysnø (Fresh Snow)", "IN= Innovasjon Norge". Returns new mentions and alias links."""
    by_end = {m.end: m for m in mentions}
    by_start = {m.start: m for m in mentions}
    new, links = [], []
    text = document.text
    for offset, seg, doc in document.parts:
        persons = _ent_spans(doc, set(RULES["person_labels"]))
        for tok in doc:
            if tok.text != "(" or tok.i + 2 >= len(doc):
                continue
            close = next((t.i for t in doc[tok.i + 1 : tok.i + 7] if t.text in (")", ",", ";")), None)
            if close is None or close == tok.i + 1:
                continue
            inner = doc[tok.i + 1 : close]
            if not all(_is_name_token(t) or t.lower_ in CONNECTORS for t in inner) or not _is_name_token(inner[0]):
                continue
            before_end = offset + tok.idx
            while before_end > 0 and text[before_end - 1] == " ":
                before_end -= 1
            owner = by_end.get(before_end)
            if owner is None and len(inner) == 1 and ACRONYM.match(inner.text) and sum(c.isupper() for c in inner.text) >= 2:
                owner = _defined_name(document, offset, doc, tok.i, inner.text, persons)
                if owner is not None:
                    new.append(owner)
            if owner is None or owner.source_rule == "rule:person_affiliation":
                continue
            inner_entry = lookup(inner.text)
            same_entry = inner_entry is not None and (owner.entry is inner_entry or (owner.entry is None and any(
                re.search(rf"(?:^| ){re.escape(key(owner.text))}$", key(f)) for f in inner_entry.forms)))
            # ("Response Authority (HERA)": the end of the gazetteer's "... and Response Authority")
            if len(inner) == 1 and not same_entry and not (ACRONYM.match(inner.text) and _acronym_fits(inner.text, owner.text)):
                continue  # "Vistin Pharma (Metformin)", "EU (EU-GMP)": not another name for the owner
            if len(inner) > 1 and not all(t.text[:1].isupper() for t in inner if t.lower_ not in CONNECTORS):
                continue
            if any(kk in STOP or kk in PLACES for kk in keys(inner.text)) or _is_person(inner, persons):
                continue
            alias = by_start.get(offset + inner.start_char)
            if alias is None:
                alias = _mention(offset, inner, "rule:alias_in_parentheses", PRIORITY["rule"], owner.entry or lookup(inner.text))
                new.append(alias)
            links.append((owner, alias))
            owner.priority = min(owner.priority, PRIORITY["rule"])  # a fitting acronym vouches for a model's name
    for m in re.finditer(rf"(?<![\w-])([{CAP}][A-Za-zÆØÅæøå]{{1,7}})\s*=\s*", text):
        target = by_start.get(m.end())
        if target is not None and sum(c.isupper() for c in m[1]) >= 2:
            span = _span_at(document, m.start(1), m.end(1))
            if span is not None and span.text == m[1]:
                offset, _ = _part_at(document, m.start(1))
                alias = _mention(offset, span, "rule:acronym_definition", PRIORITY["rule"], target.entry)
                new.append(alias)
                links.append((target, alias))
    return new, links


def _defined_name(document, offset, doc, paren_i, acr, persons) -> Mention | None:
    """The name an acronym in parentheses defines: the shortest run of words before it that
    starts with a capital and whose letters spell the acronym ("Fortum Oslo Varme (FOV)")."""
    lo = paren_i - 1
    while lo >= 0 and paren_i - lo <= 7 and not doc[lo].is_punct or (lo >= 0 and doc[lo].text == "-"):
        lo -= 1
    for start in range(paren_i - 1, lo, -1):
        span = doc[start:paren_i]
        if not _is_name_token(span[0]) or span[0].text in LEADING_STRIP:
            continue
        if not _acronym_fits(acr, span.text):
            continue
        content = [t for t in span if t.lower_ not in CONNECTORS]
        entry = lookup(span.text)
        capitalised = all(t.text[:1].isupper() for t in content) and len(content) >= 2
        headed = any(HEAD_OR_LOWER_HEAD_END.search(t.lower_) for t in content)
        if entry is None and not capitalised and not headed:
            return None
        if entry is None and not headed and content[-1].lower_ in _lower_words(document):
            return None  # "Innovasjonsprosjekter i Næringslivet (IPN)": a described thing, not a name
        if entry is None and not plausible(span, persons):
            return None
        return _mention(offset, span, "rule:acronym_definition", PRIORITY["rule"], entry)
    return None


def _coordinated(document: AnalysedDocument, mentions: list[Mention]) -> list[Mention]:
    """Names listed together with organisations are organisations: "Siemens Project Ventures og
    ABB", "Fortum Oslo Varme (FOV) and Norcem"."""
    model_found = [m for m in mentions if m.priority > PRIORITY["list"]]
    mentions = [m for m in mentions if m.priority <= PRIORITY["list"]]  # the model alone is no evidence
    known = {(m.start, m.end) for m in mentions}
    out = []
    for offset, seg, doc in document.parts:
        i, n = 0, len(doc)
        while i < n:
            items, j = [], i
            while j < n:
                if not _is_name_token(doc[j]):
                    break
                k = j
                while k < n and (_is_name_token(doc[k]) or (doc[k].lower_ in CONNECTORS - {"og", "and"} and k + 1 < n and _is_name_token(doc[k + 1]))):
                    k += 1
                items.append(doc[j:k])
                if k + 2 < n and doc[k].text == "(" and doc[k + 2].text == ")":
                    k += 3
                if k < n and doc[k].text == "," and k + 1 < n and doc[k + 1].lower_ in ("og", "and"):
                    k += 2
                elif k < n and (doc[k].text == "," or doc[k].lower_ in ("og", "and", "&")):
                    k += 1
                else:
                    break
                j = k
            if len(items) >= 2:
                spans = [_strip_leading(s) if s.start == i and s[0].text in LEADING_STRIP else s for s in items]
                spans = [s for s in spans if s is not None]
                # an item is known when a found name covers it or ends it ("Investorene Siemens Project Ventures")
                is_known = [(offset + s.start_char, offset + s.end_char) in known or
                            any(m.start <= offset + s.start_char and offset + s.end_char <= m.end or
                                m.end == offset + s.end_char and m.start >= offset + s.start_char for m in mentions)
                            for s in spans]
                by_model = [any(m.start <= offset + s.start_char and offset + s.end_char <= m.end for m in model_found)
                            for s in spans]
                cue = LIST_CUE.search(doc[max(0, i - 6) : i].text) is not None  # "Our members include ..."
                n_known, n_vouched = sum(is_known), sum(k or b for k, b in zip(is_known, by_model))
                if n_known >= 1 and (cue or n_vouched * 2 >= len(spans)):
                    for s, kn in zip(spans, is_known):
                        # the list outweighs a model's PER/LOC reading
                        if not kn and plausible(s) and not any(NOT_ORG_ENDINGS.search(t.lower_) for t in s):
                            out.append(_mention(offset, s, "rule:coordination", PRIORITY["coord"], lookup(s.text)))
            i = max(j, i + 1)
    return out


# --------------------------------------------------------------------------- resolution


@dataclass
class Organisation:
    name: str
    aliases: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    entry: Entry | None = None


class _Groups:
    def __init__(self):
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)


def _group(mentions: list[Mention], links: list[tuple[Mention, Mention]]) -> list[list[Mention]]:
    g = _Groups()
    ids = {id(m): i for i, m in enumerate(mentions)}
    by_key: dict[str, int] = {}
    plain_keys = {key(m.text) for m in mentions}
    for i, m in enumerate(mentions):
        if m.entry:
            k = f"gaz:{m.entry.name}"
        else:
            ks = keys(m.text)  # "Morrows" -> "Morrow", "Nammo AS" -> "Nammo" when both occur
            k = next((alt for alt in ks[1:] if alt in plain_keys), ks[0])
        if k in by_key:
            g.union(i, by_key[k])
        else:
            by_key[k] = i
        g.find(i)
    for a, b in links:
        if id(a) in ids and id(b) in ids:
            g.union(ids[id(a)], ids[id(b)])
    groups: dict[int, list[Mention]] = {}
    for i, m in enumerate(mentions):
        groups.setdefault(g.find(i), []).append(m)
    merged = list(groups.values())
    return _merge_short_forms(merged)


def _content_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[\w&'-]+", GENITIVE.sub("", text)) if w.lower() not in CONNECTORS]


def _merge_short_forms(groups: list[list[Mention]]) -> list[list[Mention]]:
    """"Insider" -> "Insider Group", "NHT" -> "Norway Health Tech", "Life Science Cluster" ->
    "The Life Science Cluster": a group whose every form is a short form of exactly one other
    group's form joins that group."""
    def forms(grp):
        return {key(m.text) for m in grp}

    changed = True
    while changed:
        changed = False
        for gi, grp in enumerate(groups):
            if any(m.entry for m in grp):
                continue
            targets = set()
            for gj, other in enumerate(groups):
                if gi == gj:
                    continue
                for f in forms(grp):
                    for o in forms(other):
                        if f != o and (o.startswith(f + " ") or _initials(o) == f.casefold() and len(f) >= 3
                                       or " " not in f and o.endswith(" " + f) and f in HEAD_WORDS):
                            targets.add(gj)  # "Insider" / "NHT" / "Commission" (European Commission)
            if len(targets) == 1:
                gj = targets.pop()
                groups[gj].extend(grp)
                del groups[gi]
                changed = True
                break
    return groups


def _initials(k: str) -> str:
    words = [w for w in k.split() if w not in CONNECTORS]
    return "".join(w[0] for w in words) if len(words) >= 2 else ""


def _clean_form(text: str) -> str:
    text = GENITIVE.sub("", re.sub(r"\s+", " ", text).strip(" .,;:()«»\"'"))
    return text[4:] if text.startswith("the ") else text


def _canonical(grp: list[Mention]) -> tuple[str, list[str]]:
    """The fullest proper form used in the text; every other surface form is an alias."""
    entry = next((m.entry for m in grp if m.entry), None)
    forms: dict[str, str] = {}
    entry_forms: dict[str, str] = {}
    for f in entry.forms if entry else ():
        if key(f) not in entry_forms or (entry_forms[key(f)].isupper() and not f.isupper()):
            entry_forms[key(f)] = f
    for m in grp:
        f = _clean_form(m.text)
        k = key(f)
        if f.isupper() and k in entry_forms and f.casefold() == entry_forms[k].casefold():
            f = entry_forms[k]  # the gazetteer's spelling of an all-caps variant ("INNOVASJON NORGE")
        if k not in forms or (forms[k].isupper() and not f.isupper()):
            forms[k] = f
    known = set(forms)
    if entry:
        known |= {key(f) for f in entry.forms}
    secondary = {key(_clean_form(m.text)) for m in grp if m.source_rule == "rule:alias_in_parentheses"}
    if set(forms) - secondary:
        forms = {k: f for k, f in forms.items() if k not in secondary}
    names: dict[str, str] = {}
    for k, f in forms.items():
        if k.endswith("s") and k[:-1] in known:  # a genitive of another form
            stem = next((e for e in (entry.forms if entry else ()) if key(e) == k[:-1]), None) or forms.get(k[:-1]) or f[:-1]
            names.setdefault(key(stem), stem)
        else:
            names.setdefault(k, f)
    candidates = sorted(names.values(), key=lambda f: (f.isupper() and len(f) <= 6, -len(f), f))
    name = candidates[0]
    aliases = sorted({_clean_form(m.text) for m in grp} - {name})
    return name, aliases


def _word_starts(text: str, v: str):
    """Where `v` stands as a word (a genitive -s or 's may follow), left to right: the matches
    of a regex search, with candidates found by str.find first (fast on long texts)."""
    i = text.find(v)
    if i < 0:
        return
    pat = re.compile(rf"(?<![\w-]){re.escape(v)}(?:s|['’´]s)?(?![\w])")
    while i >= 0:
        m = pat.match(text, i)
        if m:
            yield i
            i = text.find(v, m.end())
        else:
            i = text.find(v, i + 1)


def _second_pass(document: AnalysedDocument, groups: list[list[Mention]]) -> None:
    """Once the document names an organisation, its other mentions (short forms, acronyms,
    genitives, forms inside hyphen compounds such as "Høyre-leder") are mentions too."""
    text = document.text
    taken = _Covered((m.start, m.end) for grp in groups for m in grp)
    # "the Commission" refers back to the one organisation whose name ends in that head word
    heads: dict[str, list[int]] = {}
    for gi, grp in enumerate(groups):
        for last in {_clean_form(m.text).rpartition(" ")[2] for m in grp if " " in _clean_form(m.text)}:
            if last.casefold() in HEAD_WORDS and last[:1].isupper():
                heads.setdefault(last, []).append(gi)
    for head, owners in heads.items():
        if len(set(owners)) != 1:
            continue
        grp = groups[owners[0]]
        for m in re.finditer(rf"(?<=\b[Tt]he ){re.escape(head)}(?![\w-])", text):
            s, e = m.start(), m.end()
            span = _span_at(document, s, e)
            if span is not None and not taken.overlaps(s, e):
                taken.add(s, e)
                grp.append(Mention(s, e, head, "rule:known_in_document", PRIORITY["second"], grp[0].entry, _sentence(span)))
    for grp in groups:
        entry = next((m.entry for m in grp if m.entry), None)
        forms = {_clean_form(m.text) for m in grp}
        if entry:
            forms |= set(entry.forms)
        for f in list(forms):
            head, _, last = f.rpartition(" ")
            if head and last.casefold() in LEGAL_FORMS and len(head) >= 3:
                forms.add(head)  # "Hyvolution AS" is also "Hyvolution"
        for form in sorted(forms, key=len, reverse=True):
            if len(form) < 1 or (len(form) <= WEAK_MAX and form.islower()):
                continue
            variants = {form} | ({form.upper()} if len(form) >= 4 else set())
            for v in variants:
                for s in _word_starts(text, v):
                    e = s + len(v)
                    if len(v) == 1 and not (text[s - 1 : s] == "(" and text[e : e + 1] in (")", ",")):
                        continue
                    if taken.overlaps(s, e):
                        continue
                    span = _span_at(document, s, e)
                    if span is None:
                        continue
                    taken.add(s, e)
                    grp.append(Mention(s, e, text[s:e], "rule:known_in_document", PRIORITY["second"], entry, _sentence(span)))


def resolve(document: AnalysedDocument) -> list[Organisation]:
    """Group the document's mentions into organisations."""
    cands = _select(_candidates(document))
    new, links = _links(document, cands)
    cands = _select(cands + new)
    cands = _select(cands + _coordinated(document, cands))
    kept = {id(m) for m in cands}
    links = [(a, b) for a, b in links if id(a) in kept and id(b) in kept]
    groups = _group(cands, links)
    _second_pass(document, groups)
    orgs = []
    for grp in groups:
        grp.sort(key=lambda m: m.start)
        name, aliases = _canonical(grp)
        orgs.append(Organisation(name, aliases, grp, next((m.entry for m in grp if m.entry), None)))
    return orgs


def extract(document: AnalysedDocument) -> tuple[list[dict], list[dict]]:
    """(mentions rows, organisations rows)."""
    mentions, rows = [], []
    for org in resolve(document):
        for m in org.mentions:
            mentions.append({"start": m.start, "end": m.end, "text": m.text, "label": "ORG",
                             "canonical": org.name, "sentence": m.sentence, "source_rule": m.source_rule})
        rows.append({
            "name": org.name,
            "aliases": org.aliases,
            "n_mentions": len(org.mentions),
            "first_start": min(m.start for m in org.mentions),
            "source_rule": "+".join(sorted({m.source_rule for m in org.mentions})),
        })
    mentions.sort(key=lambda m: m["start"])
    rows.sort(key=lambda r: r["first_start"])
    return mentions, rows
