"""The `paradip` command line: build a release from any folder, re-validate one, compare two, score one.

Exit codes (also in `paradip --help` and the README):
0 success (for `diff` also when the releases differ, for `evaluate` whatever the scores);
1 validation failed, checksum mismatch or release conflict;
2 usage error (bad option, missing folder, not a release folder, a malformed gold file);
3 unexpected error (a bug: the traceback is on standard error).
`evaluate` exits 2 when none of the gold's articles is in the release, and warns on standard error
(also with --quiet) when some are not.
"""
from __future__ import annotations

import errno
import hashlib
import json
import os
import sys
import traceback
from dataclasses import replace
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import typer

from pipeline.runtime.build import build
from pipeline.runtime.cache import default_cache_dir
from pipeline.release.diff import NotARelease, diff_releases, to_markdown
from pipeline.runtime.engine import ENGINES
from pipeline.quality.evaluate import evaluate_input, evaluate_release, report_lines
from pipeline.quality.gold import GoldError
from pipeline.core.params import PARAMS_FILE, Params, load_params
from pipeline.runtime.progress import progress_tracker
from pipeline.runtime.inputs import MetadataError, read_metadata
from pipeline.runtime.warc import is_archive
from pipeline.release.publishing import ReleaseExists
from pipeline.release.explore import datasette_metadata
from pipeline.release.sqlite import export_sqlite
from pipeline.release.validation import ValidationFailed, validate_tables
from schemas.records import TABLE_MODELS

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_BUG, EXIT_DISK = 0, 1, 2, 3, 4
EXIT_CODES_HELP = ("Exit codes: 0 success (evaluate: scored, whatever the scores); "
                   "1 validation failed, checksum mismatch or release conflict; "
                   "2 usage error (bad option, missing folder, not a release folder, malformed gold file); "
                   "3 unexpected error (a bug, traceback on stderr); "
                   "4 the disk refused a write (no space left, read-only or not permitted): nothing published.")
#: what the operating system says when the disk, not the build, is at fault
DISK_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EFBIG, errno.EXDEV}

app = typer.Typer(help="paradip: news articles on Vietnamese localities' foreign relations -> a validated dataset.",
                  epilog=EXIT_CODES_HELP, no_args_is_help=True, add_completion=False,
                  pretty_exceptions_enable=False, rich_markup_mode=None,
                  context_settings={"max_content_width": 120})


def _fail(message: str, code: int = EXIT_FAILED) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code)


def _build_params(params_file: Path, version: str | None) -> Params:
    """The build's parameters; outside a project (no params.yaml), says which version and date it uses."""
    if not params_file.is_file() and params_file != PARAMS_FILE:
        raise _fail(f"build: --params {params_file}: no such file", EXIT_USAGE)
    try:
        params = load_params(params_file)
    except ValueError as exc:
        raise _fail(str(exc), EXIT_USAGE)
    if version:
        params = replace(params, version=version)
    if not params_file.is_file():
        typer.echo(f"build: no {PARAMS_FILE} in {Path.cwd()}, so release {params.version} "
                   f"({'--version' if version else 'the default; set it with --version'}) with no release date "
                   f"(set release.date in a params.yaml given with --params)", err=True)
    return params


