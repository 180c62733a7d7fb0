"""Review pages: a static, self-contained site that shows every extraction in its context.

`build_site(out, site)` reads the committed tables (the newest complete run) and writes
`index.html` (the run, charts, the documents with a search box), one page per document (the
cleaned text with every extracted span highlighted in place by spaCy's displaCy span renderer
in manual mode, from the tables' offsets, one colour per kind, the normalised value beside each
span's label, a filter to show one kind at a time, and the document's rows below) and the
organisation view (`organisations.html` and a page per organisation, pipeline/review/organisations.py).

No server, CDN or network: CSS and JS are inlined, charts are SVG rendered at build time. Document
text is untrusted: every piece of it goes through displaCy's escaping or `html.escape`.
"""
from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from pathlib import Path

from spacy import displacy

from pipeline import store
from pipeline.review import organisations
from pipeline.review.charts import amounts_by_year, count_by_name
from pipeline.review.layout import DATE, LONG, NAV, NUM, YEAR, Cell, Col, Raw, link, money, number, page, table

KINDS = {  # kind -> (table, label shown, colour)
    "organisation": ("mentions", "ORG", "#7aecec"),
    "amount": ("amounts", "AMOUNT", "#ffd166"),
    "target": ("targets", "TARGET", "#bfe1a2"),
    "action": ("actions", "ACTION", "#f4a6c6"),
}
MAX_PAGE_CHARS = 400_000  # longer documents show their first 400,000 characters highlighted
MAX_TABLE_ROWS = 5_000  # rows listed per table on a document page
RENDER_PIECE_CHARS = 2_000  # a longer line is rendered in pieces
SPAN_CHUNK_CHARS = 40  # a highlighted text is cut at spaces into inline-blocks of about this size
TOP_ACTORS = 15  # bars in the actor charts
_SPAN = (
    '<span class="hl hl-{kind}" style="font-weight: 600; display: inline-block; position: relative; '
    'height: {{total_height}}px;">{{text}}{{span_slices}}{{span_starts}}</span>'
)
_SLICE = ('<span style="background: {bg}; top: {top_offset}px; height: 4px; left: -1px; '
          'width: calc(100% + 2px); position: absolute;"></span>')
_START = (
    '<span class="hl-start" style="background: {bg}; top: {top_offset}px; height: 4px; '
    'border-top-left-radius: 3px; border-bottom-left-radius: 3px; left: -1px; width: calc(100% + 2px); '
    'position: absolute;"><span class="hl-label" style="background: {bg}; z-index: 10; color: #000; '
    'top: -0.5em; padding: 2px 3px; position: absolute; font-size: 0.6em; font-weight: bold; line-height: 1; '
    'border-radius: 3px; white-space: nowrap">{label}{kb_link}</span></span>'
)
NO_SPACE = "\x00"  # marks a token displaCy must not follow with a space (removed from its output)
# A highlight and the punctuation right after it stay on one line (a line break after the
# inline-block would leave a "." alone at the start of the next line).
_TRAILING_PUNCT = re.compile(r'(<span class="hl (?:(?!<span class="hl ).)*?</span>)([.,;:!?)\]»”’"\']+)', re.S)


def describe(kind: str, row: dict) -> str:
    """The normalised value shown beside a span's label."""
    if kind == "organisation":
        return row.get("canonical") or ""
    if kind == "amount":
        rng = number(row["low"]) if row.get("high") in (None, row.get("low")) else \
            f"{number(row['low'])}–{number(row['high'])}"
        parts = [rng, row.get("currency") or "?", row.get("qualifier") or "", str(row["year"]) if row.get("year") else ""]
        return " ".join(p for p in parts if p)
    if kind == "target":
        parts = [row.get("direction") or "", number(row.get("target_value")), row.get("target_unit") or "",
                 f"by {row['target_year']}" if row.get("target_year") else ""]
        return " ".join(p for p in parts if p)
    parts = [row.get("modality") or "", f"by {row['actor']}" if row.get("actor") else ""]
    return " ".join(p for p in parts if p)


