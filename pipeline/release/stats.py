"""Summary figures of a release, for its dataset card and charts.

Pure functions of the published tables, handed over as a
`pipeline.core.spill.LazyRows` (rows read column by column; the figures over the
large tables are computed on their Arrow columns, with Arrow compute), so
the card and the charts say the same thing and are the same on every
rebuild: every ranking breaks ties by name, every list is sorted.

Vocabulary: a *partner country* of an event is the country of a participant
whose country is known and not Vietnam; a *foreign partner* in the actor
network is a non-Vietnamese actor with a known country, or an international
organisation; the *Vietnamese side* is every Vietnamese actor but the country
itself (which takes part in nearly everything).
"""
from __future__ import annotations

import datetime as dt
import functools
from collections import Counter, defaultdict

import pyarrow as pa
import pyarrow.compute as pc
import pycountry

from pipeline.core.spill import LazyRows, read_columns

Rows = LazyRows
HOME = "VN"


def _once_per_release(function):
    """Compute `function(rows, *args)` once per release: rows that carry a `memo` dict (the card's
    `pipeline.core.spill.LazyRows`) keep the result there, since the card and both charts ask for the same
    figures; callers never mutate what they get. Only for results much smaller than the tables (one
    entry per event kept for the whole card would cost hundreds of MB at archive scale)."""

    @functools.wraps(function)
    def once(rows, *args):
        memo = getattr(rows, "memo", None)
        if memo is None:
            return function(rows, *args)
        key = (function.__name__, args)
        if key not in memo:
            memo[key] = function(rows, *args)
        return memo[key]

    return once


@_once_per_release
def actors_by_id(rows: Rows) -> dict[str, dict]:
    return {a["actor_id"]: a for a in rows["actors"]}


def _iso_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or getattr(country, "name", None) or code


@_once_per_release
def country_names(rows: Rows) -> dict[str, str]:
    """Country code -> the name the release gives its country actor, else the ISO 3166 name."""
    names = {a["country"]: a["name"] for a in rows["actors"] if a["kind"] == "country" and a["country"]}
    codes = {a["country"] for a in rows["actors"] if a["country"]}
    return {code: names.get(code) or _iso_name(code) for code in sorted(codes)}


def _columns(rows: Rows, table: str, columns: list[str]) -> pa.Table:
    return read_columns(rows.tables, table, columns)


def _counts(keys: pa.Table, by: list[str]) -> dict:
    """Rows of `keys` per value of the `by` columns (a tuple of values when there are several)."""
    counted = keys.group_by(by).aggregate([([], "count_all")])
    values = [counted.column(c).to_pylist() for c in by]
    return dict(zip(values[0] if len(by) == 1 else zip(*values), counted.column("count_all").to_pylist()))


def _ids(actors: dict[str, dict], keep) -> pa.Array:
    return pa.array([a for a, actor in actors.items() if keep(actor)], type=pa.string())


def _event_actors(rows: Rows) -> pa.Table:
    """Distinct (event_id, actor_id) of the participants."""
    pairs = _columns(rows, "event_participants", ["event_id", "actor_id"])
    return pairs.group_by(["event_id", "actor_id"]).aggregate([])


def _with_actor_ids(pairs: pa.Table, ids: pa.Array) -> pa.Table:
    return pairs.filter(pc.is_in(pairs.column("actor_id"), value_set=ids))


@_once_per_release
def _partner_countries(rows: Rows) -> pa.Table:
    """(actor_id, country) of every actor from a partner country."""
    partners = [(a, actor["country"]) for a, actor in actors_by_id(rows).items()
                if actor["country"] not in (None, HOME)]
    return pa.table({"actor_id": pa.array([a for a, _ in partners], type=pa.string()),
                     "country": pa.array([c for _, c in partners], type=pa.string())})


def _distinct_partner_countries(rows: Rows, table: str, column: str) -> pa.Table:
    """Distinct (`column`, country) of the `table` rows whose actor is from a partner country."""
    keys = _columns(rows, table, [column, "actor_id"]).join(_partner_countries(rows), "actor_id",
                                                            join_type="inner")
    return keys.group_by([column, "country"]).aggregate([])


@_once_per_release
def events_per_year_by_country(rows: Rows) -> tuple[Counter, int]:
    """Counter of (year, partner country) over dated events, and how many events have no date."""
    events = _columns(rows, "events", ["event_id", "date_start"])
    dated = events.filter(pc.is_valid(events.column("date_start")))
    years = pa.table({"event_id": dated.column("event_id"), "year": pc.year(dated.column("date_start"))})
    partner_events = _distinct_partner_countries(rows, "event_participants", "event_id")
    counts = _counts(partner_events.join(years, "event_id", join_type="inner"), ["year", "country"])
    return Counter(counts), events.column("date_start").null_count


