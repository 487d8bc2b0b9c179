"""The columnar JSON Lines writer gives the bytes of `json.dumps(row, ensure_ascii=False)` for any value."""
from __future__ import annotations

import datetime as dt
import json

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.release.jsonl import jsonl_chunks

SCHEMA = pa.schema([("text", pa.string()), ("number", pa.int64()), ("day", pa.date32()),
                    ("names", pa.list_(pa.string())), ("degrees", pa.float64())])

texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
rows = st.fixed_dictionaries({
    "text": st.none() | texts,
    "number": st.none() | st.integers(min_value=-(2 ** 62), max_value=2 ** 62),
    "day": st.none() | st.dates(min_value=dt.date(1000, 1, 1)),
    "names": st.none() | st.lists(texts, max_size=4),
    # coordinates, whole numbers among them (Arrow writes 35.0 as "35", Python as "35.0")
    "degrees": st.none() | st.floats(min_value=-180, max_value=180) | st.integers(-180, 180).map(float),
})


def _python_jsonl(records: list[dict]) -> bytes:
    def value(v):
        return v.isoformat() if isinstance(v, dt.date) else v

    return "".join(json.dumps({k: value(r[k]) for k in SCHEMA.names}, ensure_ascii=False) + "\n"
                   for r in records).encode("utf-8")


@settings(max_examples=200, deadline=None)
@given(st.lists(rows, max_size=30), st.integers(min_value=1, max_value=7))
def test_same_bytes_as_json_dumps(records, batch_rows):
    table = pa.Table.from_pylist(records, schema=SCHEMA)
    assert b"".join(bytes(c) for c in jsonl_chunks(table, batch_rows)) == _python_jsonl(records)


def test_escapes_every_control_character_quote_and_backslash():
    records = [{"text": "".join(chr(c) for c in range(32)) + '"\\é\u2028', "number": 1, "day": None,
                "names": ["a\"b", "", "\x00"], "degrees": None}]
    table = pa.Table.from_pylist(records, schema=SCHEMA)
    assert b"".join(bytes(c) for c in jsonl_chunks(table)) == _python_jsonl(records)


def test_sliced_tables_render_only_their_rows():
    records = [{"text": str(i), "number": i, "day": None, "names": [str(i)] * (i % 3), "degrees": i / 4}
               for i in range(10)]
    table = pa.Table.from_pylist(records, schema=SCHEMA).slice(3, 4)
    assert b"".join(bytes(c) for c in jsonl_chunks(table)) == _python_jsonl(records[3:7])
