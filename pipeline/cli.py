"""The `paradip` command line: build a release from any folder, re-validate one.

Exit codes: 0 success; 1 validation failed or release conflict; 2 usage error.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyarrow.parquet as pq
import typer

from pipeline.build import build
from pipeline.cache import default_cache_dir
from pipeline.engine import ENGINES
from pipeline.params import load_params
from pipeline.publish import ReleaseExists
from pipeline.validate import ValidationFailed, validate_tables
from schemas.records import TABLE_MODELS

app = typer.Typer(help="paradip: news articles on Vietnamese localities' foreign relations -> a validated dataset.",
                  no_args_is_help=True, add_completion=False)


@app.command("build")
def build_command(
    input: Path = typer.Option(..., "--input", exists=True, file_okay=False, help="Folder of .txt articles."),
    out: Path = typer.Option(..., "--out", help="Dataset folder; the release goes to OUT/<version>/."),
    params_file: Path = typer.Option(Path("params.yaml"), "--params", help="params.yaml with release.version."),
    version: str = typer.Option(None, "--version", help="Override the release version."),
    quiet: bool = typer.Option(False, "--quiet", help="Print nothing on success."),
    jobs: int = typer.Option(None, "--jobs", min=1, help="Worker processes (or local Dask workers); default: all cores."),
    engine: str = typer.Option("local", "--engine", help="Where per-document work runs: local or dask."),
    scheduler: str = typer.Option(None, "--scheduler", help="Dask scheduler address (with --engine dask)."),
    cache_dir: Path = typer.Option(None, "--cache-dir", help="Extraction cache folder [default: ~/.cache/paradip]."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Extract every article, read and write no cache."),
) -> None:
    """Run every stage (ingest, extract, resolve, validate, publish) on INPUT into OUT."""
    if engine not in ENGINES:
        typer.echo(f"--engine must be one of {', '.join(ENGINES)}, not {engine!r}", err=True)
        raise typer.Exit(2)
    params = load_params(params_file)
    if version:
        params = type(params)(**{**params.__dict__, "version": version})
    try:
        result = build(input, out, params, engine=engine, jobs=jobs, scheduler=scheduler,
                       cache_dir=None if no_cache else (cache_dir or default_cache_dir()))
    except ValidationFailed as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1)
    except ReleaseExists as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1)
    if not quiet:
        counts = ", ".join(f"{name} {rows}" for name, rows in result.rows.items())
        typer.echo(f"published {result.release}: {counts}\n{result.stats.summary()}")


@app.command("validate")
def validate_command(
    release: Path = typer.Argument(..., exists=True, file_okay=False, help="A published release folder."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Re-validate a published release: schemas, keys, and the manifest's checksums."""
    tables = {}
    for model in TABLE_MODELS:
        path = release / f"{model.table.name}.parquet"
        tables[model.table.name] = pq.read_table(path).to_pylist() if path.exists() else []
    _, report = validate_tables(tables)
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
    raise typer.Exit(0 if report.ok else 1)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
