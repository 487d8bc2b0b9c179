"""Shared fixtures: one release built from seeds/ (every real article) per test session, and a sandbox for everything
the code under test writes on its own (cache folder, temporary folders): inside pytest's temporary
folder, never the user's `~/.cache/paradip` or the system's `/tmp`."""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import atexit
import shutil

import pytest
from hypothesis.configuration import set_hypothesis_home_dir

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# hypothesis keeps a cache of constants (and would keep examples) in `.hypothesis/` of the working folder:
# a temporary folder instead, removed at exit, so the tests leave nothing in the user's clone
_HYPOTHESIS_HOME = tempfile.mkdtemp(prefix="paradip-hypothesis-")
set_hypothesis_home_dir(_HYPOTHESIS_HOME)
atexit.register(shutil.rmtree, _HYPOTHESIS_HOME, ignore_errors=True)

from pipeline.runtime.build import build  # noqa: E402
from pipeline.runtime.inputs import read_metadata  # noqa: E402
from pipeline.core.params import load_params  # noqa: E402
from pipeline.quality.sets import GOLD_SETS as _SETS  # noqa: E402

#: Gold sets shipped with the repository (`pipeline/quality/sets.py`): name -> GoldSet (its gold folder, and
#: its articles in seeds/).
GOLD_SETS = _SETS


@pytest.fixture(scope="session", autouse=True)
def sandbox(tmp_path_factory):
    """Cache and temporary folders of this process and of every process it starts (they inherit the
    environment) go under the session's temporary folder, which pytest removes in its turn."""
    base = tmp_path_factory.mktemp("sandbox")
    saved = {k: os.environ.get(k) for k in ("PARADIP_CACHE_DIR", "TMPDIR")}
    os.environ["PARADIP_CACHE_DIR"] = str(base / "cache")
    os.environ["TMPDIR"] = str(base / "tmp")
    (base / "tmp").mkdir()
    tempfile.tempdir = None  # read TMPDIR again
    yield base
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    tempfile.tempdir = None


@pytest.fixture(scope="session")
def params():
    return load_params(ROOT / "params.yaml")


@pytest.fixture(scope="session")
def seed_release(tmp_path_factory, params):
    """A release built in-process from seeds/ with seeds.csv, as `dvc repro` does."""
    out = tmp_path_factory.mktemp("dataset")
    return build(ROOT / "seeds", out, params, path_prefix="seeds", metadata=read_metadata(ROOT / "seeds.csv"))


@pytest.fixture(scope="session")
def committed_release(params) -> Path:
    return ROOT / "dataset" / params.version
