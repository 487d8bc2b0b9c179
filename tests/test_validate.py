"""Row validation in bulk reports exactly what one Pydantic record per row reports: the same failures
(table, column, check, row, value) for bad rows in any chunk, and the same valid records for row dicts;
Pandera names every span that does not end inside its document."""
from __future__ import annotations

import pyarrow as pa
import pytest
from pydantic import ValidationError

import pipeline.release.validation as validate_module
from pipeline.release.validation import ValidationReport, _pydantic_failures, validate_tables
from schemas.records import MODELS_BY_TABLE


def _one_record_per_row(model, rows: list[dict]) -> list[dict]:
    failures = []
    for i, row in enumerate(rows):
        try:
            model.model_validate(row)
        except ValidationError as exc:
            failures += [{"table": model.table.name, "column": ".".join(map(str, e["loc"])) or "(row)",
                          "check": e["type"] + ": " + e["msg"], "row": i, "value": e.get("input")}
                         for e in exc.errors()]
    return failures


def _broken_events(events: pa.Table) -> list[dict]:
    rows = events.to_pylist()
    dated = max(i for i, row in enumerate(rows) if row["date_start"] is not None and i not in (1, len(rows) - 2))
    rows[1]["event_type"] = "party"  # a field rule
    rows[dated]["date_end"], rows[dated]["date_start"] = rows[dated]["date_start"], None  # a row rule
    rows[-2]["cameo_code"] = "999"
    return rows


@pytest.mark.parametrize("chunk", [3, 1 << 14])
def test_bulk_row_validation_reports_the_failures_of_one_record_per_row(seed_release, monkeypatch, chunk):
    monkeypatch.setattr(validate_module, "RECORDS_CHUNK_ROWS", chunk)
    model = MODELS_BY_TABLE["events"]
    rows = _broken_events(seed_release.arrow["events"])
    report = ValidationReport()
    list(_pydantic_failures(model, pa.Table.from_pylist(rows, schema=seed_release.arrow["events"].schema), report))
    expected = _one_record_per_row(model, rows)
    dated = max(i for i, row in enumerate(rows) if row["date_end"] is not None and row["date_start"] is None)
    assert {f["row"] for f in expected} == {1, len(rows) - 2, dated}
    assert report.failures == expected


def test_bulk_row_validation_keeps_the_valid_records_of_row_dicts(seed_release, monkeypatch):
    monkeypatch.setattr(validate_module, "RECORDS_CHUNK_ROWS", 3)
    model = MODELS_BY_TABLE["events"]
    rows = _broken_events(seed_release.arrow["events"])
    report = ValidationReport()
    records = list(_pydantic_failures(model, rows, report))
    bad = {f["row"] for f in report.failures}
    assert records == [model.model_validate(r).model_dump() for i, r in enumerate(rows) if i not in bad]


def test_a_span_past_the_end_of_its_document_or_of_no_document_is_named_by_row(seed_release):
    mentions, documents = seed_release.arrow["mentions"], seed_release.arrow["documents"]
    lengths = dict(zip(documents.column("doc_id").to_pylist(), documents.column("text_length").to_pylist()))
    doc_ids, ends = mentions.column("doc_id").to_pylist(), mentions.column("char_end").to_pylist()
    last = mentions.num_rows - 1
    ends[0] = lengths[doc_ids[0]]  # ends at the last character: inside
    doc_ids[1] = "doc_nowhere"
    ends[last] = lengths[doc_ids[last]] + 1
    broken = mentions.set_column(mentions.schema.get_field_index("doc_id"), "doc_id", pa.array(doc_ids))
    broken = broken.set_column(broken.schema.get_field_index("char_end"), "char_end", pa.array(ends))
    _, report = validate_tables(dict(seed_release.arrow, mentions=broken))
    outside = [(f["column"], f["row"], f["value"]) for f in report.failures if f["check"] == "span_inside_document"]
    assert outside == [("char_end", 1, ends[1]), ("char_end", last, ends[last])]
