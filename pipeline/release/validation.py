"""Resolved rows -> typed Arrow tables, or a failure report.

Every row becomes its Pydantic record (field and row rules), then every
table is checked by its derived Pandera schema, lazily, so one run reports
all failures (table, column, check, offending rows). Given the ingest
inventory, it also checks that every input entry is accounted for exactly
once: a `documents` row or a `quarantine` row, nothing missing, nothing
extra. The report is written as `validation.json` and `validation.md`; any
failure exits non-zero and nothing is published.

Used by the validate stage (`pipeline/validate.py`), publishing and `paradip validate`.
"""
from __future__ import annotations

import functools
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import pyarrow as pa_arrow
import pyarrow.compute as pc
from pydantic import TypeAdapter, ValidationError

from pipeline.resolution.resolver import ROW_RULES_CHECKED, Tables, repeats_previous
from pipeline.core.spill import SpilledTables, read_columns
from schemas.derive import arrow_schema
from schemas.pandera_schemas import table_schema
from schemas.records import MODELS_BY_TABLE, SCHEMA_VERSION, SPAN_TABLES, TABLE_MODELS


@dataclass
class ValidationReport:
    tables: dict[str, dict] = field(default_factory=dict)
    failures: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    def to_json(self) -> str:
        return json.dumps({"schema_version": SCHEMA_VERSION, "ok": self.ok, "tables": self.tables,
                           "failures": self.failures}, indent=2, ensure_ascii=False, sort_keys=True, default=str) + "\n"

    def to_markdown(self) -> str:
        lines = [f"# Validation report (schema {SCHEMA_VERSION})", "",
                 f"**{'PASSED' if self.ok else 'FAILED'}**: {len(self.failures)} failure(s).", "",
                 "| table | rows | failures |", "|---|---:|---:|"]
        for name, info in self.tables.items():
            lines.append(f"| {name} | {info['rows']} | {info['failures']} |")
        if self.failures:
            lines += ["", "## Failures", "", "| table | column | check | row | value |", "|---|---|---|---|---|"]
            for f in self.failures[:200]:
                lines.append(f"| {f['table']} | {f['column']} | {f['check']} | {f['row']} | {_shown(f['value'])} |")
        return "\n".join(lines) + "\n"

    def summary(self) -> str:
        rows = ", ".join(f"{n} {i['rows']}" for n, i in self.tables.items())
        head = "validation passed" if self.ok else f"validation FAILED with {len(self.failures)} failure(s)"
        out = [f"{head}: {rows}"]
        for f in self.failures[:20]:
            where = f"{f['table']}.{f['column']}" + ("" if f["row"] is None else f" row {f['row']}")
            out.append(f"  {where}: {f['check']} (value {_shown(f['value'])!r})")
        return "\n".join(out)


#: characters of a failing value shown in a report: a whole file path, not a whole article
SHOWN_CHARS = 200


def _shown(value) -> str:
    text = str(value)
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS - 1] + "…"


class ValidationFailed(Exception):
    def __init__(self, report: ValidationReport):
        super().__init__(report.summary())
        self.report = report


def _column(table: "pa_arrow.Table | list[dict]", column: str) -> list:
    return [row[column] for row in table] if isinstance(table, list) else table.column(column).to_pylist()


def inputs_failures(tables: Tables, inputs: list[str]) -> list[dict]:
    """Input entries not accounted for exactly once by a `documents` or a `quarantine` row."""
    inventory = Counter(inputs)
    outcomes = Counter(_column(tables.get("documents", []), "source_path"))
    outcomes.update(_column(tables.get("quarantine", []), "file"))
    problems = [(name, "input entry neither published (documents) nor quarantined")
                for name in sorted(inventory - outcomes)]
    problems += [(name, "published or quarantined, but not an entry of the input folder")
                 for name in sorted(outcomes - inventory) if name not in inventory]
    problems += [(name, f"accounted for {outcomes[name]} times (documents + quarantine), not once")
                 for name in sorted(outcomes) if outcomes[name] > 1 and name in inventory]
    return [{"table": "inputs", "column": "file", "check": f"inputs_accounted: {why}", "row": None, "value": name}
            for name, why in problems]


