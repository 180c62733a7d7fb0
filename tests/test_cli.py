import subprocess
import sys

from tests.conftest import REPO_ROOT


def run_cli(*args, timeout=300):
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=timeout)


def test_help_lists_commands():
    r = run_cli("--help")
    assert r.returncode == 0
    for command in ("extract", "review", "train-model", "evaluate", "evaluate-ner", "vacuum", "info"):
        assert command in r.stdout


def test_extract_local_engine_exits_zero_with_failures(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "ok.txt").write_text("Innovasjon Norge får 350 mill. kroner i 2025.", encoding="utf-8")
    (raw / "bad.txt").write_bytes(b"\x00\x01\x02" * 100)
    r = run_cli("extract", str(raw), "--out", str(tmp_path / "out"), "--engine", "local")
    assert r.returncode == 0, r.stderr
    assert "failed: 1" in r.stdout and "bad.txt" in r.stdout
    assert (tmp_path / "out" / "latest" / "documents.parquet").exists()


def test_evaluate_ner_prints_spacy_scores_as_json(tmp_path):
    import json

    conllu = tmp_path / "tiny.conllu"
    conllu.write_text(
        "# text = Innovasjon Norge gir penger.\n"
        "1\tInnovasjon\t_\t_\t_\t_\t0\t_\t_\tname=B-ORG\n"
        "2\tNorge\t_\t_\t_\t_\t1\t_\t_\tname=I-ORG\n"
        "3\tgir\t_\t_\t_\t_\t0\t_\t_\tname=O\n"
        "4\tpenger\t_\t_\t_\t_\t3\t_\tSpaceAfter=No\tname=O\n"
        "5\t.\t_\t_\t_\t_\t3\t_\t_\tname=O\n\n",
        encoding="utf-8",
    )
    r = run_cli("evaluate-ner", str(conllu), "--json")
    assert r.returncode == 0, r.stderr
    scores = json.loads(r.stdout)
    assert {"ents_p", "ents_r", "ents_f", "ents_per_type"} <= set(scores)


def test_evaluate_prints_every_set_as_json(tmp_path):
    import json

    dev = tmp_path / "norne" / "ud" / "nob" / "no_bokmaal-ud-dev.conllu"
    dev.parent.mkdir(parents=True)
    dev.write_text(
        "# text = Innovasjon Norge gir penger.\n"
        "1\tInnovasjon\t_\t_\t_\t_\t3\t_\t_\tname=B-ORG\n"
        "2\tNorge\t_\t_\t_\t_\t1\t_\t_\tname=I-ORG\n"
        "3\tgir\t_\t_\t_\t_\t0\t_\t_\tname=O\n"
        "4\tpenger\t_\t_\t_\t_\t3\t_\tSpaceAfter=No\tname=O\n"
        "5\t.\t_\t_\t_\t_\t3\t_\t_\tname=O\n\n",
        encoding="utf-8",
    )
    r = run_cli("evaluate", "--norne", str(tmp_path / "norne"), "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert set(out["scores"]) == {"bokmaal_dev"}  # only the files that exist
    assert {"ents_p", "ents_r", "ents_f", "ents_per_type"} <= set(out["scores"]["bokmaal_dev"])
    assert run_cli("evaluate", "--sets", "nonsense").returncode == 2
