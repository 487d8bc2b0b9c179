"""Text primitives shared by every stage: folding, tokens and sentences.

Invariant: every function keeps offsets into the document's decoded text.
`fold` maps each character to one character (accents off, đ -> d), so the
folded text has the same length as the original and spans carry over as is;
`tokens` splits glued scraper words (`ofBen`, `AffairsNguyen`) at case
changes without inserting anything.
"""
from __future__ import annotations

import re
import sys
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from pipeline.extraction.cuescan import CASE_TRAPS, may_match


@lru_cache(maxsize=None)
def _fold_char(char: str) -> str:
    if char in "đĐ":
        return "d" if char == "đ" else "D"
    if char in "’‘ʼ":
        return "'"  # typographic apostrophes: "People’s" reads as "People's"
    base = unicodedata.normalize("NFD", char)[0]
    return base if len(base) == 1 else char


class _FoldTable(dict):
    """str.translate table filled on first sight of each character with `_fold_char`."""

    def __missing__(self, code: int) -> str:
        self[code] = folded = _fold_char(chr(code))
        return folded


_FOLD_TABLE = _FoldTable()


@lru_cache(maxsize=256)  # a document's main text is folded by several passes
def fold(text: str) -> str:
    """Same-length copy of `text` without diacritics (`Hà Nội` -> `Ha Noi`)."""
    if text.isascii():
        return text
    return text.translate(_FOLD_TABLE)


_KEY_WORD = re.compile(r"[^\W_]+")


def fold_key(text: str) -> str:
    """Comparison key: folded, case-free, punctuation-free, single spaces."""
    text = fold(text).casefold().replace("’", "'")
    return " ".join(_KEY_WORD.findall(text))


class Token(NamedTuple):
    text: str  # folded surface
    start: int
    end: int

    @property
    def is_word(self) -> bool:
        return self.text[:1].isalpha()


_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d+(?:[.,/:-]\d+)*|[^\s\w]", re.UNICODE)
# a lower-case run of 2+ letters glued to a capitalised word: `ofBen`, `AffairsNguyen`
_GLUE = re.compile(r"(?<=[a-z]{2})(?=[A-Z][a-z])")
_NO_SPLIT_PREFIXES = ("Mc", "Mac")
_POSSESSIVES = ("’s", "'s")
#: a possessive that is part of body names ("People’s Committee") stays one token
_KEEP_POSSESSIVE = frozenset({"People"})


# where a word may need splitting: a possessive ending or a glue cut
_SPLIT_MARK = re.compile(r"['’]s|(?<=[a-z]{2})(?=[A-Z][a-z])")


