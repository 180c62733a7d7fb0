"""The output tables of CONTRACT.md, declared once.

The writer (pipeline/store/), the tests and the README all read these schemas. Columns beyond the
contract's minimum are documented next to their field.
"""
from __future__ import annotations

import pyarrow as pa

from pipeline.read.metadata import as_date

_str, _int, _float = pa.string(), pa.int64(), pa.float64()

# Where an extracted row comes from, declared once for every row table: the offsets of its text in
# the cleaned text (`texts`), its sentence, the rule or model that found it, and the run.
OFFSETS = [("start", _int), ("end", _int)]
PROVENANCE = [*OFFSETS, ("sentence", _str), ("source_rule", _str), ("run_id", _str)]

DOCUMENTS = pa.schema(
    [
        ("doc_id", _str),  # sha256 of the raw bytes
        ("source", _str),  # path as given
        ("title", _str),
        ("language", _str),  # nb, nn, en or mixed
        ("n_chars", _int),  # characters of the cleaned text
        ("status", _str),  # ok or failed
        ("error", _str),
        ("run_id", _str),  # the run that processed the document
        ("pipeline_version", _str),
        ("content_type", _str),
        ("reader", _str),
        # the publication date the document states (a "Publisert" line, a dateline, a page's
        # metadata; a month alone, "date 2024-11", is its first day). Was an ISO string: README,
        # "Migration notes"
        ("published", pa.date32()),
        ("n_pages", _int),
        ("languages", pa.list_(_str)),  # languages of the segments, most characters first
        ("n_segments", _int),
    ]
)

MENTIONS = pa.schema(
    [
        ("doc_id", _str),
        *OFFSETS,  # first, as CONTRACT.md lists them
        ("text", _str),
        ("label", _str),
        ("canonical", _str),
        *PROVENANCE[len(OFFSETS):],
        ("org_id", _str),  # the organisation's id in organisation_registry (label ORG)
    ]
)

ORGANISATIONS = pa.schema(
    [
        ("doc_id", _str),
        ("name", _str),
        ("aliases", pa.list_(_str)),
        ("n_mentions", _int),
        ("first_start", _int),  # offset of the first mention
        ("source_rule", _str),  # rules and models that found its mentions, joined by "+"
        ("run_id", _str),
        ("org_id", _str),  # its id in organisation_registry: one id per organisation in every document
    ]
)

# One row per organisation across all documents and runs (pipeline/extract/organisations/registry.py):
# an id, once given, stays with the organisation in every later run. Rewritten by every run from the
# previous complete run's registry, so it rolls back with the other tables.
ORGANISATION_REGISTRY = pa.schema(
    [
        ("org_id", _str),
        ("name", _str),  # canonical: the gazetteer's name, else the name most documents use
        ("aliases", pa.list_(_str)),  # every other form seen in any document (kept after a document goes)
        ("kind", _str),  # company, ministry, agency, ... (gazetteer, legal form or head word), else null
        ("n_documents", _int),  # documents of this run's tables that name it (0: only earlier ones did)
        ("first_run_id", _str),  # the run that gave the id
        ("last_run_id", _str),  # the newest run whose tables name it
        ("run_id", _str),
    ]
)

AMOUNTS = pa.schema(
    [
        ("doc_id", _str),
        ("text", _str),
        ("value", _float),
        ("low", _float),
        ("high", _float),
        ("currency", _str),
        ("qualifier", _str),
        ("year", _int),
        *PROVENANCE,
        # true for the first row (by offset) of each distinct amount (low, high, currency) in its
        # document, false for a repeat (the same amount in title and body): sum where first_mention
        ("first_mention", pa.bool_()),
        # the unit of a rate ("tonn" for "590 kroner per tonn", "kWh"); null for a total
        ("per_unit", _str),
        # a conversion ("NOK7.5bn ($710m)", "2 mill. euro, tilsvarende 23 mill. kroner"): the `start`
        # of the row (same doc_id) this one restates in another currency; the two point to each other
        ("equivalent_of", _int),
        # value, low and high in NOK at the ECB rate of fx_date (the publication date, else 1 July
        # of `year`, else the run date); null where no rate exists (README, Outputs)
        ("value_nok", _float),
        ("low_nok", _float),
        ("high_nok", _float),
        ("fx_date", pa.date32()),
    ]
)

TARGETS = pa.schema(
    [
        ("doc_id", _str),
        ("text", _str),
        ("metric", _str),
        ("baseline_value", _float),
        ("baseline_year", _int),
        ("target_value", _float),
        ("target_unit", _str),
        ("target_year", _int),
        ("direction", _str),
        ("actor", _str),
        *PROVENANCE,
    ]
)

ACTIONS = pa.schema(
    [
        ("doc_id", _str),
        ("text", _str),
        ("verb", _str),
        ("actor", _str),
        ("addressee", _str),
        ("modality", _str),
        *PROVENANCE,
    ]
)

# The cleaned text every offset points into (for review pages and for checking a row in context).
TEXTS = pa.schema([("doc_id", _str), ("text", pa.large_string()), ("run_id", _str)])

RUNS = pa.schema(
    [
        ("run_id", _str),
        ("started_at", pa.timestamp("us", tz="UTC")),
        ("finished_at", pa.timestamp("us", tz="UTC")),
        ("n_documents", _int),  # documents in the tables after the run
        ("n_processed", _int),  # run through the NLP stages in this run
        ("n_reused", _int),  # given again unchanged: rows carried forward
        ("n_failed", _int),
        ("pipeline_version", _str),
        ("model", _str),
        ("inputs", pa.list_(_str)),  # paths given (for `remove`: the ids and paths removed)
        ("mode", _str),  # add (the default), sync or remove
        ("n_kept", _int),  # add mode: not given, kept from the previous version as they were
        ("n_removed", _int),  # documents of the previous version gone from this one (refreshed ones not counted)
        ("n_staged", _int),  # from batches a half-finished earlier run had staged (reused, not processed again)
    ]
)

# Extraction tables keyed by doc_id, in commit order; `runs` is committed last and marks the run
# as complete (pipeline/store/).
DOC_TABLES: dict[str, pa.Schema] = {
    "documents": DOCUMENTS,
    "mentions": MENTIONS,
    "organisations": ORGANISATIONS,
    "amounts": AMOUNTS,
    "targets": TARGETS,
    "actions": ACTIONS,
    "texts": TEXTS,
}
# Every table a run commits, in commit order (`runs` last).
TABLES: dict[str, pa.Schema] = {**DOC_TABLES, "organisation_registry": ORGANISATION_REGISTRY, "runs": RUNS}


def to_table(rows: list[dict], schema: pa.Schema) -> pa.Table:
    """Rows (dicts) to an Arrow table of `schema`; missing keys become nulls, extra keys are dropped."""
    columns = {f.name: [r.get(f.name) for r in rows] for f in schema}
    return pa.Table.from_pydict(columns, schema=schema)


def conform(batch: pa.RecordBatch, schema: pa.Schema) -> pa.RecordBatch:
    """Rows an earlier version wrote, in `schema`: a column they lack is null (a new column such
    as amounts.first_mention), an ISO-string date becomes a date (documents.published)."""
    arrays = []
    for f in schema:
        if f.name not in batch.schema.names:
            arrays.append(pa.nulls(batch.num_rows, f.type))
            continue
        column = batch.column(f.name)
        if pa.types.is_date32(f.type) and pa.types.is_string(column.type):
            column = pa.array([as_date(v) for v in column.to_pylist()], f.type)
        arrays.append(column.cast(f.type))
    return pa.RecordBatch.from_arrays(arrays, schema=schema)
