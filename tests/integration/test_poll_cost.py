"""What the devices cost: every call to Ring for an hour of the default household, counted.

Home Assistant's core `ring` asks, every minute, for ring_devices and for each device's
history and health: 1 + 4 + 5 = 10 calls a minute for this household (docs/ring-protocol.md
7.9), 120 per device-hour. The bench measures both side by side; this pins ours.
"""

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from ring_emulator import RingEmulator

from .device_helpers import (
    CHIME_HEALTH,
    DINGS,
    DOORBOT_HEALTH,
    HISTORY,
    RING_DEVICES,
    SNAPSHOT_IMAGE,
    SNAPSHOT_TIMES,
    calls,
    poll,
)
from .helpers import setup_entry, tick

DEVICES = 5
CORE_PER_DEVICE_HOUR = (1 + 4 + 5) * 60 / DEVICES


def device_calls(emulator: RingEmulator) -> dict[str, int]:
    """Return the device calls by route."""
    routes = (RING_DEVICES, DINGS, HISTORY, DOORBOT_HEALTH, CHIME_HEALTH, SNAPSHOT_TIMES, SNAPSHOT_IMAGE)  # fmt: skip
    return {route: calls(emulator, route) for route in routes}


async def test_an_hour_with_the_defaults(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    device_entry: MockConfigEntry,
) -> None:
    """60 polls: two calls each, the histories every fifth; 34 calls per device-hour (core: 120)."""
    await setup_entry(hass, device_entry)
    await poll(hass, freezer, 60)  # 61 s apart: 61 minutes

    counted = device_calls(emulator)
    assert counted == {
        RING_DEVICES: 61,  # the start and 60 polls
        DINGS: 61,
        HISTORY: 4 * 13,  # the start (priming), then a catch-up every 5 polls
        DOORBOT_HEALTH: 0,  # the Wi-Fi sensors are disabled by default
        CHIME_HEALTH: 0,
        SNAPSHOT_TIMES: 0,  # nobody looked at a camera
        SNAPSHOT_IMAGE: 0,
    }
    per_device_hour = sum(counted.values()) / DEVICES / (61 / 60)
    assert per_device_hour < 35 < CORE_PER_DEVICE_HOUR


async def test_an_hour_with_every_wifi_sensor_enabled(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    device_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """Health is read for the enabled signal sensors only, so it is never 15 minutes old."""
    await setup_entry(hass, device_entry)
    for entry in er.async_entries_for_config_entry(
        entity_registry, device_entry.entry_id
    ):
        if entry.entity_id.endswith("_wi_fi_signal"):
            entity_registry.async_update_entity(entry.entity_id, disabled_by=None)
    await tick(hass, freezer, 31)  # the reload that enables them
    before = device_calls(emulator)

    await poll(hass, freezer, 60)

    counted = device_calls(emulator)
    health = (
        counted[DOORBOT_HEALTH] - before[DOORBOT_HEALTH],
        counted[CHIME_HEALTH] - before[CHIME_HEALTH],
    )
    # Read at the first poll, then every 14th (854 s): 5 times in the hour per device.
    assert health == (4 * 5, 5)
    assert sum(counted.values()) - sum(before.values()) == 60 + 60 + 4 * 12 + 25
    per_device_hour = (
        (sum(counted.values()) - sum(before.values())) / DEVICES / (61 / 60)
    )
    assert per_device_hour < 40 < CORE_PER_DEVICE_HOUR
