"""Property tests (hypothesis) of the decoders, the segmenter, the date parser and the text primitives.

On arbitrary text and bytes, and on article-like text stitched from date
expressions, page chrome and seed lines: nothing raises except a `Rejected`
with a reason code, every span stays inside its text, decoding round-trips,
and every date is a real calendar date with start <= end. Derandomized, so
CI runs the same examples every time.
"""
from __future__ import annotations

import codecs
import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from pipeline.extraction.dates import find_dates, parse_published
from pipeline.extraction.reading import IngestedDocument, Rejected, decode, ingest_bytes
from pipeline.core.params import Params
from pipeline.extraction.segment import segment
from pipeline.extraction.text import fold, sentences, tokens
from schemas.vocab import QuarantineReason

settings.register_profile("paradip", max_examples=150, deadline=None, derandomize=True, database=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("paradip")

SEED_LINES = [line for path in sorted((ROOT / "seeds").glob("*.txt"))
              for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]
FRAGMENTS = [
    "October 15, 2023", "Oct. 9-15", "September 28-October 2, 2023", "13-16 April 2023", "29 February 2023",
    "February 29", "31/2", "99/99/2023", "0/0", "26/3", "ngày 26 - 28/3/2025", "từ ngày 30/12 đến ngày 2/1",
    "tháng 2/2025", "tháng 13 năm 2024", "2025-03", "2025-13-45", "in 2023", "năm 1999", "from December 30 to "
    "January 2", "Oct 11, 2023 / 21:50", " date 2025-03 ", "Hanoi (VNA) – ", "HAI DUONG — ", "Log in", "Related news",
    "Tags:", "/.", "(Photo: VNA)", "Photo: VNA", "By Nguyen Van A", "\n", "\n\n", "\r\n", "\t", " ", ".", "“", "”",
    "Đ", "ư", "\u0301", "\ufeff", "\u2028", "\x00", "<p>", "</p>", "<script>", "<![CDATA[", "<!--", "&amp;", "&#0;",
]
HTML_PIECES = ["<", ">", "</", "<!", "<![", "<?", "]]>", "-->", "<!--", "<![CDATA[", "<![if ", "<![endif]>", "<p>",
               "</p>", "<br/>", "<div class='a'>", "<script>", "</script>", "<style>", "<nav>", "</nav>", "<title>",
               "'", '"', "=", "&", "&#", "&#x", ";", "&nbsp;", " ", "\n", "text", "Hà Nội"]
html_text = st.lists(st.one_of(st.sampled_from(HTML_PIECES), st.text(max_size=5)), max_size=60).map(
    lambda parts: "<html><body>" + "".join(parts))
article_text = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.sampled_from(SEED_LINES), st.text(max_size=30)),
                        max_size=40).map("".join)
any_text = st.one_of(st.text(max_size=3000), article_text)
references = st.one_of(st.none(), st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)))
REASONS = {r.value for r in QuarantineReason}


def _inside(spans, length: int) -> bool:
    return all(0 <= s < e <= length for s, e in spans)


def _ordered(spans) -> bool:
    return all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))


# ---- decoders

@given(st.binary(max_size=4000))
def test_decode_returns_text_or_a_reason_on_any_bytes(raw):
    try:
        text, encoding = decode(raw)
    except Rejected as rejected:
        assert rejected.reason in REASONS and rejected.message
    else:
        assert isinstance(text, str) and encoding


@given(any_text)
def test_utf8_and_utf16_round_trip(text):
    if "\x00" not in text and not text.startswith("\ufeff"):
        assert decode(text.encode("utf-8")) == (text, "utf-8")
    if "\x00" not in text:
        assert decode(codecs.BOM_UTF8 + text.encode("utf-8"))[0] == text
    assert decode(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))[0] == text
    assert decode(codecs.BOM_UTF16_BE + text.encode("utf-16-be"))[0] == text


@given(st.one_of(st.binary(max_size=3000), any_text.map(lambda t: t.encode("utf-8", "surrogatepass")),
                 html_text.map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_ingest_publishes_a_valid_document_or_rejects_with_a_reason(raw):
    try:
        doc = ingest_bytes(raw, "a.txt", Params(min_main_chars=50))
    except Rejected as rejected:
        assert rejected.reason in REASONS
        return
    assert isinstance(doc, IngestedDocument)
    assert _inside(doc.kept, len(doc.text)) and _ordered(doc.kept)
    assert doc.document.text_length == len(doc.text) and doc.document.n_chars <= len(doc.text)
    assert IngestedDocument.from_json(doc.to_json()) == doc


# ---- segmenter

@given(any_text)
def test_segment_keeps_ranges_inside_the_text_and_reads_real_metadata(text):
    seg = segment(text)
    assert _inside(seg.kept, len(text)) and _ordered(seg.kept)
    assert all(text[s:e].strip() for s, e in seg.kept)
    for value in (seg.title, seg.dateline, seg.outlet):
        assert value is None or value in text
    assert (seg.published is None) == (seg.published_precision is None)
    if seg.published is not None:
        assert isinstance(seg.published, dt.date) and seg.published_precision in ("day", "month", "year")


# ---- dates

@given(any_text, references, st.data())
def test_dates_are_real_ordered_and_inside_the_span(text, reference, data):
    folded = fold(text)
    start = data.draw(st.integers(0, len(folded)))
    end = data.draw(st.integers(start, len(folded)))
    found = find_dates(folded, start, end, reference)
    spans = [(d.char_start, d.char_end) for d in found]
    assert all(start <= s < e <= end for s, e in spans) and _ordered(spans)
    for d in found:
        assert d.text == folded[d.char_start:d.char_end].strip()
        assert d.precision in (None, "day", "month", "year")
        if d.start is None:
            assert d.end is None and not d.explicit_year
        else:
            assert isinstance(d.start, dt.date) and (d.end is None or d.start <= d.end)
            assert d.precision is not None


@given(any_text)
def test_published_date_has_an_explicit_year(line):
    parsed = parse_published(line)
    if parsed is not None:
        date, precision = parsed
        assert 1900 <= date.year <= 2099 and precision in ("day", "month", "year")


# ---- text primitives

@given(any_text)
def test_fold_keeps_length_and_tokens_point_into_it(text):
    folded = fold(text)
    assert len(folded) == len(text)
    for token in tokens(folded):
        assert folded[token.start:token.end] == token.text and token.text


@given(any_text, st.data())
def test_sentences_stay_inside_their_ranges(text, data):
    cuts = sorted(data.draw(st.lists(st.integers(0, len(text)), max_size=6)))
    ranges = [(a, b) for a, b in zip(cuts[::2], cuts[1::2]) if a < b]
    for s, e in sentences(text, ranges):
        assert any(a <= s < e <= b for a, b in ranges)
        assert text[s:e] == text[s:e].strip()
