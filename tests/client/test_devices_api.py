"""RingDevicesApi against the emulator's household: devices, health, history, snapshots, switches."""

from datetime import UTC
import io
import logging

import aiohttp
from PIL import Image
import pytest

from custom_components.ring_auth.ringclient import (
    DeviceFamily,
    EventKind,
    RingApiError,
    RingDevice,
    RingDevicesApi,
    RingMalformedResponseError,
    RingServerError,
)
from ring_emulator import Fault, RingEmulator
from tests.conftest import ACCOUNT_ID, EMAIL

from .conftest import HARDWARE_ID, CountingAuth

FRONT, BACK, GARDEN, DRIVEWAY, CHIME = (ACCOUNT_ID * 1000 + n for n in range(1, 6))


async def by_id(devices_api: RingDevicesApi) -> dict[int, RingDevice]:
    """Return the account's devices by id."""
    return {d.id: d for d in await devices_api.async_get_devices()}


async def test_household_devices(devices_api: RingDevicesApi) -> None:
    """The five default devices come typed: family, model, battery, light and siren."""
    devices = await by_id(devices_api)

    assert [(d.name, d.family, d.model) for d in devices.values()] == [
        ("Front Door", DeviceFamily.DOORBELL, "Doorbell Pro"),
        ("Back Door", DeviceFamily.DOORBELL, "Doorbell 2"),
        ("Garden", DeviceFamily.CAMERA, "Stick Up Cam Battery"),
        ("Driveway", DeviceFamily.CAMERA, "Floodlight Cam"),
        ("Hallway Chime", DeviceFamily.CHIME, "Chime Pro"),
    ]
    # The wired Doorbell Pro reports battery_life 4081: not a percentage, no battery.
    assert {i: d.battery_level for i, d in devices.items()} == {
        FRONT: None,
        BACK: 83,  # sent as the text "83"
        GARDEN: 64,
        DRIVEWAY: None,
        CHIME: None,
    }
    assert [i for i, d in devices.items() if d.has_light] == [DRIVEWAY]
    assert [i for i, d in devices.items() if d.has_siren] == [GARDEN, DRIVEWAY]
    assert devices[DRIVEWAY].light_on is False
    assert devices[DRIVEWAY].siren_on is False
    assert devices[FRONT].light_on is None
    assert devices[FRONT].siren_on is None
    assert all(d.online for d in devices.values())
    assert all(d.location_id == f"loc-{ACCOUNT_ID}" for d in devices.values())
    assert devices[CHIME].firmware == "1.2.3"
    assert not devices[CHIME].has_history
    assert not devices[CHIME].has_camera
    assert devices[FRONT].raw["owner"]["email"] == EMAIL
    assert EMAIL not in repr(
        devices[FRONT]
    )  # raw (personal data) stays out of the repr


async def test_health_by_family(
    devices_api: RingDevicesApi, emulator: RingEmulator
) -> None:
    """Doorbells and cameras use doorbots/{id}/health, chimes chimes/{id}/health."""
    devices = await by_id(devices_api)
    emulator.household.update(GARDEN, rssi=-71, wifi_name="garden-ap", battery=41)

    garden = await devices_api.async_get_health(devices[GARDEN])
    chime = await devices_api.async_get_health(devices[CHIME])

    assert (garden.wifi_name, garden.signal_strength, garden.battery_level) == (
        "garden-ap",
        -71,
        41,
    )
    assert garden.signal_category == "poor"
    assert garden.firmware
    assert garden.updated_at is not None
    assert garden.updated_at.tzinfo is not None
    assert (chime.signal_strength, chime.battery_level, chime.firmware) == (
        -44,
        None,
        "1.2.3",
    )
    endpoints = emulator.counters.endpoints
    assert endpoints["GET /clients_api/doorbots/{device_id}/health"] == 1
    assert endpoints["GET /clients_api/chimes/{device_id}/health"] == 1


async def test_history_grows_with_injected_events(
    devices_api: RingDevicesApi, emulator: RingEmulator
) -> None:
    """Ding and motion appear newest first with the emulator's time; old events stay below."""
    before = await devices_api.async_get_history(FRONT, limit=10)
    assert [e.kind for e in before] == [
        EventKind.ON_DEMAND,
        EventKind.DING,
        EventKind.MOTION,
    ]
    assert before[0].answered is True

    ding = emulator.household.ding(FRONT, "ding")
    emulator.clock.advance(5)
    emulator.household.ding(FRONT, "motion")
    after = await devices_api.async_get_history(FRONT, limit=2)

    assert [e.kind for e in after] == [EventKind.MOTION, EventKind.DING]
    assert after[1].event_id == str(ding.id)
    assert int(after[0].event_id) > int(after[1].event_id) > int(before[0].event_id)
    assert all(e.device_id == FRONT for e in after)
    created = after[1].created_at
    assert created is not None
    assert created.tzinfo == UTC
    assert created.timestamp() == pytest.approx(ding.at, abs=0.001)
    with pytest.raises(ValueError, match="limit"):
        await devices_api.async_get_history(FRONT, limit=0)


