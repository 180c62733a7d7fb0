"""Who proposes an action (the actor) and for whom (the addressee), from the parse where there
is one, else from the words around the cue."""
from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from pipeline.extract.actions.words import (
    _IMPERSONAL,
    _MODAL_FAMILIES,
    _shared,
    modality_of,
    verb_lemma,
)
from pipeline.extract.common.statements import (
    dep_complement_subject,
    dep_subject,
    named_subject,
    names_someone,
    org_token_ids,
    phrase_before,
    subject_token,
)


def _clause_start_token(doc: Doc, sent: Span, cue: Span) -> int:
    """The first token of the cue's clause: after the last comma, semicolon or dash before it."""
    i = cue.start
    while i > sent.start and doc[i - 1].text not in (",", ";", "–", ":"):
        i -= 1
    return i


# --- actor and addressee ------------------------------------------------------------------

def _as_actor(phrase: str | None, lex: dict, author: str | None, speaker: str | None) -> str | None:
    if not phrase:
        return None
    low = phrase.lower()
    if low in lex["author_words"] or low.split()[-1] in lex["author_words"]:
        if low in _shared()["first_person"] and speaker:
            return speaker
        return author or phrase
    return phrase


def _is_passive(doc: Doc, cue: Span) -> bool:
    w = cue[0].lower_
    prev = doc[cue.start - 1].lower_ if cue.start > 0 else ""
    return (w.endswith("s") and modality_of(cue.label_) in ("propose", "recommend") and cue.doc.lang_ != "en") or \
        prev in _shared()["passive"]


def _subject_after(doc: Doc, cue: Span, sent: Span, lex: dict) -> str | None:
    """An inverted subject: "i den sammenhengen må virkemiddelapparatet tilpasses" ->
    "virkemiddelapparatet"."""
    words = []
    for tok in doc[cue.start + 1 : min(sent.end, cue.start + 5)]:
        if tok.is_punct or verb_lemma(tok, lex) or tok.lower_ in lex["actor_skip"] or tok.lower_ in _shared()["not_subjects"]:
            break
        if _shared()["verb_form"].fullmatch(tok.lower_) and words:
            break
        words.append(tok)
    if not words or len(words) > 3:
        return None
    return doc[words[0].i : words[-1].i + 1].text


def _agent_after(doc: Doc, cue: Span, sent: Span, lex: dict) -> str | None:
    """The agent phrase right after a cue ("i oppdrag av Klima- og miljødepartementet å ...")."""
    if cue.end < sent.end and doc[cue.end].lower_ in _shared()["agent_prepositions"]:
        words = []
        for tok in doc[cue.end + 1 : min(sent.end, cue.end + 8)]:
            if tok.lower_ in _shared()["infinitive_markers"] or (tok.is_punct and tok.text != "-"):
                break
            words.append(tok)
        if words:
            return doc[words[0].i : words[-1].i + 1].text
    return None


def _recipient(doc: Doc, cue: Span, sent: Span) -> str | None:
    """A named organisation after "til"/"for"/"to" in the cue's clause: who receives the measure."""
    orgs = org_token_ids(doc)
    stop = cue.end
    while stop < sent.end and doc[stop].text not in (",", ";", "–", ":"):
        stop += 1
    for tok in doc[cue.end : stop - 1]:
        if tok.lower_ in _shared()["recipient_prepositions"]:
            nxt = tok.i + 1
            while nxt < stop and doc[nxt].lower_ in _shared()["determiners"]:
                nxt += 1
            end = nxt
            while end < stop and end in orgs:
                end += 1
            if end > nxt:
                return doc[nxt:end].text
    return None


