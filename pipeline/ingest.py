"""Stage 1, ingest: input folder -> document records, main text, quarantine.

For every entry of the input folder (sorted by name) it produces exactly
one of: an `IngestedDocument` (a valid `Document` record, the decoded NFC
text and the kept main-text ranges) or a `QuarantineEntry` with a reason
code. Nothing is dropped silently, and one bad file never stops the build:
special files are never opened blocking, and an unexpected error on one
entry quarantines that entry. `list_inputs` is the inventory the validate
stage checks the outcome against (inputs = published + quarantined).

An entry is named by its path with control characters, undecodable bytes
and backslashes escaped (`entry_name`), so every name fits in JSON and
Parquet and two entries never share a name.

    python -m pipeline.ingest INPUT_DIR OUT_FILE   # + inputs.json, quarantine.jsonl beside OUT_FILE
"""
from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
import stat
import sys
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

from pipeline.core.ids import make_id
from pipeline.core.params import Params, load_params
from pipeline.extraction.segment import segment
from pipeline.extraction.text import fold, nfc
from schemas.records import Document, QuarantineEntry

if TYPE_CHECKING:
    from pipeline.runtime.cache import FileHashes

_VI_MARKS = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹàáèéìíòóùúýõã]", re.IGNORECASE)
_EN_WORDS = re.compile(r"\b(?:the|of|and|to|in|with|for|on|is|was|said)\b", re.IGNORECASE)
#: Legacy code pages of the corpus languages (Vietnamese, Western), tried before any other: left
#: free, the detector takes English cp1252 curly quotes for cp852 letters.
_CORPUS_LEGACY_ENCODINGS = ["cp1258", "cp1252"]
_HTML = re.compile(r"<\s*(?:html|body|div|p|article|head)\b", re.IGNORECASE)


@dataclass(frozen=True)
class IngestedDocument:
    document: Document
    text: str
    kept: list[tuple[int, int]]

    def to_json(self) -> str:
        return json.dumps({"document": self.document.model_dump(mode="json"), "text": self.text,
                           "kept": self.kept}, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, line: str) -> "IngestedDocument":
        raw = json.loads(line)
        return cls(Document.model_validate(raw["document"]), raw["text"], [tuple(r) for r in raw["kept"]])


class Rejected(Exception):
    """An input that cannot be published; `reason` is a quarantine code."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


def decode(raw: bytes) -> tuple[str, str]:
    """Decoded text and the encoding used: UTF-8 (with or without BOM), UTF-16 with BOM,
    then a detected legacy encoding. Raises `Rejected` when none fits."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise Rejected("undecodable", f"UTF-16 byte-order mark but invalid UTF-16: {exc}") from exc
    if b"\x00" in raw:
        raise Rejected("binary", "contains NUL bytes: not a text file")
    if raw.startswith(codecs.BOM_UTF8):
        try:
            return raw[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise Rejected("undecodable", f"UTF-8 byte-order mark but invalid UTF-8: {exc}") from exc
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    for candidates in (_CORPUS_LEGACY_ENCODINGS, None):
        best = from_bytes(raw, cp_isolation=candidates).best()
        if best is not None and best.encoding is not None:
            return str(best), best.encoding
    raise Rejected("undecodable", "not valid UTF-8 and no legacy encoding fits")


def detect_language(text: str) -> str | None:
    """`vi`, `en`, or None for anything else (by Vietnamese letters and English function words)."""
    letters = sum(map(str.isalpha, text))
    if letters < 20:
        return None
    if len(_VI_MARKS.findall(text)) / letters > 0.03:
        return "vi"
    words = max(1, len(text.split()))
    if len(_EN_WORDS.findall(text)) / words > 0.04:
        return "en"
    folded = fold(text).lower()
    if len(re.findall(r"\b(?:cua|va|cac|voi|duoc|trong|nhung|thanh pho|tinh)\b", folded)) / words > 0.04:
        return "vi"
    return None


def _html_to_text(html: str) -> str:
    from html.parser import HTMLParser

    class _Text(HTMLParser):
        skip = {"script", "style", "nav", "header", "footer", "aside", "form", "noscript", "title"}

        def __init__(self):
            super().__init__()
            self.parts: list[str] = []
            self.depth = 0

        def handle_starttag(self, tag, attrs):
            if tag in self.skip:
                self.depth += 1
            elif tag in ("p", "br", "div", "h1", "h2", "h3", "li", "figcaption"):
                self.parts.append("\n")

        def handle_endtag(self, tag):
            if tag in self.skip and self.depth:
                self.depth -= 1

        def handle_data(self, data):
            if not self.depth:
                self.parts.append(data)

        def parse_marked_section(self, i, report=1):
            try:
                return super().parse_marked_section(i, report)
            except AssertionError:  # `<![unknown ...`: skip it to the next `>`, as browsers do
                end = self.rawdata.find(">", i)
                return -1 if end < 0 else end + 1

    parser = _Text()
    parser.feed(html)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).split("\n")]
    return "\n".join(line for line in lines if line)


