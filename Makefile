# Two entry points: `make dataset` builds the release through DVC, `make test` runs the tests.
# Each creates .venv and installs the project when needed.
PY := .venv/bin/python
export DVC_NO_ANALYTICS := 1
export PATH := $(CURDIR)/.venv/bin:$(PATH)

.venv/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

.PHONY: install dataset test clean
install: .venv/.installed

dataset: .venv/.installed
	.venv/bin/dvc repro

test: .venv/.installed
	.venv/bin/paradip validate dataset/$$($(PY) -c 'from pipeline.core.params import load_params; print(load_params().version)')
	$(PY) -m pytest -q

clean:
	rm -rf build .venv
