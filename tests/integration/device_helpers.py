"""Helpers of the device tests: the default household's ids and entities, polls, counted calls."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, State

from ring_emulator import RingEmulator
from tests.conftest import ACCOUNT_ID

from .helpers import DEVICE_POLL, tick

FRONT, BACK, GARDEN, DRIVEWAY, CHIME = (ACCOUNT_ID * 1000 + n for n in range(1, 6))
HISTORY_DEVICES = (FRONT, BACK, GARDEN, DRIVEWAY)
API = "/clients_api"
RING_DEVICES = f"GET {API}/ring_devices"
DINGS = f"GET {API}/dings/active"
HISTORY = f"GET {API}/doorbots/{{device_id}}/history"
DOORBOT_HEALTH = f"GET {API}/doorbots/{{device_id}}/health"
CHIME_HEALTH = f"GET {API}/chimes/{{device_id}}/health"
SNAPSHOT_TIMES = f"POST {API}/snapshots/timestamps"
SNAPSHOT_IMAGE = f"GET {API}/snapshots/image/{{device_id}}"


@contextmanager
def only(*platforms: Platform) -> Iterator[None]:
    """Set up these platforms of the integration alone."""
    with patch("custom_components.ring_auth.PLATFORMS", list(platforms)):
        yield


async def poll(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, polls: int = 1
) -> None:
    """Let the device poll run `polls` times (one interval and a second each)."""
    for _ in range(polls):
        await tick(hass, freezer, timedelta(seconds=DEVICE_POLL + 1))


def calls(emulator: RingEmulator, route: str) -> int:
    """Return how many requests of a route (method and template) reached the emulator."""
    return emulator.counters.endpoints.get(route, 0)


def state(hass: HomeAssistant, entity_id: str) -> State:
    """Return an entity's state (it must exist)."""
    current = hass.states.get(entity_id)
    assert current is not None, entity_id
    return current
