"""Corpus tables kept on disk between build steps, so memory holds one table (or one batch) at a time.

`SpilledTables` is a read-only mapping of table name -> Arrow table whose
tables live as Arrow IPC (Feather v2) files in a folder: each access reads
the file (not memory-mapped), and `read_columns` reads only some columns.
`BatchSpill` appends record batches of one table to a stream file while
rows arrive and reads them back as one table. Both keep schema metadata.
`LazyRows` hands tables to row-oriented code (the release card's
statistics) as rows whose columns are converted only when read.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.feather as feather


class SpilledTables(Mapping):
    def __init__(self, folder: Path):
        self.folder = folder
        self.rows: dict[str, int] = {}
        #: tables whose rows are in the folder (`<name>.unsorted.arrow`) but not yet deduplicated and sorted
        #: (`pipeline.resolution.resolver.finish_unsorted`); not in the mapping until they are
        self.unsorted: list[str] = []

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
        return pa.Table.from_batches(list(self.batches()), schema=self.schema)

    def batches(self) -> Iterator[pa.RecordBatch]:
        """The batches appended, read back one at a time; the stream file is removed once they are read."""
        self.writer.close()
        self.sink.close()
        with pa.OSFile(str(self.path), "rb") as source:
            yield from pa.ipc.open_stream(source)
        self.path.unlink()


def file_batches(path: Path) -> Iterator[pa.RecordBatch]:
    """The record batches of an Arrow IPC (Feather v2) file, one at a time."""
    with pa.OSFile(str(path), "rb") as source:
        reader = pa.ipc.open_file(source)
        for i in range(reader.num_record_batches):
            yield reader.get_batch(i)


def write_batches(batches, targets: dict[Path, tuple[pa.Schema, str | None]]) -> None:
    """`batches` into an Arrow IPC (Feather v2) file at each target path, with that target's schema (the
    batches' columns, other metadata) and compression: a batch at a time, never the whole table."""
    sinks = [pa.OSFile(str(path), "wb") for path in targets]
    # compressed in this thread: Arrow's pool threads would leave the freed buffers in their own malloc arenas,
    # which the process keeps (about 20 MB per 10,000 articles of a checkpoint's rows)
    options = [pa.ipc.IpcWriteOptions(compression=compression, use_threads=False) for _, compression in targets.values()]
    writers = [pa.ipc.new_file(sink, schema, options=option)
               for sink, (schema, _), option in zip(sinks, targets.values(), options)]
    try:
        for batch in batches:
            for writer, (schema, _) in zip(writers, targets.values()):
                writer.write_batch(pa.RecordBatch.from_arrays(batch.columns, schema=schema))
    finally:
        for writer, sink in zip(writers, sinks):
            writer.close()
            sink.close()


class _Columns(dict):
    """Column name -> the column as a Python list, converted on first use."""

    def __init__(self, table: pa.Table):
        super().__init__()
        self.table = table

    def __missing__(self, name: str) -> list:
        if name not in self.table.column_names:
            raise KeyError(name)
        column = self.table.column(name)
        self[name] = values = _shared_strings(column) if pa.types.is_string(column.type) else column.to_pylist()
        return values


def _shared_strings(column: pa.ChunkedArray) -> list:
    """`column.to_pylist()` of a string column, with one Python string per distinct value (ids repeat
    across rows: a string per row would hold hundreds of MB at archive scale)."""
    encoded = column.combine_chunks().dictionary_encode()
    distinct = [*encoded.dictionary.to_pylist(), None]  # a null's index becomes -1: the None at the end
    return list(map(distinct.__getitem__, encoded.indices.fill_null(-1).to_pylist()))


class _Row(Mapping):
    """One row of a `TableRows`, read from its columns."""

    __slots__ = ("_columns", "_index")

    def __init__(self, columns: _Columns, index: int):
        self._columns, self._index = columns, index

    def __getitem__(self, column: str):
        return self._columns[column][self._index]

    def __iter__(self) -> Iterator[str]:
        return iter(self._columns.table.column_names)

    def __len__(self) -> int:
        return self._columns.table.num_columns


class TableRows(Sequence):
    """The rows of an Arrow table as read-only mappings; a column becomes a Python list only when a row's
    value in it is first read, so code that reads two columns of a wide table never converts the rest."""

    def __init__(self, table: pa.Table):
        self.columns = _Columns(table)

    def __len__(self) -> int:
        return self.columns.table.num_rows

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [_Row(self.columns, i) for i in range(*index.indices(len(self)))]
        if not -len(self) <= index < len(self):
            raise IndexError(index)
        return _Row(self.columns, index % len(self))

    def __iter__(self) -> Iterator[_Row]:
        return (_Row(self.columns, i) for i in range(len(self)))


class LazyRows(Mapping):
    """`{table name: rows}` over a mapping of Arrow tables (spilled or not), each table read on first use."""

    def __init__(self, tables: Mapping):
        self.tables = tables
        self.rows: dict[str, TableRows] = {}
        self.memo: dict = {}  # figures computed from these rows, kept by `pipeline.release.stats`

    def __getitem__(self, name: str) -> TableRows:
        if name not in self.rows:
            self.rows[name] = TableRows(self.tables[name])
        return self.rows[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.tables)

    def __len__(self) -> int:
        return len(self.tables)
