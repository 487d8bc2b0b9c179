"""The release for readers who do not write code (issue 22, part B): one SQLite file with keys and full-text
search (`paradip export sqlite`), and Datasette on it (`paradip serve`), started here on a free local port."""
from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from schemas.records import TABLE_MODELS

PARADIP = [str(Path(sys.executable).with_name("paradip"))]


def test_the_sqlite_export_holds_every_row_key_and_search(committed_release, tmp_path):
    database = tmp_path / "release.db"
    run = subprocess.run([*PARADIP, "export", "sqlite", str(committed_release), str(database)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    db = sqlite3.connect(database)
    for model in TABLE_MODELS:
        name = model.table.name
        parquet = pq.read_table(committed_release / f"{name}.parquet")
        assert db.execute(f'select count(*) from "{name}"').fetchone()[0] == parquet.num_rows, name
        declared = [row[5] for row in db.execute(f'pragma table_info("{name}")') if row[5]]
        assert len(declared) == len(model.table.primary_key), name
        targets = {row[2] for row in db.execute(f'pragma foreign_key_list("{name}")')}
        assert targets == {fk.ref_table for fk in model.table.foreign_keys}, name
    assert db.execute("pragma foreign_key_check").fetchall() == []
    # full-text search finds the sentence a known event was reported in
    event_id, sentence = db.execute("select event_id, sentence from event_sources limit 1").fetchone()
    word = max(sentence.split(), key=len).strip(".,;:()\"'")
    found = {r[0] for r in db.execute("select event_id from event_sources_fts where event_sources_fts match ?",
                                      (f'"{word}"',))}
    assert event_id in found


def test_export_of_a_folder_that_is_no_release_exits_2(tmp_path):
    run = subprocess.run([*PARADIP, "export", "sqlite", str(tmp_path), str(tmp_path / "x.db")],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "not a paradip release folder" in run.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 30.0):
    deadline = time.time() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return json.loads(response.read().decode("utf-8"))
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.3)


def test_datasette_serves_tables_search_and_facets_on_localhost(committed_release):
    pytest.importorskip("datasette", reason="the explore extra is not installed")
    port = _free_port()
    server = subprocess.Popen([*PARADIP, "serve", str(committed_release), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}/paradip"
        events = _get(f"{base}/events.json?_shape=array&_size=5")
        expected = pq.read_table(committed_release / "events.parquet").column("event_id").to_pylist()
        assert events and all(e["event_id"] in expected for e in events)
        sentences = pq.read_table(committed_release / "event_sources.parquet").to_pylist()
        hit = next(s for s in sentences if "Wellington" in s["sentence"])
        found = _get(f"{base}/event_sources.json?_search=Wellington&_shape=array&_size=100")
        assert any(r["event_id"] == hit["event_id"] for r in found)
        facets = _get(f"{base}/events.json?_facet=event_type&_size=0")["facet_results"]
        facet = facets.get("results", facets)["event_type"]["results"]
        counts = {f["value"]: f["count"] for f in facet}
        types = pq.read_table(committed_release / "events.parquet").column("event_type").to_pylist()
        assert counts == {t: types.count(t) for t in set(types)}
    finally:
        server.terminate()
        server.wait(timeout=30)
