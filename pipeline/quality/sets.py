"""The repository's gold sets and one command that scores them all: `make evaluate`.

    python -m pipeline.quality.sets [--json FILE] [NAME ...]

Each set is a folder of gold annotations (`gold/*.yaml`) and the articles they describe. Every set is
built on its own into a temporary folder (no cache), with the repository's `params.yaml`, and scored
with `pipeline.quality.evaluate`; one summary line per set is printed, in the format of `paradip
evaluate`. The tests (`tests/test_gold.py`) use the same list.
"""
from __future__ import annotations

import argparse
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pipeline.core.params import load_params
from pipeline.quality.evaluate import Report, evaluate_input

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class GoldSet:
    name: str
    gold: Path
    docs: Path
    about: str


GOLD_SETS = {s.name: s for s in (
    GoldSet("seeds", ROOT / "tests" / "seeds" / "gold", ROOT / "seeds", "the five original articles"),
    GoldSet("dev", ROOT / "tests" / "dev" / "gold", ROOT / "tests" / "dev" / "docs",
            "16 real articles, EN + VI, rules were written from them"),
    GoldSet("heldout", ROOT / "tests" / "heldout" / "gold", ROOT / "tests" / "heldout" / "docs",
            "12 articles written for the project, EN + VI, partly tuned on"),
    GoldSet("corpus", ROOT / "tests" / "corpus" / "gold", ROOT / "tests" / "corpus" / "docs",
            "44 real articles, EN + VI, other outlets, provinces and years"),
)}


def score_set(gold_set: GoldSet) -> Report:
    params = load_params(ROOT / "params.yaml")
    with tempfile.TemporaryDirectory(prefix="paradip-evaluate-") as out:
        return evaluate_input(gold_set.gold, gold_set.docs, params, out_dir=Path(out))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*", choices=[[], *GOLD_SETS], help="sets to score (default: all)")
    ap.add_argument("--json", type=Path, help="also write every set's full report here")
    args = ap.parse_args(argv)
    reports = {}
    for name in args.names or GOLD_SETS:
        report = reports[name] = score_set(GOLD_SETS[name])
        print(f"{name:8s} {report.summary_line()}", flush=True)
    if args.json:
        args.json.write_text(json.dumps({n: r.to_dict() for n, r in reports.items()}, indent=1, ensure_ascii=False,
                                        default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
