"""The organisation registry: one id per organisation across documents and runs.

Every run rebuilds the registry from the previous complete run's registry (table
`organisation_registry`) and the `organisations` rows of the run's documents:
- a row carried forward with an id the registry knows keeps it;
- any other row (a new or re-processed document) takes the id of the first registry entry that
  shares one of its identity keys: the gazetteer entry of its name or an alias ("Forskningsrådet",
  "Norges forskningsråd" and "the Research Council of Norway" are one entry), then the comparison
  key of its name (with and without a legal form: "Nammo AS" is "Nammo"), then of its aliases (an
  acronym a document defined: "NOG" in one document, "Norwegian Oil and Gas Association (NOG)" in
  another);
- a row that shares no key gets a new id, a hash of its first key, so the id does not depend on
  the order in which batches finished.
Entries stay when their documents go (n_documents 0): a document added back finds its old id.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field

from pipeline.extract.organisations.data import RULES, WEAK_MAX, Entry, key, lookup, without_legal_form

ID_PREFIX = "org_"
KIND_ENDINGS = sorted(RULES["kind_endings"].items(), key=lambda kv: -len(kv[0]))


@dataclass
class RegistryEntry:
    org_id: str
    canonical_name: str
    aliases: set[str] = field(default_factory=set)
    kind: str | None = None
    first_run: str = ""
    last_run: str = ""
    gazetteer: Entry | None = None


def _entry_of(forms: list[str]) -> Entry | None:
    for form in forms:
        entry = lookup(form)
        if entry is not None:
            return entry
    return None


def identity_keys(name: str, aliases: list[str]) -> list[str]:
    """The keys an organisation row is known by, strongest first."""
    out = []
    entry = _entry_of([name, *aliases])
    if entry is not None:
        out.append(f"gaz:{key(entry.name)}")
    for i, form in enumerate([name, *aliases]):
        k = key(form)
        if i > 0 and len(k) <= WEAK_MAX:
            continue  # "V", "IN": too short to tie two documents together
        out += [k] + [s for s in [without_legal_form(k)] if s]
    return list(dict.fromkeys(k for k in out if k))


def kind_of(name: str, entry: Entry | None) -> str | None:
    """The gazetteer's kind, else a company by its legal form, else a kind by the name's ending
    (pipeline/lang/*/organisations.yaml `kind_endings`)."""
    if entry is not None and entry.kind:
        return entry.kind
    k = key(name)
    if without_legal_form(k):
        return "company"
    last = k.rpartition(" ")[2]
    return next((kind for ending, kind in KIND_ENDINGS if last.endswith(ending)), None)


def new_id(first_key: str, taken) -> str:
    digest = hashlib.sha256(first_key.encode()).hexdigest()
    i = 12
    while ID_PREFIX + digest[:i] in taken:
        i += 1
    return ID_PREFIX + digest[:i]


class Registry:
    def __init__(self, rows: list[dict] = ()):
        self.entries: dict[str, RegistryEntry] = {}
        self.index: dict[str, str] = {}  # identity key -> org_id (the first entry to claim it)
        self.documents: dict[str, set[str]] = {}  # org_id -> doc_ids of this run's rows
        for r in rows:
            entry = RegistryEntry(r["org_id"], r["name"], set(r["aliases"] or ()), r["kind"],
                                  r["first_run_id"], r["last_run_id"], _entry_of([r["name"], *(r["aliases"] or ())]))
            self.entries[entry.org_id] = entry
        # names before aliases: an alias never takes a key from another entry's own name
        for org_id, entry in self.entries.items():
            self._claim(org_id, identity_keys(entry.canonical_name, []))
        for org_id, entry in self.entries.items():
            self._claim(org_id, identity_keys(entry.canonical_name, sorted(entry.aliases)))

    def _claim(self, org_id: str, keys: list[str]) -> None:
        for k in keys:
            self.index.setdefault(k, org_id)

    def assign(self, rows: list[dict], run_id: str) -> dict[tuple[str, str], str]:
        """(doc_id, name) -> org_id for every organisations row (rows: doc_id, name, aliases, org_id)."""
        ids: dict[tuple[str, str], str] = {}
        fresh = []
        for r in rows:
            if r.get("org_id") in self.entries:
                ids[(r["doc_id"], r["name"])] = r["org_id"]
            else:
                fresh.append(r)
        # entries of the gazetteer first, then by name: the same ids whatever order batches came in
        fresh.sort(key=lambda r: (_entry_of([r["name"], *(r["aliases"] or ())]) is None, key(r["name"]), r["doc_id"]))
        for r in fresh:
            keys = identity_keys(r["name"], list(r["aliases"] or ()))
            org_id = next((self.index[k] for k in keys if k in self.index), None)
            if org_id is None:
                org_id = new_id(keys[0] if keys else r["name"], self.entries)
                self.entries[org_id] = RegistryEntry(org_id, r["name"], first_run=run_id, last_run=run_id,
                                                     gazetteer=_entry_of([r["name"], *(r["aliases"] or ())]))
            self._claim(org_id, keys)
            ids[(r["doc_id"], r["name"])] = org_id
        self._update(rows, ids, run_id)
        return ids

    def _update(self, rows: list[dict], ids: dict[tuple[str, str], str], run_id: str) -> None:
        """Names, aliases, kinds, document counts and runs of the entries after this run."""
        names: dict[str, Counter] = {}
        for r in rows:
            org_id = ids[(r["doc_id"], r["name"])]
            entry = self.entries[org_id]
            names.setdefault(org_id, Counter())[r["name"]] += 1
            entry.aliases |= {r["name"], *(r["aliases"] or ())}
            self.documents.setdefault(org_id, set()).add(r["doc_id"])
            entry.last_run = run_id
            if entry.gazetteer is None:
                entry.gazetteer = _entry_of([r["name"], *(r["aliases"] or ())])
        for org_id, entry in self.entries.items():
            if entry.gazetteer is not None:
                entry.canonical_name = entry.gazetteer.name
            elif org_id in names:  # the name most documents use; the longer one of equals
                entry.canonical_name = min(names[org_id].items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0]
            entry.kind = kind_of(entry.canonical_name, entry.gazetteer) or entry.kind
            by_key: dict[str, str] = {}
            for a in sorted(entry.aliases, key=lambda a: (a.isupper(), a)):
                by_key.setdefault(key(a), a)  # one spelling per key ("INNOVASJON NORGE" -> "Innovasjon Norge")
            by_key.pop(key(entry.canonical_name), None)
            entry.aliases = set(by_key.values())

    def rows(self, run_id: str) -> list[dict]:
        out = []
        for org_id, e in sorted(self.entries.items()):
            n = len(self.documents.get(org_id, ()))
            out.append({"org_id": org_id, "name": e.canonical_name, "aliases": sorted(e.aliases), "kind": e.kind,
                        "n_documents": n, "first_run_id": e.first_run, "last_run_id": e.last_run, "run_id": run_id})
        return out


def rebuild(previous: list[dict], rows: list[dict], run_id: str) -> tuple[dict[tuple[str, str], str], list[dict]]:
    """The ids of this run's organisations rows and the registry rows to commit."""
    registry = Registry(previous)
    ids = registry.assign(rows, run_id)
    return ids, registry.rows(run_id)
