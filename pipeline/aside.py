"""A process of its own for side work of a build (the release charts), which ends with the build.

`aside_pool()` is a one-worker `ProcessPoolExecutor` started with `spawn`
(pipes only, no socket) whose worker watches the building process and exits
as soon as it is gone: a killed build leaves no process behind (a pool's
worker holds both ends of its task queue, so it would otherwise wait forever).
"""
from __future__ import annotations

import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor

#: Seconds between two looks of the worker at its building process.
WATCH_INTERVAL = 0.2


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_INTERVAL)
    os._exit(1)


def _exit_with(parent: int) -> None:
    threading.Thread(target=_watch, args=(parent,), daemon=True).start()


def aside_pool() -> ProcessPoolExecutor:
    return ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"), initializer=_exit_with,
                               initargs=(os.getpid(),))
