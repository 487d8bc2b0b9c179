"""The per-document part of resolution: one extraction -> the rows that need no other document.

Run by the workers (so it imports no Arrow) and cached with the article's
outcome. Mentions and roles get their actor ids and are deduplicated by
their primary key within the document (first wins); actors get their
canonical name; events and agreements pass through for `pipeline.resolution.resolver`
to match across documents.
"""
from __future__ import annotations

from functools import lru_cache

from pydantic import ValidationError

from pipeline.extraction.gazetteer import gazetteer, vn_bodies
from pipeline.core.ids import make_id
from schemas.records import ActorRole, Mention


@lru_cache(maxsize=1 << 16)
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


def _first_per_key(rows, key) -> list:
    seen, out = set(), []
    for row in rows:
        k = key(row)
        if k not in seen:
            seen.add(k)
            out.append(row)
    return out


def _row_rules_hold(model, rows: list[dict]) -> bool:
    try:
        for row in rows:
            model.model_validate(row)
    except ValidationError:
        return False
    return True


def document_rows(document: dict, extraction: dict) -> dict:
    """The per-document part of resolution: everything that needs no other document.

    `document` is the `Document` record as a dict. Mentions and roles come out as columns, deduplicated
    by their primary key within the document (first wins), with their actor ids; `rows_valid` says
    whether every one of them passed its Pydantic record (so the corpus step need not check them again).
    """
    doc_id = document["doc_id"]
    mentions = _first_per_key(
        ({"actor_id": actor_id(m["key"]), "doc_id": doc_id, "text": m["text"], "char_start": m["start"],
          "char_end": m["end"]} for m in extraction["mentions"]),
        key=lambda r: (r["char_start"], r["char_end"], r["actor_id"]))
    roles = _first_per_key(
        ({"actor_id": actor_id(r["person_key"]), "title": r["title"], "doc_id": doc_id, "as_of": extraction["as_of"],
          "organization_id": actor_id(r["organization_key"]) if r["organization_key"] else None}
         for r in extraction["roles"]),
        key=lambda r: (r["actor_id"], r["title"]))
    return {
        "document": document,
        "as_of": extraction["as_of"],
        "mentions": tuple([m[c] for m in mentions] for c in ("actor_id", "text", "char_start", "char_end")),
        "roles": tuple([r[c] for r in roles] for c in ("actor_id", "title", "organization_id")),
        "rows_valid": _row_rules_hold(Mention, mentions) and _row_rules_hold(ActorRole, roles),
        "actors": [(a["key"], a["kind"], a["country"], a["canonical"] or _canonical_for_key(a["key"]), a["surfaces"])
                   for a in extraction["actors"]],
        "events": extraction["events"],
        "agreements": extraction["agreements"],
    }
