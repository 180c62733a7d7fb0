"""Targets: stated goals with an end state ("Målet er å øke eksportinntektene ... til 50
milliarder kroner i 2030", "Norge skal bli ... innen 2030", "a national consent solution by 2026").

The `target_matcher` component marks the named cue patterns of targets.yaml (goal nouns,
"skal bli", change verbs with a value or deadline, "innen/by <year>", "<value> i <year>").
Post-processing keeps a cue only when its year lies after the year the document was written,
drops budget increments ("øke bevilgningen med 55 millioner kroner" is an action, not a goal),
cuts the sentence to the clauses holding the cues (one row per deadline when it names several)
and reads metric, values, years, direction and actor from that text (values: the quantity
component's spans in it; the actor: docs/targets-actions.md, "Actor").

Words and cue patterns: pipeline/lang/<lang>/targets.yaml.
"""
from __future__ import annotations

import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Span

from pipeline import lang as language_data
from pipeline.document import AnalysedDocument
from pipeline.extract.common import clauses
from pipeline.extract.common.cues import cue_ruler, label_order
from pipeline.extract.common.rows import make_row
from pipeline.extract.common.statements import (
    actor_before, actor_trail, clause_at, cue_sentences, deadline_before, document_author, document_year, is_pronoun,
    first_word, is_anaphor, list_leads, named_subject, names_someone, org_token_ids, phrase_before, resolve_actor, sentence_actor,
)
from pipeline.extract.common.years import YEAR_IN_TEXT, is_year, years
from pipeline.extract.quantities import in_range, with_default_currency

SPANS_KEY = "target_cues"
MAX_CHARS = 500


@Language.factory("target_matcher", default_config={"lang": "nb"})
def make_target_matcher(nlp: Language, name: str, lang: str):
    return cue_ruler(nlp, name, lang, "targets", SPANS_KEY)


@lru_cache(maxsize=4)
def _lex(lang: str | None) -> dict:
    """The segment language's target words (pipeline/lang/<lang>/targets.yaml), compiled."""
    lex = dict(language_data.theme(lang, "targets"))
    lex["_increase"] = frozenset(lex["increase_verbs"])
    lex["_decrease"] = frozenset(lex["decrease_verbs"])
    lex["_context"] = re.compile(lex["goal_context"], re.I)
    lex["_forecast"] = re.compile(lex["forecast"], re.I)
    lex["_conditional"] = re.compile(lex["conditional"], re.I)
    for key in ("own_undertakings", "criticism", "spending", "goal_words", "requests", "budget_words"):
        lex["_" + key] = re.compile(lex[key], re.I)
    return lex


@lru_cache(maxsize=1)
def _shared() -> dict:
    """Target words read in segments of every language."""
    after = "|".join(language_data.union("targets", "value_after"))
    return {
        "metric_skip": frozenset(language_data.union("targets", "metric_skip")),
        "value_after": re.compile(rf"\b({after})\s+(?:\w+\s+){{0,3}}$", re.I),
        "goal_owner": [re.compile(r, re.I) for r in language_data.union("targets", "goal_owner")],
        "aim_verbs": frozenset(language_data.union("actions", "aim_verbs")),
        "infinitive_markers": frozenset(language_data.union("actions", "infinitive_markers")),
        "period": re.compile("|".join(f"(?:{r})" for r in language_data.union("targets", "period") or ["(?!)"]), re.I),
        "clause_year": re.compile(rf"\b(?:{'|'.join(language_data.union('targets', 'clause_year_words'))})\s+$", re.I),
        "modal_after": re.compile(rf",?\s+(?:\w+\s+)?(?:{'|'.join(language_data.union('targets', 'modals'))})\b", re.I),
        "joiner": re.compile(rf"[,;]\s*(?:(?:{'|'.join(language_data.union('targets', 'joiners'))})\s+)?$", re.I),
    }


# --- quantities -------------------------------------------------------------------------

