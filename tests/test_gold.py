"""Regression: the extractor's scores against the gold annotations shipped with the tests, with `paradip evaluate`.

Seeds are scored on the committed release; the dev articles (`tests/dev/`), the project's own held-out
articles (`tests/heldout/`) and the real corpus (`tests/corpus/`) on fresh builds. The floors sit just under the scores reached so far; a rule
change that loses ground fails here. `tests/test_evaluate.py` checks the scorer itself.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from conftest import GOLD_SETS
from pipeline.core.params import load_params
from pipeline.quality.evaluate import evaluate_release
from pipeline.runtime.build import build

FLOORS = {
    "seeds": {"overall_f1": 0.98, "actors": 0.97, "events": 0.97, "agreements": 0.97, "cross_document": 0.95},
    "dev": {"overall_f1": 0.935, "actors": 0.94, "events": 0.91, "agreements": 0.93, "cross_document": 0.95},
    "heldout": {"overall_f1": 0.88, "actors": 0.93, "events": 0.84, "agreements": 0.87, "cross_document": 0.94},
    "corpus": {"overall_f1": 0.815, "actors": 0.865, "events": 0.77, "agreements": 0.80, "cross_document": 0.98},
    "fresh": {"overall_f1": 0.83, "actors": 0.875, "events": 0.80, "agreements": 0.81, "cross_document": 0.99},
    "fresh2": {"overall_f1": 0.83, "actors": 0.895, "events": 0.77, "agreements": 0.82, "cross_document": 0.99},
    "fresh3": {"overall_f1": 0.80, "actors": 0.835, "events": 0.78, "agreements": 0.79, "cross_document": 0.99},
    "fresh4": {"overall_f1": 0.775, "actors": 0.865, "events": 0.75, "agreements": 0.70, "cross_document": 0.99},
    "fresh5": {"overall_f1": 0.70, "actors": 0.81, "events": 0.66, "agreements": 0.62, "cross_document": 0.99},
    "fresh6": {"overall_f1": 0.765, "actors": 0.80, "events": 0.77, "agreements": 0.73, "cross_document": 0.99},
}
#: false merges the scorer counts on a set today (the corpus: bare "Bắc Giang" read as the province in a story
#: about the city, twice); a new one fails
KNOWN_FALSE_MERGES = {"corpus": 2, "fresh6": 1}  # fresh6: unseen, not read
#: page-noise names that become actors today (on pages nobody tuned on); a new one fails
KNOWN_LEAKS = {"fresh": 1, "fresh2": 1, "fresh5": 1}
#: gold articles the build quarantines today; another one fails
KNOWN_MISSING: dict[str, list[str]] = {}


def _check(report: dict, floors: dict, expected_documents: int, false_merges: int = 0, leaks: int = 0,
           missing: list[str] = ()) -> None:
    got = {"overall_f1": report["overall_f1"], "actors": report["actors"]["f1"], "events": report["events"]["f1"],
           "agreements": report["agreements"]["f1"], "cross_document": report["cross_document"]["recall"]}
    print(got)
    assert len(report["documents"]) == expected_documents
    assert sorted(report["missing_documents"]) == sorted(missing)
    assert {k: v for k, v in got.items() if v < floors[k]} == {}
    assert len(report["boilerplate_leaks"]) <= leaks, report["boilerplate_leaks"]
    assert report["cross_document"]["false_merges"] <= false_merges


def _gold_files(name: str) -> int:
    return len(list(GOLD_SETS[name].gold.glob("*.yaml")))


def test_seed_scores(committed_release):
    _check(evaluate_release(GOLD_SETS["seeds"].gold, committed_release).to_dict(), FLOORS["seeds"], _gold_files("seeds"))


@pytest.mark.parametrize("name", ["dev", "heldout", "corpus", "fresh", "fresh2", "fresh3", "fresh4", "fresh5", "fresh6"])
def test_scores_of_a_fresh_build(name, tmp_path):
    gold, docs = GOLD_SETS[name].gold, GOLD_SETS[name].copy_documents(tmp_path / "input")
    release = _build(docs, tmp_path)
    _check(evaluate_release(gold, release).to_dict(), FLOORS[name], _gold_files(name),
           KNOWN_FALSE_MERGES.get(name, 0), KNOWN_LEAKS.get(name, 0), KNOWN_MISSING.get(name, []))


def _build(docs: Path, tmp_path: Path) -> Path:
    return build(docs, tmp_path / "dataset", replace(load_params(), version="0.0.1"), cache_dir=None).release
