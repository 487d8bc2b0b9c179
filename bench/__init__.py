"""Benchmark scripts (`python bench/run.py`) and the synthetic corpus maker they and the scale tests share."""
