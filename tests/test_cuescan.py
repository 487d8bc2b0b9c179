"""The literal prefilter (`pipeline.extraction.cuescan`) never skips a regex that would match: on random
regexes and texts (hypothesis, derandomized), and on the whole extraction of every article of the
repository and of a benchmark corpus, which must equal the extraction with every regex run everywhere."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.corpus import make_corpus
from conftest import ROOT
from pipeline.core.params import load_params
from pipeline.extraction import cuescan
from pipeline.runtime.engine import process_one

settings.register_profile("cuescan", max_examples=400, deadline=None, derandomize=True, database=None)
settings.load_profile("cuescan")

ALPHABET = "abAB ,.đĐİıſKkσςΣ-\n"
atom = st.one_of(st.sampled_from(list("abAB đĐıſKσ,-")).map(re.escape), st.sampled_from(["[ab]", ".", r"\w", r"\s",
                                                                                         r"\b", "(?=a)", "(?<=b)"]))


regex = st.recursive(
    st.lists(atom, min_size=1, max_size=4).map("".join),
    lambda inner: st.one_of(
        st.tuples(inner, inner).map(lambda p: f"(?:{p[0]}|{p[1]})"),
        st.tuples(inner, st.sampled_from(["*", "+", "?", "{2}", "{1,3}", "+?"])).map(lambda p: f"(?:{p[0]}){p[1]}"),
        st.tuples(inner, inner).map("".join),
        inner.map(lambda p: f"(?i:{p})"), inner.map(lambda p: f"({p})")),
    max_leaves=8)


@given(regex, st.sampled_from([0, re.IGNORECASE]), st.text(alphabet=ALPHABET, max_size=40), st.data())
def test_a_regex_is_skipped_only_where_it_cannot_match(source, flags, text, data):
    pattern = re.compile(source, flags)
    pos = data.draw(st.integers(0, len(text)))
    endpos = data.draw(st.integers(pos, len(text)))
    if pattern.search(text, pos, endpos):
        assert cuescan.may_match(pattern, text, pos, endpos), (source, text, pos, endpos)


@pytest.mark.parametrize("source,expected", [
    (r"\bsigned (?:an? )?(?:MoU|memorandum)", {"signed "}),
    (r"(?:hoi dam|talks) with", {" with"}),
    # `re` factors the common "k" out; a cased letter outside ASCII (ý, ế, ớ) ends a literal
    (r"ký kết với|ky ket voi", {"t v", "y ket voi"}),
    (r"ký kết|ky ket", None),  # its best literals (" k") are too short to be worth a scan
    (r"a*b?", None),
])
def test_required_literals_of_rule_shapes(source, expected):
    assert cuescan.required_literals(re.compile(source, re.IGNORECASE)) == (
        None if expected is None else frozenset(expected))


def _without_and_with_the_prefilter(articles, monkeypatch) -> tuple[list, list, list]:
    """Each article's outcome in a fresh state (the automaton knows no literal yet, as in a new worker), after
    all the others (it knows every one), and with every regex run everywhere."""
    params = load_params(ROOT / "params.yaml")
    fresh = []
    for path in articles:
        cuescan.reset()
        fresh.append(process_one(path.read_bytes(), params))
    warm = [process_one(path.read_bytes(), params) for path in articles]
    monkeypatch.setattr(cuescan, "PREFILTER", False)
    without = [process_one(path.read_bytes(), params) for path in articles]
    return fresh, warm, without


def test_the_prefilter_changes_no_extraction_of_any_article(monkeypatch):
    articles = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "tests" / "heldout" / "docs").glob("*.txt"))
    assert len(articles) > 50
    fresh, warm, without = _without_and_with_the_prefilter(articles, monkeypatch)
    assert [p.name for p, a, b in zip(articles, fresh, without) if a != b] == []
    assert [p.name for p, a, b in zip(articles, warm, without) if a != b] == []
    assert sum(outcome[0] == "ok" for outcome in without) > 50


def test_the_prefilter_changes_no_extraction_of_the_benchmark_corpus(tmp_path, monkeypatch):
    """The benchmark's kind of corpus (`bench/corpus.py --distinct`): 300 variants of the repository's
    articles with other names, places and years."""
    folder = tmp_path / "corpus"
    make_corpus([ROOT / "seeds"], folder, 300, seed=21, distinct=True)
    articles = sorted(folder.glob("*.txt"))
    fresh, warm, without = _without_and_with_the_prefilter(articles, monkeypatch)
    assert [p.name for p, a, b in zip(articles, fresh, without) if a != b] == []
    assert [p.name for p, a, b in zip(articles, warm, without) if a != b] == []
    assert sum(outcome[0] == "ok" for outcome in without) > 250
