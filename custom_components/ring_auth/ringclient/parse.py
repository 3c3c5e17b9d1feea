"""Tolerant parsing of Ring's device answers into the typed models.

A missing field, a field of the wrong type, a new field or an unknown kind never raises: the
value becomes None (or the entry is skipped when it cannot be used at all, logged at debug).
docs/ring-protocol.md section 7 records the shapes and what is assumed.
"""

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime
import logging
import math
from types import MappingProxyType
from typing import Any

from .devices import DeviceFamily, DeviceHealth, EventKind, RingDevice, RingEvent
from .kinds import LIGHT_KINDS, SIREN_KINDS, family_of, model_name
from .values import as_bool, as_id, as_mapping, as_number, as_percent, as_text, as_time

_LOGGER = logging.getLogger(__package__)

DEVICE_GROUPS = ("doorbots", "authorized_doorbots", "stickup_cams", "chimes", "other")
EPOCH_MS_ABOVE = (
    10**11
)  # a larger epoch number is in milliseconds (10**11 s is year 5138)
_EMPTY: Mapping[str, Any] = MappingProxyType({})


def battery_level(entry: Mapping[str, Any]) -> int | None:
    """Return a device's battery percent from battery_life (and battery_life_2) or health.

    A `health` block that says there is no battery wins (ring-client-api's getBatteryLevel);
    with two battery bays the lower level is reported, as ring-client-api does
    (python-ring-doorbell adds them up, capped at 100).
    """
    health = as_mapping(entry.get("health"))
    if health.get("battery_present") is False and "battery_percentage" not in health:
        return None
    levels = [
        level
        for level in (
            as_percent(entry.get("battery_life")),
            as_percent(entry.get("battery_life_2")),
        )
        if level is not None
    ]
    if levels:
        return min(levels)
    return as_percent(health.get("battery_percentage"))


def parse_device(group: str, entry: Any) -> RingDevice | None:
    """Return the device of one ring_devices entry (None when it has no usable id)."""
    if not isinstance(entry, Mapping):
        _LOGGER.debug("Skipping a %s entry that is not an object", group)
        return None
    dev_id = as_id(entry.get("id"))
    if dev_id is None:
        _LOGGER.debug("Skipping a %s entry without a usable id", group)
        return None
    kind = as_text(entry.get("kind")) or ""
    family = family_of(group, kind)
    model = model_name(kind, family)
    camera = family in (DeviceFamily.DOORBELL, DeviceFamily.CAMERA)
    health = as_mapping(entry.get("health"))
    has_light = camera and ("led_status" in entry or kind in LIGHT_KINDS)
    has_siren = camera and ("siren_status" in entry or kind in SIREN_KINDS)
    light = entry.get("led_status")
    seconds = as_number(as_mapping(entry.get("siren_status")).get("seconds_remaining"))
    return RingDevice(
        id=dev_id,
        name=as_text(entry.get("description")) or model,
        kind=kind,
        family=family,
        model=model,
        group=group,
        shared=group == "authorized_doorbots" or entry.get("owned") is False,
        device_id=as_text(entry.get("device_id")),
        firmware=as_text(entry.get("firmware_version")),
        battery_level=battery_level(entry),
        connection_status=as_text(as_mapping(entry.get("alerts")).get("connection")),
        location_id=as_text(entry.get("location_id")),
        time_zone=as_text(entry.get("time_zone")),
        has_light=has_light,
        has_siren=has_siren,
        light_on=(light == "on" or health.get("floodlight_on") is True)
        if has_light
        else None,
        siren_seconds_remaining=max(0, math.ceil(seconds or 0)) if has_siren else None,
        motion_detection=as_bool(
            as_mapping(entry.get("settings")).get("motion_detection_enabled")
        ),
        raw=MappingProxyType(dict(entry)),
    )


def parse_devices(body: Mapping[str, Any]) -> list[RingDevice]:
    """Return the devices of a ring_devices answer (each id once; other lists ignored)."""
    devices: list[RingDevice] = []
    seen: set[int] = set()
    for group in DEVICE_GROUPS:
        entries = body.get(group)
        if not isinstance(entries, list):
            if entries is not None:
                _LOGGER.debug("Ignoring ring_devices.%s: not a list", group)
            continue
        for entry in entries:
            device = parse_device(group, entry)
            if device is None:
                continue
            if device.id in seen:
                _LOGGER.debug("Device %s is listed twice; keeping the first", device.id)
                continue
            seen.add(device.id)
            devices.append(device)
    return devices


