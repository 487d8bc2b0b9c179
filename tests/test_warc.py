"""WARC input (issue 19): every HTTP response record of an archive is one input entry named
`<archive>#<n>`; HTML pages are published with their target URI, bad records are set aside with their
reason (HTTP error, not HTML, duplicate payload, archive cut short), and the inventory accounts for every
record. The archives are written here with warcio, as crawlers write them."""
from __future__ import annotations

import gzip
import html
import io
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipeline.core.params import Params
from pipeline.runtime.inputs import file_name_hex, ingest_folder, list_inputs
from pipeline.runtime.warc import archive_of, warc_records

PARADIP = [str(Path(sys.executable).with_name("paradip"))]


def page(place: str, partner: str) -> bytes:
    """A small news page (no canonical link: the record's target URI is the only address)."""
    paragraphs = [
        f"On May 20, leaders of {place} province received a delegation from {partner} led by its deputy "
        f"governor, and the two sides reviewed their cooperation in farming, tourism and vocational training.",
        f"The guests visited an industrial park and a hospital in {place} and invited its leaders to a trade "
        f"fair in {partner} later this year.",
        "Both sides agreed to exchange more students and to open a direct bus route between the two places.",
    ]
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (f"<html><head><title>{place} receives {partner} delegation</title></head><body>"
            f"<nav><a href='/'>Home</a> <a href='/world'>World</a></nav><article><h1>{place} receives {partner} "
            f"delegation</h1>{body}</article><footer>All rights reserved.</footer></body></html>").encode("utf-8")


def write_warc(path: Path, responses: list[tuple[str, str, str, bytes]], gz: bool = True) -> Path:
    """A WARC of a warcinfo record, then per (uri, status, content type, payload) a request and a response."""
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "paradip tests"}))
        for uri, status, content_type, payload in responses:
            request = writer.create_warc_record(uri, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"))
            writer.write_record(request)
            headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(payload),
                                                          http_headers=headers))
    return path


