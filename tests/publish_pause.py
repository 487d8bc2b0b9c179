"""Run the `paradip` CLI and freeze it (SIGSTOP to itself) at one point of publishing, for the kill test.

    python tests/publish_pause.py POINT [paradip arguments...]

POINT is `staging` (the staging folder was just created), `file:N` (the N-th
table file was just written into it), `rename` (just before the staging
folder is renamed into place) or `renamed` (just after). The test waits for
the stop, looks at the dataset folder, then kills the process with SIGKILL:
a deterministic kill at that exact point. A point that is never reached lets
the build finish, which the test reports as a failure. Nothing in the
pipeline knows about this script: it wraps the publish functions from outside.
"""
from __future__ import annotations

import os
import signal
import sys
import tempfile

import pipeline.release.publishing as publish
from pipeline import cli

_point = ""
_written = 0
_mkdtemp, _rename = tempfile.mkdtemp, os.rename


def _stop_at(point: str) -> None:
    if point == _point:
        os.kill(os.getpid(), signal.SIGSTOP)


def _counting(write):
    def wrapped(table, path):
        global _written
        write(table, path)
        _written += 1
        _stop_at(f"file:{_written}")
    return wrapped


def _is_staging(path) -> bool:
    return ".tmp-" in os.path.basename(os.fspath(path))


def _mkdtemp_then_stop(*args, **kwargs):
    path = _mkdtemp(*args, **kwargs)
    if _is_staging(path):
        _stop_at("staging")
    return path


def _rename_with_stops(src, dst, **kwargs):
    staging = _is_staging(src)
    if staging:
        _stop_at("rename")
    _rename(src, dst, **kwargs)
    if staging:
        _stop_at("renamed")


def main() -> None:
    global _point
    _point = sys.argv[1]
    publish.write_parquet = _counting(publish.write_parquet)
    publish.write_jsonl = _counting(publish.write_jsonl)
    tempfile.mkdtemp = _mkdtemp_then_stop
    os.rename = _rename_with_stops
    sys.argv = ["paradip", *sys.argv[2:]]
    cli.main()


if __name__ == "__main__":
    main()
