"""Stage 1, ingest: input folder -> document records, main text, quarantine.

For every entry of the input folder (sorted by name) it produces exactly
one of: an `IngestedDocument` (a valid `Document` record, the decoded NFC
text and the kept main-text ranges) or a `QuarantineEntry` with a reason
code. Nothing is dropped silently, and one bad file never stops the build.

    python -m pipeline.ingest INPUT_DIR OUT_FILE
"""
from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from pipeline.ids import make_id
from pipeline.params import Params, load_params
from pipeline.segment import segment
from pipeline.text import fold, nfc
from schemas.records import Document, QuarantineEntry

_VI_MARKS = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹàáèéìíòóùúýõã]", re.IGNORECASE)
_EN_WORDS = re.compile(r"\b(?:the|of|and|to|in|with|for|on|is|was|said)\b", re.IGNORECASE)
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
    if raw.startswith(codecs.BOM_UTF8):
        return raw[3:].decode("utf-8"), "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise Rejected("undecodable", f"UTF-16 byte-order mark but invalid UTF-16: {exc}") from exc
    if b"\x00" in raw:
        raise Rejected("binary", "contains NUL bytes: not a text file")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None or best.encoding is None:
        raise Rejected("undecodable", "not valid UTF-8 and no legacy encoding fits")
    return str(best), best.encoding


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
        skip = {"script", "style", "nav", "header", "footer", "aside", "form", "noscript"}

        def __init__(self):
            super().__init__()
            self.parts: list[str] = []
            self.depth = 0

        def handle_starttag(self, tag, attrs):
            if tag in self.skip:
                self.depth += 1
            elif tag in ("p", "br", "div", "h1", "h2", "h3", "li", "figcaption", "title"):
                self.parts.append("\n")

        def handle_endtag(self, tag):
            if tag in self.skip and self.depth:
                self.depth -= 1

        def handle_data(self, data):
            if not self.depth:
                self.parts.append(data)

    parser = _Text()
    parser.feed(html)
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


def _safe_name(name: str) -> bool:
    return not any(ord(c) < 32 or ord(c) == 127 for c in name)


def _display(path: Path) -> str:
    return str(path).encode("unicode_escape").decode("ascii") if not _safe_name(str(path)) else str(path)


@dataclass(frozen=True)
class InputFile:
    """One readable regular file of the input folder: its path as published (and as shown in the
    quarantine table), its bytes and their sha256 (None when the file is over the size limit; `raw` then
    holds only the first limit + 1 bytes)."""

    path: str
    raw: bytes
    sha256: str | None

    @property
    def shown(self) -> str:
        return _display(Path(self.path))


def scan_folder(input_dir: Path, params: Params, path_prefix: str | None = None,
                ) -> Iterator[InputFile | QuarantineEntry]:
    """Every entry of `input_dir` sorted by name: its bytes, or why it cannot be read as an article."""
    prefix = path_prefix if path_prefix is not None else input_dir.as_posix()
    root = input_dir.resolve()
    for entry in sorted(os.scandir(input_dir), key=lambda e: e.name):
        rel = f"{prefix.rstrip('/')}/{entry.name}" if prefix else entry.name
        try:
            if not _safe_name(entry.name):
                raise Rejected("bad_file_name", "file name contains control characters")
            if entry.is_symlink():
                target = Path(os.path.realpath(entry.path))
                if root not in target.parents:
                    raise Rejected("symlink_outside_input", f"symbolic link to {target}, outside the input folder")
            st = os.stat(entry.path)
            if not stat.S_ISREG(st.st_mode):
                raise Rejected("not_a_regular_file", "not a regular file (folder, FIFO, device or socket)")
            with open(entry.path, "rb") as fh:
                raw = fh.read(params.max_file_bytes + 1)
        except Rejected as rejected:
            yield QuarantineEntry(file=_display(Path(rel)), sha256=None, reason=rejected.reason,
                                  message=rejected.message)
            continue
        except OSError as exc:
            yield QuarantineEntry(file=_display(Path(rel)), sha256=None, reason="unreadable", message=str(exc))
            continue
        yield InputFile(rel, raw, hashlib.sha256(raw).hexdigest() if len(raw) <= params.max_file_bytes else None)


def ingest_folder(input_dir: Path, params: Params, path_prefix: str | None = None,
                  ) -> tuple[list[IngestedDocument], list[QuarantineEntry]]:
    """Every entry of `input_dir`, published or quarantined (duplicates keep the first by name)."""
    docs: list[IngestedDocument] = []
    quarantine: list[QuarantineEntry] = []
    seen: dict[str, str] = {}
    for item in scan_folder(input_dir, params, path_prefix):
        if isinstance(item, QuarantineEntry):
            quarantine.append(item)
            continue
        try:
            if item.sha256 in seen:
                raise Rejected("duplicate", f"same bytes as {seen[item.sha256]}")
            doc = ingest_bytes(item.raw, item.path, params)
            seen[doc.document.sha256] = item.path
            docs.append(doc)
        except Rejected as rejected:
            quarantine.append(QuarantineEntry(file=item.shown, sha256=item.sha256,
                                              reason=rejected.reason, message=rejected.message))
    return docs, quarantine


def main(argv: list[str] | None = None) -> None:
    input_dir, out_file = (Path(a) for a in (argv or sys.argv[1:]))
    docs, quarantine = ingest_folder(input_dir, load_params())
    out_file.parent.mkdir(parents=True, exist_ok=True)
    with out_file.open("w", encoding="utf-8") as fh:
        for doc in docs:
            fh.write(doc.to_json() + "\n")
    with out_file.with_name("quarantine.jsonl").open("w", encoding="utf-8") as fh:
        for q in quarantine:
            fh.write(q.model_dump_json() + "\n")
    print(f"ingest: {len(docs)} documents, {len(quarantine)} quarantined")


if __name__ == "__main__":
    main()
