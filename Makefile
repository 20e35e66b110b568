# The two commands of the README: `make lab` starts the course, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: lab test install notebooks check bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/00-innledning.ipynb

notebooks: $(STAMP)
	$(BIN)/lederkurs build

check: $(STAMP)
	$(BIN)/lederkurs build --check

test: $(STAMP)
	$(BIN)/lederkurs build --check
	$(BIN)/python -m pytest tests
	$(BIN)/python -m pytest --nbval-lax notebooks

bench: $(STAMP)
	$(BIN)/python bench/course_bench.py

clean:
	rm -rf $(VENV)
