"""What targets and actions share: walking cue sentences, building rows with provenance,
finding who speaks (quote attribution, the subject before a cue, the document's author) and
the year a document was written in (to tell a deadline from a past year)."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

from spacy.tokens import Doc, Span

from pipeline import lang as language_data
from pipeline.clean import Segment
from pipeline.document import AnalysedDocument
from pipeline.extract.common import clauses
from pipeline.extract.common.alternation import alternation
from pipeline.extract.common.cues import dependency_cues
from pipeline.extract.common.rows import sentence_of
from pipeline.extract.common.years import YEAR_WORD


def _alt(key: str) -> str:
    return alternation(language_data.union("dates", key), space=r"\s+", ignorecase=True)


@lru_cache(maxsize=1)
def deadline_before() -> re.Pattern:
    """What stands before a deadline year ("innen utgangen av", "by the end of")."""
    end_of = rf"(?:{_alt('deadline_end_words')})\s+(?:{_alt('deadline_of')})"
    return re.compile(rf"\b(?:(?:{_alt('deadline_words')})(?:\s+{end_of})?|(?:{_alt('deadline_period_words')})\s+{end_of})\s+$",
                      re.I)


@lru_cache(maxsize=1)
def _auxiliaries() -> frozenset[str]:
    return frozenset(language_data.union("clauses", "auxiliaries"))


@lru_cache(maxsize=1)
def _determiners() -> frozenset[str]:
    return frozenset(language_data.union("clauses", "determiners"))


@dataclass
class CueSentence:
    offset: int  # of the Doc in the cleaned text
    seg: Segment
    doc: Doc
    sent: Span
    cues: list[Span]

    @property
    def lang(self) -> str:
        return self.seg.lang or "nb"


_SENTENCE_END = re.compile(r"[.!?:;…]$")


def _ends_sentence(tok) -> bool:
    """A token after which a new sentence may start: final punctuation or a line break."""
    return bool(_SENTENCE_END.search(tok.text)) or "\n" in tok.whitespace_ or tok.is_space


def statement_sentence(span: Span) -> Span:
    """The sentence holding `span`, where a parser's sentence boundaries that do not follow
    final punctuation or a line break are ignored ("... innen | 2030." is one sentence): a
    parser may cut a sentence before its deadline year or after a comma; the sentencizer does not."""
    sent = sentence_of(span)
    doc = span.doc
    start, end = sent.start, sent.end
    if doc.has_annotation("DEP"):
        while start > 0 and not _ends_sentence(doc[start - 1]):
            start = doc[start - 1].sent.start
        while end < len(doc) and not _ends_sentence(doc[end - 1]):
            end = doc[end].sent.end
    # "... innen 2030. I 2024 ble ...": the Norwegian tokenizer reads "2030." as an ordinal, and
    # neither parser nor sentencizer ends the sentence there; a year with its full stop before a
    # capitalised word does
    for i in range(span.start, start, -1):
        if _year_end(doc, i - 1):
            start = i
            break
    for j in range(span.end - 1, end - 1):
        if _year_end(doc, j):
            end = j + 1
            break
    return doc[start:end]


def _year_end(doc: Doc, i: int) -> bool:
    """Token `i` is a year with the sentence's full stop ("2030.") and a capitalised word follows."""
    return i + 1 < len(doc) and bool(_YEAR_STOP.fullmatch(doc[i].text)) and doc[i + 1].is_title


_YEAR_STOP = re.compile(r"(?:19|20)\d\d\.")


def cue_sentences(document: AnalysedDocument, key: str, order: dict[str, int],
                  theme: str | None = None) -> Iterator[CueSentence]:
    """Every sentence holding at least one cue span under `doc.spans[key]` (and, on a parsed Doc,
    a match of the `theme`'s dependency patterns), cues in text order (cues over the same words
    in the `order` of their pattern names)."""
    for offset, seg, doc in document.parts:
        found = list(doc.spans[key]) if key in doc.spans else []
        if theme is not None:
            found += dependency_cues(doc, seg.lang, theme)
        if not found:
            continue
        by_sent: dict[int, list[Span]] = {}
        sents: dict[int, Span] = {}
        for cue in sorted(found, key=lambda s: (s.start, -s.end, order.get(s.label_, len(order)))):
            if any(_year_end(doc, i) for i in range(cue.start, cue.end - 1)):
                continue  # "innen 2030. I 2024": across the end of a sentence
            sent = statement_sentence(cue)
            by_sent.setdefault(sent.start, []).append(cue)
            sents[sent.start] = sent
        for start in sorted(by_sent):
            yield CueSentence(offset, seg, doc, sents[start], by_sent[start])


