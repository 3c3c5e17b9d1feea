"""Let pytest-homeassistant-custom-component load on a newer Home Assistant (make test-latest).

The plugin (phcc) is Home Assistant's own test helpers for the one release it pins (0.13.375:
2026.10.4). `make test-latest` runs the suite with it on the newest release
(requirements_ha_latest.txt, 2026.11.0) and loads this module first, with
`-p tests.phcc_compat`: pytest imports `-p` plugins before the installed ones. Two things in
phcc 0.13.375 stop it on 2026.11.0, and both are met here without editing the installed plugin:

1. Import order. 2026.11's `homeassistant/__init__.py` calls `httpx2.alias_httpx()` (and
   probatio's `install_as_voluptuous()`), which raise if `httpx` was imported first; phcc's
   `plugins.py` imports `respx`, hence `httpx`, before any `homeassistant` module. Importing the
   `homeassistant` package here, first, fixes that. Nothing else of Home Assistant may be
   imported this early: phcc patches `dt_util.utcnow` and the JSON helpers before "any other
   Home Assistant import", and a module imported sooner (config_entries, say) would keep the
   real clock and ignore freezegun.
2. `_clear_logger_overwrites` moved from `homeassistant.components.logger` to its `helpers`
   module; phcc's `common.py` imports it from the old place. A meta path finder re-exports it
   there as soon as phcc (or anyone) imports that package.

On the release phcc pins, both are no-ops (`make test` does not load this module anyway).
"""

from collections.abc import Sequence
import importlib.abc
import importlib.machinery
import importlib.util
import sys
from types import ModuleType

import homeassistant  # noqa: F401  # first: httpx2.alias_httpx() before respx imports httpx

LOGGER = "homeassistant.components.logger"


class _LoggerReexport(importlib.abc.MetaPathFinder):
    """Add `_clear_logger_overwrites` to the logger component once it is imported."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None = None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != LOGGER:
            return None
        sys.meta_path.remove(self)  # once, and let the ordinary finders locate it
        spec = importlib.util.find_spec(fullname)
        if spec is None or spec.loader is None:
            return spec
        exec_module = spec.loader.exec_module

        def exec_and_reexport(module: ModuleType) -> None:
            exec_module(module)
            if not hasattr(module, "_clear_logger_overwrites"):
                helpers = importlib.import_module(f"{LOGGER}.helpers")
                module._clear_logger_overwrites = helpers._clear_logger_overwrites  # noqa: SLF001

        spec.loader.exec_module = exec_and_reexport  # type: ignore[method-assign]
        return spec


if LOGGER not in sys.modules:
    sys.meta_path.insert(0, _LoggerReexport())
