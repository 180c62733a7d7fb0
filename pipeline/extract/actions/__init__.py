"""Recommended actions: what an actor proposes, recommends, demands or commits to.

Two sources, both named in each row's `source_rule`:
- cue clauses (`action:<pattern>`): the `action_matcher` component marks the cue patterns of
  pipeline/lang/<lang>/actions.yaml ("foreslår", "anbefaler", "bør", "må", "krever", "Regjeringa vil opprette",
  "proposes", "should", "will increase" ...), and on a parsed Doc the matches of its
  `dependency_patterns` ("I år skal regjeringen gjennomgå ..."); post-processing drops subordinate, question,
  descriptive and past uses, and cuts the sentence into clauses (common/clauses.py): the clause with
  the cue and the coordinated clauses after it ("..., samt å utvikle ...") each become a row.
- measure lists (`action:list:<modality>`): items under a heading or a lead-in sentence ending
  in ":" that announces measures ("Fem strategiske grep", "Key points ... include:", "Fase 2"),
  one row per clause of the item ("Create X, task Y, and establish Z" gives three).
"""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.document import AnalysedDocument
from pipeline.extract.actions.actors import _as_actor, _clause_start_token, _is_passive, actor_and_addressee
from pipeline.extract.actions.words import (
    _IMPERSONAL, _MODAL_FAMILIES, _VERB_CUES, _lex, _shared, action_verb, modality_of,
)
from pipeline.extract.common import clauses
from pipeline.extract.common.cues import cue_ruler, label_order
from pipeline.extract.common.rows import cells, make_row
from pipeline.extract.common.sentences import sentences
from pipeline.extract.common.statements import (
    actor_before, actor_trail, clause_at, cue_sentences, document_author, is_pronoun, lead_actor, org_token_ids,
    document_byline, is_first_person_singular, resolve_actor, sentence_actor, subject_token,
)
from pipeline.extract.common.years import is_year
from pipeline.extract.quantities import in_range

SPANS_KEY = "action_cues"
MAX_CHARS = 500


@Language.factory("action_matcher", default_config={"lang": "nb"})
def make_action_matcher(nlp: Language, name: str, lang: str):
    return cue_ruler(nlp, name, lang, "actions", SPANS_KEY)


# --- cue filtering --------------------------------------------------------------------------

