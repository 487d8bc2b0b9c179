"""Stage 2, extract: ingested documents -> one extraction (actors, events, agreements) per document.

    python -m pipeline.extract build/ingest/documents.jsonl build/extract/extractions.jsonl

Reads the ingest stage's documents (JSON Lines, one `IngestedDocument` each) and writes one JSON
object per document, in the same order. The rules are `pipeline.extraction.document.extract_document`.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from pipeline.extraction.document import extract_document
from pipeline.extraction.reading import IngestedDocument


def main(argv: list[str] | None = None) -> None:
    in_file, out_file = (Path(a) for a in (argv or sys.argv[1:]))
    out_file.parent.mkdir(parents=True, exist_ok=True)
    with in_file.open(encoding="utf-8") as src, out_file.open("w", encoding="utf-8") as dst:
        for line in src:
            dst.write(json.dumps(extract_document(IngestedDocument.from_json(line)), ensure_ascii=False,
                                 sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