def _render_line(line: str, line_start: int, inside: list[tuple[str, int, dict]]) -> dict:
    """One line of the cleaned text as a displaCy manual span document. Its tokens are the
    pieces between span boundaries, so each span covers whole tokens (linear in the spans)."""
    local = [(k, i, r, r["start"] - line_start, r["end"] - line_start) for k, i, r in inside]
    cuts = sorted({0, len(line)} | {s for *_, s, _ in local} | {e for *_, e in local})
    at = {c: n for n, c in enumerate(cuts)}
    depth = [0] * len(cuts)  # +1 where a span starts, -1 where it ends
    for *_, s, e in local:
        depth[at[s]] += 1
        depth[at[e]] -= 1
    span_starts = {at[s] for *_, s, _ in local}
    tokens: list[str] = []
    first_token = [0] * len(cuts)  # index of the first token at or after each cut
    open_spans = 0
    for n, (a, b) in enumerate(zip(cuts, cuts[1:])):
        open_spans += depth[n]
        first_token[n] = len(tokens)
        raw = line[a:b]
        if not open_spans:
            if raw:  # text right before a highlight ("(" in "(NFD)") loses the space displaCy adds
                glued = n + 1 in span_starts and not raw[-1].isspace() and NO_SPACE not in line
                tokens.append(raw + NO_SPACE if glued else raw.rstrip() or " ")
        elif raw.strip():  # inside a span: spaces at a piece's edges get tokens of their own,
            if raw[0].isspace():  # (an inline-block element would swallow them)
                tokens.append(" ")
            for n_chunk, chunk in enumerate(_chunks(raw.strip())):
                tokens += [" ", chunk] if n_chunk else [chunk]
            if raw[-1].isspace():
                tokens.append(" ")
        elif raw:
            tokens.append(" ")
    first_token[-1] = len(tokens)
    spans = []
    for k, i, r, s, e in local:
        start_token, end_token = first_token[at[s]], first_token[at[e]]
        value = describe(k, r)
        if end_token > start_token:
            spans.append({  # the value links to the row below the text; a value that is the text is left out
                "start_token": start_token, "end_token": end_token, "label": KINDS[k][1],
                "kb_id": html.escape(value) if value != r.get("text") else "", "kb_url": f"#row-{k}-{i}",
            })
    return {"text": line, "tokens": tokens, "spans": spans}


def _chunks(text: str, size: int = SPAN_CHUNK_CHARS) -> list[str]:
    """Words grouped into pieces of about `size` characters: a highlighted sentence is several
    inline-blocks, so it wraps like text (one inline-block cannot wrap). " ".join() gives `text`."""
    out: list[list[str]] = [[]]
    length = 0
    for word in text.split(" "):
        if out[-1] and length + 1 + len(word) > size:
            out.append([])
            length = -1
        out[-1].append(word)
        length += 1 + len(word)
    return [" ".join(words) for words in out]