async def test_history_of_a_chime_is_refused(devices_api: RingDevicesApi) -> None:
    """A chime keeps no history: Ring's 404 is an API error, not an empty list."""
    with pytest.raises(RingApiError) as err:
        await devices_api.async_get_history(CHIME)
    assert err.value.status == 404


async def test_snapshots(devices_api: RingDevicesApi, emulator: RingEmulator) -> None:
    """One call gives every camera's snapshot time; the image is a JPEG of the device."""
    devices = await by_id(devices_api)
    cameras = [d for d in devices.values() if d.has_camera]

    times = await devices_api.async_get_snapshot_times(cameras)
    image = await devices_api.async_get_snapshot(devices[DRIVEWAY])

    assert set(times) == {FRONT, BACK, GARDEN, DRIVEWAY}
    assert emulator.counters.endpoints["POST /clients_api/snapshots/timestamps"] == 1
    assert image is not None
    picture = Image.open(io.BytesIO(image))
    assert (picture.format, picture.size) == ("JPEG", (384, 216))
    assert await devices_api.async_get_snapshot_times([]) == {}


async def test_snapshot_follows_an_event(
    devices_api: RingDevicesApi, emulator: RingEmulator
) -> None:
    """A motion makes a new snapshot: its time moves to the event, and the image changes."""
    first = await devices_api.async_get_snapshot(GARDEN)
    emulator.clock.advance(120)
    event = emulator.household.ding(GARDEN, "motion")

    times = await devices_api.async_get_snapshot_times([GARDEN])
    second = await devices_api.async_get_snapshot(GARDEN)

    assert times[GARDEN].timestamp() == pytest.approx(event.at, abs=0.001)
    assert first != second


async def test_no_snapshot_is_none(
    devices_api: RingDevicesApi, emulator: RingEmulator
) -> None:
    """A camera without snapshots, and a chime, have none: None, and no timestamp."""
    emulator.household.update(GARDEN, snapshots=False)

    assert await devices_api.async_get_snapshot(GARDEN) is None
    assert await devices_api.async_get_snapshot(CHIME) is None
    assert await devices_api.async_get_snapshot_times([GARDEN, CHIME]) == {}


async def test_floodlight(devices_api: RingDevicesApi, emulator: RingEmulator) -> None:
    """The light turns on, the next device list shows it, and it goes off by itself after 30 s."""
    driveway = (await by_id(devices_api))[DRIVEWAY]

    await devices_api.async_set_light(driveway, True)
    assert (await by_id(devices_api))[DRIVEWAY].light_on is True
    emulator.clock.advance(31)
    assert (await by_id(devices_api))[DRIVEWAY].light_on is False

    await devices_api.async_set_light(DRIVEWAY, True)
    await devices_api.async_set_light(DRIVEWAY, False)
    assert (await by_id(devices_api))[DRIVEWAY].light_on is False
    assert (
        emulator.counters.endpoints[
            "PUT /clients_api/doorbots/{device_id}/floodlight_light_on"
        ]
        == 2
    )


async def test_siren(devices_api: RingDevicesApi, emulator: RingEmulator) -> None:
    """The siren sounds for the duration asked (30 s without one) and stops when told."""
    await devices_api.async_set_siren(GARDEN, True, duration=10)
    garden = (await by_id(devices_api))[GARDEN]
    assert (garden.siren_on, garden.siren_seconds_remaining) == (True, 10)

    await devices_api.async_set_siren(GARDEN, False)
    assert (await by_id(devices_api))[GARDEN].siren_on is False

    await devices_api.async_set_siren(GARDEN, True)
    assert (await by_id(devices_api))[GARDEN].siren_seconds_remaining == 30
    emulator.clock.advance(30)
    assert (await by_id(devices_api))[GARDEN].siren_on is False


async def test_switches_refuse_devices_without_them(
    devices_api: RingDevicesApi,
) -> None:
    """Asking a doorbell for its light or siren, or a siren for 0 s, is a clear error."""
    front = (await by_id(devices_api))[FRONT]

    with pytest.raises(ValueError, match="no light"):
        await devices_api.async_set_light(front, True)
    with pytest.raises(ValueError, match="no siren"):
        await devices_api.async_set_siren(front, True)
    with pytest.raises(ValueError, match="duration"):
        await devices_api.async_set_siren(GARDEN, True, duration=0)
    with pytest.raises(RingApiError) as err:  # by id, Ring itself refuses it
        await devices_api.async_set_light(FRONT, True)
    assert err.value.status == 404


