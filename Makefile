# Every target creates its own virtual environment (.venv) on first use; only Python 3.11+
# is needed on the machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DAY    ?= 2026-12-31
OUT    ?= kaa-out
STORE  ?= kaa-register.db

.PHONY: demo test browser postgres spreadsheet bench clean

$(STAMP): pyproject.toml examples/kaa-example-kommun/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,docs,excel,postgres,api,fast]'
	# the example municipality plugin: the tests prove discovery through entry points with it
	$(BIN)/python -m pip install --quiet -e examples/kaa-example-kommun
	touch $(STAMP)

## demo: set up and run the main job — keep Askersund's register in an embedded SQLite case
##       store made from the bundled example data (the case history imported once, then a
##       sync from the IST export), and run the whole year on it
demo: $(STAMP)
	@export KAA_ACTOR=$${KAA_ACTOR:-demo}; set -e; \
	if [ ! -f $(STORE) ]; then \
	  $(BIN)/kaa store init sqlite:///$(STORE); \
	  $(BIN)/kaa store import sqlite:///$(STORE) examples/data/cases.jsonl --municipality 1882; \
	fi; \
	$(BIN)/kaa sync examples/data/askersund-ist.csv --source ist --municipality 1882 \
	  --store sqlite:///$(STORE) --on $(DAY); \
	$(BIN)/kaa year examples/data/askersund-ist.csv --source ist --store sqlite:///$(STORE) \
	  --municipality 1882 --on $(DAY) --out $(OUT); \
	echo "the register (case store): $(STORE) — e.g. kaa audit --store sqlite:///$(STORE) --municipality 1882"

## browser: Debian's headless Chromium, which the report tests render pages with
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

## postgres: Debian's PostgreSQL server programs (initdb, pg_ctl), with which the tests of the
##           PostgreSQL case store start a throw-away server of their own (tests/pgserver.py)
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO mkdir -p /etc/postgresql-common/createcluster.d && \
	  echo 'create_main_cluster = false' | \
	    $$SUDO tee /etc/postgresql-common/createcluster.d/kaa-no-main-cluster.conf >/dev/null && \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql >/dev/null; }

## spreadsheet: Debian's LibreOffice Calc, in which the tests open every workbook and CSV for
##              people that kaa writes
spreadsheet:
	@command -v soffice >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends libreoffice-calc >/dev/null; }

## test: set up and run the whole test suite (pytest + hypothesis, ruff, mypy --strict,
##       the architecture contracts, docs)
test: $(STAMP) browser postgres spreadsheet
	HYPOTHESIS_PROFILE=$${HYPOTHESIS_PROFILE:-ci} $(BIN)/python -m pytest -q
	$(BIN)/ruff check src tests benchmarks examples scripts
	$(BIN)/ruff format --check src tests benchmarks examples scripts
	$(BIN)/mypy --strict src
	$(BIN)/lint-imports --no-cache
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet --site-dir $(VENV)/site

## bench: run every benchmark at three sizes (N/10, N/2, N; slow, not part of the test
##        suite), then print one table of the figures beside the goals (benchmarks/summary.py,
##        also written to benchmarks/out/summary.md); `make bench QUICK=1` runs the whole set
##        at small sizes (still three runs each) in minutes
BENCHES := assess columnar profile_columnar sources scb worklist plans store sync api year
bench: $(STAMP) postgres
	@# bytecode as an installed package has it (an editable install under
	@# PYTHONDONTWRITEBYTECODE would compile every module in every measured process)
	@$(BIN)/python -m compileall -q src
	@failed=; for b in $(BENCHES); do \
	  extra=; if [ $$b = sync ] && [ -z "$(QUICK)" ]; then extra="--n 560000"; fi; \
	  echo "== benchmarks/bench_$$b.py $(if $(QUICK),--quick) $$extra"; \
	  $(BIN)/python benchmarks/bench_$$b.py $(if $(QUICK),--quick) $$extra || failed="$$failed $$b"; \
	done; \
	$(BIN)/python benchmarks/summary.py; \
	if [ -n "$$failed" ]; then echo "failed:$$failed" >&2; exit 1; fi

clean:
	rm -rf $(VENV) site $(OUT) $(STORE) $(STORE)-wal $(STORE)-shm .pytest_cache .mypy_cache .ruff_cache .hypothesis
