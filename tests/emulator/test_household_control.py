"""The household's control routes: /_emulator/devices and /_emulator/ding."""

from __future__ import annotations

import aiohttp
import pytest

from ring_emulator import RingEmulator

from .common import EMAIL, SMS
from .test_control import call

FRONT, GARDEN, CHIME = 111001, 111003, 111005


async def test_list_devices(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """All devices, or one account's; an unknown account is 404."""
    status, every = await call(session, emulator, "GET", "devices")
    assert status == 200
    assert {d["email"] for d in every} >= {SMS, EMAIL}
    status, mine = await call(session, emulator, "GET", f"devices?email={SMS}")
    assert [d["name"] for d in mine] == [
        "Front Door",
        "Back Door",
        "Garden",
        "Driveway",
        "Hallway Chime",
    ]
    assert mine[3]["has_light"] is True
    status, body = await call(
        session, emulator, "GET", "devices?email=nobody@example.com"
    )
    assert status == 404
    assert "unknown account or device" in body["error"]


async def test_add_change_share_remove(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """A device added over HTTP can be changed, shared and removed."""
    new = {"email": SMS, "kind": "doorbell_scallop", "name": "Garage", "battery": 77}
    status, added = await call(session, emulator, "POST", "devices", new)
    assert status == 201
    assert (added["group"], added["battery"], added["id"]) == ("doorbots", 77, 111011)

    status, changed = await call(
        session,
        emulator,
        "PATCH",
        f"devices/{added['id']}",
        {"online": False, "rssi": -80},
    )
    assert (status, changed["online"], changed["rssi"]) == (200, False, -80)
    status, shared = await call(
        session, emulator, "POST", f"devices/{added['id']}/share", {"email": EMAIL}
    )
    assert (status, shared["shared_with"]) == (200, [EMAIL])
    status, removed = await call(session, emulator, "DELETE", f"devices/{added['id']}")
    assert (status, removed["name"]) == (200, "Garage")
    status, _ = await call(session, emulator, "DELETE", f"devices/{added['id']}")
    assert status == 404


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("POST", "devices", {"email": SMS, "kind": "chime"}, 400),
        (
            "POST",
            "devices",
            {"email": SMS, "kind": "chime", "name": "x", "battery": 300},
            400,
        ),
        (
            "POST",
            "devices",
            {"email": SMS, "kind": "chime", "name": "x", "colour": 1},
            201,
        ),
        ("POST", "devices", [1], 400),
        (
            "POST",
            "devices",
            {"email": SMS, "kind": "x", "name": "x", "light": "on"},
            400,
        ),
        (
            "POST",
            "devices",
            {"email": SMS, "kind": "x", "name": "x", "battery": "9"},
            400,
        ),
        ("PATCH", f"devices/{GARDEN}", {"battery": "full"}, 400),
        ("PATCH", f"devices/{GARDEN}", {"owner": "me"}, 400),
        ("PATCH", "devices/garden", {"battery": 5}, 404),
        ("POST", f"devices/{CHIME}/share", {"email": EMAIL}, 400),
        ("POST", f"devices/{FRONT}/share", {"email": 5}, 400),
        ("POST", f"devices/{FRONT}/share", {"email": "nobody@example.com"}, 404),
    ],
)
async def test_bad_requests(
    emulator: RingEmulator,
    session: aiohttp.ClientSession,
    method: str,
    path: str,
    body: object,
    status: int,
) -> None:
    """Missing or wrong values are 400 with a reason; unknown ids are 404."""
    got, answer = await call(session, emulator, method, path, body)
    assert got == status, answer
    if status >= 400:
        assert answer["error"]


async def test_ding(emulator: RingEmulator, session: aiohttp.ClientSession) -> None:
    """POST /_emulator/ding rings a doorbell or reports motion; history grows."""
    status, ding = await call(session, emulator, "POST", "ding", {"device_id": FRONT})
    assert status == 201
    assert (ding["device_id"], ding["kind"]) == (FRONT, "ding")
    assert ding["created_at"] == pytest.approx(emulator.clock.now(), abs=1)
    status, motion = await call(
        session, emulator, "POST", "ding", {"device_id": GARDEN, "kind": "motion"}
    )
    assert status == 201
    assert motion["id"] > ding["id"]
    assert emulator.household.device(FRONT).events[-1].id == ding["id"]

    for body, expected in [
        ({"device_id": GARDEN, "kind": "ding"}, 400),
        ({"device_id": "111001"}, 400),
        ({"device_id": True}, 400),
        ({"device_id": FRONT, "kind": 3}, 400),
        ({"device_id": 5}, 404),
    ]:
        got, answer = await call(session, emulator, "POST", "ding", body)
        assert (got, bool(answer["error"])) == (expected, True), body


async def test_not_json(emulator: RingEmulator, session: aiohttp.ClientSession) -> None:
    """A body that is not JSON is 400."""
    async with session.post(f"{emulator.url}/_emulator/ding", data=b"ring!") as resp:
        assert resp.status == 400
        assert (await resp.json())["error"] == "body is not JSON"
