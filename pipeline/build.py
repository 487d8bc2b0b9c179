"""The whole pipeline in one process: input folder -> published release.

Used by `paradip build` and the tests; runs the same functions as the DVC
stages (ingest, extract, resolve, validate, publish) without intermediate files.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.extract import extract_document
from pipeline.ingest import ingest_folder, list_inputs
from pipeline.params import Params
from pipeline.progress import Track, no_track
from pipeline.publish import publish
from pipeline.resolve import Tables, resolve


@dataclass
class BuildResult:
    release: Path
    tables: Tables


def build_tables(input_dir: Path, params: Params, path_prefix: str | None = None, track: Track = no_track) -> Tables:
    docs, quarantine = ingest_folder(input_dir, params, path_prefix)
    extractions = [extract_document(doc) for doc in track(docs, "extract", len(docs))]
    return resolve(docs, extractions, quarantine)


def build(input_dir: Path, out_dir: Path, params: Params, path_prefix: str | None = None,
          track: Track = no_track) -> BuildResult:
    inputs = list_inputs(input_dir, path_prefix)
    tables = build_tables(input_dir, params, path_prefix, track)
    return BuildResult(publish(tables, out_dir, params.version, params.date, inputs=inputs), tables)
