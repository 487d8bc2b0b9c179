"""Date expressions in English and Vietnamese, per codebook section 5.

`find_dates(folded_text, start, end, reference)` returns every date
expression in a span with its calendar interval and precision. A year left
out is taken from `reference` (the publication date) and is never guessed:
without a reference the date stays None and only the words are kept.
Vietnamese numeric dates are day first (`26/3` is 26 March).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = r"(?P<{name}>January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_M1, _M2 = _MONTH.format(name="m1"), _MONTH.format(name="m2")
_YEAR = r"(?P<y>(?:19|20)\d\d)"

# Ordered: the first pattern that matches at a position wins (longest forms first).
_PATTERNS: list[tuple[str, re.Pattern]] = [
    # the first 8 months of 2023 / the first half of the year / 6 thang dau nam 2024 (January to month n)
    ("part_year", re.compile(r"\b(?:the\s+)?first\s+(?:(?P<n>\d{1,2})\s+months|(?P<half>half))\s+of\s+"
                             r"(?:(?P<y>(?:19|20)\d\d)|the\s+year|this\s+year)"
                             r"|\b(?P<n2>\d{1,2})\s+thang\s+dau\s+nam(?:\s+(?P<y2>(?:19|20)\d\d))?", re.IGNORECASE)),
    # quy III/2024 / quy 3 nam 2024 / the third quarter of 2024 / Q3 2024: three months
    ("quarter", re.compile(r"\b[Qq]uy\s+(?P<q>I{1,3}V?|IV|[1-4])\s*(?:/|\s+nam\s+)(?P<y>(?:19|20)\d\d)\b"
                           r"|\b(?:the\s+)?(?P<qw>first|second|third|fourth)\s+quarter\s+of\s+(?P<y2>(?:19|20)\d\d)\b"
                           r"|\bQ(?P<qn>[1-4])\s*[/-]?\s*(?P<y3>(?:19|20)\d\d)\b", re.IGNORECASE)),
    # ISO 2025-03-26 / 2025-03 (before the day-month forms, which would read its "06-11")
    ("iso", re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<mo1>\d\d)(?:-(?P<d1>\d\d))?\b")),
    # April 13 to 16, 2023 / from October 6 to 15 / Oct.9-15 / September 28-October 2, 2023
    ("en_range", re.compile(rf"\b{_M1}\s*(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s*(?:-|–|to|and|through|until)\s*(?:{_M2}\s*)?(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s*{_YEAR})?")),
    # 13-16 April 2023
    ("en_range_dm", re.compile(rf"\b(?P<d1>\d{{1,2}})\s*(?:-|–|to)\s*(?P<d2>\d{{1,2}})\s+{_M1}(?:,?\s*{_YEAR})?")),
    # October 15, 2023 / December 12
    ("en_mdy", re.compile(rf"\b{_M1}\s*(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s*{_YEAR})?")),
    # 29 July 2023 / 11 June
    ("en_dmy", re.compile(rf"(?<!\d)(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+{_M1}(?:,?\s*{_YEAR})?")),
    # in August 2020 / August 2020
    ("en_my", re.compile(rf"\b{_M1}\s*,?\s*{_YEAR}\b")),
    # tu ngay 26/3 den ngay 4/4/2025 (folded Vietnamese)
    ("vi_range", re.compile(r"\b(?:tu\s+)?(?:ngay\s+)?(?P<d1>\d{1,2})[/-](?P<mo1>\d{1,2})(?:[/-](?P<y1>(?:19|20)\d\d))?\s*(?:den|-|–|toi)\s*(?:het\s+)?(?:ngay\s+)?(?P<d2>\d{1,2})[/-](?P<mo2>\d{1,2})(?:[/-](?P<y>(?:19|20)\d\d))?\b")),
    # ngay 26 - 28/3
    ("vi_range_days", re.compile(r"\b(?:ngay\s+)?(?P<d1>\d{1,2})\s*(?:-|–|den)\s*(?P<d2>\d{1,2})[/-](?P<mo1>\d{1,2})(?:[/-](?P<y>(?:19|20)\d\d))?\b")),
    # 30/04/2016, ngay 26/3, Sang 29-11
    ("vi_dmy", re.compile(r"(?<![\d/.])(?P<d1>\d{1,2})[/-](?P<mo1>\d{1,2})(?:[/-](?P<y>(?:19|20)\d\d))?(?![\d/])")),
    # thang 2/2025, thang 11 nam 2023
    ("vi_my", re.compile(r"\b[Tt]hang\s+(?P<mo1>\d{1,2})(?:\s*[/-]\s*|\s+nam\s+)(?P<y>(?:19|20)\d\d)\b")),
    # in 2023 / nam 2025
    ("year", re.compile(r"\b(?:in|nam|since|by)\s+(?P<y>(?:19|20)\d\d)\b")),
]


@dataclass(frozen=True)
class DateExpr:
    start: dt.date | None
    end: dt.date | None
    precision: str | None
    text: str
    char_start: int
    char_end: int
    explicit_year: bool


def _month(groups: dict, key: str) -> int | None:
    if groups.get(key):
        return MONTHS.get(groups[key].lower().rstrip("."))
    num = groups.get(key.replace("m", "mo"))
    return int(num) if num else None


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _resolve_year(month: int, day: int, reference: dt.date | None) -> int | None:
    """Year of a day-month without a year: the reference's, or the one before
    when that would put the date well after the reference (a January article
    about December)."""
    if reference is None:
        return None
    candidate = _safe_date(reference.year, month, day)
    if candidate and (candidate - reference).days > 60:
        return reference.year - 1
    return reference.year


_QUARTER_NUMBER = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4,
                   "first": 1, "second": 2, "third": 3, "fourth": 4}


def _quarter(g: dict) -> tuple[dt.date, dt.date, str, bool] | None:
    """A quarter of a year ("quý III/2024", "the third quarter of 2024") as its first and last month."""
    number = _QUARTER_NUMBER.get((g.get("q") or g.get("qw") or g.get("qn") or "").lower())
    year = int(g.get("y") or g.get("y2") or g.get("y3"))
    if number is None:
        return None
    return dt.date(year, 3 * number - 2, 1), dt.date(year, 3 * number, 1), "month", True


def _interpret(kind: str, g: dict, reference: dt.date | None) -> tuple[dt.date | None, dt.date | None, str | None, bool] | None:
    year = int(g["y"]) if g.get("y") else (int(g["y1"]) if g.get("y1") else None)
    explicit = year is not None
    if kind == "year":
        return dt.date(year, 1, 1), None, "year", True
    if kind == "quarter":
        return _quarter(g)
    if kind == "part_year":
        months = 6 if g.get("half") else int(g.get("n") or g.get("n2"))
        year = year or (int(g["y2"]) if g.get("y2") else None)
        explicit = year is not None
        year = year or (reference.year if reference else None)
        if year is None:
            return None, None, None, False
        if not 1 <= months <= 12:
            return None
        return dt.date(year, 1, 1), dt.date(year, months, 1), "month", explicit
    m1 = _month(g, "m1")
    if kind in ("en_my", "vi_my") or (kind == "iso" and not g.get("d1")):
        if not m1 or not 1 <= m1 <= 12:
            return None
        return dt.date(year, m1, 1), None, "month", True
    if not m1 or not 1 <= m1 <= 12:
        return None
    d1 = int(g["d1"])
    m2 = _month(g, "m2") or m1
    d2 = int(g["d2"]) if g.get("d2") else None
    if year is None:
        year = _resolve_year(m1, d1, reference)
    if year is None:
        return None, None, None, False
    start = _safe_date(year, m1, d1)
    if start is None:
        return None
    end = None
    if d2 is not None:
        end = _safe_date(year, m2, d2)
        if end is None:
            return None
        if end < start:
            end = _safe_date(year + 1, m2, d2)
    return start, end, "day", explicit


# every pattern needs a digit: text without one has no date (one fast scan)
_DIGIT = re.compile(r"\d")


def find_dates(folded: str, start: int = 0, end: int | None = None,
               reference: dt.date | None = None) -> list[DateExpr]:
    """Every non-overlapping date expression in `folded[start:end]`, in text order."""
    return list(_dates_in(folded, start, len(folded) if end is None else end, reference))


@lru_cache(maxsize=1024)  # the event and agreement passes read the same sentences and clauses again
def _dates_in(folded: str, start: int, end: int, reference: dt.date | None) -> tuple[DateExpr, ...]:
    if not _DIGIT.search(folded, start, end):
        return ()
    found: list[DateExpr] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(folded, start, end):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            parsed = _interpret(kind, m.groupdict(), reference)
            if parsed is None:
                continue
            d_start, d_end, precision, explicit = parsed
            taken.append((s, e))
            found.append(DateExpr(d_start, d_end, precision, m.group().strip(), s, e, explicit))
    return tuple(sorted(found, key=lambda d: d.char_start))


def parse_published(line: str) -> tuple[dt.date, str] | None:
    """A publication date from a page header line (`Oct 11, 2023 / 21:50`,
    `date 2025-03`, `30/04/2016 20:13`), with its precision."""
    for expr in find_dates(line):
        if expr.start is not None and expr.explicit_year:
            return expr.start, expr.precision or "day"
    return None