async def test_put_without_json_is_refused(
    devices_api: RingDevicesApi,
    emulator: RingEmulator,
    session: aiohttp.ClientSession,
    auth: CountingAuth,
) -> None:
    """Like Ring since 2024-10, a PUT without a JSON body is 422; the client sends JSON null."""
    await devices_api.async_get_devices()  # the API session of this hardware id is open
    headers = {
        "Authorization": f"Bearer {auth.token.access_token}",
        "hardware_id": HARDWARE_ID,
    }
    url = f"{emulator.url}/clients_api/doorbots/{DRIVEWAY}/floodlight_light_on"

    async with session.put(url, headers=headers) as resp:
        assert resp.status == 422
    await devices_api.async_set_light(DRIVEWAY, True)  # accepted

    assert (await by_id(devices_api))[DRIVEWAY].light_on is True


async def test_added_and_removed_devices(
    devices_api: RingDevicesApi, emulator: RingEmulator
) -> None:
    """A device added in the emulator appears in the next list; a removed one is gone."""
    added = emulator.household.add_device(EMAIL, "cocoa_spotlight", "Porch", battery=90)
    emulator.household.remove_device(CHIME)

    devices = await by_id(devices_api)

    assert CHIME not in devices
    porch = devices[added.id]
    assert (porch.model, porch.family, porch.battery_level) == (
        "Spotlight Cam Plus",
        DeviceFamily.CAMERA,
        90,
    )
    assert (porch.has_light, porch.has_siren) == (True, True)


async def test_offline_device(
    devices_api: RingDevicesApi, emulator: RingEmulator
) -> None:
    """An offline device says so; its last snapshot stays the newest."""
    stamp = (await devices_api.async_get_snapshot_times([FRONT]))[FRONT]
    emulator.household.update(FRONT, online=False)
    emulator.clock.advance(3600)

    front = (await by_id(devices_api))[FRONT]

    assert (front.online, front.connection_status) == (False, "offline")
    assert (await devices_api.async_get_snapshot_times([FRONT]))[FRONT] >= stamp
    assert (await devices_api.async_get_snapshot_times([FRONT]))[FRONT].timestamp() < (
        emulator.clock.now() - 3000
    )


async def test_outage_errors(
    devices_api: RingDevicesApi, emulator: RingEmulator
) -> None:
    """Ring's outages on device endpoints raise the client's transient errors."""
    emulator.inject(Fault.SERVER_ERROR, where="api")
    with pytest.raises(RingServerError):
        await devices_api.async_get_history(FRONT)
    emulator.inject(Fault.HTML, where="api")
    with pytest.raises(RingMalformedResponseError):
        await devices_api.async_get_history(FRONT)
    emulator.inject(Fault.HTML, where="api")
    with pytest.raises(RingMalformedResponseError):
        await devices_api.async_get_snapshot(FRONT)
    emulator.inject(Fault.SERVER_ERROR, where="api", status=503)
    with pytest.raises(RingServerError):
        await devices_api.async_get_snapshot(FRONT)
    assert len(await devices_api.async_get_history(FRONT)) == 3


async def test_expired_token_refreshes_once(
    devices_api: RingDevicesApi, emulator: RingEmulator
) -> None:
    """Device calls on an expired access token refresh once and go through."""
    emulator.clock.advance(3601)

    history = await devices_api.async_get_history(FRONT)

    assert len(history) == 3
    assert emulator.counters.token_calls["refresh_token"] == 1


async def test_no_secret_in_debug_logs_or_errors(
    devices_api: RingDevicesApi,
    emulator: RingEmulator,
    auth: CountingAuth,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Device calls, a refresh among them, and their errors log and say no token."""
    caplog.set_level(logging.DEBUG)
    old = auth.token
    emulator.clock.advance(3601)
    devices = await devices_api.async_get_devices()
    for device in devices:
        await devices_api.async_get_health(device)
        if device.has_camera:
            await devices_api.async_get_history(device)
            await devices_api.async_get_snapshot(device)
    await devices_api.async_set_light(DRIVEWAY, True)
    emulator.inject(Fault.HTML, where="api")
    with pytest.raises(RingMalformedResponseError) as malformed:
        await devices_api.async_get_history(FRONT)
    with pytest.raises(RingApiError) as refused:
        await devices_api.async_set_siren(FRONT, True)

    secrets = {
        old.access_token,
        old.refresh_token,
        auth.token.access_token,
        auth.token.refresh_token,
    }
    for text in [caplog.text, *(repr(e.value) for e in (malformed, refused))]:
        for secret in secrets:
            assert secret not in text
    assert "/doorbots/" in caplog.text  # the calls were logged
    assert auth.refreshes == 1
