"""The organisation registry on the development documents (../shared/corpus: seeds, extra, dev2):
one id per organisation in every document that names it, kept by a second run and by a run that
adds a document."""
from collections import defaultdict
from pathlib import Path

import pytest

from pipeline import run, store
from pipeline.extract.organisations.data import key
from tests.conftest import require_shared

# Organisations named in two or more of the development documents, each with the forms the
# documents use (read from the texts; English and Norwegian names of one body together).
BODIES = [
    {"Legemiddelindustrien", "LMI"},
    {"GE Healthcare"},
    {"Høyre", "H", "Conservative Party"},
    {"Arbeiderpartiet", "Ap", "Labour Party"},
    {"Venstre", "V", "Liberals"},
    {"Stortinget", "Norwegian Parliament"},
    {"Den europeiske union", "EU", "European Union"},
    {"Innovasjon Norge"},
    {"Nærings- og fiskeridepartementet"},
    {"The Life Science Cluster", "Life Science Cluster"},
    {"Enova"},
    {"Nysnø", "Nysnø Klimainvesteringer"},
    {"Forskningsrådet", "Norges forskningsråd"},
    {"Equinor", "Statoil"},
    {"Fremskrittspartiet", "Frp"},
    {"Kystverket"},
]
ADDED = "d26_en_fund.txt"  # added by the third run (it names Nysnø and Investinor, known from x04)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    corpus = require_shared("corpus")
    out = tmp_path_factory.mktemp("registry") / "out"
    dev2 = sorted(p for p in (corpus / "dev2").iterdir() if p.name != ADDED)
    inputs = [str(corpus / "seeds"), str(corpus / "extra"), *map(str, dev2)]
    first = run.run_extraction(inputs, out)
    tables1 = {t: store.read_table(out, t).to_pylist() for t in ("organisations", "mentions", "organisation_registry")}
    second = run.run_extraction(inputs, out)
    tables2 = {t: store.read_table(out, t).to_pylist() for t in ("organisations", "mentions", "organisation_registry")}
    third = run.run_extraction([str(corpus / "dev2" / ADDED)], out)
    return out, (first, second, third), (tables1, tables2)


def _ids(rows: list[dict]) -> dict[tuple[str, str], str]:
    return {(r["doc_id"], r["name"]): r["org_id"] for r in rows}


def test_one_id_per_organisation_in_every_document(runs):
    out = runs[0]
    orgs = store.read_table(out, "organisations").to_pylist()
    assert all(r["org_id"] for r in orgs)
    found = 0
    for body in BODIES:
        forms = {key(f) for f in body}
        rows = [r for r in orgs if {key(r["name"]), *map(key, r["aliases"])} & forms]
        docs = {r["doc_id"] for r in rows}
        assert len(docs) >= 2, (body, rows)
        assert len({r["org_id"] for r in rows}) == 1, (body, [(r["name"], r["org_id"]) for r in rows])
        found += 1
    assert found >= 10
    # and every name used in two documents has one id
    by_name = defaultdict(set)
    for r in orgs:
        by_name[key(r["name"])].add(r["org_id"])
    assert {k: v for k, v in by_name.items() if len(v) > 1} == {}


def test_mentions_carry_their_organisations_id(runs):
    out = runs[0]
    ids = _ids(store.read_table(out, "organisations").to_pylist())
    mentions = [m for m in store.read_table(out, "mentions").to_pylist() if m["label"] == "ORG"]
    assert mentions and all(m["org_id"] == ids[(m["doc_id"], m["canonical"])] for m in mentions)


def test_the_registry_counts_documents_and_runs(runs):
    out, (first, _, third), _ = runs
    registry = {r["org_id"]: r for r in store.read_table(out, "organisation_registry").to_pylist()}
    orgs = store.read_table(out, "organisations").to_pylist()
    assert set(registry) >= {r["org_id"] for r in orgs}
    docs = defaultdict(set)
    for r in orgs:
        docs[r["org_id"]].add(r["doc_id"])
    assert all(registry[i]["n_documents"] == len(d) for i, d in docs.items())
    enova = next(r for r in registry.values() if r["name"] == "Enova")
    assert enova["first_run_id"] == first.run_id and enova["last_run_id"] == third.run_id and enova["kind"] == "agency"


def test_ids_unchanged_by_a_second_run_and_by_an_added_document(runs):
    out, (first, second, third), (tables1, tables2) = runs
    assert second.n_processed == 0 and third.n_processed == 1
    ids1, ids2 = _ids(tables1["organisations"]), _ids(tables2["organisations"])
    assert ids1 == ids2
    assert {r["org_id"]: r["name"] for r in tables1["organisation_registry"]} == \
        {r["org_id"]: r["name"] for r in tables2["organisation_registry"]}
    ids3 = _ids(store.read_table(out, "organisations").to_pylist())
    assert {k: v for k, v in ids3.items() if k in ids1} == ids1 and len(ids3) > len(ids1)
    # the added document's Nysnø and Investinor are the ones the first run registered
    added = {name: i for (doc, name), i in ids3.items() if (doc, name) not in ids1}
    registered = {r["name"]: r["org_id"] for r in tables1["organisation_registry"]}
    assert added["Nysnø"] == registered["Nysnø Klimainvesteringer"] and added["Investinor"] == registered["Investinor"]


def test_a_run_that_dies_after_writing_the_registry_leaves_the_ids_as_they_were(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("Enova og Statens naturoppsyn (SNO) får 10 mill. kroner.", encoding="utf-8")
    out = tmp_path / "out"
    run.run_extraction([str(raw)], out)
    before = store.read_table(out, "organisation_registry").to_pylist()
    (raw / "b.txt").write_text("SNO og Visma AS samarbeider. Visma vokser.", encoding="utf-8")

    def die(point):
        if point == "after-table:organisation_registry":
            raise KeyboardInterrupt("killed after the registry was written")

    monkeypatch.setattr(store, "checkpoint", die)
    with pytest.raises(KeyboardInterrupt):
        run.run_extraction([str(raw)], out)
    monkeypatch.undo()
    assert store.read_table(out, "organisation_registry").to_pylist() == before  # the dead run's registry is not read
    run.run_extraction([str(raw)], out)
    after = {r["name"]: r["org_id"] for r in store.read_table(out, "organisation_registry").to_pylist()}
    assert {r["name"]: r["org_id"] for r in before}.items() <= after.items()
    ids = _ids(store.read_table(out, "organisations").to_pylist())
    sno = {(doc, i) for (doc, name), i in ids.items() if name in ("Statens naturoppsyn", "SNO")}
    assert len({doc for doc, _ in sno}) == 2 and len({i for _, i in sno}) == 1  # "SNO" in b.txt is the body a.txt defined
    assert "Visma AS" in after
