"""The first-name list of the organisation filters (pipeline/lang/common/first_names.yaml) from
NorNE's person names: the first word of every person name of two or more words in the bokmål
and nynorsk NDT train files, kept when it starts a person name at least twice and more often
than it is any other capitalised word. Names only (NorNE's annotations are CC0), no text.

    python -m training.first_names ../shared/data/norne
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from training.data import NB_TRAIN_FILE, NN_TRAIN_FILE, NORNE_COMMIT

OUT = Path(__file__).parents[1] / "pipeline" / "lang" / "common" / "first_names.yaml"


def first_names(norne: Path) -> list[str]:
    starts, others = Counter(), Counter()
    for name in (NB_TRAIN_FILE, NN_TRAIN_FILE):
        rows = [line.rstrip("\n").split("\t") for line in (norne / name).open(encoding="utf-8")]
        for row, nxt in zip(rows, rows[1:] + [[]]):
            if len(row) < 10 or not row[1][:1].isupper():
                continue
            if row[9] == "name=B-PER" and len(nxt) >= 10 and nxt[9] == "name=I-PER" and row[1].isalpha():
                starts[row[1]] += 1
            elif row[9] != "name=B-PER":
                others[row[1]] += 1
    return sorted(w for w, n in starts.items() if n >= 2 and n > others[w])


def main(norne: str) -> None:
    names = first_names(Path(norne))
    header = (f"# First names: the first word of person names in NorNE (commit {NORNE_COMMIT}), bokmål and nynorsk\n"
              "# NDT train, at least twice and more often than as any other capitalised word.\n"
              "# Built by `python -m training.first_names ../shared/data/norne`; do not edit by hand\n"
              "# (names of your own: `first_names` in organisations.yaml beside this file).\n")
    OUT.write_text(header + "first_names:\n" + "".join(f"- {n}\n" for n in names), encoding="utf-8")
    print(f"{len(names)} names -> {OUT}")


if __name__ == "__main__":
    main(*sys.argv[1:])
