"""Which fresh dings GET dings/active still owes each client.

Ring lists a ding once per hardware id (dgreif/ring issue #648), for as long as it is fresh
(`expires_in`, 180 s in python-ring-doorbell's fixture ring_ding_active.json).
"""

from __future__ import annotations

from collections.abc import Iterable

from .device_views import DING_LIFETIME
from .devices import EmuDevice, EmuEvent

type Ding = tuple[EmuDevice, EmuEvent]


class DingFeed:
    """Remembers, per fresh ding, the hardware ids it was listed to."""

    def __init__(self) -> None:
        """Start with nothing listed."""
        self._listed: dict[
            int, tuple[float, set[str]]
        ] = {}  # id -> (time, hardware ids)

    def take(
        self, devices: Iterable[EmuDevice], hardware_id: str, now: float
    ) -> list[Ding]:
        """Return the devices' fresh dings and motions not yet listed to this hardware id."""
        self._listed = {
            ding: (at, ids)
            for ding, (at, ids) in self._listed.items()
            if at > now - DING_LIFETIME
        }
        fresh = []
        for dev in devices:
            for event in dev.events:
                if (
                    event.kind == "on_demand"
                    or not now - DING_LIFETIME < event.at <= now
                ):
                    continue
                listed = self._listed.setdefault(event.id, (event.at, set()))[1]
                if hardware_id not in listed:
                    listed.add(hardware_id)
                    fresh.append((dev, event))
        return fresh

    def clear(self) -> None:
        """Forget what was listed."""
        self._listed.clear()
