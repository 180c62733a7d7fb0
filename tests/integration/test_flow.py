"""The Prefect flow end to end (one temporary Prefect server for the session)."""
from pathlib import Path

import pytest

from pipeline import store
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.flow


def test_flow_on_raw_samples_then_nothing_reprocessed(prefect_harness, tmp_path):
    from flows.extract import extract_flow

    out = tmp_path / "out"
    s1 = extract_flow(inputs=[str(REPO_ROOT / "raw")], out=str(out))
    assert s1.n_failed == 0 and s1.n_processed == s1.n_documents >= 3
    for name in ("mentions", "organisations", "amounts", "targets", "actions"):
        assert s1.rows[name] > 0, name
    s2 = extract_flow(inputs=[str(REPO_ROOT / "raw")], out=str(out))
    assert s2.n_processed == 0 and s2.n_reused == s1.n_documents
    assert (out / "latest" / "amounts.parquet").exists()


def test_flow_on_seeds_fills_every_table(prefect_harness, seeds_dir, tmp_path):
    from flows.extract import extract_flow

    s = extract_flow(inputs=[str(seeds_dir)], out=str(tmp_path / "out"))
    assert s.n_documents == 5 and s.n_failed == 0
    for name in ("documents", "mentions", "organisations", "amounts", "targets", "actions"):
        assert store.read_table(tmp_path / "out", name).num_rows > 0, name


def test_flow_on_local_dask_cluster(prefect_harness, tmp_path):
    from flows.extract import with_dask

    s = with_dask(workers=2)(inputs=[str(REPO_ROOT / "raw")], out=str(tmp_path / "out"), batch_docs=1)
    assert s.n_failed == 0 and s.n_processed >= 3 and s.rows["amounts"] > 0
