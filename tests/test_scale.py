"""Scale machinery keeps the release exact: any engine or job count gives the same bytes, the extraction
cache re-extracts only new or changed articles and is dropped when the extractor changes, and chunked
validation reports what whole-table validation reports."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pyarrow as pa
import pytest

import pipeline.runtime.cache as cache_module
import pipeline.runtime.inputs as ingest_module
import pipeline.runtime.version as version_module
import pipeline.release.validation as validate_module
from bench.corpus import make_corpus
from conftest import GOLD_SETS, ROOT
from pipeline.runtime.build import build
from pipeline.runtime.version import EXTRACTOR_MODULES, extractor_version
from pipeline.resolution.resolver import finish_table
from pipeline.release.validation import validate_tables


def _release_bytes(release: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(release.iterdir())}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Seeds, dev articles and synthetic variants of them (some byte-identical: duplicates), and one
    article again with other line endings (a near duplicate)."""
    out = tmp_path_factory.mktemp("corpus")
    templates = tmp_path_factory.mktemp("templates")
    sources = [*GOLD_SETS["seeds"].documents(), *GOLD_SETS["dev"].documents()]
    for src in sources:
        shutil.copy(src, templates / src.name)
        shutil.copy(src, out / f"orig_{src.name}")
    first = sorted(sources)[0].read_text(encoding="utf-8")
    (out / "zz_near_duplicate.txt").write_bytes(first.replace("\n", "\r\n").encode("utf-8"))  # same main text
    make_corpus([templates], out / "synthetic", 24, seed=3, copies=0.25)
    for path in (out / "synthetic").iterdir():
        path.rename(out / f"syn_{path.name}")
    (out / "synthetic").rmdir()
    return out


def _build(corpus: Path, out: Path, params, **options):
    return build(corpus, out, params, path_prefix="corpus", **options)


@pytest.fixture(scope="module")
def sequential(corpus, tmp_path_factory, params):
    return _build(corpus, tmp_path_factory.mktemp("jobs1"), params, jobs=1)


def test_two_worker_processes_give_the_same_release(sequential, corpus, tmp_path, params):
    parallel = _build(corpus, tmp_path, params, jobs=2, batch_size=3)
    assert sequential.stats.quarantined > 0, "the corpus should exercise quarantine (duplicates)"
    assert _release_bytes(parallel.release) == _release_bytes(sequential.release)


def test_dask_local_cluster_gives_the_same_release(sequential, corpus, tmp_path, params):
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster:
        on_dask = _build(corpus, tmp_path, params, engine="dask", scheduler=cluster.scheduler_address,
                         batch_size=4)
    assert on_dask.stats.extracted == sequential.stats.extracted
    assert _release_bytes(on_dask.release) == _release_bytes(sequential.release)


def test_cache_reextracts_only_the_added_article(sequential, corpus, tmp_path, params):
    cache = tmp_path / "cache"
    first = _build(corpus, tmp_path / "a", params, cache_dir=cache)
    assert first.stats.cache_hits == 0 and first.stats.extracted == sequential.stats.extracted
    added = corpus / "zz_added.txt"
    added.write_text((ROOT / "seeds").joinpath(sorted(p.name for p in (ROOT / "seeds").iterdir())[0])
                     .read_text(encoding="utf-8") + "\nA late correction was added to this article.\n",
                     encoding="utf-8")
    try:
        again = _build(corpus, tmp_path / "b", params, cache_dir=cache)
        fresh = _build(corpus, tmp_path / "c", params)
    finally:
        added.unlink()
    assert again.stats.extracted == 1
    assert again.stats.cache_hits == first.stats.new
    assert _release_bytes(again.release) == _release_bytes(fresh.release)


