"""The gold annotations `paradip evaluate` scores against: their format, loading, and comparison keys.

For anyone writing gold files for their own articles. Loading checks every
file and fails with a GoldError naming the file, the item and the reason
(a missing key, a value outside the codebook's vocabularies, a date that is
not one, a participant that is not an actor of the file), because such a
slip would otherwise silently score as a miss.

Gold format: one YAML file per article in the gold folder (`*.yaml`), written
with the codebook (`docs/CODEBOOK.md`)::

    doc: 000_article.txt          # file name of the article in the input folder
    language: en                  # en | vi
    title: "..."                  # or null when the page has no headline
    published: "2023-10-11"       # YYYY, YYYY-MM, YYYY-MM-DD or null
    actors:                       # every named actor of the main text
      - {id: hanoi, kind: locality, country: VN, names: [Hanoi, Hà Nội]}
    events:
      - type: visit               # an event_type of the codebook
        date: ["2023-10-06", "2023-10-15"]   # a date spec as above, a [start, end] pair, or null
        participants: [hanoi]     # actor ids of this file
        evidence: "text of the article"      # shown when the event is missed
    agreements:
      - {type: mou, status: signed, date_signed: "2024-02-26", parties: [hanoi], evidence: "..."}
    must_not_extract: [The Hanoi Times]      # names that are page noise, never actors

Actor ids are global: the same id in two files is the same real entity
(that is what the cross-document figure measures). Other keys (`roles`,
`name`, `date_text`, ...) are allowed and ignored.
"""
from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from schemas.vocab import ActorKind, AgreementStatus, AgreementType, EventType, Language

Interval = tuple[dt.date, dt.date]
AGREEMENT_DATE_COLUMNS = ("date_signed", "date_effective")


class GoldError(ValueError):
    """A gold file that cannot be scored; the message names the file and the reason."""


# ---------------------------------------------------------------- names and dates

