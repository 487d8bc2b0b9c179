"""Foreign first-level subdivisions from ISO 3166-2 (pycountry), for the actor pass.

`subdivision_index(country)` gives the press forms of a country's provinces, states, oblasts and
prefectures that the hand-made `reference/foreign_localities.csv` may lack. They are matched only in
documents that name the country, since many subdivision names are also ordinary words elsewhere.
Source: ISO 3166-2 through the pinned pycountry release (see pyproject.toml).
"""
from __future__ import annotations

import re
from functools import lru_cache

import pycountry

from pipeline.extraction.text import fold, tokens

#: Romanised type endings that the English-language press leaves out ("Fujian Sheng" -> "Fujian",
#: "Chungcheongnam-do" keeps its "-do", also listed without it).
_TYPE_ENDINGS = re.compile(
    r"(?:\s+(?:Sheng|Shi|Zizhiqu|Huizu Zizhiqu|Zhuangzu Zizhiqu|Uygur Zizhiqu|Zangzu Zizhiqu|SAR|Province|Prefecture"
    r"|Region|State|County|District|Oblast|oblast'|kray|Kray|avtonomnyy okrug|Respublika|Respublikasi|Governorate)"
    r"|-(?:gwangyeoksi|teukbyeolsi|teukbyeoljachisi|teukbyeoljachido))$")
#: Names that are words or regions before they are places.
_NOT_NAMES = frozenset({"centre", "center", "central", "capital", "north", "south", "east", "west", "northern",
                        "southern", "eastern", "western", "islands", "coast", "city", "river", "lake", "mountain",
                        "national", "federal", "east end", "west end"})


def _forms(name: str) -> set[str]:
    forms = set()
    for part in re.split(r"\s*[;/]\s*|\s*\(.*?\)\s*", name):
        part = part.strip(" ,")
        if ", " in part:  # "Buryatiya, Respublika": the ISO inversion
            part = part.split(", ")[0]
        if not part:
            continue
        forms.add(part)
        short = _TYPE_ENDINGS.sub("", part)
        if short != part:
            forms.add(short)
    return {f for f in forms if len(f) >= 4 and f.lower() not in _NOT_NAMES and f[:1].isupper()}


@lru_cache(maxsize=None)
def subdivision_index(country: str) -> dict[tuple[str, ...], tuple[str, str]]:
    """Folded token tuples of one country's subdivision names -> (ISO 3166-2 code, name as the press writes it)."""
    out: dict[tuple[str, ...], tuple[str, str]] = {}
    for sub in sorted(pycountry.subdivisions.get(country_code=country) or [], key=lambda s: s.code):
        if sub.parent_code:  # first-level units only
            continue
        forms = _forms(sub.name)
        shortest = min(forms, key=len) if forms else None
        for form in sorted(forms):
            words = tuple(t.text for t in tokens(fold(form)))
            out.setdefault(words, (sub.code, shortest))
    return out


@lru_cache(maxsize=None)
def subdivision_first_words(country: str) -> frozenset[str]:
    """The first word of every name in `subdivision_index(country)`: no other word starts a match."""
    return frozenset(words[0] for words in subdivision_index(country))


__all__ = ["subdivision_first_words", "subdivision_index"]