def clause_at(text: str, pos: int, parts: list[clauses.Clause]) -> int:
    """Index of the clause of `parts` that holds the character `pos` of `text`."""
    for i, c in enumerate(parts):
        if c.start <= pos < c.end:
            return i
    best = 0
    for i, c in enumerate(parts):
        if c.start <= pos:
            best = i
    return best


@lru_cache(maxsize=1)
def _from_rules() -> list[re.Pattern]:
    """A year a rule starts from ("Fra 2025 skal alle ..."): a deadline, not the document's year."""
    return [re.compile(r, re.I) for r in language_data.union("targets", "from_rule")]


def document_year(document: AnalysedDocument) -> int | None:
    """The year the document was written: the year of its publication date (`published`, found
    by metadata.published_date when it was read), else the year mentioned most often (ties: the
    earlier), not counting deadlines ("innen 2030", "by 2026"). None when the text names no year."""
    if document.published:
        return document.published.year
    rules = {m.start(1) for rx in _from_rules() for m in rx.finditer(document.text)}
    years = Counter(int(m.group(1)) for m in YEAR_WORD.finditer(document.text)
                    if not deadline_before().search(document.text, max(0, m.start() - 30), m.start())
                    and m.start() not in rules)
    if not years:
        return None
    top = max(years.values())
    return min(y for y, n in years.items() if n == top)


_LIST_JOIN = re.compile(r"\s*(?:,|,?\s+(?:og|and|&)\b)\s*")


def document_author(document: AnalysedDocument, orgs: list[dict] | None = None) -> str | None:
    """The organisation that wrote the document, when it names it near the top (a title page or
    byline): the first of the organisations of `orgs` found in the first 400 characters, with the
    ones listed right after it ("Siva og Innovasjon Norge", "A, B, and C have jointly submitted"):
    one actor, never every organisation the top names."""
    if not orgs:
        return None
    head = document.text[:400]
    low = head.casefold()
    found = []  # (start, end, name) of each organisation's first mention
    for o in orgs:
        forms = [f for f in [o.get("name") or "", *(o.get("aliases") or [])] if len(f) > 2]
        spans = [(p, p + len(f)) for f in forms if (p := low.find(f.casefold())) >= 0]
        if spans:
            first = min(spans)
            found.append((first[0], max(e for s, e in spans if s == first[0]), o["name"]))
    if not found:
        return None
    found.sort()
    by = _authored_by()
    first = next((i for i, (s, _, _) in enumerate(found) if by.search(head, 0, s)), 0)  # "written by X": X wrote it
    found = found[first:]
    names, end = [found[0][2]], found[0][1]
    for s, e, name in found[1:]:
        if s < end or not _LIST_JOIN.fullmatch(head[end:s]):
            break
        names.append(name)
        end = e
    return ", ".join(names)


@lru_cache(maxsize=1)
def _authored_by() -> re.Pattern:
    """The words before the organisation that wrote a document ("written by", "utarbeidet av"),
    clauses.yaml `authored_by`, ending where the name starts."""
    words = "|".join(r"\s+".join(map(re.escape, w.split())) for w in language_data.union("clauses", "authored_by"))
    return re.compile(rf"\b(?:{words or '(?!)'})\s+(?:(?:the|det|den)\s+)?$", re.I)


def document_byline(document: AnalysedDocument) -> str | None:
    """The person a byline near the top names ("Av Kari Holm, forsker ved ...", "By Ingrid
    Solberg, CEO of ..."): who "jeg"/"I" is in the text."""
    m = _byline().search(document.text[:400])
    return m.group(1) if m else None


@lru_cache(maxsize=1)
def _byline() -> re.Pattern:
    words = "|".join(map(re.escape, language_data.union("clauses", "byline_words"))) or "(?!)"
    return re.compile(rf"(?m)^\s*(?:{words})\s+((?:[A-ZÆØÅ][\w.-]+)(?:\s+[A-ZÆØÅ][\w.-]+){{1,3}})\s*(?:,|$)")


def is_first_person_singular(word: str | None) -> bool:
    return word is not None and word.strip() in _first_singular()


