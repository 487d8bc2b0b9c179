"""A large build extracts and folds in a process of its own (`pipeline.runtime.fold_apart`): the release
is byte for byte the one folded in the building process, with or without workers and a cache, the
progress bar still counts every entry, and a failure or death of that process stops the build with a
clear error and leaves no process behind."""
from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
from pathlib import Path

import pytest

import pipeline.runtime.build as build_module
from conftest import GOLD_SETS
from pipeline.runtime.build import build
from pipeline.runtime.fold_apart import FoldProcessDied, build_tables_apart


def _release_bytes(release: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(release.iterdir())}


@pytest.fixture(scope="module")
def articles(tmp_path_factory) -> Path:
    """The seed and dev articles, one of them twice (a duplicate to quarantine)."""
    folder = tmp_path_factory.mktemp("articles")
    sources = [*GOLD_SETS["seeds"].documents(), *GOLD_SETS["dev"].documents()]
    for src in sources:
        shutil.copy(src, folder / src.name)
    shutil.copy(sources[0], folder / f"zz_copy_{sources[0].name}")
    return folder


@pytest.fixture(scope="module")
def folded_here(articles, tmp_path_factory, params):
    return build(articles, tmp_path_factory.mktemp("here"), params, path_prefix="in", jobs=1)


def _counting_track(counted: list):
    def track(items, description="", total=None):
        for item in items:
            counted.append(description)
            yield item
    return track


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_fold_in_its_own_process_gives_the_same_release(articles, folded_here, tmp_path, params, monkeypatch,
                                                           jobs):
    monkeypatch.setattr(build_module, "FOLD_APART_MIN_INPUTS", 0)
    counted: list[str] = []
    apart = build(articles, tmp_path, params, path_prefix="in", jobs=jobs, batch_size=4,
                  track=_counting_track(counted))
    assert _release_bytes(apart.release) == _release_bytes(folded_here.release)
    assert apart.stats == folded_here.stats and apart.stats.quarantined == 1
    assert counted == ["build"] * apart.stats.entries  # the child's progress reached the bar, entry by entry
    assert not [p for p in multiprocessing.active_children() if p.name == "paradip-fold"]


def test_a_fold_apart_saves_and_resumes_checkpoints_like_one_here(articles, folded_here, tmp_path, params,
                                                                  monkeypatch):
    monkeypatch.setattr(build_module, "FOLD_APART_MIN_INPUTS", 0)
    first = build(articles, tmp_path / "a", params, path_prefix="in", cache_dir=tmp_path / "cache")
    again = build(articles, tmp_path / "b", params, path_prefix="in", cache_dir=tmp_path / "cache")
    assert first.stats.extracted == folded_here.stats.extracted and again.stats.extracted == 0
    assert again.stats.resumed == again.stats.entries
    assert _release_bytes(again.release) == _release_bytes(first.release) == _release_bytes(folded_here.release)


def test_an_error_in_the_fold_process_is_raised_in_the_building_process(articles, tmp_path, params):
    with pytest.raises(ValueError, match="unknown engine 'abacus'"):
        build_tables_apart(articles, params, "in", engine="abacus", spill_dir=tmp_path)


def test_a_fold_process_that_dies_stops_the_build_with_its_exit_code(articles, tmp_path, params):
    def kill_the_fold(items, description="", total=None):  # before it can have folded anything
        (child,) = [p for p in multiprocessing.active_children() if p.name == "paradip-fold"]
        os.kill(child.pid, signal.SIGKILL)
        yield from items

    with pytest.raises(FoldProcessDied, match=r"exit code -9"):
        build_tables_apart(articles, params, "in", kill_the_fold, jobs=1, batch_size=1, spill_dir=tmp_path)
    assert not [p for p in multiprocessing.active_children() if p.name == "paradip-fold"]
