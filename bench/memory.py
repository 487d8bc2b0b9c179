#!/usr/bin/env python3
"""Where a build's memory peaks: resident memory by build phase, not a test (issue 21's 1 GiB target).

    .venv/bin/python bench/memory.py FOLDER [--jobs 2] [--interval 0.5] [--cache]

Builds FOLDER in this process (as `paradip build --jobs N`; no cache, or an empty one with `--cache`) while a thread samples the resident
memory of this process and of all its descendants (workers; above 20,000 inputs, the fold's own process:
`pipeline.runtime.fold_apart`), and reads from the main thread's stack which phase runs (`PHASES`; the
fold's process finishes its tables inside "extract and fold"). Prints, for each phase, its seconds and
the highest samples seen, then the exact peaks (`ru_maxrss`) of this process and of its largest child.
Sampling misses peaks shorter than the interval; the exact peaks do not.
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.core.params import load_params  # noqa: E402
from pipeline.runtime.build import build  # noqa: E402
from run import tree_rss  # noqa: E402  (bench/run.py, beside this file)

#: (phase, function names that mark it on the main thread's stack), the most specific first
PHASES = [
    ("charts", {"write_charts", "write_charts_of_tables"}),
    ("card", {"render_card"}),
    ("validate", {"validate_tables"}),
    ("write", {"_write_release", "_publish_valid"}),
    ("finish tables", {"finish"}),
    ("sort row tables", {"finish_unsorted"}),
    ("extract and fold", {"_outcomes", "build_tables", "build_tables_apart"}),
]

CHRONOLOGY = ["extract and fold", "finish tables", "sort row tables", "validate", "write", "card", "charts", "other"]


def phase_of(frame) -> str:
    names = set()
    while frame is not None:
        names.add(frame.f_code.co_name)
        frame = frame.f_back
    return next((phase for phase, marks in PHASES if marks & names), "other")


class Sampler(threading.Thread):
    """Samples (phase, main RSS, all-process RSS) every `interval` seconds until stopped."""

    def __init__(self, interval: float):
        super().__init__(daemon=True)
        self.interval, self.stopped = interval, threading.Event()
        self.main_thread = threading.main_thread().ident
        self.process = psutil.Process()
        self.by_phase: dict[str, dict] = {}

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            rss = tree_rss(self.process)
            phase = phase_of(sys._current_frames().get(self.main_thread))
            seen = self.by_phase.setdefault(phase, {"samples": 0, "main_mb": 0.0, "all_mb": 0.0})
            seen["samples"] += 1
            seen["main_mb"] = max(seen["main_mb"], rss[0] / 2 ** 20)
            seen["all_mb"] = max(seen["all_mb"], sum(rss) / 2 ** 20)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--interval", type=float, default=0.5, help="seconds between samples")
    ap.add_argument("--cache", action="store_true", help="build with an empty extraction cache (as bench/run.py)")
    args = ap.parse_args()
    if not args.folder.is_dir():
        print(f"bench/memory.py: {args.folder}: not a folder", file=sys.stderr)
        return 2
    params = load_params(ROOT / "params.yaml")
    sampler = Sampler(args.interval)
    started = time.perf_counter()
    sampler.start()
    with tempfile.TemporaryDirectory(prefix="paradip-memory-") as out:
        cache = Path(out) / "cache" if args.cache else None  # empty, as `bench/run.py` builds
        result = build(args.folder, Path(out) / "dataset", params, path_prefix="in", jobs=args.jobs, cache_dir=cache)
        wall = time.perf_counter() - started
        sampler.stopped.set()
        sampler.join()
        print(result.stats.summary())
    print(f"{'phase':18s} {'seconds':>8s} {'main MB':>8s} {'all MB':>8s}   (highest samples, every {args.interval} s)")
    for phase in CHRONOLOGY:
        seen = sampler.by_phase.get(phase)
        if seen:
            print(f"{phase:18s} {seen['samples'] * args.interval:8.1f} {seen['main_mb']:8.0f} {seen['all_mb']:8.0f}")
    print(f"wall {wall:.1f} s; exact peaks (ru_maxrss): main process "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB, largest child process "
          f"{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
