"""Main-text segmentation of one article (codebook section 1).

`segment(text)` finds what counts (title, lead, body, captions) and reads
the page metadata (title, publication date, dateline, outlet). It never edits
the text: the main text is a list of kept character ranges of the decoded
text, so every later span still points into the original.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.extraction.dates import parse_published
from pipeline.extraction.gazetteer import rules
from pipeline.extraction.text import fold

_DATE_HEADER = re.compile(r"^\s*date\s+((?:19|20)\d\d-\d\d(?:-\d\d)?)\s*")
_TIME = re.compile(r"\b\d{1,2}:\d\d\b")
_MENU_SPLIT = re.compile(r"\s{2,}|\s*[|•·»]\s*")
_TITLE_STAMP = re.compile(r"\((\d{1,2}:\d\d\s+\d{1,2}[/-]\d{1,2}[/-](?:19|20)\d\d)\)\s*$")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_SENTENCE_PUNCT = tuple('.!?:;"”)…。！？')
_KEPT_RUN = re.compile(rb"\x01+")  # a run of kept characters in the keep mask


@dataclass
class Segmented:
    kept: list[tuple[int, int]]  # main-text character ranges, in order
    title: str | None = None
    published: dt.date | None = None
    published_precision: str | None = None
    dateline: str | None = None
    outlet: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def n_chars(self) -> int:
        return sum(e - s for s, e in self.kept)


@dataclass
class _Line:
    start: int
    end: int
    text: str
    folded: str
    keep: bool = True

    @property
    def stripped(self) -> str:
        return self.folded.strip()


def _lines(text: str) -> list[_Line]:
    out, pos = [], 0
    folded = fold(text)
    for raw in text.split("\n"):
        out.append(_Line(pos, pos + len(raw), raw, folded[pos:pos + len(raw)]))
        pos += len(raw) + 1
    return out


@lru_cache(maxsize=1)
def _compiled() -> dict:
    r = rules("boilerplate")
    return {
        "footer": [m.lower() for m in r["footer_markers"]],
        "noise": {m.lower() for m in r["noise_lines"]},
        "credits": [re.compile(p, re.MULTILINE) for p in r["credit_patterns"]],
        "datelines": [re.compile(p) for p in r["dateline_patterns"]],
        "end": r["end_of_story"],
        "trailing_min": r["trailing_headlines_min"],
        "headline_max": r["headline_max_chars"],
    }


#: words that say a header's date is the article's: posted, published, updated
#: (folded: "Cập nhật", "Ngày đăng", "Đăng lúc", "Xuất bản")
_PUBLISHED_CUE = re.compile(r"\b(?:cap nhat|ngay dang|dang luc|dang ngay|xuat ban|published|updated|posted)\b",
                            re.IGNORECASE)


def _is_meta_line(line: str) -> bool:
    """A short page-header line holding a date (`Oct 11, 2023 / 21:50`)."""
    s = line.strip()
    stamp = _TITLE_STAMP.search(s)
    if stamp and len(s[:stamp.start()].split()) >= 3:
        return False  # a headline with its time stamp
    return 0 < len(s) <= 90 and bool(_YEAR.search(s) or _TIME.search(s)) and parse_published(s) is not None \
        and not s.endswith(".")


#: a page header's widgets: the weather ("Hà Nội 24 °C / 24 - 32 °C") and a hotline number
_WIDGET_LINE = re.compile(r"^(?:\D{0,40}-?\d{1,2}\s?°\s?[CF]\b.*|hotline\s*:?\s*\+?[\d .()-]{6,})$", re.IGNORECASE)


def _is_widget_line(s: str) -> bool:
    """A short header line of a weather or hotline widget: page furniture, never the title."""
    return len(s) <= 80 and bool(_WIDGET_LINE.match(s))


def _is_menu_line(s: str) -> bool:
    """A site menu: four or more short items split by double spaces, bars or bullets."""
    items = [x for x in _MENU_SPLIT.split(s) if x]
    return len(items) >= 4 and all(len(x.split()) <= 3 and not x.endswith(_SENTENCE_PUNCT) for x in items)


def _is_headline(s: str, max_chars: int) -> bool:
    words = s.split()
    return 3 <= len(words) and len(s) <= max_chars and sum(any(c.isalpha() for c in w) for w in words) >= 2 and not s.endswith(_SENTENCE_PUNCT) and not s.isupper() \
        and not s.endswith(("-", "–", "—"))  # "VIETNAM, February 26 -" is a dateline


def _is_paragraph(s: str, headline_max: int) -> bool:
    """A line of running text: longer than a headline and ending a sentence."""
    return len(s) > headline_max and s.endswith(_SENTENCE_PUNCT)


def segment(text: str) -> Segmented:
    """Main-text ranges and page metadata of one decoded article."""
    cfg = _compiled()
    lines = _lines(text)
    seg = Segmented(kept=[])
    cut: list[tuple[int, int]] = []  # character ranges removed inside kept lines

    # 1. the story ends at a footer marker or at VNA's "/."; a marker before any paragraph (a share bar above
    #    the headline) is page furniture, not the story's end
    begun = False
    for i, line in enumerate(lines):
        low = line.stripped.lower()
        if low and len(low) <= 40 and any(low.startswith(m.lower()) for m in cfg["footer"]):
            if not begun:
                line.keep = False
                continue
            for rest in lines[i:]:
                rest.keep = False
            break
        begun = begun or _is_paragraph(line.stripped, cfg["headline_max"])
    for line in lines:
        if not line.keep:
            continue
        pos = line.folded.find(cfg["end"])
        if pos >= 0 and line.folded[pos + 2:pos + 3] in ("", " ", "\r", "\t"):
            cut.append((line.start + pos + 2, line.end))
            after = False
            for other in lines:
                if after:
                    other.keep = False
                after = after or other is line
            break

    # 2. header: "date YYYY-MM" prefix, dated meta lines, noise lines
    for line in lines:
        m = _DATE_HEADER.match(line.folded)
        if m:
            cut.append((line.start, line.start + m.end()))
            if seg.published is None:
                parsed = parse_published(m.group(1))
                if parsed:
                    seg.published, seg.published_precision = parsed
    content = [ln for ln in lines if ln.keep and ln.stripped]
    published_by_cue = False
    for line in content[:8] + content[-3:]:
        body = line.folded
        for a, b in cut:
            if line.start <= a < line.end:
                body = body[: a - line.start] + " " * (b - a) + body[b - line.start:]
        if _is_meta_line(body):
            if seg.published is None or (not published_by_cue and _PUBLISHED_CUE.search(body)):
                # a date said to be the publication's ("Cập nhật: ...", "Published ...") beats a bare one
                # before it (a portal's header shows today's date)
                seg.published, seg.published_precision = parse_published(body.strip())
                published_by_cue = bool(_PUBLISHED_CUE.search(body))
            line.keep = False
    for line in content:
        if line.stripped.lower().rstrip(":") in cfg["noise"] or _is_menu_line(line.stripped) \
                or _is_widget_line(line.stripped):
            line.keep = False
    for line in _doubled_links_and_teasers(content):
        line.keep = False

    # 3. title: the first headline-shaped line before any paragraph; what precedes it is page furniture
    content = [ln for ln in lines if ln.keep and ln.stripped]
    for idx, line in enumerate(content[:6]):
        body = text[line.start:line.end]
        for a, b in cut:
            if line.start < a < line.end:
                body = body[: a - line.start].rstrip()
            elif a == line.start:
                body = " " * (b - a) + body[b - a:]  # a "date YYYY-MM-DD" prefix before the headline
        s = body.strip()
        stamp = _TITLE_STAMP.search(s)
        if stamp and parse_published(stamp.group(1)):
            # "Headline (15:10 29/11/2019)": the page's time stamp, not part of the title
            if seg.published is None:
                seg.published, seg.published_precision = parse_published(stamp.group(1))
            s = s[:stamp.start()].rstrip()
            cut.append((line.start + len(body) - len(body.lstrip()) + stamp.start(), line.end))
        if _is_headline(s, cfg["headline_max"]):
            seg.title = s
            for before in content[:idx]:
                before.keep = False
            break
        if _is_paragraph(s, cfg["headline_max"]):
            break  # a paragraph came first: the page has no separate title

    # 4. repeated title or lead: counted once
    seen: list[str] = []
    for line in lines:
        if not line.keep or not line.stripped:
            continue
        s = line.stripped
        if len(s) >= 25 and any(prev == s or (len(s) >= 30 and prev.startswith(s)) for prev in seen):
            line.keep = False
            continue
        seen.append(s)

    # 5. a trailing run of headline-shaped lines is a list of other stories
    tail = [ln for ln in lines if ln.keep and ln.stripped]
    run = []
    for line in reversed(tail):
        if _is_headline(line.stripped, cfg["headline_max"]) and not line.stripped.startswith(("*", "-")):
            run.append(line)
        else:
            break
    if len(run) >= cfg["trailing_min"] and len(run) < len(tail):
        for line in run:
            line.keep = False

    # 5b. lists of other stories inside or after the story: link-list shapes (see `_story_lists`)
    for line in _story_lists([ln for ln in lines if ln.keep and ln.stripped], cfg["headline_max"]):
        line.keep = False

    # 6. credits, bylines and datelines inside kept lines
    kept_lines = [ln for ln in lines if ln.keep and ln.stripped]
    for line in kept_lines:
        for pattern in cfg["credits"]:
            for m in pattern.finditer(line.folded):
                if m.end() > m.start():
                    cut.append((line.start + m.start(), line.start + m.end()))
    for line in kept_lines[:4]:
        offset = 0
        for a, b in cut:
            if a == line.start:
                offset = b - line.start
        for pattern in cfg["datelines"]:
            m = pattern.match(line.folded[offset:])
            if m:
                base = line.start + offset
                groups = m.groupdict()
                if groups.get("place"):
                    seg.dateline = text[base + m.start("place"): base + m.end("place")].strip()
                if groups.get("outlet"):
                    seg.outlet = text[base + m.start("outlet"): base + m.end("outlet")].strip()
                cut.append((base + m.start(), base + m.end()))
                break
        if seg.dateline or seg.outlet:
            break

    # 7. assemble the kept ranges
    keep_mask = bytearray(len(text))
    for line in lines:
        if line.keep:
            keep_mask[line.start:line.end] = b"\x01" * (line.end - line.start)
    for a, b in cut:
        keep_mask[a:b] = b"\x00" * (b - a)
    ranges = [m.span() for m in _KEPT_RUN.finditer(keep_mask)]
    seg.kept = [(s, e) for s, e in ranges if text[s:e].strip()]
    return seg


_TEASER_MAX_CHARS = 300  # a teaser under another story's headline is a sentence or two
_LIST_HEADLINE_MAX_CHARS = 130


def _line_shape(line: _Line, headline_max: int) -> str:
    """`H` a headline-shaped line, `D` a date or time stamp, `P` a paragraph, `S` anything else short."""
    s = line.stripped
    if _is_meta_line(s):
        return "D"
    if _is_headline(s, min(headline_max, _LIST_HEADLINE_MAX_CHARS)):
        return "H"
    return "P" if s.endswith(_SENTENCE_PUNCT) and len(s.split()) >= 8 else "S"


_IMAGE_CARD = re.compile(r"^!\[[^\]]*\]\([^)]*\)\s*(?:\S+\s+){5}")  # "![](...) Ngày 22/8, lãnh đạo ..."
_GLUED_HEADLINES = re.compile(r"[a-z]{2}[A-Z][a-z]")  # "... in HueNearly 450 delegates ... in HueHue City: ..."


def _is_story_card(s: str) -> bool:
    """A teaser card of another story (a thumbnail, then text) or headlines glued together by the scraper."""
    if _IMAGE_CARD.match(s):
        return True
    return len(_GLUED_HEADLINES.findall(s)) >= 2 and not s.endswith(_SENTENCE_PUNCT)


_DOUBLED_LINK_MIN_WORDS = 2  # words of each half: "Province overview Province overview" is a doubled menu item


def _is_doubled_link(s: str) -> bool:
    """A line that says the same words twice: a link to another story whose thumbnail's text and headline the
    scraper joined ("X hosts Y X hosts Y"); a story's own sentence never repeats itself."""
    words = s.split()
    half = len(words) // 2
    return half >= _DOUBLED_LINK_MIN_WORDS and len(words) == 2 * half and words[:half] == words[half:] \
        and not words[half - 1].endswith(_SENTENCE_PUNCT)  # a headline twice, not a sentence said again


