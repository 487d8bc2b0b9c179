"""Catalogue metadata of the release: Croissant passes mlcroissant and loads, JSON Schema covers every record."""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pyarrow.parquet as pq
import pytest

from schemas.derive import columns
from schemas.records import TABLE_MODELS

TABLES = [m.table.name for m in TABLE_MODELS]


@pytest.fixture(scope="module")
def croissant_dataset(committed_release):
    import mlcroissant

    return mlcroissant.Dataset(jsonld=committed_release / "croissant.json")


def test_croissant_passes_the_official_validator(committed_release):
    validator = Path(sys.executable).with_name("mlcroissant")
    result = subprocess.run([str(validator), "validate", "--jsonld", str(committed_release / "croissant.json")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "warning" not in (result.stdout + result.stderr).lower(), result.stderr


def test_croissant_has_no_warnings_and_a_record_set_per_table(croissant_dataset):
    issues = croissant_dataset.metadata.ctx.issues
    assert not issues.errors and not issues.warnings, (issues.errors, issues.warnings)
    record_sets = {rs.name: rs for rs in croissant_dataset.metadata.record_sets}
    assert list(record_sets) == TABLES
    for model in TABLE_MODELS:
        assert [f.name for f in record_sets[model.table.name].fields] == [c.name for c in columns(model)]


def test_croissant_file_checksums_match_the_files(committed_release):
    metadata = json.loads((committed_release / "croissant.json").read_text(encoding="utf-8"))
    files = {f["contentUrl"]: f["sha256"] for f in metadata["distribution"]}
    assert set(files) == {f"{t}.parquet" for t in TABLES}
    for name, sha in files.items():
        assert hashlib.sha256((committed_release / name).read_bytes()).hexdigest() == sha, name


@pytest.mark.parametrize("table", ["documents", "actors", "events", "agreements"])
def test_croissant_record_sets_load_the_same_rows_as_parquet(croissant_dataset, committed_release, table):
    """mlcroissant reads the Parquet files through the Croissant description alone."""
    records = list(croissant_dataset.records(table))
    rows = pq.read_table(committed_release / f"{table}.parquet").to_pylist()
    assert len(records) == len(rows)
    key = next(c.name for c in columns(next(m for m in TABLE_MODELS if m.table.name == table)))
    loaded = sorted(r[f"{table}/{key}"].decode() for r in records)
    assert loaded == sorted(r[key] for r in rows)


def test_json_schema_covers_every_table_and_accepts_every_published_record(committed_release):
    schema = json.loads((committed_release / "schema.json").read_text(encoding="utf-8"))
    assert sorted(schema["tables"]) == sorted(TABLES)
    for table in TABLES:
        validator = jsonschema.Draft202012Validator(schema["tables"][table],
                                                    format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
        lines = (committed_release / f"{table}.jsonl").read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            errors = list(validator.iter_errors(json.loads(line)))
            assert not errors, f"{table}.jsonl line {i + 1}: {errors[0].message}"


def test_json_schema_rejects_a_broken_record(committed_release):
    schema = json.loads((committed_release / "schema.json").read_text(encoding="utf-8"))["tables"]["events"]
    row = json.loads((committed_release / "events.jsonl").read_text(encoding="utf-8").splitlines()[0])
    validator = jsonschema.Draft202012Validator(schema)
    assert not list(validator.iter_errors(row))
    assert list(validator.iter_errors({**row, "event_type": "party"}))
    assert list(validator.iter_errors({**row, "surprise": 1}))
