"""A build killed at any point of publishing leaves the previous release intact and no partial release.

Each case runs `paradip build` in a subprocess through tests/publish_pause.py,
which freezes the process at one exact point of publishing (staging folder
created, after the N-th table file, just before and just after the rename).
The test checks the dataset folder at that instant, kills the process with
SIGKILL, and checks again: the previous release is byte-identical, nothing
visible is half-written, and a later build succeeds and removes the
leftover staging folders (each build removes those of dead builds).
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import ROOT

PAUSE = Path(__file__).with_name("publish_pause.py")
PARADIP = [str(Path(sys.executable).with_name("paradip"))]
SEEDS = ROOT / "seeds"


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _visible(dataset: Path) -> set[str]:
    """Release folders a reader can see (the index files releases.json and CHANGELOG.md are not releases)."""
    return {p.name for p in dataset.iterdir() if p.is_dir() and not p.name.startswith(".")}


def _staging(dataset: Path) -> list[Path]:
    return [p for p in dataset.iterdir() if p.name.startswith(".") and ".tmp-" in p.name]


def _build_args(dataset: Path, version: str) -> list[str]:
    return ["build", "--input", str(SEEDS), "--out", str(dataset), "--version", version, "--quiet"]


def _run_until(point: str, dataset: Path, version: str, log: Path) -> subprocess.Popen:
    """Start a build frozen at `point`; fails if it ends without reaching it."""
    with log.open("w") as err:
        proc = subprocess.Popen([sys.executable, str(PAUSE), point, *_build_args(dataset, version)],
                                stdout=subprocess.DEVNULL, stderr=err, cwd=ROOT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        pid, status = os.waitpid(proc.pid, os.WUNTRACED | os.WNOHANG)
        if pid:
            assert os.WIFSTOPPED(status), f"build ended before reaching {point}: {log.read_text()[-2000:]}"
            return proc
        time.sleep(0.02)
    proc.kill()
    raise AssertionError(f"build did not reach {point} in 120 s")


def _kill(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL


def _validate(release: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*PARADIP, "validate", str(release)], capture_output=True, text=True)


def test_killed_publish_leaves_the_previous_release_intact(tmp_path):
    dataset = tmp_path / "dataset"
    first = subprocess.run([*PARADIP, *_build_args(dataset, "1.0.0")], capture_output=True, text=True, cwd=ROOT)
    assert first.returncode == 0, first.stderr
    previous = _snapshot(dataset / "1.0.0")

    # a new version killed before its rename, and the same version (other content) killed mid-write
    for version, point in [("2.0.0", "staging"), ("2.0.0", "file:1"), ("2.0.0", "file:9"), ("2.0.0", "file:22"),
                           ("2.0.0", "rename"), ("1.0.0", "file:5")]:
        proc = _run_until(point, dataset, version, tmp_path / "build.log")
        assert _visible(dataset) == {"1.0.0"}, f"{point}: a release appeared before its rename"
        assert len(_staging(dataset)) == 1, f"{point}: frozen outside publishing, or earlier leftovers remain"
        _kill(proc)
        assert _visible(dataset) == {"1.0.0"}, f"killed at {point}: {_visible(dataset)}"
        assert _snapshot(dataset / "1.0.0") == previous, f"killed at {point}: the previous release changed"

    assert len(_staging(dataset)) == 1, "the last killed build left its staging folder"
    later = subprocess.run([*PARADIP, *_build_args(dataset, "2.0.0")], capture_output=True, text=True, cwd=ROOT)
    assert later.returncode == 0, later.stderr
    assert _staging(dataset) == [], "the later build did not remove the stale staging folders"
    assert _visible(dataset) == {"1.0.0", "2.0.0"}
    assert _validate(dataset / "2.0.0").returncode == 0
    assert _snapshot(dataset / "1.0.0") == previous

    # killed right after the rename: the new release is whole
    proc = _run_until("renamed", dataset, "3.0.0", tmp_path / "build.log")
    _kill(proc)
    assert _visible(dataset) == {"1.0.0", "2.0.0", "3.0.0"}
    assert _validate(dataset / "3.0.0").returncode == 0
    assert sorted(_snapshot(dataset / "3.0.0")) == sorted(_snapshot(dataset / "2.0.0"))
    assert _snapshot(dataset / "1.0.0") == previous