def quantities(doc, start: int, end: int, lang: str | None) -> list[tuple[int, int, float, str | None]]:
    """The quantities (money, percentages, durations, counts) the quantity component found in
    the characters [start, end) of `doc`, as (start, end, value, unit) relative to `start`."""
    out = []
    for span in in_range(doc, start, end):
        q = with_default_currency(span._.quantity, lang)
        s, e = span.start_char - start, span.end_char - start
        if q.high is not None and q.high < q.low and is_year(f"{q.low:.0f}"):
            out.append((s, e, float(q.high), q.unit))  # "innan 2030 og 80 prosent": a year, then the value
        elif q.high is not None and q.high != q.low and \
                _value_from().search(doc.text, max(0, span.start_char - 12), span.start_char):
            out += [(s, s + 1, float(q.low), q.unit), (e - 1, e, float(q.high), q.unit)]  # "fra 10 til 60 prosent"
        else:
            out.append((s, e, float(q.value), q.unit))
    return sorted(out)


@lru_cache(maxsize=1)
def _value_from() -> re.Pattern:
    """The word before a change's range ("fra 10 til 60 prosent": from the baseline to the target)."""
    return re.compile(rf"\b(?:{'|'.join(language_data.union('targets', 'value_from'))})\s+$", re.I)


# --- cue filtering ------------------------------------------------------------------------

def _cue_year(cue: Span) -> int | None:
    ys = years(cue.text)
    return ys[-1] if ys else None


def _money_at(cue: Span, sent: Span) -> bool:
    """An amount of money starts at the cue's last word (its value)."""
    pos = cue[-1].idx
    return any(s.start_char <= pos < s.end_char and s.end_char <= sent.end_char
               for s in in_range(cue.doc, sent.start_char, sent.end_char, ("money",)))


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
    forecast = lex["_forecast"].search(sent.text)
    if label != "goal_is" and forecast and not lex["_own_undertakings"].search(sent.text, 0, forecast.start()):
        return False  # a forecast, unless of one's own project ("The expansion is expected to ... by 2028")
    if label in ("goal_is", "goal_set") and lex["_criticism"].search(sent.text):
        return False  # someone else's goal criticised: their statement is elsewhere
    if label in ("goal_is", "goal_set") and any(t.lower_ in lex["support_verbs"] for t in doc[max(sent.start, cue.start - 3) : cue.start]):
        return False  # "We support the aim of ...": someone else's goal, stated elsewhere
    words = {t.lower_ for t in doc[clause_start : sent.end]}
    upto = {t.lower_ for t in doc[clause_start : cue.end]}  # the cue's clause up to the cue
    if label == "value_in_year" and upto & set(lex["past_markers"]) and not upto & set(lex["modals"]) \
            and not lex["_goal_words"].search(sent.text):
        return False  # "har tildelt 450 millioner kroner mer i 2020": a report of the past
    if label in ("by_year", "value_in_year") and lex["_spending"].search(sent.text) and \
            not lex["_goal_words"].search(sent.text):
        return False  # money to be spent by a year is an action (actions reads it)
    if label in ("change_to", "change_by_year") and cue[0].lower_ in lex["participles"] and \
            not (words & set(lex["modals"]) or lex["_goal_words"].search(sent.text)):
        return False  # "Eksporten har økt med 30 prosent": a change that happened
    if label == "end_state" and any(t.lower_ in lex["examined"] for t in doc[max(sent.start, cue.start - 8) : cue.start]):
        return False  # "et utvalg som skal se på hvordan havnene kan bli utslippsfrie": examined, not stated
    if label == "end_state" and not (words & set(lex["modals"]) or years(sent.text) or 3 <= len(sent) <= 8):
        return False  # a word of an end state in passing, not a stated one
    if lex["_conditional"].search(before):
        return False
    if label == "goal_aim":
        nxt = next((t for t in doc[cue.end : sent.end] if t.lower_ not in _shared()["infinitive_markers"]), None)
        if nxt is not None and nxt.lower_ in _shared()["aim_verbs"]:
            return False  # "aims to present a white paper": a plan to act, an action (actions reads it)
    if label in ("change_to", "change_by_year") and _shared()["period"].search(doc[clause_start : sent.end].text) \
            and not (words & set(lex["modals"]) or lex["_goal_words"].search(sent.text)):
        return False  # "cut its emissions by 12 percent between 2020 and 2025": a report of that period
    if label in ("by_year", "end_state", "value_in_year", "from_year") and \
            lex["_requests"].search(sent.text, 0, cue.start_char - sent.start_char) and \
            not (upto & (lex["_increase"] | lex["_decrease"]) or lex["_goal_words"].search(sent.text)):
        return False  # "Vi foreslår at departementet lager maler innen 2026": what someone asks for, an action
    if label == "become" and cue.start > sent.start and doc[cue.start - 1].lower_ in lex["expletives"]:
        return False  # "Det skal bli spennende": no one's goal
    if label in ("by_year", "change_by_year", "value_in_year", "from_year") and year is not None:
        if doc_year is not None and year <= doc_year:
            return False
    if label == "value_in_year" and not lex["_context"].search(sent.text):
        return False
    if label in ("change_to", "change_by_year", "value_in_year") and lex["_budget_words"].search(doc[clause_start : cue.end].text) and \
            any(t.lower_ in lex["proposal_verbs"] for t in doc[sent.start : cue.start]) and \
            in_range(doc, cue.start_char, sent.end_char, ("money",)) and not lex["_goal_words"].search(sent.text):
        return False  # "foreslår å øke støtten til 600 millioner kroner i 2027": a budget proposal (actions reads it)
    if label == "change_to" and _money_at(cue, sent):
        future = [y for y in years(sent.text) if doc_year is None or y > doc_year]
        if not future:
            return False
    return True


