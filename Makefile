# The two set-up commands of the README: `make evaluate` and `make test`. Each creates .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: evaluate test fuzz venv build check clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	PYTHON=$(PYTHON) .ci/install-cffconvert
	touch $(STAMP)

venv: $(STAMP)

evaluate: $(STAMP)
	$(BIN)/khabar evaluate

test: $(STAMP)
	$(BIN)/python -m pytest

# The large fuzz run (tests/test_fuzz.py): 2,500 examples per property, 12,500 cases; its last line is the summary.
FUZZ_EXAMPLES ?= 2500
fuzz: $(STAMP)
	KHABAR_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest tests/test_fuzz.py -q

build: $(STAMP)
	$(BIN)/khabar build

check: $(STAMP)
	$(BIN)/khabar validate
	$(BIN)/khabar build --check

clean:
	rm -rf $(VENV) .pytest_cache .cache
