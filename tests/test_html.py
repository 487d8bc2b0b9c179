"""HTML pages (issue 19): the article's text, title, date, site and address come from the page through
trafilatura; navigation, related stories and footers stay out; a release built from pages carries the
URL of every document, and its spans point into the text it says it extracted from."""
from __future__ import annotations

import datetime as dt
import html
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from pipeline.core.params import Params
from pipeline.extraction.reading import Rejected, ingest_bytes

PARADIP = [str(Path(sys.executable).with_name("paradip"))]

STORY = [
    "On March 14, Vice Chairman of the Quang Tri Provincial People's Committee Ha Sy Dong received a delegation "
    "from Savannakhet province of Laos led by its Deputy Governor.",
    "The two sides reviewed the road, school and hospital projects agreed last year and discussed new steps "
    "for cross-border trade through the Lao Bao international border gate.",
    "Ha Sy Dong proposed that the two provinces hold a trade fair in Dong Ha city in the third quarter and "
    "open more bus routes between the two provincial capitals.",
    "The guests thanked Quang Tri for its support in training officials and students from Savannakhet.",
]


def news_page(title: str = "Quang Tri receives Savannakhet delegation", paragraphs: list[str] = STORY) -> str:
    """A news page as a site serves it: head metadata, a menu, the article, related stories and a footer."""
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    menu = "".join(f"<li><a href='/{n.lower()}'>{n}</a></li>" for n in ["Home", "Politics", "Hanoi", "Da Nang",
                                                                           "Ho Chi Minh City", "Business"])
    related = "".join(f"<li><a href='/s{i}'>{t}</a></li>" for i, t in enumerate([
        "Hai Phong hosts investors from Busan", "Can Tho signs MoU with Fukuoka", "Hue welcomes French mayors"]))
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{html.escape(title)} | Quang Tri Newspaper</title>
<link rel="canonical" href="https://en.example-quangtri.vn/politics/quang-tri-receives-savannakhet-123.html">
<meta property="og:site_name" content="Quang Tri Newspaper">
<meta property="og:title" content="{html.escape(title)}">
<meta property="article:published_time" content="2024-03-15T08:30:00+07:00">
</head><body><header><nav><ul>{menu}</ul></nav></header>
<main><article><h1>{html.escape(title)}</h1><div class="body">{body}</div></article>
<aside><h3>Related news</h3><ul>{related}</ul></aside></main>
<footer><p>Copyright 2024 Quang Tri Newspaper. All rights reserved.</p></footer></body></html>"""


def test_a_news_page_gives_its_article_title_date_site_and_address():
    doc = ingest_bytes(news_page().encode("utf-8"), "in/page.html", Params())
    main = "\n".join(doc.text[s:e] for s, e in doc.kept)
    assert all(paragraph in main for paragraph in STORY)
    assert not any(noise in doc.text for noise in ("Busan", "Fukuoka", "All rights reserved", "Politics"))
    record = doc.document
    assert record.title == "Quang Tri receives Savannakhet delegation"
    assert (record.published, record.published_precision) == (dt.date(2024, 3, 15), "day")
    assert record.url == "https://en.example-quangtri.vn/politics/quang-tri-receives-savannakhet-123.html"
    assert record.site == "Quang Tri Newspaper"
    assert record.encoding == "utf-8+html" and record.text_length == len(doc.text)


def test_a_page_without_an_article_is_set_aside_with_its_reason():
    page = news_page(paragraphs=["Subscribe to our newsletter."])
    with pytest.raises(Rejected) as info:
        ingest_bytes(page.encode("utf-8"), "in/empty.html", Params())
    assert info.value.reason == "html_without_text"


def test_a_vietnamese_page_is_read_as_vietnamese():
    paragraphs = ["Sáng 14/3, Phó Chủ tịch UBND tỉnh Quảng Trị Hà Sỹ Đồng đã tiếp đoàn công tác của tỉnh "
                  "Savannakhet (Lào) do Phó Tỉnh trưởng dẫn đầu.",
                  "Hai bên đã rà soát các dự án đường, trường học và bệnh viện, đồng thời thảo luận các bước tiếp "
                  "theo để thúc đẩy thương mại qua cửa khẩu quốc tế Lao Bảo."]
    doc = ingest_bytes(news_page("Quảng Trị tiếp đoàn tỉnh Savannakhet", paragraphs).encode("utf-8"), "vi.html",
                       Params())
    assert doc.document.language == "vi" and "Lao Bảo" in doc.text


def test_a_build_from_pages_carries_urls_and_spans_into_the_extracted_text(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a.html").write_text(news_page(), encoding="utf-8")
    (folder / "b.txt").write_text("\n\n".join(["Quang Tri receives Savannakhet delegation", *STORY[::-1]]),
                                  encoding="utf-8")
    run = subprocess.run([*PARADIP, "build", "--quiet", "--input", str(folder), "--out", str(tmp_path / "out"),
                          "--version", "1.0.0"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    release = tmp_path / "out" / "1.0.0"
    documents = {r["source_path"].rsplit("/", 1)[-1]: r for r in pq.read_table(release / "documents.parquet").to_pylist()}
    assert documents["a.html"]["url"].startswith("https://en.example-quangtri.vn/")
    assert documents["a.html"]["site"] == "Quang Tri Newspaper"
    assert documents["b.txt"]["url"] is None and documents["b.txt"]["site"] is None
    # every mention of the page names what the text the release extracted from holds at its span
    con = duckdb.connect()
    rows = con.execute(f"""select m.text, m.char_start, m.char_end from '{release}/mentions.parquet' m
                           join '{release}/documents.parquet' d using (doc_id) where d.url is not null""").fetchall()
    text = ingest_bytes(news_page().encode("utf-8"), "a.html", Params()).text
    assert rows and all(text[start:end] == surface for surface, start, end in rows)


def test_the_article_extraction_benchmark_script_scores_and_writes_bodies(tmp_path):
    """bench/article_extraction.py on a two-page folder in the benchmark's layout, with an evaluate.py that
    scores exact token overlap (the real one computes shingle F1 the same way per page)."""
    import gzip
    import json

    data = tmp_path / "bench"
    (data / "html").mkdir(parents=True)
    (data / "html" / "p1.html.gz").write_bytes(gzip.compress(news_page().encode("utf-8")))
    (data / "html" / "p2.html.gz").write_bytes(gzip.compress(b"<html><body><nav>Home</nav></body></html>"))
    (data / "ground-truth.json").write_text(json.dumps({"p1": {"articleBody": "\n".join(STORY)},
                                                        "p2": {"articleBody": "The article the page lost."}}))
    (data / "evaluate.py").write_text(
        "def evaluate(truth, prediction, n_bootstrap):\n"
        "    assert truth.keys() == prediction.keys()\n"
        "    same = [truth[k]['articleBody'].split() == prediction[k]['articleBody'].split() for k in truth]\n"
        "    share = sum(same) / len(same)\n"
        "    return {'f1': share, 'precision': share, 'recall': share}\n")
    out = tmp_path / "bodies.json"
    run = subprocess.run([sys.executable, str(Path(__file__).resolve().parents[1] / "bench" / "article_extraction.py"),
                          "--data", str(data), "--out", str(out)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    bodies = json.loads(out.read_text(encoding="utf-8"))
    assert bodies["p1"]["articleBody"].split() == "\n".join(STORY).split() and bodies["p2"]["articleBody"] == ""
    assert "all pages         2: F1 0.500" in run.stdout
    assert "set aside p2" in run.stdout and "html_without_text" in run.stdout


def test_a_place_in_kosovo_builds(tmp_path):
    """Kosovo's code XK is not in ISO 3166-1 but is the code in use: an article naming Pristina validates."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("\n".join([
        "Hanoi receives a delegation from Pristina",
        "On April 9, Hanoi leaders received a delegation from Pristina, the capital of Kosovo, and discussed "
        "cooperation in education, tourism and trade between the two cities over the coming years."]),
        encoding="utf-8")
    run = subprocess.run([*PARADIP, "build", "--quiet", "--no-cache", "--input", str(folder), "--out",
                          str(tmp_path / "out"), "--version", "1.0.0"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    countries = {r["name"]: r["country"] for r in pq.read_table(tmp_path / "out" / "1.0.0" / "actors.parquet").to_pylist()}
    assert countries.get("Pristina") == "XK"