def _pieces_of_line(line: str, spans: list[tuple[int, int]], limit: int = RENDER_PIECE_CHARS) -> list[tuple[int, int]]:
    """A long line cut into pieces of about `limit` characters at spaces outside every span
    (displaCy's span renderer is quadratic in a document's tokens times its spans)."""
    if len(line) <= limit:
        return [(0, len(line))]
    reach: list[int] = []  # reach[i]: the furthest end of the spans starting at or before starts[i]
    starts = sorted(spans)
    for s, e in starts:
        reach.append(max(e, reach[-1]) if reach else e)
    starts_only = [s for s, _ in starts]
    pieces, a = [], 0
    while len(line) - a > limit:
        c = line.rfind(" ", a + limit // 2, a + limit)
        c = a + limit if c <= a else c
        i = bisect_right(starts_only, c - 1) - 1
        if i >= 0 and reach[i] > c:  # inside a span: cut where the spans end
            c = reach[i]
        if c >= len(line):
            break
        pieces.append((a, c))
        a = c
    pieces.append((a, len(line)))
    return pieces


def render_text(text: str, rows_by_kind: dict[str, list[dict]], kind: str | None) -> str:
    """The text as HTML with the spans of `kind` (or of every kind) highlighted by displaCy,
    one displaCy document per line of the cleaned text."""
    kinds = [kind] if kind else list(KINDS)
    rows = sorted(((k, i, r) for k in kinds for i, r in enumerate(rows_by_kind.get(k, []))),
                  key=lambda t: (t[2]["start"], -t[2]["end"]))
    options = {
        "colors": {label: colour for _, label, colour in KINDS.values()},
        "template": {"span": _SPAN.format(kind=kind or "any"), "slice": _SLICE, "start": _START},
    }
    by_line: dict[int, list] = defaultdict(list)  # rows bucketed by the line they start on
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    for row in rows:
        n = bisect_right(line_starts, row[2]["start"]) - 1
        line_end = line_starts[n + 1] - 1 if n + 1 < len(line_starts) else len(text)
        if row[2]["end"] <= line_end:  # a span across lines is listed below the text only
            by_line[n].append(row)
    parsed = []
    for n, start in enumerate(line_starts):
        line = text[start : line_starts[n + 1] - 1] if n + 1 < len(line_starts) else text[start:]
        if not line.strip():
            continue
        for a, b in _pieces_of_line(line, [(r["start"] - start, r["end"] - start) for _, _, r in by_line.get(n, [])]):
            inside = [t for t in by_line.get(n, []) if a <= t[2]["start"] - start and t[2]["end"] - start <= b]
            parsed.append(_render_line(line[a:b], start + a, inside))
    if not parsed:
        return ""
    markup = displacy.render(parsed, style="span", manual=True, options=options).replace(NO_SPACE + " ", "")
    return _TRAILING_PUNCT.sub(r'<span class="glue">\1\2</span>', markup)



_MONEY = {"value": "currency", "low": "currency", "high": "currency",  # column -> its currency's column
          "value_nok": None, "low_nok": None, "high_nok": None}
_ROW_COLUMNS = {
    "organisation": [Col("text", LONG), Col("canonical", LONG), Col("label"), Col("source_rule", LONG), Col("start", NUM),
                     Col("end", NUM)],
    "amount": [Col("text", LONG), Col("value", NUM), Col("low", NUM), Col("high", NUM), Col("currency"),
               Col("qualifier"), Col("year", YEAR), Col("value_nok", NUM), Col("fx_date", DATE), Col("source_rule", LONG)],
    "target": [Col("text", LONG), Col("metric"), Col("baseline_value", NUM), Col("baseline_year", YEAR),
               Col("target_value", NUM), Col("target_unit"), Col("target_year", YEAR), Col("direction"),
               Col("actor", LONG), Col("source_rule", LONG)],
    "action": [Col("text", LONG), Col("verb"), Col("actor", LONG), Col("addressee", LONG), Col("modality"),
               Col("source_rule", LONG)],
}


def _cell(col: Col, row: dict, orgs: organisations.Orgs | None):
    """A row's value for a column: amounts with their currency (2 500 000 000 NOK), a mention's
    canonical name as a link to its organisation's page."""
    v = row.get(col.name)
    if v is not None and col.name in _MONEY:
        currency = row.get(_MONEY[col.name]) if _MONEY[col.name] else "NOK"
        return Cell(Raw(html.escape(money(v, currency))), v)
    target = orgs.page_of(row) if v is not None and col.name == "canonical" and orgs else None
    return Cell(Raw(link(target, v)), v) if target else v


def _row_table(kind: str, rows: list[dict], orgs: organisations.Orgs | None) -> str:
    cols = [c for c in _ROW_COLUMNS[kind] if c.name in store.TABLES[KINDS[kind][0]].names]
    return table(cols, [[_cell(c, r, orgs) for c in cols] for r in rows],
                 row_ids=[f"row-{kind}-{n}" for n in range(len(rows))])


def document_page(doc: dict, text: str, rows_by_kind: dict[str, list[dict]], orgs: list[dict],
                  registry: organisations.Orgs | None = None) -> str:
    filters = ['<label><input type="radio" name="kind" value="all" checked> all</label>']
    for k, (_, label, colour) in KINDS.items():
        n = len(rows_by_kind.get(k, []))
        filters.append(f'<label><input type="radio" name="kind" value="{k}"><span class="swatch" '
                       f'style="background:{colour}"></span>{label.lower()} ({n})</label>')
    shown, note = text, ""
    if len(text) > MAX_PAGE_CHARS:  # a page stays usable: the text is cut at a line end
        cut = text.rfind("\n", 0, MAX_PAGE_CHARS) + 1 or MAX_PAGE_CHARS
        shown = text[:cut]
        note = (f'<p class="muted">Showing the first {number(cut)} of {number(len(text))} characters; '
                "the tables below list every row.</p>")
    in_view = {k: [r for r in rows if r["end"] <= len(shown)] for k, rows in rows_by_kind.items()}
    views = [f'<section class="view active" data-kind="all">{render_text(shown, in_view, None)}</section>']
    for k in KINDS:
        views.append(f'<section class="view" data-kind="{k}">{render_text(shown, in_view, k)}</section>')
    tables = []
    for k, (table_name, label, _) in KINDS.items():
        rows = rows_by_kind.get(k, [])
        tables.append(f"<h2>{html.escape(table_name)} ({len(rows)})</h2>")
        if len(rows) > MAX_TABLE_ROWS:
            tables.append(f'<p class="muted">The first {number(MAX_TABLE_ROWS)} rows; all are in the Parquet tables.</p>')
        tables.append(_row_table(k, rows[:MAX_TABLE_ROWS], registry))
    tables.append(f"<h2>organisations ({len(orgs)})</h2>")
    org_rows = []
    for o in orgs:
        target = registry.page_of(o) if registry else None
        org_rows.append([Cell(Raw(link(target, o["name"]) if target else html.escape(o["name"])), o["name"]),
                         ", ".join(o["aliases"] or []), o["n_mentions"]])
    tables.append(table([Col("name", LONG), Col("aliases", LONG), Col("n_mentions", NUM)], org_rows))
    title = doc.get("title") or Path(doc["source"]).name
    meta = [("source", doc["source"]), ("published", str(doc["published"]) if doc.get("published") else "–"),
            ("language", str(doc.get("language"))), ("characters", number(doc.get("n_chars"))),
            ("doc_id", doc["doc_id"][:16] + "…")]
    body = (
        f'<header>{NAV}<h1>{html.escape(title)}</h1><div class="meta">'
        + "".join(f"<span>{k} <b>{html.escape(v)}</b></span>" for k, v in meta)
        + f'</div></header><main>{note}<div class="textview"><div class="filters">{"".join(filters)}</div>'
        f'{"".join(views)}</div><div class="rows">{"".join(tables)}</div></main>'
    )
    return page(title, body)


def page_name(doc_id: str) -> str:
    return f"doc-{re.sub(r'[^0-9a-zA-Z]', '_', doc_id)[:40]}.html"


def _actors(rows: list[dict], registry: organisations.Orgs) -> list[tuple[str, int]]:
    """The most frequent actors, one organisation per bar: names the registry knows are merged
    under their canonical name, others that differ only in case ("regjeringen") under their most
    frequent spelling."""
    names = Counter(registry.name_of(r["actor"]) if r.get("actor") else "(no actor)" for r in rows)
    shown: dict[str, str] = {}  # casefolded -> the most frequent spelling
    for name, _ in names.most_common():
        shown.setdefault(name.casefold(), name)
    merged = Counter()
    for name, n in names.items():
        merged[shown[name.casefold()]] += n
    return merged.most_common(TOP_ACTORS)


def index_page(run: dict | None, docs: list[dict], counts: dict[str, Counter], amounts: list[dict],
               actions: list[dict], targets: list[dict], registry: organisations.Orgs,
               doc_orgs: dict[str, set[str]]) -> str:
    docs = sorted(docs, key=lambda d: (d["status"] != "failed", str(d.get("title") or d["source"]).casefold()))
    rows, attrs = [], []
    for d in docs:
        title = d.get("title") or Path(d["source"]).name
        shown = link(page_name(d["doc_id"]), title) if d["status"] == "ok" else html.escape(title)
        rows.append([Cell(Raw(f'<div class="clamp">{shown}</div>'), title), d["source"], d.get("published"),
                     d.get("language"), Cell(Raw(f'<span class="status-{d["status"]}">{d["status"]}</span>'), d["status"]),
                     d.get("error"), *[counts[t][d["doc_id"]] for t in ("mentions", "amounts", "targets", "actions")]])
        words = " ".join([title, d["source"], *sorted(doc_orgs.get(d["doc_id"], ()))]).casefold()
        attrs.append(f'class="{d["status"]}" data-search="{html.escape(words)}"')
    run_html = "<p>No complete run yet.</p>"
    if run:
        n_failed = sum(d["status"] == "failed" for d in docs)
        failed = f'<b class="alert">{n_failed}</b>' if n_failed else f"<b>{n_failed}</b>"
        run_html = (
            f'<div class="meta"><span>run <b>{html.escape(run["run_id"])}</b></span>'
            f'<span>finished <b>{html.escape(str(run["finished_at"])[:19])}</b></span>'
            f'<span>model <b>{html.escape(str(run["model"]))}</b></span></div>'
            f'<div class="meta"><span>documents ok <b>{len(docs) - n_failed}</b></span><span>failed {failed}</span>'
            + "".join(f'<span>{t} <b>{number(sum(counts[t].values()))}</b></span>'
                      for t in ("mentions", "organisations", "amounts", "targets", "actions"))
            + "</div>"
        )
    hits = "".join(f'<li data-search="{html.escape(" ".join([o["name"], *o["aliases"]]).casefold())}" '
                   f'data-hide-empty hidden>{link(organisations.org_page_name(i), o["name"])}</li>'
                   for i, o in sorted(registry.rows.items(), key=lambda t: t[1]["name"].casefold()))
    cols = [Col("title", LONG), Col("source", LONG), Col("published", DATE), Col("language"), Col("status"),
            Col("error", LONG), Col("mentions", NUM), Col("amounts", NUM), Col("targets", NUM), Col("actions", NUM)]
    body = (
        f"<header>{NAV}<h1>Extraction review</h1>{run_html}</header><main>"
        '<div class="charts">'
        f"<figure><figcaption>Amounts by year (distinct amounts; low end of a range)</figcaption>{amounts_by_year(amounts)}</figure>"
        f"<figure><figcaption>Actions by actor (top {TOP_ACTORS})</figcaption>{count_by_name(_actors(actions, registry), 'actions')}</figure>"
        f"<figure><figcaption>Targets by actor (top {TOP_ACTORS})</figcaption>{count_by_name(_actors(targets, registry), 'targets')}</figure>"
        "</div><h2>Documents</h2>"
        '<div class="search"><input type="search" id="q" placeholder="Search document titles and organisations" '
        'data-search-in="#documents tbody tr, #org-hits li" aria-label="search"><span id="q-count" class="muted"></span></div>'
        f'<ul class="hits" id="org-hits">{hits}</ul>'
        + table(cols, rows, row_attrs=attrs, table_id="documents")
        + "</main>"
    )
    return page("Extraction review", body)


PAGE_BATCH_DOCS = 200  # document pages are built this many at a time (memory stays bounded)
ROW_TABLES = ("mentions", "organisations", "amounts", "targets", "actions")


def build_site(out: Path, site: Path | None = None, only: set[str] | None = None) -> Path:
    """Write the review site for the newest complete run in `out`; returns index.html's path.
    `only`: rebuild just these documents' pages (and the index and organisation pages); the
    others are kept as they are. Rows are read for a batch of documents at a time, never the
    whole run's at once."""
    out = Path(out)
    site = Path(site) if site else out / "review"
    site.mkdir(parents=True, exist_ok=True)
    documents = store.read_table(out, "documents").to_pylist()
    runs = store.read_table(out, "runs").to_pylist()
    run_id = store.latest_run_id(out)
    run = next((r for r in runs if r["run_id"] == run_id), None)
    registry = organisations.Orgs(organisations.registry(out))
    with_text = set(store.read_table(out, "texts", columns=["doc_id"]).column("doc_id").to_pylist())
    counts = {t: Counter(store.read_table(out, t, columns=["doc_id"]).column("doc_id").to_pylist()) for t in ROW_TABLES}
    keep, shown = {"index.html"}, []
    for d in documents:
        if d["status"] == "ok" and d["doc_id"] in with_text:
            keep.add(page_name(d["doc_id"]))
            shown.append(d)
    sections: dict[str, list] = defaultdict(list)
    for i in range(0, len(shown), PAGE_BATCH_DOCS):
        batch = shown[i : i + PAGE_BATCH_DOCS]
        rows, orgs_by_doc = _rows_for(out, {d["doc_id"] for d in batch})
        for d in batch:
            if only is None or d["doc_id"] in only or not (site / page_name(d["doc_id"])).exists():
                (site / page_name(d["doc_id"])).write_text(document_page(
                    d, rows[d["doc_id"]].pop("text"), rows[d["doc_id"]], orgs_by_doc[d["doc_id"]], registry),
                    encoding="utf-8")
        for org_id, parts in organisations.sections_by_org(registry, batch, rows, describe, page_name).items():
            sections[org_id] += parts
        store.release_memory()
    keep |= organisations.write_pages(site, registry, sections)
    amounts = store.read_table(out, "amounts", columns=[
        c for c in ("year", "currency", "low", "first_mention", "value_nok") if c in store.TABLES["amounts"].names])
    doc_orgs: dict[str, set[str]] = defaultdict(set)
    for o in store.read_table(out, "organisations", columns=["doc_id", "name"]).to_pylist():
        doc_orgs[o["doc_id"]].add(o["name"])
    index = site / "index.html"
    index.write_text(index_page(
        run, documents, counts, amounts.to_pylist(), store.read_table(out, "actions", columns=["actor"]).to_pylist(),
        store.read_table(out, "targets", columns=["actor"]).to_pylist(), registry, doc_orgs), encoding="utf-8")
    for stale in [*site.glob("doc-*.html"), *site.glob("org-*.html")]:
        if stale.name not in keep:
            stale.unlink()
    return index


def _rows_for(out: Path, ids: set[str]) -> tuple[dict, dict]:
    """The texts and rows of these documents: doc_id -> {"text": text, kind: rows by offset},
    and doc_id -> its `organisations` rows."""
    by_doc: dict[str, dict] = defaultdict(lambda: defaultdict(list))
    texts = store.read_table(out, "texts", doc_ids=ids)
    for doc_id, text in zip(texts.column("doc_id").to_pylist(), texts.column("text").to_pylist()):
        by_doc[doc_id]["text"] = text
    for k, (name, _, _) in KINDS.items():
        for r in sorted(store.read_table(out, name, doc_ids=ids).to_pylist(), key=lambda r: r["start"]):
            by_doc[r["doc_id"]][k].append(r)
    orgs_by_doc = defaultdict(list)
    for o in store.read_table(out, "organisations", doc_ids=ids).to_pylist():
        orgs_by_doc[o["doc_id"]].append(o)
    return by_doc, orgs_by_doc