# --- fields -------------------------------------------------------------------------------

def _is_year_value(text: str, start: int, end: int) -> bool:
    return is_year(text[start:end].strip())


def _pick_target(text: str, values: list, target_pos: int | None):
    """The target value: the one just before the deadline year ("50 mrd. kroner i 2030"), else
    the one after "til"/"to"/"med"/"by", else the last."""
    if target_pos is not None:
        near = [v for v in values if v[1] <= target_pos and target_pos - v[1] <= 12]
        if near:
            return near[-1]
    for v in values:
        if _shared()["value_after"].search(text[max(0, v[0] - 40) : v[0]]):
            return v
    return values[-1]


def target_fields(text: str, quantities: list, doc_year: int | None, lex: dict) -> dict:
    """metric, baseline and target values and years, unit and direction read from a target
    clause and its `quantities` ((start, end, value, unit) in the clause)."""
    found = [(m.start(), int(m.group(1))) for m in YEAR_IN_TEXT.finditer(text)]
    future = [(p, y) for p, y in found if doc_year is None or y > doc_year]
    target_pos, target_year = future[-1] if future else (None, None)
    earlier = [y for _, y in found if target_year is not None and y < target_year]
    values = [(s, e, v, u) for s, e, v, u in quantities if not _is_year_value(text, s, e)]
    baseline_value = target_value = target_unit = None
    if values:
        target = _pick_target(text, values, target_pos)
        target_value, target_unit = target[2], target[3]
        before = [v for v in values if v[1] <= target[0] and v[3] == target_unit]
        if before:
            baseline_value = before[0][2]
    words = re.findall(r"[\wæøåÆØÅ-]+", text)
    direction, metric = "reach", None
    for i, w in enumerate(words):
        if w.lower() in lex["_increase"] or w.lower() in lex["_decrease"]:
            direction = "increase" if w.lower() in lex["_increase"] else "decrease"
            nxt = [x for x in words[i + 1 : i + 4] if x.lower() not in _shared()["metric_skip"]]
            metric = nxt[0] if nxt else None
            if metric is not None and _shared()["value_after"].match(metric + " ") and i > 0:
                metric = words[0]  # a passive: "Utslippene skal være redusert med ...", the subject changes
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


