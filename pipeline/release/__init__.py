"""What a release is made of besides its tables: validation reports, Parquet and JSON Lines writing,
the catalogue (Frictionless, Croissant), the dataset card, charts and figures, loading recipes, the
releases index and diffs. May import `pipeline.core`, `pipeline.resolution` and `schemas`; never extraction."""
