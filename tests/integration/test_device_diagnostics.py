"""Diagnostics of the devices: what each device is and does, and the coordinator's figures."""

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from ring_emulator import RingEmulator

from .device_helpers import FRONT, poll
from .helpers import setup_entry

REDACTED = "**REDACTED**"


async def test_devices_and_figures(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    device_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    """Kinds, state and last events are shown; owner, address, names and ids are not."""
    await setup_entry(hass, device_entry)
    emulator.household.ding(FRONT, "ding")
    await poll(hass, freezer)

    diagnostics = await get_diagnostics_for_config_entry(
        hass, hass_client, device_entry
    )

    figures = diagnostics["coordinator"]
    assert figures["poll_interval"] == 60
    assert figures["last_update_success"] is True
    assert (figures["polls"], figures["failed_polls"], figures["events_fired"]) == (
        2,
        0,
        1,
    )
    assert figures["calls"] == {"dings_active": 2, "history": 4, "ring_devices": 2}
    assert 0 <= figures["last_event_delay"] <= 62
    by_kind = {device["kind"]: device for device in diagnostics["devices"]}
    assert sorted(by_kind) == [
        "chime_pro",
        "doorbell_v5",
        "floodlight_v2",
        "lpd_v2",
        "stickup_cam_lunar",
    ]
    front = by_kind["lpd_v2"]
    assert front["last_event"]["kind"] == "ding"
    assert front["raw"]["id"] == REDACTED
    for field in ("owner", "address", "latitude", "longitude", "description", "device_id", "location_id"):  # fmt: skip
        assert front["raw"][field] == REDACTED, field
    assert by_kind["floodlight_v2"]["has_light"] is True
    assert by_kind["stickup_cam_lunar"]["battery_level"] == 64
