"""The cache and the disk fail; the build does not (issue 20).

Fault injection in the manner of SQLite's and git's tests: after a clean cached build of the five original
seeds, every file of the cache folder is damaged in turn (truncated at several offsets, bytes flipped,
replaced by garbage, deleted) and the same build runs again: it must succeed with the same tables (and, for
one fault per file, publish the same release bytes).
Also: a pickle planted in the cache never runs; builds killed while saving the cache leave it usable; a
full, read-only or unwritable disk gives one line and exit code 4, publishes nothing and leaves no staging
folder, and an unwritable cache folder only means a build without a cache.
"""
from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pytest

from conftest import GOLD_SETS
from pipeline.core.params import Params
from pipeline.runtime.build import build, build_tables

PARADIP = [str(Path(sys.executable).with_name("paradip"))]
PARAMS = Params(version="1.0.0")


def _release_bytes(release: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(release.iterdir())}


def _seed_folder(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for path in GOLD_SETS["seeds"].documents():
        shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    """The five seeds, the cache folder after one clean cached build, and that build's release bytes."""
    base = tmp_path_factory.mktemp("faults")
    folder = _seed_folder(base / "in")
    cache = base / "cache"
    release = build(folder, base / "out", PARAMS, path_prefix="in", cache_dir=cache).release
    return folder, cache, _release_bytes(release)


def _faults(size: int, rng: random.Random) -> list[tuple[str, object]]:
    """(name, what to do to a file of `size` bytes): bytes to write, or None to delete it."""
    def flipped(data: bytes) -> bytes:
        if not data:
            return b"\x00"
        start = len(data) // 2
        end = min(len(data), start + 4096)
        return data[:start] + bytes(b ^ 0xFF for b in data[start:end]) + data[end:]
    return [("truncated to 0", lambda d: b""), ("truncated to a third", lambda d: d[:len(d) // 3]),
            ("last byte cut", lambda d: d[:-1]), ("4 KiB flipped in the middle", flipped),
            ("replaced by garbage", lambda d: rng.randbytes(max(len(d), 200))), ("deleted", None)]


def _table_bytes(tables) -> dict[str, bytes]:
    """Each table of a build as Arrow IPC bytes (schema metadata included): what the release is written from."""
    out = {}
    for name, table in tables.items():
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, table.schema) as writer:
            writer.write_table(table)
        out[name] = sink.getvalue().to_pybytes()
    return out


def test_every_damaged_cache_file_gives_the_same_release(clean, tmp_path, capsys):
    """Every fault on every cache file: the build's tables are those of a build without a cache (the cache
    reaches nothing else; publishing them is deterministic), and with one fault per file the whole release
    is published and its bytes compared."""
    folder, cache, expected = clean
    expected_tables = _table_bytes(build_tables(folder, PARAMS, "in")[0])
    rng = random.Random(20)
    pristine = tmp_path / "pristine"
    shutil.copytree(cache, pristine)
    files = sorted(p.relative_to(pristine) for p in pristine.rglob("*") if p.is_file())
    assert any(f.name.startswith("outcomes-") for f in files) and any(f.name == "state.msgpack" for f in files)
    failures, injected, published = [], 0, 0
    for relative in files:
        for fault, damage in _faults((pristine / relative).stat().st_size, rng):
            work = tmp_path / f"cache-{injected}"
            shutil.copytree(pristine, work)
            target = work / relative
            if damage is None:
                target.unlink()
            else:
                target.write_bytes(damage(target.read_bytes()))
            injected += 1
            try:
                if fault == "replaced by garbage":
                    published += 1
                    release = build(folder, tmp_path / f"out-{injected}", PARAMS, path_prefix="in",
                                    cache_dir=work).release
                    if _release_bytes(release) != expected:
                        failures.append(f"{relative} {fault}: other release bytes")
                elif _table_bytes(build_tables(folder, PARAMS, "in", cache_dir=work)[0]) != expected_tables:
                    failures.append(f"{relative} {fault}: other tables")
            except Exception as exc:  # noqa: BLE001 - every fault is reported, not only the first
                failures.append(f"{relative} {fault}: {type(exc).__name__}: {exc}")
            shutil.rmtree(work, ignore_errors=True)
    print(f"\n{injected} faults injected into {len(files)} cache files ({published} releases published)")
    assert failures == [] and injected >= 60 and published == len(files)


def test_a_damaged_outcome_database_is_set_aside_with_one_warning(clean, tmp_path, capsys):
    folder, cache, expected = clean
    work = tmp_path / "cache"
    shutil.copytree(cache, work)
    (db,) = work.glob("outcomes-*.sqlite")
    data = bytearray(db.read_bytes())
    data[100:4196] = random.Random(1).randbytes(4096)  # the header's tail and the first pages
    db.write_bytes(bytes(data))
    release = build(folder, tmp_path / "out", PARAMS, path_prefix="in", cache_dir=work).release
    assert _release_bytes(release) == expected
    assert list(work.glob("outcomes-*.sqlite.damaged-1"))  # set aside, not silently deleted
    assert "is damaged" in capsys.readouterr().err
    again = build(folder, tmp_path / "again", PARAMS, path_prefix="in", cache_dir=work)  # the new one serves
    assert _release_bytes(again.release) == expected and again.stats.cache_hits > 0


class _Planted:
    """Unpickling this object would create the file `MARK` names: proof that a pickle ran."""

    def __reduce__(self):
        return (os.system, (f"touch {os.environ['MARK']}",))


def test_a_pickle_planted_in_the_cache_never_runs(clean, tmp_path, monkeypatch):
    import hashlib
    import json
    import pickle

    folder, cache, expected = clean
    mark = tmp_path / "ran"
    monkeypatch.setenv("MARK", str(mark))
    payload = pickle.dumps(_Planted())
    work = tmp_path / "cache"
    shutil.copytree(cache, work)
    # every outcome becomes the payload, with a digest that matches it
    (db,) = work.glob("outcomes-*.sqlite")
    with contextlib.closing(sqlite3.connect(db)) as con:
        con.execute("update outcome_v3 set size = ?, digest = ?, value = ?",
                    (len(payload), hashlib.sha256(payload).hexdigest(), pa.compress(payload, codec="lz4", asbytes=True)))
        con.commit()
    # and the fold state too, its manifest vouching for it
    for checkpoint in (p.parent for p in work.rglob("manifest.json")):
        (checkpoint / "state.msgpack").write_bytes(payload)
        manifest = json.loads((checkpoint / "manifest.json").read_text())
        manifest["files"]["state.msgpack"] = hashlib.sha256(payload).hexdigest()
        (checkpoint / "manifest.json").write_text(json.dumps(manifest))
    release = build(folder, tmp_path / "out", PARAMS, path_prefix="in", cache_dir=work).release
    assert not mark.exists(), "a pickle from the cache folder ran"
    assert _release_bytes(release) == expected


def test_builds_killed_while_saving_leave_a_cache_that_gives_the_same_release(clean, tmp_path):
    folder = clean[0]
    assert _build_cli(folder, tmp_path / "clean", "1.0.0").returncode == 0
    expected = _release_bytes(tmp_path / "clean" / "1.0.0")
    cache = tmp_path / "cache"
    for i, delay in enumerate([0.8, 1.3, 1.8, 2.3, 2.8, 3.3]):
        (folder / f"zz{i}.txt").write_text((folder / sorted(os.listdir(folder))[0]).read_text(encoding="utf-8")
                                           + f"\nA note {i}.\n", encoding="utf-8")  # new work for every build
        proc = subprocess.Popen([*PARADIP, "build", "--quiet", "--input", str(folder), "--out", str(tmp_path / f"k{i}"),
                                 "--version", "1.0.0", "--cache-dir", str(cache)], stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    for i in range(6):
        (folder / f"zz{i}.txt").unlink()
    final = subprocess.run([*PARADIP, "build", "--quiet", "--input", str(folder), "--out", str(tmp_path / "final"),
                            "--version", "1.0.0", "--cache-dir", str(cache)], capture_output=True, text=True, timeout=300)
    assert final.returncode == 0, final.stderr
    assert _release_bytes(tmp_path / "final" / "1.0.0") == expected


@contextlib.contextmanager
def _small_disk(where: Path, size: str):
    """A tmpfs of `size` mounted at `where` (needs root and mount permission)."""
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.decode().strip() or 'mount failed'})")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def _build_cli(folder: Path, out: Path, version: str, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([*PARADIP, "build", "--quiet", "--no-cache", "--input", str(folder), "--out", str(out),
                           "--version", version, *extra], capture_output=True, text=True, timeout=300)


