"""The `paradip` command line: build a release from any folder, re-validate one, compare two.

Exit codes (also in `paradip --help` and the README):
0 success; 1 validation failed, checksum mismatch or release conflict;
2 usage error (bad option, missing folder, not a release folder);
3 unexpected error (a bug: the traceback is on standard error).
"""
from __future__ import annotations

import hashlib
import json
import sys
import traceback
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import typer

from pipeline.build import build
from pipeline.cache import default_cache_dir
from pipeline.diff import NotARelease, diff_releases, to_markdown
from pipeline.engine import ENGINES
from pipeline.params import load_params
from pipeline.progress import progress_tracker
from pipeline.publish import ReleaseExists
from pipeline.validate import ValidationFailed, validate_tables
from schemas.records import TABLE_MODELS

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3
EXIT_CODES_HELP = ("Exit codes: 0 success; 1 validation failed, checksum mismatch or release conflict; "
                   "2 usage error (bad option, missing folder, not a release folder); "
                   "3 unexpected error (a bug, traceback on stderr).")

app = typer.Typer(help="paradip: news articles on Vietnamese localities' foreign relations -> a validated dataset.",
                  epilog=EXIT_CODES_HELP, no_args_is_help=True, add_completion=False,
                  pretty_exceptions_enable=False)


def _fail(message: str, code: int = EXIT_FAILED) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code)


@app.command("build", epilog=EXIT_CODES_HELP)
def build_command(
    input: Path = typer.Option(..., "--input", exists=True, file_okay=False, help="Folder of .txt articles."),
    out: Path = typer.Option(..., "--out", help="Dataset folder; the release goes to OUT/<version>/."),
    params_file: Path = typer.Option(Path("params.yaml"), "--params", help="params.yaml with release.version."),
    version: str = typer.Option(None, "--version", help="Override the release version."),
    quiet: bool = typer.Option(False, "--quiet", help="No progress bars, and print nothing on success."),
    jobs: int = typer.Option(None, "--jobs", min=1, help="Worker processes (or local Dask workers); default: all cores."),
    engine: str = typer.Option("local", "--engine", help="Where per-document work runs: local or dask."),
    scheduler: str = typer.Option(None, "--scheduler", help="Dask scheduler address (with --engine dask)."),
    cache_dir: Path = typer.Option(None, "--cache-dir", help="Extraction cache folder [default: ~/.cache/paradip]."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Extract every article, read and write no cache."),
) -> None:
    """Run every stage (ingest, extract, resolve, validate, publish) on INPUT into OUT."""
    if engine not in ENGINES:
        raise _fail(f"--engine must be one of {', '.join(ENGINES)}, not {engine!r}", EXIT_USAGE)
    try:
        params = load_params(params_file)
    except ValueError as exc:
        raise _fail(str(exc), EXIT_USAGE)
    if version:
        params = type(params)(**{**params.__dict__, "version": version})
    try:
        with progress_tracker(enabled=not quiet) as track:
            result = build(input, out, params, track=track, engine=engine, jobs=jobs, scheduler=scheduler,
                           cache_dir=None if no_cache else (cache_dir or default_cache_dir()))
    except (ValidationFailed, ReleaseExists) as exc:
        raise _fail(str(exc))
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
    manifest_path = release / "manifest.json"
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        for name, info in manifest["files"].items():
            path = release / name
            actual = hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None
            if actual != info["sha256"]:
                report.failures.append({"table": name, "column": "(file)", "check": "manifest_sha256",
                                        "row": None, "value": actual})
    else:
        report.failures.append({"table": "manifest.json", "column": "(file)", "check": "exists", "row": None,
                                "value": None})
    typer.echo(report.to_json() if as_json else report.summary())
    raise typer.Exit(EXIT_OK if report.ok else EXIT_FAILED)


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


def main() -> None:
    try:
        app()
    except Exception:  # typer has already turned usage errors and typer.Exit into exit codes
        traceback.print_exc()
        sys.exit(EXIT_BUG)


if __name__ == "__main__":
    main()
