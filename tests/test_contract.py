"""The release contract in `docs/CONTRACT.md` and the schema in `schemas/records.py` agree: every table and
column of the Pydantic models is in the contract, and every one the contract lists is in the models."""
from __future__ import annotations

import re

from conftest import ROOT
from schemas.records import SCHEMA_VERSION, TABLE_MODELS

CONTRACT = ROOT / "docs" / "CONTRACT.md"


def contract_tables(markdown: str) -> dict[str, set[str]]:
    """Table name -> its columns, from each `### name` heading and the first cell of its table's rows."""
    tables: dict[str, set[str]] = {}
    current = None
    for line in markdown.splitlines():
        if heading := re.match(r"### (\w+)", line):
            current = tables.setdefault(heading.group(1), set())
        elif current is not None and line.startswith("| ") and not line.startswith("| column"):
            cell = re.sub(r"\(.*?\)", "", line.split("|")[1])
            current.update(c.strip() for c in cell.split(",") if c.strip())
    return tables


def test_contract_lists_exactly_the_tables_and_columns_of_the_models():
    documented = contract_tables(CONTRACT.read_text(encoding="utf-8"))
    models = {m.table.name: set(m.model_fields) for m in TABLE_MODELS}
    assert sorted(documented) == sorted(models)
    assert {t: sorted(models[t] - documented[t]) for t in models if models[t] - documented[t]} == {}
    assert {t: sorted(documented[t] - models[t]) for t in models if documented[t] - models[t]} == {}


def test_contract_names_the_schema_version():
    assert f"schema version {SCHEMA_VERSION}" in CONTRACT.read_text(encoding="utf-8")


def test_the_parser_reads_keys_and_paired_columns():
    text = "### t\n| column | type |\n|---|---|\n| a (PK) | string |\n| b_start, b_end | int64 |\n"
    assert contract_tables(text) == {"t": {"a", "b_start", "b_end"}}
