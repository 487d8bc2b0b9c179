"""Stage 5, publish: validated tables -> `dataset/<version>/`, atomically.

Writes every table as Parquet (zstd, fixed row groups, no pandas metadata)
and JSON Lines with the same rows in the same order, plus
`datapackage.json`, `schema.json` (JSON Schema of every record),
`manifest.json` (sha256 and rows of every file, inputs digest) and the
validation reports. Same inputs give the same bytes: no clock, sorted rows.
The release is written beside the target (a hidden `.<version>.tmp-<pid>-*`
folder), synced to disk and renamed into place only after it validated, so
a killed build leaves the previous release intact and no partial release;
the next publish removes staging folders whose build is no longer running.

    python -m pipeline.publish RESOLVED_DIR DATASET_DIR
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.params import load_params
from pipeline.resolve import Tables, read_tables
from pipeline.validate import ValidationFailed, validate_tables, write_report
from schemas.derive import frictionless_schema, json_schemas
from schemas.records import MODELS_BY_TABLE, SCHEMA_VERSION

PARQUET_OPTIONS = dict(compression="zstd", compression_level=9, row_group_size=50_000, data_page_size=1 << 20,
                       write_statistics=True, use_dictionary=True, store_schema=False)


class ReleaseExists(Exception):
    pass


def _json_value(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def write_parquet(table: pa.Table, path: Path) -> None:
    pq.write_table(table.replace_schema_metadata(None), path, **PARQUET_OPTIONS)


def write_jsonl(table: pa.Table, path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for row in table.to_pylist():
            fh.write(json.dumps({k: _json_value(v) for k, v in row.items()}, ensure_ascii=False) + "\n")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def datapackage(version: str, arrow: dict[str, pa.Table]) -> dict:
    resources = []
    for name in arrow:
        model = MODELS_BY_TABLE[name]
        resources.append({
            "name": name, "path": f"{name}.parquet", "format": "parquet", "profile": "tabular-data-resource",
            "description": model.table.description, "schema": frictionless_schema(model)})
    return {
        "profile": "tabular-data-package",
        "name": "paradip",
        "title": "paradip: foreign relations of Vietnamese localities",
        "description": "Events, actors and agreements of the city diplomacy of Vietnamese localities, "
                       "extracted from news articles in English and Vietnamese.",
        "version": version,
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                      "title": "Creative Commons Attribution 4.0"}],
        "resources": resources,
    }


def inputs_digest(documents: pa.Table, quarantine: pa.Table) -> str:
    h = hashlib.sha256()
    for path, sha in sorted(zip(documents.column("source_path").to_pylist(), documents.column("sha256").to_pylist())):
        h.update(f"{path}\x1f{sha}\n".encode())
    for path, sha in sorted(zip(quarantine.column("file").to_pylist(), quarantine.column("sha256").to_pylist())):
        h.update(f"{path}\x1f{sha}\n".encode())
    return h.hexdigest()


def _write_release(folder: Path, version: str, arrow: dict[str, pa.Table], report) -> None:
    files: dict[str, dict] = {}
    for name, table in arrow.items():
        write_parquet(table, folder / f"{name}.parquet")
        write_jsonl(table, folder / f"{name}.jsonl")
        for ext in ("parquet", "jsonl"):
            files[f"{name}.{ext}"] = {"rows": table.num_rows}
    (folder / "datapackage.json").write_text(json.dumps(datapackage(version, arrow), indent=2, ensure_ascii=False)
                                             + "\n", encoding="utf-8")
    (folder / "schema.json").write_text(json.dumps(json_schemas(), indent=2, ensure_ascii=False, sort_keys=True)
                                        + "\n", encoding="utf-8")
    write_report(report, folder)
    for extra in ("datapackage.json", "schema.json", "validation.json", "validation.md"):
        files[extra] = {}
    for name in files:
        files[name]["sha256"] = _sha256(folder / name)
    manifest = {"version": version, "schema_version": SCHEMA_VERSION,
                "inputs_sha256": inputs_digest(arrow["documents"], arrow["quarantine"]),
                "files": dict(sorted(files.items()))}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def _same_release(a: Path, b: Path) -> bool:
    names = sorted(p.name for p in a.iterdir())
    return names == sorted(p.name for p in b.iterdir()) and all(
        (a / n).read_bytes() == (b / n).read_bytes() for n in names)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_stale_staging(dataset_dir: Path) -> None:
    """Remove staging folders left by killed builds (their process is gone)."""
    for folder in dataset_dir.glob(".*.tmp-*"):
        pid = folder.name.rsplit(".tmp-", 1)[1].split("-", 1)[0]
        try:
            os.kill(int(pid), 0)
            continue  # that build is still running
        except (ValueError, ProcessLookupError):
            shutil.rmtree(folder, ignore_errors=True)
        except PermissionError:
            continue  # alive, another user's


def publish(tables: Tables, dataset_dir: Path, version: str, inputs: list[str] | None = None) -> Path:
    """Validate and publish; returns the release folder. Raises `ValidationFailed` or `ReleaseExists`.
    `inputs` is the ingest inventory: every entry must be published or quarantined exactly once."""
    arrow, report = validate_tables(tables, inputs)
    if not report.ok:
        raise ValidationFailed(report)
    dataset_dir.mkdir(parents=True, exist_ok=True)
    _remove_stale_staging(dataset_dir)
    target = dataset_dir / version
    staging = Path(tempfile.mkdtemp(prefix=f".{version}.tmp-{os.getpid()}-", dir=dataset_dir))
    exists = ReleaseExists(f"release {version} already exists in {dataset_dir} with different content: "
                           f"bump release.version in params.yaml (or delete {target} if it was never shared)")
    try:
        _write_release(staging, version, arrow, report)
        os.chmod(staging, 0o755)
        if target.exists():
            if _same_release(staging, target):
                return target
            raise exists
        for path in [*staging.iterdir(), staging]:
            _fsync(path)
        try:
            os.rename(staging, target)
        except OSError:
            if not target.exists():
                raise
            if not _same_release(staging, target):  # another build published this version meanwhile
                raise exists
        _fsync(dataset_dir)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return target


def main(argv: list[str] | None = None) -> None:
    in_dir, dataset_dir = (Path(a) for a in (argv or sys.argv[1:]))
    params = load_params()
    try:
        target = publish(read_tables(in_dir), dataset_dir, params.version)
    except (ValidationFailed, ReleaseExists) as exc:
        print(f"publish: {exc}", file=sys.stderr)
        sys.exit(1)
    print(f"published {target}")


if __name__ == "__main__":
    main()
