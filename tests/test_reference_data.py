"""Integrity tests for the static reference data in pipeline/extraction/reference/."""

import csv
import re
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import pytest

REF_DIR = Path(__file__).resolve().parents[1] / "pipeline" / "extraction" / "reference"

HEADERS = {
    "countries.csv": ["iso2", "name", "names_en", "names_vi", "demonyms_en"],
    "vn_localities.csv": ["id", "name_en", "name_vi", "level", "parent_id", "aliases"],
    "foreign_localities.csv": ["id", "name", "country", "level", "names_vi", "aliases"],
    "organizations.csv": ["name", "kind", "country", "aliases"],
    "news_outlets.csv": ["name", "aliases", "country"],
    "regions.csv": ["name", "aliases"],
    "vn_bodies.csv": ["key", "name_en", "name_vi", "aliases_en", "aliases_vi", "kind", "scope"],
    "titles.csv": ["title", "language", "category", "aliases"],
    "sectors.csv": ["sector", "language", "keyword"],
    "vn_name_parts.csv": ["part", "role"],
}

# Columns that may hold several values separated by "|".
MULTI_COLUMNS = {
    "countries.csv": ["names_en", "names_vi", "demonyms_en"],
    "vn_localities.csv": ["aliases"],
    "foreign_localities.csv": ["names_vi", "aliases"],
    "organizations.csv": ["aliases"],
    "news_outlets.csv": ["aliases"],
    "regions.csv": ["aliases"],
    "vn_bodies.csv": ["name_vi", "aliases_en", "aliases_vi"],
    "titles.csv": ["aliases"],
}

# Columns that must never be empty.
REQUIRED_COLUMNS = {
    "countries.csv": ["iso2", "name"],
    "vn_localities.csv": ["id", "name_en", "name_vi", "level"],
    "foreign_localities.csv": ["id", "name", "country", "level"],
    "organizations.csv": ["name", "kind"],
    "news_outlets.csv": ["name", "country"],
    "regions.csv": ["name"],
    "vn_bodies.csv": ["key", "name_en", "name_vi", "kind", "scope"],
    "titles.csv": ["title", "language", "category"],
    "sectors.csv": ["sector", "language", "keyword"],
    "vn_name_parts.csv": ["part", "role"],
}

SECTORS = {
    "agriculture", "culture", "digital_transformation", "education", "energy",
    "environment", "finance", "health", "information_technology", "innovation",
    "investment", "labor", "science_technology", "security", "tourism", "trade",
    "transport", "urban_planning",
}
TITLE_CATEGORIES = {
    "head", "deputy", "member", "diplomat", "executive", "legislator", "party",
    "academic", "business",
}
VN_LEVELS = {"province", "city", "district", "town"}
FOREIGN_LEVELS = {"city", "province", "state", "prefecture", "region", "capital"}
ORG_KINDS = {"international", "government", "organization"}
BODY_KINDS = {"government"}
BODY_SCOPES = {"local", "mission"}
EXTRA_ISO2 = {"XK"}  # Kosovo: user-assigned code, widely used

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def load(name):
    path = REF_DIR / name
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
        return reader.fieldnames, rows


def split(value):
    return value.split("|") if value else []


def fold(text):
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFD", text)
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return re.sub(r"\s+", " ", re.sub(r"[^\w]+", " ", text.lower())).strip()


@pytest.fixture(scope="module")
def pycountry_mod():
    return pytest.importorskip("pycountry")


@pytest.fixture(scope="module")
def valid_iso2(pycountry_mod):
    return {c.alpha_2 for c in pycountry_mod.countries} | EXTRA_ISO2


# --------------------------------------------------------------------------
# Generic checks, applied to every file


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_headers_exact(name):
    fieldnames, rows = load(name)
    assert fieldnames == HEADERS[name]
    assert rows, f"{name} is empty"


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_rows_well_formed(name):
    fieldnames, rows = load(name)
    for i, row in enumerate(rows, start=2):
        assert None not in row, f"{name}:{i} has extra fields"
        assert all(v is not None for v in row.values()), f"{name}:{i} has missing fields"
        for col, value in row.items():
            assert value == value.strip(), f"{name}:{i} {col} has stray whitespace"
            assert "\n" not in value, f"{name}:{i} {col} contains a newline"
        for col in REQUIRED_COLUMNS[name]:
            assert row[col], f"{name}:{i} empty {col}"


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_all_text_is_nfc(name):
    _, rows = load(name)
    for i, row in enumerate(rows, start=2):
        for col, value in row.items():
            assert unicodedata.is_normalized("NFC", value), f"{name}:{i} {col} not NFC: {value!r}"


