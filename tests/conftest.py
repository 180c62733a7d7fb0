"""Shared test helpers and fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

REPO_ROOT = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    """The project's ``shared/`` folder: beside the repo clone (``../shared``), as on CI."""
    return (REPO_ROOT / ".." / "shared").resolve()


def require_shared(*parts: str) -> Path:
    """A path under ../shared, or skip the test with the reason."""
    p = shared_dir().joinpath(*parts)
    if not p.exists():
        pytest.skip(f"{p} not found: these tests need the project's shared/ folder beside the repo clone")
    return p


def same_rows(a, b) -> bool:
    """Two Arrow tables hold the same rows (Delta Lake does not promise row order)."""
    key = lambda r: repr(sorted(r.items()))  # noqa: E731
    return a.schema.names == b.schema.names and sorted(a.to_pylist(), key=key) == sorted(b.to_pylist(), key=key)


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return require_shared("corpus", "seeds")


@pytest.fixture(scope="session")
def pipelines():
    from pipeline.nlp import get_pipelines

    return get_pipelines()


@pytest.fixture(scope="session")
def analyse_text(pipelines):
    """Clean and analyse a text; returns the AnalysedDocument the extractors read."""
    from pipeline.clean import clean
    from pipeline.document import AnalysedDocument
    from pipeline.read.metadata import published_date
    from pipeline.nlp import analyse

    def _analyse(text: str, doc_id: str = "test") -> AnalysedDocument:
        ct = clean(text)  # the publication date as the reader finds it (pipeline/read/)
        return AnalysedDocument(doc_id, ct, analyse([ct], pipelines)[0], published=published_date(text))

    return _analyse


@pytest.fixture(scope="session")
def prefect_harness():
    """One temporary Prefect server for every flow test of the session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield
