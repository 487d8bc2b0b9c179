"""Fold checkpoints: what a cached build folded, so that the next build starting with the same entries
resumes after them instead of reading their outcomes and folding them again.

Folding is order-dependent (the first copy of an article wins, ids come from
the first report of an event), so only a prefix of the input can be reused.
A checkpoint holds the key of every entry it folded, in input order (name
and sha256 of a file, or name and reason of an entry set aside on reading),
and a build uses it only when its own first entries have exactly those
keys, under the same extractor version (code, reference data, parameters)
and the same code of every stage (the release's code version digest: a
change to how documents are resolved invalidates it too).
The state it restores is then the state folding those entries again would
give, and the release is byte-identical. An article added with a name that
sorts after every other resumes from the whole corpus; one that sorts first
resumes from nothing.

Layout, under the cache folder:
`folds/<input folder digest>/<code digest>-<entries>-<keys digest>/`
holding `keys.msgpack`, `state.msgpack` (the fold without its rows, written in
parts in the data format of `pipeline.core.codec`: no pickle), one feather file per row table
(`Resolver.finish(keep=...)`, zstd-compressed) and `manifest.json`, the sha256
of every other file, written and synced last. It is written into a hidden
temporary folder and renamed into place once complete; a checkpoint whose
files do not match its manifest is removed with a warning and never used; a checkpoint of the same name already there is the same fold and
stays. A build that resumed and then folded only a few entries saves none
(`pipeline.runtime.build.RESAVE_SHARE`): the next one resumes where it did. Two
checkpoints of an input folder are kept: the newest, and the one its build
resumed from, so that editing the article just added (the newest checkpoint
then no longer matches) still resumes from the corpus before it.
Builds of one input folder may run at once: each holds a shared lock on
`folds/<input folder digest>.lock` while it uses a checkpoint (`in_use`),
and older checkpoints are removed only under the exclusive lock, so never
while another build reads them (they go at a later build instead).
Deleting any of it is safe: the next build folds every entry.
"""
from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # not POSIX: no locks, so run one build of an input folder at a time
    fcntl = None

from pipeline.core import codec
from pipeline.core.codec import CodecError
from pipeline.runtime.cache import warn
from pipeline.runtime.inputs import InputFile
from pipeline.core.provenance import sources_digest
from pipeline.core.staging import remove_stale_staging, staging_folder
from schemas.records import QuarantineEntry

Key = tuple
#: File contents that may be held while checkpoints are compared, to hand the entries back instead of
#: reading the folder again.
REPLAY_BYTES = 64 << 20


def entry_key(item: InputFile | QuarantineEntry) -> Key | None:
    """What identifies an entry's outcome; None when its bytes are unknown (too large to hash)."""
    if isinstance(item, QuarantineEntry):
        return ("set aside", item.file, item.reason, item.message)
    return None if item.sha256 is None else ("file", item.name, item.sha256, item.url, item.listed)


def _keys_digest(keys: list[Key]) -> str:
    return hashlib.sha256(codec.dumps(keys)).hexdigest()


#: the checkpoint format: a folder of keys.msgpack, state.msgpack (`pipeline.core.codec`), the row tables, and a
#: manifest of every file's sha256 written last (a folder without a matching manifest is not a checkpoint)
FORMAT = "paradip-fold-5"
#: items of a container of the fold's state written as one part of state.msgpack
PART_ITEMS = 20_000
MANIFEST = "manifest.json"


def _file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _write_manifest(folder: Path) -> None:
    files = {p.name: _file_sha256(p) for p in sorted(folder.iterdir()) if p.name != MANIFEST}
    for path in folder.iterdir():  # the files reach the disk before the manifest that vouches for them
        with path.open("rb") as fh:
            os.fsync(fh.fileno())
    with (folder / MANIFEST).open("w", encoding="utf-8") as fh:
        json.dump({"format": FORMAT, "files": files}, fh, sort_keys=True)
        fh.flush()
        os.fsync(fh.fileno())


class CheckpointDamaged(Exception):
    """A checkpoint whose files are missing, unreadable or not the bytes its manifest names."""


