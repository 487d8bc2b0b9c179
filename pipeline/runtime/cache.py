"""Build caches: an article's outcome by its sha256 and the extractor version, and input files' sha256.

The outcome of one article (its document record and document-local rows, or
its quarantine reason) depends only on its bytes, the extraction code, the
reference data and rules, and the ingest parameters.
`pipeline.runtime.version.extractor_version` hashes all of those, so a cached outcome
is reused only while none changed; adding one article to a built corpus then
re-extracts only that article.

The cache is one SQLite file per extractor version (pickled outcomes,
LZ4-compressed) under the cache folder
(default `$PARADIP_CACHE_DIR`, else `$XDG_CACHE_HOME/paradip`, else
`~/.cache/paradip`): outside the repository, so DVC never declares nor wipes
it and git never sees it. Deleting the folder is always safe.

`FileHashes` (`files.sqlite` in the same folder) remembers the sha256 of
every input file read, with the file's stat, so a rebuild does not read an
unchanged file whose outcome is cached: the same rule as git's index and
DVC's state (device, inode, size, mtime and ctime unchanged), including
git's guard against an edit made within the clock tick of the read.
"""
from __future__ import annotations

import os
import pickle
import sqlite3
from pathlib import Path

import pyarrow as pa

#: A file changed less than this before it was read is hashed again next time: an edit in the same
#: clock tick as the read (coarse file-system timestamps) would leave its stat unchanged.
RACY_NS = 2_000_000_000


def default_cache_dir() -> Path:
    if os.environ.get("PARADIP_CACHE_DIR"):
        return Path(os.environ["PARADIP_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "paradip"


class ExtractionCache:
    """Outcomes by article sha256, for one extractor version. Only the building process writes."""

    def __init__(self, folder: Path, version: str):
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / f"outcomes-{version[:24]}.sqlite"
        self.db = sqlite3.connect(self.path)
        self.db.execute("pragma journal_mode=wal")
        self.db.execute("pragma synchronous=normal")
        self.db.execute("create table if not exists outcome (sha256 text primary key, size integer not null, "
                        "value blob not null)")
        self.pending = 0

    def known(self) -> set[str]:
        """The sha256 of every cached outcome."""
        return {row[0] for row in self.db.execute("select sha256 from outcome")}

    def get(self, sha256: str):
        row = self.db.execute("select size, value from outcome where sha256 = ?", (sha256,)).fetchone()
        return pickle.loads(pa.decompress(row[1], row[0], codec="lz4", asbytes=True)) if row else None

    def put(self, sha256: str, outcome) -> None:
        value = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        self.db.execute("insert or replace into outcome values (?, ?, ?)",
                        (sha256, len(value), pa.compress(value, codec="lz4", asbytes=True)))
        self.pending += 1
        if self.pending >= 1000:
            self.commit()

    def commit(self) -> None:
        self.db.commit()
        self.pending = 0

    def close(self) -> None:
        self.commit()
        self.db.close()

    def __enter__(self) -> "ExtractionCache":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _stat_key(st: os.stat_result) -> tuple[int, int, int, int, int]:
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


class FileHashes:
    """sha256 of the files of one input folder by absolute path, trusted while the file's stat is unchanged
    (see the module docstring). Only the building process reads and writes it."""

    def __init__(self, folder: Path, input_dir: Path):
        folder.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(folder / "files.sqlite")
        self.db.execute("pragma journal_mode=wal")
        self.db.execute("pragma synchronous=normal")
        self.db.execute("create table if not exists file (path text primary key, dev integer, ino integer, "
                        "size integer, mtime_ns integer, ctime_ns integer, read_ns integer, sha256 text not null)")
        under = os.path.join(os.path.abspath(input_dir), "")
        # every record of the folder at once: one query, not one per file
        self.recorded = {row[0]: row[1:] for row in self.db.execute(
            "select path, dev, ino, size, mtime_ns, ctime_ns, read_ns, sha256 from file "
            "where path >= ? and path < ?", (under, under[:-1] + chr(ord(under[-1]) + 1)))}
        self.read: list[tuple] = []

    def get(self, path: str, st: os.stat_result) -> str | None:
        """The recorded sha256 of the file at `path` if its stat is the recorded one, else None."""
        row = self.recorded.get(os.path.abspath(path))
        if row is None or row[:5] != _stat_key(st):
            return None
        return row[6] if max(st.st_mtime_ns, st.st_ctime_ns) < row[5] - RACY_NS else None

    def put(self, path: str, st: os.stat_result, read_ns: int, sha256: str) -> None:
        """Record the sha256 of bytes read at `read_ns` (wall clock, taken before reading) from the file whose
        stat, taken when it was opened, is `st`."""
        self.read.append((os.path.abspath(path), *_stat_key(st), read_ns, sha256))

    def close(self) -> None:
        self.db.executemany("insert or replace into file values (?, ?, ?, ?, ?, ?, ?, ?)", self.read)
        self.db.commit()
        self.db.close()
