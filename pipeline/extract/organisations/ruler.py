"""The `organisation_ruler` component: gazetteer names and aliases, head-word, legal-form and
cue patterns, and party short forms after a person, as spans under `doc.spans["org_rules"]`
(the rule or gazetteer entry in `span.id_`)."""
from __future__ import annotations

import re

import srsly
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.pipeline import Pipe
from spacy.tokens import Doc, Span
from spacy.util import ensure_path

from pipeline.extract.organisations.data import (
    CAP, GAZETTEER_RULE, GENITIVE, NAME_TOKEN_RE, RULES, SPANS_KEY, ZIPF, Entry, gazetteer, key, lookup, zipf,
)


NAME = {"TEXT": {"REGEX": NAME_TOKEN_RE}, "IS_DIGIT": False, "IS_PUNCT": False}
# The rules of pipeline/lang/*/organisations.yaml the ruler reads (saved with the pipeline).
RULE_KEYS = ("name_connectors", "cue_name_connectors", "coordinators", "head_suffixes", "not_head_suffixes",
             "name_heads", "lower_heads", "prefix_heads", "prefix_preps", "legal_forms", "company_nouns",
             "role_nouns", "role_preps", "first_names", "name_particles", "leading_strip", "articles",
             "legal_form_joiners", "state_prefixes", "nation_prefixes", "nation_heads", "group_suffixes", "places")


def _run(op: str = "+") -> list[dict]:
    return [{**NAME, "OP": op}]


def _words(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in words)


def rule_patterns(rules: dict) -> dict[str, tuple[int, list[list[dict]]]]:
    """Token patterns per rule: (tokens to trim from the left of a match, patterns)."""
    inner = {"LOWER": {"IN": sorted(rules["cue_name_connectors"])}}
    inner_all = {"LOWER": {"IN": sorted(set(rules["name_connectors"]) - set(rules["coordinators"]))}}

    def with_connector(before: list[dict]) -> list[list[dict]]:
        """`before` + a name run (optionally "Universitetet i Oslo"-style with one inner connector)."""
        return [before + _run(), before + _run() + [inner] + _run()]

    suffixes = _words(rules["head_suffixes"])
    heads = rules["name_heads"] + [h + "s" for h in rules["name_heads"]]
    lower_heads = rules["lower_heads"] + [h + "s" for h in rules["lower_heads"]]
    head_token = {"TEXT": {"REGEX": rf"^(?!.*(?:{_words(rules['not_head_suffixes'])})$)[{CAP}][\w-]{{2,}}(?:{suffixes})s?$"}}
    coord = {"LOWER": {"IN": [*rules["coordinators"], "&"]}}
    return {
        "head_suffix": (0, [
            _run("*") + [head_token],
            # "Nærings- og fiskeridepartementet", "Helse- og omsorgskomiteen"
            [{"TEXT": {"REGEX": rf"^[{CAP}]\w*-$"}}, coord, {"TEXT": {"REGEX": rf"^[a-zæøå][\w-]*(?:{suffixes})s?$"}}],
        ]),
        "name_head": (0, [
            _run() + [{"TEXT": {"IN": heads}}],
            _run() + [inner_all] + _run("*") + [{"TEXT": {"IN": heads}}],
        ]),
        # "Health and Care Committee" (but not "Bayer og GE Healthcare": checked in the ruler)
        "name_head_joined": (0, [_run() + [coord] + _run("*") + [{"TEXT": {"IN": heads}}]]),
        "lower_head": (0, [_run() + [{"LOWER": {"IN": lower_heads}}]]),
        # a county named "A og B": "Møre og Romsdal fylkeskommune" (checked in the ruler: A og B is a place)
        "place_lower_head": (0, [_run() + [{"LOWER": {"IN": rules["coordinators"]}}] + _run() + [{"LOWER": {"IN": lower_heads}}]]),
        "prefix_head": (0, [[{"TEXT": {"IN": rules["prefix_heads"]}}, {"LOWER": {"IN": rules["prefix_preps"]}}] + _run()]),
        "group_name": (0, [[{"TEXT": {"REGEX": rf"^[{CAP}][\w&.]*-(?:{_words(rules['group_suffixes'])})$"}}]]),
        "state_body": (0, [[{"ORTH": {"IN": rules["state_prefixes"]}}, {"IS_LOWER": True, "IS_ALPHA": True, "LENGTH": {">=": 4}}]]),
        "nation_body": (0, [
            [{"ORTH": {"IN": rules["nation_prefixes"]}}, {"LOWER": {"REGEX": rf"(?:{_words(rules['nation_heads'])})$"}}],
            [{"ORTH": {"IN": rules["nation_prefixes"]}}, {"TEXT": {"REGEX": r"^[a-zæøå]+-$"}}, coord,
             {"LOWER": {"REGEX": rf"(?:{_words(rules['nation_heads'])})$"}}],
        ]),
        "company_noun": (1, with_connector([{"LOWER": {"REGEX": rf"(?:{_words(rules['company_nouns'])})$"}}])),
        "role": (2, with_connector([{"LOWER": {"REGEX": rf"(?:{_words(rules['role_nouns'])})$"}},
                                    {"LOWER": {"IN": rules["role_preps"]}}])),
    }


