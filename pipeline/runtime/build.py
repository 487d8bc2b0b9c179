"""The whole pipeline in one run: input folder -> published release.

Used by `paradip build` and the tests; runs the same functions as the DVC
stages (ingest, extract, resolve, validate, publish) without intermediate
files. Articles stream through: the folder is read in name order, each new
article's per-document work runs in batches on the chosen engine (or comes
from the extraction cache), and outcomes are folded into the resolver in
input order, so the release is the same whatever the engine, the number of
jobs or the cache state. Memory holds one window of batches plus the corpus
tables (columnar), never every article's text. With a cache folder, files
unchanged since they were hashed are not read again, and a build whose first
entries are those of an earlier build resumes from that build's fold
checkpoint (`pipeline.runtime.checkpoint`) instead of folding them again.
"""
from __future__ import annotations

import gc
import tempfile
from collections import deque
from collections.abc import Mapping
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pyarrow as pa

from pipeline.core.codec import register
from pipeline.release import charts
from pipeline.core.aside import aside_pool
from pipeline.runtime.cache import ExtractionCache, FileHashes, warn
from pipeline.runtime.checkpoint import CheckpointDamaged, Checkpoint, FoldCheckpoints, entry_key
from pipeline.runtime.engine import Engine, open_engine, process_one
from pipeline.runtime.fold_apart import build_tables_apart
from pipeline.extraction.reading import Rejected
from pipeline.runtime.inputs import (InputFile, Source, list_inputs, near_duplicate_message, quarantine_entry,
                                     scan_folder, unreadable_entry, with_source)
from pipeline.core.params import Params
from pipeline.runtime.progress import Track, no_track
from pipeline.release.publishing import publish
from pipeline.resolution.resolver import Resolver
from pipeline.core.spill import SpilledTables
from pipeline.runtime.version import extractor_version
from schemas.records import QuarantineEntry

#: Articles per task sent to a worker, and entries read ahead (the wave) whose tasks run together.
BATCH_SIZE = 16
WAVE_SIZE = 512
#: Inputs up to which the side process that draws the release charts starts with the build, loading
#: matplotlib while the articles are folded. Beyond, it would sit beside the fold's peak memory, and the
#: charts of so large a corpus are drawn by the building process anyway (`publish.CHARTS_ASIDE_MAX_ROWS`).
EARLY_ASIDE_MAX_INPUTS = 20_000
#: A build that resumed from a checkpoint saves a new one once it folded this share of the entries it resumed.
RESAVE_SHARE = 0.1
#: Inputs beyond which the articles are extracted and folded in a process of their own
#: (`pipeline.runtime.fold_apart`), whose memory is returned to the system before the release is published.
#: Below, that process's start (about a second of imports) would cost more than the memory it frees.
FOLD_APART_MIN_INPUTS = 20_000


@dataclass
class BuildStats:
    """What a build did: `new` counts articles whose per-document work ran (cache misses), `extracted` those of
    them that went through extraction (not exact or near duplicates, nor articles rejected on reading);
    `resumed` the first entries whose fold came from a checkpoint (`pipeline.runtime.checkpoint`)."""

    entries: int = 0
    new: int = 0
    extracted: int = 0
    cache_hits: int = 0
    quarantined: int = 0
    resumed: int = 0
    extractor_version: str = ""

    def summary(self) -> str:
        """Two sums that add up: entries = published + quarantined = read anew + from cache + not read."""
        resumed = f" ({self.resumed} entries resumed from a checkpoint)" if self.resumed else ""
        unread = self.entries - self.new - self.cache_hits
        return (f"{self.entries} entries = {self.entries - self.quarantined} published + {self.quarantined} quarantined"
                f" = {self.new} read anew ({self.extracted} extracted) + {self.cache_hits} from cache{resumed}"
                f" + {unread} not read (copies of an earlier entry's bytes, special or unreadable files)")


