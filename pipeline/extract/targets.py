"""Targets: stated goals with an end state ("Målet er å øke eksportinntektene ... til 50
milliarder kroner i 2030", "Norge skal bli ... innen 2030", "a national consent solution by 2026").

The `target_matcher` component marks the named cue patterns of targets.yaml (goal nouns,
"skal bli", change verbs with a value or deadline, "innen/by <year>", "<value> i <year>").
Post-processing keeps a cue only when its year lies after the year the document was written,
drops budget increments ("øke bevilgningen med 55 millioner kroner" is an action, not a goal),
cuts the sentence to the clauses holding the cues and reads metric, values, years, direction
and actor from that text (amounts via `parse_amounts`, other quantities via `quantities`).
"""
from __future__ import annotations

import re
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Span

from pipeline.document import AnalysedDocument
from pipeline.extract import amounts as amounts_module
from pipeline.extract import clauses
from pipeline.extract.cues import CueMatcher, lang_key, load_lexicon, load_patterns
from pipeline.extract.statements import (
    clause_at, cue_sentences, document_author, document_year, make_row, org_token_ids, phrase_before,
)

SPANS_KEY = "target_cues"
PATTERNS = Path(__file__).with_name("targets.yaml")
MAX_CHARS = 500
_YEAR = re.compile(r"(?<![\d.,])((?:19|20)\d{2})(?!\d|[.,]\d)")
_NUM = r"\d{1,3}(?:[  .]\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?"


@Language.factory("target_matcher", default_config={"lang": "nb"})
def make_target_matcher(nlp: Language, name: str, lang: str):
    return CueMatcher(nlp, load_patterns(PATTERNS, lang), SPANS_KEY)


_LEX: dict[str, dict] = {}


def _lex(lang: str | None) -> dict:
    key = lang_key(lang)
    if key not in _LEX:
        lex = dict(load_lexicon(PATTERNS, key))
        lex["_increase"] = re.compile(lex["increase"], re.I)
        lex["_decrease"] = re.compile(lex["decrease"], re.I)
        lex["_context"] = re.compile(lex["goal_context"], re.I)
        lex["_forecast"] = re.compile(lex["forecast"], re.I)
        lex["_conditional"] = re.compile(lex["conditional"], re.I)
        words = "|".join(sorted(map(re.escape, lex["number_words"]), key=len, reverse=True))
        units = "|".join(sorted(map(re.escape, lex["units"]), key=len, reverse=True))
        lex["_quantity"] = re.compile(rf"(?<!\w)(?P<num>{_NUM}|{words})\s*(?P<unit>{units})(?!\w)", re.I)
        _LEX[key] = lex
    return _LEX[key]


# --- quantities -------------------------------------------------------------------------

def quantities(text: str, lang: str | None) -> list[tuple[int, int, float, str | None]]:
    """Money, percentages and durations in `text` as (start, end, value, unit), in text order.
    Uses the amounts module's `parse_quantities` when it has one, else its `parse_amounts`
    plus a small grammar of number + unit word (targets.yaml `units`)."""
    parse = getattr(amounts_module, "parse_quantities", None)
    if parse is not None:
        try:
            return [(s, e, float(q.value), q.unit) for s, e, q in parse(text, lang_key(lang))
                    if getattr(q, "value", None) is not None]
        except (TypeError, ValueError, AttributeError):
            pass
    out = [(s, e, a.value, a.currency) for s, e, a in amounts_module.parse_amounts(text, lang_key(lang))]
    lex = _lex(lang)
    for m in lex["_quantity"].finditer(text):
        if any(s < m.end() and m.start() < e for s, e, _, _ in out):
            continue
        num = m["num"].lower()
        if num in lex["number_words"]:
            value = float(lex["number_words"][num])
        else:
            value = amounts_module.parse_number(num, lang_key(lang))
        out.append((m.start(), m.end(), value, lex["units"].get(m["unit"].lower(), m["unit"].lower())))
    return sorted(out)