_TRUNCATED_TEASER = ("...", "…")  # a teaser cut short by the page, under its story's link


def _doubled_links_and_teasers(content: list[_Line]) -> list[_Line]:
    """Doubled links to other stories, each with the line right under it when the page cut that line short
    ("... lãnh đạo tỉnh đã tiếp ..."): the linked story's teaser, not this story's text."""
    drop: list[_Line] = []
    for i, line in enumerate(content):
        if _is_doubled_link(line.stripped):
            drop.append(line)
            under = content[i + 1].stripped if i + 1 < len(content) else ""
            if under.endswith(_TRUNCATED_TEASER) and len(under) <= _TEASER_MAX_CHARS:
                drop.append(content[i + 1])
    return drop


_MENU_ITEM = re.compile(r"^(?:[•·▪►»*+-]|\d{1,2}[.)])\s*\S")  # "• Binh Duong", "- Home", "3) Sports"
_MENU_MIN_ITEMS = 4  # bulleted items in a row
_MENU_MIN_BARE = 6  # unbulleted one-to-three-word lines in a row


def _menu_runs(content: list[_Line]) -> set[int]:
    """Navigation lists: four or more short bulleted items in a row, or six or more lines of one to three
    words without punctuation (province menus, category lists, tag clouds)."""
    def short(s: str, words: int) -> bool:
        return len(s.split()) <= words and len(s) <= 12 * words and not s.endswith(_SENTENCE_PUNCT)

    drop: set[int] = set()
    for test, minimum in ((lambda s: bool(_MENU_ITEM.match(s)) and short(s, 6), _MENU_MIN_ITEMS),
                          (lambda s: short(s, 3) and not _MENU_ITEM.match(s), _MENU_MIN_BARE)):
        run: list[int] = []
        for i, line in enumerate([*content, None]):
            if line is not None and test(line.stripped):
                run.append(i)
                continue
            if len(run) >= minimum:
                drop.update(run)
            run = []
    return drop


