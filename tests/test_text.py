"""Text primitives used by the extractors for speed: `matches_any` says exactly what `any(p.search(...))` says,
and `main_text` blanks exactly what lies outside the kept ranges."""
from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.segment import main_text
from pipeline.text import matches_any, tokens

JOINABLE = [re.compile(p, re.IGNORECASE) for p in (r"\bsign(?:ed|s)?\b", r"(?<=the )visit", r"^at", r"ties$",
                                                   r"(?P<year>(?:19|20)\d\d)", r"x?")]
UNJOINABLE = [re.compile(r"(\w)\1"), re.compile(r"(?P<w>ab)(?P=w)"), re.compile("TALKS")]  # backrefs, flags


@pytest.mark.parametrize("patterns", [JOINABLE[:5], JOINABLE, UNJOINABLE, JOINABLE[:2] + UNJOINABLE, []])
@given(text=st.text(alphabet="aAbxstvie gnd19207h \n", max_size=40), pos=st.integers(0, 45),
       endpos=st.integers(0, 45))
def test_matches_any_is_any_search(patterns, text, pos, endpos):
    assert matches_any(patterns, text, pos, endpos) == any(p.search(text, pos, endpos) for p in patterns)


def _blanked_one_char_at_a_time(text: str, kept: list[tuple[int, int]]) -> str:
    out = [c if c == "\n" else " " for c in text]
    for s, e in kept:
        out[s:e] = text[s:e]
    return "".join(out)


@given(text=st.text(alphabet="ab \n", max_size=30), cuts=st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)),
                                                                   max_size=4))
def test_main_text_keeps_exactly_the_kept_ranges(text, cuts):
    kept = [(min(a, b), max(a, b)) for a, b in cuts]
    for ranges in (kept, sorted(kept)):
        assert main_text(text, ranges) == _blanked_one_char_at_a_time(text, ranges)


def test_tokens_split_only_marked_words_and_keep_offsets():
    """Possessive endings and glued words are split wherever they sit among plain words, with offsets that
    point at each token's characters."""
    text = "Visit of theEuropean Union: Japan’s envoy, Mc Donald's team and the People’s Committee of Osaka's city"
    toks = tokens(text)
    assert [t.text for t in toks][:4] == ["Visit", "of", "the", "European"]
    words = [t.text for t in toks]
    assert "Japan" in words and "Donald" in words and "Osaka" in words and "People’s" in words
    assert words.count("’s") == 1 and words.count("'s") == 2
    assert all(text[t.start:t.end] == t.text for t in toks)
    assert [t.text for t in tokens(text, text.index("the"), text.index(":"))] == ["the", "European", "Union"]
