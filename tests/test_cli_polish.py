"""CLI polish: progress bars only for a person at a terminal, and exit codes documented in the help."""
from __future__ import annotations

import io
import os
import subprocess
import sys

from conftest import ROOT
from pipeline.runtime.progress import progress_tracker


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_draws_on_a_terminal_and_hands_every_item_through(monkeypatch):
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with progress_tracker(enabled=True) as track:
        assert list(track(iter(range(3)), "extract", 3)) == [0, 1, 2]
    assert "extract" in terminal.getvalue() and "3/3" in terminal.getvalue()


def test_no_progress_bar_when_quiet_or_not_a_terminal(monkeypatch):
    for stream, enabled in ((FakeTerminal(), False), (io.StringIO(), True)):
        monkeypatch.setattr(sys, "stderr", stream)
        with progress_tracker(enabled=enabled) as track:
            assert list(track([1, 2], "extract", 2)) == [1, 2]
        assert stream.getvalue() == ""


def test_help_documents_the_exit_codes_and_every_command():
    result = subprocess.run(["paradip", "--help"], capture_output=True, text=True,
                            env={**os.environ, "COLUMNS": "200"})
    assert result.returncode == 0
    for text in ("Exit codes: 0 success", "1 validation failed", "2 usage error", "3 unexpected error",
                 "build", "validate", "diff"):
        assert text in result.stdout, text


def test_cli_build_exit_codes(tmp_path):
    bad_version = subprocess.run(["paradip", "build", "--quiet", "--input", str(ROOT / "seeds"), "--out",
                                  str(tmp_path), "--version", "one"], capture_output=True, text=True, cwd=ROOT)
    assert bad_version.returncode == 2 and "not a semantic version" in bad_version.stderr
    missing = subprocess.run(["paradip", "build", "--input", str(tmp_path / "nowhere"), "--out", str(tmp_path)],
                             capture_output=True, text=True)
    assert missing.returncode == 2
    quiet = subprocess.run(["paradip", "build", "--quiet", "--input", str(ROOT / "seeds"), "--out", str(tmp_path),
                            "--version", "0.0.1"], capture_output=True, text=True, cwd=ROOT)
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stdout == ""


def test_validate_names_an_unreadable_parquet_file_and_exits_1(committed_release, tmp_path):
    import json
    import shutil

    release = tmp_path / "release"
    shutil.copytree(committed_release, release)
    (release / "events.parquet").write_bytes(b"not parquet at all")
    result = subprocess.run(["paradip", "validate", "--json", str(release)], capture_output=True, text=True)
    assert result.returncode == 1, result.stderr
    failures = json.loads(result.stdout)["failures"]
    assert {"events.parquet"} <= {f["table"] for f in failures if f["check"] == "readable_parquet"}


def test_an_unexpected_error_exits_3_with_its_traceback(monkeypatch, capsys):
    import pytest

    from pipeline import cli

    def broken():
        raise RuntimeError("a bug")

    monkeypatch.setattr(cli, "app", broken)
    with pytest.raises(SystemExit) as info:
        cli.main()
    assert info.value.code == cli.EXIT_BUG == 3
    assert "RuntimeError: a bug" in capsys.readouterr().err


def test_validate_on_a_folder_that_is_not_a_release_is_a_usage_error(tmp_path):
    (tmp_path / "notes.txt").write_text("not a release", encoding="utf-8")
    result = subprocess.run(["paradip", "validate", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.strip() == f"validate: {tmp_path}: no manifest.json, so this is not a paradip release folder"


def test_evaluate_against_a_release_without_the_gold_articles(committed_release, tmp_path):
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "a.yaml").write_text("doc: not_in_any_release.txt\nlanguage: en\ntitle: null\npublished: null\n"
                                 "actors: []\nevents: []\nagreements: []\n", encoding="utf-8")
    none = subprocess.run(["paradip", "evaluate", "--quiet", "--gold", str(gold), "--dataset", str(committed_release)],
                          capture_output=True, text=True)
    assert none.returncode == 2 and "none of the 1 gold articles" in none.stderr
    seed = sorted((ROOT / "tests" / "seeds" / "gold").glob("*.yaml"))[0]
    (gold / seed.name).write_bytes(seed.read_bytes())
    some = subprocess.run(["paradip", "evaluate", "--quiet", "--gold", str(gold), "--dataset", str(committed_release)],
                          capture_output=True, text=True)
    assert some.returncode == 0 and some.stdout.startswith("overall F1")
    assert "warning: 1 of 2 gold articles are not in the release" in some.stderr
    assert "not_in_any_release.txt" in some.stderr


def test_build_summary_adds_up_and_a_build_outside_a_project_says_its_version(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    for path in seeds[:2]:
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "zz_copy.txt").write_bytes(seeds[0].read_bytes())
    (folder / "empty.txt").write_bytes(b"")
    run = subprocess.run(["paradip", "build", "--no-cache", "--input", str(folder), "--out", str(tmp_path / "out")],
                         capture_output=True, text=True, cwd=tmp_path)  # no params.yaml here
    assert run.returncode == 0, run.stderr
    assert "no params.yaml in" in run.stderr and "release 0.1.0" in run.stderr and "no release date" in run.stderr
    summary = run.stdout.strip().splitlines()[-1]
    assert summary.startswith("4 entries = 2 published + 2 quarantined = 3 read anew (2 extracted) + 0 from cache"
                              " + 1 not read"), summary