def keep_cue(doc: Doc, sent: Span, cue: Span, lex: dict, orgs: set[int]) -> bool:
    """Whether a cue match states an action (not a question, subordinate, descriptive or past use)."""
    family = modality_of(cue.label_)
    clause_start = _clause_start_token(doc, sent, cue)
    before = [t.lower_ for t in doc[clause_start : cue.start]]
    prev = doc[cue.start - 1] if cue.start > sent.start else None
    if sent.text.rstrip().endswith("?"):
        return False
    if prev is not None and (prev.lower_ in _shared()["past"] or prev.lower_ in lex["negations"]):
        return False
    if doc.has_annotation("POS") and cue.label_ in _VERB_CUES and cue[0].pos_ not in ("VERB", "AUX") and \
            (doc.lang_ == "en" or (prev is not None and prev.pos_ == "DET")) and not _named_plans(cue, prev, lex):
        return False  # "unveils plan to", "demand will triple": a noun, not the cue verb
    if cue[0].lower_.endswith("ed") and (prev is None or prev.lower_ not in _shared()["perfect"]) \
            and cue.label_ != "commit_promise":
        return False  # "the agency recommended": a past event, not a recommendation now (a promise made holds)
    if family in (*_MODAL_FAMILIES, "commit") and any(w in lex["subordinators"] for w in before):
        return False
    if cue.label_ in _IMPERSONAL and any(w in _shared()["complementizers"] or w in lex["negations"] for w in before):
        return False  # "han tar ikke for gitt at lånet skal innvilges": someone's expectation
    if family in (*_MODAL_FAMILIES, "commit") and _states_target(doc, sent, cue):
        return False  # "må reduseres med en halvpart innen 2030": a target (targets reads it)
    if family in _MODAL_FAMILIES:
        clause_end = cue.end
        while clause_end < sent.end and doc[clause_end].text not in (",", ";", "–", ":"):
            clause_end += 1
        words = " " + " ".join(t.lower_ for t in doc[cue.start:clause_end]) + " "
        if any(f" {m} " in words for m in lex["descriptive_markers"]):
            return False
        sentence = " " + " ".join(t.lower_ for t in sent) + " "
        if any(f" {m} " in sentence for m in lex["descriptive_sentence_markers"]):
            return False
    if family == "commit" and cue.label_ == "commit_budget":
        if not in_range(doc, sent.start_char, sent.end_char, ("money",)):
            return False  # a budget commitment names an amount
    if cue.label_ == "commit_want" and cue.end < sent.end and doc[cue.end].lower_ in _shared()["state_verbs"]:
        return False  # "We want to become the leading operator by 2030": an end state, a target (targets reads it)
    if cue.label_ in ("demand_verb", "commit_want", "propose_verb", "recommend_verb") and prev is not None:
        if _measure_relative(doc, sent, prev):
            return True  # "X er blant tiltakene som foreslås": X is proposed
        impersonal = prev.lower_ in lex["impersonal_subjects"] and _is_passive(doc, cue)
        if (prev.lower_ in lex["descriptive_subjects"] and not impersonal) or prev.lower_ in _shared()["determiners"]:
            return False  # "Dette krever ...", not the impersonal "Det foreslås ..."
    if family == "commit" and prev is not None and prev.i > sent.start and doc[prev.i - 1].lower_ in lex["relative_heads"]:
        return False
    if cue.label_ == "commit_named" and any(t.lower_ in lex["belief_verbs"] for t in doc[sent.start : cue.start]):
        return False  # "Analysts say Equinor will drill ...": someone's belief about another's plan
    if cue.label_ == "commit_will":
        if prev is None:  # a headline without its subject ("Vil fjerne etterslepet"; "Skal ..." states a purpose)
            return cue[0].is_title and cue[0].lower_ in lex["headline_modals"]
        subject = subject_token(cue[0])
        if subject is not None and subject.pos_ in ("NOUN", "PROPN") and subject.lower_ not in lex["descriptive_subjects"] \
                and not any(w.lower_ in lex["demonstratives"] for w in subject.lefts) and not any(
                t.lower_ in lex["belief_verbs"] for t in doc[sent.start : cue.start]):
            # the parse names who will act ("Det nye fondet skal blant annet forsterke ..."), not inside an
            # expectation or opinion ("forventar vi at felta skal skape ...", "Han meiner ambisjonen vil styrke ...")
            return True
        first_in_sent = prev.i == sent.start
        ok = (bool(lex["_commit_subject"].match(prev.lower_)) or prev.i in orgs
              or (prev.is_title and not first_in_sent and prev.lower_ not in lex["descriptive_subjects"])
              or (prev.is_title and first_in_sent and cue.doc.lang_ == "en" and prev.lower_ not in lex["descriptive_subjects"]))
        if not ok:
            return False
    return True


def _named_plans(cue: Span, prev, lex: dict) -> bool:
    """"Fjordstål AS plans to build ...", "The company intends to ...": the cue verb after a named
    subject, which a tagger may read as a plural noun."""
    return cue.label_ == "commit_want" and cue[0].lower_.endswith("s") and prev is not None and \
        (prev.pos_ == "PROPN" or prev.ent_type_ in ("ORG", "GPE", "PERSON") or bool(lex["_commit_subject"].match(prev.lower_)))


