"""Which rule regexes can match a text, from one compiled pass over it (issue 21).

Most rule regexes fire in few sentences, yet each was searched in every clause. Here every regex gets,
once, the lower-case literals one of which each of its matches must contain (`required_literals`, read
from the parse tree of the `re` module's own parser); one Aho-Corasick automaton holds the literals of
every regex seen so far, and one pass of it over a text (`scan_of`, cached per text) says where each
literal occurs. `may_match(pattern, text, pos, endpos)` is False only when none of the pattern's literals
lies inside `text[pos:endpos]`: then the regex cannot match there, so skipping it changes no answer.
Invariant: every rule gives exactly the answer of its regex (`bench/same_extraction.py` checks the whole
extraction against the previous revision on every article of the repository).
"""
from __future__ import annotations

import re
import sys
from bisect import bisect_left
from functools import lru_cache
from re import _constants as sre  # the `re` module's own parser: its parse tree is what the engine runs
from re import _parser as sre_parse

import ahocorasick

#: str.lower() lengthens İ, and IGNORECASE matches ı to i and ſ to s, which str.lower() keeps: a text
#: holding one is never prefiltered (its regexes all run), nor searched lower-cased (`text.lowered`)
CASE_TRAPS = re.compile("[İıſ]")
#: the shortest literal worth a prefilter
MIN_LITERAL = 3
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT))


def _literal_char(code: int) -> str | None:
    """The lower-case form a pattern's literal character takes in a lowered text, or None when another
    character may match it (a cased letter outside ASCII: IGNORECASE has its own equivalences)."""
    char = chr(code)
    if char.isascii() or char.lower() == char == char.upper():
        return char.lower()
    return None


def _required(items) -> frozenset[str] | None:
    """Literals one of which every match of the sequence `items` contains, or None."""
    candidates: list[frozenset[str]] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            candidates.append(frozenset({"".join(run)}))
            run.clear()

    for op, av in items:
        char = _literal_char(av) if op is sre.LITERAL else None
        if char is not None:
            run.append(char)
            continue
        flush()
        found = None
        if op is sre.SUBPATTERN:
            found = _required(av[-1])
        elif op is sre.ATOMIC_GROUP:
            found = _required(av)
        elif op is sre.BRANCH:
            branches = [_required(branch) for branch in av[1]]
            if all(b is not None for b in branches):
                found = frozenset().union(*branches)
        elif op in _REPEATS and av[0] >= 1:
            found = _required(av[2])
        if found:
            candidates.append(found)
    flush()
    if not candidates:
        return None
    # the most selective: the longest shortest literal, then the fewest literals
    return max(candidates, key=lambda lits: (min(map(len, lits)), -len(lits)))


@lru_cache(maxsize=None)  # rule patterns: read once, never freed
def required_literals(pattern: re.Pattern) -> frozenset[str] | None:
    """Lower-case strings one of which every match of `pattern` contains (in the lowered text), or None."""
    if not isinstance(pattern.pattern, str):
        return None
    try:
        literals = _required(sre_parse.parse(pattern.pattern, pattern.flags).data)
    except (re.error, TypeError, ValueError, AttributeError):
        return None
    # a literal of one or two characters is everywhere: scanning for it costs more than the regex
    return literals if literals and min(map(len, literals)) >= MIN_LITERAL else None


class _Automaton:
    """One Aho-Corasick automaton over the literals of every pattern asked about so far."""

    def __init__(self):
        self.ids: dict[str, int] = {}
        self.lengths: list[int] = []
        self.automaton = None

    def ids_of(self, literals: frozenset[str]) -> frozenset[int]:
        new = [lit for lit in sorted(literals) if lit not in self.ids]
        for lit in new:
            self.ids[lit] = len(self.lengths)
            self.lengths.append(len(lit))
        if new or self.automaton is None:
            automaton = ahocorasick.Automaton()
            for lit, lid in self.ids.items():
                automaton.add_word(lit, lid)
            automaton.make_automaton()
            self.automaton = automaton
            scan_of.cache_clear()  # scans made before know fewer literals
        return frozenset(self.ids[lit] for lit in literals)


_AUTOMATON = _Automaton()
#: False runs every regex everywhere (the path before this module; tests compare the two)
PREFILTER = True


#: pattern -> the highest id of its literals
_newest: dict[re.Pattern, int] = {}


@lru_cache(maxsize=None)
def literal_ids(pattern: re.Pattern) -> frozenset[int] | None:
    """The automaton's ids of `required_literals(pattern)`, or None when it has none."""
    literals = required_literals(pattern)
    if literals is None:
        return None
    ids = _AUTOMATON.ids_of(literals)
    _newest[pattern] = max(ids)
    return ids


