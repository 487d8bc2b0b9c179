"""Where each document comes from (issue 19): a metadata file gives text files their address and site
(`--metadata`, the ingest stage's too), winning over what a page says; both build paths agree; a bad
metadata file stops the build with one line naming it."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.core.params import Params
from pipeline.runtime.inputs import MetadataError, ingest_folder, read_metadata

PARADIP = [str(Path(sys.executable).with_name("paradip"))]
ARTICLE = "\n".join([
    "Lam Dong welcomes a delegation from Ishikawa",
    "On July 2, leaders of Lam Dong province received a delegation from Ishikawa prefecture of Japan, and the "
    "two sides agreed to exchange interns in flower farming and to promote tourism between Da Lat and Kanazawa.",
])
PAGE = ("<html><head><link rel='canonical' href='https://page.example.jp/story'>"
        "<meta property='og:site_name' content='Page Site'></head><body><article><h1>Lam Dong welcomes a "
        "delegation from Ishikawa</h1><p>" + ARTICLE.split("\n")[1] + "</p></article></body></html>")


@pytest.fixture
def folder(tmp_path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "b.html").write_text(PAGE.replace("Ishikawa", "Toyama"), encoding="utf-8")
    (folder / "c.txt").write_text(ARTICLE.replace("Ishikawa", "Fukui"), encoding="utf-8")
    return folder


def _metadata(tmp_path: Path, text: str, name: str = "meta.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_metadata_file_gives_addresses_and_sites_in_both_build_paths(tmp_path, folder):
    meta = _metadata(tmp_path, "file,url,outlet\na.txt,https://news.example.vn/a,Lam Dong Newspaper\n"
                               "b.html,https://mirror.example.vn/b,\n")
    run = subprocess.run([*PARADIP, "build", "--quiet", "--no-cache", "--input", str(folder), "--out",
                          str(tmp_path / "out"), "--version", "1.0.0", "--metadata", str(meta)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    built = {r["source_path"].rsplit("/", 1)[-1]: (r["url"], r["site"])
             for r in pq.read_table(tmp_path / "out" / "1.0.0" / "documents.parquet").to_pylist()}
    assert built == {"a.txt": ("https://news.example.vn/a", "Lam Dong Newspaper"),
                     "b.html": ("https://mirror.example.vn/b", "Page Site"),  # the file's row wins, the page fills
                     "c.txt": (None, None)}
    docs, _ = ingest_folder(folder, Params(), "in", metadata=read_metadata(meta))  # the ingest stage's path
    assert {d.document.source_path.rsplit("/", 1)[-1]: (d.document.url, d.document.site) for d in docs} == built


@pytest.mark.parametrize("text,why", [
    ("name,url\na.txt,https://x\n", "must name file and url or site"),
    ("file,url\na.txt,https://x\na.txt,https://y\n", "line 3 names a.txt again"),
    ("file,url\n,https://x\n", "line 2 names no file"),
])
def test_a_bad_metadata_file_stops_the_build_with_one_line(tmp_path, folder, text, why):
    meta = _metadata(tmp_path, text)
    with pytest.raises(MetadataError, match=why):
        read_metadata(meta)
    run = subprocess.run([*PARADIP, "build", "--input", str(folder), "--out", str(tmp_path / "out"),
                          "--metadata", str(meta)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and str(meta) in run.stderr and why in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1


def test_tab_separated_metadata_reads_like_csv(tmp_path):
    meta = _metadata(tmp_path, "file\turl\tsite\na.txt\thttps://x.example\tX\n", "meta.tsv")
    assert read_metadata(meta)["a.txt"].url == "https://x.example"


def test_the_repositorys_metadata_names_articles_that_exist():
    root = Path(__file__).resolve().parents[1]
    rows = read_metadata(root / "seeds.csv")
    assert rows and all((root / "seeds" / name).is_file() for name in rows)
    assert all(row.url and row.url.startswith(("http://", "https://")) for row in rows.values())