class Checkpoint:
    """One saved fold (a folder written by `FoldCheckpoints.saving`)."""

    def __init__(self, folder: Path):
        self.folder = folder

    def verify(self) -> None:
        """Raises `CheckpointDamaged` unless every file is there with the sha256 the manifest gives it."""
        try:
            manifest = json.loads((self.folder / MANIFEST).read_text(encoding="utf-8"))
            files = manifest["files"]
            on_disk = {p.name for p in self.folder.iterdir()} - {MANIFEST}
            if manifest.get("format") != FORMAT or set(files) != on_disk:
                raise CheckpointDamaged("files or format differ from the manifest")
            for name, digest in files.items():
                if _file_sha256(self.folder / name) != digest:
                    raise CheckpointDamaged(f"{name} is not the file saved")
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise CheckpointDamaged(f"{type(exc).__name__}: {exc}") from exc

    def keys(self) -> list[Key]:
        return self._load("keys.msgpack")

    def state(self) -> dict:
        try:
            return _merged(codec.load_parts((self.folder / "state.msgpack").read_bytes()))
        except (OSError, CodecError) as exc:
            raise CheckpointDamaged(f"state.msgpack: {exc}") from exc

    def _load(self, name: str):
        try:
            return codec.loads((self.folder / name).read_bytes())
        except (OSError, CodecError) as exc:
            raise CheckpointDamaged(f"{name}: {exc}") from exc


def _parts(state: dict) -> Iterator[list]:
    """The fold's state as [path, value] parts (path: the keys down to a container, the resolver's fields one
    level down), a large container split into parts of `PART_ITEMS` items: writing the state of 100,000
    articles as one value would hold its bytes (hundreds of MB) beside the state itself."""
    for key, value in state.items():
        if key == "resolver":
            for field, inner in value.items():
                yield from _split(["resolver", field], inner)
        else:
            yield from _split([key], value)


def _split(path: list[str], value) -> Iterator[list]:
    kind = type(value)
    if kind not in (dict, list, set) or len(value) <= PART_ITEMS:
        yield [path, value]
        return
    items = iter(value.items() if kind is dict else value)
    while part := list(itertools.islice(items, PART_ITEMS)):
        yield [path, kind(part)]


def _merged(parts: list) -> dict:
    """The state `_parts` split, put together again (a container's parts in the order written)."""
    state: dict = {}
    for part in parts:
        if not (isinstance(part, list) and len(part) == 2 and isinstance(part[0], list) and part[0]
                and all(isinstance(key, str) for key in part[0])):
            raise CodecError("not a part of a fold's state")
        (*parents, last), value = part
        folder = state
        for key in parents:
            folder = folder.setdefault(key, {})
        if last not in folder:
            folder[last] = value
        elif type(folder[last]) is type(value) and isinstance(value, (dict, set)):
            folder[last].update(value)
        elif type(folder[last]) is type(value) is list:
            folder[last].extend(value)
        else:
            raise CodecError(f"parts of {'/'.join(part[0])} do not go together")
    return state