def _is_name_token(tok) -> bool:
    return bool(re.match(NAME_TOKEN_RE, tok.text)) and not tok.is_digit and not tok.is_punct


class OrganisationRuler(Pipe):
    """Finds organisation candidates: gazetteer names and aliases (with genitive and all-caps
    variants), head-word, legal-form and cue patterns, and party/organisation short forms in
    parentheses after a person ("Erna Solberg (H)", "Monica Larsen (LMI)"). Its gazetteer and
    rules are saved with the pipeline (`to_disk`/`from_disk`)."""

    def __init__(self, nlp: Language, name: str = "organisation_ruler", lang: str = "nb"):
        self.name = name
        self.lang = lang
        self.vocab = nlp.vocab
        self.tokenizer = nlp.tokenizer
        self.entries: list[Entry] = list(gazetteer())
        self.rules = {k: RULES[k] for k in RULE_KEYS}
        self._build()

    def _build(self) -> None:
        self.phrases = PhraseMatcher(self.vocab, attr="ORTH")
        self.weak = PhraseMatcher(self.vocab, attr="ORTH")
        for i, entry in enumerate(self.entries):
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
            self.phrases.add(str(i), [self.tokenizer(v) for v in sorted(variants)])
            if weak:
                self.weak.add(str(i), [self.tokenizer(v) for v in weak])
        # legal forms as the tokenizer splits them ("A/S", "S.p.A."), also without a final dot ("Inc" + ".")
        self.legal = PhraseMatcher(self.vocab, attr="ORTH")
        forms = set(self.rules["legal_forms"]) | {f.rstrip(".") for f in self.rules["legal_forms"]}
        self.legal.add("legal_form", [self.tokenizer(f) for f in sorted(forms) if f])
        self.legal_joiners = set(self.rules["legal_form_joiners"])
        self.name_inner = set(self.rules["cue_name_connectors"])
        self.matcher = Matcher(self.vocab)
        self.trim: dict[str, int] = {}
        for rule, (trim, patterns) in rule_patterns(self.rules).items():
            self.trim[rule] = trim
            self.matcher.add(rule, patterns, greedy="LONGEST")
        self.person_paren = Matcher(self.vocab)
        first = {"TEXT": {"IN": sorted(set(self.rules["first_names"]))}}
        particle = {"LOWER": {"IN": self.rules["name_particles"]}, "OP": "?"}
        close = {"ORTH": {"IN": [")", ","]}}
        inner = {"LOWER": {"IN": sorted(self.rules["cue_name_connectors"])}}
        self.person_paren.add("person_paren", [
            [first] + _run("*") + [particle] + _run() + [{"ORTH": "("}] + _run() + [close],
            [first] + _run("*") + [particle] + _run() + [{"ORTH": "("}] + _run() + [inner] + _run() + [close],
        ], greedy="LONGEST")
        self.leading_strip = set(self.rules["leading_strip"])
        self.places = {key(p) for p in self.rules["places"]}
        self.coordinators = {*self.rules["coordinators"], "&"}
        self.sentence_articles = {a.capitalize() for a in self.rules["articles"]}
        # a capitalised cue word at a sentence start is not part of the name that follows it
        self.cue_word = re.compile(rf"(?:{_words(self.rules['company_nouns'])}|{_words(self.rules['role_nouns'])})$")

    def _joined_name_ok(self, span: Span) -> bool:
        """One name around "and"/"og" ("Health and Care Committee"), not two coordinated names
        ("Bayer og GE Healthcare", "Norway Health Tech og Norwegian Smart Care Cluster")."""
        at = next(i for i, t in enumerate(span) if t.lower_ in self.coordinators)
        left, right = span[:at], span[at + 1 : -1]
        return len(left) == 1 and len(right) <= 3 and lookup(left.text) is None

    def _place(self, span: Span) -> bool:
        """A place, or places joined by "og" ("Sogn og Fjordane", "Troms og Finnmark")."""
        parts = re.split(rf"\s+(?:{_words(self.rules['coordinators'])})\s+", span.text)
        return key(span.text) in self.places or all(key(p) in self.places for p in parts)

    def _trim(self, doc: Doc, start: int, end: int) -> int:
        """The start of a name after function words, a cue word ("Selskapet") and a sentence's article."""
        while start < end and (doc[start].text in self.leading_strip or (end - start > 1 and self.cue_word.search(doc[start].lower_))):
            start += 1
        if start < end and doc[start].text in self.sentence_articles and (start == 0 or doc[start].is_sent_start):
            start += 1  # a sentence's article, not part of the name
        return start

    def _legal_form_names(self, doc: Doc) -> list[Span]:
        """Names ending in a legal form, or in two joined ones ("Foxconn Co., Ltd.", "Siemens GmbH &
        Co. KG", "Fjordavegen Holding AS"): the name run before the forms (capitalised words, "&"
        and name particles inside; not a figure: "2023 Nammo AS" is "Nammo AS") and the forms."""
        out = []
        forms = sorted({(s, e) for _, s, e in self.legal(doc)})
        ends = {}
        for s, e in forms:  # chain: a form right after another, or after a joiner after another
            for before in (s, s - 1):
                prev = ends.get(before)
                if prev is not None and (before == s or doc[before].text in self.legal_joiners):
                    ends[e] = prev
                    break
            else:
                ends[e] = s
        chain_ends = {}
        for e, s in ends.items():  # the longest chain from each start
            if e > chain_ends.get(s, -1):
                chain_ends[s] = e
        for form_start, end in chain_ends.items():
            start = form_start
            while start > 0 and (_is_name_token(doc[start - 1]) and not doc[start - 1].like_num or (
                    doc[start - 1].lower_ in self.name_inner and start > 1 and _is_name_token(doc[start - 2]))):
                if doc[start - 1].is_sent_start:
                    start -= 1
                    break
                start -= 1
            start = self._trim(doc, start, form_start)
            while start < form_start and doc[start].lower_ in self.name_inner:
                start += 1
            if start < form_start and any(_is_name_token(t) for t in doc[start:form_start]):
                out.append(Span(doc, start, end, label="ORG", span_id="rule:legal_form"))
        return out

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        entries = self.entries
        for match_id, start, end in self.phrases(doc):
            spans.append(Span(doc, start, end, label="ORG", span_id=f"{GAZETTEER_RULE}:{entries[int(doc.vocab.strings[match_id])].name}"))
        for match_id, start, end in self.weak(doc):
            if start > 0 and end < len(doc) and doc[start - 1].text == "(" and doc[end].text in (")", ","):
                spans.append(Span(doc, start, end, label="ORG", span_id=f"{GAZETTEER_RULE}:{entries[int(doc.vocab.strings[match_id])].name}"))
        for match_id, start, end in self.matcher(doc):
            rule = doc.vocab.strings[match_id]
            start = self._trim(doc, start + self.trim[rule], end)
            if start >= end or (rule == "name_head" and end - start == 1):
                continue
            if rule == "name_head_joined" and not self._joined_name_ok(doc[start:end]):
                continue
            if rule == "place_lower_head" and not self._place(doc[start : end - 1]):
                continue  # "Equinor og Bergen kommune": two names
            if rule == "state_body" and doc[start].is_sent_start and zipf(doc[end - 1].text, "nb") >= ZIPF["common_from"]:
                continue  # "Statens andel ...": the state's share, not a body
            if rule.startswith("name_head") and end < len(doc) and _is_name_token(doc[end]) and not doc[end].is_sent_start:
                continue  # the head word does not end the name ("Holistic Healthcare Funding")
            spans.append(Span(doc, start, end, label="ORG", span_id=f"rule:{rule}"))
        spans.extend(self._legal_form_names(doc))
        for _, start, end in self.person_paren(doc):
            open_at = next(i for i in range(start, end) if doc[i].text == "(")
            if open_at + 1 < end - 1:
                spans.append(Span(doc, open_at + 1, end - 1, label="ORG", span_id="rule:person_affiliation"))
        doc.spans[SPANS_KEY] = spans
        return doc


    def to_disk(self, path, *, exclude=tuple()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_jsonl(path / "gazetteer.jsonl", [
            {"name": e.name, "aliases": list(e.aliases), "kind": e.kind, "strong": sorted(e.strong)} for e in self.entries])
        srsly.write_json(path / "rules.json", self.rules)

    def from_disk(self, path, *, exclude=tuple()) -> "OrganisationRuler":
        path = ensure_path(path)
        self.entries = [Entry(d["name"], tuple(d["aliases"]), d["kind"], frozenset(d["strong"]))
                        for d in srsly.read_jsonl(path / "gazetteer.jsonl")]
        self.rules = srsly.read_json(path / "rules.json")
        self._build()
        return self


@Language.factory("organisation_ruler", default_config={"lang": "nb"})
def make_organisation_ruler(nlp: Language, name: str, lang: str):
    return OrganisationRuler(nlp, name, lang)