def actor_and_addressee(doc: Doc, sent: Span, cue: Span, lex: dict, author: str | None,
                        speaker: str | None) -> tuple[str | None, str | None]:
    family = modality_of(cue.label_)
    clause_start = _clause_start_token(doc, sent, cue)
    skip = set(lex["actor_skip"])
    # the parse where there is one (English model), else the words before the cue
    subject = dep_subject(cue[0], passive=modality_of(cue.label_) in _MODAL_FAMILIES)
    own = subject_token(cue[0], passive=modality_of(cue.label_) in _MODAL_FAMILIES)
    if own is not None and own.i < clause_start and doc[clause_start - 1].text == ":":
        subject = None  # "Statsbudsjettet: Regjeringa foreslår ...": a label the parser took for the subject
    if subject is None:
        subject = phrase_before(doc, clause_start, cue.start, skip)
        raw = [t.lower_.lstrip("-–—") for t in doc[clause_start : cue.start] if not t.is_punct]
        while raw and raw[0] in _shared()["conjunctions"]:
            raw = raw[1:]
        if subject and (re.search(r"\d", subject) or (raw and raw[0] in lex["prepositions"])):
            subject = None  # "i den sammenhengen må X ...": the subject follows the modal
    if subject and family == "commit" and (subject.split()[0].lower() in _shared()["indefinites"] or (
            own is not None and any(c.lower_ in _shared()["indefinites"] for c in own.lefts))):
        subject = None  # "Et nytt program skal sikre ...": a thing, whose owner is named before
    if family in _MODAL_FAMILIES:
        # the speaker recommends; the subject of the modal is who should act
        actor = None
        for t in doc[sent.start : cue.start]:
            if t.lower_ in lex["opinion_verbs"]:
                # "Fiskarlaget er nøgd med planen, men meiner at ...": the subject ends before its auxiliary
                aux = next((w for w in doc[sent.start : t.i] if w.lower_ in _shared()["auxiliaries"] and w.i > sent.start), None)
                phrase = phrase_before(doc, sent.start, aux.i if aux is not None else t.i, skip)
                actor = _as_actor(phrase, lex, author, speaker)  # "Vi meiner ..."
                break
        actor = actor or speaker
        if cue.label_ == "must_necessary":
            return actor or author, None
        addressee = subject if subject is not None and cue.start > clause_start else None
        if addressee is not None:  # "NHO mener regjeringen må ..." -> regjeringen
            addressee = re.split(r"\b(?:%s|at|that)\b" % "|".join(lex["opinion_verbs"]), addressee)[-1].strip() or None
        if addressee is not None and addressee.lower() in lex["descriptive_subjects"]:
            addressee = None
        if subject is None and cue.start > clause_start and cue.label_ in ("must_modal", "should_modal"):
            addressee = _subject_after(doc, cue, sent, lex)  # "i den sammenhengen må X tilpasses"
        return actor or author, _as_actor(addressee, lex, author, speaker)
    if cue.label_ == "commit_will_inverted":
        return _as_actor(cue[1].text, lex, author, speaker), None
    if cue.label_ in ("commit_budget", "demand_expect"):
        gov = next((t for t in cue if lex["_commit_subject"].match(t.lower_)), None)
        return (gov.text if gov is not None else None), None
    if cue.label_ in _IMPERSONAL:  # "X said the fee will be capped": who says so; "Det skal oppnemnast": who spoke before
        return named_subject(cue[0], org_token_ids(doc)) or speaker, None
    if cue.label_ == "commit_task":  # "X har fått i oppdrag av Y å ...": Y gives the task to X
        return _agent_after(doc, cue, sent, lex), subject
    if cue.label_ == "demand_passive":
        return author, subject
    if _is_passive(doc, cue):  # "Regjeringens forslag ..., blant annet foreslås det ...": the owner of the proposal
        owner = lex["_proposal_owner"].search(sent.text)
        return (owner.group(1) if owner else speaker), None
    inner = cue[1:-2] if cue.label_ == "commit_plan" and 1 < len(cue) - 2 <= 4 else None  # "legger regjeringen opp til"
    if inner is not None and (subject is None or any(names_someone(t, org_token_ids(doc)) for t in inner)):
        subject = inner.text
    actor = _as_actor(subject, lex, author, speaker) or speaker
    addressee = dep_complement_subject(cue[0])
    nxt = doc[cue.end : min(cue.end + 6, sent.end)]
    if addressee is not None:
        pass
    elif len(nxt) and nxt[0].lower_ in _shared()["complementizers"] and len(nxt) > 1:
        words = []
        for t in nxt[1:]:
            if verb_lemma(t, lex) or t.is_punct or t.lower_ in _shared()["infinitive_markers"]:
                break
            words.append(t)
        if 0 < len(words) <= 4:
            addressee = doc[words[0].i : words[-1].i + 1].text
    elif cue.label_ == "demand_ask" and len(cue) > 1 and cue[1].lower_ != "om":
        addressee = cue[1].text
    if addressee is None or (family == "commit" and addressee == actor):
        addressee = _recipient(doc, cue, sent) or addressee  # "foreslår 10 millioner kroner til Enova"
    if family == "commit":
        addressee = addressee or actor
        orgs = org_token_ids(doc)
        own = subject_token(cue[0])
        if own is not None and not names_someone(own, orgs):  # "Departementet skriver at fondet skal forsterke ..."
            actor = named_subject(cue[0], orgs) or actor  # who reports the plan of a thing
    return actor, addressee
