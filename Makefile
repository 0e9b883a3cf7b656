# The two commands a newcomer runs: `make demo` and `make test`.
# Each sets up everything it needs from nothing, and skips what is already done.

PY       ?= python3
VENV     := .venv
BIN      := $(VENV)/bin
STAMP    := $(VENV)/.installed
DB       ?= demo.duckdb
REPORT   ?= demo-report

.PHONY: all setup sysdeps demo test bench gold clean fixtures corpus-gen

all: test

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP)

# System tools the end-to-end tests use: LibreOffice (real .pdf/.doc fixtures made
# the way offices make them) with CJK fonts, poppler, and Chromium for the report test.
# Installed with Debian's apt when missing and we are root; otherwise the tests say what is missing.
sysdeps:
	@bash tools/sysdeps.sh

demo: $(STAMP)
	@rm -f $(DB) $(DB).wal
	$(BIN)/jixiao ingest corpus --db $(DB)
	$(BIN)/jixiao findings --db $(DB)
	$(BIN)/jixiao sql --db $(DB) "SELECT jurisdiction, fiscal_year, targets_cut_amount_yuan, targets_cut_rate, key_eval_amount_yuan, key_eval_projects, key_eval_grade_excellent_share, key_eval_avg_score, findings_error, findings_warning FROM metrics_wide ORDER BY jurisdiction"
	$(BIN)/jixiao report --db $(DB) --out $(REPORT)
	@echo
	@echo "Next: $(BIN)/jixiao sql --db $(DB) \"SELECT name, value, unit FROM metrics LIMIT 20\""
	@echo "      $(BIN)/jixiao sql --db $(DB) --json \"SELECT * FROM metrics_wide\""
	@echo "      $(BIN)/jixiao findings --db $(DB) --severity error"
	@echo "      $(BIN)/jixiao export --db $(DB) --parquet out/parquet"
	@echo "      $(BIN)/jixiao extract corpus/*.txt | head -c 2000"
	@echo "      open $(REPORT)/index.html"

# A synthetic corpus made from the seeds (real places, shifted years, scaled figures,
# 10 % with an injected contradiction, 5 % resubmitted with other figures; see out/corpus/manifest.json).
CORPUS_N ?= 200
corpus-gen: $(STAMP)
	$(BIN)/python -m pipeline.generate $(CORPUS_N) out/corpus --resubmissions 0.05

test: $(STAMP) sysdeps
	$(BIN)/python -m pytest

gold: $(STAMP)
	$(BIN)/python ../shared/tools/score_gold.py --gold ../shared/gold --run "$(BIN)/jixiao extract" corpus/*.txt

# The project's modules are byte-compiled first, as an installed package is: where
# PYTHONDONTWRITEBYTECODE is set, every process would otherwise compile them from source
# (~60 ms of each cold start and of the ingest's worker server).
bench: $(STAMP) sysdeps
	@$(BIN)/python -m compileall -q pipeline extractors schemas bench
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) build *.egg-info $(DB) $(REPORT) .pytest_cache .hypothesis
