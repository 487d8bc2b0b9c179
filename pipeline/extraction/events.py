"""Events and agreements of one document (codebook sections 3-5), before resolution.

`find_events(...)` reads clause by clause: a trigger phrase gives the event
type, the actors named in the clause (and persons of its sentence) are the
participants, a date in the clause or sentence dates it, and events inside a
dated trip inherit its dates and link to it. Proposals, wishes and
invitations are not events. `find_agreements(...)` does the same for
agreement cues, with parties, status and anniversary-derived dates.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from pipeline.extraction.actors import DocActors
from pipeline.extraction.dates import DateExpr, find_dates
from pipeline.extraction.gazetteer import rules, sector_keywords
from pipeline.extraction.cuescan import any_literal_in, can_match, literal_union, may_match, prepare, present_in
from pipeline.extraction.text import fold, found_in, lowered, matches_any, sentences
from schemas.vocab import CAMEO_BY_EVENT_TYPE, CAMEO_RECEPTION


@dataclass
class LocalEvent:
    event_type: str
    start: int  # evidence span (the clause)
    end: int
    sentence: tuple[int, int]
    participants: dict[str, str]  # actor key -> role
    name: str | None = None
    date: DateExpr | None = None
    parent: int | None = None  # index of the trip in the document's event list
    agreement: int | None = None  # index in the document's agreement list
    sectors: list[str] = field(default_factory=list)
    cameo_code: str = ""
    extra_spans: list[tuple[int, int, tuple[int, int]]] = field(default_factory=list)
    clause_start: int = -1  # happenings of one type told apart inside one clause never merge
    earlier: bool = False  # told in a sentence opening "Earlier," / "Trước đó,": another occasion, never merged


@dataclass
class LocalAgreement:
    agreement_type: str
    status: str
    name: str
    short_name: str | None
    parties: list[str]
    start: int
    end: int
    sentence: tuple[int, int]
    date_signed: tuple[dt.date, str] | None = None
    date_effective: tuple[dt.date, str] | None = None
    sectors: list[str] = field(default_factory=list)


@lru_cache(maxsize=1)
def _cues() -> dict:
    cues = _compiled_cues()
    prepare(p for value in cues.values() for p in _patterns_in(value))
    return cues


def _trigger_literals() -> frozenset[int] | None:
    """The literals of every event trigger: a clause with none of them has no trigger. Not kept between
    documents: literal ids belong to the automaton of the moment (`cuescan.reset` starts another)."""
    return literal_union(_cues()["any_of_type"].values())


def _patterns_in(value) -> list[re.Pattern]:
    if isinstance(value, re.Pattern):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    return [p for item in value for p in _patterns_in(item)] if isinstance(value, (list, tuple)) else []


def _compiled_cues() -> dict:
    r = rules("events")
    comp = lambda pats: [re.compile(p, re.IGNORECASE) for p in pats]  # noqa: E731
    return {
        "events": {k: comp(v) for k, v in r["event_triggers"].items()},
        # one pass per type that says whether any of its triggers occurs at all: most clauses have none
        "any_of_type": {k: re.compile("|".join(f"(?:{p})" for p in v), re.IGNORECASE)
                        for k, v in r["event_triggers"].items()},
        "priority": r["event_priority"],
        "modal": comp(r["modal_cues"]),
        "modal_unscheduled": comp([c for c in r["modal_cues"] if c not in r["scheduled_cues"]]),
        "agenda": comp(r["agenda_cues"]),
        "strong_modal": comp(r["strong_modal_cues"]),
        "scheduled": comp(r["scheduled_cues"]),
        "clause_modal": comp(r["clause_modal_cues"]),
        "agreements": {k: comp(v) for k, v in r["agreement_cues"].items()},
        "status": {k: comp(v) for k, v in r["agreement_status"].items()},
        "anniversary": comp(r["anniversary"]),
        "anaphora": comp(r["anaphora"]),
        "sequel_openers": comp(r["sequel_openers"]),
        "this_trip": comp(r["this_trip"]),
        "signing_object": comp(r["signing_object"]),
        "both_sides": comp(r["both_sides"]),
        "enumerations": comp(r["enumerations"]),
        "both_sides_or_places": comp(r["both_sides"] + r["both_places"] + r["same_people"]),
        "both_places": comp(r["both_places"]),
        "accented": {k: set(v) for k, v in r["accented_triggers"].items()},
        # (pattern, types it adds, clause types it applies in: None for any)
        "paired": [(re.compile(p["pattern"], re.IGNORECASE), p["types"], p.get("within"))
                   for p in r["paired_triggers"]],
    }


_CLAUSE_SPLIT = re.compile(r";|\n|,\s+(?=(?:during|while|trong|nhan dip|then|and then)\b)", re.IGNORECASE)
#: A second happening joined by "and" ("visited the museum and met with ..."): a clause sharing the subject.
_AND_VERB = re.compile(
    r",?\s+and\s+(?:then\s+)?(?=(?:met|meets|visited|visits|toured|tours|signed|signs|attended|attends|received"
    r"|receives|(?:had|held|holds|has) (?:a |an )?(?:working session|meeting|talks))\b)"
    r"|\s+va\s+(?=(?:tham )?du\b(?!\s+(?:lich|hoc|kien|an|khach|bao|thao|toan|tru|dinh)\b))", re.IGNORECASE)
#: Characters around a second trip of a clause whose names are its participants.
_PAIRED_REACH = 90
#: A clause about "the delegation" the clause before sent.
_DELEGATION_SUBJECT = re.compile(r"\W*(?:the|this|that)\s+delegations?\b|\W*doan\s+(?:da|cung|tiep tuc)\b",
                                 re.IGNORECASE)
#: A Vietnamese verb of another happening after a named actor ("thăm Trường X, làm việc với Y", "... và gặp Z").
_VI_NEXT_VERB = re.compile(r"(?:,|\s+va)\s+(?=(?:tham du|lam viec voi|tham|gap|hoi dam voi)\b)")
#: A sentence opening with its occasion ("Nhan dip doan X tham ..., ", "On the occasion of ..., "): the
#: occasion up to its comma is a clause of its own.
_OCCASION = re.compile(r"\W*(?:nhan dip|on the occasion of|nhan chuyen)\b[^,]{10,}?,\s", re.IGNORECASE)
_NAMED_EVENT = re.compile(
    r"(?:(?:the\s+)?(?:\d{1,2}(?:st|nd|rd|th)\s+|(?:19|20)\d\d\s+))?(?:[A-Z][\w’'&-]*[\s,]+(?:(?:of|on|and|for|in|-|–)\s+)*){0,9}"
    r"(?:Conference|Forum|Festival|Fair|Expo|Summit|Exhibition|Week|Days)(?:\s+(?:19|20)\d\d)?")
_QUOTED_EVENT = re.compile(r"[“\"]([^”\"]{3,80})[”\"]\s+(program(?:me)?|festival|event|chuong trinh)", re.IGNORECASE)
_VI_NAMED = re.compile(r"(?:Hoi nghi|Dien dan|Le hoi|Festival|Hoi cho|Trien lam|Chuong trinh)\s+[^,.;()]{3,80}?(?:(?:19|20)\d\d|(?=[,.;(]))")


_BODY_WORDS = re.compile(r"\b(?:Committee|Consultative|Council|Ministry|Party|Uy ban|Ủy ban)\b")


def _is_title_line(folded: str, kept: list[tuple[int, int]], s_start: int, s_end: int) -> bool:
    """The headline restates the lead: it is read for actors, not for events and agreements."""
    return s_start == kept[0][0] and not folded[s_start:s_end].rstrip().endswith((".", "!", "?", "\"", "”"))


def _clauses(folded: str, s: int, e: int, actor_ends: frozenset[int] = frozenset()) -> list[tuple[int, int, bool]]:
    """The clauses of a sentence, each with whether it shares the previous clause's subject; `actor_ends` are
    the offsets where actor names end."""
    cuts: list[tuple[int, int, bool]] = []  # (cut start, next clause start, next shares the subject)
    occasion = _OCCASION.match(folded, s, e)
    if occasion:
        cuts.append((occasion.end() - 2, occasion.end(), False))
    cuts += [(m.start(), m.end(), False) for m in _CLAUSE_SPLIT.finditer(folded, s, e)]
    cuts += [(m.start(), m.end(), True) for m in _AND_VERB.finditer(folded, s, e)]
    cuts += [(m.start(), m.end(), True) for m in _VI_NEXT_VERB.finditer(folded, s, e) if m.start() in actor_ends]
    out, pos, shared = [], s, False
    for cut_start, next_start, next_shared in sorted(cuts):
        if cut_start >= pos:
            out.append((pos, cut_start, shared))
            pos, shared = next_start, next_shared
    out.append((pos, e, shared))
    return [(a, b, sh) for a, b, sh in out if b - a > 3]


@lru_cache(maxsize=1)
def _sector_ngrams() -> tuple[dict[tuple[str, ...], set[str]], int]:
    """Keyword word-tuple -> sectors, and the longest keyword's word count."""
    by_words: dict[tuple[str, ...], set[str]] = {}
    for sector, words in sector_keywords().items():
        for w in words:
            by_words.setdefault(tuple(_WORD.findall(w)), set()).add(sector)
    by_words.pop((), None)
    return by_words, max(len(k) for k in by_words)