@dataclass
class BuildResult:
    release: Path
    arrow: Mapping[str, pa.Table]  # read from `workspace` when spilled
    stats: BuildStats = field(default_factory=BuildStats)
    workspace: tempfile.TemporaryDirectory | None = None  # removed with the result

    @property
    def rows(self) -> dict[str, int]:
        if isinstance(self.arrow, SpilledTables):
            return dict(self.arrow.rows)
        return {name: table.num_rows for name, table in self.arrow.items()}

    @cached_property
    def tables(self) -> dict[str, list[dict]]:
        """The release tables as lists of row dicts (for small releases and tests)."""
        return {name: table.to_pylist() for name, table in self.arrow.items()}


def _waves(items, size: int):
    wave = []
    for item in items:
        wave.append(item)
        if len(wave) >= size:
            yield wave
            wave = []
    if wave:
        yield wave


class _Wave:
    """A run of consecutive entries, their outcomes as they arrive, and how many tasks are out."""

    __slots__ = ("items", "outcomes", "ingests_out", "extracts_out", "to_extract")

    def __init__(self, items: list):
        self.items = items
        self.outcomes: list = [None] * len(items)
        self.ingests_out = 0
        self.extracts_out = 0
        self.to_extract: list[int] = []

    @property
    def done(self) -> bool:
        return self.ingests_out == 0 and self.extracts_out == 0


def _chunks(seq: list, size: int) -> list[list]:
    return [seq[k:k + size] for k in range(0, len(seq), size)]


def _outcomes(items, params: Params, engine: Engine, cache: ExtractionCache | None, fold: "_Fold",
              stats: BuildStats, batch_size: int, wave_size: int):
    """(entry, outcome) in input order. Entries are read a wave at a time; the wave's new articles are
    ingested in tasks, then those whose main text no earlier entry has are extracted in tasks, while the
    next waves are ingested, so every worker stays busy. An article whose main text an earlier entry
    has is not extracted (outcome `("unextracted", None, key)`): it is a near-duplicate when folded,
    unless that entry ends up unpublished. A wave is emitted once all its tasks are back, so memory
    holds a few waves, never the corpus. The outcome is None for an entry whose outcome an earlier
    entry with the same bytes decides."""
    requested, claimed = fold.requested, fold.claimed
    waves: deque[_Wave] = deque()
    in_flight: deque[tuple[object, _Wave, list[int], str]] = deque()

    def submit(wave: _Wave, step: str, indices: list[int], work: list) -> None:
        in_flight.append((engine.submit((step, work)), wave, indices, step))

    def record(wave: _Wave, i: int, outcome) -> None:
        wave.outcomes[i] = outcome
        if cache:
            cache.put(wave.items[i].sha256, outcome)

    def settle() -> None:
        handle, wave, indices, step = in_flight.popleft()
        outcomes = engine.outcomes(handle)
        if step == "extract":
            wave.extracts_out -= 1
            stats.extracted += len(outcomes)
            for i, outcome in zip(indices, outcomes):
                record(wave, i, outcome)
            return
        wave.ingests_out -= 1
        stats.new += len(outcomes)
        for i, outcome in zip(indices, outcomes):
            if outcome[0] != "ingested":
                record(wave, i, outcome)
            elif outcome[2] in claimed:
                record(wave, i, ("unextracted", None, outcome[2]))
            else:
                claimed.add(outcome[2])
                wave.outcomes[i] = outcome
                wave.to_extract.append(i)
        if wave.ingests_out == 0:
            for chunk in _chunks(wave.to_extract, batch_size):
                wave.extracts_out += 1
                submit(wave, "extract", chunk, [wave.outcomes[i][1:] for i in chunk])

    def ready():
        while waves and waves[0].done:
            wave = waves.popleft()
            yield from zip(wave.items, wave.outcomes)

    for entries in _waves(items, wave_size):
        wave = _Wave(entries)
        missing = []
        for i, item in enumerate(entries):
            stats.entries += 1
            if isinstance(item, QuarantineEntry):
                continue
            if item.sha256 is None:  # too large to hash: rejected on reading
                stats.new += 1
                wave.outcomes[i] = process_one(item.raw, params)
            elif item.sha256 not in requested:
                requested.add(item.sha256)
                cached = cache.get(item.sha256) if cache else None
                if cached is None:
                    missing.append(i)
                    continue
                stats.cache_hits += 1
                wave.outcomes[i] = cached
                if cached[0] == "ok":
                    claimed.add(cached[2])
        waves.append(wave)
        for chunk in _chunks(missing, batch_size):
            wave.ingests_out += 1
            submit(wave, "ingest", chunk, [entries[i].raw for i in chunk])
        while len(in_flight) > engine.window:
            settle()
            yield from ready()
        yield from ready()
    while in_flight:
        settle()
        yield from ready()


