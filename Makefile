# `make run` and `make test` need only Python 3.11+ and make.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: run test lint bench translations wheel-check clean

# The demo's Douyin shop pulls from a local Douyin simulator started here and
# stopped with the server; the first pull and intake are queued at once.
run: $(VENV)/.installed
	$(BIN)/backoffice db upgrade
	$(BIN)/backoffice demo load
	$(BIN)/backoffice jobs enqueue pull_all_shops
	$(BIN)/backoffice jobs enqueue intake_all_shops
	$(BIN)/backoffice simulate douyin --port 5101 --orders 120 --hours 48 --refunds 8 > instance/simulator.log 2>&1 & \
	  trap "kill $$! 2>/dev/null" EXIT INT TERM; \
	  $(BIN)/backoffice serve --host 127.0.0.1 --port 5000

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

bench: $(VENV)/.installed-test
	for b in bench/*.py; do $(BIN)/python $$b --json || exit 1; done

# Extract, merge and compile the UI strings (after editing templates or code).
translations: $(VENV)/.installed-test
	mkdir -p build
	$(BIN)/pybabel extract -F babel.cfg -k _l -o build/messages.pot backoffice
	$(BIN)/pybabel update -i build/messages.pot -d backoffice/translations -l zh --no-fuzzy-matching
	$(BIN)/pybabel compile -d backoffice/translations

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is required")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(VENV)/bin/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/bin/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

# Build the wheel, install it normally into a fresh venv and smoke-test it.
wheel-check: $(VENV)/bin/python
	rm -rf build/wheel build/wheel-venv
	$(BIN)/python -m pip wheel --quiet --no-deps -w build/wheel .
	$(PYTHON) -m venv build/wheel-venv
	build/wheel-venv/bin/python -m pip install --quiet build/wheel/backoffice-*.whl
	cd build && wheel-venv/bin/python ../.ci/wheel_smoke.py

clean:
	rm -rf $(VENV) build dist *.egg-info
