"""The client API's device endpoints over HTTP: health, history, switches, snapshots, dings."""

from __future__ import annotations

import io
import json
from typing import Any

import aiohttp
from PIL import Image
import pytest

from ring_emulator import Fault, RingEmulator

from .common import EMAIL, HARDWARE_ID, SMS, login

FRONT, BACK, GARDEN, DRIVEWAY, CHIME = range(111001, 111006)
OTHERS_FRONT = 222001  # the EMAIL account's doorbell
JSON = {"Content-Type": "application/json"}


class Client:
    """Authorized calls of one logged-in account."""

    def __init__(
        self, session: aiohttp.ClientSession, emu: RingEmulator, token: str
    ) -> None:
        """Hold the session and access token."""
        self.session = session
        self.emu = emu
        self.headers = {"Authorization": f"Bearer {token}", "hardware_id": HARDWARE_ID}

    async def call(
        self,
        method: str,
        path: str,
        *,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> tuple[int, Any, aiohttp.ClientResponse]:
        """Call /clients_api/{path}; return (status, JSON body or raw bytes, response)."""
        url = f"{self.emu.url}/clients_api/{path}"
        async with self.session.request(
            method, url, headers={**self.headers, **(headers or {})}, **kwargs
        ) as resp:
            raw = await resp.read()
            if resp.content_type == "application/json" and raw:
                try:
                    return resp.status, json.loads(raw), resp
                except ValueError:  # a cut answer (an injected fault)
                    pass
            return resp.status, raw, resp


@pytest.fixture
async def client(emulator: RingEmulator, session: aiohttp.ClientSession) -> Client:
    """Return a client logged in as the SMS account."""
    tokens = await login(session, emulator)
    return Client(session, emulator, tokens["access_token"])


async def test_health(client: Client) -> None:
    """Doorbots and chimes each answer on their own path; any other id is 404."""
    status, body, _ = await client.call("GET", f"doorbots/{GARDEN}/health")
    assert status == 200
    health = body["device_health"]
    assert (
        health["id"],
        health["battery_percentage"],
        health["latest_signal_strength"],
    ) == (
        GARDEN,
        64,
        -67,
    )
    assert health["wifi_name"] == "emulator-wifi"
    status, body, _ = await client.call("GET", f"chimes/{CHIME}/health")
    assert (status, body["device_health"]["battery_percentage"]) == (200, None)
    for path in (
        f"chimes/{GARDEN}/health",
        f"doorbots/{CHIME}/health",
        f"doorbots/{OTHERS_FRONT}/health",  # another account's device
        "doorbots/999/health",
        "doorbots/front/health",
    ):
        status, body, _ = await client.call("GET", path)
        assert (status, body) == (404, {"error": "device not found"}), path


async def test_history(client: Client, emulator: RingEmulator) -> None:
    """History pages newest first, with limit (default 20, at most 100) and older_than."""
    for _ in range(120):
        emulator.household.ding(BACK)
    status, body, _ = await client.call("GET", f"doorbots/{BACK}/history")
    assert (status, len(body)) == (200, 20)
    assert [e["id"] for e in body] == sorted((e["id"] for e in body), reverse=True)
    assert body[0]["doorbot"] == {
        "id": BACK,
        "description": "Back Door",
        "type": "doorbell_v5",
    }
    assert body[0]["created_at"].endswith("Z")
    _, page, _ = await client.call(
        "GET", f"doorbots/{BACK}/history", params={"limit": "500"}
    )
    assert len(page) == 100
    _, older, _ = await client.call(
        "GET",
        f"doorbots/{BACK}/history",
        params={"limit": "5", "older_than": str(body[0]["id"])},
    )
    assert [e["id"] for e in older] == [e["id"] for e in body[1:6]]
    _, odd, _ = await client.call(
        "GET", f"doorbots/{BACK}/history", params={"limit": "many"}
    )
    assert len(odd) == 20
    status, _, _ = await client.call("GET", f"doorbots/{CHIME}/history")
    assert status == 404


async def test_floodlight_and_siren(client: Client, emulator: RingEmulator) -> None:
    """PUTs switch the floodlight and siren; ring_devices shows the new state."""
    status, body, _ = await client.call(
        "PUT", f"doorbots/{DRIVEWAY}/floodlight_light_on", data=b"null", headers=JSON
    )
    assert (status, body) == (204, b"")
    status, _, _ = await client.call(
        "PUT", f"doorbots/{DRIVEWAY}/siren_on", params={"duration": "500"}, headers=JSON
    )
    assert status == 204

    _, devices, _ = await client.call("GET", "ring_devices")
    driveway = next(d for d in devices["stickup_cams"] if d["id"] == DRIVEWAY)
    assert driveway["led_status"] == "on"
    assert driveway["siren_status"]["seconds_remaining"] == 120  # capped
    assert driveway["health"]["floodlight_on"] is True
    assert driveway["health"]["siren_on"] is True

    for path in ("floodlight_light_off", "siren_off"):
        status, _, _ = await client.call(
            "PUT", f"doorbots/{DRIVEWAY}/{path}", json=None, headers=JSON
        )
        assert status == 204
    _, devices, _ = await client.call("GET", "ring_devices")
    driveway = next(d for d in devices["stickup_cams"] if d["id"] == DRIVEWAY)
    assert (driveway["led_status"], driveway["siren_status"]) == (
        "off",
        {"seconds_remaining": 0},
    )


async def test_switch_errors(client: Client) -> None:
    """No JSON content type is 422 (as Ring since 2024-10); no light or siren is 404."""
    status, _, _ = await client.call("PUT", f"doorbots/{DRIVEWAY}/floodlight_light_on")
    assert status == 422
    status, _, _ = await client.call(
        "PUT", f"doorbots/{DRIVEWAY}/siren_on", params={"duration": "-1"}, headers=JSON
    )
    assert status == 422
    for path in (
        f"{FRONT}/floodlight_light_on",
        f"{FRONT}/siren_on",
        f"{CHIME}/siren_off",
    ):
        status, _, _ = await client.call("PUT", f"doorbots/{path}", headers=JSON)
        assert status == 404


async def test_snapshot_endpoints(client: Client) -> None:
    """Timestamps (POST, milliseconds) for the account's cameras; images are JPEGs."""
    ids = [FRONT, GARDEN, CHIME, OTHERS_FRONT, "x"]
    status, body, _ = await client.call(
        "POST", "snapshots/timestamps", json={"doorbot_ids": ids}
    )
    assert status == 200
    assert [t["doorbot_id"] for t in body["timestamps"]] == [FRONT, GARDEN]
    assert all(t["timestamp"] > 1.6e12 for t in body["timestamps"])
    status, image, resp = await client.call("GET", f"snapshots/image/{FRONT}")
    assert (status, resp.content_type) == (200, "image/jpeg")
    assert Image.open(io.BytesIO(image)).format == "JPEG"
    for path in (
        f"snapshots/image/{CHIME}",
        f"snapshots/image/{OTHERS_FRONT}",
        "snapshots/image/x",
    ):
        status, body, _ = await client.call("GET", path)
        assert (status, body) == (404, {"error": "no snapshot"})
    for bad in (b"not json", b"[]", b'{"doorbot_ids": 5}'):
        status, _, _ = await client.call(
            "POST", "snapshots/timestamps", data=bad, headers=JSON
        )
        assert status == 400


async def test_active_dings(client: Client, emulator: RingEmulator) -> None:
    """A fresh ding or motion is listed once per client, for three minutes at most."""
    ding = emulator.household.ding(FRONT)
    emulator.household.ding(GARDEN, "motion")
    emulator.household.ding(FRONT, "on_demand")  # a live view is no ding

    _, first, _ = await client.call("GET", "dings/active")
    _, again, _ = await client.call("GET", "dings/active")
    _, other_client, _ = await client.call(
        "GET", "dings/active", headers={"hardware_id": "other"}
    )

    assert [(d["doorbot_id"], d["kind"], d["motion"]) for d in first] == [
        (FRONT, "ding", False),
        (GARDEN, "motion", True),
    ]
    assert first[0]["id"] == ding.id
    assert first[0]["id_str"] == str(ding.id)
    assert first[0]["expires_in"] == 180
    assert first[0]["now"] == pytest.approx(ding.at)
    assert again == []
    assert len(other_client) == 2
    emulator.household.ding(FRONT)
    emulator.clock.advance(181)
    _, late, _ = await client.call(
        "GET", "dings/active", headers={"hardware_id": "third"}
    )
    assert late == []


async def test_shared_doorbell_in_authorized_doorbots(
    client: Client, emulator: RingEmulator
) -> None:
    """A doorbell shared with this account comes in authorized_doorbots, not owned."""
    emulator.household.share(OTHERS_FRONT, SMS)

    _, devices, _ = await client.call("GET", "ring_devices")
    status, _, _ = await client.call("GET", f"doorbots/{OTHERS_FRONT}/history")

    (shared,) = devices["authorized_doorbots"]
    assert (shared["id"], shared["owned"], shared["owner"]["email"]) == (
        OTHERS_FRONT,
        False,
        EMAIL,
    )
    assert all(d["owned"] for d in devices["doorbots"])
    assert status == 200


async def test_device_fields(client: Client, emulator: RingEmulator) -> None:
    """Battery fields as real devices send them; offline devices and low batteries say so."""
    emulator.household.update(GARDEN, battery=15)
    emulator.household.update(FRONT, online=False)
    _, devices, _ = await client.call("GET", "ring_devices")
    by_id = {d["id"]: d for group in devices.values() for d in group}

    assert by_id[FRONT]["battery_life"] == 4081  # a wired doorbell's number
    assert by_id[FRONT]["health"]["battery_present"] is False
    assert by_id[FRONT]["alerts"]["connection"] == "offline"
    assert by_id[BACK]["battery_life"] == "83"
    assert by_id[GARDEN]["alerts"]["battery"] == "low"
    assert by_id[GARDEN]["health"]["battery_percentage"] == 15
    assert "battery_life" not in by_id[CHIME]


async def test_authorization_faults_and_counters(
    client: Client, emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """Device endpoints need a live token, take injected faults, and are counted by route."""
    async with session.get(
        f"{emulator.url}/clients_api/doorbots/{FRONT}/health"
    ) as resp:
        assert resp.status == 401
    emulator.inject(Fault.SERVER_ERROR, where="api")
    status, _, _ = await client.call("GET", f"doorbots/{FRONT}/history")
    assert status == 503
    emulator.inject(Fault.TRUNCATED_JSON, where="api")
    status, cut, _ = await client.call("GET", f"snapshots/image/{FRONT}")
    assert status == 200
    assert cut.startswith(b"\xff\xd8")
    async with session.get(f"{emulator.url}/_emulator/counters") as resp:
        counters = await resp.json()

    endpoints = counters["endpoints"]
    assert endpoints["GET /clients_api/doorbots/{device_id}/health"] == 1
    assert endpoints["GET /clients_api/doorbots/{device_id}/history"] == 1
    assert endpoints["GET /clients_api/snapshots/image/{device_id}"] == 1
    assert endpoints["POST /oauth/token"] == 2  # the login: 2FA prompt, then the code
    assert not any("_emulator" in name for name in endpoints)
    assert counters["unauthorized"] == 1


async def test_reset_restores_the_household(
    client: Client, emulator: RingEmulator
) -> None:
    """reset() brings every account back to its default devices."""
    emulator.household.remove_device(FRONT)
    emulator.household.ding(BACK)
    emulator.reset()
    assert [d.id for d in emulator.household.devices(SMS)] == [
        FRONT,
        BACK,
        GARDEN,
        DRIVEWAY,
        CHIME,
    ]
    assert len(emulator.household.device(BACK).events) == 1
