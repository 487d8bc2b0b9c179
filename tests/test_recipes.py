"""The loading recipes of the README and the dataset card run, and give the answers the tables give."""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import pyarrow.parquet as pq
import pytest

from conftest import ROOT
from pipeline.release.recipes import RECIPES, code_blocks, marked_section, recipe_code, render


def _rows(release, table):
    return pq.read_table(release / f"{table}.parquet").to_pylist()


@pytest.fixture(scope="module")
def results(committed_release, params):
    """Run every recipe as the card prints it, from the release folder (the card's own: it is right
    wherever a user publishes or copies the release); its answer variable by title."""
    import os

    blocks = code_blocks((committed_release / "README.md").read_text(encoding="utf-8"))
    assert blocks == [recipe_code(r, ".") for r in RECIPES], "the card's recipes are not the tested ones"
    out, cwd = {}, os.getcwd()
    os.chdir(committed_release)
    try:
        for recipe, code in zip(RECIPES, blocks):
            namespace: dict = {}
            exec(compile(code, f"<recipe {recipe.title}>", "exec"), namespace)
            out[recipe.title.split(":")[0]] = namespace[recipe.result]
    finally:
        os.chdir(cwd)
    return out


def test_readme_shows_the_tested_recipes_for_the_current_release(params):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert marked_section(readme).strip() == render(f"dataset/{params.version}").strip(), \
        "README recipes are stale: run `python -m pipeline.release.recipes README.md`"


def test_pandas_recipe_counts_events_per_actor(results, committed_release):
    actors = {a["actor_id"]: a["name"] for a in _rows(committed_release, "actors")}
    expected = defaultdict(set)
    for p in _rows(committed_release, "event_participants"):
        expected[(p["actor_id"], actors[p["actor_id"]])].add(p["event_id"])
    got = results["pandas"]
    assert {k: int(v) for k, v in got.items()} == {k: len(v) for k, v in expected.items()}
    assert list(got.values) == sorted(got.values, reverse=True)


def test_polars_recipe_counts_events_per_type_and_year(results, committed_release):
    expected = Counter((e["event_type"], e["date_start"].year if e["date_start"] else None)
                       for e in _rows(committed_release, "events"))
    got = {(r["event_type"], r["year"]): r["len"] for r in results["polars"].to_dicts()}
    assert got == dict(expected)


def test_duckdb_recipe_finds_the_foreign_localities_that_met_hanoi_by_year(results, committed_release):
    actors = {a["actor_id"]: a for a in _rows(committed_release, "actors")}
    events = {e["event_id"]: e for e in _rows(committed_release, "events")}
    participants = defaultdict(set)
    for p in _rows(committed_release, "event_participants"):
        participants[p["event_id"]].add(p["actor_id"])
    expected = defaultdict(set)
    for event_id, ids in participants.items():
        if any(actors[a]["name"] == "Hanoi" and actors[a]["kind"] == "locality" for a in ids):
            for a in ids:
                if actors[a]["kind"] == "locality" and actors[a]["country"] not in ("VN", None):
                    start = events[event_id]["date_start"]
                    expected[(actors[a]["name"], actors[a]["country"], start.year if start else None)].add(event_id)
    got = {(name, country, year): n for name, country, year, n in results["DuckDB"]}
    assert got == {k: len(v) for k, v in expected.items()}
    assert got, "the committed release has foreign localities meeting Hanoi"


def test_pyarrow_dataset_recipe_filters_events_by_date(results, committed_release):
    expected = sorted(e["event_id"] for e in _rows(committed_release, "events")
                      if e["date_start"] and e["date_start"] >= dt.date(2024, 1, 1))
    table = results["pyarrow.dataset"]
    assert table.column_names == ["event_id", "event_type", "date_start"]
    assert sorted(table.column("event_id").to_pylist()) == expected
