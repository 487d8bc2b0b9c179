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


def _actors(rows: Rows, columns: list[str]) -> pa.Table:
    return _columns(rows, "actors", columns)


def actor_rows(rows: Rows, ids) -> dict[str, dict]:
    """Actor id -> its row (a dict) for the actors `ids` only: at archive scale the actors table holds hundreds
    of thousands of actors, and the card and charts name a few of them."""
    actors = rows.tables["actors"]
    found = actors.filter(pc.is_in(actors.column("actor_id"), value_set=pa.array(sorted(ids), type=pa.string())))
    return {a["actor_id"]: a for a in found.to_pylist()}


def actor_kinds(rows: Rows) -> dict[str, int]:
    """Kind of actor -> actors of that kind."""
    return _counts(_actors(rows, ["kind"]), ["kind"])


def _rows_where(rows: Rows, mask) -> list[dict]:
    """The actors (row dicts, in table order) for which `mask(actors table)` is true."""
    actors = rows.tables["actors"]
    return actors.filter(pc.fill_null(mask(actors), False)).to_pylist()


def vietnamese_side(actors: pa.Table) -> pa.ChunkedArray:
    """Mask of the Vietnamese side: every Vietnamese actor but the country itself."""
    return pc.and_(pc.fill_null(pc.equal(actors.column("country"), HOME), False),
                   pc.not_equal(actors.column("kind"), "country"))


def foreign_partner(actors: pa.Table) -> pa.ChunkedArray:
    """Mask of the foreign partners: a non-Vietnamese actor with a known country, or an international body."""
    return pc.or_(pc.equal(actors.column("kind"), "international"),
                  pc.fill_null(pc.not_equal(actors.column("country"), HOME), False))


def _actor_ids(rows: Rows, side, among: set[str] | None = None) -> pa.Array:
    """Ids of the actors in the `side` mask (`vietnamese_side`, `foreign_partner`), and in `among` when given."""
    actors = _actors(rows, ["actor_id", "kind", "country"])
    mask = side(actors)
    if among is not None:
        mask = pc.and_(mask, pc.is_in(actors.column("actor_id"), value_set=pa.array(sorted(among), type=pa.string())))
    return actors.filter(mask).column("actor_id").combine_chunks()


def _iso_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or getattr(country, "name", None) or code


@_once_per_release
def country_names(rows: Rows) -> dict[str, str]:
    """Country code -> the name the release gives its country actor, else the ISO 3166 name."""
    actors = _actors(rows, ["name", "kind", "country"])
    countries = actors.filter(pc.fill_null(pc.equal(actors.column("kind"), "country"), False))
    names = dict(zip(countries.column("country").to_pylist(), countries.column("name").to_pylist()))
    codes = pc.unique(actors.column("country").drop_null()).to_pylist()
    return {code: names.get(code) or _iso_name(code) for code in sorted(codes)}


def _columns(rows: Rows, table: str, columns: list[str]) -> pa.Table:
    return read_columns(rows.tables, table, columns)


def _counts(keys: pa.Table, by: list[str]) -> dict:
    """Rows of `keys` per value of the `by` columns (a tuple of values when there are several)."""
    counted = keys.group_by(by).aggregate([([], "count_all")])
    values = [counted.column(c).to_pylist() for c in by]
    return dict(zip(values[0] if len(by) == 1 else zip(*values), counted.column("count_all").to_pylist()))


def _event_actors(rows: Rows) -> pa.Table:
    """Distinct (event_id, actor_id) of the participants. The table is sorted by (event_id, actor_id, role), so
    an actor with two roles in one event has adjacent rows: the rows that repeat the one before are dropped
    (no hash table of every pair)."""
    pairs = _columns(rows, "event_participants", ["event_id", "actor_id"])
    if pairs.num_rows < 2:
        return pairs
    last = pairs.num_rows - 1
    repeats = pc.and_(*(pc.equal(column.slice(1), column.slice(0, last))
                        for column in (pairs.column("event_id"), pairs.column("actor_id"))))
    return pairs.filter(pa.concat_arrays([pa.array([True]), pc.invert(repeats).combine_chunks()]))


def _with_actor_ids(pairs: pa.Table, ids: pa.Array) -> pa.Table:
    return pairs.filter(pc.is_in(pairs.column("actor_id"), value_set=ids))


@_once_per_release
def _partner_countries(rows: Rows) -> pa.Table:
    """(actor_id, country) of every actor from a partner country."""
    actors = _actors(rows, ["actor_id", "country"])
    return actors.filter(pc.fill_null(pc.not_equal(actors.column("country"), HOME), False))


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
    def located(actors: pa.Table) -> pa.ChunkedArray:
        at_home = pc.fill_null(pc.equal(actors.column("country"), HOME), False)
        return pc.and_(pc.equal(actors.column("kind"), "locality"), at_home if home else pc.invert(at_home))

    localities = {a["actor_id"]: a for a in _rows_where(rows, located)}
    events = _rows_per_actor(rows, "event_participants")
    agreements = _rows_per_actor(rows, "agreement_parties")
    ranked = sorted(localities, key=lambda a: (-events[a], -agreements[a], localities[a]["name"], a))
    return [(localities[a], events[a], agreements[a]) for a in ranked[:limit]]


@_once_per_release
def largest_partners(rows: Rows, limit: int) -> list[tuple[str, int]]:
    """(foreign partner id, events shared with the Vietnamese side), largest first, ties by name."""
    pairs = _event_actors(rows)
    with_home = pc.unique(_with_actor_ids(pairs, _actor_ids(rows, vietnamese_side)).column("event_id"))
    foreign = _with_actor_ids(pairs, _actor_ids(rows, foreign_partner))
    shared = _counts(foreign.filter(pc.is_in(foreign.column("event_id"), value_set=with_home)), ["actor_id"])
    names = {a: actor["name"] for a, actor in actor_rows(rows, shared).items()}
    ranked = sorted(shared, key=lambda a: (-shared[a], names[a], a))
    return [(a, shared[a]) for a in ranked[:limit]]


def shared_events(rows: Rows, others: set[str], side) -> dict[str, set[str]]:
    """Actor id (in the `side` mask, not of `others`) -> ids of the events it shared with at least one actor
    of `others`."""
    pairs = _event_actors(rows)
    others_ids = pa.array(sorted(others), type=pa.string())
    with_others = pc.unique(_with_actor_ids(pairs, others_ids).column("event_id"))
    on_side = _actor_ids(rows, side)
    found = _with_actor_ids(pairs, on_side.filter(pc.invert(pc.is_in(on_side, value_set=others_ids))))
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
    for actor in _rows_where(rows, lambda actors: pc.is_in(actors.column("kind"), value_set=pa.array(PLACE_KINDS))):
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
    def pointed(actors: pa.Table) -> pa.ChunkedArray:
        return pc.and_(pc.is_in(actors.column("kind"), value_set=pa.array(PLACE_KINDS)),
                       pc.is_valid(actors.column("latitude")))

    places = [a for a in _rows_where(rows, pointed) if events[a["actor_id"]]]
    places.sort(key=lambda a: (-events[a["actor_id"]], a["name"], a["actor_id"]))
    return [(a, events[a["actor_id"]]) for a in places]
