"""Foundations every role shares: run parameters, stable ids, spilled Arrow row tables, staging
folders, the side-process pool and the code version. May import nothing of `pipeline` outside `core`."""
