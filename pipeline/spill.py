"""Corpus tables kept on disk between build steps, so memory holds one table (or one batch) at a time.

`SpilledTables` is a read-only mapping of table name -> Arrow table whose
tables live as Arrow IPC (Feather v2) files in a folder: each access reads
the file (not memory-mapped), and `read_columns` reads only some columns.
`BatchSpill` appends record batches of one table to a stream file while
rows arrive and reads them back as one table. Both keep schema metadata.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

import pyarrow as pa
import pyarrow.feather as feather


class SpilledTables(Mapping):
    def __init__(self, folder: Path):
        self.folder = folder
        self.rows: dict[str, int] = {}

    def put(self, name: str, table: pa.Table) -> None:
        feather.write_feather(table, self.folder / f"{name}.arrow", compression="uncompressed")
        self.rows[name] = table.num_rows

    def __getitem__(self, name: str) -> pa.Table:
        if name not in self.rows:
            raise KeyError(name)
        return feather.read_table(self.folder / f"{name}.arrow", memory_map=False)

    def __iter__(self) -> Iterator[str]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def read_columns(tables: Mapping, name: str, columns: list[str]) -> pa.Table:
    """Some columns of one table, reading no others from disk when the tables are spilled."""
    if isinstance(tables, SpilledTables):
        return feather.read_table(tables.folder / f"{name}.arrow", columns=columns, memory_map=False)
    return tables[name].select(columns)


class BatchSpill:
    """Record batches of one table appended to a stream file, read back as one table."""

    def __init__(self, path: Path, schema: pa.Schema):
        self.path = path
        self.schema = schema
        self.sink = pa.OSFile(str(path), "wb")
        self.writer = pa.ipc.new_stream(self.sink, schema)

    def append(self, batch: pa.RecordBatch) -> None:
        self.writer.write_batch(batch)

    def table(self) -> pa.Table:
        self.writer.close()
        self.sink.close()
        with pa.OSFile(str(self.path), "rb") as source:
            table = pa.ipc.open_stream(source).read_all()
        self.path.unlink()
        return table
