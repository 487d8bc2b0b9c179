"""Where the per-document work runs: in this process, on local worker processes, or on a Dask cluster.

The per-document work is pure and comes in two steps, so that an article
whose main text an earlier article already has is never extracted:
`ingest_one` decodes and segments an article's bytes and gives the key that
finds near-duplicates (`pipeline.extraction.reading.main_text_key`); `extract_one`
extracts an ingested article and turns the extraction into document-local
rows. Each outcome depends only on the bytes, the code and the parameters,
so any engine gives the same outcomes. `open_engine` yields an `Engine`
that runs tasks (a step over a batch of articles) and hands back their
outcomes; the caller keeps a few tasks in flight (memory bounded by the
batch size, not the corpus).

Outcomes:
- `("ingested", document, main_text_key)`: ingested, not yet extracted;
- `("ok", rows, main_text_key)` with `rows` from `pipeline.extraction.docrows.document_rows`
  (the document record carries a placeholder source path, since the same
  bytes may sit at several paths);
- `("rejected", reason, message)`.
"""
from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

from pipeline.extraction.document import extract_document
from pipeline.extraction.reading import IngestedDocument, Rejected, ingest_article
from pipeline.runtime.inputs import ingest_error_message
from pipeline.core.params import Params
from pipeline.extraction.docrows import document_rows
from pipeline.runtime.version import extractor_version

ENGINES = ("local", "dask")
#: Stands in for the source path inside workers; the building process sets the real one.
PLACEHOLDER_PATH = "<input>"

Outcome = tuple
#: ("ingest", [article bytes]) or ("extract", [(ingested document, main text key)])
Task = tuple[str, list]


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def ingest_one(raw: bytes, params: Params) -> Outcome:
    """One article decoded and segmented: `("ingested", document, key)` or `("rejected", ...)`."""
    try:
        doc, main_text_key = ingest_article(raw, PLACEHOLDER_PATH, params)
    except Rejected as rejected:
        return ("rejected", rejected.reason, rejected.message)
    except Exception as exc:  # noqa: BLE001 - as in ingest: one article never stops the build
        return ("rejected", "ingest_error", ingest_error_message(exc))
    return ("ingested", doc, main_text_key)


def extract_one(doc: IngestedDocument, main_text_key: str) -> Outcome:
    """One ingested article's rows: `("ok", rows, key)`, or `("rejected", ...)` on an extractor error."""
    try:
        extraction = extract_document(doc)
    except Exception as exc:  # noqa: BLE001 - an extractor bug on one article sets that article aside
        return ("rejected", "ingest_error", ingest_error_message(exc, "extracting"))
    return ("ok", document_rows(doc.document.model_dump(), extraction), main_text_key)


def process_one(raw: bytes, params: Params) -> Outcome:
    """One article's final outcome (`ok` or `rejected`), both steps here."""
    outcome = ingest_one(raw, params)
    return extract_one(outcome[1], outcome[2]) if outcome[0] == "ingested" else outcome


def run_task(task: Task, params: Params) -> tuple[str, list[Outcome]]:
    """Outcomes of a task's articles, with the extractor version of the code that made them."""
    step, items = task
    if step == "ingest":
        outcomes = [ingest_one(raw, params) for raw in items]
    else:
        outcomes = [extract_one(doc, key) for doc, key in items]
    return extractor_version(params), outcomes


class EngineMismatch(RuntimeError):
    pass


class _Done:
    """A task run in this process: its result, already there."""

    def __init__(self, value):
        self.value = value

    def result(self):
        return self.value


@dataclass
class Engine:
    """Runs tasks where the engine's workers are; `window` tasks in flight keep every worker busy."""

    submit: Callable[[Task], object]  # -> a handle with `.result()`
    window: int
    version: str

    def outcomes(self, handle) -> list[Outcome]:
        """The outcomes of a submitted task (waits for them); raises `EngineMismatch` when the worker
        runs other extraction code or reference data."""
        version, outcomes = handle.result()
        if version != self.version:
            raise EngineMismatch(f"a worker runs other extraction code or reference data (extractor version "
                                 f"{version[:12]}, here {self.version[:12]}): install the same paradip "
                                 f"on every worker")
        return outcomes


@contextmanager
def open_engine(params: Params, engine: str = "local", jobs: int | None = None, scheduler: str | None = None,
                batch_size: int = 1):
    """An `Engine` on the chosen engine.

    local: `jobs` worker processes (default: all cores; 1 runs in this process), started on the first task
    of `batch_size` articles (shorter tasks before it run in this process).
    dask: the cluster at `scheduler` (e.g. `tcp://10.0.0.5:8786`), or a local cluster of `jobs` workers.
    """
    jobs = jobs or default_jobs()
    version = extractor_version(params)
    if engine == "local" and jobs == 1:
        yield Engine(lambda task: _Done(run_task(task, params)), 1, version)
    elif engine == "local":
        from pipeline.core.aside import main_script_hidden  # the building process's side only, not the workers'

        pool: ProcessPoolExecutor | None = None

        def submit(task: Task):
            nonlocal pool
            if pool is None and len(task[1]) < batch_size:
                # a short task before any full one: the few new articles of a cached rebuild are
                # processed here, quicker than starting workers
                return _Done(run_task(task, params))
            if pool is None:  # started on the first full task, so a rebuild adding a few articles starts none
                context = multiprocessing.get_context("forkserver")
                context.set_forkserver_preload(["pipeline.runtime.engine"])
                pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context)
            with main_script_hidden():  # a worker started here does not import the whole command line again
                return pool.submit(run_task, task, params)

        try:
            yield Engine(submit, 2 * jobs + 2, version)
        finally:
            if pool is not None:
                pool.shutdown()
    elif engine == "dask":
        from distributed import Client, LocalCluster

        cluster = None if scheduler else LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                                                      dashboard_address=None)
        with Client(scheduler or cluster) as client:
            workers = max(1, len(client.scheduler_info().get("workers", {})))
            yield Engine(lambda task: client.submit(run_task, task, params, pure=False), 2 * workers + 2, version)
        if cluster is not None:
            cluster.close()
    else:
        raise ValueError(f"unknown engine {engine!r}: use one of {ENGINES}")