def _actor(cs, cue: Span, lex: dict) -> str | None:
    """Whose target the sentence names: the owner of a goal, a proposer, the named subject, a
    subject before "skal bli", a quote's speaker. None when the sentence names nobody."""
    doc, sent = cs.doc, cs.sent
    speaker = clauses.attribution(sent.text, cs.lang) or (  # "– Vi skal halvere ... . Dette ..., sier X."
        clauses.attribution(doc.text[sent.start_char:], cs.lang) if clauses.is_quote(sent.text, cs.lang) else None)
    opened = clauses.opens_quote(doc.text[max(0, sent.start_char - 3) : cue.start_char], cs.lang)
    if speaker is None and opened is not None:  # "... næringstransport.– Vi skal halvere ... innen 2030. ..., sier X."
        speaker = clauses.attribution(doc.text[max(0, sent.start_char - 3) + opened:], cs.lang)
    for rx in _shared()["goal_owner"]:
        m = rx.search(sent.text)
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
    reporter = _reporter(sent, cue, lex)
    if reporter:
        return reporter
    opener = first_word(sent)
    if opener is not None and opener.i < cue.start and is_anaphor(opener.text):
        return opener.text  # "Bedriften skal utvikle ... for å øke ...": the organisation named before (resolve_actor)
    subject = named_subject(cue[0], orgs)
    if subject and not is_pronoun(subject):
        return subject
    if not doc.has_annotation("DEP") and not doc[sent.start : cue.start].text.count(","):
        subject = sentence_actor(sent, orgs)  # no parse: "Regjeringen la fram en plan om å halvere ..."
        if subject:
            return subject
    if cue.label_ in ("become", "goal_aim") and cue.start > sent.start:  # "Norge skal bli", "Equinor tar sikte på"
        subject = phrase_before(doc, sent.start, cue.start, set(lex["actor_skip"]), max_tokens=4)
        named = cue.label_ == "become" or any(names_someone(t, orgs) for t in doc[sent.start : cue.start])
        if subject and named and subject.lower() not in lex["author_words"]:
            return subject
    return speaker


_STOPS = frozenset({".", "!", "?", ":", "–", "-"})  # what ends a sentence or opens direct speech


def _reporter(sent: Span, cue: Span, lex: dict) -> str | None:
    """Who reports their own goal before it ("Havfrakt sier de skal kutte ...", "Kommunen seier
    dei skal vere fossilfrie ..."): the words before a report verb that opens the sentence."""
    doc = sent.doc
    for tok in doc[sent.start : cue.start]:
        if tok.lower_ in lex["report_verbs"]:
            start = max([t.i + 1 for t in doc[sent.start : tok.i] if t.text in _STOPS], default=sent.start)
            subject = phrase_before(doc, start, tok.i, set(lex["actor_skip"]), max_tokens=3)
            if subject and subject[0].isupper() and not is_pronoun(subject) and subject.lower() not in lex["author_words"]:
                return subject
            return None
    return None


def action_verbs(lang: str | None) -> tuple[str, ...]:
    """The action verbs of actions.yaml: coordinated imperatives ("Create X, task Y by 2026")
    are separate clauses for targets as well."""
    return tuple(language_data.theme(lang, "actions")["verbs"])


