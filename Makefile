# The two set-up commands of the README: `make evaluate` and `make test`. Each creates .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: evaluate test venv build check clean

$(STAMP): pyproject.toml .ci/constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c .ci/constraints.txt -e '.[all,test]'
	PYTHON=$(PYTHON) .ci/install-cffconvert
	touch $(STAMP)

venv: $(STAMP)

evaluate: $(STAMP)
	$(BIN)/khabar evaluate

test: $(STAMP)
	$(BIN)/python -m pytest

build: $(STAMP)
	$(BIN)/khabar build

check: $(STAMP)
	$(BIN)/khabar validate
	$(BIN)/khabar build --check

clean:
	rm -rf $(VENV) .pytest_cache .cache
