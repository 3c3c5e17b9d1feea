"""Let pytest-homeassistant-custom-component load on a newer Home Assistant (make test-latest).

The plugin (phcc) is Home Assistant's own test helpers for the one release it pins (0.13.375:
2026.10.4). `make test-latest` runs the suite with it on the newest release
(requirements_ha_latest.txt, 2026.11.0) and loads this module first, with
`-p tests.phcc_compat`: pytest imports `-p` plugins before the installed ones. Two things in
phcc 0.13.375 stop it on 2026.11.0, and both are met here without editing the installed plugin:

1. Import order. 2026.11's `homeassistant/__init__.py` calls `httpx2.alias_httpx()` (and
   probatio's `install_as_voluptuous()`), which raise if `httpx` was imported first; phcc's
   `plugins.py` imports `respx`, hence `httpx`, before any `homeassistant` module. Importing
   `homeassistant` here, first, is what Home Assistant's own test run does.
2. `_clear_logger_overwrites` moved from `homeassistant.components.logger` to its `helpers`
   module; phcc's `common.py` imports it from the old place. It is re-exported there.

On the release phcc pins, both are no-ops (`make test` does not load this module anyway).
"""

import homeassistant  # noqa: F401  # first: httpx2.alias_httpx() before respx imports httpx
from homeassistant.components import logger

if not hasattr(logger, "_clear_logger_overwrites"):
    from homeassistant.components.logger import helpers

    logger._clear_logger_overwrites = helpers._clear_logger_overwrites  # type: ignore[attr-defined]  # noqa: SLF001