class FoldCheckpoints:
    """The checkpoints of one input folder under one extractor version and one code of every stage."""

    def __init__(self, cache_dir: Path, extractor_version: str, input_dir: Path, path_prefix: str | None):
        where = f"{os.path.abspath(input_dir)}\x1f{path_prefix}"
        self.root = cache_dir / "folds" / hashlib.sha256(where.encode("utf-8", "surrogateescape")).hexdigest()[:24]
        self.version = hashlib.sha256(f"{extractor_version}\x1f{sources_digest()}".encode()).hexdigest()[:24]
        self._lock_path = self.root.parent / f"{self.root.name}.lock"
        self._held = None  # the lock file, open while `in_use`

    @contextlib.contextmanager
    def in_use(self) -> Iterator[None]:
        """Inside, no other build removes a checkpoint of this input folder (a shared lock): hold it from
        `resume` until the tables of the checkpoint resumed from are read."""
        if fcntl is None:
            yield
            return
        self.root.parent.mkdir(parents=True, exist_ok=True)
        with open(self._lock_path, "ab") as lock:
            fcntl.flock(lock, fcntl.LOCK_SH)
            self._held = lock
            try:
                yield
            finally:
                self._held = None

    def saved(self) -> list[Checkpoint]:
        """The complete checkpoints of this extractor version and code."""
        if not self.root.is_dir():
            return []
        return [Checkpoint(p) for p in sorted(self.root.iterdir()) if p.name.startswith(f"{self.version}-")]

    def resume(self, items: Iterator) -> tuple[Checkpoint | None, list[Key], Iterator | None]:
        """(checkpoint, its keys, the entries after them) for the longest checkpoint whose keys the first
        entries of `items` have; entries read past it while longer ones were still compared are handed
        back in order. Without such a checkpoint: (None, [], every entry of `items`), or (None, [], None)
        when handing back would hold more than `REPLAY_BYTES` of file contents (then `items` is spent)."""
        candidates = [(c, keys) for c in self.saved() if (keys := self._usable_keys(c)) is not None]
        best, i, read_past, held = (None, []), 0, [], 0
        while True:
            for checkpoint, keys in candidates:
                if len(keys) == i:
                    best, read_past, held = (checkpoint, keys), [], 0
            candidates = [(c, keys) for c, keys in candidates if len(keys) > i]
            if not candidates:
                break
            item = next(items, None)
            if item is None:
                break
            read_past.append(item)
            held += len(getattr(item, "raw", None) or b"")
            if held > REPLAY_BYTES:
                return best[0], best[1], None if best[0] is None else itertools.chain(read_past, items)
            key = entry_key(item)
            candidates = [(c, keys) for c, keys in candidates if keys[i] == key]
            i += 1
        return best[0], best[1], itertools.chain(read_past, items)

    @contextlib.contextmanager
    def saving(self, snapshot: Callable[[], tuple[list[Key], dict]],
               resumed_from: Checkpoint | None = None) -> Iterator[Path | None]:
        """A folder to write the row tables into; the checkpoint of the fold `snapshot()` gives (its entries'
        keys, its state) is in place once the block ends without an error, and every other one of the input
        folder, except `resumed_from`, is removed. None (with a warning) when the cache folder takes no
        checkpoint (read-only, full). The snapshot is taken when the block starts and not held in it, so the
        state can be freed while the row tables are written (a context manager keeps its arguments)."""
        keys, state = snapshot()
        final = self.root / f"{self.version}-{len(keys)}-{_keys_digest(keys)[:24]}"
        staging = None
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            remove_stale_staging(self.root)
            staging = staging_folder(self.root, final.name)
            (staging / "keys.msgpack").write_bytes(codec.dumps(keys))
            codec.dump_parts(_parts(state), staging / "state.msgpack")
        except OSError as exc:
            unsaved = exc.strerror or str(exc)  # not the exception: its traceback would hold the state
        else:
            unsaved = None
        del keys, state
        try:
            if unsaved is not None:
                warn(f"fold checkpoint not saved in {self.root} ({unsaved}): the next build "
                     "folds again")
                yield None
                return
            yield staging
            try:
                _write_manifest(staging)
                os.rename(staging, final)
            except OSError as exc:
                if not final.is_dir():  # else another build saved this very fold first
                    warn(f"fold checkpoint not saved in {self.root} ({exc.strerror or exc}): the next build "
                         "folds again")
                    return
        finally:
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)
        self._remove_others({final, resumed_from.folder if resumed_from else final})

    def _usable_keys(self, checkpoint: Checkpoint) -> list[Key] | None:
        """The keys of a checkpoint whose files all check out; a damaged one is removed, with a warning."""
        try:
            checkpoint.verify()
            return checkpoint.keys()
        except CheckpointDamaged as exc:
            self.discard(checkpoint, exc)
            return None

    def discard(self, checkpoint: Checkpoint, why: Exception) -> None:
        """Remove a damaged checkpoint, with one warning."""
        warn(f"fold checkpoint {checkpoint.folder} is damaged ({why}): removed, the build folds again")
        shutil.rmtree(checkpoint.folder, ignore_errors=True)

    def _remove_others(self, keep: set[Path]) -> None:
        """Removes the checkpoints not in `keep`, unless another build is using this input folder's."""
        if fcntl is None:
            self._remove(keep)
            return
        with contextlib.ExitStack() as stack:
            lock = self._held or stack.enter_context(open(self._lock_path, "ab"))
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return  # another build may be reading one: a later build removes them
            else:
                self._remove(keep)
            finally:
                if lock is self._held:
                    fcntl.flock(lock, fcntl.LOCK_SH)  # back to shared (or again, if a failed upgrade lost it)

    def _remove(self, keep: set[Path]) -> None:
        for other in self.root.iterdir():
            if other not in keep and not other.name.startswith("."):
                shutil.rmtree(other, ignore_errors=True)
