"""The Home Assistant release under test, and the one pytest-homeassistant-custom-component pins.

`make test` runs on the pinned release; `make test-latest` runs the same suite on the newest one
(requirements_ha_latest.txt), where the few tests bound to the pinned release's own formats skip
with `newer_release_skip` and a reason.
"""

import importlib.metadata

from awesomeversion import AwesomeVersion
from homeassistant import const
import pytest


def pinned_release() -> AwesomeVersion:
    """Return the release pytest-homeassistant-custom-component pins (the tests' and .venv's)."""
    requires = (
        importlib.metadata.requires("pytest-homeassistant-custom-component") or []
    )
    pins = [r.split("==")[1] for r in requires if r.startswith("homeassistant==")]
    assert len(pins) == 1, requires
    return AwesomeVersion(pins[0])


RUNNING_RELEASE = AwesomeVersion(const.__version__)
ON_NEWER_RELEASE = pinned_release() != RUNNING_RELEASE


def newer_release_skip(reason: str) -> pytest.MarkDecorator:
    """Skip a test only on a release other than the pinned one (make test-latest)."""
    return pytest.mark.skipif(
        ON_NEWER_RELEASE,
        reason=f"Home Assistant {RUNNING_RELEASE}, not the pinned {pinned_release()}: {reason}",
    )