def name_key(text: str) -> str:
    """Key for a name that ignores case, accents, quotes, spaces, hyphens, dots and a leading "the"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = text.replace("’", "'").replace("‘", "'").replace("`", "'").casefold()
    text = text.removeprefix("the ")
    return "".join(c for c in text if c.isalnum() or c == "'")


def _month_end(day: dt.date) -> dt.date:
    following = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def gold_interval(spec) -> Interval | None:
    """A gold date spec (null, YYYY, YYYY-MM, YYYY-MM-DD or [start, end]) as a closed interval."""
    if spec is None:
        return None
    if isinstance(spec, list):
        return gold_interval(spec[0])[0], gold_interval(spec[1])[1]
    parts = [int(p) for p in str(spec).split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        first = dt.date(parts[0], parts[1], 1)
        return first, _month_end(first)
    day = dt.date(*parts)
    return day, day


def release_interval(start: dt.date | None, end: dt.date | None, precision: str | None) -> Interval | None:
    """Release date columns (start, end, precision) as a closed interval widened to the precision."""
    if start is None:
        return None
    end = end or start
    if precision == "year":
        return dt.date(start.year, 1, 1), dt.date(end.year, 12, 31)
    if precision == "month":
        return start.replace(day=1), _month_end(end)
    return start, end


def overlaps(a: Interval, b: Interval) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def same_dates(gold: Interval | None, system: Interval | None) -> bool:
    """Attribute rule: both null, or both set and overlapping."""
    return system is None if gold is None else system is not None and overlaps(gold, system)


def show_interval(interval: Interval | None) -> str:
    if interval is None:
        return "no date"
    return str(interval[0]) if interval[0] == interval[1] else f"{interval[0]}..{interval[1]}"


# ---------------------------------------------------------------- gold

@dataclass(frozen=True)
class GoldActor:
    id: str
    kind: str
    country: str | None
    names: tuple[str, ...]


@dataclass(frozen=True)
class GoldEvent:
    type: str
    date: Interval | None
    participants: frozenset[str]
    evidence: str | None


@dataclass(frozen=True)
class GoldAgreement:
    type: str
    status: str
    parties: frozenset[str]
    dates: tuple[tuple[str, Interval | None], ...]  # only the date columns the annotator filled in
    evidence: str | None


@dataclass(frozen=True)
class GoldDocument:
    file: str
    language: str
    title: str | None
    published: Interval | None
    actors: tuple[GoldActor, ...]
    events: tuple[GoldEvent, ...]
    agreements: tuple[GoldAgreement, ...]
    must_not_extract: tuple[str, ...]


def _require(mapping: dict, key: str, where: str, kinds: type | tuple[type, ...]):
    if not isinstance(mapping, dict):
        raise GoldError(f"{where}: expected a mapping, got {type(mapping).__name__}")
    if key not in mapping:
        raise GoldError(f"{where}: '{key}' is missing")
    value = mapping[key]
    if not isinstance(value, kinds):
        raise GoldError(f"{where}: '{key}' should be {kinds}, got {value!r}")
    return value


def _vocab(value: str, allowed: type, where: str) -> str:
    if value not in {member.value for member in allowed}:
        raise GoldError(f"{where}: {value!r} is not one of {', '.join(m.value for m in allowed)}")
    return value


def _date(spec, where: str) -> Interval | None:
    try:
        return gold_interval(spec)
    except (ValueError, TypeError, IndexError):
        raise GoldError(f"{where}: {spec!r} is not a date (YYYY, YYYY-MM, YYYY-MM-DD, [start, end] or null)") from None


def _actor_ids(ids: list, declared: set[str], where: str) -> frozenset[str]:
    undeclared = sorted(set(map(str, ids)) - declared)
    if undeclared:
        raise GoldError(f"{where}: {', '.join(undeclared)} not among the file's actors (it could never match)")
    return frozenset(map(str, ids))


def parse_gold_document(raw, where: str) -> GoldDocument:
    """One gold YAML document -> GoldDocument; GoldError (prefixed by `where`) when malformed."""
    file = _require(raw, "doc", where, str)
    actors = []
    for i, actor in enumerate(_require(raw, "actors", where, list)):
        at = f"{where}: actors[{i}]"
        actors.append(GoldActor(str(_require(actor, "id", at, (str, int))),
                                _vocab(_require(actor, "kind", at, str), ActorKind, at),
                                actor.get("country") or None,
                                tuple(map(str, _require(actor, "names", at, list)))))
    declared = {a.id for a in actors}
    if len(declared) != len(actors):
        raise GoldError(f"{where}: an actor id is declared twice")
    events = []
    for i, event in enumerate(_require(raw, "events", where, list)):
        at = f"{where}: events[{i}]"
        events.append(GoldEvent(_vocab(_require(event, "type", at, str), EventType, at),
                                _date(event.get("date"), at),
                                _actor_ids(_require(event, "participants", at, list), declared, at),
                                event.get("evidence")))
    agreements = []
    for i, agreement in enumerate(_require(raw, "agreements", where, list)):
        at = f"{where}: agreements[{i}]"
        agreements.append(GoldAgreement(
            _vocab(_require(agreement, "type", at, str), AgreementType, at),
            _vocab(_require(agreement, "status", at, str), AgreementStatus, at),
            _actor_ids(_require(agreement, "parties", at, list), declared, at),
            tuple((col, _date(agreement[col], f"{at}: {col}")) for col in AGREEMENT_DATE_COLUMNS if col in agreement),
            agreement.get("evidence")))
    return GoldDocument(
        file=file,
        language=_vocab(_require(raw, "language", where, str), Language, where),
        title=raw.get("title"),
        published=_date(raw.get("published"), f"{where}: published"),
        actors=tuple(actors), events=tuple(events), agreements=tuple(agreements),
        must_not_extract=tuple(map(str, raw.get("must_not_extract") or ())))


def load_gold(gold_dir: Path) -> list[GoldDocument]:
    """Every `*.yaml` of `gold_dir`, in file-name order."""
    documents, seen = [], {}
    for path in sorted(gold_dir.glob("*.yaml")):
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise GoldError(f"{path}: not readable YAML: {exc}") from None
        document = parse_gold_document(raw, str(path))
        if document.file in seen:
            raise GoldError(f"{path}: doc {document.file} is already annotated in {seen[document.file]}")
        seen[document.file] = path
        documents.append(document)
    if not documents:
        raise GoldError(f"{gold_dir}: no *.yaml gold files")
    return documents


