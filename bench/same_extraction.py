#!/usr/bin/env python3
"""Checks that the working tree extracts exactly what a git revision extracts, article by article.

    .venv/bin/python bench/same_extraction.py [--base HEAD] [--folders seeds tests/heldout/docs ...]

For speed work on the extractor (issue 21): the outcome of `pipeline.runtime.engine.process_one` (the
document's rows, as the build caches them) of every article in the folders is computed by the revision's
code (checked out in a temporary worktree) and by the working tree's, each in its own process, and
compared; the working tree runs twice, each article after all the others (as a busy worker) and each in
a fresh state (as a new worker: `pipeline.extraction.cuescan.reset`). Prints the number of articles, those
that differ (with the first differing table), and exits 1 when any differs. Defaults: every article folder of the repository plus a synthetic corpus of 1,000
distinct articles (`bench/corpus.py`).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ["seeds", "tests/heldout/docs"]

#: Run inside a tree (its code first on sys.path): one JSON line per article, its outcome's rows.
DUMP = r"""
import hashlib, json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from pipeline.core.params import load_params
from pipeline.runtime.engine import process_one
params = load_params(Path(sys.argv[1]) / "params.yaml")
fresh = sys.argv[2] == "fresh"
if fresh:
    from pipeline.extraction.cuescan import reset
for folder in sys.argv[3:]:
    for path in sorted(Path(folder).iterdir()):
        if path.suffix not in (".txt", ".html", ".htm"):
            continue
        if fresh:
            reset()
        outcome = process_one(path.read_bytes(), params)
        # the repr's digest tells a tuple from a list, which JSON does not
        print(json.dumps([str(path), [outcome, hashlib.sha256(repr(outcome).encode()).hexdigest()]],
                         ensure_ascii=False, sort_keys=True, default=repr))
"""


def dump(tree: Path, folders: list[Path], state: str = "warm") -> dict[str, list]:
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as fh:
        fh.write(DUMP)
    try:
        out = subprocess.run([sys.executable, fh.name, str(tree), state, *map(str, folders)], cwd=tree, check=True,
                             capture_output=True, text=True).stdout
    finally:
        Path(fh.name).unlink()
    return {path: outcome for path, outcome in map(json.loads, out.splitlines())}


def first_difference(a, b, where: str = "") -> str:
    if type(a) is not type(b):
        return f"{where}: {type(a).__name__} != {type(b).__name__}"
    if isinstance(a, dict):
        for key in sorted(set(a) | set(b), key=str):
            if a.get(key) != b.get(key):
                return first_difference(a.get(key), b.get(key), f"{where}.{key}")
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{where}: {len(a)} items != {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return first_difference(x, y, f"{where}[{i}]")
    return f"{where}: {str(a)[:200]!r} != {str(b)[:200]!r}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", default="HEAD", help="the git revision to compare with (default HEAD)")
    ap.add_argument("--folders", nargs="+", type=Path, default=None,
                    help="article folders (default: the repository's and a synthetic corpus of 1,000 articles)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folders = args.folders
        if folders is None:
            sys.path.insert(0, str(ROOT / "bench"))
            from corpus import make_corpus
            synthetic = Path(tmp) / "synthetic"
            make_corpus([ROOT / "seeds"], synthetic, 1000, seed=11, distinct=True)
            folders = [ROOT / f for f in FOLDERS] + [synthetic]
        folders = [f.resolve() for f in folders]
        base = Path(tmp) / "base"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(base), args.base],
                       check=True)
        try:
            old = dump(base, folders)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)], check=True)
        runs = {state: dump(ROOT, folders, state) for state in ("warm", "fresh")}
    failed = False
    for state, new in runs.items():
        differ = [path for path in old if old[path] != new.get(path)]
        print(f"{len(old)} articles in {len(folders)} folders, {state} state: {len(differ)} extracted otherwise "
              f"than {args.base}")
        for path in differ[:20]:
            print(f"  {path}: {first_difference(old[path], new.get(path))}")
        failed = failed or bool(differ) or set(old) != set(new)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
