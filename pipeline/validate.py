"""Stage 4, validate: the resolved tables -> `validation.json` and `validation.md`; exit 1 on any failure.

    python -m pipeline.validate build/resolve build/validate [build/ingest/inputs.json]

Checks every row with its Pydantic record and every table with its Pandera schema, and, given the
ingest inventory, that every input entry is published or quarantined exactly once. The checks are
`pipeline.release.validation.validate_tables`.
"""
from __future__ import annotations

import sys
from pathlib import Path

from pipeline.release.validation import read_inputs, validate_tables, write_report
from pipeline.resolution.resolver import read_tables


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