def extract(document: AnalysedDocument, orgs: list[dict] | None = None) -> list[dict]:
    """Target rows of one document (one per sentence with a kept cue)."""
    doc_year = document_year(document)
    author = document_author(document, orgs)
    trail = actor_trail(document)  # a bare goal ("Målet er ...") is the one named before
    leads = list_leads(document)  # a list item's goal is the lead-in's
    rows = []
    for cs in cue_sentences(document, SPANS_KEY, label_order("targets")):
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
        actor = _actor(cs, cues[0], lex) or leads.get(cs.offset)
        if actor is None and cues[0].label_ == "goal_is" and _opens(sent, cues[0]):
            actor = actor_before(trail, cs.offset + sent.start_char)  # a bare goal: whose, said just before
        actor = actor or author or actor_before(trail, cs.offset + sent.start_char)
        rule = "target:" + "+".join(dict.fromkeys(c.label_ for c in cues))
        first = None
        for ps, pe in deadline_pieces(text, s, e, doc_year):
            ps, pe = ps + sent.start_char, pe + sent.start_char
            row = make_row(cs.offset, cs.doc, ps, pe, sent)
            row.update(target_fields(row["text"], quantities(cs.doc, ps, pe, cs.lang), doc_year, lex))
            if first is not None and row["metric"] is None:  # "..., 70 prosent innan 2040": the change named first
                row.update(metric=first["metric"], direction=first["direction"])
            row.update(actor=resolve_actor(actor, row["start"], document.text, orgs, trail), source_rule=rule)
            rows.append(row)
            first = first or row
    return rows


def _opens(sent: Span, cue: Span) -> bool:
    """The cue opens its sentence: only punctuation or a determiner before it ("– Målet er",
    "The aim is")."""
    first = first_word(sent)
    return first is None or first.i >= cue.start


def deadline_pieces(text: str, start: int, end: int, doc_year: int | None) -> list[tuple[int, int]]:
    """[start, end) of `text` cut at each future deadline when it names two or more: after a
    deadline that closes its clause ("40 prosent innan 2030, 70 prosent innan 2040 og netto null
    innan 2050" is three targets), before one that opens it ("Innen 2029 skal halvparten ..., og
    i 2035 skal vi være utslippsfrie"; "By 2030 we aim to ..., and by 2040 at least 50,000"), so
    each target keeps its own year."""
    found = []  # (start of the deadline phrase, end of its year, year)
    for m in YEAR_IN_TEXT.finditer(text, start, end):
        year = int(m.group(1))
        if doc_year is not None and year <= doc_year:
            continue
        before = deadline_before().search(text, max(start, m.start() - 30), m.start())
        if before is None:  # "i 2035 skal", "In 2030, we will": a year opening a clause with a modal
            before = _shared()["clause_year"].search(text, max(start, m.start() - 8), m.start())
            if before is None or not _shared()["modal_after"].match(text, m.end(), end):
                continue
        if found and found[-1][2] == year:  # one piece per year
            found[-1] = (found[-1][0], m.end(), year)
            continue
        found.append((before.start(), m.end(), year))
    if len(found) < 2:
        return [(start, end)]
    cuts = []  # (end of a piece, start of the next)
    for i, (lead, year_end, _) in enumerate(found):
        opens = _opens_clause(text, cuts[-1][1] if cuts else start, lead)
        if opens and i > 0:
            join = _shared()["joiner"].search(text, start, lead)
            cut = join.start() if join else lead
            cuts.append((cut, cut + _piece_gap(text, cut, end)))
        elif not opens and i + 1 < len(found):
            cuts.append((year_end, year_end + _piece_gap(text, year_end, end)))
    if not cuts:
        return [(start, end)]
    pieces, pos = [], start
    for cut_end, next_start in cuts:
        if cut_end > pos:
            pieces.append((pos, cut_end))
        pos = max(pos, next_start)
    pieces.append((pos, end))
    return [(s, e) for s, e in pieces if e - s >= 8]


def _opens_clause(text: str, since: int, lead: int) -> bool:
    """The deadline phrase at `lead` opens its clause: nothing but punctuation, a dash or a quote
    mark before it since `since`, or a comma (and "og"/"and") right before it."""
    return not text[since:lead].strip(" \t\n\"'«»“”–-,") or bool(_shared()["joiner"].search(text, since, lead))


@lru_cache(maxsize=1)
def _gap() -> re.Pattern:
    return re.compile(r"[\s,;]*")


def _piece_gap(text: str, pos: int, end: int) -> int:
    """How many characters after a deadline belong to no piece: spaces and a comma (a joining
    "og"/"and" stays with the target it introduces, as the text has it)."""
    return _gap().match(text, pos, end).end() - pos
