"""Review pages: a static, self-contained site that shows every extraction in its context.

`build_site(out, site)` reads the committed tables (the newest complete run) and writes
`index.html` (the run, the documents grouped by status, two inline-SVG charts) and one page per
document: the cleaned text with every extracted span highlighted in place by spaCy's displaCy
span renderer (manual mode, from the tables' offsets), one colour per kind, the normalised value
beside each span's label, a filter to show one kind at a time, and the document's rows below.

No server, CDN or network: CSS and JS are inlined. Document text is untrusted: every piece of
it goes through displaCy's escaping or `html.escape`.
"""
from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from pathlib import Path

from spacy import displacy

from pipeline import store
from pipeline.review.charts import bar_chart, grouped_bar_chart

HERE = Path(__file__).parent
KINDS = {  # kind -> (table, label shown, colour)
    "organisation": ("mentions", "ORG", "#7aecec"),
    "amount": ("amounts", "AMOUNT", "#ffd166"),
    "target": ("targets", "TARGET", "#bfe1a2"),
    "action": ("actions", "ACTION", "#f4a6c6"),
}
MAX_PAGE_CHARS = 400_000  # longer documents show their first 400,000 characters highlighted
MAX_TABLE_ROWS = 5_000  # rows listed per table on a document page
RENDER_PIECE_CHARS = 2_000  # a longer line is rendered in pieces
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


def _fmt_number(v) -> str:
    if v is None:
        return ""
    return f"{v:,.0f}".replace(",", " ") if abs(v) >= 1000 else f"{v:g}"