def test_cache_is_dropped_when_the_extractor_changes(corpus, tmp_path, params, monkeypatch):
    cache = tmp_path / "cache"
    first = _build(corpus, tmp_path / "a", params, cache_dir=cache)
    assert _build(corpus, tmp_path / "b", params, cache_dir=cache).stats.extracted == 0
    changed_params = type(params)(**{**params.__dict__, "min_main_chars": params.min_main_chars + 1})
    assert extractor_version(changed_params) != extractor_version(params)
    assert _build(corpus, tmp_path / "c", changed_params, cache_dir=cache).stats.extracted == first.stats.extracted
    monkeypatch.setattr(version_module, "reference_digest", lambda: "reference data edited")
    assert _build(corpus, tmp_path / "d", params, cache_dir=cache).stats.extracted == first.stats.extracted


def test_extractor_version_covers_every_module_the_workers_run():
    code = ("import sys, pipeline.runtime.engine; print(' '.join(m for m, module in sys.modules.items() "
            "if m.startswith(('pipeline.', 'schemas.')) and not hasattr(module, '__path__')))")  # packages: docstrings
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    missing = set(loaded.stdout.split()) - set(EXTRACTOR_MODULES) - {"pipeline.runtime.version"}
    assert not missing, f"add {sorted(missing)} to pipeline.runtime.version.EXTRACTOR_MODULES"


def test_chunked_validation_reports_rows_of_the_whole_table(seed_release, monkeypatch):
    whole_arrow, whole = validate_tables(seed_release.arrow)
    monkeypatch.setattr(validate_module, "VALIDATE_CHUNK_ROWS", 7)
    _, chunked = validate_tables(seed_release.arrow)
    assert whole.ok and chunked.ok and chunked.tables == whole.tables

    mentions = seed_release.arrow["mentions"]
    bad_row = mentions.num_rows - 2  # in the last chunk
    actor_ids = mentions.column("actor_id").to_pylist()
    actor_ids[bad_row] = "act_nowhere"
    broken = dict(seed_release.arrow, mentions=mentions.set_column(
        mentions.schema.get_field_index("actor_id"), "actor_id", pa.array(actor_ids)))
    _, report = validate_tables(broken)
    assert any(f["table"] == "mentions" and f["check"] == "fk_actor_id" and f["row"] == bad_row
               for f in report.failures), report.failures[:5]


def test_chunked_validation_finds_a_primary_key_repeated_across_chunks(seed_release, monkeypatch):
    monkeypatch.setattr(validate_module, "VALIDATE_CHUNK_ROWS", 7)
    documents = seed_release.arrow["documents"]
    repeated = pa.concat_tables([documents, documents.slice(0, 1)])
    _, report = validate_tables(dict(seed_release.arrow, documents=repeated))
    assert any(f["table"] == "documents" and "unique" in f["check"] for f in report.failures)


def test_finish_table_keeps_the_first_row_per_key_and_sorts_by_text():
    table = pa.table({"event_id": ["evt_b", "evt_a", "evt_b", "evt_a"], "doc_id": ["d", "d", "d", "d"],
                      "sentence": ["first", "x", "second", "y"], "char_start": [5, 10, 5, 9],
                      "char_end": [6, 11, 7, 10], "_cluster": [1, 0, 0, 0], "_seq": [0, 0, 1, 1]})
    out = finish_table(table, "event_sources").to_pylist()
    # "10" sorts before "9" (the release orders by text); of the two evt_b rows at 5, cluster 0 came first
    assert [(r["event_id"], r["char_start"], r["sentence"]) for r in out] == [
        ("evt_a", 10, "x"), ("evt_a", 9, "y"), ("evt_b", 5, "second")]


def test_vectorised_non_empty_string_check_agrees_with_python_strip():
    import pandas as pd

    from schemas.pandera_schemas import PY_WHITESPACE, _non_empty_strings

    assert PY_WHITESPACE == "".join(chr(c) for c in range(0x110000) if chr(c).isspace())
    values = ["x", " ", "", None, " a ", "\x1f", "\u3000\u2028", "\u200b", "\x00", "ở"]
    columnar = _non_empty_strings(pa.table({"v": values}).to_pandas()["v"]).tolist()
    assert columnar == [isinstance(v, str) and v.strip() != "" for v in values]
    assert _non_empty_strings(pd.Series(values, dtype=object)).tolist() == columnar


