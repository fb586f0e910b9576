# Two commands for a fresh machine with Python >= 3.12 and make: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

# The first interpreter that is at least 3.12: the pinned one, then common names, then pyenv's.
PYTHON ?= $(shell for p in python$$(cat .python-version 2>/dev/null) python3.13 python3.12 python3 \
	$$HOME/.pyenv/versions/3.1[2-9]*/bin/python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' \
	2>/dev/null && { command -v $$p; break; }; done)

.PHONY: run test install lint messages migrate demo serve worker clean loadtest loadtest-smoke

$(VENV)/.installed: pyproject.toml constraints.txt
	@test -n "$(PYTHON)" || { echo "Cần Python 3.12 trở lên / Python >= 3.12 is required."; exit 1; }
	@echo "Using $(PYTHON) ($$($(PYTHON) --version))"
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade "pip>=25"
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]"
	touch $@

install: $(VENV)/.installed messages

# Compiled catalogues are build output; Babel compiles them without GNU gettext.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard */locale/*/LC_MESSAGES/*.po))
messages: $(MO_FILES)
%.mo: %.po $(VENV)/.installed
	$(VENV)/bin/pybabel compile --use-fuzzy -i $< -o $@ >/dev/null

migrate: install
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) load_demo_content

run: demo
	$(MANAGE) collectstatic --noinput --verbosity 0
	@echo "Worker and Daphne starting; open http://$(HOST):$(PORT)  (Ctrl+C to stop)"
	@trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) run_worker & worker=$$!; \
	$(PY) -m learning.daphne --ping-interval 55 --ping-timeout 30 -b $(HOST) -p $(PORT) learning.asgi:application

test: install
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# The load test: nginx, Daphne processes, the worker, PostgreSQL and Redis on this machine, and
# the learner suite in distributed Locust (loadtests/harness.py). Needs nginx (apt: nginx-light).
loadtest: install
	$(PY) loadtests/harness.py full

loadtest-smoke: install
	$(PY) loadtests/harness.py smoke

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) var
