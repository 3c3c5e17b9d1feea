"""Odd answers Ring may give: missing, renamed, mistyped and new fields never break an update."""

from datetime import UTC, datetime
import logging
from typing import Any

import pytest

from custom_components.ring_auth.ringclient import (
    DeviceFamily,
    EventKind,
    RingApiError,
    RingDevicesApi,
    RingMalformedResponseError,
)
from custom_components.ring_auth.ringclient.kinds import model_name
from custom_components.ring_auth.ringclient.parse import (
    parse_devices,
    parse_health,
    parse_history,
    parse_snapshot_times,
)
from custom_components.ring_auth.ringclient.values import as_bool, as_time

JPEG = b"\xff\xd8\xff\xe0 a jpeg"


class ScriptedApi:
    """Stands in for RingApi: answers each call from a script and records it."""

    def __init__(self, answer: Any = None, image: bytes | Exception = b"") -> None:
        """Answer every JSON call with `answer`, every bytes call with `image`."""
        self.answer = answer
        self.image = image
        self.calls: list[tuple[str, str, Any, Any]] = []

    async def async_get_devices(self) -> Any:
        """Return the scripted device list."""
        return self.answer

    async def async_request(
        self, method: str, path: str, *, json: Any = None, params: Any = None
    ) -> Any:
        """Record the call and return the scripted answer."""
        self.calls.append((method, path, json, params))
        return self.answer

    async def async_request_bytes(self, method: str, path: str, **_: Any) -> bytes:
        """Record the call and return (or raise) the scripted image."""
        self.calls.append((method, path, None, None))
        if isinstance(self.image, Exception):
            raise self.image
        return self.image


def scripted(
    answer: Any = None, image: bytes | Exception = b""
) -> tuple[RingDevicesApi, ScriptedApi]:
    """Return a RingDevicesApi on a scripted API."""
    api = ScriptedApi(answer, image)
    return RingDevicesApi(api), api  # type: ignore[arg-type]


def test_odd_device_lists_are_tolerated(caplog: pytest.LogCaptureFixture) -> None:
    """Entries without a usable id are skipped (logged at debug); odd fields become None."""
    caplog.set_level(logging.DEBUG)
    body = {
        "doorbots": [
            {"id": 1, "kind": "cocoa_doorbell_v9", "battery_life": "n/a", "alerts": []},
            {"description": "no id"},
            {"id": True, "description": "a bool is no id"},
            "not an object",
            {"id": "7", "description": "   ", "kind": 12, "firmware_version": 3},
        ],
        "stickup_cams": "not a list",
        "chimes": [{"id": 1, "kind": "chime", "description": "listed twice"}],
        "other": [
            {"id": 9, "kind": "intercom_handset_video", "battery_life": "52"},
            {"id": 10, "kind": "three_p_cam", "owned": False},
        ],
        "base_stations": [{"id": 11}],
        "something_new": [{"id": 12}],
    }

    devices = parse_devices(body)

    assert [(d.id, d.family) for d in devices] == [
        (1, DeviceFamily.DOORBELL),
        (7, DeviceFamily.DOORBELL),
        (9, DeviceFamily.INTERCOM),
        (10, DeviceFamily.OTHER),
    ]
    first, seventh, intercom, other = devices
    assert first.model == "Doorbell (cocoa_doorbell_v9)"
    assert first.name == first.model  # no description: the model names it
    assert (first.battery_level, first.connection_status, first.online) == (
        None,
        None,
        None,
    )
    assert (seventh.kind, seventh.name, seventh.firmware) == (
        "12",
        "Doorbell (12)",
        "3",
    )
    assert (intercom.model, intercom.battery_level, intercom.has_camera) == (
        "Intercom",
        52,
        False,
    )
    assert (other.shared, other.has_history, other.light_on) == (True, True, None)
    assert "without a usable id" in caplog.text
    assert "listed twice" in caplog.text
    assert parse_devices({}) == []


@pytest.mark.parametrize(
    ("entry", "level"),
    [
        ({"battery_life": 71}, 71),
        ({"battery_life": "100"}, 100),
        ({"battery_life": 55.6}, 56),
        ({"battery_life": 4003}, None),  # a wired device's number, not a percentage
        ({"battery_life": None, "battery_life_2": 40}, 40),
        ({"battery_life": 90, "battery_life_2": 30}, 30),  # the lower of two bays
        ({"battery_life": 80, "health": {"battery_present": False}}, None),
        ({"battery_life": None, "health": {"battery_percentage": 77}}, 77),
        ({"battery_life": True}, None),
        ({}, None),
    ],
)
def test_battery_levels(entry: dict[str, Any], level: int | None) -> None:
    """Battery levels as numbers, text, two bays, a health block, or nonsense."""
    (device,) = parse_devices(
        {"stickup_cams": [{"id": 1, "kind": "stickup_cam", **entry}]}
    )
    assert device.battery_level == level


