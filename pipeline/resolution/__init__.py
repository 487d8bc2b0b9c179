"""Corpus-level resolution: folds per-document rows into the release tables (one actor per entity,
one event per happening, one agreement per arrangement). May import `pipeline.core`,
`pipeline.extraction` (document types, text folding) and `schemas`; never runtime, release or quality."""
