"""Resolution: mentions grouped into organisations (links, short forms, shared keys), one
canonical name with its aliases, and a second pass that finds every other mention of an
organisation once the document has named it."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.document import AnalysedDocument
from pipeline.extract.organisations.candidates import (
    PRIORITY, _candidates, _Covered, Mention, _select, _sentence, _span_at,
)
from pipeline.extract.organisations.data import (
    AFTER_ARTICLE, ARTICLES, CONNECTORS, GENITIVE, GROUP_SUFFIX, HEAD_WORDS, WEAK_MAX, Entry,
    key, keys, lookup, short_compound, without_legal_form,
)
from pipeline.extract.organisations.document_rules import _coordinated, _links


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
    "The Life Science Cluster", "Klimadepartementet" -> "Klima- og miljødepartementet": a group
    whose every form is a short form of exactly one other group's form joins that group; so does
    one that is another's name and a head word ("Startuplab Ventures" -> "Startuplab"). The
    groups are tried in order and the scan starts again after each merge; which form is a short
    form of which is worked out once (a long document has hundreds of forms)."""
    forms = [{key(m.text) for m in grp} for grp in groups]
    every = {o: (_initials(o), short_compound(o)) for o in set().union(*forms)}
    short_of = {f: [o for o, (initials, compounds) in every.items() if f != o and _is_short_form(f, o, initials, compounds)]
                for f in every}
    changed = True
    while changed:
        changed = False
        holders: dict[str, set[int]] = {}
        for gj, fs in enumerate(forms):
            for o in fs:
                holders.setdefault(o, set()).add(gj)
        for gi, grp in enumerate(groups):
            if any(m.entry for m in grp):
                continue
            targets = {gj for f in forms[gi] for o in short_of[f] for gj in holders[o]} - {gi}
            if len(targets) == 1:
                gj = targets.pop()
                groups[gj].extend(grp)
                forms[gj] |= forms[gi]
                del groups[gi], forms[gi]
                changed = True
                break
    return groups


def _is_short_form(f: str, o: str, initials: str, compounds: list[str]) -> bool:
    """Form `f` is a short form of form `o` ("insider" of "insider group", "nht" of "norway health
    tech", "commission" of "european commission", "klimadepartementet" of "klima- og
    miljødepartementet", "startuplab ventures" of "startuplab"); `initials` and `compounds` are
    `_initials(o)` and `short_compound(o)`."""
    return (o.startswith(f + " ") or initials == f and len(f) >= 3
            or " " not in f and o.endswith(" " + f) and f in HEAD_WORDS
            or f in compounds
            or f.startswith(o + " ") and f[len(o) + 1 :] in HEAD_WORDS)


def _initials(k: str) -> str:
    words = [w for w in k.split() if w not in CONNECTORS]
    return "".join(w[0] for w in words) if len(words) >= 2 else ""


def _clean_form(text: str) -> str:
    text = GENITIVE.sub("", re.sub(r"\s+", " ", text).strip(" .,;:()«»\"'"))
    for article in ARTICLES:
        if text.startswith(article + " "):
            return text[len(article) + 1 :]
    return text


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
        for m in re.finditer(rf"{AFTER_ARTICLE}{re.escape(head)}(?![\w-])", text):
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
            head = without_legal_form(f.casefold()) or GROUP_SUFFIX.sub("", f.casefold())
            if len(head) >= 3:
                forms.add(f[: len(head)])  # "Hyvolution AS" is also "Hyvolution", "Varner-gruppen" "Varner"
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


def _extend_to_longer_names(document: AnalysedDocument, cands: list[Mention]) -> None:
    """A name the model found inside a longer name the document uses elsewhere is that name
    ("Sea" where the text says "Nova Sea", "Gruber" of "Rana Gruber")."""
    text = document.text
    by_word: dict[str, set[str]] = {}
    for m in cands:
        if " " in m.text:
            for w in m.text.split():
                by_word.setdefault(w, set()).add(m.text)
    for m in cands:
        if m.priority < PRIORITY["coord"] or not m.text.split():
            continue
        for form in sorted(by_word.get(m.text.split()[0], ()), key=len, reverse=True):
            at = form.find(m.text)
            while at >= 0 and len(form) > len(m.text):
                start = m.start - at
                if start >= 0 and text.startswith(form, start) and not re.match(r"\w", text[start + len(form) : start + len(form) + 1]):
                    m.start, m.end, m.text = start, start + len(form), form
                    m.entry = m.entry or lookup(form)
                    break
                at = form.find(m.text, at + 1)
            if len(m.text) > len(form) or m.text == form:
                break


def resolve(document: AnalysedDocument) -> list[Organisation]:
    """Group the document's mentions into organisations."""
    cands = _select(_candidates(document))
    _extend_to_longer_names(document, cands)
    cands = _select(cands)
    new, links = _links(document, cands)
    cands = _select(cands + new)
    coordinated, dropped = _coordinated(document, cands)
    dropped_ids = {id(m) for m in dropped}
    cands = _select([m for m in cands if id(m) not in dropped_ids] + coordinated)
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