@contextmanager
def _gc_paused():
    """No cyclic garbage collection inside: folding outcomes allocates millions of small, acyclic
    containers that stay alive (the resolver's state), and CPython's collector would traverse the growing
    heap again and again for nothing (it took most of the time of a cached rebuild)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def build_tables(input_dir: Path, params: Params, path_prefix: str | None = None, track: Track = no_track, *,
                 engine: str = "local", jobs: int | None = 1, scheduler: str | None = None,
                 cache_dir: Path | None = None, spill_dir: Path | None = None, batch_size: int = BATCH_SIZE,
                 wave_size: int = WAVE_SIZE, total: int | None = None, metadata: Mapping[str, Source] | None = None,
                 sort_rows: bool = True) -> tuple[Mapping[str, pa.Table], BuildStats]:
    """Corpus tables of every entry of `input_dir` (see the module docstring), and what the build did.

    With `cache_dir`, outcomes and file hashes are cached there, and the build resumes from the fold
    checkpoint of the previous build when its first entries are that build's (`pipeline.runtime.checkpoint`).
    With `spill_dir` the tables are a `SpilledTables` mapping backed by files there; with `sort_rows=False`
    too, the tables of rows added document by document are left there unsorted (`Resolver.finish`)."""
    stats = BuildStats(extractor_version=extractor_version(params))
    cache_dir = _writable_cache(cache_dir)
    cache = ExtractionCache(cache_dir, stats.extractor_version) if cache_dir else None
    hashes = FileHashes(cache_dir, input_dir) if cache_dir else None
    checkpoints = FoldCheckpoints(cache_dir, stats.extractor_version, input_dir, path_prefix) if cache_dir else None

    def scan():
        if cache:
            return scan_folder(input_dir, params, path_prefix, hashes, known=cache.known().__contains__,
                               metadata=metadata)
        return scan_folder(input_dir, params, path_prefix, metadata=metadata)

    # from the resume until the tables are finished, no other build removes the checkpoint resumed from
    with checkpoints.in_use() if checkpoints else nullcontext():
        try:
            with open_engine(params, engine, jobs, scheduler, batch_size) as runner, _gc_paused():
                fold, items = (_resume(checkpoints, scan, spill_dir, stats) if checkpoints
                               else (_Fold(Resolver(spill_dir)), scan()))
                outcomes = _outcomes(items, params, runner, cache, fold, stats, batch_size, wave_size)
                for item, outcome in track(outcomes, "build", total):
                    fold.add(item, outcome, params, stats, cache)
        finally:
            for store in (cache, hashes):
                if store:
                    store.close()
        if checkpoints is None or not fold.resumable or _refold_is_cheaper(fold, stats):
            return fold.finish(sort_rows=sort_rows), stats
        with checkpoints.saving(lambda: (fold.keys, fold.state(stats)), fold.resumed_from) as keep:
            return fold.finish(keep, sort_rows), stats


def _writable_cache(cache_dir: Path | None) -> Path | None:
    """The cache folder if the build can write there, else None (the build goes on without a cache)."""
    if cache_dir is None:
        return None
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=cache_dir, prefix=".probe-"):
            pass
    except OSError as exc:
        warn(f"cache folder {cache_dir} cannot be written ({exc.strerror or exc}): building without a cache")
        return None
    return cache_dir


def _refold_is_cheaper(fold: "_Fold", stats: BuildStats) -> bool:
    """Whether a build that resumed from a checkpoint saves none: it folded fewer entries since than
    `RESAVE_SHARE` of those it resumed. The next build then resumes from the same checkpoint and folds
    these few entries again from the cache (about 0.3 ms each), which costs less than writing the
    corpus's fold once more (about 0.3 s at 10,000 entries, growing with the corpus)."""
    return fold.resumed_from is not None and fold.folded_since_resume < max(1, RESAVE_SHARE * stats.resumed)


