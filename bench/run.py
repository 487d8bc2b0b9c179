#!/usr/bin/env python3
"""Benchmark of `paradip build` at archive scale (issue 5's four figures), not a test.

    .venv/bin/python bench/run.py [--sizes 1000 10000 100000] [--jobs N] [--work DIR] [--out bench/results.json]

For each size it makes a synthetic corpus with `bench/corpus.py` (templates: `seeds/` plus the dev
articles of `tests/dev/docs`; a tenth of the articles byte copies of earlier ones), times the floor (read every
file, decode it, run one regex `\\w+` over it, in one process), then times
`paradip build` in a fresh process with an empty extraction cache (files
warm in the page cache for both: the floor runs once before it is timed), sampling
the resident memory of the whole process tree (workers included). At 10k it
also adds one new article to the built corpus and times the rebuild with the
warm cache. It prints every figure against its target and writes them, with
the machine and its load, to the JSON file.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

try:
    import psutil
except ImportError:
    raise SystemExit("bench/run.py needs psutil: run it with the project's venv (`make install`, then "
                     "`.venv/bin/python bench/run.py`) or `pip install -e '.[bench]'`") from None

from corpus import make_corpus as write_corpus

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = [ROOT / "seeds"]
COPIES = 0.1
FLOOR_PATTERN = re.compile(r"\w+")
TARGETS = {"articles_per_s_10k": 1000, "floor_ratio_10k": 6.0, "time_ratio_100k_10k": 10.5,
           "peak_rss_mb_100k": 1024, "incremental_ratio_10k": 0.05}


def make_corpus(n: int, work: Path, seed: int = 7) -> Path:
    """The corpus of `n` articles (made once per size and seed, then reused)."""
    out = work / f"corpus-{n}-s{seed}"
    done = work / f"corpus-{n}-s{seed}.complete"
    if done.exists():
        return out
    shutil.rmtree(out, ignore_errors=True)
    write_corpus(TEMPLATES, out, n, seed=seed, copies=COPIES)
    done.touch()
    return out


def corpus_files(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.iterdir() if p.suffix == ".txt")


def floor_pass(corpus: Path) -> tuple[float, int]:
    """Seconds to read every file, decode it and run one regex over it; and the bytes read."""
    start = time.perf_counter()
    total = words = 0
    for path in corpus_files(corpus):
        raw = path.read_bytes()
        total += len(raw)
        words += sum(1 for _ in FLOOR_PATTERN.finditer(raw.decode("utf-8", "replace")))
    return time.perf_counter() - start, total


class TreeMemory:
    """Peak of the summed RSS of a process and all its descendants, sampled every `interval` seconds."""

    def __init__(self, pid: int, interval: float = 0.02):
        self.root = psutil.Process(pid)
        self.interval = interval
        self.peak = 0
        self.peak_single = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            try:
                procs = [self.root, *self.root.children(recursive=True)]
            except psutil.NoSuchProcess:
                return
            rss = []
            for p in procs:
                try:
                    rss.append(p.memory_info().rss)
                except psutil.Error:
                    pass
            self.peak = max(self.peak, sum(rss))
            self.peak_single = max([self.peak_single, *rss])
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def run_build(corpus: Path, out: Path, cache: Path, jobs: int | None, engine: str = "local") -> dict:
    cmd = [str(Path(sys.executable).parent / "paradip"), "build", "--input", str(corpus), "--out", str(out),
           "--version", "9.9.9", "--cache-dir", str(cache), "--engine", engine]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with TreeMemory(proc.pid) as memory:
        stdout, stderr = proc.communicate()
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"build failed ({proc.returncode}): {stderr[-2000:]}")
    return {"wall_s": round(wall, 3), "peak_rss_mb": round(memory.peak / 2 ** 20, 1),
            "peak_rss_single_process_mb": round(memory.peak_single / 2 ** 20, 1),
            "summary": stdout.strip().splitlines()[-1]}


def new_article(corpus: Path, work: Path) -> Path:
    """A synthetic article whose bytes are not yet in the corpus."""
    existing = {hashlib.sha256(p.read_bytes()).digest() for p in corpus_files(corpus)}
    for seed in range(1000, 1100):
        candidate = next(make_corpus(1, work, seed).glob("*.txt"))
        if hashlib.sha256(candidate.read_bytes()).digest() not in existing:
            return candidate
    raise SystemExit("no new article found")


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(psutil.virtual_memory().total / 2 ** 30, 1),
            "python": platform.python_version(), "system": platform.platform()}


def bench_size(n: int, work: Path, jobs: int | None, engine: str) -> dict:
    corpus = make_corpus(n, work)
    files = corpus_files(corpus)
    floor_pass(corpus)  # warm the page cache: the build reads warm files too
    floor_s, total_bytes = floor_pass(corpus)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(dir=work) as tmp:
        result = run_build(corpus, Path(tmp) / "out", Path(tmp) / "cache", jobs, engine)
        figures = {"articles": len(files), "mb": round(total_bytes / 1e6, 2), **result,
                   "articles_per_s": round(len(files) / result["wall_s"], 1),
                   "mb_per_s": round(total_bytes / 1e6 / result["wall_s"], 2),
                   "floor_s": round(floor_s, 3), "floor_ratio": round(result["wall_s"] / floor_s, 2),
                   "load_avg_1min_before": round(load_before, 2)}
        if n == 10_000:
            added = corpus / "zz_added.txt"
            shutil.copy(new_article(corpus, work), added)
            try:
                again = run_build(corpus, Path(tmp) / "out2", Path(tmp) / "cache", jobs, engine)
            finally:
                added.unlink()
            figures["incremental"] = {**again, "ratio": round(again["wall_s"] / result["wall_s"], 4)}
    figures["load_avg_1min_after"] = round(os.getloadavg()[0], 2)
    return figures


def verdicts(results: dict) -> list[tuple[str, object, str, bool | None]]:
    r10, r100 = results.get("10000"), results.get("100000")
    rows = []
    if r10:
        rows.append(("throughput at 10k (articles/s)", r10["articles_per_s"], f">= {TARGETS['articles_per_s_10k']}",
                     r10["articles_per_s"] >= TARGETS["articles_per_s_10k"]))
        rows.append(("wall / floor at 10k", r10["floor_ratio"], f"<= {TARGETS['floor_ratio_10k']}",
                     r10["floor_ratio"] <= TARGETS["floor_ratio_10k"]))
        inc = r10["incremental"]["ratio"]
        rows.append(("one article added to 10k: rebuild / full", inc, f"<= {TARGETS['incremental_ratio_10k']}",
                     inc <= TARGETS["incremental_ratio_10k"]))
    if r10 and r100:
        ratio = round(r100["wall_s"] / r10["wall_s"], 2)
        results["time_ratio_100k_10k"] = ratio
        rows.append(("time 100k / time 10k", ratio, f"<= {TARGETS['time_ratio_100k_10k']}",
                     ratio <= TARGETS["time_ratio_100k_10k"]))
    if r100:
        rows.append(("peak RSS at 100k, all processes (MB)", r100["peak_rss_mb"],
                     f"<= {TARGETS['peak_rss_mb_100k']}", r100["peak_rss_mb"] <= TARGETS["peak_rss_mb_100k"]))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    ap.add_argument("--jobs", type=int, default=None, help="passed to paradip build (default: all cores)")
    ap.add_argument("--engine", default="local")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "paradip-bench")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results.json")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    results: dict = {"machine": machine(), "jobs": args.jobs or os.cpu_count(), "engine": args.engine,
                     "floor": "read + utf-8 decode + re.finditer(r'\\w+') over every file, one process"}
    for n in args.sizes:
        figures = bench_size(n, args.work, args.jobs, args.engine)
        results[str(n)] = figures
        line = (f"{n:>7} articles {figures['mb']:>7.1f} MB | wall {figures['wall_s']:>8.2f} s | "
                f"{figures['articles_per_s']:>7.1f} articles/s | {figures['mb_per_s']:>6.2f} MB/s | "
                f"peak RSS {figures['peak_rss_mb']:>7.1f} MB (largest process {figures['peak_rss_single_process_mb']} MB)"
                f" | floor {figures['floor_s']:.3f} s, ratio {figures['floor_ratio']:.1f} | "
                f"load {figures['load_avg_1min_before']}->{figures['load_avg_1min_after']}")
        print(line, flush=True)
        if "incremental" in figures:
            inc = figures["incremental"]
            print(f"{'':>7} one article added: rebuild {inc['wall_s']:.2f} s = {inc['ratio']:.1%} of the full build"
                  f" ({inc['summary']})", flush=True)
    rows = verdicts(results)
    results["targets"] = [{"figure": f, "value": v, "target": t, "met": ok} for f, v, t, ok in rows]
    print(f"\nmachine: {results['machine']['cpu']}, {results['machine']['cores']} cores, "
          f"{results['machine']['memory_gb']} GB; jobs {results['jobs']}")
    for figure, value, target, ok in rows:
        print(f"  {figure:<45} {value!s:>10}  target {target:<9} {'MET' if ok else 'NOT MET'}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"results -> {args.out}")


if __name__ == "__main__":
    main()
