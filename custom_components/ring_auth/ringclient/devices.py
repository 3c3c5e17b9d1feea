"""Typed, frozen views of Ring devices, their health and their history events."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any

_EMPTY: Mapping[str, Any] = MappingProxyType({})


class DeviceFamily(StrEnum):
    """What a device is, whichever ring_devices list it came in."""

    DOORBELL = "doorbell"
    CAMERA = "camera"
    CHIME = "chime"
    INTERCOM = "intercom"
    OTHER = "other"


class EventKind(StrEnum):
    """What happened, as Ring's history `kind` says (anything unknown is OTHER)."""

    DING = "ding"
    MOTION = "motion"
    ON_DEMAND = "on_demand"
    OTHER = "other"


@dataclass(frozen=True, slots=True, kw_only=True)
class RingDevice:
    """One device of the account, from GET ring_devices.

    `raw` is Ring's entry as sent (read-only); it holds personal data (the owner's email, the
    address and coordinates), so diagnostics must redact it. Everything else is parsed from it
    tolerantly: a missing or odd field gives None (or False), never an error.
    """

    id: int
    name: str
    kind: str
    family: DeviceFamily
    model: str
    group: str  # the ring_devices list: doorbots, authorized_doorbots, stickup_cams, chimes, other
    shared: bool  # another account's device shared with this one
    device_id: str | None  # Ring's hardware identifier (often the MAC), not the API id
    firmware: str | None
    battery_level: int | None  # percent; None for mains-powered devices or when unknown
    connection_status: str | None  # alerts.connection: "online", "offline", ...
    location_id: str | None
    time_zone: str | None
    has_light: bool
    has_siren: bool
    light_on: bool | None  # None when the device has no light
    siren_seconds_remaining: int | None  # None when the device has no siren
    motion_detection: bool | None
    raw: Mapping[str, Any] = field(default=_EMPTY, repr=False, compare=False)

    @property
    def online(self) -> bool | None:
        """Return whether Ring reports the device online (None when it does not say)."""
        if self.connection_status is None:
            return None
        return self.connection_status.casefold() == "online"

    @property
    def siren_on(self) -> bool | None:
        """Return whether the siren sounds (None when the device has no siren)."""
        if self.siren_seconds_remaining is None:
            return None
        return self.siren_seconds_remaining > 0

    @property
    def has_history(self) -> bool:
        """Return whether the device keeps a history of events (all but chimes)."""
        return self.family is not DeviceFamily.CHIME

    @property
    def has_camera(self) -> bool:
        """Return whether the device takes snapshots (doorbells and cameras)."""
        return self.family in (DeviceFamily.DOORBELL, DeviceFamily.CAMERA)


@dataclass(frozen=True, slots=True, kw_only=True)
class DeviceHealth:
    """A device's health, from GET doorbots/{id}/health or chimes/{id}/health."""

    device_id: int
    wifi_name: str | None
    signal_strength: int | None  # dBm (latest_signal_strength, else rssi)
    signal_category: str | None  # Ring's word: "good", "poor", ...
    battery_level: int | None  # percent
    firmware: str | None
    updated_at: datetime | None
    raw: Mapping[str, Any] = field(default=_EMPTY, repr=False, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class RingEvent:
    """One event of a device's history: a doorbell press, a motion, a live view, ..."""

    event_id: str  # Ring's id as text (the numbers exceed 2**53)
    device_id: int
    kind: EventKind
    ring_kind: str  # Ring's own word, e.g. "on_demand_link" for an OTHER event
    created_at: datetime | None  # aware (UTC); None only when Ring's time is unreadable
    answered: bool | None
    raw: Mapping[str, Any] = field(default=_EMPTY, repr=False, compare=False)
