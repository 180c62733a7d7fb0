"""Review pages: every row highlighted once in its document's page; untrusted text stays text."""
import re
from html.parser import HTMLParser

import pytest

from pipeline import run, store
from pipeline.review import KINDS, page_name

class Highlights(HTMLParser):
    """Collects, per view, the text of each highlighted span (the displaCy span tokens from one
    with a span-start label up to the next one, joined) and counts the span-start labels."""

    def __init__(self):
        super().__init__()
        self.view = None
        self.elements: dict[str, list[str]] = {}
        self.starts: dict[str, int] = {}
        self.scripts = 0
        self._token = None  # [depth of the token's element, its text pieces, has a start label]
        self._depth = 0
        self._gap = ""  # text between the previous token and this one

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = (a.get("class") or "").split()
        if tag == "section" and "view" in cls:
            self.view = a["data-kind"]
        if tag == "script":
            self.scripts += 1
        if tag == "span":
            self._depth += 1
            if "hl" in cls:
                self._token = [self._depth, [], False]
            if "hl-start" in cls and self.view:
                self.starts[self.view] = self.starts.get(self.view, 0) + 1
                self._token[2] = True

    def handle_endtag(self, tag):
        if tag == "span":
            if self._token is not None and self._depth == self._token[0]:
                text = " ".join("".join(self._token[1]).split())
                spans = self.elements.setdefault(self.view, [])
                if self._token[2] or not spans or self._gap.strip():
                    spans.append(text)
                else:  # the next piece of the same span
                    spans[-1] = " ".join((spans[-1] + self._gap + text).split())
                self._token, self._gap = None, ""
            self._depth -= 1
        if tag == "section":
            self.view = None

    def handle_data(self, data):
        if self._token is not None and self._depth == self._token[0]:
            self._token[1].append(data)
        elif self._token is None:
            self._gap += data


TEXT = (
    "Direktoratet for medisinske produkter (DMP) deltok.\n\n"
    "Målet er å øke eksporten til 50 milliarder kroner i 2030.\n\n"
    "Rapporten anbefaler at regjeringen utvikler en nasjonal strategi.\n"
)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    d = tmp_path_factory.mktemp("review")
    (d / "raw").mkdir()
    (d / "raw" / "doc.txt").write_text(TEXT, encoding="utf-8")
    run.run_extraction([str(d / "raw")], d / "out")
    return d / "out"


def test_index_and_document_pages_exist(site):
    assert (site / "review" / "index.html").exists()
    doc_id = store.read_table(site, "documents").column("doc_id")[0].as_py()
    assert (site / "review" / page_name(doc_id)).exists()


def test_every_row_has_exactly_one_highlight_with_its_text(site):
    doc_id = store.read_table(site, "documents").column("doc_id")[0].as_py()
    page = (site / "review" / page_name(doc_id)).read_text(encoding="utf-8")
    parser = Highlights()
    parser.feed(page)
    for kind, (table, _, _) in KINDS.items():
        rows = store.read_table(site, table).to_pylist()
        assert rows, f"the test document should give {table} rows"
        shown = parser.elements.get(kind, [])
        for r in rows:
            assert shown.count(" ".join(r["text"].split())) == 1, (kind, r["text"], shown)
        assert len(shown) == len(rows) == parser.starts[kind]


HOSTILE = ("Innovasjon Norge <script>document.body.setAttribute('data-pwned','1')</script> får "
           "<img src=x onerror=\"document.body.setAttribute('data-pwned','2')\"> 5 mill. kroner.")


def hostile_page() -> str:
    """A page for a text with markup in it (cleaning strips tags from .txt input, so the page
    builder is fed the raw text directly: it must escape whatever it gets)."""
    from pipeline.review import document_page

    start = HOSTILE.index("5 mill. kroner")
    amount = {"start": start, "end": start + 14, "text": "5 mill. kroner", "low": 5e6, "high": 5e6, "value": 5e6,
              "currency": "NOK<script>", "qualifier": None, "year": None, "source_rule": "x"}
    doc = {"doc_id": "h" * 64, "source": "<script>s</script>.txt", "title": "<script>t</script>", "language": "nb",
           "n_chars": len(HOSTILE)}
    return document_page(doc, HOSTILE, {"amount": [amount]}, [])