#: Rows per Pandera frame: bounds validation memory on large tables.
VALIDATE_CHUNK_ROWS = 100_000
#: Rows validated as one list of Pydantic records. Small lists are the fastest: their row dicts and records
#: stay in the CPU caches, and too few objects live at once to start the garbage collector's passes over
#: the build's heap (a list of 16,384 rows was slower than one row at a time).
RECORDS_CHUNK_ROWS = 256


def _row_failures(model, exc: ValidationError, row_number: int) -> list[dict]:
    """One failure per error of one row's Pydantic record, named by the row's number in its table."""
    return [{"table": model.table.name, "column": ".".join(map(str, err["loc"])) or "(row)",
             "check": err["type"] + ": " + err["msg"], "row": row_number, "value": err.get("input")}
            for err in exc.errors()]


def _row_chunks(table: "pa_arrow.Table | list[dict]"):
    """(number of the first row, list of row dicts) a chunk of `RECORDS_CHUNK_ROWS` at a time."""
    if isinstance(table, list):
        for offset in range(0, len(table), RECORDS_CHUNK_ROWS):
            yield offset, table[offset:offset + RECORDS_CHUNK_ROWS]
        return
    offset = 0
    for batch in table.to_batches(max_chunksize=RECORDS_CHUNK_ROWS):
        yield offset, batch.to_pylist()
        offset += batch.num_rows


@functools.cache
def _records_adapter(model) -> TypeAdapter:
    return TypeAdapter(list[model])


def _pydantic_failures(model, table: "pa_arrow.Table | list[dict]", report: "ValidationReport"):
    """Row rules: every row through its Pydantic record, a chunk at a time; yields the valid records
    when `table` is a list of dicts (an Arrow table is already typed and kept as it is).

    A chunk is validated as one list (one call into pydantic-core); only a chunk that fails is validated
    again row by row, to name each failing row and keep the valid records."""
    for offset, rows in _row_chunks(table):
        try:
            records = _records_adapter(model).validate_python(rows)
        except ValidationError:
            records = []
            for i, row in enumerate(rows):
                try:
                    records.append(model.model_validate(row))
                except ValidationError as exc:
                    report.failures.extend(_row_failures(model, exc, offset + i))
        if isinstance(table, list):
            yield from (record.model_dump() for record in records)


def _row_rules_checked(table: "pa_arrow.Table | list[dict]") -> bool:
    """An Arrow table whose rows all passed their Pydantic records where they were made (the workers)."""
    metadata = {} if isinstance(table, list) else (table.schema.metadata or {})
    return all(metadata.get(k.encode()) == v.encode() for k, v in ROW_RULES_CHECKED.items())


def _typed(model, table: "pa_arrow.Table | list[dict]", report: "ValidationReport") -> pa_arrow.Table:
    if _row_rules_checked(table):
        return table
    records = list(_pydantic_failures(model, table, report))
    if isinstance(table, list):
        return pa_arrow.Table.from_pylist(records, schema=arrow_schema(model))
    return table


def _reference_frames(name: str, arrow: dict[str, pa_arrow.Table]) -> dict[str, pd.DataFrame]:
    """What table `name`'s schema needs of the other tables: the distinct values of the columns its foreign
    keys and required children point to, and the documents' lengths for spans."""
    spec = MODELS_BY_TABLE[name].table
    needed: dict[str, set[str]] = {}
    for fk in spec.foreign_keys:
        needed.setdefault(fk.ref_table, set()).update(fk.ref_columns)
    for child, child_column in spec.required_children:
        needed.setdefault(child, set()).add(child_column)
    if name in SPAN_TABLES:
        needed.setdefault("documents", set()).update(("doc_id", "text_length"))
    frames = {}
    for ref, cols in needed.items():
        if ref == name or ref not in arrow:
            continue
        table = read_columns(arrow, ref, sorted(cols))
        frames[ref] = (table if len(cols) > 1 else pa_arrow.table({c: pc.unique(table.column(c)) for c in cols})
                       ).to_pandas()
    return frames


