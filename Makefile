# `make dataset` builds the release through DVC, `make test` runs the tests; each creates .venv and
# installs the project when needed. `make rebuild` forces every stage, `make evaluate` scores every gold set.
SHELL := /bin/bash
PY := .venv/bin/python
VERSION = $$($(PY) -c 'from pipeline.core.params import load_params; print(load_params().version)')
export DVC_NO_ANALYTICS := 1
export PATH := $(CURDIR)/.venv/bin:$(PATH)

.venv/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

.PHONY: install dataset rebuild test evaluate clean
install: .venv/.installed

# DVC ends every repro with a hint to `dvc push`; this project has no DVC remote (the release is committed).
dataset: .venv/.installed
	set -o pipefail; .venv/bin/dvc repro 2>&1 | sed '/dvc push/d'
	@echo "release: dataset/$(VERSION)/ (commit dataset/ and dvc.lock to share it)"

rebuild: .venv/.installed
	set -o pipefail; .venv/bin/dvc repro -f 2>&1 | sed '/dvc push/d'
	@echo "release: dataset/$(VERSION)/ (git diff --exit-code -- dataset dvc.lock shows it rebuilt byte for byte)"

test: .venv/.installed
	.venv/bin/paradip validate dataset/$(VERSION)
	$(PY) -m pytest -q

evaluate: .venv/.installed
	$(PY) -m pipeline.quality.sets

clean:
	rm -rf build .venv