def prepare(patterns) -> None:
    """Learn the literals of `patterns` now (a rule set, once), so scans made later know them all."""
    for pattern in patterns:
        literal_ids(pattern)


def literal_union(patterns) -> frozenset[int] | None:
    """The literals of all `patterns` (a text without any of them matches none), or None when one of them has
    no required literals."""
    union: set[int] = set()
    for pattern in patterns:
        ids = literal_ids(pattern)
        if ids is None:
            return None
        union |= ids
    return frozenset(union)


def any_literal_in(ids: frozenset[int], text: str, pos: int = 0, endpos: int = sys.maxsize) -> bool:
    """False only when none of the literals `ids` lies in `text[pos:endpos]`."""
    scan = scan_of(text)
    if scan is None or not PREFILTER or not ids or max(ids) >= scan.known:
        return True
    return scan.has_any(ids, pos, endpos)


def reset() -> None:
    """Forget every literal and scan (as a fresh process starts); for tests of order independence."""
    global _AUTOMATON
    _AUTOMATON = _Automaton()
    literal_ids.cache_clear()
    _newest.clear()
    scan_of.cache_clear()


class Present(frozenset):
    """Ids of the literals found in a range of a text, and how many literals the automaton knew then."""

    known: int = 0


class TextScan:
    """Where the known literals occur in one text (one automaton pass over it, lowered)."""

    __slots__ = ("hits", "length", "known", "everywhere")

    def __init__(self, text: str):
        self.length = len(text)
        self.known = len(_AUTOMATON.lengths)  # a literal added later has an id from here on
        self.hits: dict[int, list[int]] = {}  # literal id -> its start offsets, ascending
        lengths = _AUTOMATON.lengths
        automaton = _AUTOMATON.automaton
        for end, lid in automaton.iter(text.lower()) if automaton is not None else ():
            self.hits.setdefault(lid, []).append(end + 1 - lengths[lid])
        self.everywhere: Present | None = None

    def present(self, pos: int = 0, endpos: int = sys.maxsize) -> Present:
        """Ids of the literals that lie wholly inside `[pos, endpos)`."""
        if pos <= 0 and endpos >= self.length:
            if self.everywhere is None:
                self.everywhere = self._present(self.hits)
            return self.everywhere
        lengths = _AUTOMATON.lengths
        inside = []
        for lid, starts in self.hits.items():
            k = bisect_left(starts, pos)  # the first occurrence from pos ends first
            if k < len(starts) and starts[k] + lengths[lid] <= endpos:
                inside.append(lid)
        return self._present(inside)

    def _present(self, ids) -> Present:
        present = Present(ids)
        present.known = self.known
        return present

    def has_any(self, ids: frozenset[int], pos: int = 0, endpos: int = sys.maxsize) -> bool:
        """Whether one of the literals `ids` lies wholly inside `[pos, endpos)`."""
        hits = self.hits
        if ids.isdisjoint(hits):
            return False
        if pos <= 0 and endpos >= self.length:
            return True
        lengths = _AUTOMATON.lengths
        for lid in ids:
            starts = hits.get(lid)
            if starts:
                k = bisect_left(starts, pos)
                if k < len(starts) and starts[k] + lengths[lid] <= endpos:
                    return True
        return False


@lru_cache(maxsize=1024)  # the document's texts, clauses and sentences, each asked about many times
def scan_of(text: str) -> TextScan | None:
    """The scan of `text`; None when it holds a character on which lowering and IGNORECASE disagree."""
    if CASE_TRAPS.search(text):
        return None
    return TextScan(text)


def can_match(pattern: re.Pattern, present: Present | None) -> bool:
    """False only when `pattern` cannot match where the literals `present` (a `TextScan.present`) are. A
    pattern with a literal newer than the scan may match: the scan could not see it."""
    ids = literal_ids(pattern)
    if ids is None or present is None or not PREFILTER or _newest[pattern] >= present.known:
        return True
    return not ids.isdisjoint(present)


def present_in(text: str, pos: int = 0, endpos: int = sys.maxsize) -> Present | None:
    """The literals inside `text[pos:endpos]`, for `can_match`; None when the text cannot be scanned."""
    scan = scan_of(text)
    return None if scan is None else scan.present(pos, endpos)


def may_match(pattern: re.Pattern, text: str, pos: int = 0, endpos: int = sys.maxsize) -> bool:
    """False only when `pattern` cannot match in `text[pos:endpos]` (none of its required literals is there)."""
    ids = literal_ids(pattern)
    if ids is None or not PREFILTER:
        return True
    scan = scan_of(text)
    return scan is None or scan.has_any(ids, pos, endpos)


__all__ = ["Present", "TextScan", "any_literal_in", "can_match", "literal_union", "literal_ids", "may_match", "prepare", "present_in", "required_literals", "reset",
           "scan_of"]
