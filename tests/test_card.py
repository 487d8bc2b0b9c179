"""The dataset card: its figures agree with the tables beside it, and its charts are valid, stable PNGs."""
from __future__ import annotations

import re
import struct
import zlib
from collections import Counter

import pyarrow.parquet as pq
import pytest

from pipeline.release.charts import CHART_FILES
from schemas.records import TABLE_MODELS

TABLES = [m.table.name for m in TABLE_MODELS]


def _card(release) -> str:
    return (release / "README.md").read_text(encoding="utf-8")


def _section(card: str, heading: str) -> str:
    start = card.index(f"## {heading}\n")
    end = card.find("\n## ", start + 1)
    return card[start:end if end > 0 else None]


def _table_rows(section: str) -> list[list[str]]:
    rows = [[c.strip() for c in line.strip("|").split("|")] for line in section.splitlines() if line.startswith("|")]
    return rows[2:]  # drop header and rule


def test_card_counts_table_matches_parquet_row_counts(committed_release):
    rows = _table_rows(_section(_card(committed_release), "Tables"))
    counts = {name.strip("`"): int(n) for name, n, _ in rows}
    assert counts == {t: pq.read_metadata(committed_release / f"{t}.parquet").num_rows for t in TABLES}


def test_card_per_language_and_event_types_match_the_tables(committed_release):
    card = _card(committed_release)
    documents = pq.read_table(committed_release / "documents.parquet").to_pylist()
    languages = {lang.strip("`"): int(n) for lang, n, *_ in _table_rows(_section(card, "Per language"))}
    assert languages == dict(Counter(d["language"] for d in documents))
    events = pq.read_table(committed_release / "events.parquet").to_pylist()
    types = {t: int(n) for t, n, _ in _table_rows(_section(card, "Event types")) if int(n)}
    assert types == dict(Counter(e["event_type"] for e in events))
    years = {y: int(n) for y, _, n, _ in _table_rows(_section(card, "Per year")) if int(n)}
    assert years == {str(k) if k else "undated": v for k, v in
                     Counter(e["date_start"].year if e["date_start"] else None for e in events).items()}


def test_card_gives_the_null_rate_of_every_column(committed_release):
    rows = _table_rows(_section(_card(committed_release), "Null rate of every column"))
    found = {(t.strip("`"), c.strip("`")): int(nulls) for t, c, _, nulls, *_ in rows}
    expected = {}
    for table in TABLES:
        data = pq.read_table(committed_release / f"{table}.parquet")
        expected.update({(table, f.name): data.column(f.name).null_count for f in data.schema})
    assert found == expected


def test_card_states_provenance_and_links_its_charts(committed_release):
    import json

    card = _card(committed_release)
    manifest = json.loads((committed_release / "manifest.json").read_text())
    assert manifest["inputs_sha256"] in card and f"`{manifest['code_version']}`" in card
    assert "**PASSED**" in _section(card, "Validation")
    for chart in CHART_FILES:
        assert f"]({chart})" in card
    assert "@misc{paradip_" in _section(card, "How to cite")


def _png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG signature"
    chunks, pos = [], 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        assert zlib.crc32(kind + body) == crc, f"bad CRC in chunk {kind!r}"
        chunks.append((kind, body))
        pos += 12 + length
    return chunks


@pytest.mark.parametrize("chart", CHART_FILES)
def test_charts_are_valid_pngs_without_software_or_time_metadata(committed_release, chart):
    chunks = _png_chunks((committed_release / chart).read_bytes())
    kinds = [k for k, _ in chunks]
    assert kinds[0] == b"IHDR" and kinds[-1] == b"IEND" and b"IDAT" in kinds
    width, height = struct.unpack(">II", chunks[0][1][:8])
    assert width >= 800 and height >= 400
    assert b"tIME" not in kinds
    text = b" ".join(body for kind, body in chunks if kind in (b"tEXt", b"iTXt", b"zTXt"))
    assert b"Software" not in text and not re.search(rb"20\d\d-\d\d-\d\d", text)


@pytest.mark.parametrize("chart", CHART_FILES)
def test_charts_are_byte_identical_across_builds(seed_release, committed_release, chart):
    assert (seed_release.release / chart).read_bytes() == (committed_release / chart).read_bytes()


def test_partner_chart_labels_in_english_and_draws_a_city_and_its_council_once():
    from pipeline.release.charts import english_label, place_groups

    actors = {
        "hn": {"actor_id": "hn", "name": "Hà Nội", "aliases": ["HN", "Hanoi"], "kind": "locality", "country": "VN"},
        "wl": {"actor_id": "wl", "name": "Wellington", "aliases": [], "kind": "locality", "country": "NZ"},
        "wcc": {"actor_id": "wcc", "name": "Chính quyền thành phố Wellington", "kind": "government", "country": "NZ",
                "aliases": ["Wellington City Council"]},
        "ta": {"actor_id": "ta", "name": "Tory Whanau", "aliases": [], "kind": "person", "country": "NZ"},
        "vi": {"actor_id": "vi", "name": "Nguyễn Đức A", "aliases": [], "kind": "person", "country": "VN"},
        "ub": {"actor_id": "ub", "name": "Ủy ban nhân dân tỉnh X", "aliases": [], "kind": "government", "country": "VN"},
    }
    labels = {a: english_label(actor) for a, actor in actors.items()}
    assert labels == {"hn": "Hanoi", "wl": "Wellington", "wcc": "Wellington City Council", "ta": "Tory Whanau",
                      "vi": "Nguyen Duc A",  # as English-language news write Vietnamese names
                      "ub": "Ủy ban nhân dân tỉnh X"}  # a body without an English name keeps its own
    assert place_groups(["wcc", "wl", "ta"], actors, labels) == {"wcc": "wl", "wl": "wl", "ta": "ta"}


def test_card_reports_the_share_of_place_actors_linked_by_kind(committed_release):
    rows = _table_rows(_section(_card(committed_release), "Linked places"))
    found = {group: (int(n), *(int(cell.split()[0]) for cell in cells)) for group, n, *cells in rows}
    actors = pq.read_table(committed_release / "actors.parquet").to_pylist()
    expected = {}
    for kind in ("locality", "country"):
        for actor in (a for a in actors if a["kind"] == kind):
            group = kind if kind == "country" else "locality, " + (
                "Vietnamese" if actor["country"] == "VN" else "foreign" if actor["country"] else "country unknown")
            marks = (actor["iso_3166"] is not None, actor["geonames_id"] is not None, actor["latitude"] is not None)
            counts = expected.setdefault(group, [0, 0, 0, 0, 0])
            for i, mark in enumerate((True, *marks, any(marks))):
                counts[i] += mark
    assert found == {group: tuple(counts) for group, counts in expected.items()}
