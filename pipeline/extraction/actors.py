"""Actor mentions of one document (codebook section 2), before resolution.

`find_actors(doc)` returns the document's actors, each with a global identity
`key` that resolution groups by: reference entities by their reference id,
state bodies by (body form, locality), persons by their folded full name,
other bodies by their folded name. Invariants: mentions never overlap, lie in
the main text, and name the actor (no generic references, no bylines).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from pipeline.extraction.gazetteer import Entry, accented_surnames, gazetteer, rules, slug, titles, vn_bodies, vn_name_parts
from pipeline.extraction.subdivisions import subdivision_first_words, subdivision_index
from pipeline.extraction.text import Token, fold, fold_key, tokens

_RULES = rules("actors")
#: Word sets of `rules/actors.yaml`, read once (see the file for what each holds).
_LEVEL_WORDS = frozenset(_RULES["place_level_nouns"])
_VI_HONORIFICS = frozenset(_RULES["vi_honorifics"])
_VI_FUNCTION_WORDS = frozenset(_RULES["vi_function_words"])
_NOT_PLACE_NAMES = frozenset(_RULES["not_place_names"])
_DEFINITE_HEADS = frozenset(_RULES["definite_heads"])
_TITLE_ONLY_BODIES = frozenset(fold_key(x) for x in _RULES["title_only_bodies"])
_TITLE_ONLY_BODY_WORDS = frozenset(tuple(key.split()) for key in _TITLE_ONLY_BODIES)
_AMBIGUOUS_VI_COUNTRIES: dict[str, list[str]] = _RULES["ambiguous_vi_countries"]
_VI_STATE_PREFIXES = frozenset(fold_key(x) for x in _RULES["vi_state_prefixes"])
_VI_LEVELS = frozenset(fold_key(x) for x in _RULES["vi_levels"])
_EN_LEVELS = frozenset(x.lower() for x in _RULES["en_levels"])
_HONORIFICS = frozenset(fold(h).rstrip(".") for h in _RULES["honorifics"])
_ORG_HEADS = {h: kind for kind, hs in _RULES["org_heads"].items() for h in hs}  # head word -> actor kind
_ORG_CONNECTORS = frozenset(_RULES["org_connectors"])
_NOT_ORG_HEADS = frozenset(_RULES["not_org_heads"])
_ORG_NAME_WORDS = frozenset(_RULES["org_name_words"])
_ORG_HEAD_CONTINUATIONS = frozenset(_RULES["org_head_continuations"])
_GENERIC_NAMES = frozenset(fold_key(x) for x in _RULES["generic_names"])
_LEADER_TITLES = frozenset(tuple(x.split()) for x in _RULES["leader_titles"])
_MEMORIAL_NOUNS = frozenset(tuple(x.split()) for x in _RULES["vi_memorial_nouns"])
#: words that end a run of name tokens: organisation connectors and heads
_NAME_STOPS = _ORG_CONNECTORS | frozenset(_ORG_HEADS)


@dataclass
class LocalActor:
    key: str
    kind: str
    country: str | None
    canonical: str | None = None  # reference or generated English name
    surfaces: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class MentionSpan:
    key: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class RoleSpan:
    person_key: str
    title: str
    organization_key: str | None


@dataclass
class DocActors:
    actors: dict[str, LocalActor]
    mentions: list[MentionSpan]  # in text order, never overlapping
    roles: list[RoleSpan]
    home: str | None  # key of the document's home Vietnamese locality

    @cached_property
    def _mention_starts(self) -> list[int]:
        return [m.start for m in self.mentions]

    def keys_within(self, start: int, end: int) -> list[str]:
        """Keys of the mentions inside `[start, end)` in text order, each once."""
        keys: list[str] = []
        mentions = self.mentions
        for k in range(bisect_left(self._mention_starts, start), len(mentions)):
            m = mentions[k]
            if m.start >= end:
                break
            if m.end <= end and m.key not in keys:
                keys.append(m.key)
        return keys


@dataclass(eq=False)  # a claim is itself: compared by identity, as the token table holds it
class _Claim:
    start: int  # token index
    end: int
    key: str
    kind: str
    country: str | None
    canonical: str | None


class _Doc:
    """Working state of one document's actor extraction."""

    def __init__(self, text: str, main: str):
        self.text = text
        self.folded = fold(main)
        self.toks: list[Token] = tokens(self.folded)
        self.texts: list[str] = [t[0] for t in self.toks]
        # capitalised words, read by the passes over every token
        self.caps: list[bool] = [(first := text[:1]).isalpha() and first.isupper() for text in self.texts]
        # lower-cased token texts, read by the title and body lookups
        self.lows: list[str] = [t.lower() for t in self.texts]
        self.claimed: list[_Claim | None] = [None] * len(self.toks)
        self.claims: list[_Claim] = []
        # whether token k and k + 1 are neighbours on one line, read by most passes (most gaps: one space)
        folded, toks = self.folded, self.toks
        self.next_adjacent: list[bool] = [gap == " " or _on_one_line(gap)
                                          for gap in [folded[a[2]:b[1]] for a, b in zip(toks, toks[1:])]]

    def span_text(self, i: int, j: int) -> str:
        return self.text[self.toks[i].start:self.toks[j - 1].end]

    def free(self, i: int, j: int) -> bool:
        return all(self.claimed[k] is None for k in range(i, j))

    def claim(self, i: int, j: int, key: str, kind: str, country: str | None, canonical: str | None,
              override: bool = False) -> _Claim | None:
        if i >= j:
            return None
        if not override and not self.free(i, j):
            return None
        for k in range(i, j):
            old = self.claimed[k]
            if old is not None and old in self.claims:
                self.claims.remove(old)
                for m in range(old.start, old.end):
                    self.claimed[m] = None
        c = _Claim(i, j, key, kind, country, canonical)
        for k in range(i, j):
            self.claimed[k] = c
        self.claims.append(c)
        return c

    def adjacent(self, i: int, j: int) -> bool:
        """Tokens i and j are neighbours on one line (no punctuation or newline between)."""
        if j == i + 1 and i >= 0:
            return self.next_adjacent[i]
        return _on_one_line(self.folded[self.toks[i].end:self.toks[j].start])


def _on_one_line(gap: str) -> bool:
    """The text between two tokens holds only spaces: no punctuation, no line break."""
    return "\n" not in gap and gap.strip() == ""


def _cap_word(tok: Token) -> bool:
    first = tok.text[:1]
    return first.isalpha() and first.isupper()


# --------------------------------------------------------------- gazetteer

#: lower-case level nouns after a name that select the reference place named with that noun ("Vientiane province"
#: is the province, "Thai Nguyen city" the city, "Con Dao island" the island), not the place of the bare name
_LOWER_LEVEL_NOUNS_OF_NAMES = frozenset({"province", "prefecture", "state", "city", "town", "island"})
#: lower-case level words that open some reference names ("tỉnh Viêng Chăn" is the province, "Viêng Chăn" the capital)
_LOWER_LEVEL_STARTS = frozenset({"tinh"})


def _gazetteer_pass(d: _Doc) -> None:
    gaz = gazetteer()
    toks, n, i, texts = d.toks, len(d.toks), 0, d.texts
    # "Chu Ngoc Anh ... Anh said": a word that ends a person's name here is that person, not a country
    name_tails = {t.text for k, t in enumerate(toks[1:], 1)
                  if t.text in _AMBIGUOUS_VI_COUNTRIES and _cap_word(toks[k - 1])
                  and d.adjacent(k - 1, k) and k >= 2 and _vn_name_at(d, k - 2)}
    lengths, caps = gaz.lengths, d.caps
    while i < n:
        text = texts[i]
        if text not in lengths or not caps[i] and not text[:1].isdigit() and text not in _LOWER_LEVEL_STARTS:
            i += 1
            continue
        hit = None
        for length in lengths[text]:
            if length > n - i:
                continue
            words = tuple(texts[i:i + length])
            entry = gaz.lookup(words)
            if entry and gaz.accents_fit(words, d.text[toks[i].start:toks[i + length - 1].end]) and all(d.adjacent(k, k + 1) or toks[k + 1].text in "-" or toks[k].text in "-"
                             for k in range(i, i + length - 1)):
                hit = (length, entry)
                break
        if hit is None:
            i += 1
            continue
        length, entry = hit
        if i + length < n and texts[i + length] in _LOWER_LEVEL_NOUNS_OF_NAMES \
                and (longer := gaz.lookup((*texts[i:i + length], texts[i + length].title()))) is not None:
            length, entry = length + 1, longer  # "Vientiane province" is "Vientiane Province", not the capital;
            # "Thai Nguyen city" is "Thai Nguyen City", not the province
        words = " ".join(x.text for x in toks[i:i + length])
        if entry.kind == "country" and i + length < n and toks[i + length].text == "$" \
                and d.adjacent(i + length - 1, i + length):
            i += length  # "US$1.4 billion" is a currency, not the country
            continue
        if words in name_tails or (i + length < n and toks[i + length].text[:1].islower()
                                   and fold_key(f"{words} {toks[i + length].text}") in _vi_compound_words()):
            i += length  # "Lao động" is labour, not Laos
            continue
        if words in _AMBIGUOUS_VI_COUNTRIES:
            prev = toks[i - 1] if i else None
            nxt = toks[i + length] if i + length < n else None
            if (prev and (_cap_word(prev) and d.adjacent(i - 1, i)
                          or prev.text.lower() in _AMBIGUOUS_VI_COUNTRIES[words])) or \
                    (nxt and _cap_word(nxt) and d.adjacent(i + length - 1, i + length)):
                i += length
                continue
        if entry.kind not in ("country", "locality") and toks[i + length - 1].text in ("Party", "Vietnam") \
                and i + length < n and toks[i + length].text == "Committee":
            i += length  # "Lao People's Revolutionary Party Committee (of X)": a party committee, not the party
            continue
        if entry.kind == "locality" and length >= 3 and _vn_name_at(d, i) and _leader_title_before(d, i) is not None:
            i += length  # "Chủ tịch Hồ Chí Minh": the leader the city is named after
            continue
        start = i
        if entry.kind == "country" and i >= 2 and _cap_word(toks[i - 2]) and d.adjacent(i - 2, i - 1) \
                and d.adjacent(i - 1, i) and fold_key(f"{toks[i - 2].text} {toks[i - 1].text}") in _VI_STATE_PREFIXES:
            start = i - 2  # "Cộng hòa Azerbaijan", "Vương quốc Thái Lan": the state's formal name
        d.claim(start, i + length, entry.key, entry.kind, entry.country, entry.name)
        i += length


