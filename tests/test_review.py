"""Review pages: every row highlighted once in its document's page; untrusted text stays text."""
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pipeline import run, store
from pipeline.review import KINDS, page_name

ARTIFACTS = Path(os.environ.get("REVIEW_ARTIFACTS", Path(__file__).parent / "artifacts"))


class Highlights(HTMLParser):
    """Collects, per view, the text of each highlighted element (displaCy span tokens) and
    counts the span-start labels per kind."""

    def __init__(self):
        super().__init__()
        self.view = None
        self.stack = []  # (tag, kind or None, depth-of-own-text-capture)
        self.elements: dict[str, list[str]] = {}
        self.starts: dict[str, int] = {}
        self.scripts = 0
        self._capture = None
        self._depth = 0

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
                self._capture = [self._depth, []]
            elif self._capture is not None and self._depth == self._capture[0] + 1:
                self._capture.append("child")
            if "hl-start" in cls and self.view:
                self.starts[self.view] = self.starts.get(self.view, 0) + 1

    def handle_endtag(self, tag):
        if tag == "span":
            if self._capture is not None and self._depth == self._capture[0]:
                self.elements.setdefault(self.view, []).append(" ".join("".join(self._capture[1]).split()))
                self._capture = None
            self._depth -= 1
        if tag == "section":
            self.view = None

    def handle_data(self, data):
        if self._capture is not None and self._depth == self._capture[0]:
            self._capture[1].append(data)


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


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    pytest.skip("no Chromium on this machine (Debian: apt-get install chromium); .ci/run installs it")


def _chromium_run(url: str, *args: str, tmp: Path) -> str:
    cmd = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={tmp / 'chrome'}", "--virtual-time-budget=3000", *args, url]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    return r.stdout


@pytest.fixture(scope="module")
def seed_site(tmp_path_factory, seeds_dir):
    d = tmp_path_factory.mktemp("seedreview")
    (d / "raw").mkdir()
    shutil.copy(seeds_dir / "002_49f2bfa45f46e3ea.txt", d / "raw")
    run.run_extraction([str(d / "raw")], d / "out")
    return d


def _page_for(out: Path, name: str) -> Path:
    docs = store.read_table(out, "documents").to_pylist()
    doc_id = next(r["doc_id"] for r in docs if r["source"].endswith(name))
    return out / "review" / page_name(doc_id)


def test_browser_counts_filter_and_no_script(seed_site, tmp_path):
    out = seed_site / "out"
    page = _page_for(out, "002_49f2bfa45f46e3ea.txt")
    for kind, (table, _, _) in KINDS.items():
        dom = _chromium_run(page.as_uri() + f"#kind={kind}", "--dump-dom", tmp=tmp_path)
        assert 'data-kind="' + kind + '"' in dom
        parser = Highlights()
        parser.feed(dom)
        doc_rows = [r for r in store.read_table(out, table).to_pylist()
                    if r["doc_id"] == _doc_id(out, "002_49f2bfa45f46e3ea.txt")]
        assert parser.starts.get(kind, 0) == len(doc_rows), kind
        # the filter: only the chosen kind's view is shown
        active = re.findall(r'<section class="view( active)?" data-kind="(\w+)"', dom)
        assert [k for a, k in active if a] == [kind]
    hostile = tmp_path / "hostile.html"
    hostile.write_text(hostile_page(), encoding="utf-8")
    dom = _chromium_run(hostile.as_uri(), "--dump-dom", tmp=tmp_path)
    assert "<body" in dom and "data-pwned" not in dom.split("<body", 1)[1].split(">", 1)[0]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    _chromium_run((out / "review" / "index.html").as_uri(), f"--screenshot={ARTIFACTS / 'review-index.png'}",
                  "--window-size=1280,1200", tmp=tmp_path)
    _chromium_run(page.as_uri(), f"--screenshot={ARTIFACTS / 'review-document.png'}", "--window-size=1280,1400",
                  tmp=tmp_path)
    assert (ARTIFACTS / "review-document.png").stat().st_size > 10_000


def _doc_id(out: Path, name: str) -> str:
    return next(r["doc_id"] for r in store.read_table(out, "documents").to_pylist() if r["source"].endswith(name))
