"""The client API: /clients_api/session and /clients_api/ring_devices."""

from __future__ import annotations

import aiohttp

from ring_emulator import RingEmulator

from .common import SMS, api_get, login

SESSION_BODY = {
    "device": {
        "hardware_id": "body-hardware-id",
        "metadata": {"api_version": "11", "device_model": "ring-auth"},
        "os": "android",
    }
}


async def test_session(emulator: RingEmulator, session: aiohttp.ClientSession) -> None:
    """POST session returns the profile and records the device's hardware id."""
    tokens = await login(session, emulator)
    hdrs = {"Authorization": f"Bearer {tokens['access_token']}"}
    async with session.post(
        f"{emulator.url}/clients_api/session", json=SESSION_BODY, headers=hdrs
    ) as resp:
        assert resp.status == 200
        body = await resp.json()
    profile = body["profile"]
    assert profile["id"] == 111
    assert profile["email"] == SMS
    assert profile["first_name"] == "Demo"
    assert profile["last_name"] == "User"
    assert isinstance(profile["features"], dict)
    assert "body-hardware-id" in emulator.counters.authorized_devices[SMS]


async def test_session_tolerates_odd_bodies(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """A session body that is not the usual JSON still gets the profile."""
    tokens = await login(session, emulator)
    hdrs = {
        "Authorization": f"Bearer {tokens['access_token']}",
        "Content-Type": "application/json",
    }
    for raw in (b"not json", b"[]", b""):
        async with session.post(
            f"{emulator.url}/clients_api/session", data=raw, headers=hdrs
        ) as resp:
            assert resp.status == 200


async def test_ring_devices(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """The device list holds the default household, each device with the documented fields."""
    tokens = await login(session, emulator)
    status, body = await api_get(session, emulator, tokens["access_token"])
    assert status == 200
    assert set(body) == {
        "doorbots",
        "authorized_doorbots",
        "chimes",
        "stickup_cams",
        "other",
        "base_stations",
        "beams_bridges",
    }
    assert [d["kind"] for d in body["doorbots"]] == ["lpd_v2", "doorbell_v5"]
    assert [d["kind"] for d in body["stickup_cams"]] == [
        "stickup_cam_lunar",
        "floodlight_v2",
    ]
    assert [d["kind"] for d in body["chimes"]] == ["chime_pro"]
    fields = {
        "id", "description", "kind", "firmware_version", "location_id", "alerts", "features",
        "settings", "time_zone", "address", "latitude", "longitude", "owner", "device_id",
    }  # fmt: skip
    devices = body["doorbots"] + body["stickup_cams"] + body["chimes"]
    for device in devices:
        assert fields <= set(device)
        assert device["alerts"]["connection"] == "online"
    for camera in body["doorbots"] + body["stickup_cams"]:
        assert {"battery_life", "health", "external_connection"} <= set(camera)
    assert len({d["id"] for d in devices}) == 5


async def test_unauthorized(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """Unknown, missing or non-bearer tokens get 401, counted."""
    status, _ = await api_get(session, emulator, "unknown")
    assert status == 401
    async with session.get(f"{emulator.url}/clients_api/ring_devices") as resp:
        assert resp.status == 401
    async with session.post(
        f"{emulator.url}/clients_api/session",
        json={},
        headers={"Authorization": "Basic abc"},
    ) as resp:
        assert resp.status == 401
        assert resp.headers["WWW-Authenticate"] == "Bearer"
    assert emulator.counters.unauthorized == 3
    assert emulator.counters.api_calls == 3
