"""What the device coordinator publishes: the only thing the device platforms read."""

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any

from .ringclient import DeviceHealth, RingDevice, RingEvent


@dataclass(frozen=True, slots=True, kw_only=True)
class RingDevicesData:
    """One publication of the account's devices (after a poll, or a pushed event).

    `poll` numbers the poll whose ring_devices answer `devices` is (a state Ring reported after
    an entity's command is one of a poll numbered higher than the polls started before it);
    `seq` numbers publications, so each event in `new_events` is taken once.
    """

    devices: Mapping[int, RingDevice]  # by Ring's API id, as Ring lists them now
    health: Mapping[int, DeviceHealth]  # only devices whose Wi-Fi sensor is enabled
    last_events: Mapping[int, RingEvent]  # the newest event known of each device
    new_events: tuple[RingEvent, ...] = ()  # fired by this publication, oldest first
    removed: frozenset[int] = frozenset()  # devices this publication removed from HA
    poll: int = 0
    seq: int = 0


EMPTY = RingDevicesData(
    devices=MappingProxyType({}),
    health=MappingProxyType({}),
    last_events=MappingProxyType({}),
)


@dataclass(slots=True)
class PollStats:
    """Figures of the device coordinator, for diagnostics and the benchmarks."""

    polls: int = 0
    failed_polls: int = 0
    catch_ups: int = 0
    events_fired: int = 0
    events_too_old: int = 0
    calls: Counter[str] = field(default_factory=Counter)  # API calls by endpoint
    last_poll: datetime | None = None
    last_event_delay: float | None = None  # seconds from Ring's event time to firing

    def as_dict(self) -> dict[str, Any]:
        """Return the diagnostics form."""
        return {
            "polls": self.polls,
            "failed_polls": self.failed_polls,
            "catch_ups": self.catch_ups,
            "events_fired": self.events_fired,
            "events_too_old": self.events_too_old,
            "calls": dict(sorted(self.calls.items())),
            "last_poll": None if self.last_poll is None else self.last_poll.isoformat(),
            "last_event_delay": self.last_event_delay,
        }