_WORD = re.compile(r"\w+")


@lru_cache(maxsize=1)
def _sector_first_words() -> frozenset[str]:
    return frozenset(k[0] for k in _sector_ngrams()[0])


def _sectors(folded_lower: str) -> list[str]:
    """Sectors whose keywords occur as whole words (one pass over the text's words)."""
    by_words, longest = _sector_ngrams()
    firsts = _sector_first_words()
    words = _WORD.findall(folded_lower)
    found: set[str] = set()
    for i, word in enumerate(words):
        if word in firsts:
            for n in range(1, min(longest, len(words) - i) + 1):
                found.update(by_words.get(tuple(words[i:i + n]), ()))
    return sorted(found)


def _kind(doc_actors: DocActors, key: str) -> str:
    return doc_actors.actors[key].kind


def _accents_fit(m: re.Match, original: str) -> bool:
    """A folded Vietnamese trigger stands for its accented word only ("hoi cho" is hội chợ, not xã hội cho)."""
    forms = _cues()["accented"].get(m.group(0).lower())
    return forms is None or original[m.start():m.end()].lower() in forms


def _event_type(clause: str, precise_date: bool, original: str | None = None,
                agenda: bool = False) -> tuple[str, re.Match] | None:
    """The trigger of a clause, skipping proposals, wishes and anniversaries: a signing when something is
    signed, else the earliest trigger (ties go by priority). `original` is the clause with its accents
    (same length), to check Vietnamese triggers."""
    cues = _cues()
    # the types with a trigger here: those whose literals the clause holds, then one joined regex each
    cue_literals = present_in(clause)
    low = lowered(clause)
    present = {etype for etype, any_of_type in cues["any_of_type"].items()
               if can_match(any_of_type, cue_literals) and found_in(any_of_type, clause, low)}
    if not present:
        return None
    original = original if original is not None else clause
    found: list[tuple[int, int, int, str, re.Match]] = []
    for rank, etype in enumerate(cues["priority"]):
        if etype not in present:
            continue
        for pattern in cues["events"][etype]:
            if not can_match(pattern, cue_literals):
                continue
            for m in pattern.finditer(clause):
                if not _accents_fit(m, original):
                    continue
                if etype == "signing" and not _signs_something(clause, m):
                    continue
                if not _is_modal(clause, m.start(), agenda) or precise_date and not matches_any(
                        cues["strong_modal"], clause, max(0, m.start() - 70), m.start() + 12):
                    found.append((0 if etype == "signing" else 1, m.start(), rank, etype, m))
                    break
    if not found:
        return None
    *_, etype, m = min(found, key=lambda f: f[:3])
    return etype, m


_PRECISION_RANK = {"day": 0, "month": 1, "year": 2, None: 3}


def _best_date(dates: list[DateExpr]) -> DateExpr | None:
    """The most precise date: a day range, then a day, a month range, a month, a year ("on 7 November,
    ... reviewed the first six months of the year" happened on the day, not over the months)."""
    if not dates:
        return None
    return min(dates, key=lambda d: (d.start is None, _PRECISION_RANK[d.precision], d.end is None, d.char_start))


def _without_names(folded: str, doc_actors: DocActors) -> str:
    """The document with actor names blanked, so "... Consultative Conference" (a body) is no trigger."""
    chars = list(folded)
    for m in doc_actors.mentions:
        chars[m.start:m.end] = " " * (m.end - m.start)
    return "".join(chars)


