# Two commands for a fresh machine: `make run` (set up and run the default scenario) and
# `make test` (set up and run the tests). Everything installs into .venv from pinned versions.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: install run test test-fast bench dashboard lint clean install-ray

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

# The whole bench, the 1,000 county-year sweep included (ARGS="--only sweep" for that alone).
bench: install
	$(PY) -m sim.bench $(ARGS)

dashboard: install
	$(VENV)/bin/solara run sim/dashboard/app.py --host 127.0.0.1 --port 8765 --no-open --production

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