@lru_cache(maxsize=1)
def _first_singular() -> frozenset[str]:
    return frozenset(language_data.union("clauses", "first_person_singular"))


def org_token_ids(doc: Doc) -> set[int]:
    """Indices of tokens inside an organisation mention (model entities or our ruler)."""
    from pipeline.extract.organisations import SPANS_KEY as ORG_KEY

    ids: set[int] = set()
    for ent in doc.ents:
        if ent.label_ in ("ORG", "GPE_ORG", "ORGANIZATION"):
            ids.update(range(ent.start, ent.end))
    for span in doc.spans.get(ORG_KEY, []):
        ids.update(range(span.start, span.end))
    return ids


def phrase_before(doc: Doc, start: int, stop: int, skip: set[str], max_tokens: int = 6) -> str | None:
    """The noun phrase that ends right before token `stop`, at most `max_tokens` long, from the
    clause starting at token `start`: the subject of a cue verb ("Virkemiddelapparatet anbefaler")."""
    toks = [t for t in doc[start:stop] if not t.is_punct]
    while toks and toks[0].lower_ in skip:
        toks = toks[1:]
    while toks and (toks[-1].lower_ in skip or toks[-1].lower_ in _auxiliaries()):
        toks = toks[:-1]
    if not toks or len(toks) > max_tokens:
        return None
    return doc[toks[0].i : toks[-1].i + 1].text


@lru_cache(maxsize=1)
def _deps() -> dict[str, frozenset[str]]:
    keys = ("subject_deps", "passive_subject_deps", "expletive_deps", "verb_chain", "pronouns", "actor_nouns")
    return {k: frozenset(language_data.union("clauses", k)) for k in keys}


def subject_token(tok, passive: bool = False):
    """With a dependency parse: the head of the subject of the clause `tok` belongs to (for a
    modal, auxiliary or infinitive, the subject of the verb chain it is part of); an expletive
    "det"/"it" counts as none. None without a parse or a subject."""
    if not tok.doc.has_annotation("DEP"):
        return None
    deps = _deps()
    verb = tok
    for _ in range(4):
        for child in verb.children:
            if child.dep_ in deps["expletive_deps"]:
                return None
            if child.dep_ in deps["subject_deps"] or (passive and child.dep_ in deps["passive_subject_deps"]):
                return child
        if verb.dep_ not in deps["verb_chain"] or verb.head is verb:
            return None
        verb = verb.head
    return None


def is_pronoun(phrase: str | None) -> bool:
    """A phrase that names nobody by itself ("De", "they", "dette")."""
    return phrase is not None and phrase.lower() in _deps()["pronouns"]


def dep_subject(tok, passive: bool = False) -> str | None:
    """With a dependency parse: the subject of the clause `tok` belongs to (see
    `subject_token`), without leading determiners. `passive` also accepts a passive subject."""
    child = subject_token(tok, passive)
    return None if child is None else _phrase(child)


def outer_subject(tok, names=None) -> str | None:
    """With a dependency parse: the subject, naming someone (by default a noun or name; else
    tokens `names` accepts), of the outermost clause that holds `tok` ("Norway aims to cut ...";
    "Solberg said the industry will cut ..." -> Solberg). None without a parse or such a subject."""
    names = names or (lambda t: t.pos_ in ("NOUN", "PROPN"))
    found, seen = None, set()
    while tok is not None and tok.i not in seen:
        seen.add(tok.i)
        child = subject_token(tok, passive=True)
        if child is not None and names(child) and not _is_label(child):
            found = child
        tok = tok.head if tok.head is not tok else None
    return None if found is None else _phrase(found)


_NAMED = ("PER", "PERSON", "GPE", "GPE_ORG", "GPE_LOC", "ORG", "NORP")


def names_someone(tok, orgs: set[int]) -> bool:
    """The token names a person, organisation or country (the model's entities, `orgs`:
    organisation token ids) or is an actor noun ("regjeringen", clauses.yaml)."""
    return tok.ent_type_ in _NAMED or tok.i in orgs or tok.lower_ in _deps()["actor_nouns"]


def named_subject(tok, orgs: set[int]) -> str | None:
    """`outer_subject` among subjects that name someone (`names_someone`)."""
    return outer_subject(tok, lambda t: names_someone(t, orgs))


