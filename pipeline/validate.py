"""Stage 4, validate: resolved rows -> typed Arrow tables, or a failure report.

Every row becomes its Pydantic record (field and row rules), then every
table is checked by its derived Pandera schema, lazily, so one run reports
all failures (table, column, check, offending rows). Given the ingest
inventory, it also checks that every input entry is accounted for exactly
once: a `documents` row or a `quarantine` row, nothing missing, nothing
extra. The report is written as `validation.json` and `validation.md`; any
failure exits non-zero and nothing is published.

    python -m pipeline.validate RESOLVED_DIR OUT_DIR [INPUTS_JSON]
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandera.pandas as pa
import pyarrow as pa_arrow
from pydantic import ValidationError

from pipeline.resolve import Tables, read_tables
from schemas.derive import arrow_schema
from schemas.pandera_schemas import release_schemas
from schemas.records import SCHEMA_VERSION, TABLE_MODELS


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
                lines.append(f"| {f['table']} | {f['column']} | {f['check']} | {f['row']} | {str(f['value'])[:80]} |")
        return "\n".join(lines) + "\n"

    def summary(self) -> str:
        rows = ", ".join(f"{n} {i['rows']}" for n, i in self.tables.items())
        head = "validation passed" if self.ok else f"validation FAILED with {len(self.failures)} failure(s)"
        out = [f"{head}: {rows}"]
        for f in self.failures[:20]:
            where = f"{f['table']}.{f['column']}" + ("" if f["row"] is None else f" row {f['row']}")
            out.append(f"  {where}: {f['check']} (value {str(f['value'])[:60]!r})")
        return "\n".join(out)


class ValidationFailed(Exception):
    def __init__(self, report: ValidationReport):
        super().__init__(report.summary())
        self.report = report


def inputs_failures(tables: Tables, inputs: list[str]) -> list[dict]:
    """Input entries not accounted for exactly once by a `documents` or a `quarantine` row."""
    inventory = Counter(inputs)
    outcomes = Counter(row["source_path"] for row in tables.get("documents", []))
    outcomes.update(row["file"] for row in tables.get("quarantine", []))
    problems = [(name, "input entry neither published (documents) nor quarantined")
                for name in sorted(inventory - outcomes)]
    problems += [(name, "published or quarantined, but not an entry of the input folder")
                 for name in sorted(outcomes - inventory) if name not in inventory]
    problems += [(name, f"accounted for {outcomes[name]} times (documents + quarantine), not once")
                 for name in sorted(outcomes) if outcomes[name] > 1 and name in inventory]
    return [{"table": "inputs", "column": "file", "check": f"inputs_accounted: {why}", "row": None, "value": name}
            for name, why in problems]


def validate_tables(tables: Tables, inputs: list[str] | None = None,
                    ) -> tuple[dict[str, pa_arrow.Table], ValidationReport]:
    """Typed Arrow tables and the report; the tables are only usable when `report.ok`.
    With `inputs` (the ingest inventory), also checks inputs = published + quarantined."""
    report = ValidationReport()
    if inputs is not None:
        report.failures.extend(inputs_failures(tables, inputs))
    arrow: dict[str, pa_arrow.Table] = {}
    for model in TABLE_MODELS:
        name = model.table.name
        records = []
        for i, row in enumerate(tables.get(name, [])):
            try:
                records.append(model.model_validate(row).model_dump())
            except ValidationError as exc:
                for err in exc.errors():
                    report.failures.append({"table": name, "column": ".".join(map(str, err["loc"])) or "(row)",
                                            "check": err["type"] + ": " + err["msg"], "row": i,
                                            "value": err.get("input")})
        arrow[name] = pa_arrow.Table.from_pylist(records, schema=arrow_schema(model))
    frames = {name: table.to_pandas() for name, table in arrow.items()}
    for name, schema in release_schemas(frames).items():
        try:
            schema.validate(frames[name], lazy=True)
            count = 0
        except pa.errors.SchemaErrors as exc:
            cases = exc.failure_cases
            count = len(cases)
            for rec in cases.to_dict("records"):
                idx = rec.get("index")
                report.failures.append({"table": name, "column": rec.get("column") or "(table)",
                                        "check": str(rec.get("check")),
                                        "row": None if idx is None or idx != idx else int(idx),
                                        "value": rec.get("failure_case")})
        report.tables[name] = {"rows": len(frames[name]), "failures": count}
    for name in report.tables:
        report.tables[name]["failures"] = sum(1 for f in report.failures if f["table"] == name)
    return arrow, report


def write_report(report: ValidationReport, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "validation.json").write_text(report.to_json(), encoding="utf-8")
    (out_dir / "validation.md").write_text(report.to_markdown(), encoding="utf-8")


def read_inputs(path: Path) -> list[str]:
    return json.loads(path.read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> None:
    in_dir, out_dir, *inputs_file = (Path(a) for a in (argv or sys.argv[1:]))
    inputs = read_inputs(inputs_file[0]) if inputs_file else None
    tables = read_tables(in_dir)
    _, report = validate_tables(tables, inputs)
    write_report(report, out_dir)
    if inputs is not None:
        print(f"inputs: {len(inputs)} entries = {len(tables['documents'])} published + "
              f"{len(tables['quarantine'])} quarantined" + ("" if report.ok else " (see failures)"))
    print(report.summary())
    if not report.ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
