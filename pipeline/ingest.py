"""Stage 1, ingest: the input folder -> document records with their main text, the inventory and the quarantine.

    python -m pipeline.ingest seeds build/ingest/documents.jsonl [--metadata seeds.csv]

`--metadata` names a CSV of the articles' addresses and sites (`file,url,site`; see the README). Writes
`documents.jsonl` (one `IngestedDocument` per published article), and beside it `inputs.json`
(every entry of the folder, as the release names it) and `quarantine.jsonl` (every entry set aside,
with its reason). Every entry ends up in exactly one of the two. Reading the folder is
`pipeline.runtime.inputs`; reading one article is `pipeline.extraction.reading`.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from pipeline.core.params import load_params
from pipeline.runtime.inputs import MetadataError, ingest_folder, list_inputs, read_metadata


def main(argv: list[str] | None = None) -> None:
    args = list(argv or sys.argv[1:])
    metadata = None
    if "--metadata" in args:
        at = args.index("--metadata")
        metadata_file = Path(args[at + 1])
        del args[at:at + 2]
        try:
            metadata = read_metadata(metadata_file)
        except MetadataError as exc:
            sys.exit(f"ingest: {exc}")
    input_dir, out_file = (Path(a) for a in args)
    docs, quarantine = ingest_folder(input_dir, load_params(), metadata=metadata)
    out_file.parent.mkdir(parents=True, exist_ok=True)
    out_file.with_name("inputs.json").write_text(json.dumps(list_inputs(input_dir), ensure_ascii=False, indent=0)
                                                 + "\n", encoding="utf-8")
    with out_file.open("w", encoding="utf-8") as fh:
        for doc in docs:
            fh.write(doc.to_json() + "\n")
    with out_file.with_name("quarantine.jsonl").open("w", encoding="utf-8") as fh:
        for q in quarantine:
            fh.write(q.model_dump_json() + "\n")
    print(f"ingest: {len(docs)} documents, {len(quarantine)} quarantined")


if __name__ == "__main__":
    main()
