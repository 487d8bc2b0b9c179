"""The release for readers who do not write code (issue 22, part B): one SQLite file with keys and full-text
search (`paradip export sqlite`), and Datasette on it (`paradip serve`), started here on a free local port."""
from __future__ import annotations

import html
import json
import os
import shutil
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
    # the browsing view holds every (event, foreign locality) pair of the tables, with the locality's point
    actors = {a["actor_id"]: a for a in pq.read_table(committed_release / "actors.parquet").to_pylist()}
    pairs = {(p["event_id"], p["actor_id"]) for p in pq.read_table(committed_release / "event_participants.parquet")
             .to_pylist() if actors[p["actor_id"]]["kind"] == "locality" and actors[p["actor_id"]]["country"]
             not in (None, "VN")}
    rows = db.execute("select event_id, partner_id, latitude from event_partner_localities").fetchall()
    assert {(e, a) for e, a, _ in rows} == pairs and len(rows) == len(pairs)
    assert all(lat == actors[a]["latitude"] for _, a, lat in rows)
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


class _Server:
    """`paradip serve` of a release on a free local port, stopped on exit; `tmp`, when given, is the
    temporary folder it works in."""

    def __init__(self, release: Path, tmp: Path | None = None):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}/paradip"
        env = {**os.environ, "TMPDIR": str(tmp)} if tmp else None
        self.process = subprocess.Popen([*PARADIP, "serve", str(release), "--port", str(self.port)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)


def test_datasette_serves_tables_search_and_facets_on_localhost(committed_release):
    pytest.importorskip("datasette", reason="the explore extra is not installed")
    with _Server(committed_release) as server:
        base = server.base
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
        # two clicks: the view, then a partner country's facet; its link gives that country's events
        view = _get(f"{base}/event_partner_localities.json?_facet=partner_country&_size=0")["facet_results"]
        korea = next(f for f in view.get("results", view)["partner_country"]["results"] if f["value"] == "KR")
        found = _get(korea["toggle_url"].replace("_size=0", "_size=max") + "&_shape=array")
        assert {r["event_id"] for r in found} == _events_with_a_partner_locality_in(committed_release, "KR")
        # the actors page carries datasette-cluster-map's map of their points
        with urllib.request.urlopen(f"{base}/actors", timeout=10) as response:
            assert "datasette-cluster-map" in response.read().decode("utf-8")


def _events_with_a_partner_locality_in(release: Path, country: str) -> set[str]:
    actors = {a["actor_id"]: a for a in pq.read_table(release / "actors.parquet").to_pylist()}
    return {p["event_id"] for p in pq.read_table(release / "event_participants.parquet").to_pylist()
            if actors[p["actor_id"]]["kind"] == "locality" and actors[p["actor_id"]]["country"] == country}


CHROMIUM = shutil.which("chromium")


@pytest.mark.skipif(CHROMIUM is None, reason="no headless browser: install Debian's chromium package "
                                             "(.ci/run does where apt-get can)")
def test_a_browser_shows_a_known_event_on_the_events_page(committed_release, tmp_path):
    pytest.importorskip("datasette", reason="the explore extra is not installed")
    event = pq.read_table(committed_release / "events.parquet").slice(0, 1).to_pylist()[0]
    with _Server(committed_release) as server:
        _get(f"{server.base}.json")  # up
        page = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                               f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", f"{server.base}/events"],
                              capture_output=True, text=True, timeout=120)
    assert page.returncode == 0, page.stderr[-2000:]
    dom = html.unescape(page.stdout)
    rows = [row for row in dom.split("<tr")[1:] if event["event_id"] in row]
    assert rows, f"{event['event_id']} is not on the events page"
    assert event["event_type"] in rows[0] and str(event["date_start"] or "") in rows[0]


def test_stopping_serve_stops_datasette_and_removes_its_database(committed_release, tmp_path):
    """A SIGTERM (a process manager, a test) stops `paradip serve` and the Datasette it started, and the
    SQLite copy of the release is removed: nothing is left serving or on disk."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    with _Server(committed_release, tmp) as server:
        _get(f"{server.base}.json")  # up
        assert list(tmp.iterdir())  # its database is here
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", server.port), timeout=2).close()
    assert list(tmp.iterdir()) == []
