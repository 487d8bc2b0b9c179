"""The release card's and charts' figures (`pipeline.release.stats`), computed on Arrow columns without
turning every actor into a Python row, agree with the same figures counted row by row in Python over the
committed release; an actor with two roles in one event counts once."""
from __future__ import annotations

from collections import Counter, defaultdict

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.core.spill import LazyRows
from pipeline.release import stats
from schemas.records import TABLE_MODELS

HOME = "VN"


@pytest.fixture(scope="module")
def release_rows(committed_release):
    tables = {m.table.name: pq.read_table(committed_release / f"{m.table.name}.parquet") for m in TABLE_MODELS}
    return LazyRows(tables), {name: table.to_pylist() for name, table in tables.items()}


def _python_shared(plain: dict, others: set[str], side) -> dict[str, set[str]]:
    actors = {a["actor_id"]: a for a in plain["actors"]}
    by_event = defaultdict(set)
    for p in plain["event_participants"]:
        by_event[p["event_id"]].add(p["actor_id"])
    out = defaultdict(set)
    for event, members in by_event.items():
        if members & others:
            for a in members - others:
                if side(actors[a]):
                    out[a].add(event)
    return dict(out)


def _vietnamese(actor: dict) -> bool:
    return actor["country"] == HOME and actor["kind"] != "country"


def _foreign(actor: dict) -> bool:
    return actor["kind"] == "international" or actor["country"] not in (None, HOME)


def test_largest_partners_count_the_events_shared_with_the_vietnamese_side(release_rows):
    rows, plain = release_rows
    vietnamese = {a["actor_id"] for a in plain["actors"] if _vietnamese(a)}
    expected = Counter({a: len(events) for a, events in _python_shared(plain, vietnamese, _foreign).items()})
    names = {a["actor_id"]: a["name"] for a in plain["actors"]}
    ranked = sorted(expected, key=lambda a: (-expected[a], names[a], a))
    assert ranked, "the committed release should have foreign partners"
    assert stats.largest_partners(rows, 1000) == [(a, expected[a]) for a in ranked]


@pytest.mark.parametrize("side, python_side", [(stats.vietnamese_side, _vietnamese), (stats.foreign_partner, _foreign)])
def test_shared_events_match_a_row_by_row_count(release_rows, side, python_side):
    rows, plain = release_rows
    some = {a["actor_id"] for a in plain["actors"] if a["kind"] in ("locality", "country")}
    assert stats.shared_events(rows, some, side) == _python_shared(plain, some, python_side)


def test_actor_figures_match_the_actor_rows(release_rows):
    rows, plain = release_rows
    assert stats.actor_kinds(rows) == Counter(a["kind"] for a in plain["actors"])
    assert set(stats.country_names(rows)) == {a["country"] for a in plain["actors"] if a["country"]}
    home = [a for a in plain["actors"] if a["kind"] == "locality" and a["country"] == HOME]
    assert {a["actor_id"] for a, _, _ in stats.top_localities(rows, home=True, limit=None)} == {
        a["actor_id"] for a in home}
    picked = [a["actor_id"] for a in plain["actors"][::3]]
    assert stats.actor_rows(rows, picked) == {a["actor_id"]: a for a in plain["actors"] if a["actor_id"] in picked}


def test_an_actor_with_two_roles_in_one_event_counts_once():
    actors = pa.table({"actor_id": ["hanoi", "lyon", "mayor"], "name": ["Hà Nội", "Lyon", "A Mayor"],
                       "kind": ["locality", "locality", "person"], "country": ["VN", "FR", "FR"]})
    participants = pa.table({"event_id": ["e1", "e1", "e1", "e2", "e2"],
                             "actor_id": ["hanoi", "lyon", "lyon", "hanoi", "mayor"],
                             "role": ["host", "guest", "signatory", "host", "guest"]})
    rows = LazyRows({"actors": actors, "event_participants": participants})
    assert stats.largest_partners(rows, 5) == [("mayor", 1), ("lyon", 1)]  # ties by name: "A Mayor" first
    assert stats.shared_events(rows, {"hanoi"}, stats.foreign_partner) == {"lyon": {"e1"}, "mayor": {"e2"}}
