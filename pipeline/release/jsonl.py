"""JSON Lines of an Arrow table, built column by column with Arrow compute.

Produces exactly the bytes of `json.dumps(row, ensure_ascii=False) + "\\n"`
per row (keys in column order, `", "` and `": "` separators, dates as ISO
strings, non-ASCII kept, the same escapes as Python's encoder), without a
Python object per row: every column is rendered as an array of JSON
fragments (each distinct value once), fragments are joined into lines, and
a batch's lines go to the file as one buffer. Memory is bounded by the
batch size.
"""
from __future__ import annotations

import json
from collections.abc import Iterator

import pyarrow as pa
import pyarrow.compute as pc

#: Rows rendered at a time.
JSONL_BATCH_ROWS = 65_536

# Python's encoder escapes exactly these; every other character is written as is (ensure_ascii=False).
_SHORT_ESCAPES = (("\\", "\\\\"), ('"', '\\"'), ("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t"), ("\b", "\\b"),
                  ("\f", "\\f"))
_OTHER_CONTROLS = [chr(c) for c in range(0x20) if chr(c) not in "\n\r\t\b\f"]
_OTHER_CONTROL_PATTERN = "[" + "".join(f"\\x{ord(c):02x}" for c in _OTHER_CONTROLS) + "]"
_NEEDS_ESCAPE = r'[\x00-\x1f"\\]'


def _escaped(strings: pa.Array) -> pa.Array:
    if not pc.any(pc.match_substring_regex(strings, _NEEDS_ESCAPE)).as_py():
        return strings
    for raw, escaped in _SHORT_ESCAPES:
        strings = pc.replace_substring(strings, raw, escaped)
    if pc.any(pc.match_substring_regex(strings, _OTHER_CONTROL_PATTERN)).as_py():
        for char in _OTHER_CONTROLS:
            strings = pc.replace_substring(strings, char, f"\\u{ord(char):04x}")
    return strings


def _quoted(strings: pa.Array) -> pa.Array:
    return pc.binary_join_element_wise('"', _escaped(strings), '"', "")


def _per_distinct(column: pa.Array, render) -> pa.Array:
    """`render(column)`, rendering each distinct value once (ids, names and dates repeat across rows)."""
    encoded = column.dictionary_encode()
    return render(encoded.dictionary).take(encoded.indices)


def _quoted_date(dates: pa.Array) -> pa.Array:
    return _quoted(pc.cast(dates, pa.string()))


def _fragments(column: pa.Array) -> pa.Array:
    """The JSON text of every value of a column (`null` for nulls)."""
    kind = column.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        out = _per_distinct(column, _quoted)
    elif pa.types.is_integer(kind):
        out = pc.cast(column, pa.string())
    elif pa.types.is_floating(kind):  # Python's repr of each distinct value (Arrow writes 35.0 as "35")
        out = _per_distinct(column, lambda values: pa.array([json.dumps(v) for v in values.to_pylist()],
                                                            pa.string()))
    elif pa.types.is_date32(kind):
        out = _per_distinct(column, _quoted_date)
    elif pa.types.is_list(kind) and pa.types.is_string(kind.value_type):
        items = _per_distinct(column.values.slice(column.offsets[0].as_py(),
                                                  column.offsets[-1].as_py() - column.offsets[0].as_py()), _quoted)
        offsets = pc.subtract(column.offsets, column.offsets[0])
        joined = pc.binary_join(pa.ListArray.from_arrays(offsets, items), ", ")
        out = pc.if_else(column.is_valid(), pc.binary_join_element_wise("[", joined, "]", ""), None)
    else:
        raise TypeError(f"no JSON rendering for Arrow type {kind}")
    return pc.fill_null(out, "null")


def _lines_buffer(batch: pa.RecordBatch) -> pa.Buffer:
    parts: list = []
    for i, name in enumerate(batch.schema.names):
        parts.append(("{" if i == 0 else ", ") + json.dumps(name, ensure_ascii=False) + ": ")
        parts.append(_fragments(batch.column(i)))
    parts.append("}\n")
    lines = pc.binary_join_element_wise(*parts, "")
    offsets = pa.Array.from_buffers(pa.int32(), len(lines) + 1, [None, lines.buffers()[1]], offset=lines.offset)
    start, end = offsets[0].as_py(), offsets[-1].as_py()
    return lines.buffers()[2].slice(start, end - start)


def jsonl_chunks(table: pa.Table, batch_rows: int = JSONL_BATCH_ROWS) -> Iterator[pa.Buffer]:
    """The table's JSON Lines as UTF-8 buffers (each a batch of rows), ready for `file.write`."""
    for batch in table.to_batches(max_chunksize=batch_rows):
        if batch.num_rows:
            yield _lines_buffer(batch)
