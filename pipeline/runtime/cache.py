"""Build caches: an article's outcome by its sha256 and the extractor version, and input files' sha256.

The outcome of one article (its document record and document-local rows, or
its quarantine reason) depends only on its bytes, the extraction code, the
reference data and rules, and the ingest parameters.
`pipeline.runtime.version.extractor_version` hashes all of those, so a cached outcome
is reused only while none changed; adding one article to a built corpus then
re-extracts only that article.

The cache is one SQLite file per extractor version (outcomes in the data
format of `pipeline.core.codec`, LZ4-compressed, each with the sha256 of its
bytes; no pickle) under the cache folder
(default `$PARADIP_CACHE_DIR`, else `$XDG_CACHE_HOME/paradip`, else
`~/.cache/paradip`): outside the repository, so DVC never declares nor wipes
it and git never sees it. No state of the folder changes a release or stops a
build: a damaged file is set aside with a warning, a damaged value is a miss.

`FileHashes` (`files.sqlite` in the same folder) remembers the sha256 of
every input file read, with the file's stat, so a rebuild does not read an
unchanged file whose outcome is cached: the same rule as git's index and
DVC's state (device, inode, size, mtime and ctime unchanged), including
git's guard against an edit made within the clock tick of the read.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
from pathlib import Path

import pyarrow as pa

from pipeline.core import codec
from pipeline.core.codec import CodecError

#: A file changed less than this before it was read is hashed again next time: an edit in the same
#: clock tick as the read (coarse file-system timestamps) would leave its stat unchanged.
RACY_NS = 2_000_000_000


def default_cache_dir() -> Path:
    if os.environ.get("PARADIP_CACHE_DIR"):
        return Path(os.environ["PARADIP_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "paradip"


def warn(message: str) -> None:
    """One line on standard error: the cache is an optimisation, so its faults are warnings, never errors."""
    print(f"warning: {message}", file=sys.stderr, flush=True)


def _digest(*parts) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8", "surrogateescape")).hexdigest()


class _Store:
    """One SQLite file of the cache that checks itself: a file that fails `quick_check` or any later query is
    set aside (renamed `<name>.damaged-<n>`, with its journal) and the build goes on without it."""

    def __init__(self, path: Path, schema: str):
        self.path = path
        self.db: sqlite3.Connection | None = None
        try:
            self.db = self._open(schema)
        except sqlite3.DatabaseError as exc:
            self._set_aside(exc)
            try:
                self.db = self._open(schema)
            except sqlite3.DatabaseError as again:  # cannot even start a new one: no cache this build
                self.db = None
                warn(f"cache {self.path}: {again}; building without it")

    def _open(self, schema: str) -> sqlite3.Connection:
        db = sqlite3.connect(self.path)
        try:
            check = db.execute("pragma quick_check").fetchone()
            if not check or check[0] != "ok":
                raise sqlite3.DatabaseError(f"quick_check: {check[0] if check else 'no answer'}")
            db.execute("pragma journal_mode=wal")
            db.execute("pragma synchronous=normal")
            db.execute(schema)
            db.commit()
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def _set_aside(self, exc: Exception) -> None:
        n = 1
        while self.path.with_name(f"{self.path.name}.damaged-{n}").exists():
            n += 1
        aside = self.path.with_name(f"{self.path.name}.damaged-{n}")
        for suffix in ("", "-wal", "-shm"):
            try:
                os.replace(f"{self.path}{suffix}", f"{aside}{suffix}")
            except FileNotFoundError:
                pass
            except OSError as error:  # cannot even move it: leave it, build without it
                warn(f"cache {self.path} is damaged ({exc}) and cannot be set aside ({error.strerror}): "
                     "building without it")
                return
        warn(f"cache {self.path} is damaged ({' '.join(str(exc).split())[:120]}): set aside as {aside.name}, "
             "what it held is computed again")

    def run(self, sql: str, args=(), many: bool = False) -> list:
        """The rows of one statement; [] once the file is broken (set aside at `close`)."""
        if self.db is None:
            return []
        try:
            cursor = self.db.executemany(sql, args) if many else self.db.execute(sql, args)
            return cursor.fetchall()
        except sqlite3.DatabaseError as exc:
            self.db.close()
            self.db = None
            self._set_aside(exc)
            return []

    def commit(self) -> None:
        if self.db is not None:
            try:
                self.db.commit()
            except sqlite3.DatabaseError as exc:
                self.db.close()
                self.db = None
                self._set_aside(exc)

    def close(self) -> None:
        self.commit()
        if self.db is not None:
            self.db.close()
            self.db = None


class ExtractionCache:
    """Outcomes by article sha256, for one extractor version. Only the building process writes. Each value
    carries the sha256 of its bytes: a value that does not match, or does not decode, is a miss (and is
    extracted and written again)."""

    def __init__(self, folder: Path, version: str):
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / f"outcomes-{version[:24]}.sqlite"
        self.store = _Store(self.path, f"create table if not exists {OUTCOME_TABLE} (sha256 text primary key, "
                                       "size integer not null, digest text not null, value blob not null)")
        self.pending = 0
        self.damaged = 0

    def known(self) -> set[str]:
        """The sha256 of every cached outcome."""
        return {row[0] for row in self.store.run(f"select sha256 from {OUTCOME_TABLE}")}

    def get(self, sha256: str):
        rows = self.store.run(f"select size, digest, value from {OUTCOME_TABLE} where sha256 = ?", (sha256,))
        if not rows:
            return None
        size, digest, value = rows[0]
        try:
            raw = pa.decompress(value, size, codec="lz4", asbytes=True)
            if hashlib.sha256(raw).hexdigest() != digest:
                raise CodecError("digest mismatch")
            return codec.loads(raw)
        except (CodecError, pa.ArrowException, TypeError, ValueError) as exc:
            self.damaged += 1
            if self.damaged == 1:
                warn(f"cache {self.path}: a damaged outcome ({exc}) is extracted again")
            self.store.run(f"delete from {OUTCOME_TABLE} where sha256 = ?", (sha256,))
            return None

    def put(self, sha256: str, outcome) -> None:
        value = codec.dumps(outcome)
        self.store.run(f"insert or replace into {OUTCOME_TABLE} values (?, ?, ?, ?)",
                       (sha256, len(value), hashlib.sha256(value).hexdigest(),
                        pa.compress(value, codec="lz4", asbytes=True)))
        self.pending += 1
        if self.pending >= 1000:
            self.commit()

    def commit(self) -> None:
        self.store.commit()
        self.pending = 0

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> "ExtractionCache":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


#: the tables of this cache format (a file of another format simply has none of them: everything is a miss)
OUTCOME_TABLE = "outcome_v3"
FILE_TABLE = "file_v2"


def _stat_key(st: os.stat_result) -> tuple[int, int, int, int, int]:
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


class FileHashes:
    """sha256 of the files of one input folder by absolute path, trusted while the file's stat is unchanged
    (see the module docstring). Only the building process reads and writes it. Each row carries a digest of
    its fields: a row that does not match is ignored (the file is read and hashed again). Rows are written as
    files are read, a batch at a time (a row per file held to the end was about 70 MB at 100,000 files), and
    committed when the build's fold ends."""

    WRITE_ROWS = 1000

    def __init__(self, folder: Path, input_dir: Path):
        folder.mkdir(parents=True, exist_ok=True)
        self.store = _Store(folder / "files.sqlite", f"create table if not exists {FILE_TABLE} (path text primary key, "
                                                     "dev integer, ino integer, size integer, mtime_ns integer, "
                                                     "ctime_ns integer, read_ns integer, sha256 text not null, "
                                                     "digest text not null)")
        under = os.path.join(os.path.abspath(input_dir), "")
        # every record of the folder at once: one query, not one per file
        self.recorded = {row[0]: row[1:8] for row in self.store.run(
            f"select path, dev, ino, size, mtime_ns, ctime_ns, read_ns, sha256, digest from {FILE_TABLE} "
            "where path >= ? and path < ?", (under, under[:-1] + chr(ord(under[-1]) + 1)))
            if row[8] == _digest(*row[:8])}
        self.read: list[tuple] = []  # rows not yet written: written `WRITE_ROWS` at a time, committed at `close`

    def get(self, path: str, st: os.stat_result) -> str | None:
        """The recorded sha256 of the file at `path` if its stat is the recorded one, else None."""
        row = self.recorded.get(os.path.abspath(path))
        if row is None or tuple(row[:5]) != _stat_key(st):
            return None
        return row[6] if max(st.st_mtime_ns, st.st_ctime_ns) < row[5] - RACY_NS else None

    def put(self, path: str, st: os.stat_result, read_ns: int, sha256: str) -> None:
        """Record the sha256 of bytes read at `read_ns` (wall clock, taken before reading) from the file whose
        stat, taken when it was opened, is `st`."""
        fields = (os.path.abspath(path), *_stat_key(st), read_ns, sha256)
        self.read.append((*fields, _digest(*fields)))
        if len(self.read) >= self.WRITE_ROWS:
            self._write()

    def _write(self) -> None:
        self.store.run(f"insert or replace into {FILE_TABLE} values (?, ?, ?, ?, ?, ?, ?, ?, ?)", self.read, many=True)
        self.read = []

    def close(self) -> None:
        self._write()
        self.store.close()