def _signs_something(clause: str, m: re.Match) -> bool:
    """A signing trigger names what is signed ("signed an MoU", "le ky ket", "was signed"), not a past
    agreement in passing ("the agreements signed between them", "the anniversary of the signing of",
    "since the two provinces signed ...")."""
    if _ANNIVERSARY_OF.search(clause, max(0, m.start() - 40), m.start()) \
            or _EVER_SINCE.search(clause, max(0, m.start() - 60), m.start()):
        return False
    return matches_any(_cues()["signing_object"], clause[max(0, m.start() - 40):m.end() + 90])


_EVER_SINCE = re.compile(r"\b(?:since|ke tu|tu khi)\b[^,.;]{0,60}$", re.IGNORECASE)
_ANNIVERSARY_OF = re.compile(r"(?:anniversary|years) (?:of|since) (?:the )?$|\bky niem\b[^,.;]{0,30}(?:ngay )?$",
                             re.IGNORECASE)


#: A parenthesis holding the day a relation began, after an anniversary ("the 60th anniversary of diplomatic
#: relations (September 5, 1962 - 2022)", "kỷ niệm 46 năm Ngày ký Hiệp ước ... (18/7/1977)").
_ORIGIN_IN_PARENTHESES = re.compile(r"\([^()]{0,40}(?:19|20)\d\d\s*(?:[-–]\s*(?:19|20)\d\d\s*)?\)")
_ANNIVERSARY_BEFORE = re.compile(r"anniversar|years? (?:of|since)|\bky niem\b", re.IGNORECASE)
#: A weekday naming the day of a happening ("held talks on Monday"): the last such day up to the publication.
_WEEKDAY = re.compile(r"\bon (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _happening_dates(folded: str, start: int, end: int, published: dt.date | None) -> list[DateExpr]:
    """The dates of a span that can date a happening in it: not the day a relation began, written in
    parentheses after its anniversary; and a weekday ("on Monday") when the span names no other date."""
    dates = [d for d in find_dates(folded, start, end, published) if not _is_anniversary_origin(folded, d, start)]
    if not dates and published is not None:
        weekday = _WEEKDAY.search(folded, start, end)
        if weekday:
            back = (published.weekday() - _WEEKDAYS.index(weekday.group(1))) % 7
            day = published - dt.timedelta(days=back)
            dates = [DateExpr(day, None, "day", weekday.group(), weekday.start(), weekday.end(), False)]
    return dates


def _is_anniversary_origin(folded: str, date: DateExpr, floor: int) -> bool:
    """A date inside parentheses that follow an anniversary ("(September 5, 1962 - 2022)", "(18/7/1977)")."""
    opening = folded.rfind("(", max(floor, date.char_start - 40), date.char_start + 1)
    if opening < 0:
        return False
    paren = _ORIGIN_IN_PARENTHESES.match(folded, opening)
    return bool(paren and paren.end() >= date.char_end
                and _ANNIVERSARY_BEFORE.search(folded, max(floor, opening - 120), opening))


def _scheduled_ahead(date: DateExpr | None, clause: str, published: dt.date | None) -> DateExpr | None:
    """A day without a year in a clause that schedules a happening ("will hold a festival on 20-22 September",
    "sẽ tổ chức ... từ ngày 20 - 22/9") lies after the publication, not in the year before it."""
    if date is None or date.explicit_year or date.start is None or published is None or date.start >= published \
            or not matches_any(_cues()["scheduled"], clause):
        return date
    ahead = _next_year(date.start)
    if ahead is None or ahead < published:
        return date
    return replace(date, start=ahead, end=date.end and _next_year(date.end))


def _next_year(day: dt.date) -> dt.date | None:
    """The same day a year later (None for a 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return None


#: A day named by the one told just before ("The same day, ...", "Chiều cùng ngày", "the following day", "hôm sau";
#: "On this occasion, ...", "Nhân dịp này, ...": the occasion just told).
_SAME_DAY = re.compile(r"\b(?:(?:the )?same (?:day|morning|afternoon|evening)|later that (?:day|morning|afternoon|evening)"
                       r"|(?:chieu|sang|toi|trua|trong) cung ngay|cung ngay(?! cang)|cung buoi"
                       r"|(?:on|at) this occasion|(?:nhan|tai|trong) dip nay)\b", re.IGNORECASE)
_NEXT_DAY = re.compile(r"\b(?:the (?:following|next) (?:day|morning|afternoon|evening)|(?:ngay )?hom sau|ngay tiep theo)\b",
                       re.IGNORECASE)


def _day_told_before(sentence: str, events: list[LocalEvent], folded: str) -> DateExpr | None:
    """The day of a sentence dated by the one before it ("The same day, the delegation visited ...",
    "Chiều cùng ngày, ...", "The following day, ..."): the day of the latest event dated to a day (its first day)
    that happened, not one announced ("will hold a festival from 20 to 22 September")."""
    same, following = _SAME_DAY.search(sentence), _NEXT_DAY.search(sentence)
    if not same and not following:
        return None
    day = next((ev.date for ev in reversed(events) if ev.date and ev.date.start and ev.date.precision == "day"
                and not matches_any(_cues()["scheduled"], folded[ev.sentence[0]:ev.sentence[1]])), None)
    if day is None:
        return None
    start = day.start if same else day.start + dt.timedelta(days=1)
    return DateExpr(start, None, "day", (same or following).group(), day.char_start, day.char_end, day.explicit_year)


def _overlaps(pm: re.Match, start: int, end: int) -> bool:
    """A paired cue shares words with the clause's own trigger ("da den tham, lam viec voi": one working visit
    of the subject, not a guest's trip told apart from the host's reception)."""
    return pm.start() < end and start < pm.end()


def _happening_after_opener(unnamed: str, original: str, c_start: int, c_end: int, m: re.Match, etype: str,
                            precise: bool, agenda: bool) -> tuple[str, re.Match] | None:
    """The trigger of a new happening in a clause that opens by referring back ("At the meeting, the two sides
    signed ...": a signing; "Within the Forum, X joined a tree-planting ceremony"): a signing, or a happening
    the subject takes part in, after the opener's comma. Offsets stay those of the clause."""
    clause = unnamed[c_start:c_end]
    opener = next((a for a in _cues()["anaphora"] if a.search(clause)), None)
    if opener is None:
        return None
    cut = clause.find(",", opener.search(clause).end())
    cut = opener.search(clause).end() if cut < 0 else cut + 1
    later = (etype, m) if m.start() >= cut else \
        _event_type(" " * cut + clause[cut:], precise, " " * cut + original[c_start + cut:c_end], agenda)
    if later is None or later[0] in ("meeting", "visit") or m.start() < cut and later[0] == etype:
        return None  # a meeting or trip named there is most often the one referred to
    if later[0] != "signing" and not _JOINS_HAPPENING.search(clause, max(cut, later[1].start() - 60), later[1].start()):
        return None  # "... briefed the guests on the festival": named, not joined
    return later


#: A verb of taking part just before a happening ("participated in the tree-planting ceremony", "tham dự lễ hội").
_JOINS_HAPPENING = re.compile(r"\b(?:attend(?:s|ed|ing)?|participat\w*|join(?:s|ed|ing)?|took part|take part|witness\w*"
                              r"|tham du|tham gia|chung kien|du)\b[^,;.]*$", re.IGNORECASE)


def _names_an_unreported_trip(clause: str, events: list[LocalEvent]) -> bool:
    """The clause opens with "this visit" ("Chuyến thăm lần này ...") after a happening but before any trip was
    reported: the trip of the people just reported."""
    return bool(events) and not any(e.event_type == "visit" for e in events) \
        and matches_any(_cues()["this_trip"], clause)


def _without_sequel_opener(clause: str) -> str:
    """The clause with an opener placing it after a reported happening blanked ("After the talks, X visited Y":
    the trip is the clause's happening, not the talks), offsets kept; the clause itself when it has none."""
    for opener in _cues()["sequel_openers"]:
        if (m := opener.search(clause)) is not None:
            return " " * m.end() + clause[m.end():]
    return clause


def _is_modal(clause: str, upto: int, agenda: bool = False) -> bool:
    """A proposal, wish or invitation governs the trigger (cue shortly before it, or it is the trigger); in an
    agenda, "will" and "se" only schedule it."""
    window_start = max(0, upto - 70)
    return matches_any(_cues()["modal_unscheduled" if agenda else "modal"], clause, window_start, upto + 12) \
        or matches_any(_cues()["clause_modal"], clause, 0, upto)


def _event_names(text: str, folded: str, s: int, e: int) -> list[str]:
    """Every named event of a clause: quoted programme names and capitalised event names."""
    names: list[str] = []
    taken: list[tuple[int, int]] = []
    for pattern in (_QUOTED_EVENT, _NAMED_EVENT, _VI_NAMED):
        if not may_match(pattern, folded, s, e):
            continue
        for m in pattern.finditer(folded, s, e):
            if any(m.start() < b and a < m.end() for a, b in taken):
                continue
            if pattern is _QUOTED_EVENT:
                name = text[m.start(1):m.end(1)].strip()
            else:
                name = re.sub(r"^(?:the|The)\s+", "", text[m.start():m.end()].strip(" ,"))
            if len(name.split()) >= 2 and not _BODY_WORDS.search(name):
                names.append(name)
                taken.append(m.span())
    return names


def _type_of_named(name: str | None, default: str) -> str:
    """A named event's own head word decides its type (`... Festival` is cultural, `... Fair` a fair)."""
    if not name:
        return default
    head = fold(name).lower()
    if re.search(r"\b(?:festival|le hoi)\b", head) or default == "cultural_exchange":
        return "cultural_exchange"
    if re.search(r"\b(?:fair|expo|exhibition|hoi cho|trien lam)\b", head):
        return "fair"
    if re.search(r"\b(?:conference|forum|summit|seminar|hoi nghi|dien dan)\b", head):
        return "fair" if re.search(r"investment promotion|xuc tien dau tu", head) else "conference"
    return default


def find_events(text: str, main: str, kept: list[tuple[int, int]], doc_actors: DocActors,
                published: dt.date | None) -> list[LocalEvent]:
    folded = fold(main)
    unnamed = _without_names(folded, doc_actors)
    events: list[LocalEvent] = []
    actor_ends = frozenset(m.end for m in doc_actors.mentions)
    triggers = _trigger_literals()
    previous_sentence = ""
    for s_start, s_end in sentences(main, kept):
        sentence, before = folded[s_start:s_end], previous_sentence
        agenda = None  # read once a clause of the sentence has a trigger
        previous_sentence = sentence
        sentence_people = [k for k in doc_actors.keys_within(s_start, s_end) if _kind(doc_actors, k) == "person"]
        if _is_title_line(folded, kept, s_start, s_end):
            continue
        subject: list[str] = []
        told_before = len(events)
        for c_start, c_end, shares_subject in _clauses(folded, s_start, s_end, actor_ends):
            keys = doc_actors.keys_within(c_start, c_end)
            if shares_subject:
                keys += [k for k in subject if k not in keys]
            elif _DELEGATION_SUBJECT.match(folded, c_start, c_end):
                # "...; the delegation attended ...": the delegation of the home side just named
                keys += [k for k in subject if k not in keys and _kind(doc_actors, k) != "country"
                         and (doc_actors.actors[k].country or "VN") == "VN"]
            subject = keys
            if triggers is not None and not any_literal_in(triggers, unnamed, c_start, c_end):
                continue  # no trigger of any type here (most clauses): `_event_type` would find none
            clause = folded[c_start:c_end]
            clause_dates = _happening_dates(folded, c_start, c_end, published)
            precise = any(d.precision == "day" and d.start for d in clause_dates)
            if agenda is None:
                agenda = matches_any(_cues()["agenda"], sentence) or matches_any(_cues()["agenda"], before)
            sequel = _without_sequel_opener(unnamed[c_start:c_end])
            found = _event_type(sequel, precise, main[c_start:c_end], agenda)
            if not found and sequel != unnamed[c_start:c_end]:
                found = _event_type(unnamed[c_start:c_end], precise, main[c_start:c_end], agenda)
            if not found:
                continue
            etype, m = found
            keys = list(keys)
            for k in sentence_people:
                if k not in keys:
                    keys.append(k)
            date = _best_date(clause_dates) or _best_date(_happening_dates(folded, s_start, s_end, published)) \
                or _day_told_before(sentence, events, folded)
            date = _scheduled_ahead(date, clause, published)
            if etype == "signing" and date and date.start and published and date.start.year < published.year:
                continue  # a signing of past years is the agreement's history, not a happening reported here
            if events and matches_any(_cues()["both_sides_or_places"], clause):
                # "both sides signed ...": the parties (and day) of the event just reported
                keys += [k for k in events[-1].participants if k not in keys]
                date = date or events[-1].date
            if not keys and etype == "visit" and _names_an_unreported_trip(clause, events):
                keys, date = list(events[-1].participants), date or events[-1].date
            if not keys:
                continue
            anaphoric = matches_any(_cues()["anaphora"], clause)
            if anaphoric:
                # "At the meeting, the two sides signed ...", "Within the framework of the Forum, X joined a
                # tree-planting ceremony": a happening of another kind after the referring opener is a new one
                later = _happening_after_opener(unnamed, main, c_start, c_end, m, etype, precise, agenda)
                if later is not None:
                    (etype, m), anaphoric = later, False
            participants = {k: "participant" for k in keys}
            reception = etype == "meeting" and re.search(r"\b(?:received|receives|reception|hosted|welcomed|tiep|don)\b",
                                                         clause, re.IGNORECASE)
            names = _event_names(text, folded, c_start, c_end) if etype in ("conference", "fair", "cultural_exchange") \
                else []
            # "at the meeting", "the conference": the happening just reported, of this type if there is one
            # (with the same foreign guests, when several were reported)
            previous = next((ev for ev in reversed(events) if ev.event_type == etype), events[-1] if events else None)
            guests = _foreign_keys(keys, doc_actors)
            previous = next((ev for ev in reversed(events) if ev.event_type == etype
                             and guests & _foreign_keys(ev.participants, doc_actors)), previous)
            refers_back = anaphoric and previous is not None and not names
            if refers_back:
                for k in keys:
                    previous.participants.setdefault(k, "participant")
                previous.extra_spans.append((c_start, c_end, (s_start, s_end)))
            sectors = _sectors(clause.lower())  # of every event the clause adds below (at least one)
            paired = [(t, pm) for p, types, within in _cues()["paired"]
                      if (within is None or etype in within) and may_match(p, unnamed, c_start, c_end)
                      for pm in p.finditer(unnamed, c_start, c_end) for t in types
                      if within is None or not _overlaps(pm, c_start + m.start(), c_start + m.end())]
            used: list[tuple[str, re.Match]] = []
            for extra, pm in paired:
                if any(t == extra and pm.start() < u.end() and u.start() < pm.end() for t, u in used):
                    continue  # one trip matched by two cues
                if refers_back and (extra != "visit" or pm.start() <= c_start + m.start() < pm.end()):
                    continue  # a clause about the happening just reported adds only a trip it names in passing
                used.append((extra, pm))
                span = (c_start, c_end)
                if extra != etype:
                    # "talks and signing ceremony": two happenings, same parties and day
                    extra_participants = dict(participants)
                elif not pm.start() <= c_start + m.start() < pm.end():
                    # a second trip of the clause's type ("... during X's official trip to China"): its own
                    # actors are the ones named around it
                    extra_participants = {k: "participant" for k in doc_actors.keys_within(
                        max(c_start, pm.start() - _PAIRED_REACH), min(c_end, pm.end() + _PAIRED_REACH))}
                    span = pm.span()
                else:
                    continue
                events.append(LocalEvent(
                    event_type=extra, start=span[0], end=span[1], sentence=(s_start, s_end),
                    participants=extra_participants, name=None, date=date, sectors=list(sectors),
                    cameo_code=CAMEO_BY_EVENT_TYPE[extra], clause_start=c_start))
            if refers_back:
                continue
            items = [] if names else _enumerated(folded, c_start, c_end, doc_actors, clause_dates, keys)
            for item_participants, item_date, (item_start, item_end) in items:
                events.append(LocalEvent(
                    event_type=etype, start=item_start, end=item_end, sentence=(s_start, s_end),
                    participants=item_participants, date=item_date or date, sectors=list(sectors),
                    clause_start=c_start, cameo_code=CAMEO_RECEPTION if reception else CAMEO_BY_EVENT_TYPE[etype]))
            for name in [] if items else names or [None]:
                events.append(LocalEvent(
                    event_type=_type_of_named(name, etype), start=c_start, end=c_end, sentence=(s_start, s_end),
                    participants=dict(participants), name=name, date=date, sectors=list(sectors),
                    clause_start=c_start,
                    cameo_code=CAMEO_RECEPTION if reception else CAMEO_BY_EVENT_TYPE[_type_of_named(name, etype)]))
        if _EARLIER_OCCASION.match(folded, s_start, s_end):
            for ev in events[told_before:]:
                ev.earlier = True
    events += _headline_trip(folded, unnamed, main, kept, doc_actors, events)
    events = _merge_within(events, doc_actors)
    _link_to_trip(events, doc_actors)
    _date_by_occasion(events, published)
    return events


#: A sentence opening with an earlier time than the one just told ("Earlier, ...", "Previously, ...", "Trước đó, ..."):
#: what it reports happened on another occasion.
_EARLIER_OCCASION = re.compile(r"\W*(?:earlier|previously|before that|prior to that|truoc do)\s*,", re.IGNORECASE)


def _headline_trip(folded: str, unnamed: str, main: str, kept: list[tuple[int, int]], doc_actors: DocActors,
                   events: list[LocalEvent]) -> list[LocalEvent]:
    """The trip a headline reports ("Ambassador visits Khanh Hoa", "Đoàn X thăm tỉnh Y") when the body tells only
    what happened during it (a reception, talks): the headline is otherwise read for actors only."""
    if any(ev.event_type == "visit" for ev in events) or not kept:
        return []
    title = next(iter(sentences(main, kept)), None)
    if title is None or not _is_title_line(folded, kept, *title):
        return []
    found = _event_type(unnamed[title[0]:title[1]], False, main[title[0]:title[1]])
    keys = doc_actors.keys_within(*title)
    if found is None or found[0] != "visit" or not _foreign_keys(keys, doc_actors) and not events:
        return []
    return [LocalEvent(event_type="visit", start=title[0], end=title[1], sentence=title,
                       participants={k: "participant" for k in keys}, sectors=_sectors(folded[title[0]:title[1]].lower()),
                       cameo_code=CAMEO_BY_EVENT_TYPE["visit"], clause_start=title[0])] if keys else []


#: How long before its publication an article's occasion may lie, and after it (time zones, a late edit).
_OCCASION_BEFORE, _OCCASION_AFTER = dt.timedelta(days=60), dt.timedelta(days=1)


def _date_by_occasion(events: list[LocalEvent], published: dt.date | None) -> None:
    """An article whose dated events all fall on one day (or one span of days) shortly before its
    publication reports one occasion: its undated visits, meetings and signings ("At the working session,
    ...", the signing in a caption) happened then. A conference, fair or festival is an occasion of its
    own; with another dated occasion (another day, a month or year that does not hold the day) or no
    publication date to place the day, the occasion of an undated event is unknown: those stay undated."""
    dated = [ev.date for ev in events if ev.date and ev.date.start]
    days = {(d.start, d.end) for d in dated if d.precision == "day"}
    if published is None or len(days) != 1:
        return
    occasion = next(d for d in dated if d.precision == "day")
    if not published - _OCCASION_BEFORE <= occasion.start <= published + _OCCASION_AFTER:
        return  # an anniversary or a past happening, not what the article reports
    if any(not _span(d)[0] <= occasion.start <= _span(d)[1] for d in dated if d.precision != "day"):
        return  # "in March, ... On 12 September, ...": two occasions
    for ev in events:
        if ev.date is None and ev.event_type in _PARTS_OF_AN_OCCASION:
            ev.date = occasion


_PARTS_OF_AN_OCCASION = ("visit", "meeting", "signing")


def _enumerated(folded: str, c_start: int, c_end: int, doc_actors: DocActors, clause_dates: list[DateExpr],
                keys: list[str]) -> list[tuple[dict[str, str], DateExpr | None, tuple[int, int]]]:
    """The happenings a plural cue lists (participants, date, evidence span): one per dated item, else one per
    foreign place named after the cue; none unless there are two or more."""
    cue = next((m for p in _cues()["enumerations"]
                if may_match(p, folded, c_start, c_end) and (m := p.search(folded, c_start, c_end))), None)
    if cue is None:
        return []
    dated = [d for d in clause_dates if d.start and d.char_start >= cue.end()]
    after = [m for m in doc_actors.mentions if cue.end() <= m.start < c_end]
    if len(dated) >= 2:
        bounds = [cue.end()] + [d.char_end for d in dated]
        in_items = {m.key for m in after if m.start < bounds[-1]}
        shared = [k for k in keys if k not in in_items]
        return [({k: "participant" for k in [*shared, *(m.key for m in after if lo <= m.start < hi)]}, d, (lo, hi))
                for lo, hi, d in zip(bounds, bounds[1:], dated)]
    foreign_keys = _foreign_keys([m.key for m in after], doc_actors)
    foreign = [m for m in after if m.key in foreign_keys]
    places = list(dict.fromkeys(m.key for m in foreign))
    if len(places) < 2:
        return []
    shared = [k for k in keys if k not in places]
    spans = {m.key: (m.start, m.end) for m in reversed(foreign)}
    return [({k: "participant" for k in [*shared, place]}, None, spans[place]) for place in places]


def _foreign_keys(keys, doc_actors: DocActors) -> set[str]:
    return {k for k in keys if (doc_actors.actors[k].country or "VN") != "VN" and _kind(doc_actors, k) != "international"}


def _salient(ev: LocalEvent, doc_actors: DocActors) -> frozenset[str]:
    return frozenset(k for k in ev.participants
                     if _kind(doc_actors, k) not in ("country",) and k != doc_actors.home)


def _span(expr: DateExpr) -> tuple[dt.date, dt.date]:
    """The closed interval a date expression covers, widened by its precision."""
    end = expr.end or expr.start
    if expr.precision == "year":
        return dt.date(expr.start.year, 1, 1), dt.date(end.year, 12, 31)
    if expr.precision == "month":
        last = (dt.date(end.year + end.month // 12, end.month % 12 + 1, 1) - dt.timedelta(days=1))
        return expr.start.replace(day=1), last
    return expr.start, end


def _dates_overlap(a: DateExpr, b: DateExpr) -> bool:
    (a0, a1), (b0, b1) = _span(a), _span(b)
    return a0 <= b1 and b0 <= a1


def _foreign(ev: LocalEvent, doc_actors: DocActors) -> frozenset[str]:
    """The countries of the event's foreign participants: whom the Vietnamese side met."""
    return frozenset(c for k in ev.participants
                     if (c := doc_actors.actors[k].country or "VN") != "VN" and _kind(doc_actors, k) != "international")


def _merge_within(events: list[LocalEvent], doc_actors: DocActors) -> list[LocalEvent]:
    """One event per happening: same type and same name, or same counterparts."""
    out: list[LocalEvent] = []
    for ev in events:
        target = None
        if ev.earlier:
            out.append(ev)  # "Earlier, the delegation was hosted by ...": not the talks told before
            continue
        if not _salient(ev, doc_actors) and not ev.name:
            target = next((p for p in reversed(out) if p.event_type == ev.event_type), None)
            if target is not None and _foreign(ev, doc_actors) and _foreign(target, doc_actors) \
                    and not _foreign(ev, doc_actors) & _foreign(target, doc_actors):
                target = None
        for prev in ([] if target else out):
            if prev.event_type != ev.event_type or prev.clause_start == ev.clause_start:
                continue  # two happenings of one type read from one clause were told apart there
            if ev.date and prev.date and ev.date.start and prev.date.start and not _dates_overlap(ev.date, prev.date):
                continue
            if ev.name and prev.name and _name_key(ev.name) == _name_key(prev.name):
                target = prev
                break
            fa, fb = _foreign(prev, doc_actors), _foreign(ev, doc_actors)
            if fa and fb and not fa & fb:
                continue  # the same host meeting guests of another country is another meeting
            sa, sb = _salient(prev, doc_actors), _salient(ev, doc_actors)
            non_person = lambda s: {_party_place(k) for k in s if _kind(doc_actors, k) != "person"}  # noqa: E731
            if sa and sb and (non_person(sa) & non_person(sb) or (not non_person(sb) and sb <= sa)):
                target = prev
                break
        if target is None:
            out.append(ev)
            continue
        for k, r in ev.participants.items():
            target.participants.setdefault(k, r)
        target.name = target.name or ev.name
        target.date = target.date or ev.date
        target.sectors = sorted(set(target.sectors) | set(ev.sectors))
        target.extra_spans.append((ev.start, ev.end, ev.sentence))
    return out


def _name_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(name).lower().replace("the", ""))


def _link_to_trip(events: list[LocalEvent], doc_actors: DocActors) -> None:
    """Inner meetings and site visits of a dated trip inherit its dates and point to it."""
    trips = [i for i, ev in enumerate(events) if ev.event_type == "visit" and ev.date and ev.date.end]
    if not trips:
        return
    trip_index = trips[0]
    trip = events[trip_index]
    for i, ev in enumerate(events):
        if i == trip_index or ev.event_type not in ("meeting", "visit", "conference", "signing", "fair"):
            continue
        if ev.date is None or (ev.date.start and trip.date.start <= ev.date.start <= trip.date.end):
            ev.parent = trip_index
            if ev.date is None:
                ev.date = trip.date


# --------------------------------------------------------------- agreements

_BETWEEN = re.compile(r"\b(?:between|giua)\b", re.IGNORECASE)


def _anniversary_year(clause: str, reference_year: int | None) -> int | None:
    span_years = re.search(r"\(((?:19|20)\d\d)\s*[-–]\s*((?:19|20)\d\d)\)", clause)
    if span_years:
        return int(span_years.group(1))
    for pattern in _cues()["anniversary"]:
        m = pattern.search(clause)
        if m:
            n = int(next(g for g in m.groups() if g))
            year_in = re.search(r"\b(?:in|nam)\s+((?:19|20)\d\d)\b", clause[m.end():])
            base = int(year_in.group(1)) if year_in else reference_year
            if base and 0 < n < 200:
                return base - n
    return None


def find_agreements(text: str, main: str, kept: list[tuple[int, int]], doc_actors: DocActors,
                    published: dt.date | None) -> list[LocalAgreement]:
    folded = fold(main)
    folded_low = lowered(folded)
    cues = _cues()
    countries_by_freq = _country_ranking(doc_actors)
    out: list[LocalAgreement] = []
    keys_by_sentence: list[list[str]] = []  # the actor keys of each sentence read so far
    # the title last, for the agreements the body does not report itself ("X and Y sign letter of intent")
    all_sentences = sentences(main, kept)
    titles = [sp for sp in all_sentences if _is_title_line(folded, kept, *sp)]
    for s_start, s_end in [sp for sp in all_sentences if sp not in titles] + titles:
        in_title = (s_start, s_end) in titles
        sentence = folded[s_start:s_end]
        keys = doc_actors.keys_within(s_start, s_end)
        if matches_any(cues["both_sides"], sentence):
            # "both sides signed an MoU": the document's home and the sides named just before
            earlier = keys_by_sentence[-1] if keys_by_sentence else []
            keys = list(dict.fromkeys(keys + [k for k in [doc_actors.home, *earlier] if k]))
        keys_by_sentence.append(keys)
        # the types with a cue here (most sentences have none), one joined regex each
        present = [(atype, patterns) for atype, patterns in cues["agreements"].items()
                   if matches_any(patterns, folded, s_start, s_end, folded_low)
                   and not (in_title and any(a.agreement_type == atype for a in out))]
        for atype, patterns in present:
            for pattern in patterns:
                m = may_match(pattern, folded, s_start, s_end) and pattern.search(folded, s_start, s_end)
                if not m:
                    continue
                if in_title and not _TITLE_SIGNS.search(folded, max(s_start, m.start() - 40), m.start()):
                    continue  # a headline adds only what it says was signed ("A and B sign letter of intent")
                window_start = max(s_start, m.start() - 160)
                window = folded[window_start:min(s_end, m.end() + 160)]
                rel = m.start() - window_start
                status = _status(atype, window, rel)
                parties = _parties(atype, keys, doc_actors, countries_by_freq, folded, (s_start, m.start(), m.end(), s_end))
                if not parties and status in ("proposed", "negotiating") \
                        and matches_any(cues["both_places"], sentence):
                    # "she proposed that the two localities sign an agreement": the home and the places named before
                    before = [k for ks in reversed(keys_by_sentence[:-1]) for k in reversed(ks)]  # nearest first
                    parties = [k for k in dict.fromkeys([doc_actors.home, *before]) if k
                               and _kind(doc_actors, k) == "locality"][:2]
                if not parties and not keys and atype not in _STATE_LEVEL and not _STATES_ONLY.search(sentence):
                    # "the two sides agreed to sign an MoU": a sentence naming no one continues the one before,
                    # between the home and the localities last named
                    last_places = next((ks for ks in _recent_sentence_keys(keys_by_sentence)
                                        if any(_kind(doc_actors, k) == "locality" for k in ks)), [])
                    parties = [k for k in dict.fromkeys([doc_actors.home, *last_places]) if k
                               and _kind(doc_actors, k) == "locality"][:4]
                    if len(parties) < 2:
                        parties = []
                if not parties or (atype == "sister_city" and len(parties) < 2):
                    break  # a twinning ties two places: "cooperation with twin cities" names none
                reference_year = published.year if published else None
                date_signed = date_effective = None
                year = _anniversary_year(folded[max(s_start, m.start() - 80):min(s_end, m.end() + 60)], reference_year) \
                    if re.search(r"anniversar|years? of|ky niem|\d+ nam|\(\d{4}\s*[-–]", window, re.IGNORECASE) else None
                if year:
                    date_signed = (dt.date(year, 1, 1), "year")
                dates = find_dates(folded, m.end(), min(s_end, m.end() + 80), published)
                if dates and dates[0].start and re.search(r"took effect|taken effect|hieu luc", window, re.IGNORECASE):
                    date_effective = (dates[0].start, dates[0].precision)
                elif status == "in_force" and not date_signed and dates and dates[0].start \
                        and re.search(r"establish|thiet lap|ket nghia|upgrad|nang cap|elevat", window, re.IGNORECASE):
                    date_signed = (dates[0].start, dates[0].precision)  # "established friendship ties in 2015"
                elif status == "signed" and not date_signed:
                    near = find_dates(folded, s_start, s_end, published)
                    if near and near[0].start:
                        date_signed = (near[0].start, near[0].precision)
                name = _agreement_name(text, folded, m)
                short = re.search(r"\(([A-Z][A-Za-z]{1,9})\)", folded[m.end():m.end() + 14])
                out.append(LocalAgreement(atype, status, name, short.group(1) if short else None, parties,
                                          m.start(), m.end(), (s_start, s_end), date_signed, date_effective,
                                          _sectors(sentence.lower())))
                break
    return _merge_agreements(out)


_TITLE_SIGNS = re.compile(r"\b(?:sign(?:s|ed)?|ink(?:s|ed)?|seal(?:s|ed)?|ky(?: ket)?)(?:\s+[\w'-]+){0,2}\s*$",
                          re.IGNORECASE)
_STATE_LEVEL = ("partnership", "diplomatic_relations", "trade_agreement")
_STATES_ONLY = re.compile(r"\b(?:the two|both) (?:countries|nations|states)\b|\bhai (?:nuoc|quoc gia)\b", re.IGNORECASE)


def _recent_sentence_keys(by_sentence: list[list[str]], reach: int = 3) -> list[list[str]]:
    """The actor keys of the sentences before the current one (the current one is last), nearest first."""
    return [ks for ks in reversed(by_sentence[-reach - 1:-1]) if ks]


def _status(atype: str, window: str, rel: int) -> str:
    cues = _cues()["status"]
    for status in ("negotiating", "proposed"):
        if matches_any(cues[status], window):
            return status
    if atype in ("partnership", "diplomatic_relations", "sister_city"):
        return "in_force"
    if matches_any(cues["signed"], window):
        return "signed"
    if matches_any(cues["in_force"], window):
        return "in_force"
    return "signed"


def _country_ranking(doc_actors: DocActors) -> list[str]:
    counts: dict[str, int] = {}
    for m in doc_actors.mentions:
        if doc_actors.actors[m.key].kind == "country":
            counts[m.key] = counts.get(m.key, 0) + 1
    return sorted(counts, key=lambda k: (k != "country:VN", -counts[k], k))


# a treaty, or an agreement named by two states ("the Vietnam - Laos Friendship and Cooperation Agreement")
_STATE_TREATY = re.compile(r"(?i:\btreat(?:y|ies)\b|\bhiep uoc\b)|\b(?:Vietnam|Viet Nam)\s*[-–]\s*[A-Z]\w+\s+(?:[A-Z]\w+\s+){0,4}"
                           r"(?:Agreement|Treaty)\b")
_SIGNED_JUST_BEFORE = re.compile(r"\b(?:sign(?:ed|s)?|inked|ky ket|da ky|ky)\s+(?:[\w-]+\s+){0,2}$", re.IGNORECASE)


def _parties(atype: str, keys: list[str], doc_actors: DocActors, countries: list[str], folded: str,
             bounds: tuple[int, int, int, int]) -> list[str]:
    """The parties of an agreement cue: states for frameworks; else the signers named before "signed",
    the sides after "between", the localities or the bodies of the sentence."""
    s_start, cue_start, cue_end, s_end = bounds
    kinds = {k: _kind(doc_actors, k) for k in keys}
    between_states = _STATE_TREATY.search(folded, max(s_start, cue_start - 50), min(s_end, cue_end + 10))
    if atype in ("partnership", "diplomatic_relations", "trade_agreement") or between_states:
        picked = [k for k in keys if kinds[k] in ("country", "international")]
        if len(picked) < 2:
            for k in countries:
                if k not in picked and len(picked) < 2:
                    picked.append(k)
        if len(picked) == 1 and _STATES_ONLY.search(folded, s_start, s_end):
            return picked  # "the partnership between the two nations" where only the foreign one is named
        return picked[:3] if len(picked) >= 2 else []
    signed = _SIGNED_JUST_BEFORE.search(folded, max(s_start, cue_start - 40), cue_start)
    if signed:
        signers = [m.key for m in doc_actors.mentions if s_start <= m.start < signed.start()
                   and kinds.get(m.key) in ("locality", "government", "organization", "international")]
        if len(set(signers)) >= 2:
            return list(dict.fromkeys(signers))[:4]
    between = _BETWEEN.search(folded, cue_end, s_end)
    if between:
        after = [m.key for m in doc_actors.mentions if between.end() <= m.start < s_end
                 and kinds.get(m.key) in ("locality", "government", "organization", "international")]
        uniq = list(dict.fromkeys(after))[:3]
        if len(uniq) >= 2:
            return uniq
    local = [k for k in keys if kinds[k] == "locality"]
    if len(local) >= 2:
        return local[:4]
    bodies = [k for k in keys if kinds[k] in ("government", "organization", "locality")]
    if len(bodies) == 1:
        # "Hokkaido and Vietnamese ministries signed agreements": a side named by its country
        own_country = doc_actors.actors[bodies[0]].country
        bodies += [k for k in keys if kinds[k] == "country" and k != f"country:{own_country}"][:1]
    return bodies[:4]


def _agreement_name(text: str, folded: str, m: re.Match) -> str:
    start = m.start()
    left = re.search(r"((?:[A-Z][\w-]*\s+){1,5})$", folded[max(0, start - 60):start])
    if left and m.group()[:1].isupper():
        start -= len(left.group(1))
    return text[start:m.end()].strip() or m.group()


def _party_place(key: str) -> str:
    """A local body stands for its place when comparing parties (`gov:peoples-committee:vnloc:x` -> `vnloc:x`)."""
    if key.startswith("gov:") and not key.startswith("gov:embassy:"):
        return key.split(":", 2)[2]
    return key


def _merge_agreements(items: list[LocalAgreement]) -> list[LocalAgreement]:
    """One agreement per document and type when one's parties (bodies read as their places) hold the other's;
    the first mention's status stands."""
    out: list[LocalAgreement] = []
    for a in items:
        places = {_party_place(k) for k in a.parties}
        for prev in out:
            prev_places = {_party_place(k) for k in prev.parties}
            if prev.agreement_type == a.agreement_type and places and prev_places \
                    and (places <= prev_places or prev_places <= places):
                prev.parties = prev.parties + [k for k in a.parties if k not in prev.parties]
                prev.date_signed = prev.date_signed or a.date_signed
                prev.date_effective = prev.date_effective or a.date_effective
                break
        else:
            out.append(a)
    return out
