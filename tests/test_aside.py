"""The side process of a build ends with the build, even when the build is killed, and never runs the
build's main script again."""
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


# a build's main script: leaves a mark when a process runs it again (as a spawned process would, to find
# what the script defines)
SCRIPT = """
import os
from pipeline.aside import aside_pool
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
