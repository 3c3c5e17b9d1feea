"""GET dings/active: every fresh ding and motion of the account in one call, each listed once."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from custom_components.ring_auth.ringclient import (
    EventKind,
    RingDevicesApi,
    RingMalformedResponseError,
)
from custom_components.ring_auth.ringclient.parse import parse_ding, parse_dings
from ring_emulator import Fault, RingEmulator
from tests.conftest import ACCOUNT_ID, EMAIL

FRONT, BACK, GARDEN = (ACCOUNT_ID * 1000 + n for n in range(1, 4))


async def test_fresh_dings_are_listed_once(
    devices_api: RingDevicesApi, emulator: RingEmulator
) -> None:
    """A ding and a motion appear in the next call, with the history's id and time, then never again."""
    assert await devices_api.async_get_active_dings() == []
    ding = emulator.household.ding(FRONT, "ding")
    motion = emulator.household.ding(GARDEN, "motion")

    listed = await devices_api.async_get_active_dings()

    assert [(e.device_id, e.kind, e.event_id) for e in listed] == [
        (FRONT, EventKind.DING, str(ding.id)),
        (GARDEN, EventKind.MOTION, str(motion.id)),
    ]
    history = await devices_api.async_get_history(FRONT, limit=1)
    assert history[0].event_id == listed[0].event_id
    assert listed[0].created_at is not None and history[0].created_at is not None
    # Ring's history has milliseconds, the ding's `now` more digits: the same moment.
    assert abs(listed[0].created_at - history[0].created_at) < timedelta(milliseconds=1)
    assert await devices_api.async_get_active_dings() == []


async def test_a_ding_older_than_its_lifetime_is_not_listed(
    devices_api: RingDevicesApi, emulator: RingEmulator
) -> None:
    """Ring lists a ding for 180 s; a client that asks later finds it only in the history."""
    emulator.household.ding(BACK, "ding")
    emulator.clock.advance(181)

    assert await devices_api.async_get_active_dings() == []
    assert len(await devices_api.async_get_history(BACK, limit=10)) == 2


async def test_an_unreadable_answer_is_a_transient_error(
    devices_api: RingDevicesApi, emulator: RingEmulator
) -> None:
    """HTML where JSON was expected is malformed, not an empty list."""
    await devices_api.async_get_active_dings()
    emulator.inject(Fault.HTML, where="api")

    with pytest.raises(RingMalformedResponseError):
        await devices_api.async_get_active_dings()


def ding(**fields: Any) -> dict[str, Any]:
    """Return an active ding as python-ring-doorbell's fixture shows it, changed by `fields`."""
    entry: dict[str, Any] = {
        "id": 7400000000000000123,
        "id_str": "7400000000000000123",
        "state": "ringing",
        "doorbot_id": FRONT,
        "doorbot_description": "Front Door",
        "device_kind": "lpd_v2",
        "motion": False,
        "kind": "ding",
        "expires_in": 180,
        "now": 1777636800.25,
    }
    return {k: v for k, v in (entry | fields).items() if v is not ...}


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, (FRONT, "7400000000000000123", EventKind.DING, 1777636800.25)),
        ({"id_str": ..., "id": 99}, (FRONT, "99", EventKind.DING, 1777636800.25)),
        ({"kind": ..., "motion": True}, (FRONT, "7400000000000000123", EventKind.MOTION, 1777636800.25)),
        ({"kind": "on_demand_link"}, (FRONT, "7400000000000000123", EventKind.OTHER, 1777636800.25)),
        ({"now": "1777636800250"}, (FRONT, "7400000000000000123", EventKind.DING, 1777636800.25)),
        ({"now": ..., "created_at": "2026-05-01T12:00:00.000Z"}, (FRONT, "7400000000000000123", EventKind.DING, 1777636800.0)),
        ({"now": "soon"}, (FRONT, "7400000000000000123", EventKind.DING, None)),
        ({"doorbot_id": str(FRONT), "brand_new_field": {"x": 1}}, (FRONT, "7400000000000000123", EventKind.DING, 1777636800.25)),
    ],
)  # fmt: skip
def test_tolerant_ding_parsing(
    fields: dict[str, Any], expected: tuple[int, str, EventKind, float | None]
) -> None:
    """Renamed, missing, retyped and new fields give the best event the answer allows."""
    event = parse_ding(ding(**fields))

    assert event is not None
    created = None if event.created_at is None else event.created_at.timestamp()
    assert (event.device_id, event.event_id, event.kind, created) == expected
    assert event.created_at is None or event.created_at.tzinfo is UTC


@pytest.mark.parametrize(
    "entry",
    [
        ding(doorbot_id=...),
        ding(doorbot_id="front door"),
        ding(id=..., id_str=...),
        "a ding",
        None,
    ],
)
def test_unusable_dings_are_skipped(entry: Any) -> None:
    """A ding that names no device or has no id is skipped; the rest of the answer counts."""
    assert parse_ding(entry) is None
    assert [e.event_id for e in parse_dings([entry, ding()])] == ["7400000000000000123"]


@pytest.mark.parametrize("body", [None, {}, {"dings": []}, "[]", 3])
def test_an_answer_that_is_not_a_list_lists_nothing(body: Any) -> None:
    """An empty 2xx, an object or any other JSON value means no active ding."""
    assert parse_dings(body) == []


def test_times_are_aware_utc() -> None:
    """The ding's time is the `now` Ring sent, in UTC."""
    event = parse_ding(ding())

    assert event is not None
    assert event.created_at == datetime(2026, 5, 1, 12, 0, 0, 250000, tzinfo=UTC)
    assert EMAIL not in repr(event)
