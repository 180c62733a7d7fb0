"""The review site in a real browser: headless Chromium (the system's, Debian's `chromium`, driven
by Playwright) over a site built from the samples in raw/. Sorting of every table, the kind filter,
the organisation pages, the search box, no horizontal scrolling at 1,280 px, and screenshots of
the index, a document page and an organisation page (REVIEW_ARTIFACTS, default tests/artifacts/;
the README shows copies of them from docs/)."""
from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from pipeline import run, store
from pipeline.review import KINDS, page_name
from tests.conftest import REPO_ROOT
from tests.test_review import Highlights, hostile_page

ARTIFACTS = Path(os.environ.get("REVIEW_ARTIFACTS", Path(__file__).parent / "artifacts"))
WIDTH = 1280
# A fresh profile, no background traffic, no sandbox (root in CI), no GPU.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    if os.environ.get("CI"):  # .ci/run installs Debian's chromium: in CI this test must run
        pytest.fail("no Chromium in CI: .ci/run should have installed Debian's chromium")
    pytest.skip("no Chromium on this machine (Debian: apt-get install chromium); .ci/run installs it")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    executable = _chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chrome-profile")), executable_path=executable, args=CHROMIUM_ARGS,
            headless=True, viewport={"width": WIDTH, "height": 900})
        yield context
        context.close()


@pytest.fixture
def tab(browser):
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    page.close()
    assert not errors, errors  # no script error on any page


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory) -> Path:
    """The site of the samples in raw/ (the README's screenshots)."""
    out = tmp_path_factory.mktemp("raw-review") / "out"
    here = Path.cwd()
    os.chdir(REPO_ROOT)  # sources as `make run` names them: raw/...
    try:
        run.run_extraction(["raw"], out)
    finally:
        os.chdir(here)
    return out


def _docs(out: Path) -> list[dict]:
    return store.read_table(out, "documents").to_pylist()


def _keys(tab, table: int, col: int) -> list[str]:
    return tab.evaluate(
        """([t, c]) => Array.from(document.querySelectorAll('table.sortable')[t].tBodies[0].rows).map(r => {
             const td = r.cells[c]; return td.hasAttribute('data-sort') ? td.getAttribute('data-sort') : td.textContent.trim(); })""",
        [table, col])


def _in_order(tab, keys: list[str], kind: str, descending: bool) -> bool:
    filled = [k for k in keys if k != ""]
    if keys[: len(filled)] != filled:  # empty cells last, both ways
        return False
    if kind in ("num", "year"):
        values = [float(k) for k in filled]
    elif kind == "date":
        values = [dt.date.fromisoformat(k[:10]) for k in filled]
    else:  # text: Norwegian collation (æ, ø, å after z), as a reader expects
        return tab.evaluate("""([ks, desc]) => { const c = new Intl.Collator('nb', {numeric: true, sensitivity: 'base'});
                               return ks.every((k, i) => i === 0 || (desc ? -1 : 1) * c.compare(ks[i - 1], k) <= 0); }""",
                            [filled, descending])
    return values == sorted(values, reverse=descending)


def _check_every_column_sorts(tab) -> int:
    """Clicks every header of every table on the page, twice; returns the columns that had at least
    two different values (where the order is a real test)."""
    tested = 0
    tables = tab.locator("table.sortable")
    for t in range(tables.count()):
        headers = tables.nth(t).locator("thead th")
        for col in range(headers.count()):
            th = headers.nth(col)
            kind = th.get_attribute("data-type")
            for descending in (False, True):
                th.click()
                keys = _keys(tab, t, col)
                assert _in_order(tab, keys, kind, descending), (t, th.inner_text(), kind, descending, keys)
                assert th.get_attribute("aria-sort") == ("descending" if descending else "ascending")
            tested += len(set(keys)) > 1
    return tested


def _no_horizontal_scroll(tab):
    width, client = tab.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width <= client == WIDTH, (tab.url, width)


def test_sorting_every_table_and_width(sample_site, tab):
    site = sample_site / "review"
    doc = next(d for d in _docs(sample_site) if d["source"].endswith("english_news.txt"))
    pages = ["index.html", page_name(doc["doc_id"]), "organisations.html"]
    org_pages = sorted(p.name for p in site.glob("org-*.html"))
    assert org_pages
    tested = 0
    for name in [*pages, *org_pages[:3]]:
        tab.goto((site / name).as_uri())
        _no_horizontal_scroll(tab)
        tested += _check_every_column_sorts(tab)
    for name in org_pages:  # every page fits 1,280 px
        tab.goto((site / name).as_uri())
        _no_horizontal_scroll(tab)
    for d in _docs(sample_site):
        tab.goto((site / page_name(d["doc_id"])).as_uri())
        _no_horizontal_scroll(tab)
        # a highlight and the punctuation after it sit on one line (no "." alone on the next)
        assert tab.evaluate("Array.from(document.querySelectorAll('.view.active .glue'))"
                            ".every(g => g.getClientRects().length === 1)")
    assert tested >= 20


def test_number_column_sorts_by_value_not_text(sample_site, tab):
    """The amounts table of a document page: 500 000 000 EUR before 2 300 000 000 NOK (as text,
    "2 300..." would come first)."""
    doc = next(d for d in _docs(sample_site) if d["source"].endswith("english_news.txt"))
    tab.goto((sample_site / "review" / page_name(doc["doc_id"])).as_uri())
    amounts = tab.locator("table.sortable").nth(1)
    amounts.locator("th", has_text="value").first.click()
    shown = [c.strip() for c in amounts.locator("tbody tr td:nth-child(2)").all_inner_texts()]
    assert shown == ["500\u00a0000\u00a0000\u00a0EUR", "2\u00a0300\u00a0000\u00a0000\u00a0NOK"], shown


