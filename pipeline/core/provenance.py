"""How a release was built, as values that depend only on the code: the code version.

For the dataset card, the manifest and `releases.json`. The code version is
the package version plus a digest of every source file of `pipeline/` and
`schemas/` (code, reference data, rules), so it changes exactly when the
code that makes the data changes, and never with git state, paths or time.
"""
from __future__ import annotations

import hashlib
from importlib.metadata import version as package_version
from pathlib import Path

import pipeline
import schemas

SOURCE_PACKAGES = (Path(pipeline.__file__).parent, Path(schemas.__file__).parent)


def _source_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix != ".pyc"
                  and not any(part == "__pycache__" or part.startswith(".") for part in p.relative_to(root).parts))


def sources_digest(roots: tuple[Path, ...] = SOURCE_PACKAGES) -> str:
    """sha256 over (path relative to its package's parent, sha256 of bytes) of every source file."""
    h = hashlib.sha256()
    for root in roots:
        for path in _source_files(root):
            rel = path.relative_to(root.parent).as_posix()
            h.update(f"{rel}\x1f{hashlib.sha256(path.read_bytes()).hexdigest()}\n".encode())
    return h.hexdigest()


def code_version() -> str:
    return f"{package_version('paradip')}+{sources_digest()[:12]}"
