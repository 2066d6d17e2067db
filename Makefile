# Two commands for a fresh machine: `make run` (set up and run the default scenario) and
# `make test` (set up and run the tests). Everything installs into .venv from pinned versions.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PORT   ?= 8765

.PHONY: install run test test-fast test-slow bench dashboard lint clean install-ray assumptions

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

run: install
	$(PY) -m sim $(ARGS)

test: install
	$(PY) -m pytest -q $(ARGS)

test-fast: install
	$(PY) -m pytest -q -m "not slow and not browser" $(ARGS)

# Every test but the browser's, with the larger fuzzing budget (1,000 new Hypothesis examples).
test-slow: install
	FUZZ_EXAMPLES=1000 FUZZ_RANDOM=1 $(PY) -m pytest -q -m "not browser" $(ARGS)

# Regenerate docs/ASSUMPTIONS.md from the declarations in sim/config.py.
assumptions: install
	$(PY) -m sim.analysis.assumptions

# The whole bench, the 1,000 county-year sweep included (ARGS="--only sweep" for that alone).
bench: install
	$(PY) -m sim.bench $(ARGS)

dashboard: install
	$(PY) -m sim.dashboard --port $(PORT)

lint: install
	$(VENV)/bin/ruff check sim tests

# Ray's Hydra launcher pins cloudpickle<3 and would downgrade joblib, cloudpickle and
# python-dateutil in .venv: it gets an environment of its own, .venv-ray (the project and its
# pins, plus the launcher). Run Ray sweeps with .venv-ray/bin/python -m sim -m hydra/launcher=ray
RAY_VENV := .venv-ray
install-ray:
	test -x $(RAY_VENV)/bin/python || $(PYTHON) -m venv $(RAY_VENV)
	$(RAY_VENV)/bin/python -m pip install -q --upgrade pip
	$(RAY_VENV)/bin/python -m pip install -q -e '.[ray]'

clean:
	rm -rf outputs multirun .pytest_cache
