"""The Ring devices in Home Assistant: new ones appear, removed ones go, names follow the Ring app."""

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.ring_auth.const import DOMAIN
from ring_emulator import RingEmulator
from tests.conftest import ACCOUNT_ID, EMAIL

from .conftest import HW, stored_token
from .device_helpers import BACK, FRONT, GARDEN, poll, state
from .helpers import setup_entry


def ring_device(
    device_registry: dr.DeviceRegistry, entry: MockConfigEntry, ring_id: int
) -> dr.DeviceEntry | None:
    """Return a Ring device's registry entry."""
    return device_registry.async_get_device_by_identifier(
        (DOMAIN, f"device-{ring_id}"), entry.entry_id
    )


async def test_a_new_device_appears_without_a_reload(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    device_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """A camera added in the Ring app is a device with its entities after the next poll."""
    await setup_entry(hass, device_entry)
    loaded = device_entry.runtime_data

    porch = emulator.household.add_device(EMAIL, "floodlight_v2", "Porch")
    await poll(hass, freezer)

    assert device_entry.runtime_data is loaded  # not reloaded
    device = ring_device(device_registry, device_entry, porch.id)
    assert device is not None
    assert (device.name, device.model, device.model_id) == (
        "Porch",
        "Floodlight Cam",
        "floodlight_v2",
    )
    account = device_registry.async_get_device_by_identifier(
        (DOMAIN, str(ACCOUNT_ID)), device_entry.entry_id
    )
    assert account is not None and device.via_device_id == account.id
    for entity_id in ("light.porch_floodlight", "siren.porch_siren", "camera.porch_snapshot", "event.porch_motion", "sensor.porch_last_activity"):  # fmt: skip
        assert state(hass, entity_id).state != STATE_UNAVAILABLE, entity_id


async def test_a_removed_device_goes_after_three_polls(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    device_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    """Unavailable at once; removed with its entities once Ring has not listed it three times."""
    await setup_entry(hass, device_entry)
    garden = ring_device(device_registry, device_entry, GARDEN)
    assert garden is not None

    emulator.household.remove_device(GARDEN)
    await poll(hass, freezer, 2)
    assert state(hass, "sensor.garden_battery").state == STATE_UNAVAILABLE
    assert ring_device(device_registry, device_entry, GARDEN) is not None

    await poll(hass, freezer)
    assert ring_device(device_registry, device_entry, GARDEN) is None
    assert not er.async_entries_for_device(entity_registry, garden.id)
    assert hass.states.get("sensor.garden_battery") is None
    assert state(hass, "sensor.back_door_battery").state == "83"
    assert ring_device(device_registry, device_entry, BACK) is not None


async def test_a_device_missing_from_one_answer_stays(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    device_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """One odd answer does not delete the user's device: it is back with the next one."""
    await setup_entry(hass, device_entry)
    emulator.household.clear(EMAIL)  # Ring answers an empty list once
    await poll(hass, freezer)
    assert state(hass, "sensor.garden_battery").state == STATE_UNAVAILABLE

    emulator.household.clear()  # and then the household again
    await poll(hass, freezer, 3)

    assert state(hass, "sensor.garden_battery").state == "64"
    assert ring_device(device_registry, device_entry, GARDEN) is not None


async def test_the_ring_app_name_and_firmware_follow(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    device_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """Renamed or updated in the Ring app: the device's name and firmware follow."""
    await setup_entry(hass, device_entry)
    emulator.household.update(GARDEN, name="Back Garden", firmware="cam-2.0.1")

    await poll(hass, freezer)

    device = ring_device(device_registry, device_entry, GARDEN)
    assert device is not None
    assert (device.name, device.sw_version) == ("Back Garden", "cam-2.0.1")


async def test_only_devices_ring_no_longer_lists_can_be_deleted(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    device_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """The user may delete a device Ring dropped (before the third poll), never a listed one."""
    await setup_entry(hass, device_entry)
    assert await async_setup_component(hass, "config", {})
    client = await hass_ws_client(hass)
    garden = ring_device(device_registry, device_entry, GARDEN)
    back = ring_device(device_registry, device_entry, BACK)
    account = device_registry.async_get_device_by_identifier(
        (DOMAIN, str(ACCOUNT_ID)), device_entry.entry_id
    )
    assert garden is not None and back is not None and account is not None

    async def delete(device: dr.DeviceEntry) -> bool:
        await client.send_json_auto_id(
            {"type": "config/device_registry/remove", "device_id": device.id}
        )
        return bool((await client.receive_json())["success"])

    assert not await delete(back)
    assert not await delete(account)
    emulator.household.remove_device(GARDEN)
    await poll(hass, freezer)
    await hass.config_entries.async_unload(device_entry.entry_id)
    assert not await delete(garden)  # unloaded: nothing says Ring dropped it
    await setup_entry(hass, device_entry)
    assert await delete(garden)
    assert ring_device(device_registry, device_entry, GARDEN) is None


def entry_keyed_by_email(
    hass: HomeAssistant, emulator: RingEmulator
) -> MockConfigEntry:
    """Return an entry as Ring Auth before 0.2 made it: keyed by the email."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=EMAIL,
        unique_id=EMAIL,
        pref_disable_polling=True,
        data={
            "email": EMAIL,
            "hardware_id": HW,
            "auth_type": "consumer",
            "token": stored_token(emulator.issue_tokens(EMAIL)),
        },
    )
    entry.add_to_hass(hass)
    return entry


async def test_an_entry_keyed_by_email_moves_to_the_account_id(
    hass: HomeAssistant,
    emulator: RingEmulator,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    """Its account device and entities keep their ids and settings under Ring's account id."""
    entry = entry_keyed_by_email(hass, emulator)
    account = device_registry.async_get_or_create(
        config_entry_id=entry.entry_id, identifiers={(DOMAIN, EMAIL)}, name="Ring"
    )
    button = entity_registry.async_get_or_create(
        "button",
        DOMAIN,
        f"{EMAIL}_refresh_now",
        config_entry=entry,
        device_id=account.id,
    )

    await setup_entry(hass, entry)

    assert entry.unique_id == str(ACCOUNT_ID)
    moved = device_registry.async_get(account.id)
    assert moved is not None and moved.identifiers == {(DOMAIN, str(ACCOUNT_ID))}
    assert (
        entity_registry.async_get(button.entity_id).unique_id
        == f"{ACCOUNT_ID}_refresh_now"
    )
    front = ring_device(device_registry, entry, FRONT)
    assert front is not None and front.via_device_id == account.id


async def test_the_same_account_twice_is_named_and_left_alone(
    hass: HomeAssistant,
    emulator: RingEmulator,
    device_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An old entry of an account that is already set up again keeps its key; the log says so."""
    await setup_entry(hass, device_entry)
    old = entry_keyed_by_email(hass, emulator)

    await setup_entry(hass, old)

    assert old.unique_id == EMAIL
    assert "set up twice" in caplog.text
