"""A process of its own for side work of a build (the release charts), which ends with the build.

`aside_pool()` is a one-worker `ProcessPoolExecutor` started with `spawn`
(pipes only, no socket) whose worker watches the building process and exits
as soon as it is gone: a killed build leaves no process behind (a pool's
worker holds both ends of its task queue, so it would otherwise wait forever).
The worker starts at once and without the main script: a spawned process
runs the parent's main script (or module) again to find what it defines,
and `paradip`'s imports the whole command line (pandas, Pandera, every
stage), which side work never needs. Its tasks are therefore functions of
importable modules, never of the main script.
"""
from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import time
import types
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

#: Seconds between two looks of the worker at its building process.
WATCH_INTERVAL = 0.2


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_INTERVAL)
    os._exit(1)


def exit_with(parent: int) -> None:
    """This process exits (code 1) as soon as process `parent` is no longer its parent."""
    threading.Thread(target=_watch, args=(parent,), daemon=True).start()


@contextmanager
def main_script_hidden():
    """`__main__` stands in as an empty module: a process spawned meanwhile does not run the main script."""
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


def aside_pool(*warm_ups: Callable[[], object]) -> ProcessPoolExecutor:
    """The one-worker pool, its worker started now; it then runs `warm_ups` (functions of importable
    modules), so that what they load is ready for the tasks sent later."""
    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"), initializer=exit_with,
                               initargs=(os.getpid(),))
    with main_script_hidden():
        pool.submit(os.getpid)  # the first task starts the worker, now
        for warm_up in warm_ups:
            pool.submit(warm_up)
    return pool
