"""Regression: the release scores against the gold annotations with ../shared/tools/score.py."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import SHARED

SCORE = SHARED / "tools" / "score.py"
pytestmark = pytest.mark.skipif(not SCORE.exists(), reason="../shared/tools/score.py is not beside the clone")

SEED_MIN = {"overall_f1": 0.85}


def _score(gold, dataset, tmp_path):
    out = tmp_path / "score.json"
    subprocess.run([sys.executable, str(SCORE), "--gold", str(gold), "--dataset", str(dataset), "--json", str(out),
                    "--quiet"], check=True, capture_output=True, text=True)
    return json.loads(out.read_text())


def test_seed_scores(committed_release, tmp_path):
    report = _score(SHARED / "gold", committed_release, tmp_path)
    print(f"seeds: overall F1 {report['overall_f1']}, actors {report['actors']['f1']}, "
          f"events {report['events']['f1']}, agreements {report['agreements']['f1']}")
    assert report["overall_f1"] >= SEED_MIN["overall_f1"]
    assert report["boilerplate_leaks"] == []
    assert report["cross_document"]["false_merges"] == 0