def tokens(folded: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Tokens of `folded[start:end]`, splitting glued words at case changes and possessive endings off names."""
    end = len(folded) if end is None else end
    # `findall` then `find` is quicker than a match object per word; a word starts at the first place
    # `find` gives, since the characters `_WORD` skips (white space, `_`) never start a word
    out, pos, find, new = [], start, folded.find, tuple.__new__
    for word in _WORD.findall(folded, start, end):
        pos = find(word, pos)
        out.append(new(Token, (word, pos, pos := pos + len(word))))
    marks = [m.start() for m in _SPLIT_MARK.finditer(folded, start, end)]
    if not marks:
        return out
    starts = [t.start for t in out]
    # the few words with a mark are split, from the last so earlier indices hold
    for i in sorted({bisect_right(starts, mark) - 1 for mark in marks} - {-1}, reverse=True):
        out[i:i + 1] = _word_tokens(*out[i])
    return out


def _word_tokens(word: str, s: int, e: int) -> list[Token]:
    """One matched word as its tokens: a name and its possessive ending, or the parts of glued words."""
    if word[-2:] in _POSSESSIVES and word[:1].isupper() and word[:-2] not in _KEEP_POSSESSIVE:
        return [Token(word[:-2], s, e - 2), Token(word[-2:], e - 2, e)]  # "Japan’s", "Trong’s"
    # a glue cut needs an upper-case letter after two lower-case ones: most words have none
    if len(word) <= 3 or word[2:].islower() or not word[:1].isalpha():
        return [Token(word, s, e)]
    cuts = [c.start() for c in _GLUE.finditer(word)]
    cuts = [c for c in cuts if word[:c] not in _NO_SPLIT_PREFIXES]
    parts, prev = [], 0
    for cut in cuts + [len(word)]:
        parts.append(Token(word[prev:cut], s + prev, s + cut))
        prev = cut
    return parts


_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]*\s+(?=[\"“‘(]?[A-ZÀ-Ỹ0-9])|\n+|(?<=\./\.)")
#: A full stop that ends a title or an initial, not a sentence: "Ms. Tran", "Daniel J. Brown", "led by Rep. Kim",
#: "đoàn đại biểu TP. Hải Phòng" (thành phố), "PGS. TS. Nguyễn" (academic titles).
_ABBREVIATION_BEFORE = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Mme|Dr|Prof|Rep|Sen|Gov|Gen|Lt|Col|Maj|Capt|Amb|Hon|Messrs|Sgt|Adm|Cdr|Fr|Rev"
    r"|TP|Tp|TX|PGS|GS|TS|ThS|BS|KS|CN)|(?<!\w)[A-Z])\.$")


def sentences(text: str, ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentence spans inside the kept `ranges` of `text` (stripped, non-empty)."""
    return list(_sentences(text, tuple(map(tuple, ranges))))


@lru_cache(maxsize=4)  # the event and the agreement passes read the same document's sentences
def _sentences(text: str, ranges: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    out = []
    for r_start, r_end in ranges:
        pos = r_start
        for m in _SENTENCE_END.finditer(text, r_start, r_end):
            if text[m.start() - 1] == "." and _ABBREVIATION_BEFORE.search(text, max(r_start, m.start() - 8), m.start()):
                continue  # "Ms. Tran": a title's full stop
            out.append((pos, m.start()))
            pos = m.end()
        out.append((pos, r_end))
    spans = []
    for s, e in out:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e - s >= 2:
            spans.append((s, e))
    return tuple(spans)


# a backreference or a conditional group: numbering shifts when patterns are joined, so never joined
_NUMBERED_REFERENCE = re.compile(r"\\[1-9]|\(\?P=|\(\?\(")
_JOINED: dict[int, tuple[Sequence[re.Pattern], re.Pattern | None]] = {}


def _joined(patterns: Sequence[re.Pattern]) -> re.Pattern | None:
    """One pattern matching wherever one of `patterns` matches, or None when they cannot be joined
    (different flags, backreferences, clashing group names, inline global flags). Cached per sequence
    object (rule lists are built once and never changed; the entry keeps the sequence alive, so its id
    is never reused)."""
    cached = _JOINED.get(id(patterns))
    if cached is not None and cached[0] is patterns:
        return cached[1]
    joined = None
    flags = {p.flags for p in patterns}
    if len(flags) == 1 and not any(_NUMBERED_REFERENCE.search(p.pattern) for p in patterns):
        try:
            joined = re.compile("|".join(f"(?:{p.pattern})" for p in patterns), flags.pop())
        except re.error:
            joined = None
    _JOINED[id(patterns)] = (patterns, joined)
    return joined


def matches_any(patterns: Sequence[re.Pattern], text: str, pos: int = 0, endpos: int = sys.maxsize,
                low: str | None = None) -> bool:
    """`any(p.search(text, pos, endpos) for p in patterns)`, in one regex pass when the patterns join;
    `low` is `lowered(text)` when the caller has it (see `found_in`)."""
    if not patterns:
        return False
    joined = _joined(patterns)
    if joined is None:
        return any(p.search(text, pos, endpos) for p in patterns)
    return found_in(joined, text, low, pos, endpos)


def found_in(pattern: re.Pattern, text: str, low: str | None, pos: int = 0, endpos: int = sys.maxsize) -> bool:
    """Whether `pattern` matches in `text[pos:endpos]`; `low` is `lowered(text)` or None. It runs only where
    one of its required literals occurs (`cuescan.may_match`); with `low`, an IGNORECASE pattern runs
    case-sensitively on it when its source allows (quicker, same answer)."""
    if not may_match(pattern, text, pos, endpos):
        return False
    twin = case_sensitive(pattern) if low is not None else None
    if twin is None:
        return pattern.search(text, pos, endpos) is not None
    return twin.search(low, pos, endpos) is not None


# in a text without `CASE_TRAPS`, lower-cased, a case-sensitive pattern finds what IGNORECASE finds (a test
# checks all of Unicode)
#: escapes that stand for no letter: \b \w \s \d, their negations, \A \Z, an escaped punctuation mark
_LETTERLESS_ESCAPE = re.compile(r"\\(?:[bBwWsSdDAZ]|[^\w])")
_INLINE_FLAG = re.compile(r"\(\?[aiLmsux-]")


def lowered(text: str) -> str | None:
    """`text.lower()` for `case_sensitive` patterns (same offsets), or None when `text` holds a character
    on which they could match otherwise than IGNORECASE does."""
    return None if CASE_TRAPS.search(text) else text.lower()


@lru_cache(maxsize=None)  # rule patterns: compiled once, never freed
def case_sensitive(pattern: re.Pattern) -> re.Pattern | None:
    """For `lowered` texts: the IGNORECASE `pattern`'s source without IGNORECASE (quicker in `re`), which
    matches there where `pattern` matches in the original text; None when `pattern` is case-sensitive or
    its source may hold a letter of either case."""
    rest = _LETTERLESS_ESCAPE.sub("", pattern.pattern)
    # a letter other than a-z may have another case; another escape may be one (\x41, \N{...}); so may a flag
    case_free = "\\" not in rest and not _INLINE_FLAG.search(rest) \
        and all("a" <= c <= "z" or c.lower() == c == c.upper() for c in rest)
    if not pattern.flags & re.IGNORECASE or not case_free:
        return None
    return re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


#: Vietnamese tone marks (combining): grave, acute, hook above, tilde, dot below
_TONE_MARKS = "\u0300\u0301\u0309\u0303\u0323"
#: an open syllable ending in oa, oe or uy (not the uy of "qu"): the one place where the two spelling
#: conventions put the tone apart ("hoà" and "hòa", "thuỷ" and "thủy")
_OPEN_GLIDE = re.compile(r"(?:o[ae]|(?<!q)uy)$", re.IGNORECASE)


@lru_cache(maxsize=4096)
def tone_placed(word: str) -> str:
    """A Vietnamese word with its tone on the first vowel of a final oa, oe or uy, so the old and the new
    spelling of one word compare equal ("hoà" -> "hòa", "Thuỷ" -> "Thủy"); other words as they are (NFC)."""
    decomposed = unicodedata.normalize("NFD", word)
    tones = [c for c in decomposed if c in _TONE_MARKS]
    bare = nfc("".join(c for c in decomposed if c not in _TONE_MARKS))
    glide = _OPEN_GLIDE.search(bare) if len(tones) == 1 else None
    if glide is None:
        return nfc(word)
    return nfc(bare[:glide.start() + 1] + tones[0] + bare[glide.start() + 1:])
