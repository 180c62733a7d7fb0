"""The organisation view: `organisations.html` (every organisation of the registry with its aliases,
number of documents and a link) and one page per organisation listing the documents that mention
it, newest first, with the amounts, targets and actions found in the sentences that mention it.
"""
from __future__ import annotations

import hashlib
import html
import re
from bisect import bisect_left
from collections import defaultdict
from pathlib import Path

from pipeline import store
from pipeline.review.layout import LONG, NAV, NUM, Col, Raw, link, page, table

ROW_KINDS = ("amount", "target", "action")  # the rows an organisation page lists


def registry(out: Path) -> list[dict]:
    """The rows of the `organisation_registry` table (CONTRACT.md's columns), aliases as a list."""
    return [{**r, "aliases": r["aliases"] or []} for r in store.read_table(out, "organisation_registry").to_pylist()]


def org_page_name(org_id) -> str:
    org_id = str(org_id)
    slug = re.sub(r"[^0-9a-zA-Z]+", "-", org_id).strip("-")[:40]
    return f"org-{slug}-{hashlib.sha1(org_id.encode()).hexdigest()[:8]}.html"


class Orgs:
    """The registry, looked up by org_id or by any of its names (case-insensitive)."""

    def __init__(self, rows: list[dict]):
        self.rows = {r["org_id"]: r for r in rows}
        self.by_name: dict[str, str] = {}
        for r in rows:
            for name in [*r["aliases"], r["name"]]:  # a canonical name wins over an alias
                self.by_name[name.casefold()] = r["org_id"]

    def id_of(self, row: dict) -> str | None:
        """The organisation of a `mentions` or `organisations` row: its org_id, else its name."""
        name = row.get("canonical") or row.get("name") or ""
        return row.get("org_id") or self.by_name.get(name.casefold())

    def name_of(self, name: str) -> str:
        """A name as its organisation's canonical name (an actor "Regjeringa" -> "Regjeringen"
        when the registry lists it as an alias); other names as they are."""
        org_id = self.by_name.get(name.casefold())
        return self.rows[org_id]["name"] if org_id else name

    def page_of(self, row: dict) -> str | None:
        org_id = self.id_of(row)
        return org_page_name(org_id) if org_id in self.rows else None


def index_page(orgs: Orgs) -> str:
    rows, attrs = [], []
    for r in sorted(orgs.rows.values(), key=lambda r: (-(r["n_documents"] or 0), r["name"].casefold())):
        rows.append([Raw(link(org_page_name(r["org_id"]), r["name"])), ", ".join(r["aliases"]),
                     r["kind"], r["n_documents"], r["first_run_id"], r["last_run_id"]])
        attrs.append(f'data-search="{html.escape(" ".join([r["name"], *r["aliases"]]).casefold())}"')
    cols = [Col("organisation", LONG), Col("aliases", LONG), Col("kind"), Col("documents", NUM), Col("first run"),
            Col("last run")]
    body = (
        f'<header>{NAV}<h1>Organisations ({len(rows)})</h1></header><main>'
        '<div class="search"><input type="search" id="q" placeholder="Search organisations and aliases" '
        'data-search-in="#organisations tbody tr" aria-label="search"><span id="q-count" class="muted"></span></div>'
        + table(cols, rows, row_attrs=attrs, table_id="organisations") + "</main>"
    )
    return page("Organisations", body)


def organisation_page(org: dict, sections: list[tuple[dict, str]]) -> str:
    """`sections`: (document, HTML of its part), newest documents first."""
    meta = [f"aliases <b>{html.escape(', '.join(org['aliases']) or '–')}</b>",
            f"documents <b>{org['n_documents']}</b>"]
    if org.get("kind"):
        meta.append(f"kind <b>{html.escape(org['kind'])}</b>")
    meta.append(f"runs <b>{html.escape(str(org['first_run_id']))}</b> – <b>{html.escape(str(org['last_run_id']))}</b>")
    body = (
        f'<header>{NAV}<h1>{html.escape(org["name"])}</h1>'
        f'<div class="meta">{"".join(f"<span>{m}</span>" for m in meta)}</div></header><main>'
        + ("".join(s for _, s in sections) or '<p class="muted">No document of the newest run mentions it.</p>')
        + "</main>"
    )
    return page(org["name"], body)


