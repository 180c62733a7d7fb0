# The three commands of the README: make setup, make run, make test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
export PREFECT_SERVER_ANALYTICS_ENABLED := false

.PHONY: setup run test test-slow model bench review clean

setup:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	PY=$(PY) bash scripts/install_model.sh
	$(PY) -m pipeline info

run:
	$(PY) -m pipeline extract raw --out processed --sync

test:
	$(PY) -m pytest -q

test-slow:
	$(PY) -m pytest -q -m slow

model:
	$(PY) -m pipeline train-model

bench:
	$(PY) -m bench.run --n $(or $(N),1000)

clean:
	rm -rf processed/* build *.egg-info