def _leader_title_before(d: _Doc, i: int) -> int | None:
    """Start token of a leader's title ("Chủ tịch", "President") right before token i, or None."""
    for length in (2, 1):
        k = i - length
        if k >= 0 and tuple(d.lows[k:i]) in _LEADER_TITLES and d.adjacent(i - 1, i):
            return k
    return None


def _names_a_memorial(d: _Doc, i: int) -> bool:
    """The name at token i follows a memorial noun and a leader's title ("tượng đài Chủ tịch X"): a landmark."""
    k = _leader_title_before(d, i)
    return k is not None and any(tuple(d.lows[k - len(noun):k]) == noun for noun in _MEMORIAL_NOUNS if k >= len(noun))


def _bare_names_of_a_named_province(d: _Doc) -> None:
    """A document that names "Vientiane province" means the province by a bare "Vientiane" too (not the capital)."""
    provinces = {c.canonical[:-len(" Province")]: c for c in d.claims
                 if c.kind == "locality" and c.canonical and c.canonical.endswith(" Province")}
    # likewise a document about "thành phố Bắc Giang" that never says "tỉnh Bắc Giang" means the city
    cities = {c.canonical[:-len(" City")]: c for c in d.claims
              if c.kind == "locality" and c.canonical and c.canonical.endswith(" City") and c.key.startswith("vnloc:")}
    for name in list(cities):
        if any(c.canonical == name and _province_said(d, c) for c in d.claims):
            del cities[name]
    for c in d.claims:
        wider = provinces.get(c.canonical or "") or cities.get(c.canonical or "")
        if wider is not None and c.kind == "locality":
            c.key, c.country, c.canonical = wider.key, wider.country, wider.canonical


def _province_said(d: _Doc, c: _Claim) -> bool:
    """The place is named as a province: "tỉnh X", "X province", "the province of X"."""
    before = d.lows[c.start - 1] if c.start > 0 else ""
    after = d.lows[c.end] if c.end < len(d.toks) else ""
    return before in ("tinh", "of") or after in ("province", "provincial")


def _subdivision_pass(d: _Doc) -> None:
    """`Stara Zagora`, `Niedersachsen`: a first-level subdivision (ISO 3166-2) of a country the document
    names, when the reference data lacks it."""
    countries = sorted({c.country for c in d.claims if c.kind == "country" and c.country and c.country != "VN"})
    indexes = [subdivision_index(code) for code in countries]
    first_words = set().union(*(subdivision_first_words(code) for code in countries))
    toks, n, i = d.toks, len(d.toks), 0
    while i < n:
        if not d.caps[i] or d.claimed[i] is not None or d.texts[i] not in first_words:
            i += 1
            continue
        hit = None
        for length in range(4, 0, -1):
            words = tuple(d.texts[i:i + length])
            if len(words) < length or not d.free(i, i + length) \
                    or not all(d.adjacent(k, k + 1) or "-" in (toks[k].text, toks[k + 1].text)
                               for k in range(i, i + length - 1)):
                continue
            found = next((index[words] for index in indexes if words in index), None)
            if found:
                hit = (length, found)
                break
        if hit is None:
            i += 1
            continue
        length, (code, name) = hit
        if i + length < n and d.caps[i + length] and d.adjacent(i + length - 1, i + length):
            i += length  # part of a longer name ("Varna Free University")
            continue
        d.claim(i, i + length, f"loc:iso-{code.lower()}", "locality", code[:2], name)
        i += length


def _unlisted_place_pass(d: _Doc) -> None:
    """`Cienfuegos province`, `Trat Province`: a capitalised name before a level noun is a foreign place even
    when the reference data lacks it; its country is the one named right before or after it, if any."""
    toks, n = d.toks, len(d.toks)
    for k in range(1, n):
        if toks[k].text.lower() not in _LEVEL_WORDS or d.claimed[k] is not None or not d.adjacent(k - 1, k):
            continue
        if k + 1 < n and toks[k + 1].text in ("of", "cua"):
            continue  # "the Central Highlands province of Lam Dong": the name comes after
        i = k
        while i > 0 and k - i < 3 and _cap_word(toks[i - 1]) and d.claimed[i - 1] is None \
                and d.adjacent(i - 1, i) and toks[i - 1].text not in _NOT_PLACE_NAMES:
            i -= 1
        if i == k or (i > 0 and toks[i - 1].text in ("the", "The") and k - i == 1 and toks[k].text[:1].isupper()):
            continue
        country = _country_beside(d, i, k + 1)
        name = d.span_text(i, k)
        d.claim(i, k + 1, f"loc:{slug(name)}", "locality", country, name)


_PLURAL_LEVELS = frozenset({"districts", "provinces", "prefectures", "counties", "communes", "towns", "cities"})


def _listed_places_pass(d: _Doc) -> None:
    """`An Lao, Tien Lang and Vinh Bao districts`: every name of a list before a plural level noun is a place
    (a reference place inside a longer item, "Lao" of "An Lao", gives way to the item)."""
    toks, n = d.toks, len(d.toks)
    syllables = _vn_syllables()
    for k in range(1, n):
        if toks[k].text not in _PLURAL_LEVELS or not d.adjacent(k - 1, k):
            continue
        items = _list_after(d, k + 2) if k + 2 < n and toks[k + 1].text == "of" else []
        e = 0 if items else k
        while e > 0:
            s = e
            while s > 0 and e - s < 3 and _cap_word(toks[s - 1]) and (d.adjacent(s - 1, s) or s == e) \
                    and (toks[s - 1].text not in _NOT_PLACE_NAMES or toks[s - 1].text == "An" and s < e):
                s -= 1
            if s == e:
                break
            items.append((s, e))
            if s >= 1 and toks[s - 1].text in (",", "and", "va"):
                e = s - 1
            else:
                break
        if len(items) < 2:
            continue
        for s, e in items:
            inside = [c for c in d.claimed[s:e] if c is not None]
            if any(c.start < s or c.end > e or c.kind not in ("locality", "country") for c in inside) \
                    or any(c.start == s and c.end == e for c in inside):
                continue  # part of something longer, or already the place itself
            name = d.span_text(s, e)
            country = "VN" if all(t.text in syllables for t in toks[s:e]) else _country_beside(d, s, e)
            d.claim(s, e, f"loc:{slug(fold(name))}", "locality", country, name, override=True)


def _list_after(d: _Doc, j: int) -> list[tuple[int, int]]:
    """Items of a list of capitalised names starting at token j ("Do Son, An Lao and Vinh Bao")."""
    toks, n, items = d.toks, len(d.toks), []
    while j < n and _cap_word(toks[j]):
        e = j
        while e < n and e - j < 3 and _cap_word(toks[e]) and (e == j or d.adjacent(e - 1, e)):
            e += 1
        items.append((j, e))
        if e + 1 < n and toks[e].text in (",", "and") and (toks[e + 1].text != "and" or e + 2 < n):
            j = e + 2 if toks[e].text == "," and toks[e + 1].text == "and" else e + 1
        else:
            break
    return items


@lru_cache(maxsize=1)
def _vn_syllables() -> frozenset[str]:
    """Every Vietnamese surname and name syllable (a place name made only of them is Vietnamese-shaped)."""
    surnames, syllables = vn_name_parts()
    return frozenset(surnames) | frozenset(syllables)


