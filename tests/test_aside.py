"""The side process of a build ends with the build, even when the build is killed, never runs the
build's main script again, and changes no byte of the release."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import pipeline.runtime.build as build_module
from pipeline.runtime.inputs import read_metadata
import pipeline.release.publishing as publish_module
from pipeline.core.aside import aside_pool
from pipeline.core.spill import SpilledTables
from pipeline.release.validation import ValidationFailed

ROOT = Path(__file__).resolve().parents[1]

# a building process stand-in: starts the side worker, prints its pid, then waits to be killed
PARENT = """
import os, time
from pipeline.core.aside import aside_pool
pool = aside_pool()
print(pool.submit(os.getpid).result(), flush=True)
time.sleep(600)
"""


def _state(pid: int) -> tuple[str, int] | None:
    """(state letter, parent pid) of a live or zombie process (Linux /proc), None once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return None
    return fields[0], int(fields[1])


def test_side_worker_exits_when_its_build_is_killed():
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True)
    worker = int(parent.stdout.readline())
    assert _state(worker)[1] == parent.pid
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while (state := _state(worker)) is not None and state[0] != "Z" and time.monotonic() < deadline:
        time.sleep(0.1)
    assert state is None or state[0] == "Z", f"the side worker outlived its build: {state}"


# a build's main script: leaves a mark when a process runs it again (as a spawned process would, to find
# what the script defines)
SCRIPT = """
import os
from pipeline.core.aside import aside_pool
if __name__ != "__main__":
    open(os.environ["MARK"], "w").write(__name__)
else:
    with aside_pool() as pool:
        print(pool.submit(os.getpid).result(), flush=True)
"""


def test_side_worker_does_not_run_the_main_script_again(tmp_path):
    script, mark = tmp_path / "build_script.py", tmp_path / "mark"
    script.write_text(SCRIPT)
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          env={**os.environ, "MARK": str(mark)}, cwd=Path(__file__).parents[1])
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) != os.getpid()
    assert not mark.exists(), f"the side worker ran the main script as {mark.read_text()!r}"


@pytest.mark.parametrize("where", ["side process started by publish", "building process"])
def test_release_bytes_do_not_depend_on_which_process_draws_the_charts(seed_release, params, tmp_path, monkeypatch,
                                                                        where):
    """`seed_release` had its charts drawn by the side process started with the build; here publish starts
    its own, or the building process draws them: every file must be the same."""
    monkeypatch.setattr(build_module, "EARLY_ASIDE_MAX_INPUTS", -1)
    if where == "building process":
        monkeypatch.setattr(publish_module, "CHARTS_ASIDE_MAX_ROWS", -1)
    release = build_module.build(ROOT / "seeds", tmp_path, params, path_prefix="seeds",
                                 metadata=read_metadata(ROOT / "seeds.csv")).release
    names = sorted(p.name for p in release.iterdir())
    assert names == sorted(p.name for p in seed_release.release.iterdir())
    assert {"events_per_year.png", "partner_network.png"} <= set(names)
    assert [n for n in names if (release / n).read_bytes() != (seed_release.release / n).read_bytes()] == []


def test_a_side_process_lent_to_publish_outlives_a_failed_validation(seed_release, tmp_path):
    tables = SpilledTables(tmp_path / "spill")
    tables.folder.mkdir()
    for name, table in seed_release.arrow.items():
        tables.put(name, table if name != "events" else table.slice(1))  # events lose a row: sources dangle
    with aside_pool() as pool:
        with pytest.raises(ValidationFailed):
            publish_module.publish(tables, tmp_path / "dataset", "9.9.9", aside=pool)
        assert pool.submit(os.getpid).result() != os.getpid()
    assert not list((tmp_path / "dataset").glob("*9.9.9*"))


def _hypothesis_loaded_by(module: str, release: Path) -> bool:
    """Whether `python -m <module> validate <release>` leaves hypothesis imported."""
    probe = (f"import runpy, sys\nsys.argv = ['paradip', 'validate', {str(release)!r}]\n"
             f"try:\n    runpy.run_module({module!r}, run_name='__main__')\nexcept SystemExit:\n    pass\n"
             "print(sys.modules.get('hypothesis') is not None)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True)
    return out.stdout.strip().splitlines()[-1] == "True"


def test_the_paradip_command_keeps_hypothesis_out(committed_release):
    """pandera imports hypothesis, when installed, on its first validation (about 0.3 s); the command never
    needs it."""
    assert _hypothesis_loaded_by("pipeline.cli", committed_release), "pandera no longer imports hypothesis"
    assert not _hypothesis_loaded_by("pipeline", committed_release)
