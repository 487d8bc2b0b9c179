"""Staging folders: a folder is written under a hidden temporary name and renamed into place when
complete, so a killed process never leaves a partial one where readers look.

A staging folder is named `.<final name>.tmp-<pid>-<random>`; `remove_stale_staging` removes those whose
process is gone (left by a killed build), never one still being written.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def staging_folder(parent: Path, final_name: str) -> Path:
    """A new, empty staging folder in `parent` for the folder `final_name`."""
    return Path(tempfile.mkdtemp(prefix=f".{final_name}.tmp-{os.getpid()}-", dir=parent))


def remove_stale_staging(parent: Path) -> None:
    """Remove the staging folders in `parent` left by processes that no longer run."""
    for folder in parent.glob(".*.tmp-*"):
        pid = folder.name.rsplit(".tmp-", 1)[1].split("-", 1)[0]
        try:
            os.kill(int(pid), 0)
            continue  # that process is still running
        except (ValueError, ProcessLookupError):
            shutil.rmtree(folder, ignore_errors=True)
        except PermissionError:
            continue  # alive, another user's