def _states_target(doc: Doc, sent: Span, cue: Span) -> bool:
    """The cue's own verb changes a quantity by a deadline ("må reduseres med en halvpart innen
    2030", "vil halvere utslippene innen 2030"): a target, which targets reads."""
    end = cue.end
    while end < sent.end and doc[end].text not in (",", ";", "–", ":"):
        end += 1
    return states_target([t.lower_ for t in doc[cue.start:end]], len(cue) + 2, by_percent=True)


def states_target(words: list[str], verb_within: int, by_percent: bool = False) -> bool:
    """A change verb among the first `verb_within` words and "innen/by <year>" later on
    (a purpose clause, "investeringar ... innan 2030 for å kutte utslepp", is no target); with
    `by_percent`, also a change by a percentage ("vi skal kutte energibruken med 20 prosent")."""
    change = _shared()["change_verbs"]
    elided = any(w in _shared()["elided_change"] and words[i + 1:i + 2] in (["med"], ["til"])
                 and any(c.isdigit() for x in words[i + 2:i + 6] for c in x)
                 for i, w in enumerate(words[:verb_within + 2]))  # "må utslippene ned med 50 prosent"
    percent = by_percent and any(w in _shared()["percent_words"] or w.endswith("%") for w in words)
    return (elided or any(w in change for w in words[:verb_within])) and (percent or any(
        a in _shared()["deadline_words"] and is_year(b.rstrip(".")) for a, b in zip(words, words[1:])))


def _measure_relative(doc: Doc, sent: Span, prev) -> bool:
    """`prev` is "som"/"that" after a noun of measures ("blant hovedgrepene som foreslås")."""
    return prev.lower_ in _shared()["relative_pronouns"] and prev.i > sent.start and \
        bool(_shared()["measure_nouns"].match(doc[prev.i - 1].lower_))


# --- rows ---------------------------------------------------------------------------------

def _row(offset: int, doc: Doc, start: int, end: int, sent, *, verb, actor, addressee, modality, rule) -> dict | None:
    if end - start < 4 or end - start > MAX_CHARS:
        return None
    row = make_row(offset, doc, start, end, sent)
    row.update(verb=verb, actor=actor, addressee=addressee, modality=modality, source_rule=f"action:{rule}")
    return row


def _cue_rows(document: AnalysedDocument, author: str | None, covered: list[tuple[int, int]]) -> list[dict]:
    rows = []
    named: list[str | None] = [None]  # the last actor a cue's subject named in the document
    trail = actor_trail(document)
    for cs in cue_sentences(document, SPANS_KEY, label_order("actions"), "actions"):
        lex = _lex(cs.lang)
        doc, sent = cs.doc, cs.sent
        orgs = org_token_ids(doc)
        cues = [c for c in cs.cues if keep_cue(doc, sent, c, lex, orgs)]
        if not cues:
            continue
        text = sent.text
        parts = clauses.split(text, cs.lang, lex["_verbs"])
        speaker = clauses.attribution(text, cs.lang) or clauses.quote_speaker(doc.text, sent.start_char, cs.lang)
        done: set[int] = set()
        for cue in cues:
            i = clause_at(text, cue.start_char - sent.start_char, parts)
            if i in done:
                continue
            # the cue's clause and the coordinated clauses that follow it share the cue
            chain = [i]
            while chain[-1] + 1 < len(parts) and parts[chain[-1] + 1].coordinated:
                chain.append(chain[-1] + 1)
            if _announces_list(text, cue.end_char - sent.start_char):
                continue  # "Direktoratet anbefaler følgende tiltak:": the items are the actions
            actor, addressee = actor_and_addressee(doc, sent, cue, lex, author, speaker)
            if actor is None and i > 0 and not parts[i].coordinated and modality_of(cue.label_) not in _MODAL_FAMILIES:
                actor = sentence_actor(sent, orgs)  # "Legeforeningen mener ..., men etterlyser ...": the sentence's subject
            if actor is None or is_pronoun(actor):  # passive, impersonal or a pronoun: the actor named before
                before = named[0] or author or actor_before(trail, cs.offset + sent.start_char)
                commits = modality_of(cue.label_) == "commit" and addressee == actor
                addressee, actor = before if commits else addressee, before
            elif modality_of(cue.label_) not in _MODAL_FAMILIES and actor != author:
                named[0] = actor
            for j in chain:
                done.add(j)
                c = parts[j]
                s, e = clauses.trim(text, c.start, c.end, cs.lang)
                cue_pos = max(s, cue.start_char - sent.start_char) if j == i else s
                s, e = clauses.window(text, s, e, cue_pos, MAX_CHARS)
                s, e = s + sent.start_char, e + sent.start_char
                abs_s, abs_e = cs.offset + s, cs.offset + e
                if any(abs_s < ce and cs_ < abs_e for cs_, ce in covered):
                    continue
                span = doc.char_span(s, e, alignment_mode="expand")
                verb = action_verb(doc, span.start, span.end, cue if j == i else None, lex) if span is not None else None
                row = _row(cs.offset, doc, s, e, sent, verb=verb, actor=actor,
                           addressee=addressee if j == i else None, modality=modality_of(cue.label_), rule=cue.label_)
                if row:
                    rows.append(row)
    return rows