def _is_label(tok) -> bool:
    """`tok` heads a "Label:" before a list item's text ("Health Data: Create ...")."""
    return any(t.text == ":" for t in tok.doc[tok.i + 1 : tok.right_edge.i + 2])


def sentence_actor(sent: Span, orgs: set[int]) -> str | None:
    """Who a sentence names as its subject, when it names someone: with a parse, the named
    subject of its main verb; without, an actor noun ("Regjeringen", "the government") among its
    first words, or an organisation opening it."""
    if sent.doc.has_annotation("DEP"):
        return named_subject(sent.root, orgs)
    nouns = _deps()["actor_nouns"]
    toks = [t for t in sent if not t.is_punct and t.lower_ not in _determiners()]
    if not toks:
        return None
    noun = next((t for t in toks[:6] if t.lower_ in nouns), None)  # also inverted: "I år lanserte regjeringen ..."
    if noun is not None:
        return noun.text
    first = toks[0]
    if first.i in orgs:
        end = first.i
        while end + 1 < sent.end and end + 1 in orgs:
            end += 1
        return sent.doc[first.i : end + 1].text
    return None


def lead_actor(doc: Doc) -> str | None:
    """Who announces a list in the lead-in sentence ending `doc` ("Rapporten oppsummeres med
    strategiske tiltak:", "Regjeringen foreslår disse tiltakene:"): its named subject, or an
    opening word that stands for the author ("Rapporten", "The report")."""
    sent = list(doc.sents)[-1] if doc.has_annotation("SENT_START") else doc[:]
    actor = sentence_actor(sent, org_token_ids(doc))
    if actor:
        return actor
    first = first_word(sent)
    if first is None:
        return None
    if first.lower_ in _author_words():
        return first.text
    nxt = sent.doc[first.i + 1] if first.i + 1 < sent.end else None
    if nxt is not None and nxt.lower_ in _lead_verbs():  # "Utvalget anbefaler følgende tiltak:"
        return first.text
    return None


def first_word(sent: Span):
    """The sentence's first word that is not a determiner ("Utvalget" in "– Det nye utvalget ..."), or None."""
    return next((t for t in sent if t.is_alpha and t.lower_ not in _determiners()), None)


@lru_cache(maxsize=1)
def _lead_verbs() -> frozenset[str]:
    """The verbs of a lead-in that announce measures ("anbefaler", "recommends"): actions.yaml `cue_lemmas`."""
    return frozenset(language_data.merged("actions", "cue_lemmas"))


@lru_cache(maxsize=1)
def _author_words() -> frozenset[str]:
    return frozenset(language_data.union("actions", "author_words") + language_data.union("targets", "author_words"))


def list_leads(document: AnalysedDocument) -> dict[int, str]:
    """The lead-in actor (`lead_actor`) of every list item whose list a lead-in sentence ending
    in ":" announces, by the item's offset in the cleaned text."""
    out, lead = {}, None
    for offset, seg, doc in document.parts:
        if seg.kind == "list_item":
            if lead:
                out[offset] = lead
            continue
        lead = lead_actor(doc) if doc.text.rstrip().endswith(":") else None
    return out


def actor_trail(document: AnalysedDocument) -> list[tuple[int, str]]:
    """(position in the cleaned text, actor) of every sentence that names its subject
    (`sentence_actor`), in text order: who was named last before a passive or a bare goal."""
    trail = []
    for offset, _, doc in document.parts:
        orgs = org_token_ids(doc)
        sents = doc.sents if doc.has_annotation("SENT_START") else [doc[:]]
        for sent in sents:
            actor = sentence_actor(sent, orgs)
            if actor:
                trail.append((offset + sent.start_char, actor))
    return trail


def actor_before(trail: list[tuple[int, str]], pos: int) -> str | None:
    """The actor the trail names last before the position `pos` (see `actor_trail`)."""
    found = None
    for p, actor in trail:
        if p >= pos:
            break
        found = actor
    return found


def _phrase(child) -> str | None:
    """The words of the subject headed by `child`, without leading determiners; a person's name
    without the title before it ("Environment Minister Sveinung Rotevatn" -> Sveinung Rotevatn)."""
    doc = child.doc
    person = next((e for e in doc.ents if e.start <= child.i < e.end and e.label_ in ("PER", "PERSON")), None)
    if person is not None:
        return person.text
    toks = [t for t in doc[child.left_edge.i : child.right_edge.i + 1]]
    if len(toks) > 8:  # a long phrase: the words up to its head noun
        toks = list(doc[child.left_edge.i : child.i + 1])
    while toks and (toks[0].lower_ in _determiners() or toks[0].is_punct):
        toks = toks[1:]
    while toks and toks[-1].is_punct and toks[-1].text != ")":
        toks = toks[:-1]
    if toks and len(toks) <= 8:
        return doc[toks[0].i : toks[-1].i + 1].text
    return None