def _vi_unlisted_place_pass(d: _Doc) -> None:
    """`huyện Kỳ Sơn`, `thị xã Cửa Lò`, `tỉnh Xiêng Khoảng`: capitalised syllables after a lower-case Vietnamese
    level word are a place even when the reference data lacks it; its country is the one named beside it, else
    Vietnam when the level is Vietnamese only (huyện, thị xã, quận, ...)."""
    toks, n = d.toks, len(d.toks)
    syllables = _vn_syllables()
    # where a level may start: a lower-case first word of a level (every other token gives None)
    starts = [k for k, text in enumerate(d.texts) if text in _VI_LEVEL_FIRST_WORDS and not d.caps[k]]
    k = 0
    while k < n - 1:
        at = bisect_left(starts, k)
        if at == len(starts) or starts[at] >= n - 1:
            break
        k = starts[at]
        level = _vi_level_at(d, k)
        if not level:
            k += 1
            continue
        i = e = k + len(level.split())
        while e < n and e - i < 4 and _cap_word(toks[e]) and d.claimed[e] is None and d.adjacent(e - 1, e) \
                and toks[e].text not in _NAME_STOPS and not (e > i and _vn_name_at(d, e) and e + 2 < n
                                                             and _cap_word(toks[e + 2])):
            e += 1
        if e - i >= 3 and not any(t.text in syllables for t in toks[i:e]):
            e = i + 1  # "thành phố Kazanlak Nikolay Zlatanov Dimitrov": a foreign place is a word, a person follows
        if e - i == 1 and fold_key(toks[i].text) in _VI_DIRECTIONS:
            e = i  # "các tỉnh Nam Lào": a direction, not a name
        if e > i and d.free(i, e) and not _title_starting_at(d, i):
            original = d.span_text(i, e)
            country = _country_beside(d, i, e) or ("VN" if level in _VI_ONLY_LEVELS else None)
            d.claim(k, e, f"loc:{slug(fold(original))}", "locality", country, original)
        k = max(e, k + 1)


#: lower-case level words (folded) that open a place's name in Vietnamese, longest first
_VI_LEVEL_PREFIXES = ("thi xa", "thi tran", "thanh pho", "huyen", "quan", "tinh", "bang", "xa", "phuong", "dac khu")
#: directions written after a level word ("các tỉnh Bắc Lào"): never a place's whole name
_VI_DIRECTIONS = frozenset({"nam", "bac", "dong", "tay", "trung"})
_VI_LEVEL_FIRST_WORDS = frozenset(level.split()[0] for level in _VI_LEVEL_PREFIXES)
#: levels that only Vietnam's units carry in Vietnamese text
_VI_ONLY_LEVELS = frozenset({"thi xa", "thi tran", "xa", "phuong", "dac khu"})


def _vi_level_at(d: _Doc, k: int) -> str | None:
    """The Vietnamese level word written in lower case (with its accents) starting at token k, if any."""
    if d.caps[k] or d.texts[k] not in _VI_LEVEL_FIRST_WORDS:
        return None  # most tokens: one set lookup
    for level in _VI_LEVEL_PREFIXES:
        words = level.split()
        if tuple(d.texts[k:k + len(words)]) == tuple(words) and _VI_LEVEL_SPELLINGS.get(level) == \
                d.text[d.toks[k].start:d.toks[k + len(words) - 1].end].lower():
            return level
    return None


_VI_LEVEL_SPELLINGS = {"thi xa": "thị xã", "thi tran": "thị trấn", "thanh pho": "thành phố", "huyen": "huyện",
                       "quan": "quận", "tinh": "tỉnh", "bang": "bang", "xa": "xã", "phuong": "phường",
                       "dac khu": "đặc khu"}


def _country_beside(d: _Doc, i: int, e: int) -> str | None:
    """The country of a place named as "Japan's X", "X of Japan", "X, Japan" or "X (Japan)"."""
    for k in (i - 2, i - 1, e, e + 1):
        c = d.claimed[k] if 0 <= k < len(d.toks) else None
        if c is not None and c.kind == "country":
            return c.country
    return None


def _locality_at(d: _Doc, i: int) -> tuple[int, _Claim] | None:
    """The locality claim starting at token i, if any: (end token, claim)."""
    if i < len(d.toks) and d.claimed[i] is not None and d.claimed[i].kind == "locality" and d.claimed[i].start == i:
        return d.claimed[i].end, d.claimed[i]
    return None


def _locality_ending_at(d: _Doc, j: int) -> _Claim | None:
    if j > 0 and d.claimed[j - 1] is not None and d.claimed[j - 1].kind == "locality" and d.claimed[j - 1].end == j:
        return d.claimed[j - 1]
    return None


# --------------------------------------------------------------- state bodies

@lru_cache(maxsize=1)
def _body_forms() -> list[tuple[tuple[str, ...], dict, str]]:
    """(lower-cased folded head tokens, body row, language), longest first."""
    forms = []
    for row in vn_bodies():
        for lang, cols in (("en", ("name_en", "aliases_en")), ("vi", ("name_vi", "aliases_vi"))):
            for col in cols:
                for form in (row.get(col) or "").split("|"):
                    words = tuple(t.text.lower() for t in tokens(fold(form.strip())) if t.text not in ".’'")
                    if words and words[-1] != "of" and len("".join(words)) > 2 and words != ("uy", "ban"):
                        forms.append((words, row, lang))
    forms.sort(key=lambda f: -len(f[0]))
    return forms


@lru_cache(maxsize=1)
def _body_acronyms() -> frozenset[str]:
    """Lower-cased body forms written as capitals ("DAE", "UBND"): they match only in capitals."""
    return frozenset(form.strip().lower() for row in vn_bodies()
                     for col in ("aliases_en", "aliases_vi") for form in (row.get(col) or "").split("|")
                     if form.strip().isupper() and " " not in form.strip())


@lru_cache(maxsize=1)
def _body_forms_by_first_word() -> dict[str, list[tuple[tuple[str, ...], dict, str]]]:
    """The body forms grouped by first word, each group longest first."""
    grouped: dict[str, list] = {}
    for form in _body_forms():
        grouped.setdefault(form[0][0], []).append(form)
    return grouped


def _body_pass(d: _Doc, home_key: str | None) -> None:
    forms_by_first = _body_forms_by_first_word()
    toks, n, caps = d.toks, len(d.toks), d.caps
    i = 0
    while i < n:
        if not caps[i] and d.lows[i] not in ("people", "party"):
            i += 1
            continue
        match = None
        first = d.lows[i]
        # a possessive first word may lack its "'s" ("People Committee"): its forms are tried too
        for words, row, lang in (*forms_by_first.get(first, ()), *forms_by_first.get(first + "'s", ())):
            if len(words) == 1 and words[0] in _body_acronyms() and not toks[i].text.isupper():
                continue  # "DAE" names a department; "Dae" ends a Korean name
            span = _span_of_words(d, i, words)
            if span:
                match = (span, row, lang)
                break
        if match is None:
            i += 1
            continue
        end, row, lang = match
        if any(tuple(d.lows[i:end])[:len(x)] == x for x in _TITLE_ONLY_BODY_WORDS):
            i = end
            continue
        if lang == "vi" and _standing_word_of_title(d, i):
            i += 2  # "Phó Bí thư Thường trực Tỉnh ủy": a standing deputy of the committee, not its standing board
            continue
        start, loc = i, None
        if lang == "en":
            # "[the] Hanoi [municipal] People's Committee" | "People's Committee of [the] Hanoi [city]"
            k = start
            inside = d.claimed[start]
            if inside is not None and inside.kind == "locality" and inside.start < start:
                k = inside.end  # the form's first word ends the place's name ("Can Tho City| People's ...")
            elif k > 0 and toks[k - 1].text.lower() in _EN_LEVELS and not _locality_ending_at(d, k):
                k -= 1  # "Kunming city Party Committee": unless the place's name holds the level word itself
            elif k > 1 and toks[k - 1].text in ("'s", "’s") and _locality_ending_at(d, k - 1):
                k -= 1  # "Gunsan City's Department of ...": the body of the city
            before = _locality_ending_at(d, k)
            if before:
                loc, start = before, before.start
            elif k != start:
                start = k
            if loc is None and end + 1 < n and toks[end].text == "of":
                j = _place_after_of(d, end + 1)
                at = _locality_at(d, j)
                if at:
                    end, loc = at
                    if end < n and toks[end].text.lower() in ("province", "city", "municipality"):
                        end += 1
        else:
            j = end
            if j < n and fold_key(toks[j].text) in _VI_LEVELS:
                j += 1
            elif j + 1 < n and fold_key(toks[j].text + " " + toks[j + 1].text) in _VI_LEVELS:
                j += 2
            at = _locality_at(d, j)
            if at:
                end, loc = at
            elif j != end:
                end = j
        scope = row.get("scope") or "local"
        if loc is not None:
            where = loc.key
        elif scope == "local":
            where = home_key or "unknown"
        else:
            where = "VN"
        if scope == "mission":
            i = end
            continue
        canonical = None
        if loc is not None and loc.canonical:
            canonical = f"{loc.canonical} {row['name_en']}"
        elif where == home_key and home_key:
            canonical = None
        d.claim(start, end, f"gov:{row['key']}:{where}", "government", "VN" if where.startswith(("vnloc", "VN")) or where == "unknown" else (loc.country if loc else None),
                canonical, override=True)
        i = end



