"""Pandera schemas of the release tables, derived from the Pydantic models.

`release_schemas(frames)` builds one `DataFrameSchema` per table with:
column types and nullability, enum values, non-empty strings, code lists
(`codes`: ISO 3166 codes that pycountry knows), number bounds (`minimum`,
`maximum`: coordinates in range), primary-key uniqueness, foreign keys (named `fk_<column>`), required child rows
(`has_<child>`), and spans that stay inside their document. Foreign keys need
the other tables, so the schemas are built against a set of frames.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow
import pyarrow.compute as pc

from schemas.derive import ColumnSpec, columns
from schemas.records import MODELS_BY_TABLE, SPAN_TABLES, TABLE_MODELS, Record


def _is_date(value) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


# Python's whitespace, what str.strip removes (every c with chr(c).isspace(); a test keeps it in step);
# a value passes when it has any other character.
PY_WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
                 "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")


def _non_empty_strings(s: pd.Series) -> pd.Series:
    """`isinstance(v, str) and v.strip() != ""` per value; on an Arrow-backed string column, one Arrow
    trim of those characters (pandas' regex path costs several times more)."""
    if _arrow_strings(s):
        stripped = pc.utf8_trim(pyarrow.array(s.array), characters=PY_WHITESPACE)
        found = pc.fill_null(pc.greater(pc.utf8_length(stripped), 0), False)
        return pd.Series(found.to_numpy(zero_copy_only=False), index=s.index, name=s.name)
    return s.map(lambda v: isinstance(v, str) and v.strip() != "")


def _column_checks(col: ColumnSpec) -> list[pa.Check]:
    checks: list[pa.Check] = []
    if col.base is str:
        checks.append(pa.Check(_non_empty_strings, element_wise=False, name="non_empty_string"))
        if col.enum_values:
            checks.append(pa.Check.isin(list(col.enum_values), name="enum"))
        if col.codes:
            checks.append(pa.Check(lambda v, codes=col.codes: isinstance(v, str) and codes.contains(v),
                                   element_wise=True, name="codes"))
    elif col.base in (int, float):
        if col.base is int and col.nullable:  # a null makes pandas hold the column as floats
            checks.append(pa.Check(lambda s: s == s.round(), name="whole_number"))
        if col.minimum is not None:
            checks.append(pa.Check.ge(col.minimum))
        if col.maximum is not None:
            checks.append(pa.Check.le(col.maximum))
    elif col.base is dt.date:
        checks.append(pa.Check(lambda s: s.map(_is_date), name="is_date"))
    elif col.base is list:
        allowed = set(col.enum_values or ())
        checks.append(pa.Check(
            lambda s: s.map(lambda v: v is not None and all(isinstance(x, str) and x and (not allowed or x in allowed)
                                                           for x in v)),
            name="list_of_allowed_strings" if allowed else "list_of_strings"))
    return checks


def _dtype(col: ColumnSpec):
    if col.base is float:
        return "float64"
    return "int64" if col.base is int and not col.nullable else None


def _arrow_strings(s: pd.Series) -> bool:
    return isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow"


def _is_in(s: pd.Series, keys: pd.Series) -> pd.Series:
    """`s.isin(set(keys))`; on an Arrow-backed string column one Arrow `is_in` against the string keys
    (pandas would turn every key into an Arrow scalar and back, the slowest step of validating a large
    release)."""
    if not _arrow_strings(s):
        return s.isin(set(keys.tolist()))
    values = pyarrow.array(s.array)
    strings = (pyarrow.array(keys.array).cast(values.type) if _arrow_strings(keys) else
               pyarrow.array([k for k in keys.tolist() if isinstance(k, str)], type=values.type))
    found = pc.fill_null(pc.is_in(values, value_set=strings), False)
    return pd.Series(found.to_numpy(zero_copy_only=False), index=s.index, name=s.name)


class _DocumentLengths:
    """`text_length` by `doc_id` of a documents frame, looked up as a dict of them would be (the last row
    of a repeated id wins; an unknown id or a null length gives -1)."""

    def __init__(self, documents: pd.DataFrame):
        self.doc_ids = pyarrow.array(documents["doc_id"].array, type=pyarrow.string())[::-1]
        self.lengths = pyarrow.array(documents["text_length"], from_pandas=True)[::-1]

    def of(self, doc_ids: pd.Series) -> np.ndarray:
        positions = pc.index_in(pyarrow.array(doc_ids.array, type=pyarrow.string()), value_set=self.doc_ids,
                                skip_nulls=True)
        return pc.fill_null(self.lengths.take(positions), -1).to_numpy(zero_copy_only=False)


def _keys(frame: pd.DataFrame, column: str) -> pd.Series:
    """The non-null values of a frame's column (none when the frame lacks it)."""
    return frame[column].dropna() if column in frame else pd.Series(dtype=object)


def table_schema(model: type[Record], frames: dict[str, pd.DataFrame]) -> pa.DataFrameSchema:
    """The Pandera schema of one table, checked against the other `frames`."""
    spec = model.table
    cols: dict[str, pa.Column] = {}
    for col in columns(model):
        checks = _column_checks(col)
        for fk in spec.foreign_keys:
            if fk.columns == (col.name,) and fk.ref_table in frames:
                ids = _keys(frames[fk.ref_table], fk.ref_columns[0])
                checks.append(pa.Check(lambda s, ids=ids: _is_in(s, ids), ignore_na=True, name=f"fk_{col.name}"))
        for child, child_column in spec.required_children:
            if col.name == spec.primary_key[0] and child in frames:
                have = _keys(frames[child], child_column)
                checks.append(pa.Check(lambda s, have=have: _is_in(s, have), name=f"has_{child}"))
        if spec.name in SPAN_TABLES and col.name == "char_end" and "documents" in frames:
            doc_ids = frames[spec.name]["doc_id"] if spec.name in frames else pd.Series(dtype=object)
            checks.append(pa.Check(lambda s, lengths=_DocumentLengths(frames["documents"]), doc_ids=doc_ids:
                                   s <= lengths.of(doc_ids.loc[s.index]), name="span_inside_document"))
        cols[col.name] = pa.Column(_dtype(col), nullable=col.nullable, checks=checks, coerce=False)
    frame_checks = []
    if spec.name == "events":
        frame_checks.append(pa.Check(
            lambda df: df["date_end"].isna() | df["date_start"].isna() | (df["date_start"] <= df["date_end"]),
            name="date_start_not_after_date_end"))
    if any(c.name in ("char_start", "char_end") for c in columns(model)):
        frame_checks.append(pa.Check(lambda df: df["char_start"] < df["char_end"], name="span_not_empty"))
    return pa.DataFrameSchema(cols, checks=frame_checks, unique=list(spec.primary_key), strict=True,
                              ordered=True, name=spec.name, report_duplicates="all")


def release_schemas(frames: dict[str, pd.DataFrame]) -> dict[str, pa.DataFrameSchema]:
    """One schema per table present in `frames`."""
    return {m.table.name: table_schema(m, frames) for m in TABLE_MODELS if m.table.name in frames}


__all__ = ["release_schemas", "table_schema", "MODELS_BY_TABLE"]
