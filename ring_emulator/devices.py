"""The emulated Ring devices: their state, and the household every account starts with."""

from __future__ import annotations

from dataclasses import dataclass, field
import math
from typing import Any

from .settings import Account

# The lists of GET ring_devices, and which of them hold cameras (history, snapshots).
GROUPS = ("doorbots", "authorized_doorbots", "chimes", "stickup_cams", "other")
CAMERA_GROUPS = frozenset({"doorbots", "stickup_cams"})
EVENT_KINDS = ("ding", "motion", "on_demand")

LIGHT_WORDS = ("floodlight", "spotlight", "hp_cam", "stickup_cam_v4", "longfin")
SIREN_KINDS = frozenset({"stickup_cam_lunar", "stickup_cam_mini", "cocoa_camera"})
DOORBELL_PREFIXES = ("doorbell", "doorbot", "lpd_", "jbox_", "cocoa_doorbell")
CAMERA_WORDS = ("cam", "floodlight", "spotlight", "stickup")

UPDATABLE = frozenset(
    {
        "name",
        "battery",
        "rssi",
        "wifi_name",
        "firmware",
        "online",
        "snapshots",
        "motion_detection",
    }
)
LIGHT_SECONDS = 30  # floodlight_settings.duration: how long a light turned on stays on
SIREN_SECONDS = 30  # a siren turned on without a duration
WIRED_SNAPSHOT_EVERY = 30  # seconds between periodic snapshots of a wired camera
BATTERY_SNAPSHOT_EVERY = 600  # battery cameras: every 10 minutes


def group_for(kind: str) -> str:
    """Return the ring_devices list a device of this kind is listed in."""
    low = kind.casefold()
    if low.startswith("chime"):
        return "chimes"
    if low.startswith("intercom"):
        return "other"
    if low.startswith(DOORBELL_PREFIXES):
        return "doorbots"
    if any(word in low for word in CAMERA_WORDS):
        return "stickup_cams"
    return "other"


def default_light(kind: str) -> bool:
    """Return whether a camera of this kind has a light, unless told otherwise."""
    return any(word in kind.casefold() for word in LIGHT_WORDS)


def default_siren(kind: str) -> bool:
    """Return whether a camera of this kind has a siren, unless told otherwise."""
    return default_light(kind) or kind.casefold() in SIREN_KINDS


@dataclass(slots=True, frozen=True)
class EmuEvent:
    """One event in a device's history."""

    id: int
    at: float
    kind: str
    answered: bool = False


