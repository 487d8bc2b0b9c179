"""Per-document extraction: text primitives, segmentation, dates, the gazetteer of reference data
(`reference/`) and rules (`rules/`), actors, events and agreements, and one document's rows.
May import `pipeline.core` and `schemas` only: never runtime, resolution, release or quality code."""
