"""Recommended actions with the trained models: what needs part-of-speech tags, the author,
provenance and long sentences. The cue families, lists, clause texts and fields are the corpus
pipeline/extract/actions/corpus/ (tests/extract/test_corpora.py)."""
import pytest

from pipeline.extract import actions


def _rows(analyse_text, text, **kw):
    document = analyse_text(text)
    return document, actions.extract(document, **kw)


@pytest.mark.parametrize(
    "text",
    [
        # a noun, not the cue verb: needs the model's part-of-speech tags (the other negative
        # cases are the corpus pipeline/extract/actions/corpus/)
        "Norway unveils plan to cut emissions",
        "According to a report, demand will triple in the coming years.",
        # issue 20: a plan or strategy as the subject states its purpose (the parse names it as the subject)
        "Regjeringen legger fram en ny strategi for fiskeflåten. Strategien skal styrke rekrutteringen til fiskeflåten i nord.",
        "Handlingsplanen skal sikre flere læreplasser i hele landet og bedre samarbeid med bedriftene.",
    ],
)
def test_no_action(analyse_text, text):
    _, rows = _rows(analyse_text, text)
    assert rows == [], [r["text"] for r in rows]


def test_report_resolves_to_its_author(analyse_text):
    text = "Siva og Innovasjon Norge\n\nRapport 2024\n\nRapporten foreslår at Norge etablerer en nasjonal helsekatapult."
    orgs = [{"name": "Siva", "aliases": []}, {"name": "Innovasjon Norge", "aliases": []}, {"name": "Helse Vest", "aliases": []}]
    _, rows = _rows(analyse_text, text, orgs=orgs)
    assert [r["actor"] for r in rows] == ["Siva, Innovasjon Norge"]


def test_rows_keep_provenance(analyse_text):
    document, rows = _rows(analyse_text, "Anbefalinger\n\n• Etablere en helsekatapult\n\nDet er krevende. Regjeringen bør styrke klyngene, sier Vestre.")
    assert len(rows) == 2
    for r in rows:
        assert document.text[r["start"]:r["end"]] == r["text"]
        assert len(r["text"]) <= 500
        assert r["source_rule"].startswith("action:")


def test_long_sentence_gives_a_window_around_the_cue(analyse_text):
    filler = ", ".join(f"område {i} med mange aktører" for i in range(30))
    text = f"Etter en lang gjennomgang av {filler}, anbefaler utvalget at regjeringen etablerer en nasjonal helsekatapult, {filler}."
    document, rows = _rows(analyse_text, text)
    assert len(rows) == 1
    assert "anbefaler utvalget at regjeringen etablerer en nasjonal helsekatapult" in rows[0]["text"]
    assert len(rows[0]["text"]) <= 500
    assert document.text[rows[0]["start"]:rows[0]["end"]] == rows[0]["text"]


# with the English model's parse (issue 20): the subject comes from the parse, also after a
# fronted phrase; a passive plan's actor is who says so, else the actor named before; a
# modal inside an expectation or opinion is no commitment
@pytest.mark.parametrize(
    "text, expected",
    [
        ("By mid-2025 the ministry will also present a white paper on energy.",
         [("By mid-2025 the ministry will also present a white paper on energy", "ministry")]),
        ("Environment Minister Kari Nordmann said the fee will be capped at 500 crowns.",
         [("Environment Minister Kari Nordmann said the fee will be capped at 500 crowns", "Kari Nordmann")]),
        ("The council plans to double its grants. The fee will also be capped at 500 euros per household.",
         [("The council plans to double its grants", "council"), ("The fee will also be capped at 500 euros per household", "council")]),
        ("Analysts expect that the plant will create jobs.", []),
        ("He believes the new strategy will strengthen exports.", []),
    ],
)
def test_actor_from_the_parse(analyse_text, text, expected):
    _, rows = _rows(analyse_text, text)
    assert [(r["text"], r["actor"]) for r in rows] == expected


# a named actor and any verb "will" governs, from the parse (dependency_patterns of actions.yaml);
# not a belief about someone's plan, not a verb of what befalls the subject
@pytest.mark.parametrize(
    "text, expected",
    [
        ("The government will scrap the fee.", [("The government will scrap the fee", "government", "action:commit_named")]),
        ("Analysts say the government will scrap the fee.", []),
        ("Norway will face higher costs.", []),
    ],
)
def test_named_actor_commitment_from_the_parse(analyse_text, text, expected):
    _, rows = _rows(analyse_text, text)
    assert [(r["text"], r["actor"], r["source_rule"]) for r in rows] == expected


# issue 20: rules that read the parse (the corpus runs without one)
@pytest.mark.parametrize(
    "text,want",
    [
        # a thing introduced with an indefinite article is not who commits: the actor named before
        ("Regjeringen vil styrke beredskapen i kommunene. Et nytt program skal sikre reservestrøm i alle kommuner.",
         ["Regjeringen", "Regjeringen"]),
        ("The Government will strengthen preparedness in the municipalities. A new fund will support small companies"
         " that want to invest.", ["Government", "Government"]),
        # a label before the sentence is not its subject
        ("Statsbudsjettet: Regjeringa foreslår å løyve midlar til nye fiskerihamner i Finnmark og Troms.", ["Regjeringa"]),
        ("Budsjett 2027: Regjeringen foreslår å øke støtten til Enova med 300 millioner kroner.", ["Regjeringen"]),
        # "plans to" after a named company (the tagger may read "plans" as a plural noun); a descriptive
        # adjective before the name is no part of the actor
        ("Norwegian steelmaker Fjordstål AS plans to build a hydrogen-based steel plant in the north of the country,"
         " the company said on Monday.", ["Fjordstål AS"]),
        ("Bergen-based Havkraft AS plans to build a new test centre for floating wind turbines near the city,"
         " the company said.", ["Havkraft AS"]),
    ],
)
def test_actor_with_a_parse(analyse_text, text, want):
    from pipeline.extract import organisations

    document = analyse_text(text)
    orgs = organisations.extract(document)[1]
    _, rows = _rows(analyse_text, text, orgs=orgs)
    assert [r["actor"] for r in rows] == want, [(r["text"], r["actor"]) for r in rows]
