"""Each account's Ring devices, their history and state, and the hooks that change them.

Every account starts with the default household of `devices.DEFAULT_DEVICES` (made the first
time anything asks for the account's devices); tests and demos add, remove, share and change
devices, and make them ring, through the Python methods here or the /_emulator/ routes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict
import itertools
from typing import Any

from .devices import (
    DEFAULT_HISTORY,
    EVENT_KINDS,
    GROUPS,
    LIGHT_SECONDS,
    SIREN_SECONDS,
    UPDATABLE,
    EmuDevice,
    EmuEvent,
    checked_value,
    default_devices,
    default_light,
    default_siren,
    device_id,
    group_for,
)
from .ding_feed import DingFeed
from .settings import Account, Clock

# History ids are large and increasing, like Ring's (which exceed 2**53).
EVENT_ID_BASE = 7_400_000_000_000_000_000
FIRST_ADDED_OFFSET = 11
MAX_EVENTS = 500  # per device; older events drop out of the history


class Household:
    """The devices of every account, keyed by device id."""

    def __init__(self, clock: Clock, accounts: Callable[[], Iterable[Account]]) -> None:
        """Bind to the emulator's clock and to its (changeable) list of accounts."""
        self._clock = clock
        self._accounts = accounts
        self._devices: dict[int, EmuDevice] = {}
        self._homes: set[str] = set()
        self._next_event_id = EVENT_ID_BASE
        self._dings = DingFeed()

    def to_state(self) -> dict[str, Any]:
        """Return the devices, their history and the next event id (the state file's part).

        Active dings are not kept: they are fresh for seconds only.
        """
        return {
            "homes": sorted(self._homes),
            "next_event_id": self._next_event_id,
            "devices": [asdict(dev) for dev in self._devices.values()],
        }

    def load_state(self, data: dict[str, Any]) -> None:
        """Replace everything with a state from to_state() (bad data raises)."""
        devices: dict[int, EmuDevice] = {}
        for raw in data["devices"]:
            events = [EmuEvent(**event) for event in raw["events"]]
            dev = EmuDevice(**{**raw, "events": events})
            devices[dev.id] = dev
        self._devices = devices
        self._homes = {str(home) for home in data["homes"]}
        self._next_event_id = int(data["next_event_id"])

    def account(self, email: str) -> Account:
        """Return a configured account by email, or raise KeyError."""
        key = email.casefold()
        for account in self._accounts():
            if account.key == key:
                self._furnish(account)
                return account
        raise KeyError(email)

    def _furnish(self, account: Account) -> None:
        """Give an account its default household the first time it is looked at."""
        if account.key in self._homes:
            return
        self._homes.add(account.key)
        now = self._clock.now()
        past: list[tuple[float, EmuDevice, str, bool]] = []
        for dev in default_devices(account, now):
            self._devices.setdefault(dev.id, dev)
            past += [
                (now - ago, dev, kind, answered)
                for ago, kind, answered in DEFAULT_HISTORY.get(dev.id % 1000, ())
            ]
        for at, dev, kind, answered in sorted(past, key=lambda p: p[0]):
            self._record(dev, kind, answered, at)  # ids grow with time, as Ring's do

    def _live(self) -> set[str]:
        """Furnish every configured account; return their keys (devices of others are gone)."""
        keys = set()
        for account in self._accounts():
            self._furnish(account)
            keys.add(account.key)
        return keys

    def devices(self, email: str | None = None) -> list[EmuDevice]:
        """Return the devices an account sees (owned or shared), or every device."""
        key = None if email is None else self.account(email).key
        live = self._live()
        return sorted(
            (
                d
                for d in self._devices.values()
                if d.owner in live and (key is None or d.visible_to(key))
            ),
            key=lambda d: d.id,
        )

    def device(self, dev_id: int) -> EmuDevice:
        """Return a device by id, or raise KeyError."""
        live = self._live()
        dev = self._devices.get(dev_id)
        if dev is None or dev.owner not in live:
            raise KeyError(dev_id)
        return dev

    def owner(self, dev: EmuDevice) -> Account:
        """Return the account that owns a device."""
        return self.account(dev.owner)

    def visible(self, account: Account, dev_id: int) -> EmuDevice | None:
        """Return the device if this account may see it (else None, as if it did not exist)."""
        live = self._live()
        dev = self._devices.get(dev_id)
        if dev is None or dev.owner not in live:
            return None
        return dev if dev.visible_to(account.key) else None

    def add_device(
        self,
        email: str,
        kind: str,
        name: str,
        *,
        group: str | None = None,
        battery: int | None = None,
        light: bool | None = None,
        siren: bool | None = None,
    ) -> EmuDevice:
        """Add a device to an account (the group, light and siren follow from the kind)."""
        account = self.account(email)
        group = group or group_for(kind)
        if group not in GROUPS or group == "authorized_doorbots":
            raise ValueError(f"group must be one of {GROUPS} (not authorized_doorbots)")
        if battery is not None and not 0 <= battery <= 100:
            raise ValueError("battery must be a percentage")
        camera = group in ("doorbots", "stickup_cams")
        has_light = default_light(kind) if light is None else light
        offset = next(
            n
            for n in itertools.count(FIRST_ADDED_OFFSET)
            if device_id(account, n) not in self._devices
        )
        dev = EmuDevice(
            id=device_id(account, offset),
            owner=account.key,
            kind=kind,
            description=name,
            group=group,
            location_id=f"loc-{account.account_id}",
            created_at=self._clock.now(),
            battery=battery,
            has_light=camera and has_light,
            has_siren=camera and (default_siren(kind) if siren is None else siren),
        )
        self._devices[dev.id] = dev
        return dev

    def remove_device(self, dev_id: int) -> EmuDevice:
        """Remove a device (as if deleted in the Ring app); return it."""
        dev = self.device(dev_id)
        del self._devices[dev_id]
        return dev

    def share(self, dev_id: int, email: str) -> EmuDevice:
        """Share a doorbell with another account (it appears in its authorized_doorbots)."""
        dev = self.device(dev_id)
        account = self.account(email)
        if dev.group != "doorbots":
            raise ValueError("only doorbells can be shared (authorized_doorbots)")
        if account.key != dev.owner and account.key not in dev.shared_with:
            dev.shared_with.append(account.key)
        return dev

    def update(self, dev_id: int, **changes: Any) -> EmuDevice:
        """Change what a device reports: name, battery, rssi, wifi_name, firmware, online, ..."""
        dev = self.device(dev_id)
        if unknown := set(changes) - UPDATABLE:
            raise ValueError(
                f"cannot change {sorted(unknown)}; only {sorted(UPDATABLE)}"
            )
        checked = {name: checked_value(name, value) for name, value in changes.items()}
        for name, value in checked.items():
            if name == "online" and value != dev.online:
                dev.offline_since = None if value else self._clock.now()
            setattr(dev, "description" if name == "name" else name, value)
        return dev

    def ding(
        self, dev_id: int, kind: str = "ding", *, answered: bool = False
    ) -> EmuEvent:
        """Record a doorbell press, motion or live view now; return the new history event."""
        dev = self.device(dev_id)
        if kind not in EVENT_KINDS:
            raise ValueError(f"kind must be one of {EVENT_KINDS}")
        if kind not in dev.event_kinds():
            raise ValueError(f"a {dev.kind} cannot report {kind!r}")
        return self._record(dev, kind, answered, self._clock.now())

    def _record(self, dev: EmuDevice, kind: str, answered: bool, at: float) -> EmuEvent:
        """Append an event with the next id."""
        event = EmuEvent(self._next_event_id, at, kind, answered)
        self._next_event_id += 1
        dev.events.append(event)
        del dev.events[:-MAX_EVENTS]
        return event

    def set_light(self, dev_id: int, on: bool) -> EmuDevice:
        """Turn the floodlight on (for LIGHT_SECONDS) or off."""
        dev = self.device(dev_id)
        if not dev.has_light:
            raise ValueError(f"{dev.description} has no light")
        dev.light_until = self._clock.now() + LIGHT_SECONDS if on else 0.0
        return dev

    def set_siren(
        self, dev_id: int, on: bool, duration: float | None = None
    ) -> EmuDevice:
        """Sound the siren for `duration` seconds (SIREN_SECONDS by default), or stop it."""
        dev = self.device(dev_id)
        if not dev.has_siren:
            raise ValueError(f"{dev.description} has no siren")
        seconds = SIREN_SECONDS if duration is None else duration
        dev.siren_until = self._clock.now() + seconds if on else 0.0
        return dev

    def history(
        self, dev: EmuDevice, limit: int, older_than: int | None = None
    ) -> list[EmuEvent]:
        """Return up to `limit` events, newest first (older than an event id if given)."""
        events = [
            e for e in reversed(dev.events) if older_than is None or e.id < older_than
        ]
        return events[:limit]

    def active_dings(
        self, account: Account, hardware_id: str
    ) -> list[tuple[EmuDevice, EmuEvent]]:
        """Return fresh dings and motions not yet listed to this client (hardware id)."""
        return self._dings.take(
            self.devices(account.email), hardware_id, self._clock.now()
        )

    def clear(self, email: str | None = None) -> None:
        """Remove an account's devices (it then has none), or start everything afresh."""
        if email is None:
            self._devices.clear()
            self._homes.clear()
            self._dings.clear()
            return
        key = self.account(email).key
        for dev in [d for d in self._devices.values() if d.owner == key]:
            del self._devices[dev.id]
