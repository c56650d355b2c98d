# techissue: `make run` for the demo, `make test` for the suite. Everything installs into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: install run test test-sqlite test-postgres lint bench serve messages clean

install: $(VENV)/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "techissue needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	bash scripts/install-packages.sh $(BIN)
	$(BIN)/python scripts/compile_messages.py techissue
	touch $@

run: install
	$(BIN)/techissue demo

serve: install
	$(BIN)/techissue migrate --noinput
	$(BIN)/techissue serve

test: install
	bash scripts/test.sh

lint: install
	$(BIN)/ruff check techissue tests bench
	$(BIN)/ruff format --check techissue tests bench
	$(BIN)/mypy techissue

bench: install
	bash scripts/bench.sh

# Rebuild requirements.lock from pyproject.toml (needs uv: pip install uv).
lock:
	uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements.lock

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

# Recompile the Korean and English message catalogues after editing a django.po.
messages:
	$(BIN)/python scripts/compile_messages.py techissue
