"""Per-document extraction cache: an article's outcome, keyed by its sha256 and the extractor version.

The outcome of one article (its document record and document-local rows, or
its quarantine reason) depends only on its bytes, the extraction code, the
reference data and rules, and the ingest parameters. `extractor_version`
hashes all of those, so a cached outcome is reused only while none changed;
adding one article to a built corpus then re-extracts only that article.

The cache is one SQLite file per extractor version under the cache folder
(default `$PARADIP_CACHE_DIR`, else `$XDG_CACHE_HOME/paradip`, else
`~/.cache/paradip`): outside the repository, so DVC never declares nor wipes
it and git never sees it. Deleting the folder is always safe.
"""
from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import os
import pickle
import sqlite3
import sys
import zlib
from functools import lru_cache
from pathlib import Path

from pipeline.gazetteer import reference_digest
from pipeline.params import Params

#: Every module whose code decides a document's outcome (what the workers run).
EXTRACTOR_MODULES = (
    "pipeline.engine", "pipeline.ingest", "pipeline.segment", "pipeline.dates", "pipeline.text",
    "pipeline.gazetteer", "pipeline.actors", "pipeline.events", "pipeline.extract", "pipeline.resolve",
    "pipeline.ids", "pipeline.params", "schemas.records", "schemas.vocab", "schemas.derive",
)


def default_cache_dir() -> Path:
    if os.environ.get("PARADIP_CACHE_DIR"):
        return Path(os.environ["PARADIP_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "paradip"


@lru_cache(maxsize=1)
def code_digest() -> str:
    """sha256 over the source of `EXTRACTOR_MODULES`."""
    h = hashlib.sha256()
    for name in EXTRACTOR_MODULES:
        origin = importlib.util.find_spec(name).origin
        h.update(name.encode() + b"\0" + Path(origin).read_bytes() + b"\0")
    return h.hexdigest()


def extractor_version(params: Params) -> str:
    """Hash of the extraction code, reference data, rules, ingest parameters and Python's major.minor."""
    ingest_params = {k: v for k, v in dataclasses.asdict(params).items() if k != "version"}
    h = hashlib.sha256()
    for part in (code_digest(), reference_digest(), repr(sorted(ingest_params.items())),
                 f"{sys.version_info.major}.{sys.version_info.minor}"):
        h.update(part.encode() + b"\0")
    return h.hexdigest()


class ExtractionCache:
    """Outcomes by article sha256, for one extractor version. Only the building process writes."""

    def __init__(self, folder: Path, version: str):
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / f"extract-{version[:24]}.sqlite"
        self.db = sqlite3.connect(self.path)
        self.db.execute("pragma journal_mode=wal")
        self.db.execute("pragma synchronous=normal")
        self.db.execute("create table if not exists outcome (sha256 text primary key, value blob not null)")
        self.pending = 0

    def get(self, sha256: str):
        row = self.db.execute("select value from outcome where sha256 = ?", (sha256,)).fetchone()
        return pickle.loads(zlib.decompress(row[0])) if row else None

    def put(self, sha256: str, outcome) -> None:
        value = zlib.compress(pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL), 1)
        self.db.execute("insert or replace into outcome values (?, ?)", (sha256, value))
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