def test_light_and_siren_from_fields_or_kind() -> None:
    """A light or siren is known from led_status / siren_status, or from the kind."""
    devices = parse_devices(
        {
            "stickup_cams": [
                {"id": 1, "kind": "new_cam", "led_status": "on", "siren_status": {}},
                {"id": 2, "kind": "floodlight_pro", "health": {"floodlight_on": True}},
                {
                    "id": 3,
                    "kind": "stickup_cam_mini",
                    "siren_status": {"seconds_remaining": "12.2"},
                },
                {"id": 4, "kind": "doorbell_portal"},
            ],
            "chimes": [{"id": 5, "kind": "chime", "led_status": "on"}],
        }
    )
    light = {d.id: (d.has_light, d.light_on) for d in devices}
    siren = {d.id: (d.has_siren, d.siren_seconds_remaining) for d in devices}
    assert light == {
        1: (True, True),
        2: (True, True),
        3: (False, None),
        4: (False, None),
        5: (False, None),
    }
    assert siren == {
        1: (True, 0),
        2: (True, 0),
        3: (True, 13),
        4: (False, None),
        5: (False, None),
    }
    assert (
        devices[3].family is DeviceFamily.DOORBELL
    )  # a doorbell kind among stickup_cams


def test_model_names() -> None:
    """Known kinds have their product name; unknown ones name the family and kind."""
    assert model_name("lpd_v4", DeviceFamily.DOORBELL) == "Doorbell Pro 2"
    assert model_name("brand_new", DeviceFamily.CAMERA) == "Camera (brand_new)"
    assert model_name("", DeviceFamily.OTHER) == "Device"


def test_health_shapes() -> None:
    """Health with or without its wrapper; rssi when latest_signal_strength is missing."""
    wrapped = parse_health(
        1,
        {
            "device_health": {
                "wifi_name": "home",
                "latest_signal_strength": "-61",
                "latest_signal_category": "good",
                "battery_percentage": "very_good",  # a category where a number was expected
                "firmware": "1.9.2",
                "updated_at": "2017-09-30T07:05:03Z",
            }
        },
    )
    bare = parse_health(
        2, {"rssi": -48, "firmware_version": "cam-1.2", "updated_at": 1.7e12}
    )
    absurd = parse_health(3, {"device_health": {"latest_signal_strength": 40}})
    empty = parse_health(4, {"device_health": "gone"})

    assert (wrapped.signal_strength, wrapped.battery_level, wrapped.firmware) == (
        -61,
        None,
        "1.9.2",
    )
    assert wrapped.updated_at == datetime(2017, 9, 30, 7, 5, 3, tzinfo=UTC)
    assert (bare.signal_strength, bare.firmware) == (-48, "cam-1.2")
    assert bare.updated_at == datetime.fromtimestamp(1.7e9, UTC)
    assert absurd.signal_strength is None
    assert (empty.device_id, empty.wifi_name, empty.signal_strength) == (4, None, None)


def test_history_shapes(caplog: pytest.LogCaptureFixture) -> None:
    """Ids as numbers or text, unknown kinds, odd times; entries without an id are skipped."""
    caplog.set_level(logging.DEBUG)
    events = parse_history(
        5,
        [
            {
                "id": 7330963245622279024,
                "kind": "ding",
                "created_at": "2024-02-02T11:21:24.000Z",
                "answered": False,
            },
            {
                "id_str": "42",
                "id": 1.5,
                "kind": "on_demand_link",
                "created_at": "yesterday",
            },
            {
                "ding_id_str": "43",
                "kind": "motion",
                "created_at": 1700000000,
                "state": "completed",
            },
            {
                "ding_id": 44,
                "state": "timed_out",
                "created_at": "2024-02-02T12:00:00+01:00",
            },
            {"kind": "ding"},
            ["not", "an", "object"],
        ],
    )

    assert [(e.event_id, e.kind, e.ring_kind, e.answered) for e in events] == [
        ("7330963245622279024", EventKind.DING, "ding", False),
        ("42", EventKind.OTHER, "on_demand_link", None),
        ("43", EventKind.MOTION, "motion", True),
        ("44", EventKind.OTHER, "", False),
    ]
    assert events[0].created_at == datetime(2024, 2, 2, 11, 21, 24, tzinfo=UTC)
    assert events[1].created_at is None
    assert events[2].created_at == datetime.fromtimestamp(1700000000, UTC)
    assert events[3].created_at == datetime(2024, 2, 2, 11, 0, tzinfo=UTC)
    assert all(e.device_id == 5 for e in events)
    assert "without an id" in caplog.text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2017-03-05T15:03:40Z", datetime(2017, 3, 5, 15, 3, 40, tzinfo=UTC)),
        (
            "2017-03-05T15:03:40",
            datetime(2017, 3, 5, 15, 3, 40, tzinfo=UTC),
        ),  # naive: UTC
        ("1488726220000", datetime(2017, 3, 5, 15, 3, 40, tzinfo=UTC)),
        (0, None),
        (-5, None),
        (1e300, None),
        (None, None),
        ([], None),
    ],
)
def test_times(value: Any, expected: datetime | None) -> None:
    """ISO 8601 with or without zone, epoch seconds or milliseconds; nonsense is None."""
    assert as_time(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, True),
        (0, False),
        (1, True),
        (2, None),
        (" TRUE ", True),
        ("false", False),
        ("yes", None),
        (None, None),
    ],
)
def test_booleans(value: Any, expected: bool | None) -> None:
    """Booleans as JSON, 0/1 or text; anything else is unknown."""
    assert as_bool(value) is expected