def parse_health(device_id: int, body: Mapping[str, Any]) -> DeviceHealth:
    """Return the health in a health answer ({"device_health": {...}}, or the bare object)."""
    data = as_mapping(body.get("device_health", body))
    signal = next(
        (
            round(value)
            for key in ("latest_signal_strength", "rssi", "average_signal_strength")
            if (value := as_number(data.get(key))) is not None and -150 <= value <= 0
        ),
        None,
    )
    return DeviceHealth(
        device_id=device_id,
        wifi_name=as_text(data.get("wifi_name")),
        signal_strength=signal,
        signal_category=as_text(
            data.get("latest_signal_category") or data.get("rssi_category")
        ),
        battery_level=as_percent(data.get("battery_percentage")),
        firmware=as_text(data.get("firmware") or data.get("firmware_version")),
        updated_at=as_time(data.get("updated_at")),
        raw=MappingProxyType(dict(data)),
    )


def parse_event(device_id: int, entry: Any) -> RingEvent | None:
    """Return one history event (None without a usable id)."""
    if not isinstance(entry, Mapping):
        return None
    event_id = next(
        (
            str(found)
            for key in ("id_str", "ding_id_str", "id", "ding_id")
            if (found := as_id(entry.get(key))) is not None
        ),
        None,
    )
    if event_id is None:
        _LOGGER.debug("Skipping a history entry of device %s without an id", device_id)
        return None
    ring_kind = as_text(entry.get("kind")) or ""
    kind = EventKind(ring_kind) if ring_kind in EventKind else EventKind.OTHER
    answered = as_bool(entry.get("answered"))
    if answered is None and isinstance(entry.get("state"), str):
        answered = entry["state"] == "completed"  # ring-client-api's CameraEvent shape
    return RingEvent(
        event_id=event_id,
        device_id=device_id,
        kind=kind,
        ring_kind=ring_kind,
        created_at=as_time(entry.get("created_at")),
        answered=answered,
        raw=MappingProxyType(dict(entry)),
    )


def parse_history(device_id: int, entries: Iterable[Any]) -> list[RingEvent]:
    """Return the usable events of a history answer, in Ring's order (newest first)."""
    return [e for entry in entries if (e := parse_event(device_id, entry)) is not None]


def parse_ding(entry: Any) -> RingEvent | None:
    """Return an active ding as an event of its device (None without a device or an id).

    Its id is the id the device's history gives the same event (docs/ring-protocol.md 7.8);
    its time is `now`, the epoch seconds python-ring-doorbell counts `expires_in` from.
    """
    device_id = as_id(as_mapping(entry).get("doorbot_id"))
    event = None if device_id is None else parse_event(device_id, entry)
    if event is None:
        _LOGGER.debug("Skipping an active ding without a device or an id")
        return None
    kind = event.kind
    if not event.ring_kind and entry.get("motion") is True:
        kind = EventKind.MOTION
    created = event.created_at or as_time(entry.get("now"))
    return replace(event, kind=kind, created_at=created)


def parse_dings(body: Any) -> list[RingEvent]:
    """Return the usable dings of a dings/active answer (anything but a list: none)."""
    if not isinstance(body, list):
        if body is not None:
            _LOGGER.debug("Ignoring a dings/active answer that is not a list")
        return []
    return [event for entry in body if (event := parse_ding(entry)) is not None]


def parse_snapshot_times(body: Any) -> dict[int, datetime]:
    """Return when each device's newest snapshot was taken, from a timestamps answer."""
    times: dict[int, datetime] = {}
    stamps = as_mapping(body).get("timestamps")
    for item in stamps if isinstance(stamps, list) else ():
        stamp = as_mapping(item)
        dev_id = as_id(stamp.get("doorbot_id"))
        taken = as_time(stamp.get("timestamp"))
        if dev_id is not None and taken is not None:
            times[dev_id] = taken
    return times
