"""The Ring devices' sensors: battery, Wi-Fi signal (disabled by default), last activity."""

from datetime import timedelta
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNKNOWN, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.ring_auth.const import DOMAIN
from custom_components.ring_auth.ringclient import (
    DeviceHealth,
    RingApiError,
    RingDevice,
    RingDevicesApi,
    RingEvent,
)
from ring_emulator import RingEmulator
from tests.conftest import ACCOUNT_ID

from .device_helpers import (
    BACK,
    CHIME,
    CHIME_HEALTH,
    DOORBOT_HEALTH,
    FRONT,
    GARDEN,
    HISTORY,
    calls,
    only,
    poll,
    state,
)
from .helpers import SnapshotExtension, setup_entry, tick


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Store the snapshots in snapshots/ (Home Assistant's layout)."""
    return snapshot.use_extension(SnapshotExtension)


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_snapshot(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    device_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    device_registry: dr.DeviceRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Battery for battery devices, Wi-Fi for all, last activity for those with a history."""
    with only(Platform.SENSOR):
        await setup_entry(hass, device_entry)
        await poll(hass, freezer)  # the enabled Wi-Fi sensors ask for the health

    await snapshot_platform(hass, entity_registry, snapshot, device_entry.entry_id)

    account = device_registry.async_get_device_by_identifier(
        (DOMAIN, str(ACCOUNT_ID)), device_entry.entry_id
    )
    assert account is not None
    ring_devices = [
        device
        for device in dr.async_entries_for_config_entry(
            device_registry, device_entry.entry_id
        )
        if device.id != account.id
    ]
    assert sorted(d.name for d in ring_devices) == [
        "Back Door",
        "Driveway",
        "Front Door",
        "Garden",
        "Hallway Chime",
    ]
    for device in ring_devices:
        assert device.via_device_id == account.id
        assert device.manufacturer == "Ring"
        assert device == snapshot(name=f"device-{device.name}")


async def test_values(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    device_entry: MockConfigEntry,
) -> None:
    """Battery follows ring_devices each poll; last activity is the newest event of any kind."""
    await setup_entry(hass, device_entry)
    start = dt_util.utcnow()

    assert state(hass, "sensor.back_door_battery").state == "83"
    assert state(hass, "sensor.garden_battery").state == "64"
    assert hass.states.get("sensor.front_door_battery") is None  # wired (4081)
    assert hass.states.get("sensor.hallway_chime_last_activity") is None
    # The Front Door's newest event is the answered live view of an hour ago.
    assert state(hass, "sensor.front_door_last_activity").state == (
        (start - timedelta(hours=1)).isoformat()
    )

    emulator.household.update(GARDEN, battery=12)
    event = emulator.household.ding(FRONT, "motion")
    await poll(hass, freezer)

    assert state(hass, "sensor.garden_battery").state == "12"
    assert state(hass, "sensor.front_door_last_activity").state == (
        dt_util.utc_from_timestamp(round(event.at, 3)).isoformat()
    )


async def test_wifi_signal_is_disabled_by_default_and_costs_nothing(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    device_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """No health call for a disabled signal sensor; enabled, the health is at most 15 min old."""
    await setup_entry(hass, device_entry)
    wifi = "sensor.back_door_wi_fi_signal"
    registered = entity_registry.async_get(wifi)
    assert registered is not None
    assert registered.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    assert registered.entity_category == "diagnostic"
    await poll(hass, freezer, 3)
    assert calls(emulator, DOORBOT_HEALTH) == 0

    entity_registry.async_update_entity(wifi, disabled_by=None)
    entity_registry.async_update_entity(
        "sensor.hallway_chime_wi_fi_signal", disabled_by=None
    )
    await tick(
        hass, freezer, 31
    )  # Home Assistant reloads the entry for the enabled entities
    assert state(hass, wifi).state == STATE_UNKNOWN  # until the next poll
    emulator.household.update(BACK, rssi=-67)
    await poll(hass, freezer)

    assert state(hass, wifi).state == "-67"
    assert state(hass, wifi).attributes["unit_of_measurement"] == "dBm"
    chime_rssi = emulator.household.device(CHIME).rssi
    assert state(hass, "sensor.hallway_chime_wi_fi_signal").state == str(chime_rssi)
    assert (calls(emulator, DOORBOT_HEALTH), calls(emulator, CHIME_HEALTH)) == (1, 1)

    # A signal change shows within 15 minutes: one health call per device in that time.
    emulator.household.update(BACK, rssi=-80)
    await poll(hass, freezer, 13)
    assert state(hass, wifi).state == "-67"
    await poll(hass, freezer)
    assert state(hass, wifi).state == "-80"
    assert (calls(emulator, DOORBOT_HEALTH), calls(emulator, CHIME_HEALTH)) == (2, 2)
    assert hass.states.get("sensor.garden_wi_fi_signal") is None  # still disabled


class RefusingDevicesApi(RingDevicesApi):
    """Ring as it may answer for odd devices: 404 to the Garden camera's history and health."""

    async def async_get_history(self, device: Any, limit: int = 10) -> list[RingEvent]:
        """Refuse the Garden's history."""
        if getattr(device, "id", device) == GARDEN:
            raise RingApiError(404)
        return await super().async_get_history(device, limit)

    async def async_get_health(self, device: RingDevice) -> DeviceHealth:
        """Refuse the Garden's health."""
        if device.id == GARDEN:
            raise RingApiError(404)
        return await super().async_get_health(device)


async def test_a_device_ring_keeps_nothing_for_does_not_stop_the_others(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    device_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """A 404 for one device's history or health leaves it without them; every poll goes on."""
    with patch("custom_components.ring_auth.RingDevicesApi", RefusingDevicesApi):
        await setup_entry(hass, device_entry)
        for entity_id in (
            "sensor.garden_wi_fi_signal",
            "sensor.back_door_wi_fi_signal",
        ):
            entity_registry.async_update_entity(entity_id, disabled_by=None)
        await tick(hass, freezer, 31)
        emulator.household.update(BACK, battery=50)
        history_calls = calls(emulator, HISTORY)
        await poll(hass, freezer)

    assert state(hass, "sensor.garden_last_activity").state == STATE_UNKNOWN
    assert state(hass, "sensor.garden_wi_fi_signal").state == STATE_UNKNOWN
    back_rssi = emulator.household.device(BACK).rssi
    assert state(hass, "sensor.back_door_wi_fi_signal").state == str(back_rssi)
    assert state(hass, "sensor.back_door_battery").state == "50"
    # Refused once, the Garden's history is asked again only with the next catch-up.
    assert calls(emulator, HISTORY) == history_calls