#: a plural department noun opening a list of departments named without it: "các Sở: Y tế, Du lịch",
#: "the Departments of Health and Tourism" (lower-cased folded words, then the words each item's form starts with)
_DEPARTMENT_LIST_OPENERS = {("cac", "so"): ("so",), ("departments", "of"): ("department", "of")}
#: words that may stand between the plural noun and the first item: "các sở, ngành:", "các sở, ban, ngành:"
_DEPARTMENT_LIST_FILLERS = frozenset({",", ":", "ban", "nganh"})
_DEPARTMENT_LIST_SEPARATORS = frozenset({",", ";", "and", "va"})


@lru_cache(maxsize=1)
def _department_items_by_first_word() -> dict[tuple[str, ...], dict[str, list[tuple[tuple[str, ...], dict]]]]:
    """Per list opener, the body forms after their department noun ("y te" of "Sở Y tế"), by first word, longest first."""
    grouped: dict[tuple[str, ...], dict[str, list]] = {}
    for opener, head in _DEPARTMENT_LIST_OPENERS.items():
        items: dict[str, list] = {}
        for words, row, _lang in _body_forms():
            if words[:len(head)] == head and len(words) > len(head):
                items.setdefault(words[len(head)], []).append((words[len(head):], row))
        grouped[opener] = items
    return grouped


def _department_item_at(d: _Doc, j: int, items: dict) -> tuple[int, dict] | None:
    """(end, body row) of the department form without its noun spelled from token j, if any (longest first)."""
    if j >= len(d.toks) or not d.caps[j]:
        return None
    for words, row in items.get(d.lows[j], ()):
        end = _span_of_words(d, j, words)
        if end:
            return end, row
    return None


def _listed_departments_pass(d: _Doc, home_key: str | None) -> None:
    """Departments listed after one plural noun ("các Sở: Công Thương, Y tế"; "the Departments of Health and
    Tourism") are each the home locality's department, as "Sở Y tế" alone would be."""
    grouped = _department_items_by_first_word()
    n = len(d.toks)
    for i in range(n - 1):
        items = grouped.get((d.lows[i], d.lows[i + 1]))
        if items is None:
            continue
        j = i + 2
        while j < n and d.lows[j] in _DEPARTMENT_LIST_FILLERS:
            j += 1
        found = []
        while (item := _department_item_at(d, j, items)) is not None:
            found.append((j, *item))
            j = item[0]
            while j < n and d.lows[j] in _DEPARTMENT_LIST_SEPARATORS:
                j += 1
        if len(found) < 2:
            continue  # "các Sở Y tế" is one body the body pass names; a list has two items
        where = home_key or "unknown"
        for start, end, row in found:
            if d.free(start, end):
                d.claim(start, end, f"gov:{row['key']}:{where}", "government", "VN", None)


#: words between "of" and the place in "People's Committee of the central province of Quang Ngai", "... of northern
#: Lang Son province": the article, a compass adjective, and a level noun with its "of"
_COMPASS_ADJECTIVES = frozenset({"northern", "southern", "central", "eastern", "western", "northeastern",
                                 "northwestern", "southeastern", "southwestern", "north-central", "south-central"})
_LEVELS_BEFORE_OF = frozenset({"province", "city", "municipality", "district"})


def _place_after_of(d: _Doc, j: int) -> int:
    """Token where the place's name starts after a body's "of": past "the", a compass adjective ("northern") and
    "province of", so the body's name runs to its place."""
    lows, n = d.lows, len(d.lows)
    if j < n and lows[j] == "the":
        j += 1
    if j < n and lows[j] in _COMPASS_ADJECTIVES:
        j += 1
    if j + 1 < n and lows[j] in _LEVELS_BEFORE_OF and lows[j + 1] == "of":
        j += 2
    return j


def _standing_word_of_title(d: _Doc, i: int) -> bool:
    """"Thường trực" at token i closes a title before it ("Phó Chủ tịch Thường trực HĐND"): the body is what follows."""
    return tuple(d.lows[i:i + 2]) == ("thuong", "truc") and (s := _title_ending_before(d, i + 2)) is not None and s < i


def _span_of_words(d: _Doc, i: int, words: tuple[str, ...]) -> int | None:
    """End token index if the tokens from i spell `words` (lower-cased, apostrophes ignored; a possessive "s"
    may be left out or typed after a double quote: "People Committee", 'People"s Committee')."""
    k, w = i, 0
    n = len(d.toks)
    while w < len(words):
        if k >= n:
            return None
        if d.toks[k].text in "’'":
            k += 1
            continue
        if d.lows[k] != words[w]:
            if not words[w].endswith("'s") or d.lows[k] != words[w][:-2]:
                return None
            if k + 2 < n and _quote_for_apostrophe(d, k + 1):
                k += 2  # 'People"s': the quote and the "s"; else "People Committee", the possessive left out
        k += 1
        w += 1
    return k


def _quote_for_apostrophe(d: _Doc, k: int) -> bool:
    """Token k is a double quote typed for the apostrophe of a possessive, glued between a word and "s"."""
    toks = d.toks
    return toks[k].text == '"' and 0 < k < len(toks) - 1 and toks[k + 1].text == "s" \
        and toks[k - 1].end == toks[k].start and toks[k].end == toks[k + 1].start


# --------------------------------------------------------------- other bodies

@lru_cache(maxsize=1)
def _one_word_titles() -> frozenset[str]:
    return frozenset(w[0] for w in titles() if len(w) == 1)


def _org_pass(d: _Doc) -> None:
    title_words = _one_word_titles()
    toks, n = d.toks, len(d.toks)
    for h in range(n):
        head = toks[h].text
        if head not in _ORG_HEADS or (d.claimed[h] is not None and d.claimed[h].kind in ("government", "country")) \
                or not d.text[toks[h].start:toks[h].end].isascii():
            continue  # an English head carries no accents ("Mông Cổ" is no "Co")
        # extend left over capitalised words (and claimed places) on the same line
        s = h
        while s > 0 and d.adjacent(s - 1, s) and (_cap_word(toks[s - 1]) or toks[s - 1].text in ("-", "&")) \
                and toks[s - 1].text.lower() not in title_words and toks[s - 1].text not in _NOT_ORG_HEADS \
                and toks[s - 1].text != "The":
            s -= 1
        if s < h and toks[s].text == "-":
            s += 1
        if s > 1 and toks[s - 1].text == "'s" and (owner := _locality_ending_at(d, s - 1)) is not None:
            s = owner.start  # "Gunsan City's Department of Culture and Tourism": the city's own body
        # extend right over a head's second word ("Consulate General"), then connector + capitalised word
        e = h + 1
        if e < n and toks[e].text in _ORG_HEAD_CONTINUATIONS and d.adjacent(h, e):
            e += 1
        e = _company_form_end(d, e)
        while e + 1 < n and toks[e].text in _ORG_CONNECTORS and d.adjacent(e - 1, e):
            j = e + 1
            if toks[j].text == "the" and j + 1 < n:
                j += 1
            if toks[e].text == "and" and (_another_org_head(toks, j, _ORG_HEADS) or (s < h and e == h + 1)):
                break  # "Samsung Electronics and Hyundai Motors", "Vietnam Airlines and Aeroflot": two bodies
            if toks[e].text == "in" and head not in _IN_PLACE_HEADS:
                break  # "Eastern International University in Binh Duong": where it is, not its name
            if _cap_word(toks[j]) and toks[j].text.lower() not in title_words and toks[j].text not in _NOT_ORG_HEADS \
                    and (_place_starts_at(d, j) or not _looks_like_person_start(d, j)):
                e = j + 1
                while e < n and _cap_word(toks[e]) and d.adjacent(e - 1, e) and toks[e].text not in _ORG_HEADS \
                        and (toks[e].text in _ORG_NAME_WORDS
                             or (d.claimed[e] is not None and d.claimed[e].kind != "person")) \
                        and toks[e].text.lower() not in title_words and not _looks_like_person_start(d, e):
                    e += 1
                if (place := d.claimed[e - 1]) is not None and place.kind == "locality" and place.end > e:
                    e = place.end  # "... in Ho Chi Minh city": the place's whole name, its lower-case level word too
            else:
                break
        if any(toks[k].text in _NOT_ORG_HEADS for k in range(s, e)):
            continue
        if e - s < 2 and toks[s].text in _ORG_HEADS:
            continue
        if s == h and (e == h + 1 or toks[h + 1].text not in ("of", "for", "de", "du", "des")) and \
                not (h > 0 and _cap_word(toks[h - 1])):
            continue  # "the Center in Hanoi": a generic reference with a place, not a name
        if fold_key(d.span_text(s, e)) in _GENERIC_NAMES:
            continue
        if not d.free(s, e) and any(c is not None and c.kind in ("government", "organization", "person")
                                    for c in d.claimed[s:e]):
            continue
        name = d.span_text(s, e)
        country = _country_inside(d, s, e)
        kind = _ORG_HEADS[head]
        if head in ("Embassy", "Consulate", "Delegation", "Mission") and re.search(r"\b(Vietnamese|Viet Nam|Vietnam)\b", name):
            country = "VN"
        key = _foreign_government_key(d, s, e, head) or _party_of_place(d, s, h, e) or f"org:{slug(name)}"
        d.claim(s, e, key, kind, country, name, override=True)


