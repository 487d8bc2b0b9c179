"""The repository's gold sets and one command that scores them all: `make evaluate`.

    python -m pipeline.quality.sets [--json FILE] [NAME ...]

Every real article of the repository lives in `seeds/` (the input of `dvc repro`); the held-out
articles, written for the project with invented people, stay beside their gold in `tests/heldout/docs`
and out of the dataset. A set is a folder of gold annotations (`tests/<set>/gold/*.yaml`) naming the
articles it describes. Each set is built on its own from its articles (copied into a temporary folder,
no cache) with the repository's `params.yaml`, and scored with `pipeline.quality.evaluate`; one summary
line per set is printed, in the format of `paradip evaluate`. The tests (`tests/test_gold.py`) use the
same list.
"""
from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from pipeline.core.params import load_params
from pipeline.quality.evaluate import Report, evaluate_input

ROOT = Path(__file__).resolve().parents[2]


ARTICLES = ROOT / "seeds"


@dataclass(frozen=True)
class GoldSet:
    name: str
    gold: Path
    about: str
    articles: Path = ARTICLES

    def documents(self) -> list[Path]:
        """The articles the set's gold describes (its `doc:` fields)."""
        return [self.articles / name for name in sorted(doc_names(self.gold))]

    def copy_documents(self, folder: Path) -> Path:
        """`folder` holding a copy of the set's articles only: the input of a build of this set."""
        folder.mkdir(parents=True, exist_ok=True)
        for path in self.documents():
            shutil.copyfile(path, folder / path.name)
        return folder


def doc_names(gold: Path) -> set[str]:
    """The article file names of a gold folder."""
    return {yaml.safe_load(path.read_text(encoding="utf-8"))["doc"] for path in gold.glob("*.yaml")}


GOLD_SETS = {s.name: s for s in (
    GoldSet("seeds", ROOT / "tests" / "seeds" / "gold", "the five original articles"),
    GoldSet("dev", ROOT / "tests" / "dev" / "gold", "16 real articles, EN + VI, rules were written from them"),
    GoldSet("heldout", ROOT / "tests" / "heldout" / "gold", "12 articles written for the project (invented people), "
            "EN + VI, tuned on since", ROOT / "tests" / "heldout" / "docs"),
    GoldSet("corpus", ROOT / "tests" / "corpus" / "gold", "44 real articles, EN + VI, other outlets, provinces and "
            "years; half of them (even numbers) tuned on in issue 18"),
    GoldSet("fresh", ROOT / "tests" / "fresh" / "gold", "19 real articles, EN + VI, collected after the rules of "
            "issue 18 were written; scored once untouched"),
    GoldSet("fresh2", ROOT / "tests" / "fresh2" / "gold", "12 real articles, EN + VI, collected in session 11 by "
            "annotators who never ran the extractor; unseen until session 13 tuned on it"),
    GoldSet("fresh3", ROOT / "tests" / "fresh3" / "gold", "12 real articles, EN + VI, collected in session 12 by "
            "annotators who never ran the extractor; unseen until session 13's third round of rules"),
    GoldSet("fresh4", ROOT / "tests" / "fresh4" / "gold", "12 real articles, EN + VI, collected in session 13 by "
            "annotators who never ran the extractor; tuned on in its fourth round of rules"),
    GoldSet("fresh5", ROOT / "tests" / "fresh5" / "gold", "12 real articles, EN + VI, collected in session 13 by "
            "annotators who never ran the extractor; only summary lines read (and one page's header)"),
    GoldSet("fresh6", ROOT / "tests" / "fresh6" / "gold", "12 real articles, EN + VI, collected at the end of "
            "session 13 by annotators who never ran the extractor; only their summary lines were read"),
)}


def score_set(gold_set: GoldSet) -> Report:
    params = load_params(ROOT / "params.yaml")
    with tempfile.TemporaryDirectory(prefix="paradip-evaluate-") as tmp:
        docs = gold_set.copy_documents(Path(tmp) / "input")
        return evaluate_input(gold_set.gold, docs, params, out_dir=Path(tmp) / "out")


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