def dep_complement_subject(tok) -> str | None:
    """With a dependency parse: the subject of the clause a cue verb introduces ("recommends
    that the government develops ..." -> "government")."""
    if not tok.doc.has_annotation("DEP"):
        return None
    for child in tok.children:
        if child.dep_ in ("ccomp", "xcomp") and child.pos_ in ("VERB", "AUX"):
            return dep_subject(child, passive=True)
    return None


@lru_cache(maxsize=1)
def _anaphors() -> dict[str, str]:
    """Nouns that stand for an organisation named before ("Selskapet", "the company") -> the stem
    that names its kind (clauses.yaml `anaphors`)."""
    return language_data.merged("clauses", "anaphors")


@lru_cache(maxsize=1)
def _unnamed_kinds() -> frozenset[str]:
    """Kinds an organisation's name seldom says ("Havfrakt AS" is a company): clauses.yaml
    `unnamed_kinds`. For these, "Selskapet" may stand for the last organisation named as a subject."""
    return frozenset(language_data.union("clauses", "unnamed_kinds"))


def is_anaphor(word: str) -> bool:
    """A noun that stands for an organisation named before ("Selskapet", "the company")."""
    return _anaphor_kind(word) is not None


def _anaphor_kind(word: str) -> str | None:
    """The kind ("selskap", "company") that an anaphor stands for, None for other words."""
    return _anaphors().get(re.sub(r"^the\s+", "", word.strip().casefold()))


_JOINERS = frozenset({"og", "and", "&", "samt"})
_NUMBERING = re.compile(r"^\(?\d{1,2}[.)]\s+")


def _names_kind(form: str, stem: str) -> bool:
    """An organisation's name says it is of the kind `stem` ("Bergen kommune", "Miljødirektoratet";
    not "Vestland fylkeskommune" for "kommune": that is a kind of its own)."""
    if re.search(rf"\b{re.escape(stem)}", form):
        return True
    longer = [k for k in _anaphors().values() if k != stem and k.endswith(stem) and k in form]
    return bool(re.search(rf"{re.escape(stem)}\w*$", form)) and not longer


def resolve_actor(actor: str | None, pos: int, text: str, orgs: list[dict] | None,
                  trail: list[tuple[int, str]]) -> str | None:
    """The organisation an actor cell stands for, as the text names it: a noun that refers back
    ("Selskapet", "Organisasjonen", "the company") is the organisation of that kind named last
    before `pos` (one whose name holds the kind, "Bergen kommune"; one introduced by it,
    "bedriften Nova Sea", "Miljøorganisasjonen Grønn Kyst"; else the last subject that named an
    organisation); a phrase around one organisation ("Rederiet Havfrakt AS i Tromsø") is that
    organisation. Other actors stay as they are."""
    if actor:
        actor = _NUMBERING.sub("", actor) or actor  # "1. Abelia støtter ...": the item's number is no part of it
    if not actor or not orgs:
        return actor
    forms = _forms(tuple((o.get("name") or "", tuple(o.get("aliases") or ())) for o in orgs))
    stem = _anaphor_kind(actor)
    if stem is not None:
        last = _last_before(_mentions(text, forms, stem), pos)
        if last is not None:
            return last
        if stem not in _unnamed_kinds():
            return actor  # "The municipality has asked ...": no municipality named before, none guessed
        for p, named in reversed([t for t in trail if t[0] < pos]):
            inside = next((f for f in forms if _name_rx(f).search(named)), None)
            if inside:
                return inside
        # no parse: the organisation that opened a sentence last ("Rederiet Nordlys AS planlegger ...")
        return _last_before(_mentions(text, forms, None), pos) or actor
    inside = [(m, f) for f in forms if (m := _name_rx(f).search(actor))]
    if not inside or any(f.casefold() not in inside[0][1].casefold() for _, f in inside):
        return actor  # no organisation, or several (a joint actor)
    m, form = inside[0]
    before, after = actor[: m.start()].split(), actor[m.end():].split()
    if any(w.casefold().strip(",") in _JOINERS or w.endswith(",") for w in before):
        return actor  # a joint actor ("Regjeringen og Venstre")
    kind = not before or before[-1].islower() or any(k in before[-1].casefold() for k in _anaphors().values()) \
        or bool(re.fullmatch(r"\w+-[a-z]+", before[-1]))  # "Oslo-listed Hydra Grid ASA"
    place = not after or after[0].casefold() in _prepositions()
    return m.group(0) if kind and place else actor  # "Rederiet Havfrakt AS i Tromsø", not "Sintef Analyse"