#: a company's legal form after another head word ("Mekong Seafood Industries Co., Ltd"): the name goes on to it, as
#: "X Co" alone ends a name at "Co" (the "Ltd" after the comma is left out, as there)
_COMPANY_FORM_STARTS = frozenset({"Co", "Company"})


def _company_form_end(d: _Doc, e: int) -> int:
    """End of a company name ending at e once a legal form right after it is added ("Industries| Co"), else e."""
    toks = d.toks
    if e < len(toks) and toks[e].text in _COMPANY_FORM_STARTS and toks[e].start - toks[e - 1].end <= 1:
        return e + 1
    return e


#: heads whose names go on with "in <place>" ("Consulate General in Da Nang", "Chamber of Commerce in Vietnam")
_IN_PLACE_HEADS = frozenset({"Embassy", "Consulate", "Office", "Mission", "Delegation", "Chamber", "Association",
                             "Representative", "Agency", "Center", "Centre", "Council", "Union", "Federation",
                             "Society", "Club", "Community"})


def _place_starts_at(d: _Doc, j: int) -> bool:
    """A place's name starts at token j: "Ho Chi Minh City" after "Consulate General in" is no person "Ho Chi"."""
    c = d.claimed[j]
    return c is not None and c.start == j and c.kind in ("locality", "country")


def _another_org_head(toks: list[Token], j: int, heads: dict) -> bool:
    """A run of capitalised words from token j ends in an organisation head of its own."""
    k = j
    while k < len(toks) and k < j + 4 and _cap_word(toks[k]):
        if toks[k].text in heads:
            return True
        k += 1
    return False


def _party_of_place(d: _Doc, s: int, h: int, e: int) -> str | None:
    """`Hanoi Party` in "Hanoi Party Secretary" is the Hanoi Party Committee, named by its leader's title."""
    place = d.claimed[s]
    if d.toks[h].text != "Party" or e != h + 1 or place is None or place.kind != "locality" \
            or place.country != "VN" or place.end != h or e >= len(d.toks) \
            or (d.toks[e].text.lower(),) not in titles():
        return None
    return f"gov:party-committee:{place.key}"


def _foreign_government_key(d: _Doc, s: int, e: int, head: str) -> str | None:
    """`Wellington City Council` and `Chinh quyen thanh pho Wellington` are one body."""
    if head not in ("Council", "Government") or s + 1 >= e:
        return None
    loc = d.claimed[s]
    if loc is not None and loc.kind == "locality" and loc.start == s and loc.country != "VN":
        return f"gov:city-government:{loc.key}"
    return None


def _country_inside(d: _Doc, s: int, e: int) -> str | None:
    gaz = gazetteer()
    for k in range(s, e):
        for length in (3, 2, 1):
            entry = gaz.lookup(tuple(t.text for t in d.toks[k:k + length]))
            if entry and entry.country and entry.kind in ("country", "locality"):
                return entry.country
    return None


@lru_cache(maxsize=1)
def _vi_org_heads() -> tuple[dict[str, list], dict[str, list]]:
    """(foreign-government forms, organisation head forms), each grouped by first word, longest first."""
    cfg = rules("actors")
    forms = sorted(((tuple(x["head"].lower().split()), x) for x in cfg["vi_org_forms"]), key=lambda f: -len(f[0]))
    gov_forms = sorted((tuple(fold_key(x).split()) for x in cfg["foreign_government_forms"]["vi_before"]),
                       key=lambda f: -len(f))
    gov_by_first: dict[str, list] = {}
    for words in gov_forms:
        gov_by_first.setdefault(words[0], []).append(words)
    forms_by_first: dict[str, list] = {}
    for words, form in forms:
        forms_by_first.setdefault(words[0], []).append((words, form))
    return gov_by_first, forms_by_first


def _vi_org_pass(d: _Doc) -> None:
    gov_by_first, forms_by_first = _vi_org_heads()
    toks, n, caps = d.toks, len(d.toks), d.caps
    for i in range(n):
        if not caps[i] or (d.claimed[i] is not None and d.claimed[i].kind != "locality"):
            continue
        first = toks[i].text.lower()
        for words in gov_by_first.get(first, ()):
            end = _span_of_words(d, i, words)
            if end and d.claimed[i] is None:
                j = end
                while j < n and toks[j].text == ",":
                    j += 1
                at = _locality_at(d, j)
                if at and at[1].country != "VN":
                    d.claim(i, at[0], f"gov:city-government:{at[1].key}", "government", at[1].country,
                            f"{at[1].canonical} City Council", override=True)
                break
        for words, form in forms_by_first.get(first, ()):
            end = _span_of_words(d, i, words)
            if not end or end >= n or not (_cap_word(toks[end]) or (toks[end].text[:1].islower()
                                                                      and _in_vi_compound(d, end))):
                continue
            if len(words) == 1 and d.text[toks[i].start:toks[i].end].isascii():
                continue  # a one-syllable head has its accents ("Quỹ", "Viện"): "Quy Nhơn" is a city
            e = end
            while e < n and d.adjacent(e - 1, e) and not _name_after_place(d, e) and (
                    _cap_word(toks[e])
                    or (toks[e].text in ("tai", "va", "-") and e + 1 < n and _cap_word(toks[e + 1])
                        and (toks[e].text != "tai" or form["head"] in _MISSION_HEADS)
                        and not (toks[e].text == "va" and _vi_org_head_at(d, e + 1, forms_by_first)))
                    or (toks[e].text[:1].islower() and _in_vi_compound(d, e))
                    or (form["head"] in _MISSION_HEADS and _seat_after(d, e))
                    or (toks[e].text[:1].islower() and toks[e].text not in _VI_FUNCTION_WORDS and e + 1 < n
                        and d.claimed[e + 1] is not None and d.claimed[e + 1].kind in ("locality", "country"))):
                e += 1  # "Công ty Khai thác cảng Hamburg": a common noun before the place it names
            name = d.span_text(i, e)
            country = _country_inside(d, end, e)
            if form["head"] in _MISSION_HEADS:
                country = _country_inside(d, end, min(e, end + 2)) or country
                key = _embassy_key(d, end, e)
            else:
                key = f"org:{slug(name)}"
            d.claim(i, e, key, form["kind"], country, None, override=True)
            break


def _vi_national_government_pass(d: _Doc) -> None:
    """"Chính phủ <country>", in either case ("cảm ơn chính phủ Nhật Bản"), is that country's government, as
    "Government of <country>" is in English; the country's own name stays a mention of it when it is said elsewhere."""
    n = len(d.toks)
    for i in range(n - 2):
        if d.lows[i] != "chinh" or d.lows[i + 1] != "phu" or not d.adjacent(i, i + 1) or not d.adjacent(i + 1, i + 2):
            continue
        country = d.claimed[i + 2]
        if country is None or country.kind != "country" or country.start != i + 2 or d.claimed[i] is not None:
            continue
        code = country.key.split(":")[-1]
        d.claim(i, country.end, f"gov:national-government:{code}", "government", country.country or code, None,
                override=True)


#: Diplomatic missions, named with where they sit ("Đại sứ quán X tại Y"); other bodies end before "tại".
_MISSION_HEADS = ("Dai su quan", "Tong Lanh su quan", "Lanh su quan", "Phai doan")
#: lower-case words between "tại" and the seat of a mission ("Đại sứ quán Việt Nam tại nước CHDCND Lào")
_SEAT_NOUNS = frozenset({"nuoc", "thu do", "thanh pho", "tinh"})


def _seat_after(d: _Doc, e: int) -> bool:
    """Tokens from e spell "tại <lower-case seat noun>" before a capitalised name: the mission's seat goes on."""
    toks, n = d.toks, len(d.toks)
    if toks[e].text != "tai" or d.caps[e]:
        return False
    for noun in _SEAT_NOUNS:
        words = noun.split()
        k = e + 1 + len(words)
        if k < n and tuple(d.lows[e + 1:k]) == tuple(words) and not any(d.caps[e + 1:k]) and _cap_word(toks[k]):
            return True
    return False


def _seated_missions(d: _Doc) -> None:
    """A mission named without its seat ("Đại sứ quán Trung Quốc", "the Chinese Embassy") is the mission of
    that country whose seat the document names ("... tại Việt Nam"), when it names one only."""
    seated: dict[str, set[str]] = {}
    for c in d.claims:
        if c.key.startswith("gov:embassy:country:"):
            seated.setdefault(c.key.split(":")[3], set()).add(c.key)
    if not seated:
        return
    for c in d.claims:
        if c.kind == "government" and c.key.startswith("org:") and c.country in seated \
                and len(seated[c.country]) == 1 and _names_a_mission(d, c):
            c.key = next(iter(seated[c.country]))


