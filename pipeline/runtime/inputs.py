"""The input folder: every entry sorted by name, named for the release, and read (or set aside) safely.

`scan_folder` yields each entry's bytes or the reason it cannot be read (special files are never opened
blocking, symbolic links may not leave the folder, names with control characters are refused);
`ingest_folder` turns a folder into published documents and quarantine entries, first copy by name
winning; `list_inputs` is the inventory the validate stage checks (inputs = published + quarantined).
An entry is named by its path with control characters, undecodable bytes and backslashes escaped
(`entry_name`), so every name fits in JSON and Parquet and two entries never share a name.
"""
from __future__ import annotations

import hashlib
import os
import re
import stat
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, Mapping

from pipeline.core.codec import register
from pipeline.core.params import Params
from pipeline.extraction.reading import IngestedDocument, Rejected, ingest_article
from pipeline.runtime.warc import BadRecord, archive_of, is_archive, record_names, warc_records
from schemas.records import Document, QuarantineEntry

if TYPE_CHECKING:
    from pipeline.runtime.cache import FileHashes


_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _bad_char(char: str) -> bool:
    """A control character, a line or paragraph separator, or an undecodable byte."""
    return unicodedata.category(char) in ("Cc", "Zl", "Zp", "Cs")


#: Every character `_bad_char` accepts (the categories Cc, Zl, Zp, Cs are these fixed ranges; a test
#: checks it), for one regex search per name instead of a category lookup per character.
_BAD_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_BAD_OR_BACKSLASH = re.compile(r"[\\\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _escape(char: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    if not _bad_char(char):
        return char
    code = ord(char)
    # os.fsdecode maps an undecodable byte B to U+DC00+B (surrogateescape)
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def entry_name(path: str) -> str:
    """How an input entry is named in the release: the path itself when it is plain, else the path
    with backslashes, control characters and undecodable bytes escaped (one-to-one)."""
    if not _BAD_OR_BACKSLASH.search(path):
        return path
    return "".join(_escape(c) for c in path)


_UNESCAPE = re.compile(r"\\(?:x([0-9a-f]{2})|u([0-9a-f]{4})|(.))", re.DOTALL)
_UNESCAPES = {"\\": "\\", "n": "\n", "r": "\r", "t": "\t"}


def file_name_hex(name: str) -> str:
    """The exact bytes of an entry's file name in its folder, in hex, from the name `entry_name` gave its
    path: what `os.listdir` returns for it (as bytes), whatever the escapes of the display form. A WARC
    record's entry (`crawl.warc.gz#00003`) gives its archive's file name."""
    base = (archive_of(name) or name).rsplit("/", 1)[-1]
    raw = _UNESCAPE.sub(lambda m: chr(0xDC00 + int(m.group(1), 16)) if m.group(1)
                        else chr(int(m.group(2), 16)) if m.group(2) else _UNESCAPES[m.group(3)], base)
    return os.fsencode(raw).hex()


def quarantine_entry(name: str, sha256: str | None, reason: str, message: str) -> QuarantineEntry:
    """The quarantine row of the entry `name` (as `entry_name` gives it)."""
    return QuarantineEntry(file=name, file_name_hex=file_name_hex(name), sha256=sha256, reason=reason,
                           message=message)


def _entries(input_dir: Path) -> list[os.DirEntry]:
    """The entries of the input folder by name; an input that is one archive file is its only entry."""
    if input_dir.is_file() and is_archive(input_dir.name):
        with os.scandir(input_dir.parent) as listing:
            return [e for e in listing if e.name == input_dir.name]
    with os.scandir(input_dir) as listing:
        return sorted(listing, key=lambda e: e.name)


def _default_prefix(input_dir: Path) -> str:
    return (input_dir.parent if input_dir.is_file() else input_dir).as_posix()


def _entry_path(prefix: str, name: str) -> str:
    return entry_name(f"{prefix.rstrip('/')}/{name}" if prefix else name)


def list_inputs(input_dir: Path, path_prefix: str | None = None) -> list[str]:
    """The inventory: the name of every entry of `input_dir` (every response record of an archive), as the
    release names it."""
    prefix = path_prefix if path_prefix is not None else _default_prefix(input_dir)
    names: list[str] = []
    for entry in _entries(input_dir):
        name = _entry_path(prefix, entry.name)
        if is_archive(entry.name) and _is_readable_archive(entry, input_dir):
            names += record_names(entry.path, name)
        else:
            names.append(name)
    return names


def _is_readable_archive(entry: os.DirEntry, input_dir: Path) -> bool:
    """An archive entry that scan_folder opens as an archive (else it is set aside as a file)."""
    try:
        _checked_stat(entry, _root(input_dir), None)
        with open(entry.path, "rb"):
            return True
    except (Rejected, OSError):
        return False


def _root(input_dir: Path) -> Path:
    return (input_dir.parent if input_dir.is_file() else input_dir).resolve()


def _checked_stat(entry: os.DirEntry, root: Path, max_bytes: int | None) -> os.stat_result:
    """The stat of an entry that can be read as an article (an archive: `max_bytes` None, no size limit);
    raises `Rejected` for anything else."""
    if _BAD_CHARS.search(entry.name):
        raise Rejected("bad_file_name", "file name contains control characters, line breaks or undecodable bytes")
    if entry.is_symlink():
        target = Path(os.path.realpath(entry.path))
        if target != root and root not in target.parents:
            raise Rejected("symlink_outside_input", f"symbolic link to {entry_name(str(target))}, "
                                                    "outside the input folder")
    st = os.stat(entry.path)
    _check_regular(st, max_bytes)
    return st


def _check_regular(st: os.stat_result, max_bytes: int | None) -> None:
    if not stat.S_ISREG(st.st_mode):
        raise Rejected("not_a_regular_file", "not a regular file (folder, FIFO, device or socket)")
    if max_bytes is not None and st.st_size > max_bytes:
        raise Rejected("too_large", f"{st.st_size} bytes, over the limit of {max_bytes} (params.yaml)")


def _read_regular_file(entry: os.DirEntry, max_bytes: int) -> tuple[bytes, os.stat_result]:
    """The bytes of an entry that passed `_checked_stat`, at most `max_bytes + 1`, and its stat when opened;
    raises `Rejected` if it is no longer a regular file within the limit. It is opened non-blocking, so a
    FIFO swapped in after the check still cannot hang the build."""
    fd = os.open(entry.path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fd)
        _check_regular(st, max_bytes)
        return fh.read(max_bytes + 1), st


@dataclass(frozen=True)
class InputFile:
    """One readable regular file of the input folder: its entry name, its bytes and their sha256 (None
    when the file grew over the size limit while read; `raw` then holds the first limit + 1 bytes).
    `raw` is None when the scan did not read the file (see `scan_folder`): `read` reads it from `path`."""

    name: str
    raw: bytes | None
    sha256: str | None
    path: str | None = None
    url: str | None = None  # where the bytes came from, when the input says (a WARC record's target URI)
    listed: "Source | None" = None  # what the metadata file says of this file (`--metadata`)

    def read(self) -> bytes:
        """The file's bytes; raises `OSError`, or `Rejected` when they are no longer the bytes hashed."""
        if self.raw is not None:
            return self.raw
        with open(self.path, "rb") as fh:
            raw = fh.read()
        if hashlib.sha256(raw).hexdigest() != self.sha256:
            raise Rejected("unreadable", "changed while the build ran (its bytes differ from those hashed "
                                         "when the folder was scanned)")
        return raw


def unreadable_entry(name: str, sha: str | None, exc: OSError) -> QuarantineEntry:
    why = exc.strerror or entry_name(str(exc))
    return quarantine_entry(name, sha, "unreadable",
                           f"cannot be read ({type(exc).__name__}: {why})")


def ingest_error_message(exc: Exception, stage: str = "ingesting") -> str:
    return f"unexpected {type(exc).__name__} while {stage}: {entry_name(str(exc))} (a bug: report it)"


def near_duplicate_message(first: str) -> str:
    return f"same main text as {first} (ignoring case, punctuation, spacing, markup and encoding)"


def scan_folder(input_dir: Path, params: Params, path_prefix: str | None = None,
                hashes: "FileHashes | None" = None, known: Callable[[str], bool] = lambda sha256: False,
                metadata: Mapping[str, Source] | None = None) -> Iterator[InputFile | QuarantineEntry]:
    """Every entry of `input_dir` sorted by name: its bytes, or why it cannot be read as an article; a file
    listed in `metadata` (`read_metadata`, by file name) carries its row.

    With `hashes` (`pipeline.runtime.cache.FileHashes`), a file is not read when its sha256 is recorded there for
    its current stat and `known(sha256)` (its outcome is cached): its `raw` is None. Files read are
    recorded there."""
    prefix = path_prefix if path_prefix is not None else _default_prefix(input_dir)
    root = _root(input_dir)
    for entry in _entries(input_dir):
        name = _entry_path(prefix, entry.name)
        if is_archive(entry.name) and _is_readable_archive(entry, input_dir):
            yield from _archive_items(entry, name, params)
            continue
        listed = metadata.get(entry.name) if metadata else None
        try:
            checked = _checked_stat(entry, root, params.max_file_bytes)
            sha = hashes.get(entry.path, checked) if hashes is not None else None
            if sha is not None and known(sha):
                yield InputFile(name, None, sha, entry.path, listed=listed)
                continue
            read_ns = time.time_ns()
            raw, st = _read_regular_file(entry, params.max_file_bytes)
        except Rejected as rejected:
            yield quarantine_entry(name, None, rejected.reason, rejected.message)
        except OSError as exc:
            yield unreadable_entry(name, None, exc)
        except Exception as exc:  # noqa: BLE001 - one entry must never stop the build
            yield quarantine_entry(name, None, "ingest_error", ingest_error_message(exc))
        else:
            sha = hashlib.sha256(raw).hexdigest() if len(raw) <= params.max_file_bytes else None
            if hashes is not None and sha is not None:
                hashes.put(entry.path, st, read_ns, sha)
            yield InputFile(name, raw, sha, listed=listed)


@dataclass(frozen=True)
class Source:
    """A file's row of the metadata file: its address and site."""

    url: str | None
    site: str | None


register(Source)


def with_source(document: dict, item: InputFile) -> dict:
    """A document record with the address and site its input gives: the metadata file's values win over the
    page's; a WARC record's target URI fills an address the page lacks. Outcomes are cached by content, so
    this joins in the building process, after the worker."""
    url, site = document.get("url"), document.get("site")
    if item.url and not url:
        url = item.url
    if item.listed is not None:
        url, site = item.listed.url or url, item.listed.site or site
    if (url, site) == (document.get("url"), document.get("site")):
        return document
    return {**document, "url": url, "site": site}


METADATA_COLUMNS = ("file", "url", "site")


class MetadataError(ValueError):
    """A metadata file that cannot be read: the message names the file and the reason."""


def read_metadata(path: Path) -> dict[str, Source]:
    """The metadata file (`--metadata`): CSV (or tab-separated when named .tsv) with a header naming `file`
    and `url` and/or `site` (`outlet` is read as `site`); one row per file of the input folder, by name."""
    import csv

    try:
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh, delimiter="\t" if path.suffix == ".tsv" else ",")
            header = [h.strip() for h in reader.fieldnames or []]
            rows = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise MetadataError(f"{path}: cannot be read as CSV ({type(exc).__name__}: {exc})") from exc
    columns = {("site" if h == "outlet" else h) for h in header}
    if "file" not in columns or not columns & {"url", "site"}:
        raise MetadataError(f"{path}: the header must name file and url or site, not {', '.join(header) or 'nothing'}")
    out: dict[str, Source] = {}
    for n, row in enumerate(rows, start=2):
        row = {("site" if k.strip() == "outlet" else k.strip()): (v or "").strip() for k, v in row.items() if k}
        name = row.get("file", "")
        if not name:
            raise MetadataError(f"{path}: line {n} names no file")
        if name in out:
            raise MetadataError(f"{path}: line {n} names {name} again")
        out[name] = Source(row.get("url") or None, row.get("site") or None)
    return out


