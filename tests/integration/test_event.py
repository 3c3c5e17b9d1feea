"""Doorbell presses and motions: each Ring event fires once, never again, and is never replayed."""

from datetime import UTC, datetime, timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import (
    EVENT_STATE_CHANGED,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
    Platform,
)
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.ring_auth.const import CONF_POLL_INTERVAL
from custom_components.ring_auth.ringclient import EventKind, RingEvent
from ring_emulator import Fault, RingEmulator
from tests.conftest import EMAIL

from .device_helpers import DINGS, FRONT, GARDEN, HISTORY, calls, only, poll, state
from .helpers import SnapshotExtension, setup_entry, tick

FRONT_DING = "event.front_door_ding"
FRONT_MOTION = "event.front_door_motion"


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Store the snapshots in snapshots/ (Home Assistant's layout)."""
    return snapshot.use_extension(SnapshotExtension)


class Fired:
    """The events an event entity fires: (event type, Ring's time) per distinct state."""

    def __init__(self, hass: HomeAssistant, entity_id: str) -> None:
        """Start listening."""
        self.entity_id = entity_id
        self.seen: set[str] = set()
        self.events: list[tuple[str, str | None]] = []
        hass.bus.async_listen(EVENT_STATE_CHANGED, self._changed)

    @callback
    def _changed(self, event: Event[EventStateChangedData]) -> None:
        new = event.data["new_state"]
        if event.data["entity_id"] != self.entity_id or new is None:
            return
        # Back from unavailable the entity shows its last event again: not a new one.
        if new.state in (STATE_UNKNOWN, STATE_UNAVAILABLE) or new.state in self.seen:
            return
        self.seen.add(new.state)
        self.events.append((new.attributes["event_type"], new.attributes["created_at"]))


def ring_time(epoch: float) -> str:
    """Return the created_at attribute of an event Ring dated `epoch`."""
    return datetime.fromtimestamp(epoch, UTC).isoformat()


async def test_snapshot(
    hass: HomeAssistant,
    emulator: RingEmulator,
    device_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Doorbells have a ding and a motion entity, cameras a motion entity, chimes none."""
    with only(Platform.EVENT):
        await setup_entry(hass, device_entry)

    await snapshot_platform(hass, entity_registry, snapshot, device_entry.entry_id)
    assert (
        len(er.async_entries_for_config_entry(entity_registry, device_entry.entry_id))
        == 6
    )


async def test_a_ding_fires_once(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    device_entry: MockConfigEntry,
) -> None:
    """A press fires the ding entity within a poll, once, though Ring shows it again later."""
    await setup_entry(hass, device_entry)
    ding, motion = Fired(hass, FRONT_DING), Fired(hass, FRONT_MOTION)
    press = emulator.household.ding(FRONT, "ding")

    await poll(hass, freezer)

    assert ding.events == [("ring", ring_time(press.at))]
    assert state(hass, FRONT_DING).state == dt_util.utcnow().isoformat(
        timespec="milliseconds"
    )
    # The catch-up every 5 minutes reads the same event from the history: nothing new.
    await poll(hass, freezer, 10)
    assert calls(emulator, HISTORY) >= 4 * 3
    assert ding.events == [("ring", ring_time(press.at))]
    assert motion.events == []


async def test_each_kind_and_device_fires_its_own_entity(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    device_entry: MockConfigEntry,
) -> None:
    """Two presses and motions on three devices in one poll: each fires where it belongs, in order."""
    await setup_entry(hass, device_entry)
    fired = {e: Fired(hass, e) for e in (FRONT_DING, FRONT_MOTION, "event.back_door_ding", "event.garden_motion", "event.driveway_motion")}  # fmt: skip
    first = emulator.household.ding(FRONT, "ding")
    freezer.tick(2)
    second = emulator.household.ding(FRONT, "ding")
    garden = emulator.household.ding(GARDEN, "motion")
    front_motion = emulator.household.ding(FRONT, "motion")

    await poll(hass, freezer)

    assert fired[FRONT_DING].events == [
        ("ring", ring_time(first.at)),
        ("ring", ring_time(second.at)),
    ]
    assert fired[FRONT_MOTION].events == [("motion", ring_time(front_motion.at))]
    assert fired["event.garden_motion"].events == [("motion", ring_time(garden.at))]
    assert fired["event.back_door_ding"].events == []
    assert fired["event.driveway_motion"].events == []


async def test_no_replay_after_reload_or_restart(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    device_entry: MockConfigEntry,
) -> None:
    """Events fired before, or rung while Home Assistant was down, are not fired after a start."""
    await setup_entry(hass, device_entry)
    fired = Fired(hass, FRONT_DING)
    emulator.household.ding(FRONT, "ding")
    await poll(hass, freezer)
    assert len(fired.events) == 1

    # A ding Ring still lists as fresh when the entry comes back: old news to the new start.
    emulator.household.ding(FRONT, "ding")
    await hass.config_entries.async_reload(device_entry.entry_id)
    await hass.async_block_till_done()
    await poll(hass, freezer, 6)
    assert len(fired.events) == 1

    # Stopped: a ding while down is in the history at the start, and only primes it.
    await hass.config_entries.async_unload(device_entry.entry_id)
    await tick(hass, freezer, 120)
    emulator.household.ding(FRONT, "ding")
    await tick(hass, freezer, 120)
    await setup_entry(hass, device_entry)
    await poll(hass, freezer, 6)
    assert len(fired.events) == 1

    emulator.household.ding(FRONT, "ding")
    await poll(hass, freezer)
    assert len(fired.events) == 2


async def test_a_ding_during_a_short_outage_fires_after_it(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    device_entry: MockConfigEntry,
) -> None:
    """Ring no longer lists a ding after 180 s; the catch-up after the outage finds and fires it."""
    await setup_entry(hass, device_entry)
    fired = Fired(hass, FRONT_DING)
    emulator.inject(Fault.SERVER_ERROR, where="api", for_seconds=240)
    press = emulator.household.ding(FRONT, "ding")

    await poll(hass, freezer)
    assert state(hass, FRONT_DING).state == STATE_UNAVAILABLE
    await poll(hass, freezer, 4)

    assert state(hass, FRONT_DING).state != STATE_UNAVAILABLE
    assert fired.events == [("ring", ring_time(round(press.at, 3)))]
    await poll(hass, freezer, 6)
    assert len(fired.events) == 1


async def test_an_event_found_long_after_is_activity_but_not_fired(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    device_entry: MockConfigEntry,
) -> None:
    """After a 40-minute outage the ring of 40 minutes ago is shown, but opens no door."""
    await setup_entry(hass, device_entry)
    fired = Fired(hass, FRONT_DING)
    emulator.inject(Fault.SERVER_ERROR, where="api", for_seconds=40 * 60)
    press = emulator.household.ding(FRONT, "ding")

    await poll(hass, freezer, 42)

    assert fired.events == []
    assert state(hass, "sensor.front_door_last_activity").state == (
        dt_util.utc_from_timestamp(round(press.at, 3)).isoformat()
    )
    emulator.household.ding(FRONT, "ding")
    await poll(hass, freezer)
    assert len(fired.events) == 1


async def test_polls_further_apart_than_a_ding_is_listed(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    device_entry: MockConfigEntry,
) -> None:
    """Polled every 5 minutes, a ding has left dings/active: the history of every poll has it."""
    hass.config_entries.async_update_entry(
        device_entry, options={CONF_POLL_INTERVAL: 300}
    )
    await setup_entry(hass, device_entry)
    fired = Fired(hass, FRONT_DING)
    press = emulator.household.ding(FRONT, "ding")
    await tick(hass, freezer, 200)
    assert fired.events == []

    await tick(hass, freezer, 101)

    assert fired.events == [("ring", ring_time(round(press.at, 3)))]
    assert calls(emulator, HISTORY) == 4 * 2


async def test_a_pushed_event_fires_once_and_the_poll_knows_it(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    device_entry: MockConfigEntry,
) -> None:
    """The push seam (a future real-time listener): fired at once, not again by the poll."""
    await setup_entry(hass, device_entry)
    coordinator = device_entry.runtime_data.coordinator
    fired = Fired(hass, FRONT_DING)
    press = emulator.household.ding(FRONT, "ding")
    pushed = RingEvent(
        event_id=str(press.id),
        device_id=FRONT,
        kind=EventKind.DING,
        ring_kind="ding",
        created_at=datetime.fromtimestamp(press.at, UTC),
        answered=False,
    )

    assert coordinator.async_push_event(pushed) is True
    await hass.async_block_till_done()
    assert fired.events == [("ring", ring_time(press.at))]

    assert coordinator.async_push_event(pushed) is False
    unknown = RingEvent(
        event_id="1", device_id=999, kind=EventKind.DING, ring_kind="ding",
        created_at=None, answered=None,
    )  # fmt: skip
    assert coordinator.async_push_event(unknown) is False
    undated = RingEvent(
        event_id="2", device_id=FRONT, kind=EventKind.DING, ring_kind="ding",
        created_at=None, answered=None,
    )  # fmt: skip
    assert (
        coordinator.async_push_event(undated) is True
    )  # Ring's time unreadable: fired
    assert fired.events[-1] == ("ring", None)
    dings_before = calls(emulator, DINGS)
    await poll(hass, freezer, 6)
    assert calls(emulator, DINGS) == dings_before + 6
    assert len(fired.events) == 2


async def test_new_device_events_start_with_its_first_poll(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    device_entry: MockConfigEntry,
) -> None:
    """A doorbell added in the Ring app gets its entities; its old history is not replayed."""
    await setup_entry(hass, device_entry)
    porch = emulator.household.add_device(EMAIL, "doorbell_v5", "Porch", battery=90)
    emulator.household.ding(porch.id, "ding")

    await poll(hass, freezer)
    fired = Fired(hass, "event.porch_ding")
    assert state(hass, "event.porch_ding").state == STATE_UNKNOWN
    emulator.household.ding(porch.id, "ding")
    await poll(hass, freezer)

    assert len(fired.events) == 1
    assert state(hass, "event.back_door_ding").state == STATE_UNKNOWN
    assert state(hass, "event.driveway_motion").state == STATE_UNKNOWN
    assert (
        timedelta(0)
        < dt_util.utcnow() - datetime.fromisoformat(fired.events[0][1] or "")
        < timedelta(minutes=2)
    )
