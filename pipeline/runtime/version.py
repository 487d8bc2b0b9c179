"""The extractor version: a hash of everything that decides one article's outcome.

That is the source of every module the per-document work runs
(`EXTRACTOR_MODULES`; a test checks the list against what a worker
imports) with the versions of the libraries whose data or rules it uses (pycountry, trafilatura), the
reference data and rules (`pipeline.extraction.gazetteer.reference_digest`),
the ingest parameters and Python's major.minor. The
extraction cache is keyed by it, and Dask workers must report the same one.
"""
from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
import importlib.util
import sys
from functools import lru_cache
from pathlib import Path

from pipeline.extraction.gazetteer import reference_digest
from pipeline.core.params import Params

#: Every module whose code decides a document's outcome (what the workers run).
EXTRACTOR_MODULES = (
    "pipeline.runtime.engine", "pipeline.runtime.inputs", "pipeline.runtime.warc",
    "pipeline.extraction.reading", "pipeline.extraction.segment", "pipeline.extraction.dates",
    "pipeline.extraction.text", "pipeline.extraction.gazetteer", "pipeline.extraction.actors",
    "pipeline.extraction.events", "pipeline.extraction.document", "pipeline.extraction.docrows",
    "pipeline.extraction.subdivisions", "pipeline.extraction.html", "pipeline.extraction.cuescan",
    "pipeline.core.ids", "pipeline.core.params", "pipeline.core.codec", "schemas.records", "schemas.vocab",
)

#: libraries whose data or rules decide an article's outcome (ISO 3166-2 subdivisions; HTML main text and dates)
DATA_LIBRARIES = ("pycountry", "trafilatura", "htmldate", "justext", "lxml", "warcio")


@lru_cache(maxsize=1)
def code_digest() -> str:
    """sha256 over the source of `EXTRACTOR_MODULES` and the versions of the libraries whose data they read."""
    h = hashlib.sha256()
    for library in DATA_LIBRARIES:
        h.update(f"{library}=={importlib.metadata.version(library)}".encode() + b"\0")
    for name in EXTRACTOR_MODULES:
        origin = importlib.util.find_spec(name).origin
        h.update(name.encode() + b"\0" + Path(origin).read_bytes() + b"\0")
    return h.hexdigest()


def extractor_version(params: Params) -> str:
    """Hash of the extraction code, reference data, rules, ingest parameters and Python's major.minor."""
    ingest_params = {k: v for k, v in dataclasses.asdict(params).items() if k not in ("version", "date")}
    h = hashlib.sha256()
    for part in (code_digest(), reference_digest(), repr(sorted(ingest_params.items())),
                 f"{sys.version_info.major}.{sys.version_info.minor}"):
        h.update(part.encode() + b"\0")
    return h.hexdigest()