def test_motion_detection_setting() -> None:
    """settings.motion_detection_enabled is read tolerantly."""
    devices = parse_devices(
        {
            "doorbots": [
                {"id": 1, "settings": {"motion_detection_enabled": "false"}},
                {"id": 2, "settings": {"motion_detection_enabled": 1}},
                {"id": 3, "settings": None},
            ]
        }
    )
    assert [d.motion_detection for d in devices] == [False, True, None]


def test_snapshot_time_shapes() -> None:
    """Timestamps in milliseconds; odd items and bodies give no time."""
    body = {
        "timestamps": [
            {"doorbot_id": 1, "timestamp": 1488726220000},
            {"doorbot_id": 2, "timestamp": 0},
            {"doorbot_id": "x", "timestamp": 1488726220000},
            "junk",
        ]
    }
    assert parse_snapshot_times(body) == {
        1: datetime(2017, 3, 5, 15, 3, 40, tzinfo=UTC)
    }
    assert parse_snapshot_times({"timestamps": "none"}) == {}
    assert parse_snapshot_times(None) == {}


async def test_scripted_answers() -> None:
    """Wrong JSON types are malformed answers; an empty history is an empty list."""
    devices_api, api = scripted(answer=None)
    assert await devices_api.async_get_history(1, limit=100) == []
    assert api.calls == [("GET", "/doorbots/1/history", None, {"limit": "100"})]

    devices_api, _ = scripted(answer={"oops": 1})
    with pytest.raises(RingMalformedResponseError):
        await devices_api.async_get_history(1)

    devices_api, _ = scripted(answer=[1, 2])
    (device,) = parse_devices({"chimes": [{"id": 3, "kind": "chime"}]})
    with pytest.raises(RingMalformedResponseError):
        await devices_api.async_get_health(device)


async def test_scripted_snapshots() -> None:
    """Empty bodies are no snapshot; a non-image body is malformed; other errors pass on."""
    devices_api, api = scripted(image=JPEG)
    assert await devices_api.async_get_snapshot(1) == JPEG
    assert api.calls == [("GET", "/snapshots/image/1", None, None)]

    devices_api, _ = scripted(image=b"")
    assert await devices_api.async_get_snapshot(1) is None

    devices_api, _ = scripted(image=b'{"error": "no snapshot"}')
    with pytest.raises(RingMalformedResponseError):
        await devices_api.async_get_snapshot(1)

    devices_api, _ = scripted(image=RingApiError(410))
    with pytest.raises(RingApiError):
        await devices_api.async_get_snapshot(1)


async def test_scripted_switches() -> None:
    """Light and siren calls: the paths and the siren's duration parameter."""
    devices_api, api = scripted()

    await devices_api.async_set_light(4, True)
    await devices_api.async_set_light(4, False)
    await devices_api.async_set_siren(4, True, duration=120)
    await devices_api.async_set_siren(4, True)
    await devices_api.async_set_siren(4, False, duration=5)

    assert api.calls == [
        ("PUT", "/doorbots/4/floodlight_light_on", None, None),
        ("PUT", "/doorbots/4/floodlight_light_off", None, None),
        ("PUT", "/doorbots/4/siren_on", None, {"duration": "120"}),
        ("PUT", "/doorbots/4/siren_on", None, None),
        ("PUT", "/doorbots/4/siren_off", None, None),
    ]
    with pytest.raises(ValueError, match="duration"):
        await devices_api.async_set_siren(4, True, duration=121)