# --- cue filtering ------------------------------------------------------------------------

def _years(text: str) -> list[int]:
    return [int(y) for y in _YEAR.findall(text)]


def _cue_year(cue: Span) -> int | None:
    ys = _years(cue.text)
    return ys[-1] if ys else None


def keep_cue(cue: Span, sent: Span, doc_year: int | None, lex: dict) -> bool:
    """Whether a cue states a goal: not a forecast or a condition; deadlines must lie ahead of
    the document's year; a change by a sum of money without a deadline is a budget measure;
    "<value> i <year>" needs talk of a goal or change in the same sentence."""
    label = cue.label_
    year = _cue_year(cue)
    doc = cue.doc
    clause_start = cue.start
    while clause_start > sent.start and doc[clause_start - 1].text not in (",", ";", "–", ":"):
        clause_start -= 1
    before = doc[clause_start : cue.start].text
    if label != "goal_is" and lex["_forecast"].search(sent.text):
        return False
    if lex["_conditional"].search(before):
        return False
    if label == "become" and cue.start > sent.start and doc[cue.start - 1].lower_ in lex["expletives"]:
        return False  # "Det skal bli spennende": no one's goal
    if label in ("by_year", "change_by_year", "value_in_year") and year is not None:
        if doc_year is not None and year <= doc_year:
            return False
    if label == "value_in_year" and not lex["_context"].search(sent.text):
        return False
    if label == "change_to":
        rest = sent.doc.text[cue[-1].idx : sent.end_char]
        money = amounts_module.parse_amounts(rest, lang_key(cue.doc.lang_))
        if money and money[0][0] == 0:
            future = [y for y in _years(sent.text) if doc_year is None or y > doc_year]
            if not future:
                return False
    return True


# --- fields -------------------------------------------------------------------------------

def _is_year_value(text: str, start: int, end: int) -> bool:
    return bool(re.fullmatch(r"\s*(?:19|20)\d\d\s*", text[start:end]))


def _pick_target(text: str, values: list, target_pos: int | None, lex: dict):
    """The target value: the one just before the deadline year ("50 mrd. kroner i 2030"), else
    the one after "til"/"to"/"med"/"by", else the last."""
    if target_pos is not None:
        near = [v for v in values if v[1] <= target_pos and target_pos - v[1] <= 12]
        if near:
            return near[-1]
    for v in values:
        if re.search(r"\b(til|to|med|by|mot|towards)\s+(?:\w+\s+){0,3}$", text[max(0, v[0] - 40) : v[0]], re.I):
            return v
    return values[-1]


def target_fields(text: str, lang: str | None, doc_year: int | None, lex: dict) -> dict:
    """metric, baseline and target values and years, unit and direction read from a target clause."""
    found = [(m.start(), int(m.group(1))) for m in _YEAR.finditer(text)]
    future = [(p, y) for p, y in found if doc_year is None or y > doc_year]
    target_pos, target_year = future[-1] if future else (None, None)
    earlier = [y for _, y in found if target_year is not None and y < target_year]
    values = [(s, e, v, u) for s, e, v, u in quantities(text, lang) if not _is_year_value(text, s, e)]
    baseline_value = target_value = target_unit = None
    if values:
        target = _pick_target(text, values, target_pos, lex)
        target_value, target_unit = target[2], target[3]
        before = [v for v in values if v[1] <= target[0] and v[3] == target_unit]
        if before:
            baseline_value = before[0][2]
    words = re.findall(r"[\wæøåÆØÅ-]+", text)
    direction, metric = "reach", None
    for i, w in enumerate(words):
        if lex["_increase"].match(w) or lex["_decrease"].match(w):
            direction = "increase" if lex["_increase"].match(w) else "decrease"
            nxt = [x for x in words[i + 1 : i + 4] if x.lower() not in ("den", "det", "de", "the", "a", "an", "vår", "our")]
            metric = nxt[0] if nxt else None
            break
    return {
        "metric": metric,
        "baseline_value": baseline_value,
        "baseline_year": earlier[0] if earlier else None,
        "target_value": target_value,
        "target_unit": target_unit,
        "target_year": target_year,
        "direction": direction,
    }


