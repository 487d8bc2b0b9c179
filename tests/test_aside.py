"""The side process of a build ends with the build, even when the build is killed."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

# a building process stand-in: starts the side worker, prints its pid, then waits to be killed
PARENT = """
import os, time
from pipeline.aside import aside_pool
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
