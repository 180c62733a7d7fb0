"""One end-to-end case per extractor through the real pipelines (details: test_<table>.py)."""
from pipeline.run.process import extract_rows


def test_each_extractor_finds_its_row(analyse_text):
    doc = analyse_text(
        "Direktoratet for medisinske produkter (DMP) og Innovasjon Norge deltok.\n\n"
        "Målet er å øke eksportinntektene fra 22 milliarder kroner i 2021 til 50 milliarder kroner i 2030.\n\n"
        "Rapporten anbefaler at regjeringen utvikler en nasjonal strategi."
    )
    rows = extract_rows(doc)
    assert {"Direktoratet for medisinske produkter", "Innovasjon Norge"} <= {r["name"] for r in rows["organisations"]}
    assert [(r["low"], r["currency"]) for r in rows["amounts"]] == [(22e9, "NOK"), (50e9, "NOK")]
    assert any(r["target_year"] == 2030 for r in rows["targets"])
    assert any("nasjonal strategi" in r["text"] for r in rows["actions"])
    for table in ("mentions", "amounts", "targets", "actions"):
        for r in rows[table]:
            assert doc.text[r["start"]:r["end"]] == r["text"], table