def _rows(doc_id: str, events: list[dict], actors: list[tuple]) -> dict:
    document = {"doc_id": doc_id, "sha256": "0" * 64, "title": None, "published": None,
                "published_precision": None, "language": "en", "outlet": None, "dateline": None, "n_chars": 10,
                "text_length": 10, "encoding": "utf-8", "url": None, "site": None}
    return {"document": document, "as_of": None, "mentions": ([], [], [], []), "roles": ([], [], []),
            "rows_valid": True, "actors": actors, "events": events, "agreements": []}


def _event(day: str | None, participants: dict, precision: str = "day", name: str | None = None) -> dict:
    return {"event_type": "meeting", "name": name, "cameo_code": "040", "sectors": [], "parent": None,
            "agreement": None, "participants": participants, "sources": [(0, 5, "A met B.")],
            "date": {"start": day, "end": None, "precision": precision, "text": day} if day else None}


def test_events_merge_across_documents_only_on_same_day_and_shared_participant():
    from pipeline.resolution.resolver import Resolver

    actors = [("person:a", "person", "VN", None, ["A"]), ("person:b", "person", "NZ", None, ["B"]),
              ("person:c", "person", "NZ", None, ["C"]), ("country:nz", "country", "NZ", "New Zealand", ["NZ"])]
    resolver = Resolver()
    resolver.add(_rows("doc_1", [_event("2024-05-01", {"person:a": "host"}, precision="month")], actors), "1")
    resolver.add(_rows("doc_2", [_event("2024-05-01", {"person:a": "host", "person:b": "guest"})], actors), "2")
    resolver.add(_rows("doc_3", [_event("2024-05-01", {"person:c": "guest", "country:nz": "guest"})], actors), "3")
    resolver.add(_rows("doc_4", [_event("2024-05-01", {"person:b": "guest"}),
                                 _event("2024-05-02", {"person:b": "guest"})], actors), "4")
    tables = resolver.finish()
    by_doc: dict[str, set[str]] = {}
    for r in tables["event_sources"].to_pylist():
        by_doc.setdefault(r["doc_id"], set()).add(r["event_id"])
    (first,) = by_doc["doc_1"]
    assert tables["events"].num_rows == 3
    # doc 2 joins doc 1's month-dated event through person:a; doc 4's first event joins it through person:b
    # (gained from doc 2); doc 4's event of the next day is another event
    assert by_doc["doc_2"] == {first} and first in by_doc["doc_4"] and len(by_doc["doc_4"]) == 2
    # doc 3 shares only a country (never a matching participant) and another person: its own event
    assert first not in by_doc["doc_3"]
    participants = {r["actor_id"] for r in tables["event_participants"].to_pylist() if r["event_id"] == first}
    assert len(participants) == 2


def test_a_worker_with_other_extraction_code_stops_the_build():
    from pipeline.runtime.engine import Engine, EngineMismatch

    engine = Engine(lambda task: None, 2, "this-version")
    assert engine.outcomes(SimpleNamespace(result=lambda: ("this-version", [("rejected", "empty", "")]))) == \
        [("rejected", "empty", "")]
    with pytest.raises(EngineMismatch, match="same paradip"):
        engine.outcomes(SimpleNamespace(result=lambda: ("other-version", [])))


def test_streamed_build_sets_aside_the_same_entries_as_the_ingest_stage(sequential, corpus, params):
    """Duplicates and near duplicates are decided in input order by the build as by `ingest_folder`."""
    from pipeline.runtime.inputs import ingest_folder

    docs, quarantine = ingest_folder(corpus, params, "corpus")
    published = sequential.arrow["documents"].column("source_path").to_pylist()
    assert sorted(d.document.source_path for d in docs) == sorted(published)
    expected = sorted((q.file, q.sha256, q.reason, q.message) for q in quarantine)
    built = sequential.arrow["quarantine"]
    assert [tuple(r.values()) for r in built.select(["file", "sha256", "reason", "message"]).to_pylist()] == expected
    assert {q.reason for q in quarantine} >= {"duplicate", "near_duplicate"}


