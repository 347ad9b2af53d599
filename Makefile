# policydiff — everything a new user needs: `make demo`, `make test`, `make bench`.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed

.PHONY: demo test bench bench-laws lint fuzz clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python scripts/demo.py

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check policydiff tests benchmarks scripts

BENCH_SIZES ?= 100 300 1000

bench: $(STAMP)
	$(BIN)/python benchmarks/compare_bench.py
	$(BIN)/python benchmarks/process_bench.py
	$(BIN)/python benchmarks/scale_bench.py
	$(BIN)/python benchmarks/gold_bench.py
	$(BIN)/python benchmarks/lineage_bench.py
	$(BIN)/python benchmarks/siblings_bench.py
	$(BIN)/python benchmarks/corpus_bench.py $(BENCH_SIZES)
	$(BIN)/python scripts/outline_corpus.py
	$(BIN)/python -m pytest -q -m slow tests/test_real_outline.py
	$(BIN)/python benchmarks/laws_bench.py --jobs 2

# discovery + comparisons over the 2,461 laws of ../shared/corpus/laws, twice into a results database
# (the second run with 10 plans added; about 15 minutes on 2 cores); `make bench` ends with it too
bench-laws: $(STAMP)
	$(BIN)/python benchmarks/laws_bench.py --jobs 2

fuzz: $(STAMP)
	$(BIN)/python -m pytest -q -m slow tests/test_fuzz.py

clean:
	rm -rf $(VENV) alignments reports .pytest_cache
