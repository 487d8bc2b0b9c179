"""Controlled vocabularies of the codebook (sections 2-6), as enums.

Every enum value is what a release stores; the Pydantic models, Pandera
schemas and the datapackage all read their allowed values from here.
"""
from __future__ import annotations

from enum import StrEnum


class Language(StrEnum):
    EN = "en"
    VI = "vi"


class DatePrecision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class ActorKind(StrEnum):
    PERSON = "person"
    GOVERNMENT = "government"
    ORGANIZATION = "organization"
    LOCALITY = "locality"
    COUNTRY = "country"
    INTERNATIONAL = "international"


class PointKind(StrEnum):
    """What the coordinates of a place actor are (`actors.point_kind`)."""

    PLACE = "place"  # the place's own: a city
    CAPITAL = "capital"  # a country's capital city
    SEAT = "seat"  # the seat of a province, prefecture, state or region: its administrative centre


class EventType(StrEnum):
    VISIT = "visit"
    MEETING = "meeting"
    CONFERENCE = "conference"
    SIGNING = "signing"
    FAIR = "fair"
    CULTURAL_EXCHANGE = "cultural_exchange"


class ParticipantRole(StrEnum):
    HOST = "host"
    GUEST = "guest"
    ORGANIZER = "organizer"
    PARTICIPANT = "participant"
    SIGNATORY = "signatory"
    SPEAKER = "speaker"


class AgreementType(StrEnum):
    MOU = "mou"
    COOPERATION_AGREEMENT = "cooperation_agreement"
    TRADE_AGREEMENT = "trade_agreement"
    PARTNERSHIP = "partnership"
    DIPLOMATIC_RELATIONS = "diplomatic_relations"
    SISTER_CITY = "sister_city"
    AID = "aid"


class AgreementStatus(StrEnum):
    PROPOSED = "proposed"
    NEGOTIATING = "negotiating"
    SIGNED = "signed"
    IN_FORCE = "in_force"


class Sector(StrEnum):
    AGRICULTURE = "agriculture"
    CULTURE = "culture"
    DIGITAL_TRANSFORMATION = "digital_transformation"
    EDUCATION = "education"
    ENERGY = "energy"
    ENVIRONMENT = "environment"
    FINANCE = "finance"
    HEALTH = "health"
    INFORMATION_TECHNOLOGY = "information_technology"
    INNOVATION = "innovation"
    INVESTMENT = "investment"
    LABOR = "labor"
    SCIENCE_TECHNOLOGY = "science_technology"
    SECURITY = "security"
    TOURISM = "tourism"
    TRADE = "trade"
    TRANSPORT = "transport"
    URBAN_PLANNING = "urban_planning"


class QuarantineReason(StrEnum):
    EMPTY = "empty"
    BINARY = "binary"
    UNDECODABLE = "undecodable"
    HTML_WITHOUT_TEXT = "html_without_text"
    TOO_LARGE = "too_large"
    DUPLICATE = "duplicate"
    NEAR_DUPLICATE = "near_duplicate"
    NO_MAIN_TEXT = "no_main_text"
    UNSUPPORTED_LANGUAGE = "unsupported_language"
    NOT_A_REGULAR_FILE = "not_a_regular_file"
    SYMLINK_OUTSIDE_INPUT = "symlink_outside_input"
    BAD_FILE_NAME = "bad_file_name"
    UNREADABLE = "unreadable"
    INGEST_ERROR = "ingest_error"
    HTTP_ERROR = "http_error"  # a WARC response record with an HTTP status other than 2xx
    NOT_HTML = "not_html"  # a WARC response record whose payload is not an HTML page
    WARC_TRUNCATED = "warc_truncated"  # a WARC archive that ends inside this record


#: CAMEO codes (codebook section 3). A reception of a visitor is 043, other meetings 040.
CAMEO_BY_EVENT_TYPE: dict[EventType, str] = {
    EventType.VISIT: "042",
    EventType.MEETING: "040",
    EventType.CONFERENCE: "040",
    EventType.SIGNING: "057",
    EventType.FAIR: "061",
    EventType.CULTURAL_EXCHANGE: "060",
}
CAMEO_RECEPTION = "043"
CAMEO_CODES = sorted(set(CAMEO_BY_EVENT_TYPE.values()) | {CAMEO_RECEPTION})