def ingest_bytes(raw: bytes, source_path: str, params: Params) -> IngestedDocument:
    """One article's bytes -> its document record and main text. Raises `Rejected`."""
    if len(raw) > params.max_file_bytes:
        raise Rejected("too_large", f"{len(raw)} bytes, over the limit of {params.max_file_bytes} (params.yaml)")
    if not raw.strip():
        raise Rejected("empty", "empty or whitespace-only file")
    text, encoding = decode(raw)
    text = nfc(text.replace("\r\n", "\n").replace("\r", "\n"))
    if _HTML.search(text[:2000]):
        text = _html_to_text(text)
        encoding += "+html"
        if not text.strip():
            raise Rejected("html_without_text", "HTML page without article text")
    if not text.strip():
        raise Rejected("empty", "no text after decoding")
    seg = segment(text)
    main = "".join(text[s:e] for s, e in seg.kept)
    if len(main.strip()) < params.min_main_chars:
        raise Rejected("no_main_text", f"{len(main.strip())} characters of main text after boilerplate removal "
                                       f"(minimum {params.min_main_chars})")
    language = detect_language(main)
    if language is None:
        raise Rejected("unsupported_language", "main text is neither English nor Vietnamese")
    sha = hashlib.sha256(raw).hexdigest()
    document = Document(
        doc_id=make_id("doc", sha), source_path=source_path, sha256=sha, title=seg.title,
        published=seg.published, published_precision=seg.published_precision, language=language,
        outlet=seg.outlet, dateline=seg.dateline, n_chars=seg.n_chars, text_length=len(text), encoding=encoding)
    return IngestedDocument(document, text, seg.kept)


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


def _entries(input_dir: Path) -> list[os.DirEntry]:
    with os.scandir(input_dir) as listing:
        return sorted(listing, key=lambda e: e.name)


def _entry_path(prefix: str, name: str) -> str:
    return entry_name(f"{prefix.rstrip('/')}/{name}" if prefix else name)


def list_inputs(input_dir: Path, path_prefix: str | None = None) -> list[str]:
    """The inventory: the name of every entry of `input_dir`, as the release names it."""
    prefix = path_prefix if path_prefix is not None else input_dir.as_posix()
    return [_entry_path(prefix, entry.name) for entry in _entries(input_dir)]


def main_text_key(doc: IngestedDocument) -> str:
    """Identity of an article's main text: NFC, case-folded, punctuation and whitespace removed.
    Two files with the same key are the same article in different wrapping (markup, page
    chrome, line endings, encoding); any different word, name or number gives another key."""
    main = nfc(" ".join(doc.text[s:e] for s, e in doc.kept)).casefold()
    return hashlib.sha256(" ".join(re.findall(r"[^\W_]+", main)).encode("utf-8")).hexdigest()


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
    return QuarantineEntry(file=name, sha256=sha, reason="unreadable",
                           message=f"cannot be read ({type(exc).__name__}: {why})")


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
            yield QuarantineEntry(file=name, sha256=None, reason=rejected.reason, message=rejected.message)
        except OSError as exc:
            yield unreadable_entry(name, None, exc)
        except Exception as exc:  # noqa: BLE001 - one entry must never stop the build
            yield QuarantineEntry(file=name, sha256=None, reason="ingest_error", message=ingest_error_message(exc))
        else:
            sha = hashlib.sha256(raw).hexdigest() if len(raw) <= params.max_file_bytes else None
            if hashes is not None and sha is not None:
                hashes.put(entry.path, st, read_ns, sha)
            yield InputFile(name, raw, sha)


def ingest_article(raw: bytes, name: str, params: Params) -> tuple[IngestedDocument, str]:
    """One article and its `main_text_key`; raises `Rejected` (or any error: a bug, quarantined)."""
    doc = ingest_bytes(raw, name, params)
    return doc, main_text_key(doc)


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
            quarantine.append(QuarantineEntry(file=item.name, sha256=item.sha256, reason=rejected.reason,
                                              message=rejected.message))
        except OSError as exc:
            quarantine.append(unreadable_entry(item.name, item.sha256, exc))
        except Exception as exc:  # noqa: BLE001 - one entry must never stop the build
            quarantine.append(QuarantineEntry(file=item.name, sha256=item.sha256, reason="ingest_error",
                                              message=ingest_error_message(exc)))
    return docs, quarantine


def main(argv: list[str] | None = None) -> None:
    input_dir, out_file = (Path(a) for a in (argv or sys.argv[1:]))
    docs, quarantine = ingest_folder(input_dir, load_params())
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
