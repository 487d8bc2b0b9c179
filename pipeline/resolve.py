"""Stage 3, resolve: per-document extractions -> corpus tables of CONTRACT.md.

One actor per identity key across documents and languages (accent-folded
names, reference ids, structural keys of state bodies); one event per real
event across documents (same type, same day, a shared non-country
participant, or the same name); one agreement per (type, parties). Output
rows are plain dicts in table order; `pipeline.validate` types and checks them.

    python -m pipeline.resolve INGEST_FILE EXTRACT_FILE OUT_DIR
"""
from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path

from pipeline.gazetteer import gazetteer, vn_bodies
from pipeline.ids import make_id
from pipeline.ingest import IngestedDocument
from pipeline.text import fold
from schemas.records import MODELS_BY_TABLE, QuarantineEntry

Tables = dict[str, list[dict]]


def actor_id(key: str) -> str:
    return make_id("act", key)


def _canonical_for_key(key: str) -> str | None:
    """English name of a state body from its structural key (`gov:peoples-committee:vnloc:ha-noi`)."""
    if not key.startswith("gov:"):
        return None
    _, body, where = key.split(":", 2)
    entries = gazetteer().entries
    place = entries.get(where)
    if body == "city-government" and place:
        return f"{place.name} City Council" if place.kind == "locality" else None
    if body == "embassy":
        return None
    names = {row["key"]: row["name_en"] for row in vn_bodies()}
    if body in names and place:
        return f"{place.name} {names[body]}"
    return None


def _best_name(surfaces: list[str], canonical: str | None, kind: str) -> str:
    pool = list(dict.fromkeys(surfaces))
    if kind in ("country", "locality", "international") and canonical:
        return canonical
    if kind == "person":
        return max(pool, key=lambda s: (len(s.split()), sum(not c.isascii() for c in s), len(s), s))
    if canonical and len(canonical) >= max(len(s) for s in pool):
        return canonical
    return max(pool, key=lambda s: (len(s), sum(not c.isascii() for c in s), s))


def _sorted(rows: list[dict], table: str) -> list[dict]:
    keys = MODELS_BY_TABLE[table].table.sort_by
    return sorted(rows, key=lambda r: tuple("" if r[k] is None else str(r[k]) for k in keys))


def _dedupe(rows: list[dict], table: str) -> list[dict]:
    pk = MODELS_BY_TABLE[table].table.primary_key
    seen, out = set(), []
    for r in rows:
        k = tuple(r[c] for c in pk)
        if k not in seen:
            seen.add(k)
            out.append(r)
    return out


def resolve(docs: list[IngestedDocument], extractions: list[dict], quarantine: list[QuarantineEntry]) -> Tables:
    # ---- actors
    merged: dict[str, dict] = {}
    for ex in extractions:
        for a in ex["actors"]:
            m = merged.setdefault(a["key"], {"kind": a["kind"], "country": a["country"], "surfaces": [],
                                             "canonical": a["canonical"] or _canonical_for_key(a["key"])})
            m["surfaces"].extend(a["surfaces"])
            m["country"] = m["country"] or a["country"]
    actors = []
    for key, m in merged.items():
        name = _best_name(m["surfaces"], m["canonical"], m["kind"])
        aliases = sorted({s for s in [*m["surfaces"], m["canonical"]] if s and s != name})
        country = None if m["kind"] == "international" else m["country"]
        actors.append({"actor_id": actor_id(key), "name": name, "aliases": aliases, "kind": m["kind"],
                       "country": country})

    mentions, roles = [], []
    for ex in extractions:
        as_of = dt.date.fromisoformat(ex["as_of"]) if ex["as_of"] else None
        for mn in ex["mentions"]:
            mentions.append({"actor_id": actor_id(mn["key"]), "doc_id": ex["doc_id"], "text": mn["text"],
                             "char_start": mn["start"], "char_end": mn["end"]})
        for r in ex["roles"]:
            roles.append({"actor_id": actor_id(r["person_key"]), "title": r["title"],
                          "organization_id": actor_id(r["organization_key"]) if r["organization_key"] else None,
                          "doc_id": ex["doc_id"], "as_of": as_of})

    events, participants, event_sources = _events(extractions, merged)
    agreements, parties, agreement_sources, agreement_ids = _agreements(extractions)
    for ev in events:
        local = ev.pop("_agreement")
        ev["agreement_id"] = agreement_ids.get(local) if local else None

    documents = [d.document.model_dump() for d in docs]
    tables: Tables = {
        "documents": documents, "actors": actors, "mentions": mentions, "actor_roles": roles, "events": events,
        "event_participants": participants, "event_sources": event_sources, "agreements": agreements,
        "agreement_parties": parties, "agreement_sources": agreement_sources,
        "quarantine": [q.model_dump() for q in quarantine],
    }
    return {name: _sorted(_dedupe(rows, name), name) for name, rows in tables.items()}


