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
from typing import TYPE_CHECKING, Callable, Iterator

from pipeline.core.params import Params
from pipeline.extraction.reading import IngestedDocument, Rejected, ingest_article
from schemas.records import QuarantineEntry

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
    path: what `os.listdir` returns for it (as bytes), whatever the escapes of the display form."""
    base = name.rsplit("/", 1)[-1]
    raw = _UNESCAPE.sub(lambda m: chr(0xDC00 + int(m.group(1), 16)) if m.group(1)
                        else chr(int(m.group(2), 16)) if m.group(2) else _UNESCAPES[m.group(3)], base)
    return os.fsencode(raw).hex()


def quarantine_entry(name: str, sha256: str | None, reason: str, message: str) -> QuarantineEntry:
    """The quarantine row of the entry `name` (as `entry_name` gives it)."""
    return QuarantineEntry(file=name, file_name_hex=file_name_hex(name), sha256=sha256, reason=reason,
                           message=message)


def _entries(input_dir: Path) -> list[os.DirEntry]:
    with os.scandir(input_dir) as listing:
        return sorted(listing, key=lambda e: e.name)


def _entry_path(prefix: str, name: str) -> str:
    return entry_name(f"{prefix.rstrip('/')}/{name}" if prefix else name)


def list_inputs(input_dir: Path, path_prefix: str | None = None) -> list[str]:
    """The inventory: the name of every entry of `input_dir`, as the release names it."""
    prefix = path_prefix if path_prefix is not None else input_dir.as_posix()
    return [_entry_path(prefix, entry.name) for entry in _entries(input_dir)]


def _checked_stat(entry: os.DirEntry, root: Path, max_bytes: int) -> os.stat_result:
    """The stat of an entry that can be read as an article; raises `Rejected` for anything else."""
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


def _check_regular(st: os.stat_result, max_bytes: int) -> None:
    if not stat.S_ISREG(st.st_mode):
        raise Rejected("not_a_regular_file", "not a regular file (folder, FIFO, device or socket)")
    if st.st_size > max_bytes:
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
                ) -> Iterator[InputFile | QuarantineEntry]:
    """Every entry of `input_dir` sorted by name: its bytes, or why it cannot be read as an article.

    With `hashes` (`pipeline.runtime.cache.FileHashes`), a file is not read when its sha256 is recorded there for
    its current stat and `known(sha256)` (its outcome is cached): its `raw` is None. Files read are
    recorded there."""
    prefix = path_prefix if path_prefix is not None else input_dir.as_posix()
    root = input_dir.resolve()
    for entry in _entries(input_dir):
        name = _entry_path(prefix, entry.name)
        try:
            checked = _checked_stat(entry, root, params.max_file_bytes)
            sha = hashes.get(entry.path, checked) if hashes is not None else None
            if sha is not None and known(sha):
                yield InputFile(name, None, sha, entry.path)
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
            yield InputFile(name, raw, sha)


def ingest_folder(input_dir: Path, params: Params, path_prefix: str | None = None,
                  ) -> tuple[list[IngestedDocument], list[QuarantineEntry]]:
    """Every entry of `input_dir`, published or quarantined. Of several copies of one article
    (same bytes, or the same main text) the first by name is published."""
    docs: list[IngestedDocument] = []
    quarantine: list[QuarantineEntry] = []
    by_sha: dict[str, str] = {}
    by_main_text: dict[str, str] = {}
    for item in scan_folder(input_dir, params, path_prefix):
        if isinstance(item, QuarantineEntry):
            quarantine.append(item)
            continue
        try:
            if item.sha256 in by_sha:
                raise Rejected("duplicate", f"same bytes as {by_sha[item.sha256]}")
            doc, key = ingest_article(item.raw, item.name, params)
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