def test_untrusted_text_is_escaped():
    page = hostile_page()
    assert "<script>document.body" not in page and "<img src=x" not in page and "<script>t" not in page
    assert "&lt;script&gt;document.body" in page
    parser = Highlights()
    parser.feed(page)
    assert parser.scripts == 1  # only our own
    assert parser.elements["amount"] == ["5 mill. kroner"]


def test_numbers_the_norwegian_way_with_the_currency():
    from pipeline.review.layout import money, number

    assert number(2500000000.0) == "2\u00a0500\u00a0000\u00a0000"
    assert number(0.25) == "0,25" and number(None) == ""
    assert money(2500000000.0, "NOK") == "2\u00a0500\u00a0000\u00a0000\u00a0NOK"


def test_amount_cells_sort_by_value_and_show_the_currency():
    from pipeline.review import _row_table

    rows = [{"text": "x", "value": 2.5e9, "low": 2.5e9, "high": 2.5e9, "currency": "NOK", "start": 0},
            {"text": "y", "value": 5e8, "low": 5e8, "high": None, "currency": "EUR", "start": 5}]
    html_ = _row_table("amount", rows, None)
    assert 'data-sort="2500000000.0">2\u00a0500\u00a0000\u00a0000\u00a0NOK</td>' in html_
    assert 'data-sort="500000000.0">500\u00a0000\u00a0000\u00a0EUR</td>' in html_
    assert '<th scope="col" data-type="num">value</th>' in html_ and 'data-type="year">year</th>' in html_


def test_charts_are_svg_with_escaped_labels():
    from pipeline.review.charts import amounts_by_year, count_by_name

    svg = count_by_name([("Siva <script>alert(1)</script> & co", 3), ("Enova", 1)], "actions")
    assert svg.startswith("<svg") and "<script" not in svg and "&lt;script&gt;" in svg
    amounts = [{"year": 2030, "currency": "NOK", "low": 2.5e10, "first_mention": True},
               {"year": 2030, "currency": "NOK", "low": 2.5e10, "first_mention": False},  # a repeat: not summed
               {"year": None, "currency": "EUR", "low": 5e8, "first_mention": True}]
    svg = amounts_by_year(amounts)
    rate_and_conversion = [{"year": 2030, "currency": "NOK", "low": 590.0, "per_unit": "tonn", "first_mention": True},
                           {"year": 2030, "currency": "USD", "low": 7e8, "start": 10, "equivalent_of": 0, "first_mention": True}]
    assert amounts_by_year(amounts + rate_and_conversion) == svg  # a rate and the second of a pair add nothing
    assert "NOK billion" in svg and "EUR million" in svg and "no year" in svg
    assert ">25<" in svg and ">500<" in svg  # the bars' values
    in_nok = [dict(a, value_nok=a["low"] * (11.5 if a["currency"] == "EUR" else 1)) for a in amounts]
    svg = amounts_by_year(in_nok)
    assert "EUR" not in svg and "NOK billion" in svg and ">5,75<" in svg  # one NOK panel, Norwegian decimal comma
    in_nok[0]["value_nok"] = None  # a row of an earlier version: a NOK amount is its own value
    assert ">25<" in amounts_by_year(in_nok)


def test_actor_bars_merge_names_through_the_registry():
    from pipeline.review import _actors
    from pipeline.review.organisations import Orgs

    orgs = Orgs([{"org_id": "r", "name": "Regjeringen", "aliases": ["Regjeringa", "regjeringen"],
                  "kind": None, "n_documents": 2, "first_run_id": "a", "last_run_id": "b"}])
    rows = [{"actor": "Regjeringen"}, {"actor": "Regjeringa"}, {"actor": "Siva"}, {"actor": None},
            {"actor": "Enova"}, {"actor": "ENOVA"}, {"actor": "Enova"}]
    assert _actors(rows, orgs) == [("Enova", 3), ("Regjeringen", 2), ("Siva", 1), ("(no actor)", 1)]