def test_card_rows_read_string_columns_as_shared_strings():
    """The card's rows hold one string object per distinct value of a string column, with the values,
    nulls and order of `to_pylist`, across chunks."""
    from pipeline.core.spill import TableRows

    ids = pa.chunked_array([["act_a", "act_b", None], ["act_a", "act_c", "act_b"]])
    table = pa.table({"actor_id": ids, "n": pa.chunked_array([[1, 2, 3], [4, None, 6]])})
    rows = TableRows(table)
    values = [row["actor_id"] for row in rows]
    assert values == ids.to_pylist() and [row["n"] for row in rows] == [1, 2, 3, 4, None, 6]
    assert values[0] is values[3] and values[1] is values[5]


def _counting_extractions(monkeypatch, fail_for: set[str] = frozenset()) -> list[str]:
    """The sha256 of every article extracted from now on (in this process); extracting one of `fail_for`
    raises, as an extractor bug would."""
    import pipeline.runtime.engine as engine_module

    extracted: list[str] = []
    real = engine_module.extract_document

    def counting(doc):
        extracted.append(doc.document.sha256)
        if doc.document.sha256 in fail_for:
            raise RuntimeError("extractor bug")
        return real(doc)

    monkeypatch.setattr(engine_module, "extract_document", counting)
    return extracted


def test_near_duplicates_are_set_aside_without_being_extracted(sequential, corpus, tmp_path, params, monkeypatch):
    extracted = _counting_extractions(monkeypatch)
    result = _build(corpus, tmp_path, params, jobs=1)
    reasons = result.arrow["quarantine"].column("reason").to_pylist()
    assert "near_duplicate" in reasons
    assert sorted(extracted) == sorted(result.arrow["documents"].column("sha256").to_pylist())
    assert result.stats.extracted == len(extracted) < result.stats.new
    assert _release_bytes(result.release) == _release_bytes(sequential.release)


def _two_copies(folder: Path) -> tuple[bytes, bytes]:
    """`a.txt` and `b.txt`: one seed article with two kinds of line endings (the same main text)."""
    folder.mkdir()
    text = sorted((ROOT / "seeds").glob("*.txt"))[0].read_text(encoding="utf-8")
    first, second = text.encode("utf-8"), text.replace("\n", "\r\n").encode("utf-8")
    (folder / "a.txt").write_bytes(first)
    (folder / "b.txt").write_bytes(second)
    return first, second


def test_a_near_duplicate_is_extracted_when_the_first_copy_fails(tmp_path, params, monkeypatch):
    import hashlib

    first, _ = _two_copies(tmp_path / "in")
    _counting_extractions(monkeypatch, fail_for={hashlib.sha256(first).hexdigest()})
    result = build(tmp_path / "in", tmp_path / "out", params, path_prefix="in", jobs=1)
    assert result.arrow["documents"].column("source_path").to_pylist() == ["in/b.txt"]
    assert result.arrow["quarantine"].column("reason").to_pylist() == ["ingest_error"]


def test_a_cached_near_duplicate_is_published_when_its_first_copy_is_gone(tmp_path, params, monkeypatch):
    monkeypatch.setattr(cache_module, "RACY_NS", 0)  # so the rebuild's scan does not read b.txt: it is read when needed
    _two_copies(tmp_path / "in")
    cache = tmp_path / "cache"
    build(tmp_path / "in", tmp_path / "out1", params, path_prefix="in", jobs=1, cache_dir=cache)
    (tmp_path / "in" / "a.txt").unlink()
    extracted = _counting_extractions(monkeypatch)
    again = build(tmp_path / "in", tmp_path / "out2", params, path_prefix="in", jobs=1, cache_dir=cache)
    fresh = build(tmp_path / "in", tmp_path / "out3", params, path_prefix="in", jobs=1)
    assert again.stats.cache_hits == 1 and len(extracted) == 2  # b.txt once from the cache's key, once fresh
    assert again.arrow["documents"].column("source_path").to_pylist() == ["in/b.txt"]
    assert _release_bytes(again.release) == _release_bytes(fresh.release)