def _announces_list(text: str, after: int) -> bool:
    """A lead-in sentence that ends in ":" with at most three words after its cue."""
    rest = text[after:].strip()
    return rest.endswith(":") and len(rest[:-1].split()) <= 3


def _lead(text: str, lex: dict, heading: bool) -> str | None:
    """The modality announced by a heading or lead-in sentence; "verb_items" for a heading or
    lead-in that names no measures (its items count only when they start with an action verb);
    None when it announces no measure list (needs, findings, benefits, expected effects)."""
    text = text.strip()
    if not heading:
        if not text.endswith(":"):
            return None
        text = re.split(r"(?<=[.!?])\s+", text)[-1]
    if lex["_lead_negative"].search(text):
        return None
    for modality, rx in lex["_leads"].items():
        if rx.search(text):
            return modality
    return "verb_items"


def _lead_actor(doc: Doc, lex: dict, author: str | None) -> str | None:
    """Who announces a measure list in its lead-in (`lead_actor`); "Rapporten" stands for the author."""
    actor = lead_actor(doc)
    return _as_actor(actor, lex, author, None) if actor else None


def _item_rows(document: AnalysedDocument, author: str | None) -> list[dict]:
    """Rows for the items of measure lists."""
    rows = []
    lead = None  # (modality, from a colon lead-in)
    for offset, seg, doc in document.parts:
        lex = _lex(seg.lang)
        text = doc.text
        rule_label = clauses.rules(seg.lang)["label"]
        is_item = seg.kind == "list_item" or (
            seg.kind == "paragraph" and lead is not None and lead[1] and rule_label.match(text.lstrip(" •–-")))
        if seg.kind == "table_row":
            rows.extend(_phase_row(offset, doc, lex, author))
        if not is_item:
            heading = seg.kind in ("heading", "table_row")
            m = _lead(text, lex, heading)
            lead = (m, not heading, None if heading else _lead_actor(doc, lex, author)) if m else None
            continue
        if lead is None or clauses.is_quote(text, seg.lang):
            continue
        s0, _ = clauses.trim(text, 0, len(text), seg.lang, label=True)
        if states_target(text[s0:].lower().split(), 3):
            continue  # "Vil halvere transportutslipp innen 2030": a target
        modality = lead[0]
        if modality == "verb_items":  # an unnamed list: only imperative measures count
            first = re.match(r"[\wæøåÆØÅ-]+", text[s0:])
            if not first or first.group(0).lower() not in lex["_verb_set"]:
                continue
            modality = "propose"
        for ss, se in sentences(text, s0):
            stext = text[ss:se]
            for c in clauses.split(stext, seg.lang, lex["_verbs"]):
                s, e = clauses.trim(stext, c.start, c.end, seg.lang)
                if len(stext[s:e].split()) < 2:
                    continue
                s, e = s + ss, e + ss
                span = doc.char_span(s, e, alignment_mode="expand")
                verb = action_verb(doc, span.start, span.end, None, lex) if span is not None else None
                row = _row(offset, doc, s, e, text, verb=verb, actor=lead[2] or author, addressee=None,
                           modality=modality, rule=f"list:{lead[0]}")
                if row:
                    rows.append(row)
    return rows