def test_registry_is_the_organisation_registry_table(site):
    """The organisation view reads the registry under the table's own column names (CONTRACT.md)."""
    from pipeline.review.organisations import registry

    rows = registry(site)
    table = store.read_table(site, "organisation_registry").to_pylist()
    assert rows and [{**r, "aliases": r["aliases"] or []} for r in table] == rows
    assert {"org_id", "name", "aliases", "kind", "n_documents", "first_run_id", "last_run_id"} <= set(rows[0])


def test_organisation_page_lists_rows_of_its_sentences(site):
    """The organisation of the test text has a page with the document and no rows from other
    sentences; the index links to it."""
    from pipeline.review.organisations import Orgs, org_page_name, registry

    review = site / "review"
    index = (review / "organisations.html").read_text(encoding="utf-8")
    orgs = Orgs(registry(site))
    org_id = orgs.by_name["direktoratet for medisinske produkter"]
    name = orgs.rows[org_id]["name"]
    assert org_page_name(org_id) in index
    org = (review / org_page_name(org_id)).read_text(encoding="utf-8")
    assert "No amounts, targets or actions in the sentences that mention it." in org  # its sentence has none
    assert "50 milliarder kroner" not in org
    doc_id = store.read_table(site, "documents").column("doc_id")[0].as_py()
    doc_page = (review / page_name(doc_id)).read_text(encoding="utf-8")
    assert f'<a href="{org_page_name(org_id)}">' in doc_page  # its mentions link to its page
    assert f'href="{page_name(doc_id)}"' in org  # and its page to the document


def test_in_same_sentences():
    from pipeline.review.organisations import in_same_sentences

    mentions = [{"start": 10, "end": 15, "sentence": "A gir 5 kr."}]
    rows = [{"start": 12, "end": 20, "sentence": "A gir 5 kr."}, {"start": 40, "end": 50, "sentence": "B."},
            {"start": 5, "end": 30, "sentence": None}]
    assert in_same_sentences(mentions, rows) == [rows[0], rows[2]]


def test_newest_documents_first():
    import datetime as dt

    from pipeline.review.organisations import newest_first

    docs = [{"title": "b", "published": None}, {"title": "a", "published": dt.date(2024, 1, 1)},
            {"title": "c", "published": dt.date(2025, 3, 1)}]
    assert [d["title"] for d in sorted(docs, key=newest_first)] == ["c", "a", "b"]


def test_punctuation_stays_beside_its_highlight():
    """No "." alone at the start of a line: a highlight and the punctuation after it cannot be
    broken apart."""
    from pipeline.review import render_text

    text = "Pengene går til Innovasjon Norge."
    org = {"start": 16, "end": 32, "text": "Innovasjon Norge", "canonical": "Innovasjon Norge"}
    markup = render_text(text, {"organisation": [org]}, None)
    glued = re.search(r'<span class="glue">(.*?)</span>\.? </div>', markup, re.S)
    assert glued and glued.group(1).startswith('<span class="hl ') and markup.count('class="glue"') == 1
    assert re.search(r"</span>\.</span>", markup)


def test_no_space_added_before_a_highlight():
    """"(NFD)" stays "(NFD)", not "( NFD)"; a space the text has stays."""
    from pipeline.review import render_text

    text = "Departementet (NFD) og ( NHO) er med."
    rows = [{"start": text.index(n), "end": text.index(n) + 3, "text": n, "canonical": n} for n in ("NFD", "NHO")]
    markup = render_text(text, {"organisation": rows}, None)
    assert "Departementet (<span" in markup and "og ( <span" in markup and "\x00" not in markup


