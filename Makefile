# The two commands of the README: `make demo` and `make test`. Everything else supports them.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py

.PHONY: demo serve docs test test-fast venv venv-test frontend system-deps messages lint lock audit check-deploy \
	checks test-sqlite test-postgres test-databases clean

# Python packages only from the lock files: every one pinned, and pip refuses a file whose hash is not
# in the lock (--require-hashes). Then Netwerkregie itself, without dependencies, built by the
# setuptools the lock pins. pyproject.toml holds the direct pins; `make lock` writes the lock files.
$(VENV)/.runtime: requirements/runtime.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements/runtime.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.test: $(VENV)/.runtime requirements/test.txt
	$(PY) -m pip install --quiet --require-hashes -r requirements/test.txt
	touch $@

# After changing a pin in pyproject.toml: the lock files again, from PyPI (not a local index or
# mirror), for Python 3.11; pins already in the lock stay unless pyproject.toml moves them.
PIP_COMPILE := env -u PIP_FIND_LINKS -u PIP_INDEX_URL -u PIP_EXTRA_INDEX_URL PIP_CONFIG_FILE=/dev/null \
	CUSTOM_COMPILE_COMMAND="make lock" $(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe \
	--strip-extras --no-emit-index-url --no-emit-find-links \
	--build-deps-for editable
lock: $(VENV)/.test
	$(PIP_COMPILE) --output-file requirements/runtime.txt pyproject.toml
	$(PIP_COMPILE) --extra test --constraint requirements/runtime.txt --output-file requirements/test.txt pyproject.toml
	$(PY) scripts/check_lock.py

# Known vulnerabilities in the locked Python and npm packages (see SECURITY.md for the policy). Says
# so, and does not fail, where the vulnerability data cannot be reached.
audit: $(VENV)/.test
	$(PY) scripts/audit_dependencies.py

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

# The manual (docs/, MkDocs): built with warnings as errors, with the browser sweep's screenshots (the test
# makes those still missing), then served on 127.0.0.1:8001 until Ctrl+C. `make test` builds it too.
docs: venv-test messages
	@scripts/system-deps chromium
	$(VENV)/bin/pytest -p no:cacheprovider -q tests/browser/test_manual_screenshots.py
	@echo "De handleiding op http://127.0.0.1:8001/  — stoppen met Ctrl+C"
	$(VENV)/bin/mkdocs serve --strict --dev-addr 127.0.0.1:8001

lint: venv-test
	$(PY) scripts/check_lock.py
	$(VENV)/bin/ruff check .
	PYTHONPATH=src $(VENV)/bin/lint-imports --no-cache
	PYTHONPATH=src $(VENV)/bin/mypy
	$(MANAGE) makemigrations --check --dry-run -v 1
	# The partner API's OpenAPI document: valid, and no warning from drf-spectacular (a view or field it
	# cannot describe). The API Design Rules are checked by tests/api/test_openapi_document.py.
	$(MANAGE) spectacular --validate --fail-on-warn --file /dev/null

check-deploy: venv
	scripts/check-deploy

# pytest-xdist runs the tests on every core (TEST_WORKERS=auto; TEST_WORKERS=0 runs them in one process), and each
# worker has a test database of its own: pytest-django appends the worker's id to its name
# (var/test-netwerkregie.sqlite3_gw0, test_netwerkregie_gw1 on PostgreSQL).
TEST_WORKERS ?= auto
PYTEST := $(VENV)/bin/pytest -p no:cacheprovider -n $(TEST_WORKERS) --dist loadgroup
# The share of src/netwerkregie (statements and branches) that the SQLite run executes; make test fails
# below it. Measured 93.22% (issue 29, 1074 tests); raise the floor when tests are added, never lower it.
COVERAGE_FLOOR := 93

test-sqlite: venv-test messages
	$(PYTEST) -m "not postgres_only and not once" --cov --cov-report= --cov-fail-under=$(COVERAGE_FLOOR)

test-postgres: venv-test messages
	scripts/with-postgres $(PYTEST) -m "not browser and not sqlite_only"

# Both databases' runs side by side: each leaves the cores idle at its start (collection, migrating the
# workers' databases) and at its end (the last slow tests), and the other run fills them. Each run's output
# is shown when it ends.
test-databases: venv-test messages
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

# The edit-test loop: SQLite only, without the browser tests, PostgreSQL and coverage.
test-fast: venv-test messages
	$(PYTEST) -m "not postgres_only and not browser and not once"

# The checks (lint with mypy, the dependency audit, check --deploy) run beside the two database runs rather than
# before them: they fill the cores while the runs collect and migrate. A failing check still fails make test.
checks: lint audit check-deploy

test: system-deps venv-test messages
	$(MAKE) --no-print-directory -j3 --output-sync=target checks test-sqlite test-postgres

clean:
	rm -rf $(VENV) var node_modules