def test_a_full_disk_gives_one_line_exit_4_and_keeps_the_previous_release(clean, tmp_path):
    folder = clean[0]
    with _small_disk(tmp_path / "disk", "2m") as disk:
        first = _build_cli(folder, disk, "1.0.0")
        assert first.returncode == 0, first.stderr
        before = _release_bytes(disk / "1.0.0")
        free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
        (disk / "filler").write_bytes(b"\0" * max(0, free - 20_000))  # about 20 kB left
        run = _build_cli(folder, disk, "1.0.1")
        assert run.returncode == 4, run.stderr
        assert len(run.stderr.strip().splitlines()) == 1 and "no space left on device" in run.stderr
        assert not (disk / "1.0.1").exists() and not list(disk.glob(".*.tmp-*"))
        assert _release_bytes(disk / "1.0.0") == before


def test_a_read_only_output_gives_exit_4_and_a_read_only_cache_only_a_warning(clean, tmp_path):
    folder = clean[0]
    with _small_disk(tmp_path / "ro", "1m") as ro:
        (ro / "cache").mkdir()
        remount = subprocess.run(["mount", "-o", "remount,ro", str(ro)], capture_output=True)
        if remount.returncode != 0:
            pytest.skip("cannot remount the tmpfs read-only here")
        run = _build_cli(folder, ro / "out", "1.0.0")
        assert run.returncode == 4 and "read-only file system" in run.stderr, run.stderr
        cached = subprocess.run([*PARADIP, "build", "--quiet", "--input", str(folder), "--out", str(tmp_path / "out"),
                                 "--version", "1.0.0", "--cache-dir", str(ro / "cache")],
                                capture_output=True, text=True, timeout=300)
        assert cached.returncode == 0, cached.stderr
        assert "cannot be written" in cached.stderr and "building without a cache" in cached.stderr
        assert _build_cli(folder, tmp_path / "clean", "1.0.0").returncode == 0
        assert _release_bytes(tmp_path / "out" / "1.0.0") == _release_bytes(tmp_path / "clean" / "1.0.0")