RESPONSES = [
    ("https://news.example.vn/a-quang-binh-houaphanh", "200 OK", "text/html; charset=utf-8",
     page("Quang Binh", "Houaphanh")),
    ("https://news.example.vn/missing", "404 Not Found", "text/html", b"<html><body>Not found</body></html>"),
    ("https://news.example.vn/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(64)),
    ("https://news.example.vn/b-gia-lai-ratanakiri", "200 OK", "text/html", page("Gia Lai", "Ratanakiri")),
    ("https://mirror.example.vn/a-copy", "200 OK", "text/html", page("Quang Binh", "Houaphanh")),
]


def test_a_warc_builds_with_urls_and_sets_bad_records_aside(tmp_path):
    folder = tmp_path / "crawl"
    folder.mkdir()
    write_warc(folder / "crawl.warc.gz", RESPONSES)
    run = subprocess.run([*PARADIP, "build", "--quiet", "--input", str(folder / "crawl.warc.gz"), "--out",
                          str(tmp_path / "out"), "--version", "1.0.0"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    release = tmp_path / "out" / "1.0.0"
    documents = pq.read_table(release / "documents.parquet").to_pylist()
    name = f"{folder.as_posix()}/crawl.warc.gz"
    assert {d["source_path"]: d["url"] for d in documents} == {
        f"{name}#00001": "https://news.example.vn/a-quang-binh-houaphanh",
        f"{name}#00004": "https://news.example.vn/b-gia-lai-ratanakiri"}
    quarantine = {q["file"]: q for q in pq.read_table(release / "quarantine.parquet").to_pylist()}
    assert {f: q["reason"] for f, q in quarantine.items()} == {
        f"{name}#00002": "http_error", f"{name}#00003": "not_html", f"{name}#00005": "duplicate"}
    assert "404" in quarantine[f"{name}#00002"]["message"]
    assert all(bytes.fromhex(q["file_name_hex"]) == b"crawl.warc.gz" for q in quarantine.values())


def test_an_archive_cut_short_keeps_the_records_before_the_cut(tmp_path):
    whole = write_warc(tmp_path / "whole.warc.gz", RESPONSES[:1] + RESPONSES[3:4])
    raw = whole.read_bytes()
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "cut.warc.gz").write_bytes(raw[:len(raw) - 300])  # inside the last gzip member
    docs, quarantine = ingest_folder(folder, Params(), "in")
    assert [d.document.source_path for d in docs] == ["in/cut.warc.gz#00001"]
    assert [(q.file, q.reason) for q in quarantine] == [("in/cut.warc.gz#00002", "warc_truncated")]
    # the inventory names the same entries: published + quarantined
    assert list_inputs(folder, "in") == ["in/cut.warc.gz#00001", "in/cut.warc.gz#00002"]


@pytest.mark.parametrize("gz", [True, False])
def test_plain_and_gzipped_archives_sit_beside_text_files(tmp_path, gz):
    folder = tmp_path / "mixed"
    folder.mkdir()
    suffix = ".warc.gz" if gz else ".warc"
    write_warc(folder / f"a{suffix}", RESPONSES[3:4], gz=gz)
    (folder / "b.txt").write_text(gzip.decompress(gzip.compress(b"")).decode() + "\n".join([
        "Tay Ninh welcomes Svay Rieng delegation",
        "On June 3, Tay Ninh province received a delegation from Svay Rieng province of Cambodia, and the two "
        "sides agreed to keep border markets open and to exchange students."]), encoding="utf-8")
    docs, quarantine = ingest_folder(folder, Params(), "mixed")
    assert quarantine == []
    assert {d.document.source_path: d.document.url for d in docs} == {
        f"mixed/a{suffix}#00001": "https://news.example.vn/b-gia-lai-ratanakiri", "mixed/b.txt": None}


def test_record_names_name_their_archive():
    assert archive_of("in/crawl.warc.gz#00012") == "in/crawl.warc.gz"
    assert archive_of("in/notes#00012.txt") is None and archive_of("in/crawl.warc.gz") is None
    assert bytes.fromhex(file_name_hex("in/crawl.warc.gz#00012")) == b"crawl.warc.gz"


def test_warc_records_reads_each_response_once(tmp_path):
    path = write_warc(tmp_path / "x.warc", RESPONSES, gz=False)
    items = list(warc_records(path, "x.warc", 1_000_000))
    assert [type(i).__name__ for i in items] == ["Record", "BadRecord", "BadRecord", "Record", "Record"]
    assert items[0].payload == RESPONSES[0][3]


def test_a_file_that_is_no_archive_is_no_input(tmp_path):
    (tmp_path / "a.txt").write_text("text", encoding="utf-8")
    run = subprocess.run([*PARADIP, "build", "--input", str(tmp_path / "a.txt"), "--out", str(tmp_path / "out")],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "a folder or a WARC archive" in run.stderr


def test_a_warc_of_the_repositorys_own_articles_builds_with_their_addresses(tmp_path):
    """The corpus articles whose index gives a URL, served as HTML pages and archived as a crawler would:
    every one is published (or set aside as a near-duplicate) with its address."""
    import csv

    root = Path(__file__).resolve().parents[1]
    with open(root / "tests" / "corpus" / "index.tsv", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh, delimiter="\t") if r["url"]][:6]
    responses = []
    for row in rows:
        lines = (root / "seeds" / row["file"]).read_text(encoding="utf-8").splitlines()
        body = "".join(f"<p>{html.escape(line)}</p>" for line in lines if line.strip())
        responses.append((row["url"], "200 OK", "text/html; charset=utf-8",
                          f"<html><body><article>{body}</article></body></html>".encode("utf-8")))
    archive = write_warc(tmp_path / "corpus.warc.gz", responses)
    run = subprocess.run([*PARADIP, "build", "--quiet", "--input", str(archive), "--out", str(tmp_path / "out"),
                          "--version", "1.0.0"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    release = tmp_path / "out" / "1.0.0"
    published = {d["url"] for d in pq.read_table(release / "documents.parquet").to_pylist()}
    set_aside = pq.read_table(release / "quarantine.parquet").to_pylist()
    assert len(published) + len(set_aside) == len(rows)
    assert published <= {r["url"] for r in rows} and len(published) >= len(rows) - 1
