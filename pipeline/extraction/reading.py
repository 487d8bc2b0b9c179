"""Reading one article: raw bytes -> decoded NFC text, main-text ranges and its document record, or `Rejected`.

For every readable file the ingest stage and the build's workers call `ingest_article`: it decodes the
bytes (UTF-8, UTF-16, legacy code pages), reads an HTML page's article (`html.read_page`), finds the main text (`segment`), detects the
language and makes the `Document` record, or raises `Rejected` with a quarantine reason code.
`main_text_key` is the identity of a main text, by which near-duplicates are found.
"""
from __future__ import annotations

import codecs
import hashlib
import json
import re
from dataclasses import dataclass

from pipeline.core.ids import make_id
from pipeline.core.params import Params
from pipeline.extraction.html import read_page
from pipeline.extraction.segment import segment
from pipeline.extraction.text import fold, nfc
from schemas.records import Document

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


def ingest_bytes(raw: bytes, source_path: str, params: Params) -> IngestedDocument:
    """One article's bytes -> its document record and main text. Raises `Rejected`. The bytes alone decide
    it (outcomes are cached by content): an address the input gives joins later (`runtime.inputs.with_source`)."""
    if len(raw) > params.max_file_bytes:
        raise Rejected("too_large", f"{len(raw)} bytes, over the limit of {params.max_file_bytes} (params.yaml)")
    if not raw.strip():
        raise Rejected("empty", "empty or whitespace-only file")
    text, encoding = decode(raw)
    text = nfc(text.replace("\r\n", "\n").replace("\r", "\n"))
    page = None
    if _HTML.search(text[:2000]):
        page = read_page(text)
        encoding += "+html"
        if page is None or page.body_chars < params.min_main_chars:
            raise Rejected("html_without_text", f"HTML page without article text ({page.body_chars if page else 0} "
                                                f"characters, minimum {params.min_main_chars})")
        text = nfc(page.text)
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
    published, precision = seg.published, seg.published_precision
    if published is None and page is not None and page.published is not None:
        published, precision = page.published, "day"
    document = Document(
        doc_id=make_id("doc", sha), source_path=source_path, sha256=sha, title=seg.title,
        published=published, published_precision=precision, language=language,
        outlet=seg.outlet, dateline=seg.dateline, n_chars=seg.n_chars, text_length=len(text), encoding=encoding,
        url=page.url if page is not None else None, site=page.site if page is not None else None)
    return IngestedDocument(document, text, seg.kept)



def main_text_key(doc: IngestedDocument) -> str:
    """Identity of an article's main text: NFC, case-folded, punctuation and whitespace removed.
    Two files with the same key are the same article in different wrapping (markup, page
    chrome, line endings, encoding); any different word, name or number gives another key."""
    main = nfc(" ".join(doc.text[s:e] for s, e in doc.kept)).casefold()
    return hashlib.sha256(" ".join(re.findall(r"[^\W_]+", main)).encode("utf-8")).hexdigest()



def ingest_article(raw: bytes, name: str, params: Params) -> tuple[IngestedDocument, str]:
    """One article and its `main_text_key`; raises `Rejected` (or any error: a bug, quarantined)."""
    doc = ingest_bytes(raw, name, params)
    return doc, main_text_key(doc)
