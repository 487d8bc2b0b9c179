"""One ingested document -> its actors, events and agreements.

Pure per document (no corpus state), so it parallelises and caches by the
article's sha256. Keys in the result are global identity keys (see
`pipeline.extraction.actors`); resolution turns them into actor ids.

Used by the extract stage (`pipeline/extract.py`) and the build's workers.
"""
from __future__ import annotations

import dataclasses

from pipeline.extraction.actors import find_actors
from pipeline.extraction.events import find_agreements, find_events
from pipeline.extraction.reading import IngestedDocument
from pipeline.extraction.segment import main_text


_SCALARS = (str, int, float, bool, type(None))


def _record(obj) -> dict:
    """`dataclasses.asdict(obj)` for a flat dataclass (scalars and lists of scalars), without its deep copies."""
    out = {}
    for name, value in vars(obj).items():
        if type(value) is list and all(type(v) in _SCALARS for v in value):
            value = list(value)
        elif type(value) not in _SCALARS:
            return dataclasses.asdict(obj)
        out[name] = value
    return out


def _date_json(expr):
    if expr is None:
        return None
    return {"start": expr.start and expr.start.isoformat(), "end": expr.end and expr.end.isoformat(),
            "precision": expr.precision, "text": expr.text}


def _dated_by_its_signing(agreement, signing) -> None:
    """A signed agreement the text does not date was signed on the day of the signing that reports it."""
    day = signing.date
    if agreement.status == "signed" and agreement.date_signed is None and day is not None and day.start \
            and day.precision == "day" and day.end in (None, day.start):
        agreement.date_signed = (day.start, "day")


_PARTY_KINDS = ("government", "organization", "locality", "international")


def _parties_by_its_signing(agreement, signing, found) -> None:
    """An agreement whose sentence names fewer than two parties ("an MoU between the sides was signed") was
    signed by the bodies and places of the signing that reports it."""
    if len(agreement.parties) >= 2:
        return
    signers = [k for k in signing.participants if found.actors[k].kind in _PARTY_KINDS]
    if len(signers) >= 2:
        agreement.parties = list(dict.fromkeys([*agreement.parties, *signers]))[:4]


def extract_document(doc: IngestedDocument) -> dict:
    """JSON-ready extraction of one document."""
    main = main_text(doc.text, doc.kept)
    published = doc.document.published
    found = find_actors(doc.text, main)
    events = find_events(doc.text, main, doc.kept, found, published)
    agreements = find_agreements(doc.text, main, doc.kept, found, published)
    for ev in events:
        if ev.event_type == "signing":
            for idx, ag in enumerate(agreements):
                if ag.sentence == ev.sentence or ev.start <= ag.start < ev.end:
                    ev.agreement = idx
                    _dated_by_its_signing(ag, ev)
                    _parties_by_its_signing(ag, ev, found)
                    break
    return {
        "doc_id": doc.document.doc_id,
        "as_of": published.isoformat() if published else None,
        "home": found.home,
        "actors": [_record(a) for a in found.actors.values()],
        "mentions": [_record(m) for m in found.mentions],
        "roles": [_record(r) for r in found.roles],
        "events": [
            {"event_type": ev.event_type, "name": ev.name, "date": _date_json(ev.date),
             "participants": dict(sorted(ev.participants.items())), "parent": ev.parent, "agreement": ev.agreement,
             "sectors": ev.sectors, "cameo_code": ev.cameo_code,
             "sources": [(ev.start, ev.end, doc.text[ev.sentence[0]:ev.sentence[1]])]
             + [(s, e, doc.text[sent[0]:sent[1]]) for s, e, sent in ev.extra_spans]}
            for ev in events],
        "agreements": [
            {"agreement_type": a.agreement_type, "status": a.status, "name": a.name, "short_name": a.short_name,
             "parties": a.parties, "sectors": a.sectors,
             "date_signed": a.date_signed and (a.date_signed[0].isoformat(), a.date_signed[1]),
             "date_effective": a.date_effective and (a.date_effective[0].isoformat(), a.date_effective[1]),
             "sources": [(a.start, a.end, doc.text[a.sentence[0]:a.sentence[1]])]}
            for a in agreements],
    }