def _resume(checkpoints: FoldCheckpoints, scan, spill_dir: Path | None, stats: BuildStats):
    """(the fold of the longest checkpoint whose entries the input starts with, the entries after them), or
    (an empty fold, every entry)."""
    saved, keys, items = checkpoints.resume(scan()) if checkpoints.saved() else (None, [], None)
    if saved is not None:
        try:
            return _Fold.resumed(saved, keys, spill_dir, stats), items
        except CheckpointDamaged as exc:  # its files check out but do not decode: not a fold this code wrote
            checkpoints.discard(saved, exc)
            stats.entries = stats.cache_hits = stats.quarantined = stats.resumed = 0
            return _Fold(Resolver(spill_dir)), scan()
    return _Fold(Resolver(spill_dir)), items if items is not None else scan()


class _Fold:
    """Everything folded so far, in input order: the resolver, what was published, the sha256 and main-text
    keys already requested or claimed, and each entry's key (what a fold checkpoint saves)."""

    def __init__(self, resolver: Resolver):
        self.resolver = resolver
        self.seen = _Seen()
        self.requested: set[str] = set()
        self.claimed: set[str] = set()  # main-text keys of earlier entries: published, cached or being extracted
        self.keys: list = []
        self.resumable = True  # False once the fold holds a decision that a later build may not repeat
        self.resumed_from: Checkpoint | None = None
        self.folded_since_resume = 0

    def add(self, item: InputFile | QuarantineEntry, outcome, params: Params, stats: BuildStats,
            cache: ExtractionCache | None) -> None:
        key = entry_key(item)
        if outcome is not None and outcome[0] == "unextracted" and outcome[2] not in self.seen.by_main_text:
            # the earlier entry with this main text was not published: this one is extracted after all
            item, outcome = _extracted_now(item, params, stats, cache)
            if isinstance(item, QuarantineEntry):  # unreadable for now: not a decision to keep
                key = None
        entry = self.seen.entry(item, outcome)
        if entry is None:
            self.resolver.add({**outcome[1], "document": with_source(outcome[1]["document"], item)}, item.name)
        else:
            stats.quarantined += 1
            self.resolver.add_quarantine(entry)
        self.keys.append(key)
        self.resumable = self.resumable and key is not None
        self.folded_since_resume += 1

    def finish(self, keep: Path | None = None, sort_rows: bool = True):
        """The resolver's tables (`Resolver.finish`); the fold's bookkeeping (one key and a few strings per
        entry) is dropped first, so it does not sit under the tables' peak. The fold is spent afterwards."""
        self.seen = self.requested = self.claimed = self.keys = None
        return self.resolver.finish(keep, sort_rows)

    def state(self, stats: BuildStats) -> dict:
        return {"resolver": self.resolver.state(), "seen": self.seen, "requested": self.requested,
                "claimed": self.claimed, "counts": (stats.entries, stats.new + stats.cache_hits, stats.quarantined)}

    @classmethod
    def resumed(cls, saved: Checkpoint, keys: list, spill_dir: Path | None, stats: BuildStats) -> "_Fold":
        """The fold `saved` holds (of the entries `keys`); its entries count as taken from the cache in `stats`."""
        state = saved.state()
        fold = cls(Resolver.resumed(state["resolver"], saved.folder, spill_dir))
        fold.seen, fold.requested, fold.claimed = state["seen"], state["requested"], state["claimed"]
        fold.keys, fold.resumed_from = keys, saved
        stats.entries, stats.cache_hits, stats.quarantined = state["counts"]
        stats.resumed = len(keys)
        return fold


