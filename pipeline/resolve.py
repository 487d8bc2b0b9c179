"""Stage 3, resolve: per-document extractions -> the corpus tables (one actor per entity, one event per happening).

    python -m pipeline.resolve build/ingest/documents.jsonl build/extract/extractions.jsonl build/resolve

Reads the ingest stage's documents and quarantine and the extract stage's extractions (same order) and
writes one JSON Lines file per release table into the output folder. The rules are
`pipeline.resolution.resolver.Resolver`.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from pipeline.extraction.docrows import document_rows
from pipeline.extraction.reading import IngestedDocument
from pipeline.resolution.resolver import Resolver, write_tables
from schemas.records import QuarantineEntry


def main(argv: list[str] | None = None) -> None:
    ingest_file, extract_file, out_dir = (Path(a) for a in (argv or sys.argv[1:]))
    resolver = Resolver()
    with ingest_file.open(encoding="utf-8") as docs, extract_file.open(encoding="utf-8") as extractions:
        for doc_line, extraction_line in zip(docs, extractions):
            doc = IngestedDocument.from_json(doc_line)
            resolver.add(document_rows(doc.document.model_dump(), json.loads(extraction_line)),
                         doc.document.source_path)
    for line in ingest_file.with_name("quarantine.jsonl").read_text(encoding="utf-8").splitlines():
        resolver.add_quarantine(QuarantineEntry.model_validate_json(line))
    write_tables(resolver.finish(), out_dir)


if __name__ == "__main__":
    main()
