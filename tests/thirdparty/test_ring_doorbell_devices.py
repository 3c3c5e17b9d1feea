"""python-ring-doorbell 0.9.14 (behind Home Assistant's core `ring`) reads the emulator's household.

If it parses our devices, health, history, dings, snapshots and switches without error, the
emulator's shapes agree with what a widely used real client reads from Ring.
"""

from collections.abc import AsyncIterator
import io
import time
from typing import Any

import aiohttp
from PIL import Image
import pytest
from ring_doorbell import Auth, Ring
import ring_doorbell.const as rd_const
import ring_doorbell.ring as rd_ring

from ring_emulator import RingEmulator
from tests.conftest import ACCOUNT_ID, EMAIL

FRONT, BACK, GARDEN, DRIVEWAY, CHIME = (ACCOUNT_ID * 1000 + n for n in range(1, 6))
REAL_API = "https://api.ring.com"


def point_ring_doorbell_at(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Aim python-ring-doorbell's URL constants at the emulator (undone after the test)."""
    monkeypatch.setenv(
        "OAUTHLIB_INSECURE_TRANSPORT", "1"
    )  # oauthlib refuses http otherwise
    monkeypatch.setattr(rd_const.OAuth, "ENDPOINT", url + "/oauth/token")
    monkeypatch.setattr(rd_const, "API_URI", url)
    monkeypatch.setattr(rd_ring, "API_URI", url)
    for func in (vars(rd_ring.Ring)[name] for name in ("async_query", "_async_query")):
        # base_uri=API_URI was bound when the functions were defined.
        defaults = tuple(url if d == REAL_API else d for d in func.__defaults__ or ())
        monkeypatch.setattr(func, "__defaults__", defaults)


@pytest.fixture
async def ring(
    emulator: RingEmulator, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Ring]:
    """Return python-ring-doorbell's Ring, logged in and with its device list loaded."""
    assert emulator.url is not None
    point_ring_doorbell_at(emulator.url, monkeypatch)
    token: dict[str, Any] = emulator.issue_tokens(EMAIL)
    token["expires_at"] = time.time() + token["expires_in"]
    async with aiohttp.ClientSession() as session:
        auth = Auth(
            "Home Assistant/ring-integration",
            token,
            lambda _: None,
            hardware_id="rd-hardware-id",
            http_client_session=session,
        )
        ring = Ring(auth)
        await ring.async_create_session()
        await ring.async_update_devices()
        yield ring


async def test_devices(ring: Ring) -> None:
    """Every device is read with its model, battery and capabilities."""
    devices = ring.devices()
    models = {d.id: d.model for d in devices.all_devices}
    assert models == {
        FRONT: "Doorbell Pro",
        BACK: "Doorbell 2",
        GARDEN: "Stick Up Cam Battery",
        DRIVEWAY: "Floodlight Cam",
        CHIME: "Chime Pro",
    }
    by_id = {d.id: d for d in devices.all_devices}
    assert [d.id for d in devices.all_devices if d.has_capability("battery")] == [
        GARDEN,
        BACK,
    ]
    assert by_id[BACK].battery_life == 83  # sent as "83"
    assert by_id[GARDEN].battery_life == 64
    assert by_id[DRIVEWAY].has_capability("light")
    assert by_id[DRIVEWAY].has_capability("siren")
    assert by_id[GARDEN].has_capability("siren")
    assert by_id[FRONT].connection_status == "online"
    assert by_id[CHIME].volume == 5
    assert all(d.firmware for d in devices.all_devices)
    assert all(d.location_id == f"loc-{ACCOUNT_ID}" for d in devices.all_devices)


async def test_health(ring: Ring) -> None:
    """Health answers for doorbells, cameras and the chime are read (Wi-Fi name and signal)."""
    for device in ring.devices().all_devices:
        await device.async_update_health_data()
        assert device.wifi_name == "emulator-wifi"
        assert isinstance(device.wifi_signal_strength, int)
        assert device.wifi_signal_category in ("good", "poor", "very_poor")


async def test_history(ring: Ring, emulator: RingEmulator) -> None:
    """History kinds and times are read; an injected ding comes first."""
    front = ring.devices().get_device(FRONT)
    before = await front.async_history(limit=10)
    assert [e["kind"] for e in before] == ["on_demand", "ding", "motion"]

    ding = emulator.household.ding(FRONT)
    after = await front.async_history(limit=10)

    assert after[0]["id"] == ding.id
    assert after[0]["kind"] == "ding"
    assert after[0]["created_at"].timestamp() == pytest.approx(ding.at, abs=0.001)
    assert after[0]["answered"] is False


async def test_active_dings(ring: Ring, emulator: RingEmulator) -> None:
    """A fresh ding is one of python-ring-doorbell's active alerts."""
    emulator.household.ding(FRONT)
    await ring.async_update_dings()

    (alert,) = ring.active_alerts()
    assert (alert.doorbot_id, alert.kind, alert.device_name) == (
        FRONT,
        "ding",
        "Front Door",
    )


async def test_floodlight_and_siren(ring: Ring) -> None:
    """Its light and siren calls are accepted and the next device list shows them."""
    driveway = ring.devices().get_stickup_cam(DRIVEWAY)

    await driveway.async_set_lights("on")
    await driveway.async_set_siren(1)
    await ring.async_update_devices()

    assert driveway.lights == "on"
    assert driveway.siren == 1
    await driveway.async_set_lights("off")
    await driveway.async_set_siren(0)
    await ring.async_update_devices()
    assert (driveway.lights, driveway.siren) == ("off", 0)


async def test_snapshot(ring: Ring, emulator: RingEmulator) -> None:
    """Its snapshot call (timestamps, then the image) gets the camera's JPEG.

    python-ring-doorbell only downloads a snapshot taken after its request; Ring (and the
    emulator) take them periodically (issue #214 on its tracker), so the emulator's clock is
    moved a minute ahead of the wall clock python-ring-doorbell compares with.
    """
    emulator.clock.advance(60)
    driveway = ring.devices().get_stickup_cam(DRIVEWAY)

    image = await driveway.async_get_snapshot(retries=1, delay=0)

    assert image is not None
    assert Image.open(io.BytesIO(image)).format == "JPEG"
