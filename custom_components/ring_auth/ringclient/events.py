"""The event source: each Ring event reaches a sink once, whether polled or (later) pushed.

Today events come from polling each device's history. Ring also pushes dings and motions
through Firebase Cloud Messaging (what python-ring-doorbell's RingEventListener and
ring-client-api subscribe to); a push listener would call `push()` on the same source, so the
integration's sink (the event entities) never learns where an event came from, and an event
both pushed and later seen in the history fires once. docs/ring-protocol.md section 7.8.
"""

from collections import OrderedDict
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
import logging

from .devices import RingEvent

_LOGGER = logging.getLogger(__package__)

type EventSink = Callable[[RingEvent], None]

MEMORY = 300  # event ids remembered per device (a history page holds at most 100)
MAX_LATENESS = timedelta(minutes=10)


class RingEventSource:
    """Hands every new event to the sink once; pure (no I/O, no clock, no task).

    The first history of a device (after a start, a reload, or when the device is new) only
    primes the memory: what is already there is old news and is never replayed. After that,
    an event fires when its id is new, unless it is older than the newest event already seen
    for its device by more than `max_lateness` (an old event that surfaces because a page grew
    or the memory forgot it).
    """

    def __init__(
        self,
        sink: EventSink,
        *,
        memory: int = MEMORY,
        max_lateness: timedelta = MAX_LATENESS,
    ) -> None:
        """Send new events to `sink`."""
        if memory < 1:
            raise ValueError("memory must be at least 1")
        self._sink = sink
        self._memory = memory
        self._max_lateness = max_lateness
        self._seen: dict[int, OrderedDict[str, None]] = {}
        self._newest: dict[int, datetime] = {}
        self._primed: set[int] = set()

    def primed(self, device_id: int) -> bool:
        """Return whether a history of the device has been seen since the source was made."""
        return device_id in self._primed

    def feed_history(
        self, device_id: int, events: Iterable[RingEvent]
    ) -> list[RingEvent]:
        """Take a device's polled history (newest first); send and return the new events, oldest first."""
        oldest_first = list(events)[::-1]
        if device_id not in self._primed:
            self._primed.add(device_id)
            for event in oldest_first:
                self._remember(device_id, event)
            _LOGGER.debug(
                "Primed device %s with %s events", device_id, len(oldest_first)
            )
            return []
        fresh = [e for e in oldest_first if self._accept(device_id, e)]
        for event in fresh:
            self._sink(event)
        return fresh

    def push(self, event: RingEvent) -> bool:
        """Take an event pushed in real time; send it unless already seen. Return whether sent."""
        if not self._accept(event.device_id, event):
            return False
        self._sink(event)
        return True

    def forget(self, device_id: int) -> None:
        """Drop what is known of a device (it was removed); its next history primes again."""
        self._seen.pop(device_id, None)
        self._newest.pop(device_id, None)
        self._primed.discard(device_id)

    def _accept(self, device_id: int, event: RingEvent) -> bool:
        """Remember the event; return whether it is news."""
        if event.event_id in self._seen.get(device_id, ()):
            return False
        newest = self._newest.get(device_id)
        self._remember(device_id, event)
        if (
            newest is not None
            and event.created_at is not None
            and event.created_at < newest - self._max_lateness
        ):
            _LOGGER.debug(
                "Not firing event %s of device %s: older than events already seen",
                event.event_id,
                device_id,
            )
            return False
        return True

    def _remember(self, device_id: int, event: RingEvent) -> None:
        """Add an event id to the device's bounded memory and move its newest time on."""
        seen = self._seen.setdefault(device_id, OrderedDict())
        seen[event.event_id] = None
        while len(seen) > self._memory:
            seen.popitem(last=False)
        if event.created_at is not None:
            newest = self._newest.get(device_id)
            if newest is None or event.created_at > newest:
                self._newest[device_id] = event.created_at
