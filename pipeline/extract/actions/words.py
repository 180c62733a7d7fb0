"""The action words of each language (pipeline/lang/<lang>/actions.yaml, compiled), the words
every language's segments read, and the verb of an action."""
from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Doc, Span

from pipeline import lang as language_data

_MODAL_FAMILIES = ("should", "must")
# cues in the passive or impersonal voice: the actor is the one named before, else the author
_IMPERSONAL = {"commit_passive", "commit_easier", "commit_through"}
_VERB_CUES = {"propose_verb", "recommend_verb", "demand_verb", "commit_want"}


@lru_cache(maxsize=4)
def _lex(lang: str | None) -> dict:
    """The segment language's action words (pipeline/lang/<lang>/actions.yaml), compiled, with
    the words every language's segments read (`_shared`)."""
    lex = dict(language_data.theme(lang, "actions"))
    lex["_verbs"] = tuple(lex["verbs"])
    lex["_verb_set"] = set(lex["verbs"])
    lex["_commit_subject"] = re.compile(lex["commit_subjects"])
    lex["_leads"] = {m: re.compile(p, re.I) for m, p in lex["list_leads"].items()}
    lex["_lead_negative"] = re.compile(lex["list_lead_negative"], re.I)
    lex["_proposal_owner"] = re.compile(lex["proposal_owner"])
    lex["_sequence_lead"] = re.compile(lex["sequence_lead"], re.I)
    lex["_sequence_item"] = re.compile(lex["sequence_item"])
    return lex



def words_of(theme: str, key: str) -> frozenset[str]:
    """A word list of a theme, read in segments of every language."""
    return frozenset(language_data.union(theme, key))


@lru_cache(maxsize=1)
def _shared() -> dict:
    """Action words read in segments of every language (the rules below are language-blind)."""
    def words(key: str) -> frozenset[str]:
        return words_of("actions", key)

    phase = "|".join(language_data.union("actions", "phase_words"))
    return {
        "cue_lemmas": language_data.merged("actions", "cue_lemmas"),
        "past": words("past_auxiliaries"),
        "not_subjects": words("not_subjects"),
        "not_modal_verbs": words("not_modal_verbs"),
        "perfect": words("perfect_auxiliaries"),
        "determiners": words("determiners_before_cue"),
        "conjunctions": words("conjunctions"),
        "first_person": words("first_person"),
        "passive": words("passive_auxiliaries"),
        "complementizers": words("complementizers"),
        "relative_pronouns": words("relative_pronouns"),
        "recipient_prepositions": words("recipient_prepositions"),
        "modal_words": words("modal_words"),
        "change_verbs": words_of("targets", "increase_verbs") | words_of("targets", "decrease_verbs"),
        "elided_change": words_of("targets", "elided_change"),
        "state_verbs": words("state_verbs"),
        "indefinites": words("indefinite_articles"),
        "auxiliaries": frozenset(language_data.union("clauses", "auxiliaries")),
        "percent_words": words("percent_words"),
        "deadline_words": frozenset(w for w in language_data.union("dates", "deadline_words") if " " not in w),
        "agent_prepositions": words("agent_prepositions"),
        "infinitive_markers": words("infinitive_markers"),
        "measure_nouns": re.compile("|".join(f"(?:{p})" for p in language_data.union("actions", "measure_nouns"))),
        "verb_form": re.compile("|".join(language_data.union("actions", "verb_forms"))),
        "phase": re.compile(rf"^\s*(?:{phase})\s*\d+\s*[:.]?\s*$", re.I),
    }


def modality_of(rule: str) -> str:
    return rule.split("_", 1)[0]


# --- the verb of an action ----------------------------------------------------------------

def verb_lemma(tok, lex: dict) -> str | None:
    """The lemma of a verb token: the model's lemma when there is one, else the lexicon's
    infinitive for a present ("etablerer"), passive ("styrkes", "oppnemnast") or -s form."""
    if tok.doc.has_annotation("POS") and tok.doc.has_annotation("LEMMA"):
        return tok.lemma_.lower() if tok.pos_ == "VERB" and tok.lemma_ else None
    w = tok.lower_
    verbs = lex["_verb_set"]
    for cand in (w, w[:-1], w[:-2] + "e" if w.endswith("es") else None, w[:-3] + "e" if w.endswith("ast") else None,
                 w[:-2] if w.endswith("es") else None, w[:-3] if w.endswith("ing") else None):
        if cand and cand in verbs:
            return cand
    return None


def action_verb(doc: Doc, start: int, end: int, cue: Span | None, lex: dict) -> str | None:
    """The verb of the action between tokens start and end: the first action verb after the
    cue word (or from the start of a list item), else the first infinitive-like word after a
    modal, else the cue's own verb."""
    first = cue.start + 1 if cue is not None else start
    if cue is None:  # a list item or coordinated clause: its first word when it is an action verb
        head = next((t for t in doc[start:end] if t.is_alpha), None)
        if head is not None and head.lower_ in lex["_verb_set"]:
            return head.lower_
    for tok in doc[first:end]:
        lemma = verb_lemma(tok, lex)
        if lemma:
            return lemma
    if cue is not None and modality_of(cue.label_) in _MODAL_FAMILIES:
        for tok in doc[cue.start + 1 : min(end, cue.start + 5)]:
            w = tok.lower_
            if tok.is_alpha and w not in lex["actor_skip"] and w not in _shared()["not_modal_verbs"]:
                if _shared()["verb_form"].fullmatch(w) or cue.doc.lang_ == "en":
                    return w[:-1] if w.endswith("es") else (w[:-3] + "e" if w.endswith("ast") else w)
    if cue is not None:
        skip = _shared()["modal_words"]
        verb = next((t for t in cue if not lex["_commit_subject"].match(t.lower_) and t.lower_ not in skip
                     and t.lower_ not in lex["actor_skip"]), cue[0])
        w = verb.lower_
        if w in _shared()["cue_lemmas"]:
            return _shared()["cue_lemmas"][w]
        if cue.doc.lang_ != "en" and re.fullmatch(r"\w{2,}(?:[ei]r|ast)", w):  # "planlegger", "utdjupast"
            return w[:-1] if w.endswith("r") else w[:-3] + "e"
        if cue.doc.lang_ != "en" and cue.label_ in _IMPERSONAL and re.fullmatch(r"\w{3,}es", w):  # "styrkes"
            return w[:-1]
        return w
    return None
