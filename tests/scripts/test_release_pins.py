"""The Home Assistant releases the project tests, and what hacs.json promises users."""

import json
from pathlib import Path
import re

from awesomeversion import AwesomeVersion

from tests.releases import pinned_release

ROOT = Path(__file__).resolve().parents[2]


def latest_release() -> AwesomeVersion:
    """Return the newest release, the one make e2e's second run uses."""
    text = (ROOT / "requirements_ha_latest.txt").read_text()
    pins = re.findall(r"^homeassistant==(\S+)$", text, re.MULTILINE)
    assert len(pins) == 1, text
    return AwesomeVersion(pins[0])


def test_hacs_minimum_is_the_lowest_release_tested() -> None:
    """HACS offers the integration to no Home Assistant older than make e2e tests."""
    minimum = AwesomeVersion(
        json.loads((ROOT / "hacs.json").read_text())["homeassistant"]
    )
    assert minimum == min(pinned_release(), latest_release())


def test_latest_is_not_older_than_pinned() -> None:
    """requirements_ha_latest.txt names a release at least as new as the tests' own."""
    assert latest_release() >= pinned_release()
