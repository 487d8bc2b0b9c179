"""Validated tables -> `dataset/<version>/`, atomically.

Writes every table as Parquet (zstd, fixed row groups, no pandas metadata)
and JSON Lines with the same rows in the same order, plus
`datapackage.json` and `croissant.json` (`pipeline.release.catalog`), `schema.json`
(JSON Schema of every record), the dataset card `README.md` with its two
charts (`pipeline.release.card`, `pipeline.release.charts`), `manifest.json` (sha256 and
rows of every file, inputs digest, code version) and the validation
reports. Same inputs and code give the same bytes: no clock, sorted rows.
When the tables are spilled (a `paradip build`) and not too large, the charts
are drawn by a process of their own while this one validates and writes the
tables.
The release is written beside the target (a hidden `.<version>.tmp-<pid>-*`
folder), synced to disk and renamed into place only after it validated, so
a killed build leaves the previous release intact and no partial release;
the next publish removes staging folders whose build is no longer running.
Then the dataset folder's `releases.json` and `CHANGELOG.md` are rewritten
from the release folders (`pipeline.release.releases`).

Used by the publish stage (`pipeline/publish.py`) and `paradip build`.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from concurrent.futures import Future, ProcessPoolExecutor, wait
from contextlib import contextmanager, nullcontext
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.release import semver
from pipeline.core.aside import aside_pool
from pipeline.release.card import BuildInfo, render_card
from pipeline.release.catalog import croissant, datapackage
from pipeline.release.charts import write_charts, write_charts_of_tables
from pipeline.release.jsonl import jsonl_chunks
from pipeline.core.provenance import code_version
from pipeline.release.releases import update_index
from pipeline.resolution.resolver import Tables
from pipeline.core.spill import LazyRows, SpilledTables
from pipeline.core.staging import remove_stale_staging, staging_folder
from pipeline.release.validation import ValidationFailed, validate_tables, write_report
from schemas.derive import json_schemas
from schemas.records import SCHEMA_VERSION

PARQUET_OPTIONS = dict(compression="zstd", compression_level=9, row_group_size=50_000, data_page_size=1 << 20,
                       write_statistics=True, use_dictionary=True, store_schema=False)


class ReleaseExists(Exception):
    pass


def write_parquet(table: pa.Table, path: Path) -> None:
    pq.write_table(table.replace_schema_metadata(None), path, **PARQUET_OPTIONS)


def write_jsonl(table: pa.Table, path: Path) -> None:
    """One `json.dumps(row, ensure_ascii=False)` line per row, rendered columnar (see `pipeline.release.jsonl`)."""
    with path.open("wb") as fh:
        for chunk in jsonl_chunks(table):
            fh.write(chunk)


def _sha256(path: Path) -> str:
    with path.open("rb") as fh:  # streamed: a table's file can be larger than the memory budget
        return hashlib.file_digest(fh, "sha256").hexdigest()


def inputs_digest(documents: pa.Table, quarantine: pa.Table) -> str:
    h = hashlib.sha256()
    for path, sha in sorted(zip(documents.column("source_path").to_pylist(), documents.column("sha256").to_pylist())):
        h.update(f"{path}\x1f{sha}\n".encode())
    for path, sha in sorted(zip(quarantine.column("file").to_pylist(), quarantine.column("sha256").to_pylist())):
        h.update(f"{path}\x1f{sha}\n".encode())
    return h.hexdigest()


def _write_json(path: Path, data: dict, sort_keys: bool = False) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=sort_keys) + "\n", encoding="utf-8")


def _write_release(folder: Path, version: str, date: str | None, arrow: dict[str, pa.Table], report,
                   charts: tuple[Path, Future] | None = None) -> None:
    """Every file of the release into `folder`; `charts`, when given, are being drawn elsewhere (see
    `_charts_aside`)."""
    files: dict[str, dict] = {}
    for name, table in arrow.items():
        write_parquet(table, folder / f"{name}.parquet")
        write_jsonl(table, folder / f"{name}.jsonl")
        for ext in ("parquet", "jsonl"):
            files[f"{name}.{ext}"] = {"rows": table.num_rows}
    _write_json(folder / "datapackage.json", datapackage(version, arrow))
    _write_json(folder / "croissant.json",
                croissant(version, date, list(arrow), {n: _sha256(folder / n) for n in files if n.endswith(".parquet")}))
    _write_json(folder / "schema.json", json_schemas(), sort_keys=True)
    write_report(report, folder)
    rows = LazyRows(arrow)  # row dicts of only the columns the card reads: whole tables would not fit at scale
    info = BuildInfo(version, date, inputs_digest(arrow["documents"], arrow["quarantine"]), code_version(),
                     f"pyarrow {pa.__version__}")
    if charts:
        drawn, names = charts
        extras = names.result()
        for name in extras:
            shutil.copyfile(drawn / name, folder / name)
    else:
        extras = write_charts(rows, version, folder)
    (folder / "README.md").write_text(render_card(arrow, rows, report, info), encoding="utf-8")
    for extra in ("datapackage.json", "croissant.json", "schema.json", "validation.json", "validation.md",
                  "README.md", *extras):
        files[extra] = {}
    for name in files:
        files[name]["sha256"] = _sha256(folder / name)
    manifest = {"version": version, "date": date, "schema_version": SCHEMA_VERSION, "code_version": info.code_version,
                "inputs_sha256": info.inputs_sha256, "files": dict(sorted(files.items()))}
    _write_json(folder / "manifest.json", manifest, sort_keys=True)


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


#: Rows of `event_participants` (the largest table the charts read) up to which the charts are drawn by a
#: process of their own: beyond, that process's row objects would not fit beside validation in 1 GiB.
CHARTS_ASIDE_MAX_ROWS = 200_000


@contextmanager
def _charts_aside(tables: Tables, version: str, aside: ProcessPoolExecutor | None = None):
    """(folder, future of the chart file names): the charts drawn by a process of their own into a
    temporary folder, while this one validates and writes the tables (a second core is free once
    extraction is done); None for tables held in memory or too large, which are drawn here (sharing
    the card's figures). Spilled tables travel as their folder: nothing is copied. `aside` is a side
    process already started (`pipeline.core.aside.aside_pool`), else one is started here."""
    if not isinstance(tables, SpilledTables) or tables.rows.get("event_participants", 0) > CHARTS_ASIDE_MAX_ROWS:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="paradip-charts-") as folder, \
            (nullcontext(aside) if aside else aside_pool()) as pool:
        drawn = pool.submit(write_charts_of_tables, tables, version, Path(folder))
        try:
            yield Path(folder), drawn
        finally:
            wait([drawn])  # the folder is removed once the side process no longer writes into it


def publish(tables: Tables, dataset_dir: Path, version: str, date: str | None = None,
            inputs: list[str] | None = None, aside: ProcessPoolExecutor | None = None) -> Path:
    """Validate and publish, then index the dataset folder; returns the release folder.

    `inputs` is the ingest inventory: every entry must be published or quarantined exactly once.
    `aside` is a side process for the charts, already started (else one is started when useful).
    Raises `ValidationFailed` or `ReleaseExists`, and `ValueError` for a version that is not X.Y.Z."""
    semver.parse(version)
    with _charts_aside(tables, version, aside) as charts:
        arrow, report = validate_tables(tables, inputs)
        if not report.ok:
            raise ValidationFailed(report)
        return _publish_valid(arrow, report, dataset_dir, version, date, charts)


def _publish_valid(arrow: dict[str, pa.Table], report, dataset_dir: Path, version: str, date: str | None,
                   charts: tuple[Path, Future] | None) -> Path:
    dataset_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(dataset_dir)
    target = dataset_dir / version
    staging = staging_folder(dataset_dir, version)
    exists = ReleaseExists(f"release {version} already exists in {dataset_dir} with different content: "
                           f"bump release.version in params.yaml (or delete {target} if it was never shared)")
    try:
        _write_release(staging, version, date, arrow, report, charts)
        os.chmod(staging, 0o755)
        if target.exists():
            if not _same_release(staging, target):
                raise exists
        else:
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
    update_index(dataset_dir)
    return target
