"""Arrow, JSON Schema and Frictionless schemas derived from the Pydantic models.

Nothing here names a column: every schema is computed from `schemas.records`,
so a column added to a model appears everywhere at once (and a drift test
checks the published files against these).
"""
from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass
from enum import Enum

import annotated_types
import pyarrow as pa

from schemas.records import SCHEMA_VERSION, TABLE_MODELS, CodeList, Record


@dataclass(frozen=True)
class ColumnSpec:
    """One column as every derived schema sees it."""

    name: str
    base: type  # str, int, float, dt.date or list
    nullable: bool
    enum_values: tuple[str, ...] | None  # allowed values of the column (or of list items)
    description: str | None
    minimum: float | None = None  # inclusive bounds of a number column (the model's `ge` and `le`)
    maximum: float | None = None
    codes: CodeList | None = None  # the code list a string column's values belong to


def _unwrap(annotation) -> tuple[object, bool]:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return args[0], True
    return annotation, False


def columns(model: type[Record]) -> list[ColumnSpec]:
    """The columns of a table, in model field order."""
    out = []
    for name, info in model.model_fields.items():
        annotation, nullable = _unwrap(info.annotation)
        enum_values = None
        if typing.get_origin(annotation) is list:
            (item,) = typing.get_args(annotation)
            base = list
            if isinstance(item, type) and issubclass(item, Enum):
                enum_values = tuple(e.value for e in item)
        elif isinstance(annotation, type) and issubclass(annotation, Enum):
            base, enum_values = str, tuple(e.value for e in annotation)
        elif annotation in (str, int, float, dt.date):
            base = annotation
        else:
            raise TypeError(f"{model.__name__}.{name}: unsupported annotation {annotation!r}")
        minimum = next((m.ge for m in info.metadata if isinstance(m, annotated_types.Ge)), None)
        maximum = next((m.le for m in info.metadata if isinstance(m, annotated_types.Le)), None)
        codes = next((m for m in info.metadata if isinstance(m, CodeList)), None)
        out.append(ColumnSpec(name, base, nullable, enum_values, info.description, minimum, maximum, codes))
    return out


_ARROW_TYPES = {str: pa.string(), int: pa.int64(), float: pa.float64(), dt.date: pa.date32(),
                list: pa.list_(pa.string())}


def arrow_schema(model: type[Record]) -> pa.Schema:
    """The fixed Arrow schema a table is written with (no pandas metadata)."""
    return pa.schema([pa.field(c.name, _ARROW_TYPES[c.base], nullable=c.nullable) for c in columns(model)])


# Frictionless reads Parquet through pandas, which hands list cells over as numpy arrays
# that its `array` type rejects: list columns are declared `any` and described.
_FRICTIONLESS_TYPES = {str: "string", int: "integer", float: "number", dt.date: "date", list: "any"}


def frictionless_schema(model: type[Record]) -> dict:
    """Frictionless Table Schema of a table, with primary and foreign keys."""
    spec = model.table
    fields = []
    for c in columns(model):
        field: dict = {"name": c.name, "type": _FRICTIONLESS_TYPES[c.base]}
        if c.description:
            field["description"] = c.description
        if c.base is list:
            field["description"] = "list of strings" + (f" from {list(c.enum_values)}" if c.enum_values else "")
        constraints: dict = {}
        if not c.nullable and c.base is not list:
            constraints["required"] = True
        if c.enum_values and c.base is str:
            constraints["enum"] = list(c.enum_values)
        if c.minimum is not None:
            constraints["minimum"] = c.minimum
        if c.maximum is not None:
            constraints["maximum"] = c.maximum
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    schema: dict = {"fields": fields, "primaryKey": list(spec.primary_key)}
    # pandas, through which Frictionless reads Parquet, makes a null number NaN, which Frictionless reads as
    # the text "nan": a table with a nullable number column counts that text as missing, as it counts "".
    if any(c.base in (int, float) and c.nullable for c in columns(model)):
        schema["missingValues"] = ["", "nan"]
    fks = [
        {"fields": list(fk.columns),
         "reference": {"resource": "" if fk.ref_table == spec.name else fk.ref_table, "fields": list(fk.ref_columns)}}
        for fk in spec.foreign_keys
    ]
    if fks:
        schema["foreignKeys"] = fks
    return schema


def json_schemas() -> dict:
    """JSON Schema of one record of every table, keyed by table name."""
    return {
        "$comment": f"paradip release schema {SCHEMA_VERSION}, exported from the Pydantic models",
        "tables": {m.table.name: m.model_json_schema() for m in TABLE_MODELS},
    }
