"""A day with the devices leaves no token, email, address or coordinates in logs, diagnostics or snapshots."""

import json
import logging
from pathlib import Path

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.camera import async_get_image
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ring_auth.diagnostics import async_get_config_entry_diagnostics
from ring_emulator import Fault, RingEmulator
from ring_emulator.tokens import TokenPair
from tests.conftest import EMAIL

from .conftest import HW
from .device_helpers import DRIVEWAY, FRONT, GARDEN, poll
from .helpers import setup_entry, tick

# What Ring's device list says about where the devices are and whose they are.
ADDRESS = "123 Example Street"
COORDINATES = ("40.7128", "-74.006")
SNAPSHOTS = Path(__file__).parent / "snapshots"


async def test_no_secret_or_personal_data_anywhere(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    device_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Polls, events, switches, images, an outage and a renewal at DEBUG, then diagnostics."""
    caplog.set_level(logging.DEBUG)
    issued: list[TokenPair] = []
    emulator.tokens.listener = lambda _key, pair: issued.append(pair)
    first = dict(device_entry.data["token"])
    await setup_entry(hass, device_entry)
    entity_registry.async_update_entity("sensor.garden_wi_fi_signal", disabled_by=None)
    await tick(hass, freezer, 31)
    emulator.household.ding(FRONT, "ding")
    emulator.household.ding(GARDEN, "motion")
    await poll(hass, freezer)
    await hass.services.async_call(
        "light", "turn_on", {"entity_id": "light.driveway_floodlight"}, blocking=True
    )
    await hass.services.async_call(
        "siren", "turn_on", {"entity_id": "siren.driveway_siren"}, blocking=True
    )
    await async_get_image(hass, "camera.front_door_snapshot")
    emulator.inject(Fault.SERVER_ERROR, where="api", for_seconds=120)
    await poll(hass, freezer, 3)
    await poll(hass, freezer, 60)  # an access token's life: the login is renewed
    emulator.household.remove_device(DRIVEWAY)
    await poll(hass, freezer, 3)

    # (hass_client's own login lives 30 minutes: the integration's function, called directly)
    diagnostics = await async_get_config_entry_diagnostics(hass, device_entry)

    assert len(issued) >= 1
    assert len(diagnostics["devices"]) == 4
    secrets = [
        EMAIL,
        HW,
        ADDRESS,
        *COORDINATES,
        first["access_token"],
        first["refresh_token"],
    ]
    for pair in issued:
        secrets += [pair.access_token, pair.refresh_token]
    # The emulator's own lines are Ring's side; the test harness logs what its mock Store saves.
    records = [
        r
        for r in caplog.records
        if not r.name.startswith(
            ("ring_emulator", "pytest_homeassistant_custom_component")
        )
    ]
    texts = {
        "the log": "\n".join(caplog.handler.format(r) for r in records),
        "the diagnostics": json.dumps(diagnostics, default=str),
        **{f.name: f.read_text(encoding="utf-8") for f in SNAPSHOTS.glob("*.ambr")},
    }
    assert "Ring device Driveway is no longer in the account" in texts["the log"]
    for where, text in texts.items():
        for secret in secrets:
            assert secret not in text, f"{where} shows {secret[:6]}…"
