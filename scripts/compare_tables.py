"""Do two runs give the same rows? Compares every table of `OUT_A/latest/*.parquet` with the
table of the same name in `OUT_B/latest/`: all columns but the run's own (run ids, timestamps,
durations, the pipeline version), rows sorted canonically.

    python scripts/compare_tables.py OUT_A OUT_B

Prints "<table>: same" or the rows only one side has; exits 1 on any difference.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pyarrow.parquet as pq

# Columns that change from run to run without the extraction changing.
# (`pipeline_version` hashes the code and the language data, so it changes with any edit.)
RUN_COLUMNS = re.compile(r"^(run_id|pipeline_version|.*_at|.*_seconds)$")


def _cell(v) -> str:
    return json.dumps(v, sort_keys=True, default=str, ensure_ascii=False)


def rows(path: Path) -> tuple[list[str], list[str]]:
    """(compared columns, rows as canonical strings, sorted)."""
    table = pq.read_table(path)
    columns = sorted(c for c in table.column_names if not RUN_COLUMNS.match(c))
    data = table.select(columns).to_pylist()
    return columns, sorted(_cell([r[c] for c in columns]) for r in data)


def compare(a: Path, b: Path, show: int = 5) -> bool:
    """Print the comparison of every table; True when all are the same."""
    names = sorted({p.stem for p in (a / "latest").glob("*.parquet")} | {p.stem for p in (b / "latest").glob("*.parquet")})
    same = True
    for name in names:
        pa_, pb_ = a / "latest" / f"{name}.parquet", b / "latest" / f"{name}.parquet"
        if not (pa_.exists() and pb_.exists()):
            print(f"{name}: only in {'A' if pa_.exists() else 'B'}")
            same = False
            continue
        ca, ra = rows(pa_)
        cb, rb = rows(pb_)
        if ca != cb:
            print(f"{name}: DIFFERENT columns: only A {sorted(set(ca) - set(cb))}, only B {sorted(set(cb) - set(ca))}")
            same = False
            continue
        if ra == rb:
            print(f"{name}: same ({len(ra)} rows)")
            continue
        same = False
        only_a = sorted(set(ra) - set(rb))
        only_b = sorted(set(rb) - set(ra))
        print(f"{name}: DIFFERENT ({len(ra)} vs {len(rb)} rows; {len(only_a)} only in A, {len(only_b)} only in B)")
        print("  columns:", ca)
        for tag, diff in (("A", only_a), ("B", only_b)):
            for r in diff[:show]:
                print(f"  {tag}: {r[:400]}")
    return same


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    return 0 if compare(Path(argv[0]), Path(argv[1])) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
