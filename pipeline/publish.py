"""Stage 5, publish: the resolved tables -> `dataset/<version>/`, validated, written beside and renamed into place.

    python -m pipeline.publish build/resolve dataset

Takes `release.version` and `release.date` from `params.yaml`, validates again (nothing unvalidated is
published) and rewrites `dataset/releases.json` and `dataset/CHANGELOG.md`. Exit 1 when validation
fails or the version exists with other content. The writing is `pipeline.release.publishing.publish`.
"""
from __future__ import annotations

import sys
from pathlib import Path

from pipeline.core.params import load_params
from pipeline.release.publishing import ReleaseExists, publish
from pipeline.release.validation import ValidationFailed
from pipeline.resolution.resolver import read_tables


def main(argv: list[str] | None = None) -> None:
    in_dir, dataset_dir = (Path(a) for a in (argv or sys.argv[1:]))
    try:
        params = load_params()
        target = publish(read_tables(in_dir), dataset_dir, params.version, params.date)
    except (ValidationFailed, ReleaseExists, ValueError) as exc:
        print(f"publish: {exc}", file=sys.stderr)
        sys.exit(1)
    print(f"published {target}")


if __name__ == "__main__":
    main()
