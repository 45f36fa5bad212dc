# One command sets up and runs the demo; one sets up and runs every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast install lint bench clean

demo: $(STAMP)
	$(BIN)/marsad analyze examples/albukamal.txt --published 2017-11-13

test: $(STAMP)
	$(BIN)/ruff check src tests scripts training
	$(BIN)/python -m pytest

# everything but the tests marked slow: for development
test-fast: $(STAMP)
	$(BIN)/ruff check src tests scripts training
	$(BIN)/python -m pytest -m "not slow"

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "marsad needs Python 3.11 or newer (found $$($(PYTHON) --version))"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts training

bench: $(STAMP)
	$(BIN)/python scripts/bench.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
