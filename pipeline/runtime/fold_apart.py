"""A large build's extraction and fold in a process of its own, so its memory is gone before publishing.

The fold's cross-document state (every actor key, event cluster and interned string: about 700 MB at
100,000 distinct articles) is freed once the tables are finished, but the interpreter cannot hand that
memory back to the system while a few small objects still sit in its arenas, so in the building process
it would stay under validation, writing and the charts. `build_tables_apart` runs
`pipeline.runtime.build.build_tables` in a spawned child that writes the tables made from that state to
the spill folder, and the rows added document by document (mentions, sources: the largest tables) unsorted
beside them, and exits; the building process then sorts those (`finish_unsorted`) and reads every table
back from there, one at a time. Same arguments, same tables, same bytes: only where the memory lives
changes.

The child reports how many entries it folded (for the progress bar), then its tables' row counts and
the build's statistics, or the exception that stopped it. It exits when the building process is gone
(`pipeline.core.aside.exit_with`), and the building process stops it on any exception of its own (Ctrl-C).
"""
from __future__ import annotations

import itertools
import multiprocessing
import os
from collections.abc import Iterator
from pathlib import Path

from pipeline.core.aside import exit_with, main_script_hidden
from pipeline.core.spill import SpilledTables
from pipeline.resolution.resolver import finish_unsorted
from pipeline.runtime.progress import Track, no_track

#: Entries folded between two progress messages of the child.
PROGRESS_EVERY = 256


class FoldProcessDied(RuntimeError):
    """The fold's process ended without a result (killed, or out of memory)."""


def build_tables_apart(input_dir: Path, params, path_prefix: str | None = None, track: Track = no_track, *,
                       spill_dir: Path, total: int | None = None, **options):
    """`build_tables(input_dir, params, path_prefix, spill_dir=spill_dir, total=total, **options)` run in a
    child process: (the tables as a `SpilledTables` of `spill_dir`, the build's statistics)."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_fold, name="paradip-fold",
                            args=(sender, os.getpid(), input_dir, params, path_prefix, spill_dir, total, options))
    with main_script_hidden():  # the child imports the build, not the whole command line
        child.start()
    sender.close()
    last: list[tuple[str, object]] = []
    try:
        for _ in track(_progress(receiver, child, last), "build", total):
            pass
    except BaseException:
        child.terminate()
        child.join()
        raise
    child.join()
    kind, value = last[0]
    if kind == "error":
        raise value
    rows, unsorted, stats = value
    tables = SpilledTables(spill_dir)
    tables.rows.update(rows)
    tables.unsorted.extend(unsorted)
    for name in unsorted:
        finish_unsorted(tables, name)
    return tables, stats


def _progress(receiver, child, last: list) -> Iterator[None]:
    """One item per entry the child folded, as its messages arrive; its last message goes to `last`."""
    while True:
        try:
            kind, value = receiver.recv()
        except EOFError:
            child.join()
            raise FoldProcessDied(f"the build's fold process ended without a result (exit code {child.exitcode};"
                                  f" a negative code is the signal that stopped it, -9 often the system being "
                                  f"out of memory)") from None
        if kind != "folded":
            last.append((kind, value))
            return
        yield from itertools.repeat(None, value)


def _fold(sender, parent: int, input_dir: Path, params, path_prefix, spill_dir: Path, total, options) -> None:
    """The child: build the tables into `spill_dir`, say how far it got and how it ended."""
    exit_with(parent)
    import pyarrow as pa

    from pipeline.runtime.build import build_tables

    pa.set_memory_pool(pa.system_memory_pool())  # as in the building process (`pipeline.runtime.build.build`)

    def track(items, description: str = "", total: int | None = None):
        count = 0
        for item in items:
            yield item
            count += 1
            if count == PROGRESS_EVERY:
                sender.send(("folded", count))
                count = 0
        sender.send(("folded", count))

    try:
        tables, stats = build_tables(input_dir, params, path_prefix, track, spill_dir=spill_dir, total=total,
                                     sort_rows=False, **options)
        sender.send(("done", (dict(tables.rows), list(tables.unsorted), stats)))
    except BaseException as exc:  # noqa: BLE001 - handed to the building process, which raises it
        try:
            sender.send(("error", exc))
        except Exception:  # noqa: BLE001 - an exception that does not pickle
            sender.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
    finally:
        sender.close()
