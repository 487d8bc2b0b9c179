"""Summary figures of a release, for its dataset card and charts.

Pure functions of the published rows (`{table: [row dicts]}`), so the card
and the charts say the same thing and are the same on every rebuild: every
ranking breaks ties by name, every list is sorted.

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
import pycountry

Rows = dict[str, list[dict]]
HOME = "VN"


def _once_per_release(function):
    """Compute `function(rows, *args)` once per release: rows that carry a `memo` dict (the card's
    `pipeline.spill.LazyRows`) keep the result there, since the card and both charts ask for the same
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


def participants_by_event(rows: Rows) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for p in rows["event_participants"]:
        out[p["event_id"]].add(p["actor_id"])
    return out


def event_partner_countries(rows: Rows) -> dict[str, set[str]]:
    """Event id -> the partner countries among its participants (possibly none)."""
    actors = actors_by_id(rows)
    by_event = participants_by_event(rows)
    return {e["event_id"]: {actors[a]["country"] for a in by_event.get(e["event_id"], ())
                            if actors[a]["country"] not in (None, HOME)} for e in rows["events"]}


def _year(value) -> int | None:
    return value.year if isinstance(value, dt.date) else None


@_once_per_release
def events_per_year_by_country(rows: Rows) -> tuple[Counter, int]:
    """Counter of (year, partner country) over dated events, and how many events have no date."""
    partners = event_partner_countries(rows)
    counts: Counter = Counter()
    undated = 0
    for event in rows["events"]:
        year = _year(event["date_start"])
        if year is None:
            undated += 1
            continue
        for country in partners[event["event_id"]]:
            counts[(year, country)] += 1
    return counts, undated


def top_partner_countries(rows: Rows, limit: int = 10) -> list[tuple[str, int, int]]:
    """(country code, events, agreements) with that partner country, most events first."""
    events = Counter(c for cs in event_partner_countries(rows).values() for c in cs)
    actors = actors_by_id(rows)
    agreements: dict[str, set[str]] = defaultdict(set)
    for party in rows["agreement_parties"]:
        country = actors[party["actor_id"]]["country"]
        if country not in (None, HOME):
            agreements[country].add(party["agreement_id"])
    codes = set(events) | set(agreements)
    ranked = sorted(codes, key=lambda c: (-events[c], -len(agreements[c]), c))
    return [(c, events[c], len(agreements[c])) for c in ranked[:limit]]


def top_localities(rows: Rows, home: bool, limit: int | None = 10) -> list[tuple[dict, int, int]]:
    """(locality actor, events, agreements) for Vietnamese (`home`) or foreign localities, most events first."""
    localities = {a["actor_id"]: a for a in rows["actors"]
                  if a["kind"] == "locality" and (a["country"] == HOME) == home}
    events = Counter(p["actor_id"] for p in rows["event_participants"] if p["actor_id"] in localities)
    agreements = Counter(p["actor_id"] for p in rows["agreement_parties"] if p["actor_id"] in localities)
    ranked = sorted(localities, key=lambda a: (-events[a], -agreements[a], localities[a]["name"], a))
    return [(localities[a], events[a], agreements[a]) for a in ranked[:limit]]


def is_foreign_partner(actor: dict) -> bool:
    return actor["kind"] == "international" or actor["country"] not in (None, HOME)


def is_vietnamese_side(actor: dict) -> bool:
    return actor["country"] == HOME and actor["kind"] != "country"


@_once_per_release
def partner_network(rows: Rows) -> Counter:
    """Counter of (Vietnamese actor id, foreign partner id) -> events both took part in."""
    actors = actors_by_id(rows)
    edges: Counter = Counter()
    for ids in participants_by_event(rows).values():
        home = sorted(a for a in ids if is_vietnamese_side(actors[a]))
        foreign = sorted(a for a in ids if is_foreign_partner(actors[a]))
        for h in home:
            for f in foreign:
                edges[(h, f)] += 1
    return edges


@_once_per_release
def largest_partners(rows: Rows, limit: int) -> list[tuple[str, int]]:
    """(foreign partner id, events shared with the Vietnamese side), largest first, ties by name."""
    actors = actors_by_id(rows)
    by_event = participants_by_event(rows)
    shared = Counter()
    for ids in by_event.values():
        if any(is_vietnamese_side(actors[a]) for a in ids):
            shared.update(a for a in ids if is_foreign_partner(actors[a]))
    ranked = sorted(shared, key=lambda a: (-shared[a], actors[a]["name"], a))
    return [(a, shared[a]) for a in ranked[:limit]]


def shared_events(rows: Rows, others: set[str], side) -> dict[str, set[str]]:
    """Actor id (on `side`) -> ids of the events it shared with at least one actor of `others`."""
    actors = actors_by_id(rows)
    out: dict[str, set[str]] = defaultdict(set)
    for event_id, ids in participants_by_event(rows).items():
        if ids & others:
            for a in ids:
                if side(actors[a]) and a not in others:
                    out[a].add(event_id)
    return dict(out)


def documents_per_language(rows: Rows) -> dict[str, tuple[int, int, int]]:
    """Language -> (documents, events reported, agreements reported) in that language."""
    language = {d["doc_id"]: d["language"] for d in rows["documents"]}
    docs = Counter(language.values())
    events = {lang: {s["event_id"] for s in rows["event_sources"] if language[s["doc_id"]] == lang} for lang in docs}
    agreements = {lang: {s["agreement_id"] for s in rows["agreement_sources"] if language[s["doc_id"]] == lang}
                  for lang in docs}
    return {lang: (docs[lang], len(events[lang]), len(agreements[lang])) for lang in sorted(docs)}


def per_year(rows: Rows) -> list[tuple[int | None, int, int, int]]:
    """(year or None for undated, documents published, events starting, agreements signed), years ascending."""
    docs = Counter(_year(d["published"]) for d in rows["documents"])
    events = Counter(_year(e["date_start"]) for e in rows["events"])
    agreements = Counter(_year(a["date_signed"]) for a in rows["agreements"])
    years = set(docs) | set(events) | set(agreements)
    ordered = sorted(y for y in years if y is not None) + ([None] if None in years else [])
    return [(y, docs[y], events[y], agreements[y]) for y in ordered]


def null_rates(arrow: dict[str, pa.Table]) -> list[tuple[str, str, str, int, int, int | None]]:
    """(table, column, Arrow type, null cells, rows, empty lists or None) for every column of every table."""
    out = []
    for name, table in arrow.items():
        for field in table.schema:
            column = table.column(field.name)
            empty = (sum(1 for v in column.to_pylist() if v == []) if pa.types.is_list(field.type) else None)
            out.append((name, field.name, str(field.type), column.null_count, table.num_rows, empty))
    return out


def date_range(values) -> tuple[dt.date, dt.date] | None:
    dated = sorted(v for v in values if v is not None)
    return (dated[0], dated[-1]) if dated else None