def _files_read(monkeypatch) -> list[str]:
    """Names of the input files the build reads from now on."""
    read: list[str] = []
    real = ingest_module._read_regular_file

    def recording(entry, max_bytes):
        read.append(entry.name)
        return real(entry, max_bytes)

    monkeypatch.setattr(ingest_module, "_read_regular_file", recording)
    return read


def _seed_copies(folder: Path) -> list[Path]:
    folder.mkdir()
    for src in GOLD_SETS["seeds"].documents():  # the five original articles
        shutil.copy(src, folder / src.name)
    return sorted(folder.iterdir())


def test_a_cached_rebuild_reads_only_the_files_that_changed(tmp_path, params, monkeypatch):
    monkeypatch.setattr(cache_module, "RACY_NS", 0)  # the files were written just now: trust their stat at once
    files = _seed_copies(tmp_path / "in")
    read = _files_read(monkeypatch)
    cache = tmp_path / "cache"
    build(tmp_path / "in", tmp_path / "a", params, path_prefix="in", jobs=1, cache_dir=cache)
    assert read == [f.name for f in files]
    # same size and the same modification time, other bytes: only the change time tells
    edited, before = files[1], files[1].stat()
    edited.write_bytes(edited.read_bytes().replace(b"Hanoi", b"Hanoy", 1))
    os.utime(edited, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert edited.stat().st_size == before.st_size and edited.stat().st_mtime_ns == before.st_mtime_ns
    read.clear()
    again = build(tmp_path / "in", tmp_path / "b", params, path_prefix="in", jobs=1, cache_dir=cache)
    assert read == [edited.name] and again.stats.extracted == 1
    fresh = build(tmp_path / "in", tmp_path / "c", params, path_prefix="in", jobs=1)
    assert _release_bytes(again.release) == _release_bytes(fresh.release)


def test_a_file_changed_within_the_clock_tick_of_its_read_is_read_again(tmp_path, params, monkeypatch):
    monkeypatch.setattr(cache_module, "RACY_NS", 10 ** 18)  # every file changed "just before" it was read
    files = _seed_copies(tmp_path / "in")
    cache = tmp_path / "cache"
    build(tmp_path / "in", tmp_path / "a", params, path_prefix="in", jobs=1, cache_dir=cache)
    read = _files_read(monkeypatch)
    again = build(tmp_path / "in", tmp_path / "b", params, path_prefix="in", jobs=1, cache_dir=cache)
    assert read == [f.name for f in files] and again.stats.extracted == 0


def test_a_file_the_scan_did_not_read_is_set_aside_when_it_cannot_be_read_as_hashed(tmp_path, params):
    import hashlib

    from pipeline.runtime.build import BuildStats, _extracted_now
    from pipeline.runtime.inputs import InputFile

    path = tmp_path / "a.txt"
    path.write_text("Hanoi welcomed a delegation on 3 May 2024.", encoding="utf-8")
    item = InputFile("in/a.txt", None, hashlib.sha256(b"the bytes hashed by the scan").hexdigest(), str(path))
    entry, outcome = _extracted_now(item, params, BuildStats(), None)
    assert outcome is None and (entry.file, entry.reason) == ("in/a.txt", "unreadable")
    assert "changed while the build ran" in entry.message
    path.unlink()
    entry, outcome = _extracted_now(item, params, BuildStats(), None)
    assert outcome is None and entry.reason == "unreadable" and "FileNotFoundError" in entry.message


def test_a_rebuild_resumes_from_the_fold_of_the_entries_the_last_build_had(tmp_path, params):
    folder, cache = tmp_path / "in", tmp_path / "cache"
    files = _seed_copies(folder)
    seed_text = files[0].read_text(encoding="utf-8")
    outputs = iter(tmp_path / f"out{i}" for i in range(20))

    def cached_and_fresh():
        cached = build(folder, next(outputs), params, path_prefix="in", jobs=1, cache_dir=cache)
        fresh = build(folder, next(outputs), params, path_prefix="in", jobs=1)
        assert _release_bytes(cached.release) == _release_bytes(fresh.release)
        return cached.stats

    assert cached_and_fresh().resumed == 0
    # added after every other entry: an article with a late correction, and a copy of the first article
    # with other line endings (a near duplicate of an entry inside the checkpoint)
    (folder / "zz_added.txt").write_text(seed_text + "\nA correction was added.\n", encoding="utf-8")
    (folder / "zz_near.txt").write_bytes(seed_text.replace("\n", "\r\n").encode("utf-8"))
    stats = cached_and_fresh()
    assert stats.resumed == len(files) and stats.extracted == 1 and stats.entries == len(files) + 2
    # the added article edited: the newest checkpoint no longer matches, the one it resumed from does
    (folder / "zz_added.txt").write_text(seed_text + "\nAnother correction was added.\n", encoding="utf-8")
    stats = cached_and_fresh()
    assert stats.resumed == len(files) and stats.extracted == 1
    # an article whose name sorts before every other: no checkpoint matches
    (folder / "0000.txt").write_text(seed_text + "\nA first article.\n", encoding="utf-8")
    stats = cached_and_fresh()
    assert stats.resumed == 0 and stats.extracted == 1 and stats.cache_hits == len(files) + 2


def test_a_rebuild_that_folded_few_entries_since_its_resume_saves_no_checkpoint(tmp_path, params, monkeypatch):
    """Below `RESAVE_SHARE` of the resumed entries, a rebuild keeps the checkpoint it resumed from (the next
    build folds the few entries again); at the share, it saves one. Releases stay those of fresh builds."""
    import pipeline.runtime.build as build_module
    from pipeline.runtime.checkpoint import FoldCheckpoints
    from pipeline.runtime.version import extractor_version

    folder, cache = tmp_path / "in", tmp_path / "cache"
    files = _seed_copies(folder)
    seed_text = files[0].read_text(encoding="utf-8")
    outputs = iter(tmp_path / f"out{i}" for i in range(20))
    checkpoints = FoldCheckpoints(cache, extractor_version(params), folder, "in")
    monkeypatch.setattr(build_module, "RESAVE_SHARE", 2 / len(files))  # 1 entry folded: none saved; 2: saved

    def add_and_build(name: str):
        (folder / name).write_text(f"{seed_text}\nA note on {name}.\n", encoding="utf-8")
        cached = build(folder, next(outputs), params, path_prefix="in", jobs=1, cache_dir=cache)
        fresh = build(folder, next(outputs), params, path_prefix="in", jobs=1)
        assert _release_bytes(cached.release) == _release_bytes(fresh.release)
        return cached.stats, sorted(len(c.keys()) for c in checkpoints.saved())

    build(folder, next(outputs), params, path_prefix="in", jobs=1, cache_dir=cache)
    stats, saved = add_and_build("zz1.txt")
    assert (stats.resumed, saved) == (len(files), [len(files)])
    stats, saved = add_and_build("zz2.txt")  # two entries since the checkpoint resumed from
    assert (stats.resumed, saved) == (len(files), [len(files), len(files) + 2])
    stats, saved = add_and_build("zz3.txt")
    assert (stats.resumed, saved) == (len(files) + 2, [len(files), len(files) + 2])


def test_a_fold_checkpoint_is_not_used_once_any_stage_code_changed(tmp_path, params, monkeypatch):
    import pipeline.runtime.checkpoint as checkpoint_module

    _seed_copies(tmp_path / "in")
    cache = tmp_path / "cache"
    build(tmp_path / "in", tmp_path / "a", params, path_prefix="in", jobs=1, cache_dir=cache)
    again = build(tmp_path / "in", tmp_path / "b", params, path_prefix="in", jobs=1, cache_dir=cache)
    assert again.stats.resumed == again.stats.entries > 0
    # the resolver edited: the extractor version is the same, the sources are not
    monkeypatch.setattr(checkpoint_module, "sources_digest", lambda: "resolve.py edited")
    edited = build(tmp_path / "in", tmp_path / "c", params, path_prefix="in", jobs=1, cache_dir=cache)
    assert edited.stats.resumed == 0 and edited.stats.extracted == 0


def test_checkpoints_another_build_is_using_are_not_removed(tmp_path, params):
    """A build removes older checkpoints only when no other build of the folder holds them (one may be reading
    the tables of one); the next build removes them then. A checkpoint another build saved first stays."""
    from pipeline.runtime.checkpoint import FoldCheckpoints
    from pipeline.runtime.version import extractor_version

    folder, cache = tmp_path / "in", tmp_path / "cache"
    seed_text = _seed_copies(folder)[0].read_text(encoding="utf-8")
    outputs = iter(tmp_path / f"out{i}" for i in range(20))
    checkpoints = FoldCheckpoints(cache, extractor_version(params), folder, "in")

    def add_and_build(name: str):
        (folder / name).write_text(f"{seed_text}\nA note on {name}.\n", encoding="utf-8")
        return build(folder, next(outputs), params, path_prefix="in", jobs=1, cache_dir=cache).stats

    build(folder, next(outputs), params, path_prefix="in", jobs=1, cache_dir=cache)
    add_and_build("zz1.txt")
    oldest = {c.folder.name for c in checkpoints.saved()}
    assert len(oldest) == 2  # the newest and the one it resumed from
    with FoldCheckpoints(cache, extractor_version(params), folder, "in").in_use():  # another build reading
        stats = add_and_build("zz2.txt")
    assert stats.resumed == stats.entries - 1
    assert oldest < {c.folder.name for c in checkpoints.saved()}  # none removed under the other build
    stats = add_and_build("zz3.txt")
    kept = {c.folder.name for c in checkpoints.saved()}
    assert len(kept) == 2 and not kept & oldest and stats.resumed == stats.entries - 1
    # saving a fold whose checkpoint is already there (another build saved it first) keeps that one
    newest = max(checkpoints.saved(), key=lambda c: len(c.keys()))
    before = {p.name: p.read_bytes() for p in newest.folder.iterdir()}
    with checkpoints.saving(lambda: (newest.keys(), {"another": "state"})) as staging:
        (staging / "mentions.arrow").write_bytes(b"another build's rows")
    assert {p.name: p.read_bytes() for p in newest.folder.iterdir()} == before


# a build's main script: leaves a mark when a process runs it again (as a worker started by forkserver would,
# to find what the script defines)
BUILD_SCRIPT = """
import os, sys
from pathlib import Path
if __name__ != "__main__":
    open(os.environ["MARK"], "a").write(__name__ + "\\n")
else:
    from pipeline.runtime.build import build
    from pipeline.core.params import load_params
    result = build(Path(sys.argv[1]), Path(sys.argv[2]), load_params(), jobs=2, batch_size=2)
    print(result.stats.new)
"""


def test_extraction_workers_do_not_run_the_main_script_again(tmp_path):
    script, mark = tmp_path / "build_script.py", tmp_path / "mark"
    script.write_text(BUILD_SCRIPT)
    done = subprocess.run([sys.executable, str(script), str(ROOT / "seeds"), str(tmp_path / "out")],
                          capture_output=True, text=True, env={**os.environ, "MARK": str(mark)}, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) == len(list((ROOT / "seeds").glob("*.txt")))
    assert not mark.exists(), f"a worker ran the main script as {mark.read_text()!r}"
