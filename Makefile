# The README's commands. Every target bootstraps what it needs (scripts/bootstrap is a
# no-op when .venv is already up to date with requirements_test.txt).
PY := $(CURDIR)/.venv/bin/python
SRC := custom_components/ring_auth ring_emulator
PORT ?= 8765
HA_PORT ?= 8123

.PHONY: test lint format typecheck pytest demo emulator bench bootstrap clean

test: bootstrap lint typecheck pytest

bootstrap:
	@scripts/bootstrap

lint: bootstrap
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: bootstrap
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

typecheck: bootstrap
	$(PY) -m mypy --strict $(SRC)

pytest: bootstrap
	$(PY) -m pytest --cov --cov-report=term-missing:skip-covered -q

# The main job: Home Assistant with the integration against the emulator.
demo: bootstrap
	$(PY) scripts/demo.py --port $(PORT) --ha-port $(HA_PORT)

# The emulator alone, in the foreground.
emulator: bootstrap
	$(PY) -m ring_emulator --port $(PORT) --access-token-lifetime 120 --grace 60

bench: bootstrap
	$(PY) scripts/bench.py

clean:
	rm -rf .venv .mypy_cache .ruff_cache .coverage htmlcov config/.storage
