"""paradip's pipeline. The five DVC stages are the thin modules at the top (`python -m pipeline.<stage>`:
ingest, extract, resolve, validate, publish; `cli` is the `paradip` command); the work is done by
role subpackages beneath them: `core`, `extraction`, `resolution`, `release`, `runtime`, `quality`."""