def top_partner_countries(rows: Rows, limit: int = 10) -> list[tuple[str, int, int]]:
    """(country code, events, agreements) with that partner country, most events first."""
    events = Counter(_counts(_distinct_partner_countries(rows, "event_participants", "event_id"), ["country"]))
    agreements = Counter(_counts(_distinct_partner_countries(rows, "agreement_parties", "agreement_id"),
                                 ["country"]))
    codes = set(events) | set(agreements)
    ranked = sorted(codes, key=lambda c: (-events[c], -agreements[c], c))
    return [(c, events[c], agreements[c]) for c in ranked[:limit]]


def _rows_per_actor(rows: Rows, table: str) -> Counter:
    return Counter(_counts(_columns(rows, table, ["actor_id"]), ["actor_id"]))


def top_localities(rows: Rows, home: bool, limit: int | None = 10) -> list[tuple[dict, int, int]]:
    """(locality actor, events, agreements) for Vietnamese (`home`) or foreign localities, most events first."""
    localities = {a["actor_id"]: a for a in rows["actors"]
                  if a["kind"] == "locality" and (a["country"] == HOME) == home}
    events = _rows_per_actor(rows, "event_participants")
    agreements = _rows_per_actor(rows, "agreement_parties")
    ranked = sorted(localities, key=lambda a: (-events[a], -agreements[a], localities[a]["name"], a))
    return [(localities[a], events[a], agreements[a]) for a in ranked[:limit]]


def is_foreign_partner(actor: dict) -> bool:
    return actor["kind"] == "international" or actor["country"] not in (None, HOME)


def is_vietnamese_side(actor: dict) -> bool:
    return actor["country"] == HOME and actor["kind"] != "country"


def partner_network(rows: Rows, home: set[str], foreign: set[str]) -> Counter:
    """Counter of (Vietnamese actor id, foreign partner id) -> events both took part in, for the Vietnamese
    actors among `home` and the foreign partners among `foreign`."""
    actors = actors_by_id(rows)
    pairs = _event_actors(rows)
    home = _with_actor_ids(pairs, _ids(actors, lambda a: a["actor_id"] in home and is_vietnamese_side(a)))
    foreign = _with_actor_ids(pairs, _ids(actors, lambda a: a["actor_id"] in foreign and is_foreign_partner(a)))
    joined = home.rename_columns(["event_id", "home"]).join(foreign.rename_columns(["event_id", "foreign"]),
                                                            "event_id", join_type="inner")
    return Counter(_counts(joined, ["home", "foreign"]))


@_once_per_release
def largest_partners(rows: Rows, limit: int) -> list[tuple[str, int]]:
    """(foreign partner id, events shared with the Vietnamese side), largest first, ties by name."""
    actors = actors_by_id(rows)
    pairs = _event_actors(rows)
    with_home = pc.unique(_with_actor_ids(pairs, _ids(actors, is_vietnamese_side)).column("event_id"))
    foreign = _with_actor_ids(pairs, _ids(actors, is_foreign_partner))
    shared = _counts(foreign.filter(pc.is_in(foreign.column("event_id"), value_set=with_home)), ["actor_id"])
    ranked = sorted(shared, key=lambda a: (-shared[a], actors[a]["name"], a))
    return [(a, shared[a]) for a in ranked[:limit]]


def shared_events(rows: Rows, others: set[str], side) -> dict[str, set[str]]:
    """Actor id (on `side`) -> ids of the events it shared with at least one actor of `others`."""
    actors = actors_by_id(rows)
    pairs = _event_actors(rows)
    with_others = pc.unique(_with_actor_ids(pairs, pa.array(sorted(others), type=pa.string())).column("event_id"))
    found = _with_actor_ids(pairs, _ids(actors, lambda actor: side(actor) and actor["actor_id"] not in others))
    found = found.filter(pc.is_in(found.column("event_id"), value_set=with_others))
    out: dict[str, set[str]] = defaultdict(set)
    for event_id, a in zip(found.column("event_id").to_pylist(), found.column("actor_id").to_pylist()):
        out[a].add(event_id)
    return dict(out)


def _reported_per_language(rows: Rows, languages: pa.Table, table: str, column: str) -> dict[str, int]:
    """Language -> distinct `column` values of the `table` rows whose document is in that language."""
    reported = _columns(rows, table, [column, "doc_id"]).join(languages, "doc_id", join_type="inner")
    return _counts(reported.group_by(["language", column]).aggregate([]), ["language"])


