# Bureau Volant — the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCALES := locales
PYTEST_ARGS ?=
# Two pytest workers (pytest-xdist): the end-to-end tests mostly wait on Synapse and bot
# processes, so two share the 2-core CI machine well; each worker has its own PostgreSQL database.
TEST_WORKERS ?= 2

.PHONY: install demo test container-test lint bench locales-extract locales-update locales-compile clean

install: $(STAMP) locales-compile

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# Catalogs: English msgids in the code, French (the default) and English translations in locales/.
locales-extract: $(STAMP)
	$(BIN)/pybabel -q extract -F babel.cfg -k N_ -k ngettext:1,2 -k plural:1,2 --no-location \
		--sort-output -o $(LOCALES)/messages.pot bot storage

locales-update: locales-extract
	$(BIN)/pybabel -q update --ignore-obsolete --no-fuzzy-matching -i $(LOCALES)/messages.pot -d $(LOCALES)

locales-compile: $(STAMP)
	$(BIN)/pybabel -q compile -d $(LOCALES)

demo: install
	$(BIN)/bureau-volant db upgrade
	$(BIN)/bureau-volant sites import examples/sites.yaml
	$(BIN)/bureau-volant chat

test: install
	scripts/with-services.sh --synapse -- $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

# The image from the Dockerfile, built with podman and run against PostgreSQL and Synapse.
container-test: install
	scripts/container.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: install
	scripts/with-services.sh --synapse -- $(BIN)/python -m bench

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .hypothesis