@pytest.mark.parametrize("name", sorted(MULTI_COLUMNS))
def test_no_empty_multi_values(name):
    _, rows = load(name)
    for i, row in enumerate(rows, start=2):
        for col in MULTI_COLUMNS[name]:
            parts = split(row[col])
            for part in parts:
                assert part and part == part.strip(), f"{name}:{i} {col} has empty/padded item: {row[col]!r}"
            # exact duplicates only: case variants (RoK/ROK) are distinct surface forms
            assert len(parts) == len(set(parts)), f"{name}:{i} {col} has duplicates: {row[col]!r}"


# --------------------------------------------------------------------------
# countries.csv


def test_countries_cover_iso(valid_iso2, pycountry_mod):
    _, rows = load("countries.csv")
    codes = [r["iso2"] for r in rows]
    assert len(codes) == len(set(codes)), "duplicate iso2"
    assert set(codes) <= valid_iso2
    missing = {c.alpha_2 for c in pycountry_mod.countries} - set(codes)
    assert not missing, f"countries missing: {sorted(missing)}"


def test_countries_key_forms():
    _, rows = load("countries.csv")
    by = {r["iso2"]: r for r in rows}
    assert by["VN"]["name"] == "Vietnam"
    assert "Việt Nam" in split(by["VN"]["names_vi"])
    assert "Viet Nam" in split(by["VN"]["names_en"])
    assert by["KR"]["name"] == "South Korea"
    assert "Hàn Quốc" in split(by["KR"]["names_vi"])
    assert "Triều Tiên" in split(by["KP"]["names_vi"])
    assert "Korean" in split(by["KR"]["demonyms_en"])
    assert "Korean" not in split(by["KP"]["demonyms_en"])
    assert by["LA"]["name"] == "Laos"
    assert "Lao PDR" in split(by["LA"]["names_en"])
    assert by["TR"]["name"] == "Turkey"
    assert "Türkiye" in split(by["TR"]["names_en"])
    assert {"Hoa Kỳ", "Mỹ"} <= set(split(by["US"]["names_vi"]))
    assert "USA" in split(by["US"]["names_en"])


def test_countries_names_unambiguous():
    """A country name/alias/Vietnamese name must not point at two countries."""
    _, rows = load("countries.csv")
    owner = {}
    for r in rows:
        for form in [r["name"]] + split(r["names_en"]) + split(r["names_vi"]):
            key = form.lower()
            assert owner.setdefault(key, r["iso2"]) == r["iso2"], f"{form!r} used by {owner[key]} and {r['iso2']}"


def test_demonyms_unambiguous():
    _, rows = load("countries.csv")
    owner = {}
    for r in rows:
        for d in split(r["demonyms_en"]):
            assert d != r["name"]
            assert owner.setdefault(d, r["iso2"]) == r["iso2"], f"demonym {d!r} shared by {owner[d]} and {r['iso2']}"


# --------------------------------------------------------------------------
# vn_localities.csv


def test_vn_localities_ids_and_parents():
    _, rows = load("vn_localities.csv")
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), "duplicate ids"
    idset = set(ids)
    by = {r["id"]: r for r in rows}
    for r in rows:
        assert SLUG_RE.match(r["id"]), r["id"]
        assert r["level"] in VN_LEVELS, r
        if r["level"] == "province":
            assert r["parent_id"] == "", r
        else:
            assert r["parent_id"] in idset, f"{r['id']}: unknown parent {r['parent_id']!r}"
            assert by[r["parent_id"]]["level"] == "province"


