# Two commands do all set-up on a fresh machine:
#   make serve   installs what the server needs and runs it on 127.0.0.1:8765
#   make test    installs what the tests need and runs every test
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: serve test system-deps test-deps extension-deps bench clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install -q --disable-pip-version-check -U pip
	@$(PY) -m pip install -q --disable-pip-version-check -e '.[test]'
	@rm -f $(VENV)/.installed-* && touch $@

system-deps:
	@bash scripts/install-system-deps.sh

test-deps:
	@bash scripts/install-system-deps.sh --test

extension-deps:
	@cd extension && if [ -f package-lock.json ]; then npm ci --silent --no-audit --no-fund; fi

serve: $(STAMP) system-deps
	$(VENV)/bin/replycoach serve

test: $(STAMP) test-deps extension-deps
	$(PY) -m pytest

bench: $(STAMP) system-deps
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) artifacts .pytest_cache
