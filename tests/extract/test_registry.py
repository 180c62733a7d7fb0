"""The organisation registry (pipeline/extract/organisations/registry.py) on rows of its own."""
from pipeline.extract.organisations.registry import identity_keys, kind_of, rebuild
from pipeline.extract.organisations.data import lookup


def row(doc_id, name, aliases=(), org_id=None):
    return {"doc_id": doc_id, "name": name, "aliases": list(aliases), "org_id": org_id}


def test_one_id_across_documents_languages_acronyms_and_legal_forms():
    rows = [row("a", "Forskningsrådet"), row("b", "Research Council of Norway"), row("c", "Norges forskningsråd"),
            row("a", "Nammo AS"), row("b", "Nammo"),
            row("a", "Norwegian Oil and Gas Association", ["NOG"]), row("c", "NOG"),
            row("b", "Arbeiderpartiet", ["Ap"]), row("c", "Labour Party")]
    ids, registry = rebuild([], rows, "run1")
    assert ids[("a", "Forskningsrådet")] == ids[("b", "Research Council of Norway")] == ids[("c", "Norges forskningsråd")]
    assert ids[("a", "Nammo AS")] == ids[("b", "Nammo")]
    assert ids[("a", "Norwegian Oil and Gas Association")] == ids[("c", "NOG")]
    assert ids[("b", "Arbeiderpartiet")] == ids[("c", "Labour Party")]
    assert len(set(ids.values())) == 4
    by_id = {r["org_id"]: r for r in registry}
    research = by_id[ids[("a", "Forskningsrådet")]]
    assert research["name"] == "Norges forskningsråd" and research["n_documents"] == 3
    assert {"Forskningsrådet", "Research Council of Norway"} <= set(research["aliases"])
    assert research["kind"] == "agency" and research["first_run_id"] == research["last_run_id"] == "run1"
    assert by_id[ids[("a", "Nammo AS")]]["kind"] == "company"


def test_ids_do_not_depend_on_the_order_of_rows():
    rows = [row("a", "Startuplab", ["Startuplab Ventures"]), row("b", "Kahoot"), row("c", "Startuplab Ventures")]
    assert rebuild([], rows, "r")[0] == rebuild([], rows[::-1], "r")[0]


def test_ids_survive_runs_removals_and_documents_added_back():
    ids1, reg1 = rebuild([], [row("a", "Visma"), row("b", "Visma AS"), row("b", "Meltwater")], "run1")
    # run 2: document a is removed; b is carried with its ids; a new document c names Visma
    carried = [row("b", "Visma AS", org_id=ids1[("b", "Visma AS")]), row("b", "Meltwater", org_id=ids1[("b", "Meltwater")])]
    ids2, reg2 = rebuild(reg1, carried + [row("c", "Visma")], "run2")
    assert ids2[("c", "Visma")] == ids1[("a", "Visma")] == ids1[("b", "Visma AS")]
    visma = next(r for r in reg2 if r["org_id"] == ids1[("a", "Visma")])
    assert visma["n_documents"] == 2 and visma["first_run_id"] == "run1" and visma["last_run_id"] == "run2"
    # run 3: only c is left; Meltwater stays in the registry without documents, and comes back with its id
    ids3, reg3 = rebuild(reg2, [row("c", "Visma", org_id=ids2[("c", "Visma")])], "run3")
    meltwater = next(r for r in reg3 if r["org_id"] == ids1[("b", "Meltwater")])
    assert meltwater["n_documents"] == 0 and meltwater["last_run_id"] == "run2"
    ids4, _ = rebuild(reg3, [row("d", "Meltwater")], "run4")
    assert ids4[("d", "Meltwater")] == ids1[("b", "Meltwater")]


def test_a_reprocessed_document_finds_its_ids_by_name():
    ids1, reg1 = rebuild([], [row("a", "Statens naturoppsyn", ["SNO"]), row("a", "Enova")], "run1")
    ids2, _ = rebuild(reg1, [row("a", "Statens naturoppsyn", ["SNO"]), row("a", "Enova SF")], "run2")
    assert ids2[("a", "Statens naturoppsyn")] == ids1[("a", "Statens naturoppsyn")]
    assert ids2[("a", "Enova SF")] == ids1[("a", "Enova")]


def test_short_aliases_do_not_join_documents():
    """"V" (Venstre) and "H" (Høyre) are too short to tie two unknown names together."""
    ids, _ = rebuild([], [row("a", "Vekst Invest", ["VI"]), row("b", "Vital Insight", ["VI"])], "r")
    assert ids[("a", "Vekst Invest")] != ids[("b", "Vital Insight")]


def test_identity_keys_and_kinds():
    assert identity_keys("Equinor ASA", [])[:3] == ["gaz:equinor", "equinor asa", "equinor"]
    assert kind_of("Hasvik kommune", None) == "municipality"
    assert kind_of("Klima- og miljødepartementet", lookup("Klima- og miljødepartementet")) == "ministry"
    assert kind_of("Photoncycle", None) is None
