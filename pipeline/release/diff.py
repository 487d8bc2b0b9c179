"""What changed between two releases: added, removed and changed actors, events and agreements.

For users updating their analyses and for the CHANGELOG. An entity is
compared on its own row plus the rows that hang off it (an event's
participants and reporting documents, an agreement's parties, the documents
naming an actor), so a new article reporting an old event shows as a change
of that event. Ids are listed sorted and values are JSON-ready, so the same
two releases always give the same diff.

    paradip diff OLD_RELEASE NEW_RELEASE [--json]
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

from pipeline.release.semver import bump_kind, bump_suffices
from schemas.records import TABLE_MODELS


class NotARelease(Exception):
    pass


@dataclass(frozen=True)
class Related:
    """Rows of `table` whose `fk` is the entity's id, summarised as sorted `columns` values."""

    table: str
    fk: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class Entity:
    table: str
    key: str
    related: dict[str, Related]


ENTITIES = (
    Entity("actors", "actor_id", {"documents": Related("mentions", "actor_id", ("doc_id",))}),
    Entity("events", "event_id", {"participants": Related("event_participants", "event_id", ("actor_id", "role")),
                                  "documents": Related("event_sources", "event_id", ("doc_id",))}),
    Entity("agreements", "agreement_id", {"parties": Related("agreement_parties", "agreement_id", ("actor_id",)),
                                          "documents": Related("agreement_sources", "agreement_id", ("doc_id",))}),
)


def _json_ready(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def _rows(release: Path, table: str) -> list[dict]:
    path = release / f"{table}.parquet"
    if not path.exists():
        raise NotARelease(f"{release}: no {table}.parquet, so this is not a paradip release folder")
    return [{k: _json_ready(v) for k, v in row.items()} for row in pq.read_table(path).to_pylist()]


def _label(table: str, row: dict) -> str:
    if table == "events":
        return " ".join(filter(None, [row["event_type"], row["date_start"] or "undated", row["name"]]))
    return row["name"]


def entity_records(release: Path, entity: Entity) -> dict[str, dict]:
    """Every entity of a release by id: its row plus one sorted list per related table."""
    records = {row[entity.key]: dict(row) for row in _rows(release, entity.table)}
    for field, rel in entity.related.items():
        values: dict[str, set[str]] = {key: set() for key in records}
        for row in _rows(release, rel.table):
            if row[rel.fk] in values:
                values[row[rel.fk]].add(":".join(str(row[c]) for c in rel.columns))
        for key, found in values.items():
            records[key][field] = sorted(found)
    return records


def diff_entity(old: dict[str, dict], new: dict[str, dict], table: str) -> dict:
    changed = []
    for key in sorted(old.keys() & new.keys()):
        fields = {f: {"old": old[key].get(f), "new": new[key].get(f)}
                  for f in sorted(old[key].keys() | new[key].keys()) if old[key].get(f) != new[key].get(f)}
        if fields:
            changed.append({"id": key, "label": _label(table, new[key]), "fields": fields})
    return {
        "added": [{"id": k, "label": _label(table, new[k])} for k in sorted(new.keys() - old.keys())],
        "removed": [{"id": k, "label": _label(table, old[k])} for k in sorted(old.keys() - new.keys())],
        "changed": changed,
    }


def _manifest(release: Path) -> dict:
    path = release / "manifest.json"
    if not path.exists():
        raise NotARelease(f"{release}: no manifest.json, so this is not a paradip release folder")
    return json.loads(path.read_text(encoding="utf-8"))


def row_counts(manifest: dict) -> dict[str, int]:
    """Rows per table from a manifest, in publishing order (unknown tables last, by name)."""
    counts = {name.removesuffix(".parquet"): info["rows"]
              for name, info in manifest["files"].items() if name.endswith(".parquet")}
    order = [m.table.name for m in TABLE_MODELS]
    return dict(sorted(counts.items(), key=lambda kv: (order.index(kv[0]) if kv[0] in order else len(order), kv[0])))


def diff_releases(old: Path, new: Path) -> dict:
    """The JSON diff of two release folders (what `paradip diff --json` prints)."""
    old_manifest, new_manifest = _manifest(old), _manifest(new)
    old_rows, new_rows = row_counts(old_manifest), row_counts(new_manifest)
    entities = {e.table: diff_entity(entity_records(old, e), entity_records(new, e), e.table) for e in ENTITIES}
    # A schema's major version changes when a column is renamed, dropped or retyped (the release needs a major
    # bump); its minor version when one is added, which old readers survive (a minor bump, as added records).
    schema_bump = bump_kind(old_manifest["schema_version"], new_manifest["schema_version"])
    records_added = any(entities[t]["added"] for t in entities) or any(
        new_rows.get(t, 0) > old_rows.get(t, 0) for t in new_rows)
    required = ("major" if schema_bump in ("major", "downgrade") else "minor" if records_added or schema_bump == "minor"
                else "patch")
    return {
        "old": {"version": old_manifest["version"], "schema_version": old_manifest["schema_version"]},
        "new": {"version": new_manifest["version"], "schema_version": new_manifest["schema_version"]},
        "bump": {"required": required, "actual": bump_kind(old_manifest["version"], new_manifest["version"])},
        "rows": {t: {"old": old_rows.get(t, 0), "new": new_rows.get(t, 0)}
                 for t in list(dict.fromkeys([*old_rows, *new_rows]))},
        "entities": entities,
    }


def _short(value) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def to_markdown(diff: dict, limit: int = 50, heading: str = "###") -> str:
    """The diff as Markdown (the CHANGELOG entry, and what `paradip diff` prints)."""
    old, new = diff["old"]["version"], diff["new"]["version"]
    bump = diff["bump"]
    lines = [f"Compared with {old}: {bump['actual']} release; the changes call for at least a {bump['required']} bump."]
    if not bump_suffices(bump["actual"], bump["required"]):
        lines.append(f"**Warning**: {bump['actual']} bump for changes that call for a {bump['required']} bump.")
    lines += ["", f"| table | {old} | {new} |", "|---|---:|---:|"]
    lines += [f"| {t} | {c['old']} | {c['new']} |" for t, c in diff["rows"].items()]
    for table, changes in diff["entities"].items():
        counts = ", ".join(f"{len(changes[k])} {k}" for k in ("added", "removed", "changed"))
        lines += ["", f"{heading} {table}: {counts}"]
        items = [f"- added `{c['id']}` {c['label']}" for c in changes["added"]]
        items += [f"- removed `{c['id']}` {c['label']}" for c in changes["removed"]]
        items += [f"- changed `{c['id']}` {c['label']}: " + "; ".join(
            f"{f} {_short(v['old'])} -> {_short(v['new'])}" for f, v in c["fields"].items()) for c in changes["changed"]]
        if items:
            lines.append("")
            lines += items[:limit]
            if len(items) > limit:
                lines.append(f"- ... and {len(items) - limit} more: `paradip diff` on the two release folders lists all")
    return "\n".join(lines) + "\n"
