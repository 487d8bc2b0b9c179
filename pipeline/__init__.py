"""paradip's pipeline: one module per DVC stage (ingest, extract, resolve, validate, publish)
plus the rules they share (text, dates, segment, gazetteer, actors, events)."""
