"""Regression: the extractor's scores against the gold annotations, with ../shared/tools/score.py.

Seeds are scored on the committed release; dev articles (../shared/dev/docs) and the project's own
held-out articles (tests/heldout/) on fresh builds. The floors sit just under the scores reached so
far; a rule change that loses ground fails here.
"""
from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import SHARED
from pipeline.runtime.build import build
from pipeline.core.params import load_params

SCORE = SHARED / "tools" / "score.py"
pytestmark = pytest.mark.skipif(not SCORE.exists(), reason="../shared/tools/score.py is not beside the clone")

FLOORS = {
    "seeds": {"overall_f1": 0.98, "actors": 0.97, "events": 0.97, "agreements": 0.97, "cross_document": 0.95},
    "dev": {"overall_f1": 0.91, "actors": 0.94, "events": 0.89, "agreements": 0.90, "cross_document": 0.95},
    "heldout": {"overall_f1": 0.83, "actors": 0.89, "events": 0.75, "agreements": 0.84, "cross_document": 0.94},
}
HELDOUT = Path(__file__).parent / "heldout"


def _score(gold, dataset, tmp_path):
    out = tmp_path / "score.json"
    subprocess.run([sys.executable, str(SCORE), "--gold", str(gold), "--dataset", str(dataset), "--json", str(out),
                    "--quiet"], check=True, capture_output=True, text=True)
    return json.loads(out.read_text())


def _check(report, floors):
    got = {"overall_f1": report["overall_f1"], "actors": report["actors"]["f1"], "events": report["events"]["f1"],
           "agreements": report["agreements"]["f1"], "cross_document": report["cross_document"]["recall"]}
    print(got)
    assert {k: v for k, v in got.items() if v < floors[k]} == {}
    assert report["boilerplate_leaks"] == []
    assert report["cross_document"]["false_merges"] == 0


def test_seed_scores(committed_release, tmp_path):
    _check(_score(SHARED / "gold", committed_release, tmp_path), FLOORS["seeds"])


@pytest.mark.skipif(not (SHARED / "dev" / "docs").exists(), reason="../shared/dev is not beside the clone")
def test_dev_scores(tmp_path):
    _check(_score(SHARED / "dev" / "gold", _build(SHARED / "dev" / "docs", tmp_path), tmp_path), FLOORS["dev"])


def test_heldout_scores(tmp_path):
    _check(_score(HELDOUT / "gold", _build(HELDOUT / "docs", tmp_path), tmp_path), FLOORS["heldout"])


def _build(docs: Path, tmp_path: Path) -> Path:
    return build(docs, tmp_path / "dataset", replace(load_params(), version="0.0.1")).release