def _story_lists(content: list[_Line], headline_max: int) -> list[_Line]:
    """Lines that list other stories: after the first paragraph, a run of three or more headlines (dates
    between them allowed), and at the end of the page two or more headlines each with a short teaser."""
    shapes = [_line_shape(ln, headline_max) for ln in content]
    first_paragraph = next((i for i, sh in enumerate(shapes) if sh == "P"), len(shapes))
    drop = {i for i, ln in enumerate(content) if _is_story_card(ln.stripped)}
    drop |= _menu_runs(content)
    i = first_paragraph + 1
    while i < len(shapes):
        j, headlines = i, 0
        while j < len(shapes) and shapes[j] in "HD":
            headlines += shapes[j] == "H"
            j += 1
        if headlines >= 3:
            drop.update(range(i, j))
        i = max(j, i + 1)
    # the tail: (headline, teaser [, date]) pairs from the end
    k, pairs = len(shapes), 0
    while k >= 2:
        at = k
        if shapes[at - 1] == "D":
            at -= 1
        if at >= 2 and shapes[at - 1] == "P" and len(content[at - 1].stripped) <= _TEASER_MAX_CHARS \
                and shapes[at - 2] == "H":
            pairs += 1
            k = at - 2
        else:
            break
    if pairs >= 2 and k > first_paragraph:
        drop.update(range(k, len(shapes)))
    return [content[i] for i in sorted(drop)]


def main_text(text: str, kept: list[tuple[int, int]]) -> str:
    """Same-length copy of `text` with everything outside `kept` blanked (newlines stay)."""
    blank = "\n".join(" " * len(line) for line in text.split("\n"))
    if any(e0 > s1 for (_, e0), (s1, _) in zip(kept, kept[1:])):  # not in order: pasted one by one
        out = list(blank)
        for s, e in kept:
            out[s:e] = text[s:e]
        return "".join(out)
    parts, pos = [], 0
    for s, e in kept:
        parts += [blank[pos:s], text[s:e]]
        pos = e
    return "".join(parts) + blank[pos:]
