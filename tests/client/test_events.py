"""The event source: each event once, no replay after a start, push and poll deduplicated."""

from datetime import UTC, datetime, timedelta

import pytest

from custom_components.ring_auth.ringclient import EventKind, RingEvent, RingEventSource

T0 = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def event(
    event_id: int,
    minutes: float = 0,
    kind: EventKind = EventKind.DING,
    device_id: int = 1,
    *,
    timed: bool = True,
) -> RingEvent:
    """Return an event `minutes` after T0 (or without a time)."""
    return RingEvent(
        event_id=str(event_id),
        device_id=device_id,
        kind=kind,
        ring_kind=str(kind),
        created_at=T0 + timedelta(minutes=minutes) if timed else None,
        answered=False,
    )


def newest_first(*events: RingEvent) -> list[RingEvent]:
    """Return events in Ring's history order."""
    return sorted(events, key=lambda e: int(e.event_id), reverse=True)


class Sink:
    """Collects what the source sends."""

    def __init__(self) -> None:
        """Start empty."""
        self.events: list[RingEvent] = []

    def __call__(self, received: RingEvent) -> None:
        """Keep an event."""
        self.events.append(received)

    @property
    def ids(self) -> list[str]:
        """Return the ids received, in order."""
        return [e.event_id for e in self.events]


@pytest.fixture
def sink() -> Sink:
    """Return an empty sink."""
    return Sink()


def test_first_history_only_primes(sink: Sink) -> None:
    """What a device's history holds at the first poll is old news: nothing fires."""
    source = RingEventSource(sink)

    assert source.feed_history(1, newest_first(event(1), event(2, 1))) == []
    assert source.primed(1)
    assert not source.primed(2)
    assert sink.events == []


def test_new_events_fire_once_oldest_first(sink: Sink) -> None:
    """Events new since the last poll fire once each, oldest first; repeats do not."""
    source = RingEventSource(sink)
    source.feed_history(1, newest_first(event(1)))

    fresh = source.feed_history(
        1, newest_first(event(1), event(2, 1, EventKind.MOTION), event(3, 2))
    )
    source.feed_history(1, newest_first(event(1), event(2, 1), event(3, 2)))

    assert [e.event_id for e in fresh] == ["2", "3"]
    assert sink.ids == ["2", "3"]
    assert [e.kind for e in sink.events] == [EventKind.MOTION, EventKind.DING]


def test_a_restart_does_not_replay(sink: Sink) -> None:
    """A new source (Home Assistant restarted or the entry reloaded) primes again."""
    before = RingEventSource(sink)
    before.feed_history(1, [event(1)])
    before.feed_history(1, newest_first(event(1), event(2, 1)))
    assert sink.ids == ["2"]

    after = RingEventSource(sink)
    after.feed_history(1, newest_first(event(1), event(2, 1), event(3, 2)))
    after.feed_history(1, newest_first(event(2, 1), event(3, 2), event(4, 3)))

    assert sink.ids == ["2", "4"]


def test_devices_are_primed_separately(sink: Sink) -> None:
    """A device seen for the first time (added in the Ring app) primes without firing."""
    source = RingEventSource(sink)
    source.feed_history(1, [event(1)])

    source.feed_history(2, [event(10, device_id=2)])
    source.feed_history(
        2, newest_first(event(10, device_id=2), event(11, 1, device_id=2))
    )

    assert sink.ids == ["11"]


def test_push_and_poll_fire_once(sink: Sink) -> None:
    """An event pushed in real time and later seen in the history fires once."""
    source = RingEventSource(sink)
    source.feed_history(1, [event(1)])

    assert source.push(event(2, 1)) is True
    assert source.push(event(2, 1)) is False
    source.feed_history(1, newest_first(event(1), event(2, 1)))

    assert sink.ids == ["2"]


def test_push_before_the_first_poll(sink: Sink) -> None:
    """A push fires even before any poll; the first poll then only primes."""
    source = RingEventSource(sink)

    assert source.push(event(5, 0))
    source.feed_history(1, newest_first(event(4), event(5, 0), event(6, 1)))

    assert sink.ids == ["5"]


def test_late_old_events_do_not_fire(sink: Sink) -> None:
    """An unseen event much older than the newest seen (a longer page) is not news."""
    source = RingEventSource(sink, max_lateness=timedelta(minutes=10))
    source.feed_history(1, newest_first(event(50, 60)))

    source.feed_history(
        1,
        newest_first(
            event(10, 0),
            event(45, 55),
            event(50, 60),
            event(51, 61),
            event(52, 0, timed=False),
        ),
    )

    assert sink.ids == [
        "45",
        "51",
        "52",
    ]  # 10 is an hour older; 52 has no time to judge by


def test_memory_is_bounded(sink: Sink) -> None:
    """Old ids are forgotten; a forgotten, old event still does not fire again."""
    source = RingEventSource(sink, memory=2, max_lateness=timedelta(0))
    source.feed_history(1, [event(1, 0)])
    for n in range(2, 6):
        source.push(event(n, n))

    source.feed_history(1, newest_first(event(1, 0), event(5, 5)))

    assert sink.ids == ["2", "3", "4", "5"]
    with pytest.raises(ValueError, match="memory"):
        RingEventSource(sink, memory=0)


def test_forget_a_removed_device(sink: Sink) -> None:
    """After forget(), a device primes again (a re-added device replays nothing)."""
    source = RingEventSource(sink)
    source.feed_history(1, [event(1)])

    source.forget(1)
    source.feed_history(1, newest_first(event(1), event(2, 1)))

    assert not sink.events
    assert source.primed(1)
