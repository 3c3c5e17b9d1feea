"""The events of the account's devices: each one fired once, from a poll or (later) a push."""

from collections.abc import Mapping
from datetime import datetime, timedelta

from .const import LOGGER
from .device_data import PollStats
from .ringclient import RingDevice, RingEvent, RingEventSource

# An event found later than this (after an outage) is shown as activity but not fired: an
# automation should not open the door for a ring of an hour ago.
MAX_EVENT_AGE = timedelta(minutes=30)


class DeviceEvents:
    """One `RingEventSource` for every device, the newest event of each, the events to fire.

    Polls hand over what they read (`take_poll`); a real-time listener would hand over each
    event it gets (`push`). Either way an event id fires once: the source remembers them, and
    the first history of a device (after a start, a reload, or when the device is new) only
    primes that memory, so nothing already there is replayed.
    """

    def __init__(self, stats: PollStats, max_age: timedelta = MAX_EVENT_AGE) -> None:
        """Count in `stats`; never fire events older than `max_age`."""
        self._stats = stats
        self._max_age = max_age
        self._pending: list[RingEvent] = []
        self.source = RingEventSource(self._pending.append)
        self.last: dict[int, RingEvent] = {}

    def take_poll(
        self,
        devices: Mapping[int, RingDevice],
        dings: list[RingEvent],
        histories: Mapping[int, list[RingEvent] | None],
    ) -> None:
        """Feed a poll: the histories read (the first of a device primes it), then the dings."""
        dings = [d for d in dings if d.device_id in devices]
        for dev_id, history in histories.items():
            events = history or []
            if not self.source.primed(dev_id):
                # What is already there, even a ding listed right now, is not news.
                events = [*events, *(d for d in dings if d.device_id == dev_id)]
            self.source.feed_history(dev_id, events)
            for event in events:
                self._note(event)
        for ding in dings:
            self._note(ding)
            if self.source.primed(ding.device_id):
                self.source.push(ding)

    def push(self, event: RingEvent) -> bool:
        """Take an event pushed in real time; return whether it is news."""
        if not self.source.push(event):
            return False
        self._note(event)
        return True

    def due(self, now: datetime) -> tuple[RingEvent, ...]:
        """Return the events to fire now, oldest first, and forget them."""
        fire: list[RingEvent] = []
        for event in sorted(self._pending, key=lambda e: e.created_at or now):
            age = None if event.created_at is None else now - event.created_at
            if age is not None and age > self._max_age:
                self._stats.events_too_old += 1
                LOGGER.debug("Not firing a %s of %s ago", event.kind, age)
                continue
            fire.append(event)
            self._stats.events_fired += 1
            if age is not None:
                self._stats.last_event_delay = round(age.total_seconds(), 3)
        self._pending.clear()
        return tuple(fire)

    def forget(self, device_id: int) -> None:
        """Drop what is known of a device that is gone."""
        self.last.pop(device_id, None)
        self.source.forget(device_id)

    def _note(self, event: RingEvent) -> None:
        """Keep the newest event of each device (its last activity)."""
        newest = self.last.get(event.device_id)
        if event.created_at is not None and (
            newest is None
            or newest.created_at is None
            or event.created_at > newest.created_at
        ):
            self.last[event.device_id] = event