def test_vn_localities_vietnamese_names_are_accented():
    """name_vi is the official form with diacritics (a few names have none: Kon Tum, Gia Lai)."""
    _, rows = load("vn_localities.csv")
    accented = [r for r in rows if fold(r["name_vi"]) != r["name_vi"].lower()]
    assert len(accented) >= 0.85 * len(rows)
    by = {r["id"]: r for r in rows}
    assert by["ha-noi"]["name_vi"] == "Hà Nội"
    assert by["thua-thien-hue"]["name_vi"] == "Thừa Thiên Huế"
    assert by["ho-chi-minh-city"]["name_vi"] == "Thành phố Hồ Chí Minh"


def test_vn_localities_has_all_provinces():
    _, rows = load("vn_localities.csv")
    provinces = [r for r in rows if r["level"] == "province"]
    # 63 units of 2008-2025 plus Hue as a centrally-run city (2025)
    assert len(provinces) >= 63
    ids = {r["id"] for r in provinces}
    for must in ("ha-noi", "ho-chi-minh-city", "da-nang", "hai-phong", "can-tho",
                 "thua-thien-hue", "ba-ria-vung-tau", "quang-ninh", "ca-mau"):
        assert must in ids
    hcmc = next(r for r in rows if r["id"] == "ho-chi-minh-city")
    assert {"HCMC", "Saigon", "TP.HCM"} <= set(split(hcmc["aliases"]))


def _assert_each_form_names_one_row(rows, forms_of) -> None:
    """After accent folding, every name or alias belongs to a single row."""
    owner = {}
    for r in rows:
        for form in forms_of(r):
            key = fold(form)
            assert owner.setdefault(key, r["id"]) == r["id"], f"{form!r}: {owner[key]} vs {r['id']}"


def test_vn_localities_forms_unambiguous():
    """After accent folding, each name/alias identifies a single locality."""
    _, rows = load("vn_localities.csv")
    _assert_each_form_names_one_row(rows, lambda r: [r["name_en"], r["name_vi"]] + split(r["aliases"]))


# --------------------------------------------------------------------------
# foreign_localities.csv


def test_foreign_localities(valid_iso2):
    _, rows = load("foreign_localities.csv")
    assert len(rows) >= 600
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for r in rows:
        assert SLUG_RE.match(r["id"]), r["id"]
        assert r["country"] in valid_iso2, r
        assert r["country"] != "VN", "no Vietnamese places in foreign_localities"
        assert r["level"] in FOREIGN_LEVELS, r


def test_foreign_localities_coverage():
    _, rows = load("foreign_localities.csv")
    per = Counter((r["country"], r["level"]) for r in rows)
    assert per[("JP", "prefecture")] + per[("JP", "capital")] >= 47
    assert sum(n for (c, lvl), n in per.items() if c == "LA" and lvl in ("province", "capital")) == 18
    assert sum(n for (c, lvl), n in per.items() if c == "KH" and lvl in ("province", "capital")) == 25
    assert per[("US", "state")] == 50
    assert per[("DE", "state")] + 2 >= 15  # Berlin (capital) and Hamburg (city) are city-states
    names = {r["name"] for r in rows}
    for must in ("Guangxi", "Yunnan", "Vientiane", "Phnom Penh", "Seoul", "Gyeonggi",
                 "Moscow", "Saint Petersburg", "Paris", "London", "Tokyo"):
        assert must in names
    capitals = {r["country"] for r in rows if r["level"] == "capital"}
    assert len(capitals) >= 180


def test_foreign_localities_forms_unambiguous():
    _, rows = load("foreign_localities.csv")
    _assert_each_form_names_one_row(rows, lambda r: [r["name"]] + split(r["names_vi"]) + split(r["aliases"]))


# --------------------------------------------------------------------------
# organizations.csv / news_outlets.csv


def test_organizations(valid_iso2):
    _, rows = load("organizations.csv")
    assert len(rows) >= 200
    names = [r["name"] for r in rows]
    assert len(names) == len(set(names)), "duplicate organisation names"
    for r in rows:
        assert r["kind"] in ORG_KINDS, r
        if r["kind"] == "international":
            assert r["country"] == "", r
        else:
            assert r["country"] in valid_iso2, r
    slugs = [fold(n) for n in names]
    assert len(slugs) == len(set(slugs)), "organisation names must stay distinct after folding"
    owner = {}
    for r in rows:
        for form in [r["name"]] + split(r["aliases"]):
            key = form.lower()
            assert owner.setdefault(key, r["name"]) == r["name"], f"{form!r}: {owner[key]} vs {r['name']}"


