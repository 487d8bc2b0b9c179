"""Build orchestration: the streamed build, worker processes and the Dask engine, the extraction cache,
file hashes, fold checkpoints, progress and the extractor version. May import every other role
(it runs them); nothing but the command line and `quality` imports it."""
