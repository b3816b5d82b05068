# The two commands of the README: `make demo` and `make test`. Everything else supports them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py

.PHONY: demo serve test venv venv-test frontend system-deps messages lint check-deploy test-sqlite test-postgres clean

$(VENV)/.runtime: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.test: $(VENV)/.runtime pyproject.toml
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

venv: $(VENV)/.runtime frontend
venv-test: $(VENV)/.test frontend

# The NL Design System's CSS components, design tokens and font, pinned in package-lock.json.
node_modules/.installed: package.json package-lock.json
	@scripts/system-deps nodejs
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

frontend: node_modules/.installed

system-deps:
	@scripts/system-deps

messages:
	$(MANAGE) compilemessages --ignore '.venv/*' --ignore 'node_modules/*' -v 0

demo: venv
	@scripts/system-deps gettext libpangoft2-1.0-0 fonts-dejavu-core
	$(MAKE) --no-print-directory messages
	DEMO=1 $(MANAGE) migrate --no-input -v 0
	DEMO=1 $(MANAGE) load_demo
	@echo "Netwerkregie (demo) at http://127.0.0.1:8000/  — stop with Ctrl+C"
	DEMO=1 $(MANAGE) runserver 127.0.0.1:8000 --noreload

# Production settings, gunicorn and the scheduler on PostgreSQL (DATABASE_URL and the secrets from the
# environment or .env); see README, "Production".
serve: venv
	@scripts/system-deps gettext libpangoft2-1.0-0 fonts-dejavu-core
	$(MAKE) --no-print-directory messages
	scripts/serve

lint: venv-test
	$(VENV)/bin/ruff check .
	$(MANAGE) makemigrations --check --dry-run -v 1

check-deploy: venv
	scripts/check-deploy

test-sqlite: venv-test messages
	$(VENV)/bin/pytest -p no:cacheprovider -m "not postgres_only"

test-postgres: venv-test messages
	scripts/with-postgres $(VENV)/bin/pytest -p no:cacheprovider -m "not browser and not sqlite_only"

test: system-deps venv-test messages lint check-deploy test-sqlite test-postgres

clean:
	rm -rf $(VENV) var node_modules