def test_news_outlets(valid_iso2):
    _, rows = load("news_outlets.csv")
    assert len(rows) >= 40
    names = [r["name"] for r in rows]
    assert len(names) == len(set(names))
    for r in rows:
        assert r["country"] in valid_iso2, r
    forms = {f for r in rows for f in [r["name"]] + split(r["aliases"])}
    assert {"VNA", "TTXVN", "Xinhua", "Reuters"} <= forms


def test_news_outlets_not_organizations():
    _, orgs = load("organizations.csv")
    _, outlets = load("news_outlets.csv")
    org_forms = {f.lower() for r in orgs for f in [r["name"]] + split(r["aliases"])}
    for r in outlets:
        assert r["name"].lower() not in org_forms, r["name"]


# --------------------------------------------------------------------------
# vn_bodies.csv / titles.csv / sectors.csv / vn_name_parts.csv


def test_vn_bodies():
    _, rows = load("vn_bodies.csv")
    keys = [r["key"] for r in rows]
    assert len(keys) == len(set(keys))
    for r in rows:
        assert SLUG_RE.match(r["key"]), r["key"]
        assert r["kind"] in BODY_KINDS, r
        assert r["scope"] in BODY_SCOPES, r
    by = {r["key"]: r for r in rows}
    assert set(split(by["party-committee"]["name_vi"])) == {"Thành ủy", "Tỉnh ủy"}
    assert by["embassy"]["scope"] == "mission"
    assert by["peoples-committee"]["name_vi"] == "Ủy ban nhân dân"


def test_titles():
    _, rows = load("titles.csv")
    seen = set()
    for r in rows:
        assert r["language"] in {"en", "vi"}, r
        assert r["category"] in TITLE_CATEGORIES, r
        key = (r["title"], r["language"])
        assert key not in seen, key
        seen.add(key)
    langs = Counter(r["language"] for r in rows)
    assert langs["en"] >= 50 and langs["vi"] >= 50
    titles = {r["title"] for r in rows}
    assert {"Chairman", "Ambassador", "Consul General", "Chủ tịch", "Bí thư", "Đại sứ"} <= titles


def test_sectors():
    _, rows = load("sectors.csv")
    counts = defaultdict(int)
    seen = set()
    for r in rows:
        assert r["sector"] in SECTORS, r
        assert r["language"] in {"en", "vi"}, r
        assert r["keyword"] == r["keyword"].lower(), r
        key = (r["language"], r["keyword"])
        assert key not in seen, f"keyword in two sectors or repeated: {key}"
        seen.add(key)
        counts[(r["sector"], r["language"])] += 1
    for sector in SECTORS:
        for lang in ("en", "vi"):
            assert 8 <= counts[(sector, lang)] <= 20, (sector, lang, counts[(sector, lang)])


def test_vn_name_parts():
    _, rows = load("vn_name_parts.csv")
    pairs = [(r["part"], r["role"]) for r in rows]
    assert len(pairs) == len(set(pairs))
    roles = Counter(r["role"] for r in rows)
    assert set(roles) == {"surname", "given"}
    assert roles["surname"] >= 80 and roles["given"] >= 300
    for part, _ in pairs:
        assert " " not in part and part[0].isupper(), part
    surnames = {p for p, role in pairs if role == "surname"}
    assert {"Nguyễn", "Trần", "Lê", "Phạm"} <= surnames


def test_no_person_names_in_titles_or_bodies():
    """Reference files hold institutional facts only: no Vietnamese full names
    (surname followed by two or more name syllables) in titles/bodies/orgs."""
    _, parts = load("vn_name_parts.csv")
    surnames = {r["part"] for r in parts if r["role"] == "surname"}
    given = {r["part"] for r in parts if r["role"] == "given"}
    for name, cols in (("titles.csv", ["title", "aliases"]),
                       ("vn_bodies.csv", ["name_vi", "aliases_vi"])):
        _, rows = load(name)
        for r in rows:
            for col in cols:
                for form in split(r[col]) if col != "title" else [r[col]]:
                    words = form.split()
                    if len(words) == 3 and words[0] in surnames and all(w in given for w in words[1:]):
                        pytest.fail(f"{name}: looks like a person name: {form!r}")