def _event_date(ev: dict):
    d = ev["date"]
    if not d or not d["start"]:
        return None, None, None
    start = dt.date.fromisoformat(d["start"])
    end = dt.date.fromisoformat(d["end"]) if d["end"] else None
    return start, end, d["precision"]


def _name_key(name: str | None) -> str | None:
    return re.sub(r"[^a-z0-9]", "", fold(name).lower()) if name else None


def _events(extractions: list[dict], merged: dict[str, dict]):
    """Events across documents; the same happening reported twice becomes one event."""
    kind = {k: m["kind"] for k, m in merged.items()}
    clusters: list[dict] = []
    index: dict[tuple, list[dict]] = {}
    local_to_cluster: dict[tuple[str, int], dict] = {}
    for ex in extractions:
        for i, ev in enumerate(ex["events"]):
            start, end, precision = _event_date(ev)
            salient = {k for k in ev["participants"] if kind.get(k) not in ("country",)}
            target = None
            if start is not None and precision == "day":
                for cand in index.get((ev["event_type"], start), []):
                    if cand["doc_id"] == ex["doc_id"]:
                        continue
                    if (salient & cand["salient"]) and (not ev["name"] or not cand["name"]
                                                        or _name_key(ev["name"]) == _name_key(cand["name"])):
                        target = cand
                        break
            if target is None:
                # events of one clause share a source start: type and name keep their ids apart
                first = (ex["doc_id"], ev["sources"][0][0], ev["event_type"], ev["name"] or "")
                target = {"doc_id": ex["doc_id"], "first": first, "type": ev["event_type"],
                          "name": ev["name"], "start": start, "end": end, "precision": precision,
                          "date_text": ev["date"]["text"] if ev["date"] else None, "participants": {},
                          "salient": set(), "sources": [], "sectors": set(), "cameo": ev["cameo_code"],
                          "parent": None, "agreement": None}
                clusters.append(target)
                if start is not None:
                    index.setdefault((ev["event_type"], start), []).append(target)
            for k, role in ev["participants"].items():
                target["participants"].setdefault(k, role)
            target["salient"] |= salient
            target["sectors"] |= set(ev["sectors"])
            target["name"] = target["name"] or ev["name"]
            for s, e, sentence in ev["sources"]:
                target["sources"].append((ex["doc_id"], s, e, sentence))
            local_to_cluster[(ex["doc_id"], i)] = target
            if ev["parent"] is not None:
                target["parent"] = (ex["doc_id"], ev["parent"])
            if ev["agreement"] is not None:
                target["agreement"] = (ex["doc_id"], ev["agreement"])
    events, participants, sources = [], [], []
    for c in clusters:
        c["event_id"] = make_id("evt", *c["first"])
    for c in clusters:
        parent = local_to_cluster.get(c["parent"]) if c["parent"] else None
        location = None
        if c["type"] == "visit":
            location = next((actor_id(k) for k in c["participants"]
                             if kind.get(k) in ("locality", "country") and merged[k]["country"] != "VN"), None)
        events.append({
            "event_id": c["event_id"], "event_type": c["type"], "name": c["name"], "date_start": c["start"],
            "date_end": c["end"], "date_precision": c["precision"] if c["start"] else None,
            "date_text": c["date_text"], "location_id": location,
            "parent_event_id": parent["event_id"] if parent and parent is not c else None,
            "_agreement": c["agreement"], "sectors": sorted(c["sectors"]), "cameo_code": c["cameo"]})
        for k, role in c["participants"].items():
            if c["cameo"] == "043":
                role = "host" if merged[k]["country"] == "VN" else "guest"
            elif c["type"] == "signing" and kind.get(k) != "person":
                role = "signatory"
            participants.append({"event_id": c["event_id"], "actor_id": actor_id(k), "role": role})
        for doc_id, s, e, sentence in c["sources"]:
            sources.append({"event_id": c["event_id"], "doc_id": doc_id, "sentence": sentence,
                            "char_start": s, "char_end": e})
    return events, participants, sources