def _actor(cs, cue: Span, lex: dict, author: str | None) -> str | None:
    doc, sent = cs.doc, cs.sent
    speaker = clauses.attribution(sent.text, cs.lang)
    m = re.search(r"\bsom\s+(\w+)\s+har\s+(?:satt\s+seg\s+)?som\s+mål", sent.text, re.I)
    if m:
        return m.group(1)
    orgs = org_token_ids(doc)
    for tok in sent:  # "foreslår Nasjonalt eksportråd ...", "Regjeringen foreslår ...": the proposer
        if tok.lower_ in lex["proposal_verbs"]:
            after = [t for t in doc[tok.i + 1 : min(sent.end, tok.i + 6)]]
            run = []
            for t in after:
                if t.i not in orgs:
                    break
                run.append(t)
            if len(run) == 1 or (not run and after and after[0].is_title):
                # an inverted subject: a name and its head noun ("Nasjonalt eksportråd"; the model
                # may tag only the first word)
                run = [after[0]]
                for t in after[1:3]:
                    if not t.is_alpha or t.lower_ in lex["actor_skip"] or t.lower_ in lex["function_words"]:
                        break
                    run.append(t)
            if run:
                return doc[run[0].i : run[-1].i + 1].text
    if cue.label_ == "become" and cue.start > sent.start:
        subject = phrase_before(doc, sent.start, cue.start, set(lex["actor_skip"]), max_tokens=4)
        if subject and subject.lower() not in lex["author_words"]:
            return subject
    return speaker or author


def action_verbs(lang: str | None) -> tuple[str, ...]:
    """The action verbs of actions.yaml: coordinated imperatives ("Create X, task Y by 2026")
    are separate clauses for targets as well."""
    return tuple(load_lexicon(Path(__file__).with_name("actions.yaml"), lang)["verbs"])


def extract(document: AnalysedDocument, orgs: list[dict] | None = None) -> list[dict]:
    """Target rows of one document (one per sentence with a kept cue)."""
    doc_year = document_year(document)
    author = document_author(document, orgs)
    rows = []
    for cs in cue_sentences(document, SPANS_KEY):
        lex = _lex(cs.lang)
        sent = cs.sent
        cues = [c for c in cs.cues if keep_cue(c, sent, doc_year, lex)]
        if not cues:
            continue
        text = sent.text
        parts = clauses.split(text, cs.lang, action_verbs(cs.lang))
        idx = sorted({clause_at(text, c.start_char - sent.start_char, parts) for c in cues}
                     | {clause_at(text, c.end_char - 1 - sent.start_char, parts) for c in cues})
        s, e = clauses.trim(text, parts[idx[0]].start, parts[idx[-1]].end, cs.lang, label=idx[0] == 0)
        if e - s > MAX_CHARS:  # too long: the first cue's clause alone, or a window around the cue
            s, e = clauses.trim(text, parts[idx[0]].start, parts[idx[0]].end, cs.lang, label=idx[0] == 0)
            s, e = clauses.window(text, s, e, max(s, cues[0].start_char - sent.start_char), MAX_CHARS)
        if e - s < 8 or e - s > MAX_CHARS:
            continue
        s, e = s + sent.start_char, e + sent.start_char
        row = make_row(cs.offset, cs.doc, s, e, sent)
        row.update(target_fields(row["text"], cs.lang, doc_year, lex))
        row.update(actor=_actor(cs, cues[0], lex, author), source_rule="target:" + "+".join(dict.fromkeys(c.label_ for c in cues)))
        rows.append(row)
    return rows
