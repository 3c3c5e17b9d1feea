# The README's commands. Every target bootstraps what it needs (scripts/bootstrap is a
# no-op when .venv is already up to date with requirements_test.txt).
PY := $(CURDIR)/.venv/bin/python
SRC := custom_components/ring_auth ring_emulator
PORT ?= 8765
HA_PORT ?= 8123

.PHONY: test lint format typecheck pytest demo demo-reset emulator bench bootstrap clean soak
.PHONY: test-latest bootstrap-test-latest

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
	$(PY) -m pytest --cov --cov-report=term-missing:skip-covered -q -rs

# The same pytest suite on the newest Home Assistant release (requirements_ha_latest.txt), in
# .venv-test-latest: pytest-homeassistant-custom-component's helpers are the pinned release's,
# tests/phcc_compat.py lets them load there. No coverage (make pytest measures it). About
# 1.5 min; .ci/run runs it after make test, which does not include it (docs/e2e.md).
test-latest: bootstrap-test-latest
	$(CURDIR)/.venv-test-latest/bin/python -m pytest -p tests.phcc_compat -q -rs

bootstrap-test-latest:
	@scripts/bootstrap test-latest

# The main job: Home Assistant with the integration against the emulator. A second run
# continues the same login (the emulator's state is in config/); demo-reset starts afresh.
demo: bootstrap
	@$(PY) scripts/demo.py --port $(PORT) --ha-port $(HA_PORT)

demo-reset: bootstrap
	@$(PY) scripts/demo.py --reset --port $(PORT) --ha-port $(HA_PORT)

# The emulator alone, in the foreground.
emulator: bootstrap
	$(PY) -m ring_emulator --port $(PORT) --access-token-lifetime 120 --grace 60

# Figures side by side with python-ring-doorbell, then a real Home Assistant's start-up with
# and without the integration and 50 crash trials (docs/benchmarks.md).
bench: bootstrap
	$(PY) scripts/bench.py
	E2E_TRIALS=$${E2E_TRIALS:-50} $(PY) scripts/e2e.py --bench

clean:
	rm -rf .venv .venv-ha-latest .venv-test-latest .mypy_cache .ruff_cache .coverage htmlcov config/.storage config/ring_emulator_state.json

# The accelerated soak: 365 simulated days, six runs (1 h consumer / 4 h partner tokens x
# grace 0, 30, 120 s), this integration and core's python-ring-doorbell side by side.
# `make test` runs a 30-day version. SOAK_SEED=... picks another year.
soak: bootstrap
	$(PY) -m pytest tests/soak -m soak_full -p no:randomly -n 2 -q -p no:cov

# End to end: the emulator, a real hass and its frontend in headless Chromium, crashes,
# a restart and an outage (scripts/e2e.py, docs/e2e.md). E2E_TRIALS=50 for more crash trials.
# Twice: on the Home Assistant the tests pin (.venv), then on the newest release
# (.venv-ha-latest, from requirements_ha_latest.txt).
.PHONY: e2e e2e-pinned e2e-latest bootstrap-ha-latest
e2e: e2e-pinned e2e-latest

e2e-pinned: bootstrap
	$(PY) scripts/e2e.py

e2e-latest: bootstrap bootstrap-ha-latest
	$(PY) scripts/e2e.py --hass $(CURDIR)/.venv-ha-latest/bin/hass

bootstrap-ha-latest:
	@scripts/bootstrap ha-latest
