"""`dvc repro -f` in a fresh copy of the repository, from a plain shell, rebuilds the committed release
byte for byte: afterwards `git status` is clean (release folders, `releases.json`, `CHANGELOG.md` and
`dvc.lock` unchanged). The stages find the project's interpreter themselves (`bin/python`)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

GIT = shutil.which("git")


def _repository_files() -> list[str]:
    """Every file a clone has: tracked ones, and new ones not yet committed (git's ignore rules apply)."""
    listed = subprocess.run([GIT, "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.split(b"\0")
    return [os.fsdecode(name) for name in listed if name and (ROOT / os.fsdecode(name)).is_file()]


@pytest.mark.skipif(GIT is None, reason="git is not installed")
def test_dvc_repro_force_in_a_fresh_copy_leaves_git_status_clean(tmp_path):
    copy = tmp_path / "paradip"
    for name in _repository_files():
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, copy / name)
    plain = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "DVC_NO_ANALYTICS": "1", "LANG": "C.UTF-8",
             "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
             "GIT_COMMITTER_EMAIL": "t@example.org", "TMPDIR": os.environ.get("TMPDIR", str(tmp_path))}
    for command in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-q", "-m", "clone"]):
        subprocess.run(command, cwd=copy, env=plain, check=True, capture_output=True)
    (copy / ".venv").symlink_to(Path(sys.prefix))  # the environment `make` creates in a clone
    with (copy / ".git" / "info" / "exclude").open("a") as exclude:
        exclude.write(".venv\n")  # `.venv/` in .gitignore matches folders, not this link

    repro = subprocess.run([str(copy / ".venv" / "bin" / "dvc"), "repro", "-f"], cwd=copy, env=plain,
                           capture_output=True, text=True, timeout=600)
    assert repro.returncode == 0, repro.stdout[-2000:] + repro.stderr[-2000:]
    assert "Running stage 'publish'" in repro.stdout
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=copy, env=plain,
                            capture_output=True, text=True, check=True).stdout
    assert status == "", f"dvc repro -f changed the repository:\n{status}"