def _duplicate_keys(name: str, table: pa_arrow.Table) -> int:
    """Rows repeating a primary key across the whole table (Pandera sees one chunk at a time): sorted by
    the key, a repeat equals the row before it (one key column in memory at a time)."""
    pk = list(MODELS_BY_TABLE[name].table.primary_key)
    indices = pc.sort_indices(table.select(pk), sort_keys=[(c, "ascending") for c in pk])
    return pc.sum(repeats_previous(indices, [table.column(c) for c in pk])).as_py() or 0


def _pandera_failures(name: str, table: pa_arrow.Table, arrow: dict[str, pa_arrow.Table],
                      report: "ValidationReport") -> None:
    """Table rules: the derived Pandera schema, chunk by chunk (row numbers stay those of the whole table)."""
    references = _reference_frames(name, arrow)
    spec = MODELS_BY_TABLE[name].table
    # a table whose foreign key points into itself is checked whole: the key may sit in another chunk
    chunk = table.num_rows if any(fk.ref_table == name for fk in spec.foreign_keys) else VALIDATE_CHUNK_ROWS
    for offset in range(0, max(table.num_rows, 1), max(chunk, 1)):
        frame = table.slice(offset, max(chunk, 1)).to_pandas()
        frame.index = pd.RangeIndex(offset, offset + len(frame))
        frames = {**references, name: frame}
        try:
            table_schema(MODELS_BY_TABLE[name], frames).validate(frame, lazy=True)
        except pa.errors.SchemaErrors as exc:
            for rec in exc.failure_cases.to_dict("records"):
                idx = rec.get("index")
                report.failures.append({"table": name, "column": rec.get("column") or "(table)",
                                        "check": str(rec.get("check")),
                                        "row": None if idx is None or idx != idx else int(idx),
                                        "value": rec.get("failure_case")})
    repeats = _duplicate_keys(name, table) if table.num_rows > chunk else 0
    if repeats:
        report.failures.append({"table": name, "column": "(table)", "check": "primary_key_unique_across_chunks",
                                "row": None, "value": repeats})


def validate_tables(tables: Tables, inputs: list[str] | None = None,
                    ) -> tuple[dict[str, pa_arrow.Table], ValidationReport]:
    """Typed Arrow tables and the report; the tables are only usable when `report.ok`.
    With `inputs` (the ingest inventory), also checks inputs = published + quarantined.

    `tables` holds lists of row dicts or Arrow tables of the release schema (as `pipeline.resolution.resolver` builds
    them), or is a `SpilledTables` mapping, then returned as it is (tables are read when used).
    """
    report = ValidationReport()
    if inputs is not None:
        report.failures.extend(inputs_failures(tables, inputs))
    spilled = isinstance(tables, SpilledTables)  # typed already: read one table at a time, keep none
    arrow = tables if spilled else {m.table.name: _typed(m, tables.get(m.table.name, []), report)
                                    for m in TABLE_MODELS}
    for model in TABLE_MODELS:
        name = model.table.name
        table = _typed(model, arrow[name], report) if spilled else arrow[name]
        _pandera_failures(name, table, arrow, report)
        report.tables[name] = {"rows": table.num_rows, "failures": 0}
        del table
    for name in report.tables:
        report.tables[name]["failures"] = sum(1 for f in report.failures if f["table"] == name)
    return arrow, report


def write_report(report: ValidationReport, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "validation.json").write_text(report.to_json(), encoding="utf-8")
    (out_dir / "validation.md").write_text(report.to_markdown(), encoding="utf-8")


def read_inputs(path: Path) -> list[str]:
    return json.loads(path.read_text(encoding="utf-8"))