def newest_first(doc: dict) -> tuple:
    published = doc.get("published")
    return (published is None, -(published.toordinal() if published else 0), str(doc.get("title")).casefold())


def in_same_sentences(mentions: list[dict], rows: list[dict]) -> list[dict]:
    """The rows that share a sentence with one of the mentions (same sentence text, or a mention
    inside the row)."""
    sentences = {m["sentence"] for m in mentions if m.get("sentence")}
    starts = sorted(m["start"] for m in mentions)

    def holds_one(r: dict) -> bool:  # a mention starting inside the row (mentions do not cross rows)
        i = bisect_left(starts, r["start"])
        return i < len(starts) and starts[i] < r["end"]

    return [r for r in rows if r.get("sentence") in sentences or holds_one(r)]


def section(doc: dict, doc_page: str, n_mentions: int, rows: list[tuple[str, int, dict, str]]) -> str:
    """One document's part of an organisation page: `rows` are (kind, row number on the document
    page, row, its normalised value)."""
    title = doc.get("title") or Path(doc["source"]).name
    meta = [str(doc["published"]) if doc.get("published") else "no date", doc["source"],
            f"{n_mentions} mention{'s' if n_mentions != 1 else ''}"]
    out = (f'<section class="org-doc"><h2>{link(doc_page, title)}</h2>'
           f'<div class="muted">{" · ".join(html.escape(m) for m in meta)}</div>')
    if not rows:
        return out + '<p class="muted">No amounts, targets or actions in the sentences that mention it.</p></section>'
    cols = [Col("kind"), Col("text", LONG), Col("value", LONG), Col("actor", LONG), Col("sentence", LONG)]
    cells = [[kind, Raw(f'<div class="clamp">{link(f"{doc_page}#row-{kind}-{n}", r["text"])}</div>'), value,
              r.get("actor"), r.get("sentence")] for kind, n, r, value in rows]
    return out + table(cols, cells) + "</section>"


def sections_by_org(orgs: Orgs, docs: list[dict], rows_by_doc: dict[str, dict[str, list[dict]]],
                    describe, doc_page) -> dict[str, list[tuple[dict, str]]]:
    """For a batch of documents: org_id -> [(document, its section)]. `rows_by_doc[doc_id][kind]`
    are the rows as the document page lists them (kind "organisation": the mentions)."""
    out: dict[str, list[tuple[dict, str]]] = defaultdict(list)
    for d in docs:
        kinds = rows_by_doc.get(d["doc_id"], {})
        mentions: dict[str, list[dict]] = defaultdict(list)
        for m in kinds.get("organisation", []):
            org_id = orgs.id_of(m)
            if org_id in orgs.rows:
                mentions[org_id].append(m)
        numbered = {id(r): n for kind in ROW_KINDS for n, r in enumerate(kinds.get(kind, []))}  # as on its page
        for org_id, ms in mentions.items():
            rows = [(kind, numbered[id(r)], r, describe(kind, r))
                    for kind in ROW_KINDS for r in in_same_sentences(ms, kinds.get(kind, []))]
            out[org_id].append((d, section(d, doc_page(d["doc_id"]), len(ms), rows)))
    return out


def write_pages(site: Path, orgs: Orgs, sections: dict[str, list[tuple[dict, str]]]) -> set[str]:
    """organisations.html and one page per organisation; returns the names written."""
    (site / "organisations.html").write_text(index_page(orgs), encoding="utf-8")
    names = {"organisations.html"}
    for org_id, org in orgs.rows.items():
        name = org_page_name(org_id)
        parts = sorted(sections.get(org_id, []), key=lambda s: newest_first(s[0]))
        (site / name).write_text(organisation_page(org, parts), encoding="utf-8")
        names.add(name)
    return names