def _extracted_now(item: InputFile, params: Params, stats: BuildStats, cache: ExtractionCache | None):
    """(item, outcome) of an entry extracted here after all; the item becomes a quarantine entry when its
    file, not read by the scan, cannot be read now."""
    try:
        raw = item.read()
    except OSError as exc:
        return unreadable_entry(item.name, item.sha256, exc), None
    except Rejected as rejected:
        return quarantine_entry(item.name, item.sha256, rejected.reason,
                               rejected.message), None
    outcome = process_one(raw, params)
    stats.extracted += 1
    if cache:
        cache.put(item.sha256, outcome)
    return item, outcome


class _Seen:
    """Which articles are published so far, and what was decided for bytes already seen: the same
    decisions, in the same input order, as `pipeline.runtime.inputs.ingest_folder` (first copy by name wins)."""

    def __init__(self):
        self.by_sha: dict[str, str] = {}
        self.by_main_text: dict[str, str] = {}
        self.rejected: dict[str, tuple[str, str]] = {}

    def entry(self, item: InputFile | QuarantineEntry, outcome) -> QuarantineEntry | None:
        """The quarantine entry of an input, or None when it is published."""
        if isinstance(item, QuarantineEntry):
            return item
        if item.sha256 in self.by_sha:
            reason, message = "duplicate", f"same bytes as {self.by_sha[item.sha256]}"
        elif outcome is None:  # same bytes as an earlier entry that was set aside
            reason, message = self.rejected[item.sha256]
        elif outcome[0] == "rejected":
            reason, message = outcome[1], outcome[2]
        elif outcome[2] in self.by_main_text:
            reason, message = "near_duplicate", near_duplicate_message(self.by_main_text[outcome[2]])
        else:
            self.by_sha[item.sha256] = self.by_main_text[outcome[2]] = item.name
            return None
        if item.sha256 and reason != "duplicate":
            self.rejected[item.sha256] = (reason, message)
        return quarantine_entry(item.name, item.sha256, reason, message)


register(_Seen)


def build(input_dir: Path, out_dir: Path, params: Params, path_prefix: str | None = None, track: Track = no_track,
          *, engine: str = "local", jobs: int | None = 1, scheduler: str | None = None, cache_dir: Path | None = None,
          batch_size: int = BATCH_SIZE, metadata: Mapping[str, Source] | None = None) -> BuildResult:
    """Build and publish `out_dir/<version>/`; raises `ValidationFailed` or `ReleaseExists`.

    Tables are spilled to a temporary folder between steps (memory holds one table at a time)."""
    # Arrow's default pool keeps freed memory for reuse; tables here are made once and dropped, so
    # freed buffers go straight back to the system (peak memory follows the live tables).
    pa.set_memory_pool(pa.system_memory_pool())
    inputs = list_inputs(input_dir, path_prefix)
    workspace = tempfile.TemporaryDirectory(prefix="paradip-build-")
    build_here = build_tables if len(inputs) < FOLD_APART_MIN_INPUTS else build_tables_apart
    with aside_pool(charts.warm_up) if len(inputs) <= EARLY_ASIDE_MAX_INPUTS else nullcontext() as aside:
        tables, stats = build_here(input_dir, params, path_prefix, track, engine=engine, jobs=jobs,
                                   scheduler=scheduler, cache_dir=cache_dir, spill_dir=Path(workspace.name),
                                   batch_size=batch_size, total=len(inputs), metadata=metadata)
        release = publish(tables, out_dir, params.version, params.date, inputs=inputs, aside=aside)
    return BuildResult(release, tables, stats, workspace)
