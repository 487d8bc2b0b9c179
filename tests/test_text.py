"""Text primitives used by the extractors for speed: `matches_any` says exactly what `any(p.search(...))` says,
also when it searches a lower-cased copy; `main_text` blanks exactly what lies outside the kept ranges."""
from __future__ import annotations

import re
import sys
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.extraction.segment import main_text
from pipeline.extraction.actors import DocActors, MentionSpan
from pipeline.extraction.text import CASE_TRAPS, case_sensitive, found_in, fold, lowered, matches_any, tokens, tone_placed

JOINABLE = [re.compile(p, re.IGNORECASE) for p in (r"\bsign(?:ed|s)?\b", r"(?<=the )visit", r"^at", r"ties$",
                                                   r"(?P<year>(?:19|20)\d\d)", r"x?")]
UNJOINABLE = [re.compile(r"(\w)\1"), re.compile(r"(?P<w>ab)(?P=w)"), re.compile("TALKS")]  # backrefs, flags


@pytest.mark.parametrize("patterns", [JOINABLE[:5], JOINABLE, UNJOINABLE, JOINABLE[:2] + UNJOINABLE, []])
@given(text=st.text(alphabet="aAbxstvie gnd19207h \n", max_size=40), pos=st.integers(0, 45),
       endpos=st.integers(0, 45))
def test_matches_any_is_any_search(patterns, text, pos, endpos):
    expected = any(p.search(text, pos, endpos) for p in patterns)
    assert matches_any(patterns, text, pos, endpos) == expected
    assert matches_any(patterns, text, pos, endpos, lowered(text)) == expected


#: sources `case_sensitive` turns case-sensitive, and sources it must leave alone (upper-case letters,
#: escapes that may be letters, inline flags, a letter with another case)
CASE_FREE = [r"\bsign(?:ed|s)?\b(?!\w*\s+(?:up|in)\b)", r"^\W*(?:the|this)\s+delegations?", r"[\w’-]+ tour",
             r"(?<!\d)\d{1,2}\s+thang\b", r"[a-z]{2}\.x", r"\bi?s\b"]
CASED = [r"\bEVFTA\b", r"\x4bis", r"(?-i:kis)", r"đi", r"[A-Z]is", r"\N{LATIN SMALL LETTER DOTLESS I}s", r"\bk(?:i|ı)?s\b"]


def test_case_sensitive_twins_only_case_free_sources():
    assert all(case_sensitive(re.compile(p, re.IGNORECASE)) is not None for p in CASE_FREE)
    assert all(case_sensitive(re.compile(p, re.IGNORECASE)) is None for p in CASED)
    assert case_sensitive(re.compile(CASE_FREE[0])) is None  # already case-sensitive


@pytest.mark.parametrize("source", CASE_FREE + CASED)
@given(text=st.text(alphabet="kKKsSſiIıİ đĐaAtThHeE12’-.\n", max_size=30), pos=st.integers(0, 32),
       endpos=st.integers(0, 32))
def test_found_in_a_lowered_copy_is_an_ignorecase_search(source, text, pos, endpos):
    pattern = re.compile(source, re.IGNORECASE)
    assert found_in(pattern, text, lowered(text), pos, endpos) == bool(pattern.search(text, pos, endpos))


def test_the_case_traps_are_every_character_lowering_changes_matches_on():
    """Over all of Unicode: `str.lower()` keeps the length, the `\\w \\s \\d` classes and what an IGNORECASE
    a-z matches, except on the traps `lowered` refuses."""
    any_letter = re.compile("[a-z]", re.IGNORECASE)
    classes = [re.compile(c) for c in (r"\w", r"\s", r"\d")]
    breaking = set()
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        low = char.lower()
        if len(low) != 1 or bool(any_letter.fullmatch(char)) != ("a" <= low <= "z") \
                or any(bool(c.match(char)) != bool(c.match(low)) for c in classes):
            breaking.add(char)
    assert breaking == set(CASE_TRAPS.pattern.strip("[]"))
    for text, source in (("ſ", r"\bs\b"), ("ı", r"^i$"), ("İs", r"^i?s")):  # a lower-cased copy would say no
        assert lowered(text) is None and found_in(re.compile(source, re.IGNORECASE), text, lowered(text))


@given(spans=st.lists(st.tuples(st.integers(0, 3), st.integers(1, 4), st.sampled_from("abc")), max_size=8),
       start=st.integers(0, 40), end=st.integers(0, 40))
def test_keys_within_are_the_keys_of_the_mentions_inside(spans, start, end):
    mentions, pos = [], 0
    for gap, length, key in spans:  # in text order, never overlapping, as `find_actors` makes them
        mentions.append(MentionSpan(key, pos + gap, pos + gap + length, key))
        pos += gap + length
    expected = list(dict.fromkeys(m.key for m in mentions if start <= m.start and m.end <= end))
    assert DocActors({}, mentions, [], None).keys_within(start, end) == expected


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


@pytest.mark.parametrize("old,new", [("hoà", "hòa"), ("thuỷ", "thủy"), ("khoẻ", "khỏe"), ("hoạ", "họa"),
                                     ("uỷ", "ủy"), ("thuý", "thúy")])
def test_both_tone_placements_of_a_word_compare_equal(old, new):
    assert tone_placed(old) == tone_placed(new) == new


@pytest.mark.parametrize("word", ["quý", "quỳ", "hoàng", "toán", "khuyến", "nội", "hà", "bắc"])
def test_tone_placement_leaves_other_syllables_as_they_are(word):
    assert tone_placed(word) == word


@given(st.text(alphabet="aăâeêioôơuưyhqktnglàáảãạòóỏõọùúủũụèéẻẽẹìíỉĩịỳýỷỹỵđ", max_size=8))
def test_tone_placement_keeps_the_letters_and_the_tone(word):
    placed = tone_placed(word)
    marks = lambda w: sorted(c for c in unicodedata.normalize("NFD", w) if unicodedata.combining(c))  # noqa: E731
    assert fold(placed) == fold(word) and len(placed) == len(word) and marks(placed) == marks(word)


@pytest.mark.parametrize("word,placed", [("HOÀ", "HÒA"), ("Thuỷ", "Thủy"), ("Quý", "Quý"), ("QUỶ", "QUỶ")])
def test_tone_placement_is_the_same_in_capitals(word, placed):
    assert tone_placed(word) == placed


@pytest.mark.parametrize("text,expected", [
    ("On May 4, Mr. Halvard Quist met Ms. Oriel Venn in Lomora. She thanked him.",
     ["On May 4, Mr. Halvard Quist met Ms. Oriel Venn in Lomora.", "She thanked him."]),
    ("The mayor met Peter K. Brandvold, led by Rep. Ilse Marr. They toured the port.",
     ["The mayor met Peter K. Brandvold, led by Rep. Ilse Marr.", "They toured the port."]),
    ("Sở Du lịch tiếp đoàn đại biểu TP. Velmora, do ông Arno Tisk dẫn đầu. Hai bên trao đổi.",
     ["Sở Du lịch tiếp đoàn đại biểu TP. Velmora, do ông Arno Tisk dẫn đầu.", "Hai bên trao đổi."]),
])
def test_a_title_or_an_initial_does_not_end_a_sentence(text, expected):
    """"Ms. Venn", "Peter K. Brandvold", "TP. Velmora": a title's or an initial's full stop keeps the date and
    the people of the sentence together."""
    from pipeline.extraction.text import sentences
    assert [text[a:b] for a, b in sentences(text, [(0, len(text))])] == expected
