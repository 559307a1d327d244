# Two commands set everything up on a fresh machine (Python 3.11+ and make):
#   make run    create .venv, install, migrate SQLite, load demo data, serve on :8000
#   make test   create .venv if needed and run the whole test suite
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# Local runs and tests use development settings unless the environment says otherwise.
run test mypy: export DEBUG ?= True

.PHONY: venv run test lint mypy bench worker beat clean

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

run: venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo "Serving the CTPAT Portal at http://$(HOST):$(PORT)/ (Ctrl-C stops it)"
	$(PY) manage.py runserver --noreload $(HOST):$(PORT)

test: venv
	$(PY) -m pytest $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The typed layer: every app's services (writes), selectors (reads) and permissions (rules).
mypy: venv
	$(VENV)/bin/mypy */services.py */selectors.py */permissions.py

worker: venv
	$(VENV)/bin/celery -A ctpat worker --loglevel=INFO

beat: venv
	$(VENV)/bin/celery -A ctpat beat --loglevel=INFO

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache artifacts

# Seeds a large data set into PostgreSQL (BENCH_DATABASE_URL) and prints the figures
# the issues name; the same figures go to bench/results/*.json.
bench: venv
	$(PY) bench/run.py