def _names_a_mission(d: _Doc, c: _Claim) -> bool:
    """The claim is a mission's name: a Vietnamese mission head opens it, or an English one is in it."""
    words = tuple(d.lows[c.start:c.end])
    return any(words[:len(h.split())] == tuple(h.lower().split()) for h in _MISSION_HEADS) \
        or bool({"embassy", "consulate"} & set(words))


def _name_after_place(d: _Doc, i: int) -> bool:
    """A Vietnamese full name right after a place ends the body before it ("Thương hội ... Trung Quốc
    Trương Ngọc Tinh"); a name right after the head ("Đại học Tôn Đức Thắng") is the body's own."""
    before = d.claimed[i - 1] if i > 0 else None
    return before is not None and before.end == i and before.kind in ("country", "locality") and _vn_name_at(d, i)


def _in_vi_compound(d: _Doc, i: int) -> bool:
    """Token i is a syllable of a common two-syllable word with its neighbour ("Quốc tế", "liên ngành")."""
    words = _vi_compound_words()
    toks = d.toks
    return (i > 0 and d.adjacent(i - 1, i) and fold_key(f"{toks[i - 1].text} {toks[i].text}") in words) or \
        (i + 1 < len(toks) and d.adjacent(i, i + 1) and fold_key(f"{toks[i].text} {toks[i + 1].text}") in words)


def _vi_org_head_at(d: _Doc, i: int, forms_by_first: dict) -> bool:
    """Another organisation's head starts at token i ("... tại Đức và Hiệp hội ..." is two bodies)."""
    return any(_span_of_words(d, i, words) for words, _ in forms_by_first.get(d.lows[i], ()))


def _embassy_key(d: _Doc, s: int, e: int) -> str:
    """Embassy of A in B, in either language, as one key: `gov:embassy:A:B`."""
    places = [d.claimed[k] for k in range(s, e) if d.claimed[k] is not None]
    seen = []
    for c in places:
        if c.key not in seen:
            seen.append(c.key)
    if len(seen) >= 2:
        return f"gov:embassy:{seen[0]}:{'+'.join(seen[1:])}"
    return f"org:{slug(d.span_text(s, e))}"


def _en_embassy_pass(d: _Doc) -> None:
    """`Vietnamese Embassy in New Zealand` / `Embassy of Vietnam in New Zealand` keyed like the Vietnamese form."""
    for c in list(d.claims):
        if c.kind != "government" or not c.key.startswith("org:"):
            continue
        words = [t.text for t in d.toks[c.start:c.end]]
        if not ({"Embassy", "Consulate"} & set(words)):
            continue
        gaz = gazetteer()
        found = []
        k = c.start
        while k < c.end:
            hit = None
            for length in (3, 2, 1):
                entry = gaz.lookup(tuple(t.text for t in d.toks[k:k + length]))
                if entry and entry.kind in ("country", "locality"):
                    hit = (length, entry)
                    break
            if hit:
                if hit[1].key not in found:
                    found.append(hit[1].key)
                k += hit[0]
            else:
                k += 1
        if len(found) >= 2:
            c.key = f"gov:embassy:{found[0]}:{'+'.join(found[1:])}"


# --------------------------------------------------------------- persons

def _looks_like_person_start(d: _Doc, i: int) -> bool:
    return _vn_name_at(d, i) and d.adjacent(i, i + 1)


def _vn_name_at(d: _Doc, i: int) -> bool:
    """A Vietnamese surname (with its own accents, if any) followed by a name syllable."""
    surnames, syllables = vn_name_parts()
    if i >= len(d.toks):
        return False
    t = d.toks[i]
    if t.text not in surnames or i + 1 >= len(d.toks) or d.toks[i + 1].text not in syllables:
        return False
    original = d.text[t.start:t.end]
    return original.isascii() or original.lower() in accented_surnames()


def _name_run(d: _Doc, i: int, max_len: int = 4) -> int:
    """End of a run of capitalised name tokens starting at i (hyphenated parts kept)."""
    toks, n, e = d.toks, len(d.toks), i
    while e < n and e - i < max_len:
        t = toks[e]
        if e > i and not d.adjacent(e - 1, e) and t.text != "-":
            break
        if t.text == "-" and e + 1 < n and toks[e + 1].is_word and e > i \
                and toks[e - 1].end == t.start and t.end == toks[e + 1].start \
                and toks[e + 1].text.lower() not in _title_words()[0]:  # "Jin-ho", not "Whanau - Thị", "Nguoi-President"
            e += 2
            continue
        if not _cap_word(t) or t.text in _NAME_STOPS or d.claimed[e] is not None or _opens_dotted_abbreviation(d, e):
            break
        if e > i and len(t.text) == 1 and t.text.isupper() and e + 2 < n and toks[e + 1].text == "." \
                and t.end == toks[e + 1].start and _cap_word(toks[e + 2]) and len(toks[e + 2].text) > 1 \
                and d.claimed[e + 2] is None and d.adjacent(e + 1, e + 2):
            e += 2  # a middle initial: "Pete J. Ricketts"
            continue
        e += 1
    return e


@lru_cache(maxsize=1)
def _title_words() -> tuple[frozenset[str], frozenset[str]]:
    """The first words and the last words of the title phrases: most tokens are neither."""
    return frozenset(w[0] for w in titles()), frozenset(w[-1] for w in titles())


def _title_starting_at(d: _Doc, i: int) -> bool:
    return _title_length_at(d, i) > 0


def _title_length_at(d: _Doc, i: int) -> int:
    """Tokens of the longest title phrase of two words or more starting at token i (0 if none)."""
    if i >= len(d.lows) or d.lows[i] not in _title_words()[0]:
        return 0
    table = titles()
    return next((length for length in range(5, 1, -1) if tuple(d.lows[i:i + length]) in table), 0)


def _title_ending_before(d: _Doc, i: int) -> int | None:
    """Start token of a title phrase ending right before token i."""
    if 0 < i <= len(d.lows) and d.lows[i - 1] not in _title_words()[1]:
        return None
    table = titles()
    for length in range(6, 0, -1):
        s = i - length
        if s < 0:
            continue
        if tuple(d.lows[s:i]) in table:
            return s
    return None


_MONTHS = frozenset({"January", "February", "March", "April", "June", "July", "August", "September",
                     "October", "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep",
                     "Sept", "Oct", "Nov", "Dec"})
_NOT_NAME_STARTS = frozenset({"On", "In", "At", "From", "By", "During", "Since", "For", "To", "With", "After",
                              "Before", "Over", "Under", "Last", "Next", "This", "That", "Early", "Late",
                              # a possessive opens a form of address, not a name ("His Excellency Mr. ...")
                              "His", "Her", "Their", "Its", "Your", "Our"})


def _opens_dotted_abbreviation(d: _Doc, i: int) -> bool:
    """Token i is one letter glued to ".", glued to one more letter that ends the abbreviation ("T" of "BCH T.Ư";
    not the initials "J.R. Smith"): no part of a name."""
    toks = d.toks
    return len(toks[i].text) == 1 and i + 2 < len(toks) and toks[i + 1].text == "." \
        and len(toks[i + 2].text) == 1 and toks[i].end == toks[i + 1].start and toks[i + 1].end == toks[i + 2].start \
        and not (i + 3 < len(toks) and toks[i + 3].text == "." and toks[i + 2].end == toks[i + 3].start)


def _letter_of_dotted_abbreviation(d: _Doc, i: int) -> bool:
    """Token i is one letter glued to a dotted abbreviation before it ("Ư" of "T.Ư Đảng", "UVT.Ư"): no name."""
    toks = d.toks
    return len(toks[i].text) == 1 and i >= 2 and toks[i - 1].text == "." \
        and toks[i - 2].end == toks[i - 1].start and toks[i - 1].end == toks[i].start


def _after_comrade(d: _Doc, i: int) -> bool:
    """Token i follows "đồng chí" (comrade, written with its accents): a person's name comes, of any origin."""
    return i >= 2 and tuple(d.lows[i - 2:i]) == ("dong", "chi") \
        and d.text[d.toks[i - 2].start:d.toks[i - 1].end].lower() == "đồng chí"


#: punctuation that closes a name before its title ("Khăm Phăn Xay Vông – Phó tỉnh trưởng", "X, Bí thư")
_NAME_CLOSERS = frozenset({"–", "-", ",", "("})


def _long_name_end(d: _Doc, i: int, e: int, max_len: int = 9) -> int:
    """End of a name of up to nine tokens, syllables and their hyphens (Lao and Khmer names in Vietnamese:
    "Xổm Phăn Kẹo Mạ Nì Thạt", "Bun-xỉ Thệt-tha-vông"), when the run stops at punctuation and holds no title
    word; else `e`."""
    longer = _name_run(d, i, max_len)
    if longer <= e or longer >= len(d.toks) or d.toks[longer].text not in _NAME_CLOSERS \
            or (d.toks[longer].text == "-" and d.toks[longer - 1].end == d.toks[longer].start):
        return e  # a hyphen glued to the last syllable goes on with the name
    first_words = _title_words()[0]
    return e if any(d.lows[k] in first_words for k in range(i, longer)) else longer