# A document's organisation forms and their patterns are worked out once, not for every actor
# (a long report has hundreds of forms and hundreds of actors).
@lru_cache(maxsize=16)
def _forms(names: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[str, ...]:
    """The names and aliases of a document's organisations (longer than two characters), longest first."""
    return tuple(sorted({f for name, aliases in names for f in (name, *aliases) if len(f) > 2}, key=len, reverse=True))


@lru_cache(maxsize=16)
def _mentions(text: str, forms: tuple[str, ...], stem: str | None) -> list[tuple[int, int, int, str]]:
    """(start, end, rank, form) of every mention in `text` of each form (rank: its place in
    `forms`) that an anaphor of kind `stem` can stand for (`_anaphor_rx`), or, for None, of each
    form opening a sentence (`_opening_rx`, start of the name itself). The patterns are tried only
    where a plain search of the lower-cased text finds the form or the kind's word: a long report
    has hundreds of forms, and a scan of the whole text for each is what made long documents slow."""
    if stem is None:
        return [(m.start(1), m.end(), i, f) for i, f in enumerate(forms) for m in _opening_rx(f).finditer(text)]
    low = text.lower()
    if len(low) != len(text):  # a letter whose lower case is longer ("İ"): plain positions would shift
        return [(m.start(), m.end(), i, f) for i, f in enumerate(forms) for m in _anaphor_rx(f, stem).finditer(text)]
    kind_words = sorted({_word_start(text, i) for i in _find_all(low, stem.lower())})
    out = []
    for rank, f in enumerate(forms):
        rx = _anaphor_rx(f, stem)
        end = 0  # as finditer: matches do not overlap
        for start in _find_all(low, f.lower()) if _names_kind(f.casefold(), stem) else kind_words:
            if start >= end and (m := rx.match(text, start)):
                out.append((m.start(), m.end(), rank, f))
                end = m.end()
    return out


def _find_all(haystack: str, needle: str):
    """Every position of `needle` in `haystack`, overlapping ones too."""
    i = haystack.find(needle)
    while i >= 0:
        yield i
        i = haystack.find(needle, i + 1)


_WORD_CHAR = re.compile(r"\w")


def _word_start(text: str, i: int) -> int:
    while i > 0 and _WORD_CHAR.match(text, i - 1):
        i -= 1
    return i


def _last_before(mentions: list[tuple[int, int, int, str]], pos: int) -> str | None:
    """The form of the mention that starts last among those that end by `pos` (on a tie, the
    longer form: the earlier in `forms`)."""
    before = [(start, -rank, form) for start, end, rank, form in mentions if end <= pos]
    return max(before)[2] if before else None


@lru_cache(maxsize=8192)
def _name_rx(form: str) -> re.Pattern:
    return re.compile(rf"\b{re.escape(form)}\b", re.I)


@lru_cache(maxsize=8192)
def _anaphor_rx(form: str, stem: str) -> re.Pattern:
    """The form as a mention the anaphor of kind `stem` can stand for: the name itself when it says
    the kind ("Bergen kommune"), else the name introduced by a word of that kind ("bedriften Nova Sea")."""
    if _names_kind(form.casefold(), stem):
        return _name_rx(form)
    return re.compile(rf"\b\w*{re.escape(stem)}\w*\s+{re.escape(form)}\b", re.I)


@lru_cache(maxsize=8192)
def _opening_rx(form: str) -> re.Pattern:
    """The form opening a sentence, perhaps after one word ("Rederiet Nordlys AS planlegger ...")."""
    return re.compile(rf"(?:^|[.!?:]\s+|\n\s*)(?:\w+\s+)?({re.escape(form)})\b")


@lru_cache(maxsize=1)
def _prepositions() -> frozenset[str]:
    return frozenset(str(w) for w in language_data.union("actions", "prepositions"))
