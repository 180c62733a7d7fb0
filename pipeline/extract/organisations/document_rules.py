"""Document rules: acronym definitions ("Norges forskningsråd (NFR)"), aliases in
parentheses, and coordinated names ("Siva, Innovasjon Norge og Forskningsrådet")."""
from __future__ import annotations

import re

from pipeline.document import AnalysedDocument
from pipeline.extract.organisations.candidates import (
    LIST_CUE, PRIORITY, _ent_spans, _is_person, _lower_words, _mention, Mention, _part_at,
    plausible, _span_at, _strip_leading, _surnames,
)
from pipeline.extract.organisations.data import (
    CAP, COMPANY_NOUN, CONNECTORS, COORDINATORS, HEAD_OR_LOWER_HEAD_END, LEADING_STRIP, NOT_ORG_ENDINGS,
    PLACES, RULES, STOP, key, keys, lookup, rare_word,
)
from pipeline.extract.organisations.ruler import _is_name_token


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
            if (len(inner) == 1 and ACRONYM.match(inner.text) and sum(c.isupper() for c in inner.text) >= 2
                    and (owner is None or not _acronym_fits(inner.text, owner.text) and lookup(inner.text) is None)):
                # no name before the acronym, or one it does not spell: "Gas Association (NOG)" is the
                # end of "Norwegian Oil and Gas Association (NOG)"
                defined = _defined_name(document, offset, doc, tok.i, inner.text, persons)
                if defined is not None and (owner is None or defined.start < owner.start):
                    owner = defined
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
        if entry is None and any(NOT_ORG_ENDINGS.search(t.lower_) for t in content):
            return None  # "Emissions Trading System (ETS)": a programme, not an organisation
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


def _list_items(doc) -> list[tuple[int, int, list]]:
    """Runs of names joined by commas and "og"/"and"/"&" ("Siva, Innovasjon Norge og
    Forskningsrådet"): (start token, end token, the names as Spans)."""
    out = []
    i, n = 0, len(doc)
    while i < n:
        items, j = [], i
        while j < n:
            if not _is_name_token(doc[j]):
                break
            k = j
            while k < n and (_is_name_token(doc[k]) or (doc[k].lower_ in CONNECTORS - COORDINATORS and k + 1 < n and _is_name_token(doc[k + 1]))):
                k += 1
            items.append(doc[j:k])
            if k + 2 < n and doc[k].text == "(" and doc[k + 2].text == ")":
                k += 3
            if k < n and doc[k].text == "," and k + 1 < n and doc[k + 1].lower_ in COORDINATORS:
                k += 2
            elif k < n and (doc[k].text == "," or doc[k].lower_ in COORDINATORS | {"&"}):
                k += 1
            else:
                break
            j = k
        if len(items) >= 2:
            out.append((i, j, items))
        i = max(j, i + 1)
    return out


def _coordinated(document: AnalysedDocument, mentions: list[Mention]) -> tuple[list[Mention], list[Mention]]:
    """Names listed together with organisations are organisations: "Siemens Project Ventures og
    ABB", "Fortum Oslo Varme (FOV) and Norcem", "Northzone, Kahoot, Visma and Meltwater" (Kahoot
    named as a company elsewhere in the document; the others rare words, so names). And the
    converse: a name only the model calls an organisation, in a list of three or more where no
    name is known and most are not the model's organisations, is not one ("Troll, Oseberg og
    Hammerfest LNG": oil fields). Returns (new mentions, model mentions to drop). An item right
    before a company noun describes the next name ("PE firm Ferd")."""
    model_found = [m for m in mentions if m.priority > PRIORITY["list"]]
    mentions = [m for m in mentions if m.priority <= PRIORITY["list"]]  # the model alone is no evidence
    known = {(m.start, m.end) for m in mentions}
    known_keys = {key(m.text) for m in mentions}  # recognised once: known everywhere in the document
    surnames = _surnames(document)  # "Stoltenberg" after "Jens Stoltenberg": a person, also in a list
    out, drop = [], []
    for offset, seg, doc in document.parts:
        for i, j, items in _list_items(doc):
            spans = [_strip_leading(s) if s.start == i and s[0].text in LEADING_STRIP else s for s in items]
            spans = [s for s in spans if s is not None and not (s.end < len(doc) and COMPANY_NOUN.search(doc[s.end].lower_))]
            if len(spans) < 2:
                continue
            # an item is known when a found name covers it or ends it ("Investorene Siemens Project Ventures")
            is_known = [(offset + s.start_char, offset + s.end_char) in known or key(s.text) in known_keys or
                        any(m.start <= offset + s.start_char and offset + s.end_char <= m.end or
                            m.end == offset + s.end_char and m.start >= offset + s.start_char for m in mentions)
                        for s in spans]
            by_model = [[m for m in model_found if m.start <= offset + s.start_char and offset + s.end_char <= m.end]
                        for s in spans]
            rare = [all(rare_word(t.text) for t in s if t.is_alpha) and not _is_person(s, ()) for s in spans]
            cue = LIST_CUE.search(doc[max(0, i - 6) : i].text) is not None  # "Our members include ..."
            n_known = sum(is_known)
            n_vouched = sum(bool(k or b or r) for k, b, r in zip(is_known, by_model, rare))
            if n_known >= 1 and (cue or n_vouched * 2 >= len(spans)):
                for s, kn in zip(spans, is_known):
                    # the list outweighs a model's PER/LOC reading
                    if not kn and plausible(s) and s.text not in surnames and not any(NOT_ORG_ENDINGS.search(t.lower_) for t in s):
                        out.append(_mention(offset, s, "rule:coordination", PRIORITY["coord"], lookup(s.text)))
            elif n_known == 0 and len(spans) >= 3 and 2 * sum(bool(b) for b in by_model) < len(spans):
                drop += [m for b in by_model for m in b if m.entry is None]
    return out, drop
