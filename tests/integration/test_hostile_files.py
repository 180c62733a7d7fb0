"""Hostile files and folders: each becomes `ok` with the right text or `failed` with a clear
one-line error; the run goes on."""
import os
from pathlib import Path

import pytest

from pipeline import run, store
from pipeline.run import steps

OK_TEXT = "Innovasjon Norge får 5 mill. kroner i 2025."


def documents(out: Path) -> dict[str, dict]:
    return {Path(r["source"]).name: r for r in store.read_table(out, "documents").to_pylist()}


@pytest.fixture
def raw(tmp_path):
    d = tmp_path / "raw"
    d.mkdir()
    (d / "ok.txt").write_text(OK_TEXT, encoding="utf-8")
    return d


def test_symlink_outside_the_folder_is_not_followed(raw, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("Hemmelig: 99 mrd. kroner.", encoding="utf-8")
    (raw / "link.txt").symlink_to(secret)
    (raw / "inside.txt").symlink_to(raw / "ok.txt")
    run.run_extraction([str(raw)], tmp_path / "out")
    docs = documents(tmp_path / "out")
    assert docs["link.txt"]["status"] == "failed" and "outside the input folder" in docs["link.txt"]["error"]
    assert 99e9 not in store.read_table(tmp_path / "out", "amounts").column("low").to_pylist()
    # a link inside the folder is followed (its bytes equal ok.txt's: one of the two is kept)
    assert [docs[n]["status"] for n in ("inside.txt", "ok.txt") if n in docs] == ["ok"]


def test_symlink_loop_and_broken_link_fail_clearly(raw, tmp_path):
    (raw / "a.txt").symlink_to(raw / "b.txt")
    (raw / "b.txt").symlink_to(raw / "a.txt")
    (raw / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    run.run_extraction([str(raw)], tmp_path / "out")
    docs = documents(tmp_path / "out")
    for name in ("a.txt", "b.txt", "dangling.txt"):
        assert docs[name]["status"] == "failed" and "symlink" in docs[name]["error"]
    assert docs["ok.txt"]["status"] == "ok"


@pytest.mark.parametrize("name", ["with space.txt", "new\nline.txt", "æøå-Ærlig-ĳ-日本.txt"])
def test_odd_file_names(raw, tmp_path, name):
    (raw / name).write_text(f"Siva får 3 mill. kroner til {name!r}.", encoding="utf-8")
    run.run_extraction([str(raw)], tmp_path / "out")
    docs = {r["source"]: r for r in store.read_table(tmp_path / "out", "documents").to_pylist()}
    assert str(raw / name) in docs


def test_file_deleted_between_discovery_and_reading(raw, tmp_path, monkeypatch):
    (raw / "gone.txt").write_text("Siva får 1 mill. kroner.", encoding="utf-8")
    real_plan = run.plan_run

    def plan_then_delete(*args, **kwargs):
        plan = real_plan(*args, **kwargs)
        (raw / "gone.txt").unlink()
        return plan

    monkeypatch.setattr(steps, "plan_run", plan_then_delete)
    run.run_extraction([str(raw)], tmp_path / "out")
    docs = documents(tmp_path / "out")
    assert docs["gone.txt"]["status"] == "failed" and docs["gone.txt"]["error"].startswith("cannot read")
    assert docs["ok.txt"]["status"] == "ok"


def test_unreadable_file_fails_clearly(raw, tmp_path, monkeypatch):
    locked = raw / "locked.txt"
    locked.write_text(OK_TEXT, encoding="utf-8")
    if os.geteuid() == 0:  # root reads any file: simulate the permission error instead
        import builtins

        real_open = builtins.open

        def deny(file, *args, **kwargs):
            if str(file) == str(locked):
                raise PermissionError(13, "Permission denied")
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr(builtins, "open", deny)
    else:
        locked.chmod(0)
    run.run_extraction([str(raw)], tmp_path / "out")
    docs = documents(tmp_path / "out")
    assert docs["locked.txt"]["status"] == "failed" and "Permission denied" in docs["locked.txt"]["error"]
