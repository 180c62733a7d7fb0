"""`OUT/norextract.duckdb`: one DuckDB view per table over `OUT/latest/<table>.parquet`.

SQL on the newest run without any DuckDB extension (Parquet is built into DuckDB) and without a
network. The views name their files relative to the output folder's parent
(`processed/latest/amounts.parquet`), so the database works when opened from there (the repo
root for `processed/`), also after the folder is moved or copied elsewhere with its parent's
layout; from another folder, set DuckDB's `file_search_path` to the output folder's parent.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path

from pipeline.store.schema import TABLES

DB_NAME = "norextract.duckdb"
log = logging.getLogger(__name__)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def write_views(out: Path) -> Path | None:
    """(Re)build `out/norextract.duckdb` in a temporary file, then rename it into place. A failure
    is a warning, not an error: the run has committed already, and the database is a convenience."""
    out = Path(os.path.abspath(out))  # not resolve(): keep the folder's name as the user sees it
    final, tmp = out / DB_NAME, out / f".{DB_NAME}.tmp"
    try:
        import duckdb

        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
            leftover.unlink(missing_ok=True)
        # the oldest storage format that holds views: DuckDB 1.0 and later (a CLI older than this package) open it
        con = duckdb.connect(str(tmp), config={"storage_compatibility_version": "v1.0.0"})
        try:
            # the views are bound now (the files must exist): resolve their relative paths from the parent
            con.execute(f"SET file_search_path = {_quote(str(out.parent))}")
            for name in TABLES:
                path = f"{out.name}/latest/{name}.parquet"
                con.execute(f'CREATE VIEW "{name}" AS SELECT * FROM read_parquet({_quote(path)})')
        finally:
            con.close()
        os.replace(tmp, final)
        return final
    except Exception as e:  # noqa: BLE001 (any failure: warn, keep the run)
        log.warning("could not rebuild %s: %s: %s", final, type(e).__name__, str(e).splitlines()[0] if str(e) else "")
        tmp.unlink(missing_ok=True)
        return None