@app.command("build", epilog=EXIT_CODES_HELP)
def build_command(
    input: Path = typer.Option(..., "--input", exists=True,
                               help="Folder of articles (.txt, .html, .warc, .warc.gz files), or one WARC archive."),
    out: Path = typer.Option(..., "--out", help="Dataset folder; the release goes to OUT/<version>/."),
    params_file: Path = typer.Option(Path("params.yaml"), "--params", help="params.yaml with release.version."),
    version: str = typer.Option(None, "--version", help="Override the release version."),
    quiet: bool = typer.Option(False, "--quiet", help="No progress bars, and print nothing on success."),
    jobs: int = typer.Option(None, "--jobs", min=1, help="Worker processes (or local Dask workers); default: all cores."),
    engine: str = typer.Option("local", "--engine", help="Where per-document work runs: local or dask."),
    scheduler: str = typer.Option(None, "--scheduler", help="Dask scheduler address (with --engine dask)."),
    cache_dir: Path = typer.Option(None, "--cache-dir", help="Extraction cache folder [default: ~/.cache/paradip]."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Extract every article, read and write no cache."),
    metadata_file: Path = typer.Option(None, "--metadata", exists=True, dir_okay=False,
                                       help="CSV (or .tsv) with a header: file, url and/or site (or outlet): "
                                            "the address and site of files of INPUT, by file name."),
) -> None:
    """Run every stage (ingest, extract, resolve, validate, publish) on INPUT into OUT."""
    if input.is_file() and not is_archive(input.name):
        raise _fail(f"build: {input}: --input takes a folder or a WARC archive (.warc, .warc.gz)", EXIT_USAGE)
    if engine not in ENGINES:
        raise _fail(f"--engine must be one of {', '.join(ENGINES)}, not {engine!r}", EXIT_USAGE)
    params = _build_params(params_file, version)
    try:
        metadata = read_metadata(metadata_file) if metadata_file else None
    except MetadataError as exc:
        raise _fail(f"build: {exc}", EXIT_USAGE)
    try:
        with progress_tracker(enabled=not quiet) as track:
            result = build(input, out, params, track=track, engine=engine, jobs=jobs, scheduler=scheduler,
                           cache_dir=None if no_cache else (cache_dir or default_cache_dir()), metadata=metadata)
    except (ValidationFailed, ReleaseExists) as exc:
        raise _fail(str(exc))
    except OSError as exc:
        if exc.errno not in DISK_ERRNOS:
            raise
        where = exc.filename or out
        raise _fail(f"build: {where}: {os.strerror(exc.errno).lower()}; nothing was published, "
                    f"the releases already in {out} are unchanged", EXIT_DISK)
    except ValueError as exc:  # a release version that is not X.Y.Z
        raise _fail(str(exc), EXIT_USAGE)
    if not quiet:
        counts = ", ".join(f"{name} {rows}" for name, rows in result.rows.items())
        typer.echo(f"published {result.release}: {counts}\n{result.stats.summary()}")


@app.command("validate", epilog=EXIT_CODES_HELP)
def validate_command(
    release: Path = typer.Argument(..., exists=True, file_okay=False, help="A published release folder."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Re-validate a published release: schemas, keys, and the manifest's checksums."""
    manifest_path = release / "manifest.json"
    if not manifest_path.is_file():
        raise _fail(f"validate: {release}: no manifest.json, so this is not a paradip release folder", EXIT_USAGE)
    tables, unreadable = {}, []
    for model in TABLE_MODELS:
        path = release / f"{model.table.name}.parquet"
        try:
            tables[model.table.name] = pq.read_table(path).to_pylist() if path.exists() else []
        except (pa.ArrowException, OSError) as exc:
            tables[model.table.name] = []
            unreadable.append({"table": path.name, "column": "(file)", "check": "readable_parquet", "row": None,
                               "value": str(exc)})
    _, report = validate_tables(tables)
    report.failures.extend(unreadable)
    try:
        manifest_files = json.loads(manifest_path.read_text(encoding="utf-8"))["files"].items()
    except (ValueError, KeyError, AttributeError) as exc:
        manifest_files = []
        report.failures.append({"table": "manifest.json", "column": "(file)", "check": "readable_manifest",
                                "row": None, "value": f"{type(exc).__name__}: {exc}"})
    for name, info in manifest_files:
        path = release / name
        actual = hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None
        if actual != info["sha256"]:
            report.failures.append({"table": name, "column": "(file)", "check": "manifest_sha256",
                                    "row": None, "value": actual})
    typer.echo(report.to_json() if as_json else report.summary())
    raise typer.Exit(EXIT_OK if report.ok else EXIT_FAILED)


export_app = typer.Typer(help="Write a release in another format.", no_args_is_help=True)
app.add_typer(export_app, name="export")


@export_app.command("sqlite", epilog=EXIT_CODES_HELP)
def export_sqlite_command(
    release: Path = typer.Argument(..., help="A release folder (dataset/<version>)."),
    database: Path = typer.Argument(..., help="The SQLite file to write."),
) -> None:
    """Every table of RELEASE in one SQLite file: keys, indexes and full-text search (FTS5)."""
    if not (release / "manifest.json").is_file():
        raise _fail(f"export: {release}: no manifest.json, so this is not a paradip release folder", EXIT_USAGE)
    rows = export_sqlite(release, database)
    typer.echo(f"wrote {database}: " + ", ".join(f"{name} {n}" for name, n in rows.items()))


@app.command("serve", epilog=EXIT_CODES_HELP)
def serve_command(
    release: Path = typer.Argument(..., help="A release folder (dataset/<version>)."),
    port: int = typer.Option(8001, "--port", help="Port on 127.0.0.1."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (default: this machine only)."),
) -> None:
    """Browse RELEASE in Datasette (read-only): facets, full-text search, canned queries, a map of places.
    Needs the `explore` extra: pip install -e '.[explore]'."""
    import importlib.util
    import signal
    import subprocess
    import tempfile

    if not (release / "manifest.json").is_file():
        raise _fail(f"serve: {release}: no manifest.json, so this is not a paradip release folder", EXIT_USAGE)
    if importlib.util.find_spec("datasette") is None:
        raise _fail("serve: Datasette is not installed: pip install -e '.[explore]'", EXIT_USAGE)
    version = json.loads((release / "manifest.json").read_text(encoding="utf-8"))["version"]
    with tempfile.TemporaryDirectory(prefix="paradip-serve-") as tmp:
        database = Path(tmp) / "paradip.db"
        export_sqlite(release, database)
        metadata = Path(tmp) / "metadata.json"
        metadata.write_text(json.dumps(datasette_metadata(version), ensure_ascii=False), encoding="utf-8")
        command = [sys.executable, "-m", "datasette", "serve", "--immutable", str(database), "--metadata",
                   str(metadata), "--host", host, "--port", str(port), "--setting", "default_page_size", "50"]
        typer.echo(f"serving {release} at http://{host}:{port}/paradip (Ctrl-C stops)", err=True)
        server = subprocess.Popen(command)

        def stop(signum, frame):
            raise KeyboardInterrupt  # a process manager's SIGTERM stops it as Ctrl-C does

        previous = signal.signal(signal.SIGTERM, stop)
        try:
            code = server.wait()
        except KeyboardInterrupt:
            code = EXIT_OK
        finally:
            signal.signal(signal.SIGTERM, previous)
            _stop_process(server)  # never left serving without us, nor holding the database we remove
        raise typer.Exit(code)


def _stop_process(process, grace: float = 10.0) -> None:
    """Terminate `process` if it still runs, and kill it after `grace` seconds."""
    import subprocess

    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@app.command("diff", epilog=EXIT_CODES_HELP)
def diff_command(
    old: Path = typer.Argument(..., exists=True, file_okay=False, help="The older release folder."),
    new: Path = typer.Argument(..., exists=True, file_okay=False, help="The newer release folder."),
    as_json: bool = typer.Option(False, "--json", help="Print the diff as JSON."),
) -> None:
    """List the actors, events and agreements added, removed and changed from OLD to NEW, with changed fields.

    Differences are not an error: the exit code is 0 whenever both folders are releases."""
    try:
        diff = diff_releases(old, new)
    except NotARelease as exc:
        raise _fail(str(exc), EXIT_USAGE)
    if as_json:
        typer.echo(json.dumps(diff, indent=2, ensure_ascii=False))
    else:
        typer.echo(f"# {diff['old']['version']} -> {diff['new']['version']}\n")
        typer.echo(to_markdown(diff, limit=sys.maxsize, heading="##"), nl=False)


@app.command("evaluate", epilog=EXIT_CODES_HELP)
def evaluate_command(
    gold: Path = typer.Option(..., "--gold", exists=True, file_okay=False,
                              help="Folder of gold *.yaml annotations (format: README, 'Measuring the extractor')."),
    input: Path = typer.Option(None, "--input", exists=True, file_okay=False, help="Folder of articles to build."),
    dataset: Path = typer.Option(None, "--dataset", exists=True, file_okay=False,
                                 help="A published release to score instead of building --input."),
    out: Path = typer.Option(None, "--out", help="Keep the release built from --input in OUT/<version>/ "
                                                  "(default: a temporary folder)."),
    params_file: Path = typer.Option(Path("params.yaml"), "--params", help="params.yaml for the build."),
    as_json: bool = typer.Option(False, "--json", help="Print the whole result as JSON."),
    quiet: bool = typer.Option(False, "--quiet", help="Print only the summary line."),
    doc: str = typer.Option(None, "--doc", help="Details only for gold documents whose file name contains DOC."),
) -> None:
    """Score the extractor against gold annotations, with the metrics of the project's score.py.

    Builds INPUT (or takes the release DATASET), then prints per document the missed and spurious actors,
    events and agreements, the events and agreements found with another type or a wrong date or status,
    and finally score.py's summary line. Low scores are not an error: the exit code is 0 once scored."""
    if (input is None) == (dataset is None) or (out is not None and input is None):
        raise _fail("evaluate: give either --input DIR [--out DIR] or --dataset RELEASE", EXIT_USAGE)
    try:
        params = load_params(params_file)
        with progress_tracker(enabled=not (quiet or as_json)) as track:
            report = evaluate_input(gold, input, params, out, track) if input else evaluate_release(gold, dataset)
    except (ValidationFailed, ReleaseExists) as exc:
        raise _fail(str(exc))
    except (GoldError, NotARelease, ValueError) as exc:
        raise _fail(str(exc), EXIT_USAGE)
    missing = report.missing_documents
    if missing and len(missing) == len(report.documents):
        raise _fail(f"evaluate: none of the {len(missing)} gold articles of {gold} is in the release "
                    f"{dataset or 'built from ' + str(input)} (gold `doc:` names are matched to the release's "
                    "file names)", EXIT_USAGE)
    if missing:
        typer.echo(f"evaluate: warning: {len(missing)} of {len(report.documents)} gold articles are not in the "
                   f"release and count as missed: {', '.join(missing)}", err=True)
    if doc is not None:
        report = report.select(doc)
        if not report.documents:
            raise _fail(f"evaluate: no gold document's file name contains {doc!r}", EXIT_USAGE)
    if as_json:
        typer.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        typer.echo("\n".join([report.summary_line()] if quiet else report_lines(report)))


def main() -> None:
    try:
        app()
    except Exception:  # typer has already turned usage errors and typer.Exit into exit codes
        traceback.print_exc()
        sys.exit(EXIT_BUG)


if __name__ == "__main__":
    main()