def _agreements(extractions: list[dict]):
    clusters: dict[tuple, dict] = {}
    order: list[dict] = []
    local_ids: dict[tuple[str, int], str] = {}
    for ex in extractions:
        for i, a in enumerate(ex["agreements"]):
            key = (a["agreement_type"], frozenset(a["parties"]), a["status"])
            c = clusters.get(key)
            if c is None:
                c = {"first": (ex["doc_id"], a["sources"][0][0]), "a": a, "sources": [], "sectors": set()}
                clusters[key] = c
                order.append(c)
            c["sources"].extend((ex["doc_id"], s, e, sent) for s, e, sent in a["sources"])
            c["sectors"] |= set(a["sectors"])
            for col in ("date_signed", "date_effective"):
                c["a"][col] = c["a"][col] or a[col]
            local_ids[(ex["doc_id"], i)] = make_id("agr", *c["first"])
    agreements, parties, sources = [], [], []
    for c in order:
        a, agr_id = c["a"], make_id("agr", *c["first"])
        signed = a["date_signed"]
        effective = a["date_effective"]
        agreements.append({
            "agreement_id": agr_id, "name": a["name"], "short_name": a["short_name"],
            "agreement_type": a["agreement_type"], "status": a["status"],
            "date_signed": dt.date.fromisoformat(signed[0]) if signed else None,
            "date_signed_precision": signed[1] if signed else None,
            "date_effective": dt.date.fromisoformat(effective[0]) if effective else None,
            "date_effective_precision": effective[1] if effective else None,
            "sectors": sorted(c["sectors"])})
        for k in a["parties"]:
            parties.append({"agreement_id": agr_id, "actor_id": actor_id(k)})
        for doc_id, s, e, sentence in c["sources"]:
            sources.append({"agreement_id": agr_id, "doc_id": doc_id, "sentence": sentence,
                            "char_start": s, "char_end": e})
    return agreements, parties, sources, local_ids


def write_tables(tables: Tables, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        with (out_dir / f"{name}.jsonl").open("w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps(r, ensure_ascii=False, sort_keys=True, default=str) + "\n")


def read_tables(in_dir: Path) -> Tables:
    tables: Tables = {}
    for model in MODELS_BY_TABLE.values():
        path = in_dir / f"{model.table.name}.jsonl"
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []
        tables[model.table.name] = rows
    return tables


def main(argv: list[str] | None = None) -> None:
    ingest_file, extract_file, out_dir = (Path(a) for a in (argv or sys.argv[1:]))
    docs = [IngestedDocument.from_json(line) for line in ingest_file.read_text(encoding="utf-8").splitlines()]
    quarantine = [QuarantineEntry.model_validate_json(line) for line in
                  ingest_file.with_name("quarantine.jsonl").read_text(encoding="utf-8").splitlines()]
    extractions = [json.loads(line) for line in extract_file.read_text(encoding="utf-8").splitlines()]
    write_tables(resolve(docs, extractions, quarantine), out_dir)


if __name__ == "__main__":
    main()
