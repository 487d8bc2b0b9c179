"""Build parameters from `params.yaml` (the DVC params file), with defaults.

Read by every stage and by the CLI, so `dvc repro` and `paradip build` agree.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

PARAMS_FILE = Path("params.yaml")


@dataclass(frozen=True)
class Params:
    version: str = "0.1.0"
    date: str | None = None  # release date, ISO 8601; set by hand with each version bump
    max_file_bytes: int = 5_000_000
    min_main_chars: int = 200


def load_params(path: Path = PARAMS_FILE) -> Params:
    if not path.exists():
        return Params()
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    release = raw.get("release", {})
    ingest = raw.get("ingest", {})
    date = release.get("date")
    if date is not None:
        try:
            date = dt.date.fromisoformat(str(date)).isoformat()
        except ValueError:
            raise ValueError(f"{path}: release.date {date!r} is not an ISO date (YYYY-MM-DD)") from None
    return Params(
        version=str(release.get("version", Params.version)),
        date=date,
        max_file_bytes=int(ingest.get("max_file_bytes", Params.max_file_bytes)),
        min_main_chars=int(ingest.get("min_main_chars", Params.min_main_chars)),
    )
