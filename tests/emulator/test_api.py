"""The client API: session, ring_devices, active dings, light groups, and 401s."""

from __future__ import annotations

import aiohttp
import pytest

from ring_emulator import RingEmulator

from .common import NOFA, SMS, api_get, login, open_session

SESSION_BODY = {
    "device": {
        "hardware_id": "body-hardware-id",
        "metadata": {"api_version": "11", "device_model": "ring-auth"},
        "os": "android",
    }
}


@pytest.mark.parametrize("status", [201, 200])
async def test_session(
    emulator: RingEmulator, session: aiohttp.ClientSession, status: int
) -> None:
    """POST session answers the configured 2xx (201 by default) with the profile."""
    if status != 201:
        emulator.settings.session_status = status
    tokens = await login(session, emulator)
    hdrs = {"Authorization": f"Bearer {tokens['access_token']}"}
    async with session.post(
        f"{emulator.url}/clients_api/session", json=SESSION_BODY, headers=hdrs
    ) as resp:
        assert resp.status == status
        body = await resp.json()
    profile = body["profile"]
    assert profile["id"] == 111
    assert profile["email"] == SMS
    assert profile["first_name"] == "Demo"
    assert profile["last_name"] == "User"
    assert isinstance(profile["features"], dict)
    assert "body-hardware-id" in emulator.counters.authorized_devices[SMS]
    assert emulator.counters.sessions_opened == 1


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
            assert resp.status == 201
            assert (await resp.json())["profile"]["id"] == 111


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


async def test_active_dings(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """No dings until one is injected; it is listed (once per hardware id) for 180 s."""
    tokens = emulator.issue_tokens(NOFA)
    path = "/clients_api/dings/active"
    assert await api_get(session, emulator, tokens["access_token"], path) == (200, [])

    ding = emulator.inject_ding(NOFA)
    motion = emulator.inject_ding(NOFA, kind="motion", device_id=ding["doorbot_id"] + 3)
    status, body = await api_get(session, emulator, tokens["access_token"], path)

    assert status == 200
    assert [d["id"] for d in body] == [ding["id"], motion["id"]]
    assert body[0]["kind"] == "ding"
    assert body[0]["motion"] is False
    assert body[0]["doorbot_description"] == "Front Door"
    assert body[0]["device_kind"] == "lpd_v2"
    assert body[0]["id_str"] == str(ding["id"])
    assert body[1]["kind"] == "motion"
    assert body[1]["doorbot_description"] == "Driveway"
    emulator.clock.advance(181)
    assert await api_get(session, emulator, tokens["access_token"], path) == (200, [])


def test_inject_ding_validation(emulator: RingEmulator) -> None:
    """An unknown account, device or kind is refused."""
    with pytest.raises(KeyError):
        emulator.inject_ding("nobody@example.com")
    with pytest.raises(ValueError, match="no device"):
        emulator.inject_ding(NOFA, device_id=1)
    with pytest.raises(ValueError, match="kind"):
        emulator.inject_ding(NOFA, kind="knock")


async def test_groups(emulator: RingEmulator, session: aiohttp.ClientSession) -> None:
    """Each location of the account's devices has no light groups; other locations are 404."""
    tokens = emulator.issue_tokens(NOFA)
    _, devices = await api_get(session, emulator, tokens["access_token"])
    location = devices["doorbots"][0]["location_id"]

    status, body = await api_get(
        session,
        emulator,
        tokens["access_token"],
        f"/groups/v1/locations/{location}/groups",
    )
    assert (status, body) == (200, {"device_groups": []})
    status, body = await api_get(
        session,
        emulator,
        tokens["access_token"],
        "/groups/v1/locations/elsewhere/groups",
    )
    assert status == 404
    assert "session" not in str(body).lower()


async def test_unauthorized(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """Unknown, missing or non-bearer tokens get 401 with an RFC 6750 challenge, counted."""
    status, body = await api_get(session, emulator, "unknown")
    assert (status, body["error"]) == (401, "invalid_token")
    async with session.get(f"{emulator.url}/clients_api/dings/active") as resp:
        assert resp.status == 401
        assert resp.headers["WWW-Authenticate"] == 'Bearer realm="api.ring.com"'
    async with session.post(
        f"{emulator.url}/clients_api/session",
        json={},
        headers={"Authorization": "Bearer expired-or-unknown"},
    ) as resp:
        assert resp.status == 401
        challenge = resp.headers["WWW-Authenticate"]
    assert challenge.startswith('Bearer realm="api.ring.com", error="invalid_token"')
    async with session.get(
        f"{emulator.url}/groups/v1/locations/x/groups",
        headers={"Authorization": "Basic abc"},
    ) as resp:
        assert resp.status == 401
    assert emulator.counters.unauthorized == 4
    assert emulator.counters.api_calls == 4
    assert emulator.counters.sessions_opened == 0


async def test_open_session_helper_uses_body_hardware_id(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """The session is opened for the hardware id in the body, which Ring records as a device."""
    tokens = emulator.issue_tokens(NOFA)
    status, body = await open_session(
        session, emulator, tokens["access_token"], "other-hw"
    )
    assert status == 201
    assert body["profile"]["email"] == NOFA
    assert emulator.counters.authorized_devices[NOFA] == ["other-hw"]