def _person_pass(d: _Doc) -> None:
    surnames, syllables = vn_name_parts()
    toks, n, caps = d.toks, len(d.toks), d.caps
    i = 0
    while i < n:
        t = toks[i]
        if not caps[i] or d.claimed[i] is not None or (t.text in _HONORIFICS and _vn_name_at(d, i + 1)) \
                or _accented_honorific(d, i) or _letter_of_dotted_abbreviation(d, i):
            i += 1  # a sentence-initial "Ông Nguyễn Văn A" or "Ông Cao" is the person without the honorific
            continue
        e = _name_run(d, i)
        comrade = _after_comrade(d, i)
        if comrade:
            e = _long_name_end(d, i, e)
        surname_at = next((k for k in ([] if _vn_name_at(d, i) else range(i + 1, e)) if _vn_name_at(d, k)), None)
        if surname_at is not None:
            i = surname_at  # "Foreign Affairs Nguyen Minh Vu": the name starts at its surname, the rest is title
            continue
        e = _cut_vi_compound(d, i, e)
        words = [x.text for x in toks[i:e] if x.text != "-"]
        title_length = 1 if (d.lows[i],) in titles() else _title_length_at(d, i)
        if title_length and len(words) >= title_length + 2:
            i += title_length  # "Mayor Tom Tate", "Vice Governor Sato Kenji": the title, then the name
            continue
        if len(words) < 2 or title_length or (words[0] in _NOT_NAME_STARTS and words[0] not in surnames) \
                or _MONTHS & set(words):
            i = max(e, i + 1)  # "On July 10, Mr. ...": a date, not a person
            continue
        vn_shape = _vn_name_at(d, i) and all(w in syllables or w in surnames for w in words[1:]) \
            and not _title_starting_at(d, i)
        prev = i - 1
        while prev >= 0 and toks[prev].text in (",", "."):
            prev -= 1
        if prev >= 2 and toks[prev].text == ")" and toks[prev - 2].text == "(" and toks[prev - 1].text.isupper():
            prev -= 3  # "... Cooperation Agency (JICA) Keiichiro Nakazawa": the body before its abbreviation
        context = False
        if prev >= 0:
            p = toks[prev]
            if p.text.rstrip(".") in _HONORIFICS or p.text.lower() in ("counterpart", "ngai") or comrade:
                context = True
            elif (qualifier := _qualifier_ending_at(d, prev)) is not None and _title_before_claim(d, qualifier.start):
                context = True
            elif _title_ending_before(d, prev + 1) is not None:
                context = True
        nxt = e
        if nxt + 1 < n and toks[nxt].text == ",":
            k = nxt + 1
            if toks[k].text.lower() in ("a", "an", "the") and k + 1 < n:
                k += 1
            if _title_ending_before(d, k + 1) is not None or _title_ending_before(d, k + 2) is not None:
                context = True
        if vn_shape and not context and len(words) == 2:
            vn_shape = False  # "Kim Liên", "Chu Lai": officials are named in full; two syllables alone are places
        if (vn_shape or context) and _names_a_memorial(d, i):
            i = e  # "khu lưu niệm Chủ tịch X": the landmark's name, not a participant
            continue
        if vn_shape or context:
            name = d.span_text(i, e)
            d.claim(i, e, f"person:{fold_key(name)}", "person", "VN" if vn_shape else None, None)
        i = e


#: first words of the diplomatic posts whose places are not actors of their own ("Ambassador of Japan to
#: Vietnam", "Tổng Lãnh sự Ấn Độ tại TP.HCM"; codebook section 2: a place inside another name)
_POST_FIRST_WORDS = frozenset({"ambassador", "consul", "consul-general", "charge", "permanent", "dai", "tong", "lanh"})
#: words that may sit between a post and its places ("to the", "of the Republic of", "dac menh toan quyen", "tai")
_POST_LINKS = frozenset({"of", "to", "in", "the", "and", "at", "for", "tai", "nuoc", "cua", "extraordinary",
                         "plenipotentiary", "dac", "menh", "toan", "quyen", "-", "designate"})


_POST_RECEIVING = frozenset({"to", "tai", "in"})


@lru_cache(maxsize=1)
def _post_titles() -> frozenset[tuple[str, ...]]:
    return frozenset(key for key, category in titles().items()
                     if category == "diplomat" and key[0] in _POST_FIRST_WORDS)


def _post_places_pass(d: _Doc) -> None:
    """Drop the country and place mentions that only say which post a diplomat holds: the sending state
    before or after the post ("Indian Ambassador", "Consul General of Japan") and the city of the post
    ("in Ho Chi Minh City", "tại Thành phố Hồ Chí Minh"); the receiving state ("to Vietnam") stays."""
    posts, n = _post_titles(), len(d.toks)
    for i in range(n):
        if d.lows[i] not in _POST_FIRST_WORDS:
            continue
        length = next((L for L in range(min(5, n - i), 0, -1) if tuple(d.lows[i:i + L]) in posts), 0)
        if not length or any(d.claimed[k] is not None and d.claimed[k].kind not in ("country", "locality")
                             for k in range(i, i + length)):
            continue
        doomed: list[_Claim] = []
        before = d.claimed[i - 1] if i > 0 else None
        if before is not None and before.kind == "country" and before.end == i and d.adjacent(i - 1, i):
            doomed.append(before)  # "Indian Ambassador"
        j = i + length
        while j < n and d.adjacent(j - 1, j):
            c = d.claimed[j]
            if c is not None and c.kind in ("country", "locality") and c.start == j:
                if c.kind == "locality" or d.lows[j - 1] not in _POST_RECEIVING:
                    doomed.append(c)  # the receiving state stays: it is a side of what the envoy does
                j = c.end
            elif d.lows[j] in _POST_LINKS:
                j += 1
            else:
                break
        if not _post_holder_named(d, i, j):
            continue  # "the Indian Ambassador" unnamed: the country stands for its envoy
        for c in doomed:
            if c in d.claims:
                d.claims.remove(c)
                for k in range(c.start, c.end):
                    d.claimed[k] = None


def _post_holder_named(d: _Doc, i: int, j: int) -> bool:
    """The post spanning tokens i..j is the title of a named person: right after it, or before it and a comma
    ("Ambassador of Japan to Vietnam Ito Naoki", "Ito Naoki, Ambassador of Japan")."""
    after = d.claimed[j] if j < len(d.toks) else None
    if after is not None and after.kind == "person" and after.start == j:
        return True
    k = i - 1
    if k >= 0 and d.claimed[k] is not None and d.claimed[k].kind == "country":
        k = d.claimed[k].start - 1  # "X, Indian Ambassador to Vietnam"
    if k >= 0 and d.texts[k] in ("the", "The"):
        k -= 1
    before = d.claimed[k - 1] if k >= 1 and d.texts[k] == "," else None
    return before is not None and before.kind == "person"


def _join_dashed_names(d: _Doc) -> None:
    """Lao and Cambodian names written in Vietnamese syllables, "Bun Chăn - Sí Vông Phăn": two person
    claims joined by a lone dash on one line are one person."""
    for first in sorted((c for c in d.claims if c.kind == "person"), key=lambda c: c.start):
        j = first.end
        if first not in d.claims or j + 1 >= len(d.toks) or d.toks[j].text not in ("-", "–"):
            continue
        second = d.claimed[j + 1]
        if second is None or second.kind != "person" or second.start != j + 1 \
                or "\n" in d.folded[d.toks[first.start].start:d.toks[second.end - 1].end]:
            continue
        name = d.span_text(first.start, second.end)
        d.claim(first.start, second.end, f"person:{fold_key(name)}", "person", first.country or second.country,
                None, override=True)


def _qualifier_ending_at(d: _Doc, k: int) -> _Claim | None:
    """The body or place a title's qualifier ends with at token k ("... of Japan's Hokkaido prefecture")."""
    if d.claimed[k] is None and d.toks[k].text.lower() in _LEVEL_WORDS and k > 0:
        k -= 1
    claim = d.claimed[k]
    return claim if claim is not None and claim.kind in ("government", "organization", "locality", "country") \
        else None


def _accented_honorific(d: _Doc, i: int) -> bool:
    """A Vietnamese honorific with its accents ("Ông", "Bà"; an unaccented "Ong" may be a surname)."""
    t = d.toks[i]
    original = d.text[t.start:t.end]
    return not original.isascii() and original.lower() in _VI_HONORIFICS


def _cut_vi_compound(d: _Doc, i: int, e: int) -> int:
    """Drop a last name syllable that opens a common word with the next one ("Đoàn Đại| biểu", "Cung Văn| hóa")."""
    if e < len(d.toks) and e - 1 > i and d.toks[e].is_word and d.toks[e].text[:1].islower() \
            and fold_key(f"{d.toks[e - 1].text} {d.toks[e].text}") in _vi_compound_words():
        return e - 1
    return e