def describe(kind: str, row: dict) -> str:
    """The normalised value shown beside a span's label."""
    if kind == "organisation":
        return row.get("canonical") or ""
    if kind == "amount":
        rng = _fmt_number(row["low"]) if row.get("high") in (None, row.get("low")) else \
            f"{_fmt_number(row['low'])}–{_fmt_number(row['high'])}"
        parts = [rng, row.get("currency") or "?", row.get("qualifier") or "", str(row["year"]) if row.get("year") else ""]
        return " ".join(p for p in parts if p)
    if kind == "target":
        parts = [row.get("direction") or "", _fmt_number(row.get("target_value")), row.get("target_unit") or "",
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
    tokens: list[str] = []
    first_token = [0] * len(cuts)  # index of the first token at or after each cut
    open_spans = 0
    for n, (a, b) in enumerate(zip(cuts, cuts[1:])):
        open_spans += depth[n]
        first_token[n] = len(tokens)
        raw = line[a:b]
        if not open_spans:
            if raw:
                tokens.append(raw.rstrip() or " ")
        elif raw.strip():  # inside a span: spaces at a piece's edges get tokens of their own,
            if raw[0].isspace():  # (an inline-block element would swallow them)
                tokens.append(" ")
            tokens.append(raw.strip())
            if raw[-1].isspace():
                tokens.append(" ")
        elif raw:
            tokens.append(" ")
    first_token[-1] = len(tokens)
    spans = []
    for k, i, r, s, e in local:
        start_token, end_token = first_token[at[s]], first_token[at[e]]
        if end_token > start_token:
            spans.append({
                "start_token": start_token, "end_token": end_token, "label": KINDS[k][1],
                "kb_id": html.escape(describe(k, r)), "kb_url": f"#row-{k}-{i}",
            })
    return {"text": line, "tokens": tokens, "spans": spans}


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
    return displacy.render(parsed, style="span", manual=True, options=options) if parsed else ""


def _table(headers: list[str], rows: list[list], kind: str | None = None, classes: list[str] | None = None) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = []
    for n, r in enumerate(rows):
        rid = f' id="row-{kind}-{n}"' if kind else ""
        cls = f' class="{classes[n]}"' if classes else ""
        cells = "".join(c if isinstance(c, _Raw) else f"<td>{html.escape('' if c is None else str(c))}</td>" for c in r)
        body.append(f"<tr{rid}{cls}>{cells}</tr>")
    return f'<table class="sortable"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


class _Raw(str):
    """A table cell that is already HTML (built here from escaped parts)."""


def _page(title: str, body: str) -> str:
    css = (HERE / "review.css").read_text(encoding="utf-8")
    js = (HERE / "review.js").read_text(encoding="utf-8")
    return (
        '<!DOCTYPE html>\n<html lang="nb"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title>"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        "script-src 'unsafe-inline'; img-src data:\">"
        f"<style>{css}</style></head><body>{body}<script>{js}</script></body></html>"
    )


_ROW_COLUMNS = {
    "organisation": ["text", "canonical", "label", "source_rule", "start", "end"],
    "amount": ["text", "value", "low", "high", "currency", "qualifier", "year", "source_rule"],
    "target": ["text", "metric", "baseline_value", "baseline_year", "target_value", "target_unit", "target_year",
               "direction", "actor", "source_rule"],
    "action": ["text", "verb", "actor", "addressee", "modality", "source_rule"],
}


def document_page(doc: dict, text: str, rows_by_kind: dict[str, list[dict]], orgs: list[dict]) -> str:
    filters = ['<label><input type="radio" name="kind" value="all" checked> all</label>']
    for k, (_, label, colour) in KINDS.items():
        n = len(rows_by_kind.get(k, []))
        filters.append(f'<label><input type="radio" name="kind" value="{k}"><span class="swatch" '
                       f'style="background:{colour}"></span>{label.lower()} ({n})</label>')
    shown, note = text, ""
    if len(text) > MAX_PAGE_CHARS:  # a page stays usable: the text is cut at a line end
        cut = text.rfind("\n", 0, MAX_PAGE_CHARS) + 1 or MAX_PAGE_CHARS
        shown = text[:cut]
        note = (f'<p class="muted">Showing the first {cut:,} of {len(text):,} characters; '
                "the tables below list every row.</p>")
    in_view = {k: [r for r in rows if r["end"] <= len(shown)] for k, rows in rows_by_kind.items()}
    views = [f'<section class="view active" data-kind="all">{render_text(shown, in_view, None)}</section>']
    for k in KINDS:
        views.append(f'<section class="view" data-kind="{k}">{render_text(shown, in_view, k)}</section>')
    tables = []
    for k, (table, label, _) in KINDS.items():
        cols = _ROW_COLUMNS[k]
        rows = rows_by_kind.get(k, [])
        tables.append(f"<h2>{html.escape(table)} ({len(rows)})</h2>")
        if len(rows) > MAX_TABLE_ROWS:
            tables.append(f'<p class="muted">The first {MAX_TABLE_ROWS:,} rows; all are in the Parquet tables.</p>')
        tables.append(_table(cols, [[r.get(c) for c in cols] for r in rows[:MAX_TABLE_ROWS]], kind=k))
    tables.append(f"<h2>organisations ({len(orgs)})</h2>")
    tables.append(_table(["name", "aliases", "n_mentions"], [[o["name"], ", ".join(o["aliases"] or []), o["n_mentions"]]
                                                           for o in orgs]))
    title = doc.get("title") or Path(doc["source"]).name
    body = (
        f'<header><a href="index.html">← all documents</a><h1>{html.escape(title)}</h1>'
        f'<div class="muted">{html.escape(doc["source"])} · {html.escape(str(doc.get("language")))} · '
        f'{doc.get("n_chars")} characters · doc_id {html.escape(doc["doc_id"][:16])}…</div></header>'
        f'<main>{note}<div class="filters">{"".join(filters)}</div>{"".join(views)}'
        f'<div class="rows">{"".join(tables)}</div></main>'
    )
    return _page(title, body)


def page_name(doc_id: str) -> str:
    return f"doc-{re.sub(r'[^0-9a-zA-Z]', '_', doc_id)[:40]}.html"


def index_page(run: dict | None, docs: list[dict], counts: dict[str, Counter], amounts: list[dict],
               actions: list[dict]) -> str:
    docs = sorted(docs, key=lambda d: (d["status"] != "failed", str(d.get("title") or d["source"]).casefold()))
    rows, classes = [], []
    for d in docs:
        link = _Raw(f'<td><a href="{page_name(d["doc_id"])}">{html.escape(d.get("title") or Path(d["source"]).name)}</a></td>'
                    if d["status"] == "ok" else f'<td>{html.escape(d.get("title") or Path(d["source"]).name)}</td>')
        rows.append([link, d["source"], d.get("language"), _Raw(f'<td class="status-{d["status"]}">{d["status"]}</td>'),
                     d.get("error"), *[counts[t][d["doc_id"]] for t in ("mentions", "amounts", "targets", "actions")]])
        classes.append(d["status"])
    by_year: dict[tuple[str, str], float] = defaultdict(float)
    for a in amounts:
        if a.get("currency") and a.get("low") is not None:
            by_year[(str(a["year"]) if a.get("year") else "no year", a["currency"])] += a["low"]
    actors = Counter(a.get("actor") or "(no actor)" for a in actions).most_common(15)
    run_html = "<p>No complete run yet.</p>"
    if run:
        n_failed = sum(d["status"] == "failed" for d in docs)
        run_html = (
            f'<div><span class="kpi">run <b>{html.escape(run["run_id"])}</b></span>'
            f'<span class="kpi">finished {html.escape(str(run["finished_at"]))[:19]}</span>'
            f'<span class="kpi">model {html.escape(str(run["model"]))}</span></div>'
            f'<div><span class="kpi">documents ok <b>{len(docs) - n_failed}</b></span>'
            f'<span class="kpi">failed <b class="status-failed">{n_failed}</b></span>'
            + "".join(f'<span class="kpi">{t} <b>{sum(counts[t].values())}</b></span>'
                      for t in ("mentions", "organisations", "amounts", "targets", "actions"))
            + "</div>"
        )
    body = (
        f"<header><h1>Extraction review</h1>{run_html}</header><main>"
        '<div class="charts">'
        f'<figure><figcaption>Amounts by year and currency (sum of low)</figcaption>{grouped_bar_chart(by_year)}</figure>'
        f'<figure><figcaption>Actions by actor (top 15)</figcaption>{bar_chart(actors)}</figure></div>'
        "<h2>Documents</h2>"
        + _table(["title", "source", "language", "status", "error", "mentions", "amounts", "targets", "actions"],
                 rows, classes=classes)
        + "</main>"
    )
    return _page("Extraction review", body)


PAGE_BATCH_DOCS = 200  # document pages are built this many at a time (memory stays bounded)
ROW_TABLES = ("mentions", "organisations", "amounts", "targets", "actions")


def build_site(out: Path, site: Path | None = None, only: set[str] | None = None) -> Path:
    """Write the review site for the newest complete run in `out`; returns index.html's path.
    `only`: rebuild just these documents' pages (and the index); the others are kept as they are.
    Rows are read for a batch of pages at a time, never the whole run's at once."""
    out = Path(out)
    site = Path(site) if site else out / "review"
    site.mkdir(parents=True, exist_ok=True)
    documents = store.read_table(out, "documents").to_pylist()
    runs = store.read_table(out, "runs").to_pylist()
    run_id = store.latest_run_id(out)
    run = next((r for r in runs if r["run_id"] == run_id), None)
    with_text = set(store.read_table(out, "texts", columns=["doc_id"]).column("doc_id").to_pylist())
    counts = {t: Counter(store.read_table(out, t, columns=["doc_id"]).column("doc_id").to_pylist()) for t in ROW_TABLES}
    keep, todo = {"index.html"}, []
    for d in documents:
        if d["status"] != "ok" or d["doc_id"] not in with_text:
            continue
        name = page_name(d["doc_id"])
        keep.add(name)
        if only is not None and d["doc_id"] not in only and (site / name).exists():
            continue
        todo.append(d)
    for i in range(0, len(todo), PAGE_BATCH_DOCS):
        _write_pages(out, site, todo[i : i + PAGE_BATCH_DOCS])
        store.release_memory()
    index = site / "index.html"
    amounts = store.read_table(out, "amounts", columns=["year", "currency", "low"]).to_pylist()
    actions = store.read_table(out, "actions", columns=["actor"]).to_pylist()
    index.write_text(index_page(run, documents, counts, amounts, actions), encoding="utf-8")
    for stale in site.glob("doc-*.html"):
        if stale.name not in keep:
            stale.unlink()
    return index


def _write_pages(out: Path, site: Path, docs: list[dict]) -> None:
    """The pages of these documents, from their rows only."""
    ids = {d["doc_id"] for d in docs}
    texts = store.read_table(out, "texts", doc_ids=ids)
    texts = dict(zip(texts.column("doc_id").to_pylist(), texts.column("text").to_pylist()))
    by_doc: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for k, (table, _, _) in KINDS.items():
        for r in sorted(store.read_table(out, table, doc_ids=ids).to_pylist(), key=lambda r: r["start"]):
            by_doc[r["doc_id"]][k].append(r)
    orgs_by_doc = defaultdict(list)
    for o in store.read_table(out, "organisations", doc_ids=ids).to_pylist():
        orgs_by_doc[o["doc_id"]].append(o)
    for d in docs:
        (site / page_name(d["doc_id"])).write_text(
            document_page(d, texts[d["doc_id"]], by_doc[d["doc_id"]], orgs_by_doc[d["doc_id"]]), encoding="utf-8")