@dataclass(slots=True)
class EmuDevice:
    """One device as the emulator keeps it; times are emulator epoch seconds."""

    id: int
    owner: str  # the owning account's key
    kind: str
    description: str
    group: str
    location_id: str
    created_at: float
    battery: int | None = None  # percent; None for a wired device
    battery_as_text: bool = False  # Ring sends some levels as strings ("83")
    wired_battery_life: int | None = (
        None  # wired devices may report e.g. 4081 (not a percent)
    )
    has_light: bool = False
    has_siren: bool = False
    firmware: str = "cam-1.24.1100"
    wifi_name: str = "emulator-wifi"
    rssi: int = -52
    online: bool = True
    snapshots: bool = True
    motion_detection: bool = True
    shared_with: list[str] = field(default_factory=list)
    light_until: float = 0.0
    siren_until: float = 0.0
    offline_since: float | None = None
    events: list[EmuEvent] = field(default_factory=list)  # oldest first

    @property
    def is_camera(self) -> bool:
        """Return whether the device records (history, snapshots)."""
        return self.group in CAMERA_GROUPS

    @property
    def has_history(self) -> bool:
        """Return whether GET doorbots/{id}/history answers for it (cameras and intercoms)."""
        return self.is_camera or self.group == "other"

    @property
    def is_doorbell(self) -> bool:
        """Return whether it can be pressed (doorbells and intercoms)."""
        return self.group == "doorbots" or self.kind.startswith("intercom")

    @property
    def wired(self) -> bool:
        """Return whether it runs on mains power."""
        return self.battery is None

    def visible_to(self, account_key: str) -> bool:
        """Return whether an account sees the device (its owner, or shared with it)."""
        return account_key in (self.owner, *self.shared_with)

    def light_on(self, now: float) -> bool:
        """Return whether the light is on now."""
        return self.has_light and now < self.light_until

    def siren_seconds(self, now: float) -> int:
        """Return the seconds the siren still sounds (0 when silent)."""
        return max(0, math.ceil(self.siren_until - now)) if self.has_siren else 0

    def event_kinds(self) -> tuple[str, ...]:
        """Return the event kinds this device can produce."""
        if self.group == "chimes":
            return ()
        kinds = []
        if self.is_doorbell:
            kinds.append("ding")
        if self.is_camera:
            kinds.append("motion")
        kinds.append("on_demand")
        return tuple(kinds)

    def snapshot_time(self, now: float) -> float | None:
        """Return when the newest snapshot was taken: periodically, and at every event."""
        if not self.is_camera or not self.snapshots:
            return None
        until = now if self.online else (self.offline_since or now)
        every = WIRED_SNAPSHOT_EVERY if self.wired else BATTERY_SNAPSHOT_EVERY
        periodic = max(self.created_at, math.floor(until / every) * every)
        last_event = max((e.at for e in self.events if e.at <= until), default=0.0)
        return max(periodic, last_event)

    def summary(self, owner_email: str, now: float) -> dict[str, Any]:
        """Return the control API's view of the device."""
        return {
            "id": self.id,
            "email": owner_email,
            "kind": self.kind,
            "name": self.description,
            "group": self.group,
            "battery": self.battery,
            "rssi": self.rssi,
            "wifi_name": self.wifi_name,
            "firmware": self.firmware,
            "online": self.online,
            "snapshots": self.snapshots,
            "motion_detection": self.motion_detection,
            "has_light": self.has_light,
            "has_siren": self.has_siren,
            "light_on": self.light_on(now),
            "siren_seconds_remaining": self.siren_seconds(now),
            "shared_with": list(self.shared_with),
            "events": len(self.events),
        }


# The five devices of every account's default household: (offset, kind, name, battery, extras).
DEFAULT_DEVICES: tuple[tuple[int, str, str, int | None, dict[str, Any]], ...] = (
    (1, "lpd_v2", "Front Door", None, {"wired_battery_life": 4081}),
    (2, "doorbell_v5", "Back Door", 83, {"battery_as_text": True, "rssi": -61}),
    (3, "stickup_cam_lunar", "Garden", 64, {"has_siren": True, "rssi": -67}),
    (
        4,
        "floodlight_v2",
        "Driveway",
        None,
        {"has_light": True, "has_siren": True, "rssi": -48},
    ),
    (5, "chime_pro", "Hallway Chime", None, {"firmware": "1.2.3", "rssi": -44}),
)
# Events already in each default device's history, as (seconds before start, kind, answered).
DEFAULT_HISTORY: dict[int, tuple[tuple[int, str, bool], ...]] = {
    1: (
        (3 * 3600, "motion", False),
        (2 * 3600, "ding", False),
        (3600, "on_demand", True),
    ),
    2: ((5400, "ding", True),),
    3: ((7200, "motion", False),),
    4: ((4000, "motion", False), (1800, "motion", False)),
}


def device_id(account: Account, offset: int) -> int:
    """Return a stable device id: the account id times 1000 plus a per-account number."""
    return int(account.account_id or 0) * 1000 + offset


def default_devices(account: Account, now: float) -> list[EmuDevice]:
    """Return a new default household for an account (no history yet)."""
    location = f"loc-{account.account_id}"
    return [
        EmuDevice(
            id=device_id(account, offset),
            owner=account.key,
            kind=kind,
            description=name,
            group=group_for(kind),
            location_id=location,
            created_at=now - 7 * 86400,
            battery=battery,
            **extras,
        )
        for offset, kind, name, battery, extras in DEFAULT_DEVICES
    ]


def checked_value(name: str, value: Any) -> Any:
    """Validate a value for Household.update(); return it."""
    if name in ("online", "snapshots", "motion_detection"):
        if not isinstance(value, bool):
            raise TypeError(f"{name} must be true or false")
        return value
    if name in ("name", "wifi_name", "firmware"):
        if not isinstance(value, str) or not value:
            raise TypeError(f"{name} must be a non-empty string")
        return value
    if value is None and name == "battery":
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an integer")
    if name == "battery" and not 0 <= value <= 100:
        raise ValueError("battery must be a percentage")
    return value