def _archive_items(entry: os.DirEntry, name: str, params: Params) -> Iterator[InputFile | QuarantineEntry]:
    """The entries of one WARC archive: its response records as input files, or set aside with their reason."""
    try:
        for record in warc_records(entry.path, name, params.max_file_bytes):
            if isinstance(record, BadRecord):
                yield quarantine_entry(record.name, None, record.reason, record.message)
            else:
                yield InputFile(record.name, record.payload, hashlib.sha256(record.payload).hexdigest(),
                                url=record.url)
    except OSError as exc:
        yield unreadable_entry(name, None, exc)


def ingest_folder(input_dir: Path, params: Params, path_prefix: str | None = None,
                  metadata: Mapping[str, Source] | None = None) -> tuple[list[IngestedDocument], list[QuarantineEntry]]:
    """Every entry of `input_dir`, published or quarantined. Of several copies of one article
    (same bytes, or the same main text) the first by name is published."""
    docs: list[IngestedDocument] = []
    quarantine: list[QuarantineEntry] = []
    by_sha: dict[str, str] = {}
    by_main_text: dict[str, str] = {}
    for item in scan_folder(input_dir, params, path_prefix, metadata=metadata):
        if isinstance(item, QuarantineEntry):
            quarantine.append(item)
            continue
        try:
            if item.sha256 in by_sha:
                raise Rejected("duplicate", f"same bytes as {by_sha[item.sha256]}")
            doc, key = ingest_article(item.raw, item.name, params)
            doc = IngestedDocument(Document.model_validate(with_source(doc.document.model_dump(), item)),
                                   doc.text, doc.kept)
            if key in by_main_text:
                raise Rejected("near_duplicate", near_duplicate_message(by_main_text[key]))
            by_sha[doc.document.sha256] = by_main_text[key] = item.name
            docs.append(doc)
        except Rejected as rejected:
            quarantine.append(quarantine_entry(item.name, item.sha256, rejected.reason,
                                              rejected.message))
        except OSError as exc:
            quarantine.append(unreadable_entry(item.name, item.sha256, exc))
        except Exception as exc:  # noqa: BLE001 - one entry must never stop the build
            quarantine.append(quarantine_entry(item.name, item.sha256, "ingest_error",
                                              ingest_error_message(exc)))
    return docs, quarantine