@lru_cache(maxsize=1)
def _vi_compound_words() -> frozenset[str]:
    return frozenset(fold_key(x) for x in rules("actors")["vi_compound_words"])


def _vn_names_over_places(d: _Doc) -> None:
    """A Vietnamese full name whose later syllables spell a place ("Huỳnh Văn Sơn" ≠ Wenshan) is a person."""
    surnames, syllables = vn_name_parts()
    toks, n, caps = d.toks, len(d.toks), d.caps
    for i in range(n):
        if d.claimed[i] is not None or not caps[i] or not _vn_name_at(d, i):
            continue
        e = i + 1
        while e < n and e - i < 4 and _cap_word(toks[e]) and d.adjacent(e - 1, e) \
                and (toks[e].text in syllables or toks[e].text in surnames):
            e += 1
        covered = [d.claimed[k] for k in range(i + 1, e) if d.claimed[k] is not None]
        if e - i < 3 or not covered or any(c.kind not in ("locality", "country") or c.start <= i or c.end > e
                                           for c in covered):
            continue
        name = d.span_text(i, e)
        d.claim(i, e, f"person:{fold_key(name)}", "person", "VN", None, override=True)


def _title_before_claim(d: _Doc, s: int) -> bool:
    """A title phrase before the bodies and places that qualify it ("Ambassador of the Republic of Korea
    (RoK) to Vietnam", "Chủ tịch UBND tỉnh X")."""
    k, steps = s - 1, 0
    while k >= 0 and steps < 12:
        t = d.toks[k]
        claim = d.claimed[k]
        if claim is not None and claim.kind != "person":
            k = claim.start - 1
        elif t.text in ("of", "the", "to", "in", "cua", "tai", "(", ")", "’s", "'s") or (t.text.isupper() and k > 0
                                                                                and d.toks[k - 1].text == "("):
            k -= 1
        else:
            return _title_ending_before(d, k + 1) is not None
        steps += 1
    return False


def _partial_names_to_full(d: _Doc) -> None:
    """`Valdes Rivero` after `Ernesto Valdes Rivero`: the end of one person's full name is that person."""
    people = [c for c in d.claims if c.kind == "person"]
    names = {c.key: tuple(t.text for t in d.toks[c.start:c.end]) for c in people}
    for c in people:
        tail = names[c.key]
        fuller = {key for key, name in names.items() if len(name) > len(tail) >= 2 and name[-len(tail):] == tail}
        if len(fuller) == 1:
            c.key = fuller.pop()


def _short_form_pass(d: _Doc) -> None:
    """`Quyen`, `Mr. Quyen`, `ong Tuan` -> the one person of the document with that name part."""
    surnames, _ = vn_name_parts()
    full_names: dict[str, dict[tuple[str, ...], str]] = {}
    for c in d.claims:
        if c.kind == "person":
            name = tuple(t.text for t in d.toks[c.start:c.end])
            full_names.setdefault(name[0], {})[name] = c.key
    texts = d.texts
    for i in [i for i, text in enumerate(texts) if text in full_names]:
        for name, key in full_names[texts[i]].items():
            if d.claimed[i] is None and tuple(texts[i:i + len(name)]) == name:
                d.claim(i, i + len(name), key, "person", None, None)  # the full name again, without its title
    _partial_names_to_full(d)
    by_part: dict[str, set[str]] = {}
    for c in d.claims:
        if c.kind != "person":
            continue
        words = [t.text for t in d.toks[c.start:c.end] if t.text != "-"]
        parts = {words[-1]} if words[0] in surnames else {words[0], words[-1]}
        for part in parts:
            by_part.setdefault(part, set()).add(c.key)
    for i, text in enumerate(texts):
        if d.claimed[i] is not None or text not in by_part or len(by_part[text]) != 1:
            continue
        if i + 1 < len(d.toks) and _cap_word(d.toks[i + 1]) and d.adjacent(i, i + 1):
            continue
        (key,) = by_part[text]
        d.claim(i, i + 1, key, "person", None, None)


def _definite_reference_pass(d: _Doc) -> set[int]:
    """`the Department` -> the body with that head named last before it; the token indexes claimed."""
    claimed: set[int] = set()
    last_body: dict[str, _Claim] = {}
    for i, t in enumerate(d.toks):
        c = d.claimed[i]
        if c is not None and c.start == i and c.kind in ("government", "organization"):
            for word in {w.text for w in d.toks[c.start:c.end]} & _DEFINITE_HEADS:
                last_body[word] = c
        if c is not None or t.text not in last_body or i == 0 or d.toks[i - 1].text.lower() != "the":
            continue
        nxt = d.toks[i + 1] if i + 1 < len(d.toks) else None
        if nxt is not None and d.adjacent(i, i + 1) and (_cap_word(nxt) or nxt.text in ("of", "for", "-")):
            continue  # "the Department of ...": a name, not a reference
        body = last_body[t.text]
        if d.claim(i, i + 1, body.key, body.kind, body.country, body.canonical):
            claimed.add(i)
    return claimed


# --------------------------------------------------------------- roles

def _roles(d: _Doc) -> list[RoleSpan]:
    """Title phrases right before a person: `Vice Chairman of the Hanoi People's Committee Nguyen Manh Quyen`."""
    out = []
    for c in d.claims:
        if c.kind != "person" or c.end - c.start < 2:
            continue
        k, org, parts = c.start, None, []
        while k > 0:
            j = k - 1
            while j >= 0 and d.toks[j].text in (",",):
                j -= 1
            claim = d.claimed[j] if j >= 0 else None
            s = None
            if claim is not None and claim.kind in ("government", "organization") and claim.end == j + 1:
                s = claim.start
                o = s - 1
                if o >= 0 and d.toks[o].text == "the":
                    o -= 1
                if o >= 0 and d.toks[o].text == "of":
                    o -= 1
                ts = _title_ending_before(d, o + 1)
                if ts is None:
                    ts = _title_ending_before(d, s)
                    if ts is None:
                        break
                    parts.append((d.span_text(ts, c.start if not parts else k), claim.key))
                    k = ts
                    continue
                parts.append((d.span_text(ts, j + 1), claim.key))
                k = ts
                org = claim.key
            else:
                ts = _title_ending_before(d, j + 1)
                if ts is None:
                    break
                parts.append((d.span_text(ts, j + 1), None))
                k = ts
            if k > 0 and d.toks[k - 1].text.lower() in ("and", "va"):
                k -= 1
        for title, org_key in parts:
            title = title.strip(" ,")
            if title:
                out.append(RoleSpan(c.key, title, org_key))
    return out


# --------------------------------------------------------------- entry point

def _home_locality(d: _Doc) -> str | None:
    counts = Counter(c.key for c in d.claims if c.kind == "locality" and c.country == "VN")
    if not counts:
        return None
    best = max(counts.values())
    for c in sorted(d.claims, key=lambda c: c.start):
        if c.kind == "locality" and c.country == "VN" and counts[c.key] == best:
            return c.key
    return None


def find_actors(text: str, main: str) -> DocActors:
    """Actors, mentions and roles of one document; `main` is `text` with non-main parts blanked."""
    d = _Doc(text, main)
    _gazetteer_pass(d)
    _bare_names_of_a_named_province(d)
    _subdivision_pass(d)
    _unlisted_place_pass(d)
    _listed_places_pass(d)
    _vi_unlisted_place_pass(d)
    home = _home_locality(d)
    _body_pass(d, home)
    _listed_departments_pass(d, home)
    _vi_org_pass(d)
    _vi_national_government_pass(d)
    _org_pass(d)
    _en_embassy_pass(d)
    _seated_missions(d)
    _vn_names_over_places(d)
    _person_pass(d)
    _join_dashed_names(d)
    _post_places_pass(d)
    _short_form_pass(d)
    references = _definite_reference_pass(d)
    actors: dict[str, LocalActor] = {}
    mentions: list[MentionSpan] = []
    for c in sorted(d.claims, key=lambda c: c.start):
        if c.kind in ("outlet", "region") or fold_key(d.span_text(c.start, c.end)) in _TITLE_ONLY_BODIES:
            continue  # "Politburo member": a part of a title, not an actor
        surface = d.span_text(c.start, c.end)
        actor = actors.setdefault(c.key, LocalActor(c.key, c.kind, c.country, c.canonical))
        if surface not in actor.surfaces and c.start not in references:
            actor.surfaces.append(surface)
        if actor.country is None and c.country:
            actor.country = c.country
        mentions.append(MentionSpan(c.key, d.toks[c.start].start, d.toks[c.end - 1].end, surface))
    roles = [r if r.organization_key is None or r.organization_key in actors else
             RoleSpan(r.person_key, r.title, None) for r in _roles(d)]  # a title-only body is no organisation
    if home not in actors:  # its mentions were all dropped by a later pass (a post's city, a name's part)
        home = _home_locality(d)
    return DocActors(actors, mentions, roles, home)


__all__ = ["find_actors", "DocActors", "LocalActor", "MentionSpan", "RoleSpan", "Entry"]
