"""Datasette metadata for a release's SQLite database (`paradip serve`): titles, descriptions, facets, queries.

`datasette_metadata(version)` derives every table and column description from the Pydantic models of
`schemas/records.py` (one source of truth), sets the facets a reader browses by (event type, year,
country, language; the partner's country on the `event_partner_localities` view, so that every event with a
partner city in Korea is two clicks from the database page) and offers the loading recipes' questions as
canned queries. datasette-cluster-map draws the rows with `latitude` and `longitude` (actors, the view) on a map.
"""
from __future__ import annotations

from pipeline.release.sqlite import VIEWS
from schemas.records import TABLE_MODELS

FACETS = {
    "events": ["event_type", "cameo_code"],
    "actors": ["kind", "country", "point_kind", "province_2025"],
    "event_partner_localities": ["partner_country", "event_type", "point_kind"],
    "documents": ["language", "site"],
    "agreements": ["agreement_type", "status"],
    "quarantine": ["reason"],
}

QUERIES = {
    "partners_by_year": {
        "title": "Foreign localities that met a Vietnamese locality, by year",
        "sql": ("select strftime('%Y', e.date_start) as year, a.name as partner, a.country, count(distinct e.event_id) "
                "as events from events e join event_participants p on p.event_id = e.event_id join actors a "
                "on a.actor_id = p.actor_id where a.kind = 'locality' and a.country != 'VN' group by year, partner "
                "order by year desc, events desc"),
    },
    "events_per_actor": {
        "title": "Events per actor",
        "sql": ("select a.actor_id, a.name, count(distinct p.event_id) as events from actors a join "
                "event_participants p on p.actor_id = a.actor_id group by a.actor_id order by events desc"),
    },
    "search_sentences": {
        "title": "Events whose reporting sentence matches a search",
        "sql": ("select s.event_id, e.event_type, e.date_start, s.sentence from event_sources_fts f join event_sources "
                "s on s.rowid = f.rowid join events e on e.event_id = s.event_id where event_sources_fts match :q"),
    },
}


def datasette_metadata(version: str) -> dict:
    tables = {}
    for model in TABLE_MODELS:
        spec = model.table
        # only the columns the models describe: Datasette lists these above the rows
        columns = {name: field.description for name, field in model.model_fields.items() if field.description}
        tables[spec.name] = {"description": f"{spec.description} {(model.__doc__ or '').strip()}".strip(),
                             "columns": columns, **({"facets": FACETS[spec.name]} if spec.name in FACETS else {})}
    return {"title": f"paradip release {version}",
            "description": "Events, actors and agreements of Vietnamese localities' foreign relations, with the "
                           "sentences that report them (read-only).",
            "databases": {"paradip": {"tables": {**tables, **_views()}, "queries": QUERIES}}}


def _views() -> dict:
    descriptions = {"event_partner_localities": "One row per event and foreign locality (a city, province, "
                                            "prefecture or state outside Vietnam) taking part in it, with its "
                                            "point. Click a partner country to see its localities' events."}
    return {name: {"description": descriptions[name], "facets": FACETS[name]} for name, _ in VIEWS}


__all__ = ["FACETS", "QUERIES", "datasette_metadata"]
