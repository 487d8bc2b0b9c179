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

Two corpora per size: `synthetic` (a tenth byte copies, and variants that
repeat an earlier main text, which the build sets aside unextracted) and
`distinct` (`--distinct`: every article a new main text, so every one is
extracted; the honest articles-per-second figure). `--corpora` picks them.
Before the builds it prints a per-phase profile: CPU milliseconds per article
for each phase of one in-process build (`--jobs 1`, no cache) of the first
`--profile-n` distinct articles, and the pages per second of HTML input
(the same articles wrapped in the markup of a news page).
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
TARGETS = {"articles_per_s_10k": 1000, "floor_ratio_10k": 12.0, "time_ratio_100k_10k": 10.5,
           "peak_rss_mb_100k": 1024, "incremental_ratio_10k": 0.05, "extraction_ms": 2.0}


def make_corpus(n: int, work: Path, seed: int = 7, distinct: bool = False) -> Path:
    """The corpus of `n` articles (made once per size, seed and kind, then reused)."""
    name = f"corpus-{n}-s{seed}" + ("-distinct" if distinct else "")
    out, done = work / name, work / f"{name}.complete"
    if done.exists():
        return out
    shutil.rmtree(out, ignore_errors=True)
    write_corpus(TEMPLATES, out, n, seed=seed, copies=0.0 if distinct else COPIES, distinct=distinct)
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


def tree_rss(root: psutil.Process) -> list[int]:
    """The resident memory (bytes) of `root` and of each of its live descendants, `root` first."""
    rss = []
    for p in [root, *root.children(recursive=True)]:
        try:
            rss.append(p.memory_info().rss)
        except psutil.Error:
            pass  # a process that just ended
    return rss


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
                rss = tree_rss(self.root)
            except psutil.NoSuchProcess:
                return
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
    cmd = [sys.executable, "-m", "pipeline", "build", "--input", str(corpus), "--out", str(out),
           "--version", "9.9.9", "--cache-dir", str(cache), "--engine", engine]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
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


#: (phase, module, attribute) timed by `phase_profile`; a class attribute is written "Class.method"
PHASES = [
    ("decode and segment", "pipeline.runtime.engine", "ingest_article"),
    ("actors", "pipeline.extraction.document", "find_actors"),
    ("events", "pipeline.extraction.document", "find_events"),
    ("agreements", "pipeline.extraction.document", "find_agreements"),
    ("document rows", "pipeline.runtime.engine", "document_rows"),
    ("resolve", "pipeline.resolution.resolver", "Resolver.add"),
    ("resolve", "pipeline.resolution.resolver", "Resolver.finish"),
    ("validate", "pipeline.release.publishing", "validate_tables"),
    ("write", "pipeline.release.publishing", "_write_release"),
]

#: Run in a fresh process: one in-process build with every phase of PHASES timed (CPU seconds).
PROFILE = r"""
import importlib, json, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
phases, corpus = json.loads(sys.argv[2]), Path(sys.argv[3])
from pipeline.core.params import load_params
from pipeline.runtime.build import build
spent = {}
def timed(phase, fn):
    def wrapper(*args, **kwargs):
        start = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[phase] = spent.get(phase, 0.0) + time.process_time() - start
    return wrapper
for phase, module, attribute in phases:
    owner = importlib.import_module(module)
    *classes, name = attribute.split(".")
    for cls in classes:
        owner = getattr(owner, cls)
    setattr(owner, name, timed(phase, getattr(owner, name)))
params = load_params(Path(sys.argv[1]) / "params.yaml")
with tempfile.TemporaryDirectory() as out:
    start = time.process_time()
    build(corpus, Path(out), params, path_prefix="in", jobs=1, cache_dir=None)
    total = time.process_time() - start
print(json.dumps({"total": total, **spent}))
"""


def phase_profile(corpus: Path, n: int) -> dict:
    """CPU ms per article of each phase of one in-process build of the first `n` articles of `corpus`."""
    with tempfile.TemporaryDirectory() as tmp:
        for path in corpus_files(corpus)[:n]:
            shutil.copy(path, tmp)
        proc = subprocess.run([sys.executable, "-c", PROFILE, str(ROOT), json.dumps(PHASES), tmp], cwd=ROOT,
                              capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"profile failed: {proc.stderr[-2000:]}")
    spent = json.loads(proc.stdout.splitlines()[-1])
    total = spent.pop("total")
    per_article = {phase: round(seconds / n * 1000, 3) for phase, seconds in spent.items()}
    per_article["other (reading, folding, card, charts)"] = round((total - sum(spent.values())) / n * 1000, 3)
    per_article["total"] = round(total / n * 1000, 3)
    return per_article