@_once_per_release
def documents_per_language(rows: Rows) -> dict[str, tuple[int, int, int]]:
    """Language -> (documents, events reported, agreements reported) in that language."""
    languages = _columns(rows, "documents", ["doc_id", "language"])
    docs = _counts(languages, ["language"])
    events = _reported_per_language(rows, languages, "event_sources", "event_id")
    agreements = _reported_per_language(rows, languages, "agreement_sources", "agreement_id")
    return {lang: (docs[lang], events.get(lang, 0), agreements.get(lang, 0)) for lang in sorted(docs)}


def _years(rows: Rows, table: str, column: str) -> Counter:
    return Counter(pc.year(_columns(rows, table, [column]).column(column)).to_pylist())


def per_year(rows: Rows) -> list[tuple[int | None, int, int, int]]:
    """(year or None for undated, documents published, events starting, agreements signed), years ascending."""
    docs = _years(rows, "documents", "published")
    events = _years(rows, "events", "date_start")
    agreements = _years(rows, "agreements", "date_signed")
    years = set(docs) | set(events) | set(agreements)
    ordered = sorted(y for y in years if y is not None) + ([None] if None in years else [])
    return [(y, docs[y], events[y], agreements[y]) for y in ordered]


def event_types(rows: Rows) -> dict[str, tuple[int, list[str]]]:
    """Event type -> (events of that type, the CAMEO codes they use, sorted)."""
    events = _columns(rows, "events", ["event_type", "cameo_code"])
    found = events.group_by("event_type").aggregate([([], "count_all"), ("cameo_code", "distinct")])
    return {t: (n, sorted(codes)) for t, n, codes in zip(*(found.column(c).to_pylist() for c in (
        "event_type", "count_all", "cameo_code_distinct")))}


def undated(rows: Rows, table: str, column: str) -> int:
    return _columns(rows, table, [column]).column(column).null_count


def date_range(rows: Rows, table: str, column: str) -> tuple[dt.date, dt.date] | None:
    """(earliest, latest) date of a column, None when it has no date."""
    low, high = pc.min_max(_columns(rows, table, [column]).column(column)).values()
    return (low.as_py(), high.as_py()) if low.is_valid else None


def null_rates(arrow: dict[str, pa.Table]) -> list[tuple[str, str, str, int, int, int | None]]:
    """(table, column, Arrow type, null cells, rows, empty lists or None) for every column of every table."""
    out = []
    for name, table in arrow.items():
        for field in table.schema:
            column = table.column(field.name)
            empty = (pc.sum(pc.equal(pc.list_value_length(column), 0)).as_py() or 0
                     if pa.types.is_list(field.type) else None)
            out.append((name, field.name, str(field.type), column.null_count, table.num_rows, empty))
    return out


#: Actor kinds that are places, linked to ISO 3166 and GeoNames (`pipeline.resolution.places`).
PLACE_KINDS = ("locality", "country")


@_once_per_release
def place_links(rows: Rows) -> list[tuple[str, int, int, int, int, int]]:
    """(group, place actors, with an ISO 3166 code, with a GeoNames id, with a point, linked: any of the three)
    for countries, Vietnamese localities, foreign localities and localities of no known country."""
    groups: dict[str, list[dict]] = {"country": [], "locality, Vietnamese": [], "locality, foreign": [],
                                     "locality, country unknown": []}
    for actor in rows["actors"]:
        if actor["kind"] == "country":
            groups["country"].append(actor)
        elif actor["kind"] == "locality":
            where = "Vietnamese" if actor["country"] == HOME else "foreign" if actor["country"] else "country unknown"
            groups[f"locality, {where}"].append(actor)
    out = []
    for group, actors in groups.items():
        coded = sum(a["iso_3166"] is not None for a in actors)
        named = sum(a["geonames_id"] is not None for a in actors)
        pointed = sum(a["latitude"] is not None for a in actors)
        linked = sum(any(a[c] is not None for c in ("iso_3166", "geonames_id", "latitude")) for a in actors)
        out.append((group, len(actors), coded, named, pointed, linked))
    return out


@_once_per_release
def mapped_places(rows: Rows) -> list[tuple[dict, int]]:
    """(place actor with a point, events it took part in) for every such actor in at least one event, most
    events first, ties by name."""
    events = Counter(_counts(_event_actors(rows), ["actor_id"]))
    places = [a for a in rows["actors"] if a["kind"] in PLACE_KINDS and a["latitude"] is not None
              and events[a["actor_id"]]]
    places.sort(key=lambda a: (-events[a["actor_id"]], a["name"], a["actor_id"]))
    return [(a, events[a["actor_id"]]) for a in places]
