"""Outages and a lost login: device entities unavailable, back by themselves, one reauth at most."""

from datetime import timedelta
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ring_auth.ringclient import (
    RingApiError,
    RingDevice,
    RingDevicesApi,
    RingEvent,
    RingMalformedResponseError,
)
from ring_emulator import Fault, RingEmulator
from tests.conftest import EMAIL

from .device_helpers import FRONT, RING_DEVICES, calls, poll, state
from .helpers import DEVICE_POLL, reauth_flows, refreshes, setup_entry, tick

DEVICE_ENTITIES = (
    "sensor.back_door_battery",
    "sensor.front_door_last_activity",
    "event.front_door_ding",
    "camera.garden_snapshot",
    "light.driveway_floodlight",
    "siren.driveway_siren",
)


def unavailable(hass: HomeAssistant) -> set[str]:
    """Return the device entities that are unavailable."""
    return {e for e in DEVICE_ENTITIES if state(hass, e).state == STATE_UNAVAILABLE}


async def test_an_outage_makes_them_unavailable_until_it_ends(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    device_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Ring down for 5 minutes: unavailable from the first failed poll, back after, no reauth."""
    await setup_entry(hass, device_entry)
    assert unavailable(hass) == set()
    emulator.inject(Fault.SERVER_ERROR, where="api", for_seconds=300)

    await poll(hass, freezer)
    assert unavailable(hass) == set(DEVICE_ENTITIES)
    # The login itself is fine: its token sensors stay.
    assert (
        state(hass, "sensor.ring_demo_user_refresh_token_age").state
        != STATE_UNAVAILABLE
    )
    await poll(hass, freezer, 3)
    assert unavailable(hass) == set(DEVICE_ENTITIES)

    await poll(hass, freezer)  # 305 s after it began

    assert unavailable(hass) == set()
    assert reauth_flows(hass) == []
    assert device_entry.state is ConfigEntryState.LOADED
    failed = [
        r for r in caplog.records if "Error fetching Ring devices data" in r.message
    ]
    assert len(failed) == 1  # said once, not every minute
    assert "Ring's servers answered with an error" in failed[0].message
    assert any(
        "Fetching Ring devices data recovered" in r.message for r in caplog.records
    )


async def test_a_lost_login_asks_once_and_stops_polling(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    device_entry: MockConfigEntry,
) -> None:
    """Ring revokes the login: one reauth prompt, the entities unavailable, no more calls."""
    await setup_entry(hass, device_entry)
    emulator.revoke(EMAIL)

    await poll(hass, freezer)

    assert len(reauth_flows(hass)) == 1
    assert unavailable(hass) == set(DEVICE_ENTITIES)
    asked = calls(emulator, RING_DEVICES)
    token_calls = refreshes(emulator)
    await poll(hass, freezer, 5)
    assert calls(emulator, RING_DEVICES) == asked
    assert refreshes(emulator) == token_calls
    assert len(reauth_flows(hass)) == 1


async def test_unavailable_at_once_when_the_login_becomes_unusable(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    device_entry: MockConfigEntry,
) -> None:
    """The token runs out while Ring refuses to renew it: unavailable, then back on its own."""
    await setup_entry(hass, device_entry)
    emulator.inject(Fault.SERVER_ERROR, where="token", for_seconds=2 * 3600)

    await tick(hass, freezer, timedelta(hours=1))

    assert unavailable(hass) == set(DEVICE_ENTITIES)
    assert reauth_flows(hass) == []
    await tick(hass, freezer, timedelta(hours=1, minutes=31))  # Ring answers again
    await poll(hass, freezer)
    assert unavailable(hass) == set()
    assert reauth_flows(hass) == []


async def test_ring_asking_to_wait_is_obeyed(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    device_entry: MockConfigEntry,
) -> None:
    """A 429 with Retry-After 600 s: the next poll is 10 minutes away, not one."""
    await setup_entry(hass, device_entry)
    emulator.inject(Fault.RATE_LIMIT, where="api", retry_after=600)
    await poll(hass, freezer)
    asked = calls(emulator, RING_DEVICES)

    await tick(hass, freezer, 598 - DEVICE_POLL)
    assert calls(emulator, RING_DEVICES) == asked

    await tick(hass, freezer, 3 + DEVICE_POLL)
    assert calls(emulator, RING_DEVICES) == asked + 1
    assert unavailable(hass) == set()


class FirstListUnreadable(RingDevicesApi):
    """Ring answers the first device list with a page no client can read."""

    answered = 0

    async def async_get_devices(self) -> list[RingDevice]:
        """Fail the first time (for every instance: set-up builds a new one per try)."""
        FirstListUnreadable.answered += 1
        if FirstListUnreadable.answered == 1:
            raise RingMalformedResponseError("Device list is not a JSON object")
        return await super().async_get_devices()


async def test_devices_unreadable_at_start_retry_the_setup(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    device_entry: MockConfigEntry,
) -> None:
    """Ring answers the profile but not the devices: set-up is retried, then loads."""
    with patch("custom_components.ring_auth.RingDevicesApi", FirstListUnreadable):
        await setup_entry(hass, device_entry)
        assert device_entry.state is ConfigEntryState.SETUP_RETRY
        assert (
            device_entry.reason
            == "Ring's answer could not be read. The stored login is kept; Home Assistant will try again"
        )

        await tick(hass, freezer, 61)

    assert device_entry.state is ConfigEntryState.LOADED
    assert state(hass, "sensor.back_door_battery").state == "83"
    assert reauth_flows(hass) == []


class RefusingFrontHistory(RingDevicesApi):
    """Ring refusing one device's history with an unexpected 400."""

    async def async_get_history(self, device: Any, limit: int = 10) -> list[RingEvent]:
        """Refuse the Front Door's history."""
        if getattr(device, "id", device) == FRONT:
            raise RingApiError(400)
        return await super().async_get_history(device, limit)


async def test_an_unexpected_refusal_is_not_an_empty_history(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    device_entry: MockConfigEntry,
) -> None:
    """A 400 is not Ring saying it keeps no history (404): the poll fails, set-up is retried."""
    await setup_entry(hass, device_entry)
    with patch("custom_components.ring_auth.RingDevicesApi", RefusingFrontHistory):
        await hass.config_entries.async_reload(device_entry.entry_id)
        await hass.async_block_till_done()

    assert device_entry.state is ConfigEntryState.SETUP_RETRY
    assert device_entry.reason == (
        "Ring gave an unexpected answer. The stored login is kept; Home Assistant will"
        " try again"
    )
    assert reauth_flows(hass) == []