def html_pages_per_s(corpus: Path, n: int) -> dict:
    """Pages per second of the per-article work on HTML input: the first `n` articles as news pages."""
    sys.path.insert(0, str(ROOT))
    from html import escape

    from pipeline.core.params import load_params
    from pipeline.runtime.engine import process_one
    params = load_params(ROOT / "params.yaml")
    pages = []
    for path in corpus_files(corpus)[:n]:
        title, _, body = path.read_text(encoding="utf-8").partition("\n")
        paragraphs = "".join(f"<p>{escape(p)}</p>" for p in body.split("\n") if p.strip())
        pages.append((f"<html><head><title>{escape(title)}</title></head><body><nav><a href='/'>Home</a>"
                      f"<a href='/world'>World</a></nav><article><h1>{escape(title)}</h1>{paragraphs}</article>"
                      f"<footer>Copyright</footer></body></html>").encode("utf-8"))
    start = time.process_time()
    outcomes = [process_one(page, params) for page in pages]
    seconds = time.process_time() - start
    return {"pages": len(pages), "cpu_s": round(seconds, 3), "pages_per_s": round(len(pages) / seconds, 1),
            "extracted": sum(o[0] == "ok" for o in outcomes)}


def bench_size(n: int, work: Path, jobs: int | None, engine: str, distinct: bool = False) -> dict:
    corpus = make_corpus(n, work, distinct=distinct)
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
    rows = []
    for kind, prefix in (("distinct", "distinct-"), ("synthetic", "")):
        r10, r100 = results.get(f"{prefix}10000"), results.get(f"{prefix}100000")
        if r10:
            rows.append((f"{kind}: throughput at 10k (articles/s)", r10["articles_per_s"],
                         f">= {TARGETS['articles_per_s_10k']}", r10["articles_per_s"] >= TARGETS["articles_per_s_10k"]))
            rows.append((f"{kind}: wall / floor at 10k", r10["floor_ratio"], f"<= {TARGETS['floor_ratio_10k']}",
                         r10["floor_ratio"] <= TARGETS["floor_ratio_10k"]))
            inc = r10["incremental"]["ratio"]
            rows.append((f"{kind}: one article added to 10k: rebuild / full", inc,
                         f"<= {TARGETS['incremental_ratio_10k']}", inc <= TARGETS["incremental_ratio_10k"]))
        if r10 and r100:
            ratio = round(r100["wall_s"] / r10["wall_s"], 2)
            results[f"{prefix}time_ratio_100k_10k"] = ratio
            rows.append((f"{kind}: time 100k / time 10k", ratio, f"<= {TARGETS['time_ratio_100k_10k']}",
                         ratio <= TARGETS["time_ratio_100k_10k"]))
        if r100:
            rows.append((f"{kind}: peak RSS at 100k, all processes (MB)", r100["peak_rss_mb"],
                         f"<= {TARGETS['peak_rss_mb_100k']}", r100["peak_rss_mb"] <= TARGETS["peak_rss_mb_100k"]))
    phases = results.get("phases_ms_per_article")
    if phases:
        extraction = round(sum(phases.get(k, 0) for k in ("actors", "events", "agreements")), 3)
        rows.append(("extraction CPU per article (ms)", extraction, f"<= {TARGETS['extraction_ms']}",
                     extraction <= TARGETS["extraction_ms"]))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    ap.add_argument("--jobs", type=int, default=None, help="passed to paradip build (default: all cores)")
    ap.add_argument("--engine", default="local")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "paradip-bench")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results.json")
    ap.add_argument("--corpora", nargs="+", choices=["distinct", "synthetic"], default=["distinct", "synthetic"])
    ap.add_argument("--profile-n", type=int, default=1000, help="articles of the per-phase profile (0: none)")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    results: dict = {"machine": machine(), "jobs": args.jobs or os.cpu_count(), "engine": args.engine,
                     "floor": "read + utf-8 decode + re.finditer(r'\\w+') over every file, one process"}
    if args.profile_n:
        sample = make_corpus(max(args.profile_n, 1000), args.work, distinct=True)
        results["phases_ms_per_article"] = phase_profile(sample, args.profile_n)
        print(f"CPU ms per article, one in-process build of {args.profile_n} distinct articles:")
        for phase, ms in results["phases_ms_per_article"].items():
            print(f"  {phase:<40} {ms:>8.3f}")
        results["html"] = html_pages_per_s(sample, min(args.profile_n, 500))
        print(f"HTML input: {results['html']['pages_per_s']} pages/s of CPU ({results['html']['pages']} pages, "
              f"{results['html']['extracted']} extracted)\n", flush=True)
    for corpus_kind in args.corpora:
        for n in args.sizes:
            figures = bench_size(n, args.work, args.jobs, args.engine, distinct=corpus_kind == "distinct")
            results[str(n) if corpus_kind == "synthetic" else f"distinct-{n}"] = figures
            line = (f"{corpus_kind:>9} {n:>7} articles {figures['mb']:>7.1f} MB | wall {figures['wall_s']:>8.2f} s | "
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
        print(f"  {figure:<55} {value!s:>10}  target {target:<9} {'MET' if ok else 'NOT MET'}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"results -> {args.out}")


if __name__ == "__main__":
    main()