def _counted_rows(document: AnalysedDocument, author: str | None) -> tuple[list[tuple[int, int]], list[dict]]:
    """Measures counted in running text after a sentence that announces them ("We propose three
    measures. First, a state guarantee scheme ... Second, faster licensing ..."): one row per
    counted sentence, its actor the announcer's. Returns the announcing sentences' spans (no rows
    of their own) and the rows."""
    leads, rows = [], []
    for offset, seg, doc in document.parts:
        lex = _lex(seg.lang)
        text = doc.text
        actor = None
        for s, e in sentences(text):
            stext = text[s:e].strip()
            m = lex["_sequence_lead"].match(stext)
            if m:
                actor = _as_actor(m.group("actor").strip(), lex, author, None) or author
                leads.append((offset + s, offset + e))
                continue
            item = lex["_sequence_item"].match(text, s) if actor is not None else None
            if item is None:
                if actor is not None and not stext:
                    continue
                actor = None
                continue
            ss, se = clauses.trim(text, item.end(), e, seg.lang)
            span = doc.char_span(ss, se, alignment_mode="expand")
            verb = action_verb(doc, span.start, span.end, None, lex) if span is not None else None
            row = _row(offset, doc, ss, se, text, verb=verb, actor=actor, addressee=None, modality="propose",
                       rule="counted")
            if row:
                rows.append(row)
    return leads, rows


def _phase_row(offset: int, doc: Doc, lex: dict, author: str | None) -> list[dict]:
    """A row of a phase table ("Fase 1 | Etablering av kompetanse- og nettverkshub"): each
    cell after the phase label is an action."""
    parts = [(s, e) for s, e, _ in cells(doc.text)]
    phase = _shared()["phase"]
    if len(parts) < 2 or not phase.match(doc.text[slice(*parts[0])]):
        return []
    rows = []
    for s, e in parts[1:]:
        s, e = clauses.trim(doc.text, s, e, None)
        if len(doc.text[s:e].split()) < 2 or phase.match(doc.text[s:e]):
            continue
        span = doc.char_span(s, e, alignment_mode="expand")
        verb = action_verb(doc, span.start, span.end, None, lex) if span is not None else None
        row = _row(offset, doc, s, e, doc.text, verb=verb, actor=author, addressee=None,
                   modality="commit", rule="list:phase_table")
        if row:
            rows.append(row)
    return rows


def extract(document: AnalysedDocument, orgs: list[dict] | None = None) -> list[dict]:
    """Action rows of one document. `orgs` (organisation rows of the same document) lets
    "Rapporten"/"vi" resolve to the organisation that wrote it."""
    author = document_author(document, orgs)
    rows = _item_rows(document, author)
    leads, counted = _counted_rows(document, author)
    rows += counted
    covered = [(r["start"], r["end"]) for r in rows] + leads
    rows += _cue_rows(document, author, covered)
    seen, out = set(), []
    trail = actor_trail(document) if orgs else []
    byline = document_byline(document)
    for r in sorted(rows, key=lambda r: (r["start"], r["end"])):
        if (r["start"], r["end"]) in seen:
            continue
        seen.add((r["start"], r["end"]))
        r["actor"] = resolve_actor(r["actor"], r["start"], document.text, orgs, trail)
        if byline and is_first_person_singular(r["actor"]):
            r["actor"] = byline  # "Jeg foreslår ..." in an op-ed: its author
        out.append(r)
    return out
