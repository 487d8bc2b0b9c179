"""Progress bars for the long stages of `paradip build`, for a person at a terminal.

`progress_tracker(enabled)` yields a `track(items, description, total)`
function: with `enabled` and standard error a terminal it draws a rich
progress bar on standard error; otherwise it hands the items back
untouched, so pipes, CI logs and `--quiet` get no escape codes.
"""
from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

T = TypeVar("T")
Track = Callable[..., Iterable]


def no_track(items: Iterable[T], description: str = "", total: int | None = None) -> Iterable[T]:
    return items


@contextmanager
def progress_tracker(enabled: bool) -> Iterator[Track]:
    if not enabled or not sys.stderr.isatty():
        yield no_track
        return
    columns = (TextColumn("{task.description:<10}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True)) as progress:
        def track(items: Iterable[T], description: str = "", total: int | None = None) -> Iterable[T]:
            return progress.track(items, total=total, description=description)

        yield track