def test_organisation_pages_from_the_index(sample_site, tab):
    site = sample_site / "review"
    tab.goto((site / "index.html").as_uri())
    tab.get_by_role("link", name="Organisations").first.click()
    assert tab.url.endswith("organisations.html")
    tab.get_by_role("link", name="Enova", exact=True).click()
    assert tab.locator("h1").inner_text() == "Enova"
    sections = tab.locator("section.org-doc")
    assert sections.count() == 4  # the press release in four formats
    assert "80–90 millioner kroner" in tab.locator("section.org-doc table").first.inner_text()
    # newest first: dated documents in descending order, undated ones last
    dates = [s.split(" · ")[0] for s in tab.locator("section.org-doc > div.muted").all_inner_texts()]
    dated = [d for d in dates if d != "no date"]
    assert dated == sorted(dated, reverse=True) and dates[: len(dated)] == dated
    # its row links to the row of the document page
    tab.locator("section.org-doc table a").first.click()
    assert "#row-amount-" in tab.url and tab.locator(":target").count() == 1


def test_search_box_on_the_index(sample_site, tab):
    tab.goto((sample_site / "review" / "index.html").as_uri())
    rows = tab.locator("#documents tbody tr")
    assert rows.count() == 10 and tab.locator("#org-hits li:visible").count() == 0
    tab.fill("#q", "sjømatrådet")  # an organisation: the documents that mention it and its page
    assert rows.locator("visible=true").count() == 1
    assert tab.locator("#org-hits li:visible").count() == 1  # Sjømatrådet (or its registry name)
    tab.fill("#q", "batteriproduksjon")  # a title
    assert rows.locator("visible=true").count() == 4
    tab.fill("#q", "")
    assert rows.locator("visible=true").count() == 10


def test_kind_filter_counts_and_screenshots(sample_site, tab):
    site = sample_site / "review"
    doc = next(d for d in _docs(sample_site) if d["source"].endswith("pressemelding_eksport.txt"))
    page = site / page_name(doc["doc_id"])
    tab.goto(page.as_uri() + "#kind=target")  # a link to one kind's view opens it
    assert [v.get_attribute("data-kind") for v in tab.locator("section.view:visible").all()] == ["target"]
    for kind, (table, _, _) in KINDS.items():
        tab.check(f"input[name=kind][value={kind}]")
        assert [v.get_attribute("data-kind") for v in tab.locator("section.view:visible").all()] == [kind]
        assert tab.url.endswith(f"#kind={kind}")
        parser = Highlights()
        parser.feed(tab.content())
        rows = [r for r in store.read_table(sample_site, table).to_pylist() if r["doc_id"] == doc["doc_id"]]
        assert parser.starts.get(kind, 0) == len(rows) > 0, kind
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tab.goto((site / "index.html").as_uri())
    tab.screenshot(path=ARTIFACTS / "review-index.png", full_page=True)
    tab.goto(page.as_uri())
    tab.screenshot(path=ARTIFACTS / "review-document.png")
    tab.goto((site / "organisations.html").as_uri())
    tab.get_by_role("link", name="Innovasjon Norge", exact=True).click()
    tab.screenshot(path=ARTIFACTS / "review-organisation.png", full_page=True)
    for name in ("review-index.png", "review-document.png", "review-organisation.png"):
        assert (ARTIFACTS / name).stat().st_size > 10_000


def test_hostile_text_runs_no_script(tab, tmp_path):
    hostile = tmp_path / "hostile.html"
    hostile.write_text(hostile_page(), encoding="utf-8")
    tab.goto(hostile.as_uri())
    assert tab.evaluate("document.body.getAttribute('data-pwned')") is None
    assert "<script>document.body" in tab.locator("section.view.active").inner_text()


def test_long_cells_clamped_and_headers_sticky(tab, tmp_path):
    """A 600-character action shows three lines, all of it in its title and after a click; the
    header row stays at the top of the window while its table scrolls by."""
    from pipeline.review import document_page

    sentence = "Utvalget anbefaler at departementet " + "vurderer tiltak for næringen og " * 18 + "raskt."
    text = (sentence + "\n") * 80
    rows = [{"start": i * (len(sentence) + 1), "end": (i + 1) * (len(sentence) + 1) - 1, "text": sentence,
             "verb": "vurdere", "actor": "Utvalget", "addressee": None, "modality": "recommend", "source_rule": "x"}
            for i in range(80)]
    doc = {"doc_id": "c" * 64, "source": "long.txt", "title": "Long", "language": "nb", "n_chars": len(text)}
    path = tmp_path / "long.html"
    path.write_text(document_page(doc, text, {"action": rows}, []), encoding="utf-8")
    tab.goto(path.as_uri())
    _no_horizontal_scroll(tab)
    cell = tab.locator("#row-action-0 .clamp").first
    assert cell.get_attribute("title") == sentence
    clamped = cell.evaluate("c => [c.clientHeight, c.scrollHeight]")
    assert clamped[0] < clamped[1]
    cell.click()
    assert cell.evaluate("c => c.clientHeight") >= clamped[1]
    tab.locator("#row-action-60").scroll_into_view_if_needed()
    header = tab.locator("table:has(#row-action-60) th").first
    assert header.evaluate("h => getComputedStyle(h).position") == "sticky"
    assert abs(header.bounding_box()["y"]) < 2  # at the top of the window
