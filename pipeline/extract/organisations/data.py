"""The organisation data: the rules of pipeline/lang/*/organisations.yaml as one set of word
lists and patterns, and the gazetteer (pipeline/lang/common/organisations.jsonl) with its
comparison keys."""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import yaml

from pipeline import lang as language_data


def _rules() -> dict:
    """The organisation rules of every language folder (pipeline/lang/*/organisations.yaml):
    each list is the common one, then the Norwegian, then the English words (mappings are merged)."""
    out: dict = {}
    for folder in ("common", *language_data.LANGS):
        for k, v in language_data.theme(folder, "organisations").items():
            if isinstance(v, list):
                out[k] = out.get(k, []) + v
            elif isinstance(v, dict):
                out[k] = {**out.get(k, {}), **v}
            else:
                out[k] = v
    return out


RULES = _rules()
# first names from NorNE's person names (built by training/first_names.py) after our own
RULES["first_names"] += [n for n in yaml.safe_load((language_data.HERE / "common" / "first_names.yaml").read_text(encoding="utf-8"))["first_names"]
                         if n not in RULES["first_names"]]
SPANS_KEY = "org_rules"
GAZETTEER_RULE = "gazetteer"
WEAK_MAX = 2  # a gazetteer alias this short ("IN", "Ap", "V") counts only as "(V)" or once the organisation is named
GENITIVE = re.compile(r"(?:['’´‘`]s|['’´])$")
CAP = "A-ZÆØÅÄÖÜÉÈ"
ARTICLES = tuple(RULES["articles"])
# the words right after an article ("the Commission"): a lookbehind per article, either case
AFTER_ARTICLE = "(?:" + "|".join(rf"(?<=\b[{a[0].upper()}{a[0]}]{re.escape(a[1:])} )" for a in ARTICLES) + ")"
# a word of a name: a capital or digit first, or a brand's lower-case prefix ("reMarkable", "eBay")
NAME_START = rf"(?:[{CAP}0-9]|(?=\w{{5}})[a-zæøå]{{1,3}}[{CAP}][a-zæøå])"
NAME_TOKEN_RE = rf"^{NAME_START}[\w&.'’´/+-]*$"


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
    lines = language_data.GAZETTEER.read_text(encoding="utf-8").splitlines()
    out = []
    for line in lines:
        if line.strip():
            d = json.loads(line)
            aliases = list(d.get("aliases", []))
            aliases += [f for f in short_compound(d["name"]) if f not in aliases]
            out.append(Entry(d["name"], tuple(aliases), d.get("kind", ""), frozenset(d.get("strong", []))))
    return out


def short_compound(name: str) -> list[str]:
    """The short form of a name that coordinates two compounds ending in one head word: the first
    part with the head ("Klima- og miljødepartementet" -> "Klimadepartementet", "Helse- og
    omsorgskomiteen" -> "Helsekomiteen")."""
    m = SHORT_COMPOUND.match(name)
    return [m[1] + m[2]] if m else []


def key(s: str) -> str:
    """Comparison key: NFKC, casefolded, whitespace collapsed, surrounding punctuation and a
    possessive apostrophe-s stripped, a leading English article dropped."""
    s = unicodedata.normalize("NFKC", s)
    s = re.sub(r"\s+", " ", s).strip(" \t\"'«»“”‘’.,;:()[]-–—•")
    s = GENITIVE.sub("", s)
    s = s.casefold()
    for article in ARTICLES:
        if s.startswith(article + " "):
            return s[len(article) + 1 :]
    return s


def keys(s: str) -> list[str]:
    """The key, the key without a genitive -s ("Innovasjon Norges", "Forskningsrådets") and
    without a legal-form suffix ("Nammo AS")."""
    k = key(s)
    out = [k]
    if k.endswith("s") and not k.endswith("ss") and len(k) > 3:
        out.append(k[:-1])
    head = without_legal_form(k)
    if head:
        out.append(head)
    group = GROUP_SUFFIX.sub("", k)
    if group != k:
        out.append(group)  # "Varner-gruppen" is Varner
    return out


def without_legal_form(k: str) -> str | None:
    """A key without its legal forms ("foxconn co., ltd" -> "foxconn"), or None when it has none."""
    m = LEGAL_TAIL.search(k)
    return k[: m.start()] if m and m.start() > 0 else None


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
# one or more legal forms at the end of a key, after a space, comma or "&"
LEGAL_TAIL = re.compile(rf"(?:[\s,&]+(?:{'|'.join(re.escape(f) for f in sorted(LEGAL_FORMS, key=len, reverse=True))})\.?)+$")
PLACES = _casefold_set("places")
FIRST_NAMES = {s for s in RULES["first_names"]}
LEADING_STRIP = set(RULES["leading_strip"])
CONNECTORS = set(RULES["name_connectors"])


def _words(name: str) -> str:
    return "|".join(re.escape(w) for w in RULES[name])


# Rules whose evidence (a head word or legal form in the name itself) outweighs a model's
# PER/LOC reading of the same words ("NCE Heidner Biocluster" tagged PERSON).
STRONG_RULES = {"head_suffix", "name_head", "name_head_joined", "lower_head", "prefix_head", "legal_form", "company_noun", "role",
                "state_body", "nation_body", "group_name", "place_lower_head"}
LOWER_HEADS = set(RULES["lower_heads"])
HEAD_WORDS = {h.casefold() for h in RULES["name_heads"] + RULES["reference_heads"]}
PLACE_PREPOSITIONS = set(RULES["place_prepositions"])
ADDRESS_CUES = set(RULES["address_cues"])
CAPITALISING_TOKENS = set(RULES["capitalising_tokens"])
COORDINATORS = set(RULES["coordinators"])
HEAD_SUFFIX = re.compile(rf"(?:{_words('head_suffixes')})s?$")
HEAD_OR_LOWER_HEAD_END = re.compile(rf"(?:{_words('head_suffixes')}|{_words('lower_heads')})s?$")
NER_REJECT_AFTER = set(RULES["ner_reject_after"])
GROUP_SUFFIX = re.compile(rf"-(?:{_words('group_suffixes')})$")
COMPANY_NOUN = re.compile(rf"(?:{_words('company_nouns')})$")  # the end of a word that says "a company" ("firm", "selskapet")
SHORT_COMPOUND = re.compile(rf"^([{CAP}]\w+)- (?:{_words('coordinators')}) [a-zæøå]\w*?({_words('head_suffixes')})$", re.IGNORECASE)
NOT_ORG_ENDINGS = re.compile(rf"(?:{_words('not_org_endings')})$")
ROMAN_OR_LETTER = re.compile(r"^(?:[IVX]+|[A-ZÆØÅ])$")
ZIPF = RULES["word_frequency"]


def zipf(word: str, lang: str) -> float:
    """How common a word is in the language (wordfreq's Zipf scale: 3 is once per million words):
    Norwegian for nb and nn (wordfreq's "nb"), English for en."""
    return _zipf(word.casefold(), "en" if lang == "en" else "nb")


@lru_cache(maxsize=65536)
def _zipf(word: str, lang: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, lang)


def rare_word(word: str) -> bool:
    """Not a common word in Norwegian or English: a name ("Visma", "Northzone", "Meltwater")."""
    return max(zipf(word, "nb"), zipf(word, "en")) < ZIPF["rare_below"]


