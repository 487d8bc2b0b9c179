"""WARC archives in the input: every HTTP response record is one input entry (issue 19).

`warc_records(path, name, max_bytes)` yields, for an archive file (`.warc` or `.warc.gz`), one item per
response record, in archive order: the record's HTML payload with its target URI, or why it cannot be
an article (an HTTP error status, a payload that is not HTML, a payload over the size limit, an archive
that ends inside a record). Entries are named `<archive>#<n>`, n the response record's number in the
archive counted from 1 with five digits, so the inventory, the release and the quarantine name the
archive and the record. Request, metadata and warcinfo records are not articles and not entries.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

ARCHIVE_SUFFIXES = (".warc", ".warc.gz")
_RECORD_NAME = re.compile(r"^(?P<archive>.*\.warc(?:\.gz)?)#(?P<n>\d{5,})$")
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def is_archive(file_name: str) -> bool:
    return file_name.lower().endswith(ARCHIVE_SUFFIXES)


def record_name(archive_name: str, n: int) -> str:
    return f"{archive_name}#{n:05d}"


def archive_of(entry_name: str) -> str | None:
    """The archive part of a record's entry name (`crawl.warc.gz#00003` -> `crawl.warc.gz`), else None."""
    m = _RECORD_NAME.match(entry_name)
    return m.group("archive") if m else None


@dataclass(frozen=True)
class Record:
    """One response record that may be an article: its entry name, payload and target URI."""

    name: str
    payload: bytes
    url: str | None


@dataclass(frozen=True)
class BadRecord:
    """One response record (or the rest of an archive) that cannot be an article, with a quarantine reason."""

    name: str
    reason: str
    message: str


def warc_records(path: Path | str, archive_name: str, max_bytes: int) -> Iterator[Record | BadRecord]:
    """The response records of one archive, in order (see the module docstring)."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    n = 0
    with open(path, "rb") as fh:
        try:
            for record in ArchiveIterator(fh, arc2warc=True):
                if record.rec_type != "response":
                    continue
                n += 1
                name = record_name(archive_name, n)
                uri = record.rec_headers.get_header("WARC-Target-URI")
                item = _record(record, name, uri, max_bytes)
                yield item
                if isinstance(item, BadRecord) and item.reason == "warc_truncated":
                    return
        except (ArchiveLoadFailed, EOFError, OSError, ValueError) as exc:
            # a gzip member or a record cut short: the records read so far stand, the rest is lost
            yield BadRecord(record_name(archive_name, n + 1), "warc_truncated",
                            f"the archive ends inside or after record {n} and cannot be read on "
                            f"({type(exc).__name__}: {' '.join(str(exc).split())[:200]})")


def _record(record, name: str, uri: str | None, max_bytes: int) -> Record | BadRecord:
    where = f"record {name.rsplit('#', 1)[1]} ({uri or 'no target URI'})"
    payload = record.content_stream().read(max_bytes + 1)
    if len(payload) <= max_bytes and getattr(record.raw_stream, "limit", 0) > 0:
        # the record says it holds more bytes than the archive has: cut short (a truncated gzip member)
        return BadRecord(name, "warc_truncated", f"{where}: the archive ends inside this record "
                                                 f"({record.raw_stream.limit} of {record.length} bytes missing)")
    status = record.http_headers.get_statuscode() if record.http_headers else None
    if status is None or not str(status).startswith("2"):
        return BadRecord(name, "http_error", f"{where}: HTTP status {status or 'missing'}, not a page")
    content_type = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
    if content_type not in _HTML_TYPES:
        return BadRecord(name, "not_html", f"{where}: payload is {content_type or 'of no stated type'}, not HTML")
    if len(payload) > max_bytes:
        return BadRecord(name, "too_large", f"{where}: payload over the limit of {max_bytes} bytes (params.yaml)")
    return Record(name, payload, uri)


def record_names(path: Path | str, archive_name: str) -> list[str]:
    """The entry names an archive gives (the inventory): the same records as `warc_records`, payloads dropped."""
    return [item.name for item in warc_records(path, archive_name, sys.maxsize)]


__all__ = ["ARCHIVE_SUFFIXES", "Record", "BadRecord", "is_archive", "archive_of", "record_name", "warc_records",
           "record_names"]
