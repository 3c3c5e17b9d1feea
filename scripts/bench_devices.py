"""`make bench` rows 6-9: the Ring devices, ours next to Home Assistant core's `ring`.

Both sides poll the emulator's default household (a wired doorbell, a battery doorbell, a
battery stick-up cam, a floodlight cam with light and siren, a chime) in simulated time,
one after the other, against the same emulator (each side on its own account, so each has
its own household); every figure is read from what Ring (the emulator) saw or what Home
Assistant shows, never from the code under test's own counters:

- ours: the integration itself, a `ring_auth` config entry set up in the Home Assistant test
  instance (`hass.config_entries.async_setup`), with its real `RingDevicesCoordinator` and
  entities; Wi-Fi signal sensors are disabled by default (rows 6a, 7, 8a, 9), then enabled
  in the entity registry as a user would (rows 6b, 8b; the entry reloads).
- theirs: Home Assistant core's own `RingDataCoordinator`
  (homeassistant/components/ring/coordinator.py, imported from the installed Home Assistant;
  source: https://github.com/home-assistant/core/blob/dev/homeassistant/components/ring/coordinator.py)
  on python-ring-doorbell's `Ring(auth)`, `auth` built by `Bench.theirs` as core builds it.
  Its first refresh runs `Ring.async_update_data` (session, devices, dings, groups); then
  every SCAN_INTERVAL (1 min) `async_update_devices` plus, for each device some entity
  subscribed to with its id as context, `async_history(limit=10)` (devices with history) and
  `async_update_health_data`. Core's entities (homeassistant/components/ring/entity.py,
  `RingBaseEntity.__init__`: `super().__init__(coordinator, context=device.id)`) subscribe
  so for every device of the household (each has enabled entities on this coordinator), so
  the bench subscribes one listener per device with that context. Core's Wi-Fi sensors
  change nothing there: health is read for every subscribed device anyway.

Events (row 7) are injected through the emulator's control API (`POST /_emulator/ding`) at
random moments; ours fires an event when its coordinator publishes it in `new_events`, theirs
when core's coordinator has read a history that holds it. Staleness (row 8) is measured the
same way: the battery (8a) and Wi-Fi signal (8b) are changed through the control API
(`PATCH /_emulator/devices/{id}`) at random moments, and the delay is how long Home Assistant
keeps showing an older value (ours: the sensor entities' states; theirs: the values core's
entities read from its coordinator's `Ring` devices).
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
import logging
import math
import os
from pathlib import Path
import random
import statistics
import time
from typing import Any

import aiohttp
import bench
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.util.async_ import get_scheduled_timer_handles
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed_exact,
)

from custom_components.ring_auth.const import CONF_TOKEN, DOMAIN
from ring_emulator import EmulatorSettings, RingEmulator

# The default household (ring_emulator/devices.py DEFAULT_DEVICES): offsets 1..5.
DEVICES = 5
BATTERY_OFFSETS = (2, 3)  # Back Door, Garden
HISTORY_OFFSETS = (1, 2, 3, 4)  # every device but the chime
DAY_HOURS = 24.0  # rows 6a, 7, 8a, 9: one day with the defaults
WIFI_HOURS = 6.0  # rows 6b, 8b: Wi-Fi signal sensors enabled
DINGS = 150  # row 7: events in the day (>= 100)
BATTERY_CHANGES = 120  # row 8a, in the day
WIFI_CHANGES = 100  # row 8b, in the Wi-Fi hours
SEED = 13  # issue 13; the same moments for both sides
POLL = (
    60.0  # both sides poll every minute (ours: the default option; core: SCAN_INTERVAL)
)
TARGET_STALE = 15 * 60.0
MAX_STEP = 300.0  # simulated seconds; the clock also stops at every timer due before
SETTLE = 120.0  # seconds after set-up (or the reload) before a count starts
TAIL = TARGET_STALE + 5 * POLL  # no change this close to a part's end: each can be seen
RING_PATH = "/clients_api/"

_LOGGER = logging.getLogger(__name__)


# -- the pure parts: schedules, counting, latency, staleness --------------------------------


def moments(
    rng: random.Random, start: float, seconds: float, count: int
) -> list[float]:
    """Return `count` uniformly random moments in [start, start + seconds), sorted."""
    return sorted(start + rng.random() * seconds for _ in range(count))


def api_calls(before: Mapping[str, int], after: Mapping[str, int]) -> int:
    """Return the client-API requests between two endpoint counts (token calls excluded)."""
    return sum(
        n - before.get(route, 0)
        for route, n in after.items()
        if RING_PATH in route and route.split(" ", 1)[-1].startswith(RING_PATH)
    )


def per_device_hour(calls: int, devices: int, seconds: float) -> float:
    """Return calls per device and hour."""
    if devices <= 0 or seconds <= 0:
        raise ValueError("devices and seconds must be positive")
    return calls / devices / (seconds / 3600)


def per_day(calls: int, seconds: float) -> float:
    """Return calls per 24 h."""
    if seconds <= 0:
        raise ValueError("seconds must be positive")
    return calls * 86400 / seconds


def delays(injected: Mapping[str, float], seen: Mapping[str, float]) -> list[float]:
    """Return, per injected event, how long after its injection it was first seen.

    An event never seen is left out (`missed` counts them); one seen "before" it was
    injected (clock jitter under a millisecond) counts as 0.
    """
    return [max(0.0, seen[key] - at) for key, at in injected.items() if key in seen]


def missed(injected: Mapping[str, float], seen: Mapping[str, float]) -> int:
    """Return how many injected events were never seen."""
    return sum(1 for key in injected if key not in seen)


def staleness(
    changes: Sequence[tuple[float, Any]], shown: Sequence[tuple[float, Any]]
) -> list[float]:
    """Return, per change of a value at Ring, how long Home Assistant showed an older value.

    `changes`: (time, new value) as Ring changed it, in time order. `shown`: (time, value)
    each time what Home Assistant shows changed, in time order. A change counts as seen
    when Home Assistant first shows its value or that of a later change (a value Ring
    replaced before anyone read it is as stale as its successor is new). Changes never seen
    by the end are left out.
    """
    out: list[float] = []
    for i, (at, _value) in enumerate(changes):
        later = {value for _, value in changes[i:]}
        # A value equal to an older one (a repeat) must not count before the change itself.
        when = next((t for t, value in shown if t >= at and value in later), None)
        if when is not None:
            out.append(when - at)
    return out


@dataclass(frozen=True, slots=True)
class Summary:
    """Median and worst of some delays, in seconds."""

    median: float
    worst: float
    count: int

    @classmethod
    def of(cls, values: Iterable[float]) -> Summary | None:
        """Return the summary, or None for no values."""
        data = list(values)
        if not data:
            return None
        return cls(statistics.median(data), max(data), len(data))

    def seconds(self) -> str:
        """'median 26 s, worst 60 s (150)'."""
        return f"median {self.median:.0f} s, worst {self.worst:.0f} s ({self.count})"

    def minutes(self) -> str:
        """'median 6.9 min, worst 14.5 min = 870 s (100)'."""
        return (
            f"median {self.median / 60:.1f} min, worst {self.worst / 60:.1f} min"
            f" = {self.worst:.0f} s ({self.count})"
        )


def next_value(rng: random.Random, used: set[int], low: int, high: int) -> int:
    """Return a random value in [low, high] not in `used`, and add it there.

    Every change gives a value never shown before, so `staleness` cannot take an old value
    for a new one.
    """
    free = [v for v in range(low, high + 1) if v not in used]
    if not free:
        raise ValueError(f"no unused value left in {low}..{high}")
    value = rng.choice(free)
    used.add(value)
    return value


# -- one side's run ----------------------------------------------------------------------


@dataclass(slots=True)
class Plan:
    """What is done to the household, and when (offsets from the run's start, seconds)."""

    dings: list[tuple[float, int, str]]  # (when, device offset, kind)
    battery: list[tuple[float, int, int]]  # (when, device offset, level)
    wifi: list[tuple[float, int, int]]  # (when, device offset, rssi), in the Wi-Fi part

    @classmethod
    def make(cls, seed: int = SEED) -> Plan:
        """Draw the moments and values (the same for both sides)."""
        rng = random.Random(seed)  # noqa: S311 - a benchmark's schedule, not a secret
        day = DAY_HOURS * 3600
        dings = []
        for at in moments(rng, SETTLE, day - 2 * SETTLE, DINGS):
            offset = rng.choice(HISTORY_OFFSETS)
            kind = "ding" if offset <= 2 else "motion"  # doorbells ring, cameras see
            if offset <= 2 and rng.random() < 0.5:
                kind = "motion"
            dings.append((at, offset, kind))
        levels = {2: {83}, 3: {64}}  # the household's levels, then each one set
        battery = []
        for at in moments(rng, SETTLE, day - SETTLE - TAIL, BATTERY_CHANGES):
            offset = rng.choice(BATTERY_OFFSETS)
            battery.append((at, offset, next_value(rng, levels[offset], 1, 100)))
        rssi = {1: {-52}, 2: {-61}, 3: {-67}, 4: {-48}, 5: {-44}}
        wifi = []
        wifi_start = day + SETTLE
        wifi_span = WIFI_HOURS * 3600 - SETTLE - TAIL
        for at in moments(rng, wifi_start, wifi_span, WIFI_CHANGES):
            offset = rng.randint(1, DEVICES)
            wifi.append((at, offset, next_value(rng, rssi[offset], -95, -25)))
        return cls(dings, battery, wifi)


@dataclass(slots=True)
class Record:
    """What one side's run saw."""

    calls_day: int = 0
    seconds_day: float = 0.0
    calls_wifi: int = 0
    seconds_wifi: float = 0.0
    token_calls_day: int = 0
    unauthorized_day: int = 0
    injected: dict[str, float] = field(default_factory=dict)
    seen: dict[str, float] = field(default_factory=dict)
    battery_changes: dict[int, list[tuple[float, Any]]] = field(default_factory=dict)
    wifi_changes: dict[int, list[tuple[float, Any]]] = field(default_factory=dict)
    shown: dict[tuple[str, int], list[tuple[float, Any]]] = field(default_factory=dict)

    def show(self, what: str, offset: int, value: Any, now: float) -> None:
        """Note what Home Assistant shows now (kept only when it changed)."""
        log = self.shown.setdefault((what, offset), [])
        if value is not None and (not log or log[-1][1] != value):
            log.append((now, value))

    def changes(self, what: str) -> int:
        """Return how many changes of a kind ("battery" or "wifi") Ring made."""
        changes = self.battery_changes if what == "battery" else self.wifi_changes
        return sum(len(log) for log in changes.values())

    def stale(self, what: str) -> list[float]:
        """Return the staleness of every change of a kind that Home Assistant showed."""
        changes = self.battery_changes if what == "battery" else self.wifi_changes
        out: list[float] = []
        for offset, log in changes.items():
            out += staleness(log, self.shown.get((what, offset), []))
        return out


def next_timer(hass: HomeAssistant) -> float:
    """Return the epoch time of the earliest live timer of the loop (inf when none)."""
    live = [
        h.when() for h in get_scheduled_timer_handles(hass.loop) if not h.cancelled()
    ]
    if not live:
        return math.inf
    return time.time() + (min(live) - hass.loop.time())


@dataclass(slots=True)
class StepLog:
    """The clock's stops, and the longest real time one of them took.

    The clock ticks on with real time (freezegun `tick=True`), so what runs at a stop also
    moves simulated time: a stop that takes seconds (the machine busy with something else)
    delays the next poll by as much.
    """

    stops: int = 0
    longest: float = 0.0

    def note(self, seconds: float) -> None:
        """Count a stop that took `seconds` of real time."""
        self.stops += 1
        self.longest = max(self.longest, seconds)


STEPS = StepLog()


async def run_until(
    hass: HomeAssistant, frozen: Any, target: float, observe: Callable[[], None]
) -> None:
    """Move simulated time to `target`, stopping at every timer due on the way."""
    while True:
        began = os.times().elapsed  # real time: freezegun does not patch os.times
        now = time.time()
        stop = min(target, next_timer(hass) + 0.001, now + MAX_STEP)
        if stop > now:
            frozen.tick(timedelta(seconds=stop - now))
        async_fire_time_changed_exact(hass, datetime.fromtimestamp(time.time(), UTC))
        await hass.async_block_till_done(wait_background_tasks=True)
        observe()
        STEPS.note(os.times().elapsed - began)
        if time.time() >= target:
            return


class Side:
    """One side: set up, what Home Assistant shows, the Wi-Fi switch."""

    name = ""

    def __init__(self, b: bench.Bench, email: str, base: int) -> None:
        """Bind to the bench and an emulator account whose device ids start at `base`."""
        self.b = b
        self.email = email
        self.base = base

    def dev(self, offset: int) -> int:
        """Return the API id of a device of the default household."""
        return self.base + offset

    async def start(self) -> None:
        """Set the side up (its first poll included)."""
        raise NotImplementedError

    def observe(self, record: Record, now: float) -> None:
        """Note the events seen and the values shown now."""
        raise NotImplementedError

    async def enable_wifi(self, hass: HomeAssistant, frozen: Any) -> None:
        """Show every device's Wi-Fi signal (ours: the sensors enabled, the entry reloaded)."""

    async def stop(self) -> None:
        """Stop polling."""
        raise NotImplementedError


class OursSide(Side):
    """The integration, set up from a config entry in the Home Assistant test instance."""

    name = "ours"

    def __init__(self, b: bench.Bench, email: str, base: int) -> None:
        """Add a config entry holding a fresh emulator token."""
        super().__init__(b, email, base)
        self.entry: MockConfigEntry | None = None
        self._unsub: Callable[[], None] | None = None
        self._pending: dict[str, float] = {}

    async def start(self) -> None:
        """Set the entry up as Home Assistant does."""
        body = self.b.emu.issue_tokens(self.email)
        self.entry = MockConfigEntry(
            domain=DOMAIN,
            title=self.email,
            data={
                "email": self.email,
                "hardware_id": "hw-bench-devices-ours",
                "auth_type": "consumer",
                CONF_TOKEN: bench.stored(body, time.time()),
            },
        )
        self.entry.add_to_hass(self.b.hass)
        if not await self.b.hass.config_entries.async_setup(self.entry.entry_id):
            raise RuntimeError(f"ours did not set up: {self.entry.state}")
        await self.b.hass.async_block_till_done(wait_background_tasks=True)
        self._listen()

    def _listen(self) -> None:
        """Hear each publication of the coordinator (its new events)."""
        assert self.entry is not None  # noqa: S101
        coordinator = self.entry.runtime_data.coordinator

        def heard() -> None:
            now = time.time()
            for event in coordinator.data.new_events:
                self._pending.setdefault(event.event_id, now)

        self._unsub = coordinator.async_add_listener(heard)

    def _state(self, key: str, offset: int) -> int | None:
        """Return the state of a device sensor as a number (None: none or not a number)."""
        assert self.entry is not None  # noqa: S101
        unique = f"{self.entry.unique_id}_{self.dev(offset)}_{key}"
        entity_id = er.async_get(self.b.hass).async_get_entity_id(
            "sensor", DOMAIN, unique
        )
        state = self.b.hass.states.get(entity_id) if entity_id else None
        try:
            return None if state is None else round(float(state.state))
        except ValueError:
            return None

    def observe(self, record: Record, now: float) -> None:
        """Note the events fired and the sensors' states."""
        for key, at in self._pending.items():
            record.seen.setdefault(key, at)
        self._pending.clear()
        for offset in BATTERY_OFFSETS:
            record.show("battery", offset, self._state("battery", offset), now)
        for offset in range(1, DEVICES + 1):
            record.show("wifi", offset, self._state("wifi_signal", offset), now)

    async def enable_wifi(self, hass: HomeAssistant, frozen: Any) -> None:
        """Enable every Wi-Fi signal sensor; Home Assistant reloads the entry 30 s later."""
        assert self.entry is not None  # noqa: S101
        if self._unsub is not None:
            self._unsub()
        registry = er.async_get(hass)
        for entity in er.async_entries_for_config_entry(registry, self.entry.entry_id):
            if entity.unique_id.endswith("_wifi_signal"):
                registry.async_update_entity(entity.entity_id, disabled_by=None)
        await run_until(hass, frozen, time.time() + 31, lambda: None)
        if self.entry.state is not ConfigEntryState.LOADED:
            raise RuntimeError(f"ours did not reload: {self.entry.state}")
        self._listen()

    async def stop(self) -> None:
        """Unload the entry."""
        if self._unsub is not None:
            self._unsub()
        if self.entry is not None:
            await self.b.hass.config_entries.async_unload(self.entry.entry_id)


class TheirsSide(Side):
    """Home Assistant core's device coordinator on python-ring-doorbell."""

    name = "theirs"

    def __init__(self, b: bench.Bench, email: str, base: int) -> None:
        """Build core's Auth and Ring for a fresh emulator token."""
        super().__init__(b, email, base)
        from homeassistant.components.ring.coordinator import RingDataCoordinator

        auth, self.entry = b.theirs(email, time.time(), hw="hw-bench-devices-theirs")
        self.ring = bench.Ring(auth)
        self.coordinator = RingDataCoordinator(b.hass, self.entry, self.ring)  # type: ignore[arg-type]
        self._unsubs: list[Callable[[], None]] = []

    async def start(self) -> None:
        """Run the first refresh (set-up), then add one listener per device, as core's entities do."""
        await self.coordinator.async_refresh()
        if not self.coordinator.last_update_success:
            raise RuntimeError("core's coordinator failed its first refresh")
        for device in self.ring.devices().all_devices:
            self._unsubs.append(
                self.coordinator.async_add_listener(lambda: None, context=device.id)
            )

    def observe(self, record: Record, now: float) -> None:
        """Note the events in the histories read, and the values core's entities show."""
        by_id = {d.id: d for d in self.ring.devices().all_devices}
        for offset in HISTORY_OFFSETS:
            device = by_id.get(self.dev(offset))
            for event in device.last_history if device is not None else ():
                record.seen.setdefault(str(event["id"]), now)
        for offset in BATTERY_OFFSETS:
            device = by_id.get(self.dev(offset))
            level = None if device is None else device.battery_life
            record.show("battery", offset, None if level is None else int(level), now)
        for offset in range(1, DEVICES + 1):
            device = by_id.get(self.dev(offset))
            record.show(
                "wifi",
                offset,
                None if device is None else device.wifi_signal_strength,
                now,
            )

    async def stop(self) -> None:
        """Drop the listeners (the coordinator stops polling) and close the Ring object."""
        for unsub in self._unsubs:
            unsub()
        await self.coordinator.async_shutdown()


async def control(
    session: aiohttp.ClientSession, url: str, method: str, path: str, body: Any
) -> Any:
    """Call the emulator's control API; return its JSON answer."""
    async with session.request(method, url + path, json=body) as resp:
        resp.raise_for_status()
        return await resp.json()


async def run_side(side: Side, plan: Plan, frozen: Any) -> Record:
    """Run one side through the plan: a day with the defaults, then the Wi-Fi hours."""
    b, hass = side.b, side.b.hass
    record = Record()
    await side.start()
    start = time.time()
    actions: list[tuple[float, str, int, Any]] = sorted(
        [(start + at, "ding", off, kind) for at, off, kind in plan.dings]
        + [(start + at, "battery", off, v) for at, off, v in plan.battery]
        + [(start + at, "rssi", off, v) for at, off, v in plan.wifi],
        key=lambda a: a[0],
    )

    def observe() -> None:
        side.observe(record, time.time())

    day_end = start + DAY_HOURS * 3600
    await run_until(hass, frozen, start + SETTLE, observe)
    counted_from, counts = time.time(), dict(b.emu.counters.endpoints)
    refreshes, unauthorized = bench.refreshes(b.emu), b.emu.counters.unauthorized
    wifi_on = False
    for at, what, offset, value in [*actions, (math.inf, "end", 0, None)]:
        if not wifi_on and at >= day_end:
            await run_until(hass, frozen, day_end, observe)
            record.calls_day = api_calls(counts, b.emu.counters.endpoints)
            record.seconds_day = time.time() - counted_from
            record.token_calls_day = bench.refreshes(b.emu) - refreshes
            record.unauthorized_day = b.emu.counters.unauthorized - unauthorized
            await side.enable_wifi(hass, frozen)
            wifi_on = True
            await run_until(hass, frozen, day_end + SETTLE, observe)
            counted_from, counts = time.time(), dict(b.emu.counters.endpoints)
        if what == "end":
            break
        await run_until(hass, frozen, at, observe)
        dev = side.dev(offset)
        if what == "ding":
            answer = await control(
                b.session, b.url, "POST", "/_emulator/ding",
                {"device_id": dev, "kind": value},
            )  # fmt: skip
            record.injected[str(answer["id"])] = float(answer["created_at"])
        else:
            key = "battery" if what == "battery" else "rssi"
            await control(
                b.session, b.url, "PATCH", f"/_emulator/devices/{dev}", {key: value}
            )
            changes = (
                record.battery_changes if key == "battery" else record.wifi_changes
            )
            changes.setdefault(offset, []).append((b.emu.clock.now(), value))
    end = day_end + WIFI_HOURS * 3600
    await run_until(hass, frozen, end, observe)
    record.calls_wifi = api_calls(counts, b.emu.counters.endpoints)
    record.seconds_wifi = time.time() - counted_from
    await side.stop()
    return record


# -- the rows --------------------------------------------------------------------------------


def rows_of(
    ours: Record, theirs: Record, steps: StepLog | None = None
) -> list[bench.Row | str]:
    """Return rows 6-9 and their notes."""

    def rate(r: Record, wifi: bool) -> str:
        calls, seconds = (
            (r.calls_wifi, r.seconds_wifi) if wifi else (r.calls_day, r.seconds_day)
        )
        return (
            f"{per_device_hour(calls, DEVICES, seconds):.1f}"
            f" ({calls} calls, {DEVICES} devices x {seconds / 3600:.1f} h)"
        )

    def latency(r: Record) -> str:
        summary = Summary.of(delays(r.injected, r.seen))
        text = "none seen" if summary is None else summary.seconds()
        lost = missed(r.injected, r.seen)
        return text + (f"; {lost} never seen" if lost else "")

    def stale(r: Record, what: str) -> str:
        values = r.stale(what)
        summary = Summary.of(values)
        text = "not shown" if summary is None else summary.minutes()
        lost = r.changes(what) - len(values)
        return text + (f"; {lost} never shown" if lost else "")

    def tokens(r: Record) -> str:
        return (
            f"{per_day(r.token_calls_day, r.seconds_day):.1f}/day"
            f" ({r.token_calls_day} in {r.seconds_day / 3600:.1f} h; {r.unauthorized_day} x 401)"
        )

    return [
        ("6a API calls per device-hour, default household (Wi-Fi sensors off)",
         rate(ours, wifi=False), rate(theirs, wifi=False), "ours <= theirs"),
        ("6b same, every Wi-Fi signal sensor enabled",
         rate(ours, wifi=True), rate(theirs, wifi=True), "ours <= theirs"),
        (f"7  event latency, {DINGS} dings/motions at random moments",
         latency(ours), latency(theirs), f"<= {POLL:.0f} s (one poll)"),
        (f"8a battery staleness ({BATTERY_CHANGES} changes at Ring)",
         stale(ours, "battery"), stale(theirs, "battery"), f"<= {TARGET_STALE / 60:.0f} min"),
        (f"8b Wi-Fi signal staleness ({WIFI_CHANGES} changes, sensors enabled)",
         stale(ours, "wifi"), stale(theirs, "wifi"), f"<= {TARGET_STALE / 60:.0f} min"),
        ("9  token calls in a day with the devices polled (1-h access tokens)",
         tokens(ours), tokens(theirs), "24/day (as 4b)"),
        "6-9: simulated time; each side on its own emulator account and default household,"
        " the same random moments for both (seed"
        f" {SEED}); theirs is Home Assistant core's RingDataCoordinator"
        " (homeassistant/components/ring/coordinator.py) on Ring(auth). 7: ours fires from"
        " dings/active, theirs sees the event in a polled history. 8: how long Home Assistant"
        " shows an older value after Ring's changed."
        + (
            ""
            if steps is None
            else f" The clock stopped {steps.stops} times; the longest stop took"
            f" {steps.longest:.2f} s of real time, which simulated time ran on for."
        ),
    ]  # fmt: skip


async def phase_devices(config_dir: str) -> list[bench.Row | str]:
    """Rows 6-9: both sides, one after the other, on one emulator in simulated time."""
    from homeassistant import loader
    from pytest_homeassistant_custom_component.common import async_test_home_assistant

    for name in ("homeassistant.loader", "homeassistant.components.camera.img_util"):
        # "custom integration ring_auth not tested by Home Assistant"; no libturbojpeg here.
        logging.getLogger(name).setLevel(logging.CRITICAL)
    plan = Plan.make()
    STEPS.stops, STEPS.longest = 0, 0.0
    records: dict[str, Record] = {}
    with bench.simulated_time() as frozen:
        users = bench.accounts(1)
        emu = RingEmulator(
            EmulatorSettings(
                access_token_lifetime=bench.ACCESS_LIFETIME,
                grace=60,
                accounts=users,
                require_session=False,
            )
        )
        url = await emu.start()
        os.environ["RING_AUTH_BASE_URL"] = url
        bench.point_ring_doorbell_at(url)
        async with async_test_home_assistant(config_dir=config_dir) as hass:
            hass.data.pop(
                loader.DATA_CUSTOM_COMPONENTS, None
            )  # load custom_components/
            session = aiohttp.ClientSession()
            b = bench.Bench(hass, emu, session)
            try:
                for side_type, account in (
                    (OursSide, users[0]),
                    (TheirsSide, users[1]),
                ):
                    emu.household.account(account.email)  # its default household
                    base = int(account.account_id or 0) * 1000
                    side = side_type(b, account.email, base)
                    bench.progress(
                        f"rows 6-9: {side.name}, {DAY_HOURS:.0f} + {WIFI_HOURS:.0f}"
                        " simulated hours"
                    )
                    records[side.name] = await run_side(side, plan, frozen)
            finally:
                await b.close()
                await session.close()
                await emu.stop()
                await hass.async_stop(force=True)
    return rows_of(records["ours"], records["theirs"], STEPS)


def main() -> None:
    """Run rows 6-9 alone (python scripts/bench_devices.py)."""
    import asyncio
    import tempfile

    bench.quiet_logs()
    with tempfile.TemporaryDirectory(prefix="ring-auth-bench-devices-") as tmp:
        rows = asyncio.run(phase_devices(str(Path(tmp))))
    for line in bench.table(rows):
        bench.say(line)


if __name__ == "__main__":
    main()
