"""Shared fixtures: one release built from seeds/ per test session."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from pipeline.runtime.build import build  # noqa: E402
from pipeline.core.params import load_params  # noqa: E402


@pytest.fixture(scope="session")
def params():
    return load_params(ROOT / "params.yaml")


@pytest.fixture(scope="session")
def seed_release(tmp_path_factory, params):
    """A release built in-process from seeds/, as `paradip build` does."""
    out = tmp_path_factory.mktemp("dataset")
    return build(ROOT / "seeds", out, params, path_prefix="seeds")


@pytest.fixture(scope="session")
def committed_release(params) -> Path:
    return ROOT / "dataset" / params.version
