# Quick start:  make scorecard   (the monthly job)   |   make test   (the test suite)
# Each target creates the virtual environment it needs on first use.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: scorecard test golden benchmark mutation clean

# pip runs quietly: each step says first what it does and how long it may take.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required")'
	@echo "Setting up $(VENV)/ (first use, or pyproject.toml changed):"
	@echo "  creating the virtual environment ..."
	@$(PYTHON) -m venv $(VENV)
	@echo "  updating pip ..."
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@echo "  installing scorecard and its dependencies (pandas, pyarrow, ...; about a minute) ..."
	@$(BIN)/python -m pip install --quiet -e '.[test]'
	@echo "  writing the bytecode of scorecard's modules (as a regular install does) ..."
	@$(BIN)/python -m compileall -q scorecard
	@touch $(STAMP)
	@echo "  done: $(VENV)/ is ready"

scorecard: $(STAMP)
	$(BIN)/scorecard build

# Show how the golden snapshot would change; `make golden ACCEPT=1` writes it after review.
golden: $(STAMP)
	$(BIN)/python -m tests.golden.snapshot $(if $(ACCEPT),--accept)

# Every speed target of issues 12 and 10 in one table (also written to benchmarks/README.md).
# A quick run: make benchmark BENCH_ARGS=--quick   (see python benchmarks/targets.py --help)
BENCH_ARGS ?=
benchmark: $(STAMP)
	@$(BIN)/python -c 'import duckdb' 2>/dev/null || $(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/targets.py $(BENCH_ARGS)

# Mutation testing (long: about an hour on 2 cores); results in mutants/, summary by `mutmut results`.
mutation: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,mutation]'
	SCORECARD_SHARED=$(abspath ../shared) HYPOTHESIS_PROFILE=mutation $(BIN)/mutmut run
	$(BIN)/mutmut results

# The tests on one process per core, at most 4 (pytest-xdist); `pytest` alone runs them on one.
# Property tests without deadlines (the "ci" profile of tests/conftest.py) unless
# HYPOTHESIS_PROFILE says otherwise: the workers share the cores, and a slow example is not a
# failed property.
test: $(STAMP)
	HYPOTHESIS_PROFILE=$${HYPOTHESIS_PROFILE:-ci} $(BIN)/python -m pytest -n auto --maxprocesses 4

clean:
	rm -rf $(VENV) out .pytest_cache .hypothesis data/kent benchmarks/.data
