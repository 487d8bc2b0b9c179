"""Where the per-document work runs: in this process, on local worker processes, or on a Dask cluster.

The per-document work (`process_batch`: decode and segment an article's
bytes, extract, and turn the extraction into document-local rows) is pure:
each outcome depends only on the bytes, the code and the parameters, so any
engine gives the same outcomes. `open_engine` yields a function mapping an
iterator of batches to their outcomes in the same order, with at most a few
batches in flight (memory bounded by the batch size, not the corpus).

Outcomes are `("ok", rows, main_text_key)` with `rows` from
`pipeline.docrows.document_rows` (the document record carries a placeholder
source path, since the same bytes may sit at several paths) and the key that
finds near-duplicates (`pipeline.ingest.main_text_key`), or
`("rejected", reason, message)`.
"""
from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager

from pipeline.extract import extract_document
from pipeline.ingest import Rejected, ingest_article, ingest_error_message
from pipeline.params import Params
from pipeline.docrows import document_rows
from pipeline.version import extractor_version

ENGINES = ("local", "dask")
#: Stands in for the source path inside workers; the building process sets the real one.
PLACEHOLDER_PATH = "<input>"

Outcome = tuple


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def process_one(raw: bytes, params: Params) -> Outcome:
    """One article's outcome (see the module docstring)."""
    try:
        doc, main_text_key = ingest_article(raw, PLACEHOLDER_PATH, params)
    except Rejected as rejected:
        return ("rejected", rejected.reason, rejected.message)
    except Exception as exc:  # noqa: BLE001 - as in ingest: one article never stops the build
        return ("rejected", "ingest_error", ingest_error_message(exc))
    try:
        extraction = extract_document(doc)
    except Exception as exc:  # noqa: BLE001 - an extractor bug on one article sets that article aside
        return ("rejected", "ingest_error", ingest_error_message(exc, "extracting"))
    return ("ok", document_rows(doc.document.model_dump(), extraction), main_text_key)


def process_batch(batch: list[bytes], params: Params) -> tuple[str, list[Outcome]]:
    """Outcomes of a batch of articles, with the extractor version of the code that made them."""
    return extractor_version(params), [process_one(raw, params) for raw in batch]


class EngineMismatch(RuntimeError):
    pass


def _ordered(submit: Callable, result: Callable, batches: Iterable[list[bytes]], window: int,
             expected_version: str) -> Iterator[list[Outcome]]:
    pending: deque = deque()

    def take():
        version, outcomes = result(pending.popleft())
        if version != expected_version:
            raise EngineMismatch(f"a worker runs other extraction code or reference data (extractor version "
                                 f"{version[:12]}, here {expected_version[:12]}): install the same paradip "
                                 f"on every worker")
        return outcomes

    for batch in batches:
        pending.append(submit(batch))
        if len(pending) >= window:
            yield take()
    while pending:
        yield take()


@contextmanager
def open_engine(params: Params, engine: str = "local", jobs: int | None = None, scheduler: str | None = None,
                batch_size: int = 1):
    """A function `run(batches) -> outcome lists in order` on the chosen engine.

    local: `jobs` worker processes (default: all cores; 1 runs in this process), started on the first batch
    of `batch_size` articles (shorter batches before it run in this process).
    dask: the cluster at `scheduler` (e.g. `tcp://10.0.0.5:8786`), or a local cluster of `jobs` workers.
    """
    jobs = jobs or default_jobs()
    version = extractor_version(params)
    if engine == "local" and jobs == 1:
        yield lambda batches: _ordered(lambda b: process_batch(b, params), lambda r: r, batches, 1, version)
    elif engine == "local":
        pool: ProcessPoolExecutor | None = None

        def submit(batch: list[bytes]) -> Future:
            nonlocal pool
            if pool is None and len(batch) < batch_size:
                # a short batch before any full one: the few new articles of a cached rebuild are
                # extracted here, quicker than starting workers
                done: Future = Future()
                done.set_result(process_batch(batch, params))
                return done
            if pool is None:  # started on the first full batch, so a rebuild adding a few articles starts none
                context = multiprocessing.get_context("forkserver")
                context.set_forkserver_preload(["pipeline.engine"])
                pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context)
            return pool.submit(process_batch, batch, params)

        try:
            yield lambda batches: _ordered(submit, lambda f: f.result(), batches, 2 * jobs + 2, version)
        finally:
            if pool is not None:
                pool.shutdown()
    elif engine == "dask":
        from distributed import Client, LocalCluster

        cluster = None if scheduler else LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                                                      dashboard_address=None)
        with Client(scheduler or cluster) as client:
            workers = max(1, len(client.scheduler_info().get("workers", {})))
            yield lambda batches: _ordered(lambda b: client.submit(process_batch, b, params, pure=False),
                                           lambda f: f.result(), batches, 2 * workers + 2, version)
        if cluster is not None:
            cluster.close()
    else:
        raise ValueError(f"unknown engine {engine!r}: use one of {ENGINES}")
