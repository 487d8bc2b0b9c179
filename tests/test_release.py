"""The published release: rebuilds byte for byte, loads everywhere, validates, fails closed."""
from __future__ import annotations

import copy
import json
import subprocess
import sys

import duckdb
import pyarrow.parquet as pq
import pytest

from pipeline.release.publishing import ReleaseExists, publish
from pipeline.release.validation import ValidationFailed
from schemas.derive import arrow_schema, columns
from schemas.records import TABLE_MODELS

TABLES = [m.table.name for m in TABLE_MODELS]


def test_rebuild_from_seeds_equals_committed_release(seed_release, committed_release):
    built = sorted(p.name for p in seed_release.release.iterdir())
    assert built == sorted(p.name for p in committed_release.iterdir())
    differing = [n for n in built if (seed_release.release / n).read_bytes() != (committed_release / n).read_bytes()]
    assert not differing, f"rebuild differs from the committed release in {differing}: run `make dataset`"
    print((seed_release.release / "validation.md").read_text(encoding="utf-8"))


def test_every_table_has_rows_and_matches_its_model(committed_release):
    for model in TABLE_MODELS:
        table = pq.read_table(committed_release / f"{model.table.name}.parquet")
        assert table.schema.equals(arrow_schema(model)), model.table.name
        if model.table.name not in ("quarantine", "actor_roles"):
            assert table.num_rows > 0, f"{model.table.name} is empty"


def test_parquet_reads_in_duckdb_and_jsonl_twins_match(committed_release):
    manifest = json.loads((committed_release / "manifest.json").read_text())
    con = duckdb.connect()
    for name in TABLES:
        parquet = committed_release / f"{name}.parquet"
        rows = pq.read_table(parquet).to_pylist()
        count = con.execute(f"select count(*) from read_parquet('{parquet}')").fetchone()[0]
        assert count == len(rows) == manifest["files"][f"{name}.parquet"]["rows"]
        lines = (committed_release / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        as_json = [json.loads(line) for line in lines]
        expected = [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()} for r in rows]
        assert as_json == expected, name


def test_manifest_hashes_every_file(committed_release):
    import hashlib

    manifest = json.loads((committed_release / "manifest.json").read_text())
    files = {p.name for p in committed_release.iterdir()} - {"manifest.json"}
    assert set(manifest["files"]) == files
    for name, info in manifest["files"].items():
        assert hashlib.sha256((committed_release / name).read_bytes()).hexdigest() == info["sha256"], name


def test_datapackage_is_derived_from_the_models_and_passes_frictionless(committed_release):
    package = json.loads((committed_release / "datapackage.json").read_text())
    for resource in package["resources"]:
        model = next(m for m in TABLE_MODELS if m.table.name == resource["name"])
        assert [f["name"] for f in resource["schema"]["fields"]] == [c.name for c in columns(model)]
        assert resource["schema"]["primaryKey"] == list(model.table.primary_key)
    result = subprocess.run([sys.executable, "-m", "frictionless", "validate", "--json",
                             str(committed_release / "datapackage.json")], capture_output=True, text=True)
    report = json.loads(result.stdout)
    errors = [e for task in report.get("tasks", []) for e in task.get("errors", [])]
    assert report["valid"], errors[:5]


def _break(tables, table, column, value, row=0):
    broken = copy.deepcopy(tables)
    broken[table][row][column] = value
    return broken


@pytest.mark.parametrize("table,column,value,check", [
    ("mentions", "actor_id", "act_doesnotexist", "fk_actor_id"),
    ("events", "event_type", "party", "enum"),
    ("event_participants", "event_id", "evt_nowhere", "fk_event_id"),
])
def test_broken_record_fails_validation_and_publishes_nothing(seed_release, tmp_path, table, column, value, check):
    broken = _break(seed_release.tables, table, column, value)
    with pytest.raises(ValidationFailed) as info:
        publish(broken, tmp_path, "9.9.9")
    failures = info.value.report.failures
    assert any(f["table"] == table and f["column"] == column and f["row"] == 0 for f in failures), failures[:5]
    assert check in str(info.value) or any(check in f["check"] for f in failures)
    assert not (tmp_path / "9.9.9").exists()
    assert not list(tmp_path.glob(".9.9.9*")), "a staging folder was left behind"


def test_event_without_source_fails(seed_release, tmp_path):
    broken = copy.deepcopy(seed_release.tables)
    dropped = broken["event_sources"][0]["event_id"]
    broken["event_sources"] = [r for r in broken["event_sources"] if r["event_id"] != dropped]
    with pytest.raises(ValidationFailed) as info:
        publish(broken, tmp_path, "9.9.9")
    assert any(f["check"] == "has_event_sources" and f["table"] == "events" for f in info.value.report.failures)


def test_republishing_a_version_with_other_content_fails(seed_release, tmp_path):
    publish(seed_release.tables, tmp_path, "1.0.0")
    publish(seed_release.tables, tmp_path, "1.0.0")  # same content: fine
    changed = copy.deepcopy(seed_release.tables)
    changed["documents"][0]["title"] = "Another title"
    with pytest.raises(ReleaseExists, match="bump"):
        publish(changed, tmp_path, "1.0.0")


def test_cli_validate_accepts_release_and_rejects_tampering(committed_release, tmp_path):
    ok = subprocess.run(["paradip", "validate", str(committed_release)], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    import shutil

    copy_dir = tmp_path / "release"
    shutil.copytree(committed_release, copy_dir)
    (copy_dir / "documents.jsonl").write_text("tampered\n")
    bad = subprocess.run(["paradip", "validate", "--json", str(copy_dir)], capture_output=True, text=True)
    assert bad.returncode == 1
    assert any(f["check"] == "manifest_sha256" for f in json.loads(bad.stdout)["failures"])


def test_a_release_with_empty_span_tables_validates(seed_release, tmp_path):
    """A corpus without agreements (or events) still publishes: span checks on empty tables pass."""
    tables = copy.deepcopy(seed_release.tables)
    for name in ("agreements", "agreement_parties", "agreement_sources"):
        tables[name] = []
    for event in tables["events"]:
        event["agreement_id"] = None
    release = publish(tables, tmp_path, "9.9.9")
    assert pq.read_table(release / "agreement_sources.parquet").num_rows == 0
