"""A release as one SQLite database, for Datasette and for anyone who reads SQL (issue 22, part B).

`export_sqlite(release, path)` writes every table of the release with the same rows as its Parquet file,
the primary and foreign keys of `schemas/records.py` declared, an index on every key, and SQLite FTS5
full-text indexes over the event and agreement source sentences and over actor names and aliases, and the
views of `VIEWS` for browsing (no rows of their own: each is a query over the tables). List
columns are stored as JSON arrays (Datasette shows them as such); dates as ISO text. The database is
written beside its path and renamed into place, so a failed export leaves no half file.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from schemas.records import TABLE_MODELS

#: full-text indexes: (name, table, its key column, the text columns searched)
FTS_INDEXES = (
    ("event_sources_fts", "event_sources", "event_id", ("sentence",)),
    ("agreement_sources_fts", "agreement_sources", "agreement_id", ("sentence",)),
    ("actors_fts", "actors", "actor_id", ("name", "aliases")),
)

#: views for readers who browse: (name, query). `event_partner_localities`: one row per event and foreign locality
#: taking part in it, with the locality's country, ISO 3166-2 code and point, so that Datasette's facets find
#: "every event with a partner city in Korea" in two clicks (and its map shows them).
VIEWS = (
    ("event_partner_localities",
     "select e.event_id, e.event_type, e.date_start, e.date_end, e.name as event_name, p.role, "
     "a.actor_id as partner_id, a.name as partner, a.country as partner_country, a.iso_3166 as partner_iso_3166, "
     "a.point_kind, a.latitude, a.longitude "
     "from events e join event_participants p on p.event_id = e.event_id "
     "join actors a on a.actor_id = p.actor_id "
     "where a.kind = 'locality' and a.country is not null and a.country != 'VN'"),
)


def _sql_type(arrow_type: pa.DataType) -> str:
    if pa.types.is_integer(arrow_type) or pa.types.is_boolean(arrow_type):
        return "INTEGER"
    if pa.types.is_floating(arrow_type):
        return "REAL"
    return "TEXT"


def _value(value):
    if isinstance(value, (list, tuple)):
        return json.dumps(list(value), ensure_ascii=False)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def export_sqlite(release: Path, path: Path) -> dict[str, int]:
    """Write `path` from the release folder `release`; returns the rows written per table."""
    partial = path.with_name(f".{path.name}.partial")
    partial.unlink(missing_ok=True)
    rows: dict[str, int] = {}
    db = sqlite3.connect(partial)
    try:
        # loaded in the models' order with enforcement off (a table may point at one loaded later), then
        # every key checked at once
        for model in TABLE_MODELS:
            spec = model.table
            table = pq.read_table(release / f"{spec.name}.parquet")
            columns = [f"{_quote(f.name)} {_sql_type(f.type)}" for f in table.schema]
            keys = [f"primary key ({', '.join(map(_quote, spec.primary_key))})"]
            keys += [f"foreign key ({', '.join(map(_quote, fk.columns))}) references {_quote(fk.ref_table)} "
                     f"({', '.join(map(_quote, fk.ref_columns))})" for fk in spec.foreign_keys]
            db.execute(f"create table {_quote(spec.name)} ({', '.join(columns + keys)})")
            marks = ", ".join("?" for _ in table.schema)
            db.executemany(f"insert into {_quote(spec.name)} values ({marks})",
                           ([_value(v) for v in row.values()] for row in table.to_pylist()))
            for fk in spec.foreign_keys:
                index = f"{spec.name}_{'_'.join(fk.columns)}"
                db.execute(f"create index {_quote(index)} on {_quote(spec.name)} ({', '.join(map(_quote, fk.columns))})")
            rows[spec.name] = table.num_rows
        for name, table_name, key, text_columns in FTS_INDEXES:
            db.execute(f"create virtual table {_quote(name)} using fts5({_quote(key)} unindexed, "
                       f"{', '.join(map(_quote, text_columns))}, content={_quote(table_name)})")
            db.execute(f"insert into {_quote(name)} (rowid, {_quote(key)}, {', '.join(map(_quote, text_columns))}) "
                       f"select rowid, {_quote(key)}, {', '.join(map(_quote, text_columns))} from {_quote(table_name)}")
        for name, query in VIEWS:
            db.execute(f"create view {_quote(name)} as {query}")
        problems = db.execute("pragma foreign_key_check").fetchall()
        if problems:
            raise ValueError(f"{release}: {len(problems)} rows break a foreign key, e.g. {problems[0]}")
        db.commit()
    finally:
        db.close()
    os.replace(partial, path)
    return rows


__all__ = ["FTS_INDEXES", "VIEWS", "export_sqlite"]
