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
    """Also with Dask's default dashboard port taken (another run's cluster): no "Port 8787 is
    already in use" warning, the dashboard takes a free port."""
    import socket
    import warnings

    from flows.extract import with_dask

    with socket.socket() as taken, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            taken.bind(("127.0.0.1", 8787))
            taken.listen()
        except OSError:
            pass  # in use already: the same situation
        s = with_dask(workers=2)(inputs=[str(REPO_ROOT / "raw")], out=str(tmp_path / "out"), batch_docs=1)
    assert s.n_failed == 0 and s.n_processed >= 3 and s.rows["amounts"] > 0
    assert not [w for w in caught if "already in use" in str(w.message)]


def test_flow_adds_by_default_syncs_when_asked_and_fails_on_a_refused_run(prefect_harness, tmp_path):
    from flows.extract import extract_flow
    from pipeline import run

    raw, new, out = tmp_path / "raw", tmp_path / "new", tmp_path / "out"
    raw.mkdir()
    new.mkdir()
    for name, text in {"a.txt": "Innovasjon Norge får 350 mill. kroner i 2025.", "b.txt": "Enova får 2 mrd. kroner.",
                       "c.txt": "Siva får 10 mill. kroner i 2025."}.items():
        (raw / name).write_text(text, encoding="utf-8")
    (new / "d.txt").write_text("Forskningsrådet får 5 mill. kroner.", encoding="utf-8")
    extract_flow(inputs=[str(raw)], out=str(out))
    s = extract_flow(inputs=[str(new)], out=str(out))  # add: d joins a, b, c
    assert (s.mode, s.n_processed, s.n_kept, s.n_documents) == ("add", 1, 3, 4)
    (raw / "c.txt").unlink()
    s = extract_flow(inputs=[str(raw), str(new)], out=str(out), sync=True)  # sync: c is gone
    assert (s.mode, s.n_removed, s.n_reused, s.n_documents) == ("sync", 1, 3, 3)
    names = {Path(p).name for p in store.read_table(out, "documents").column("source").to_pylist()}
    assert names == {"a.txt", "b.txt", "d.txt"}
    with pytest.raises(run.RunRefused, match="remove 2 of the 3 documents"):
        extract_flow(inputs=[str(new)], out=str(out), sync=True)
    with pytest.raises(run.RunRefused, match="input not found"):
        extract_flow(inputs=[str(tmp_path / "unmounted")], out=str(out), sync=True)
    assert store.latest_run_id(out) == s.run_id


def test_dask_workers_keep_glibcs_adaptive_malloc():
    """Dask's nanny would set MALLOC_TRIM_THRESHOLD_ in its workers, which turns off glibc's
    adaptive mmap threshold: spaCy's arrays are then mapped and unmapped batch after batch (a
    fifth more CPU, mostly system time, measured). The flow's local cluster leaves it unset."""
    import os

    from distributed import Client, LocalCluster

    from flows.extract import with_dask

    with_dask(workers=1)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster, \
            Client(cluster) as client:
        env = client.run(lambda: os.environ.get("MALLOC_TRIM_THRESHOLD_"))
    assert list(env.values()) == [None]
