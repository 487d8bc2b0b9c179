"""Per-document extraction cache: an article's outcome, keyed by its sha256 and the extractor version.

The outcome of one article (its document record and document-local rows, or
its quarantine reason) depends only on its bytes, the extraction code, the
reference data and rules, and the ingest parameters.
`pipeline.version.extractor_version` hashes all of those, so a cached outcome
is reused only while none changed; adding one article to a built corpus then
re-extracts only that article.

The cache is one SQLite file per extractor version (pickled outcomes,
LZ4-compressed) under the cache folder
(default `$PARADIP_CACHE_DIR`, else `$XDG_CACHE_HOME/paradip`, else
`~/.cache/paradip`): outside the repository, so DVC never declares nor wipes
it and git never sees it. Deleting the folder is always safe.
"""
from __future__ import annotations

import os
import pickle
import sqlite3
from pathlib import Path

import pyarrow as pa

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
