"""The soak engine: one simulated year, Home Assistant's clock and Ring's moved together.

Time is frozen (freezegun, as the `freezer` fixture) and moved in jumps: from one scheduled
event to the next, and in between from one pending event-loop timer to the next (Home
Assistant's timers, the integration's backoff and retry sleeps, aiohttp's timeouts). Nothing
sleeps for real. Before each jump the loop is *settled*: every ready callback has run and no
HTTP request is in flight except the ones the emulator deliberately hangs.

Two columns live through the same year in one Home Assistant, each against its own Ring
emulator (same settings, same faults at the same instants):

- `RingAuthColumn`: this integration, set up as a config entry, restarted, cut off, reauthed.
- `CoreColumn`: python-ring-doorbell's `Auth` + `Ring`, driven the way Home Assistant's core
  `ring` integration drives them (token updater into a config entry, a poll every minute,
  the first poll as set-up with Home Assistant's retry backoff, reauth on
  `AuthenticationError`). Its polls are not all executed: a poll made with an access token
  that neither the client nor Ring considers expired, while Ring is healthy and no fault is
  queued, is a plain successful GET that changes nothing; those are counted, not sent.
"""

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
import copy
from dataclasses import dataclass, field
from datetime import UTC, datetime
import heapq
import itertools
import math
import os
import time
from typing import Any

import aiohttp
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntry, ConfigEntryState
from homeassistant.core import Event as HassEvent, HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed_exact,
)
from ring_doorbell import AuthenticationError, Requires2FAError, Ring
from ring_doorbell.auth import Auth

from custom_components.ring_auth.const import DOMAIN
from custom_components.ring_auth.token_manager import async_store_login
from ring_emulator import Account, EmulatorSettings, Fault, RingEmulator

from .schedule import DAY, HOUR, Event, Schedule

EMAIL = "soak@example.com"
PASSWORD = "soak password"
ACCOUNT_ID = 777
OUR_HW = "50a50a50-0000-4000-8000-000000000001"
CORE_HW = "50a50a50-0000-4000-8000-000000000002"
PARTNER_ID = "partner-id"
PARTNER_SECRET = "partner-secret"
START = datetime(2026, 1, 5, tzinfo=UTC)  # a Monday
POLL = 60.0  # the core integration's SCAN_INTERVAL
USER_DELAY = 12 * HOUR  # how long a reauth prompt waits for the user
RETRY_USER = 1 * HOUR  # the user tries again when Ring is down at that moment
FOREVER = 10**9  # a fault "count" that outlasts any window
SETUP_RETRY_MAX = 600.0  # homeassistant.config_entries.SETUP_RETRY_MAX_WAIT
CORE_UA = "Home Assistant/ring-integration"


@dataclass(frozen=True, slots=True)
class RunConfig:
    """One run: access-token lifetime, grace window, grant flavour, days, seed."""

    lifetime: int
    grace: int
    partner: bool
    days: int
    seed: int

    @property
    def name(self) -> str:
        """Return a short label."""
        flavour = "partner" if self.partner else "consumer"
        return f"{self.lifetime // 3600} h {flavour}, grace {self.grace} s"


@dataclass(slots=True)
class Figures:
    """What one column did over the run."""

    reauths: list[str] = field(default_factory=list)
    token_call_times: list[float] = field(default_factory=list)
    api_calls: int = 0
    api_failed: int = 0
    api_failed_healthy: int = 0
    issues_raised: int = 0
    issues_cleared: int = 0
    issue_kinds: set[str] = field(default_factory=set)
    entry_writes: int = 0
    longest_unavailable: float = 0.0
    unavailable_total: float = 0.0
    polls_sent: int = 0
    polls_counted: int = 0
    refresh_reuse: int = 0
    refresh_rejected: int = 0

    def buckets(self, days: int) -> list[int]:
        """Return the token-endpoint calls of each simulated day."""
        buckets = [0] * days
        for at in self.token_call_times:
            buckets[min(days - 1, max(0, int(at // DAY)))] += 1
        return buckets

    def per_day(self, days: int) -> tuple[float, int]:
        """Return (mean, max) token-endpoint calls per simulated day."""
        buckets = self.buckets(days)
        return sum(buckets) / days, max(buckets)


class Unavailability:
    """Longest and total stretch during which a column was not usable (HA up)."""

    def __init__(self, figures: Figures) -> None:
        """Start available."""
        self._figures = figures
        self._since: float | None = None

    def mark(self, at: float, *, available: bool) -> None:
        """Record the state from `at` on."""
        if available and self._since is not None:
            self._close(at)
        elif not available and self._since is None:
            self._since = at

    def pause(self, at: float) -> None:
        """Home Assistant stops: its own downtime is not counted."""
        if self._since is not None:
            self._close(at)

    def _close(self, at: float) -> None:
        assert self._since is not None
        stretch = at - self._since
        self._figures.longest_unavailable = max(
            self._figures.longest_unavailable, stretch
        )
        self._figures.unavailable_total += stretch
        self._since = None


class Engine:
    """Moves the frozen clock from timer to timer and event to event."""

    def __init__(
        self, hass: HomeAssistant, freezer: FrozenDateTimeFactory, days: int
    ) -> None:
        """Freeze time at START."""
        self.hass = hass
        self.freezer = freezer
        freezer.move_to(START)
        self.t0 = time.time()
        self.end = self.t0 + days * DAY
        self._queue: list[tuple[float, int, Callable[[], Awaitable[None]]]] = []
        self._seq = itertools.count()
        self.emulators: list[RingEmulator] = []
        self.hanging = 0
        self.observers: list[Callable[[float, float], None]] = []
        self.session = async_get_clientsession(hass)
        self.steps = 0
        # Work handed to threads (imports, executor jobs) finishes in real time: track it so
        # the clock never jumps while a thread is still busy.
        self._in_threads: set[asyncio.Future[Any]] = set()
        run_in_executor = hass.loop.run_in_executor

        def tracked(executor: Any, func: Any, *args: Any) -> asyncio.Future[Any]:
            fut = run_in_executor(executor, func, *args)
            self._in_threads.add(fut)
            fut.add_done_callback(self._in_threads.discard)
            return fut

        hass.loop.run_in_executor = tracked  # type: ignore[method-assign]

    def now(self) -> float:
        """Return the simulated epoch time."""
        return time.time()

    def rel(self, at: float | None = None) -> float:
        """Return seconds since the start of the run."""
        return (self.now() if at is None else at) - self.t0

    def at(self, when: float, action: Callable[[], Awaitable[None]]) -> None:
        """Run `action` at simulated time `when` (absolute epoch seconds)."""
        heapq.heappush(self._queue, (when, next(self._seq), action))

    async def run(self) -> None:
        """Process every event until the end of the run."""
        while self._queue and self._queue[0][0] <= self.end:
            when = self._queue[0][0]
            if await self.run_until(when):
                continue  # an earlier event was queued meanwhile
            _, _, action = heapq.heappop(self._queue)
            await action()
        await self.run_until(self.end)

    async def run_until(self, target: float) -> bool:
        """Step through loop timers up to `target`; True if an earlier event got queued."""
        while True:
            await self.settle()
            if self._queue and self._queue[0][0] < target:
                return True
            nxt = self.next_timer()
            if nxt is None or nxt > target:
                break
            self._move(nxt)
        self._move(target)
        await self.settle()
        return False

    async def pump[T](
        self, coros: list[Coroutine[Any, Any, T]]
    ) -> list[T | BaseException]:
        """Run coroutines to completion, moving time only while they wait on timers."""
        tasks = [asyncio.ensure_future(coro) for coro in coros]
        while True:
            await self.settle()
            if all(task.done() for task in tasks):
                break
            nxt = self.next_timer()
            if nxt is None:
                raise RuntimeError("soak stuck: tasks pending, no timer, no I/O")
            self._move(nxt)
        return [
            task.exception() if task.exception() is not None else task.result()
            for task in tasks
        ]

    def next_timer(self) -> float | None:
        """Return the epoch time of the earliest pending loop timer."""
        loop = self.hass.loop
        whens = [h.when() for h in loop._scheduled if not h.cancelled()]
        if not whens:
            return None
        return self.now() + max(min(whens) - loop.time(), 1e-4)

    def _move(self, target: float) -> None:
        now = self.now()
        if target <= now:
            return
        self.steps += 1
        self.freezer.move_to(datetime.fromtimestamp(target, UTC))
        for observer in self.observers:
            observer(now, target)
        async_fire_time_changed_exact(self.hass)

    async def settle(self) -> None:
        """Yield until no callback is ready and no request is in flight (bar hung ones)."""
        loop = self.hass.loop
        quiet = 0
        spins = 0
        while quiet < 2:
            await asyncio.sleep(0)
            spins += 1
            if spins > 2_000_000:
                raise RuntimeError("soak stuck in settle")
            if loop._ready or self._busy():
                quiet = 0
            else:
                quiet += 1

    def _busy(self) -> bool:
        connector = self.session.connector
        in_flight = len(connector._acquired) if connector is not None else 0
        if in_flight > self.hanging:
            return True
        return bool(self._in_threads)


class RingSide:
    """One emulator and the windows of trouble the schedule puts on it."""

    def __init__(self, engine: Engine, config: RunConfig) -> None:
        """Create the emulator with the run's lifetime and grace."""
        self.engine = engine
        self.emu = RingEmulator(
            EmulatorSettings(
                access_token_lifetime=config.lifetime,
                grace=config.grace,
                accounts=[
                    Account(
                        email=EMAIL,
                        password=PASSWORD,
                        tsv_state="sms",
                        account_id=ACCOUNT_ID,
                    )
                ],
                partner_clients={PARTNER_ID: PARTNER_SECRET},
            )
        )
        self.windows: dict[str, int] = {"network": 0, "outage_5xx": 0, "outage_hang": 0}
        self.storm_retry_after: list[int] = []
        self.token_calls: list[float] = []
        emu = self.emu
        token_handler = emu._token
        hang = emu._hang

        async def count_token(request: Any) -> Any:
            self.token_calls.append(engine.rel())
            return await token_handler(request)

        async def count_hang(request: Any) -> None:
            engine.hanging += 1
            try:
                await hang(request)
            finally:
                engine.hanging -= 1

        emu._token = count_token  # type: ignore[method-assign]
        emu._hang = count_hang  # type: ignore[method-assign]

    @property
    def healthy(self) -> bool:
        """Return whether Ring answers normally right now (no window open)."""
        return not any(self.windows.values()) and not self.storm_retry_after

    @property
    def quiet(self) -> bool:
        """Return whether the next request surely gets a normal answer."""
        return self.healthy and not self.emu.faults.pending()

    def open(self, kind: str, retry_after: int = 0) -> None:
        """Open a window of trouble."""
        if kind == "storm":
            self.storm_retry_after.append(retry_after)
        else:
            self.windows[kind] += 1
        self._apply()

    def close(self, kind: str, retry_after: int = 0) -> None:
        """Close a window of trouble."""
        if kind == "storm":
            self.storm_retry_after.remove(retry_after)
        else:
            self.windows[kind] -= 1
        self._apply()

    def single(self, fault: str, where: str) -> None:
        """Queue one malformed or lost reply for the next matching request."""
        self.emu.inject(fault, count=1, where=where)

    def _apply(self) -> None:
        """Make the fault queue match the open windows (single faults kept, behind)."""
        singles = [s for s in self.emu.faults.pending() if s.remaining < FOREVER // 2]
        self.emu.faults.clear()
        if self.windows["network"]:
            self.emu.inject(Fault.RESET, count=FOREVER)
        elif self.windows["outage_hang"]:
            self.emu.inject(Fault.HANG, count=FOREVER)
        elif self.windows["outage_5xx"]:
            self.emu.inject(Fault.SERVER_ERROR, count=FOREVER, status=503)
        elif self.storm_retry_after:
            self.emu.inject(
                Fault.RATE_LIMIT, count=FOREVER, retry_after=max(self.storm_retry_after)
            )
        for spec in singles:
            self.emu.faults.add(spec)

    def server_expiry(self, access_token: str) -> float | None:
        """Return when Ring stops accepting this access token, in the hub's clock."""
        record = self.emu.tokens._access.get(access_token)
        if record is None:
            return None
        return record.expires_at - self.emu.clock.offset


def stored(body: dict[str, Any]) -> dict[str, Any]:
    """Return a token body as this integration stores it."""
    now = time.time()
    return {**body, "received_at": now, "expires_at": now + body["expires_in"]}


class Column:
    """What both columns share: figures, availability, power and reauth bookkeeping."""

    name = ""

    def __init__(
        self, engine: Engine, ring: RingSide, hass_storage: dict[str, Any]
    ) -> None:
        """Bind to the engine and this column's emulator."""
        self.engine = engine
        self.ring = ring
        self.hass = engine.hass
        self.hass_storage = hass_storage
        self.figures = Figures()
        self.avail = Unavailability(self.figures)
        self.up = False
        self.entry: ConfigEntry
        self.reauth_pending = False
        self.cut_armed = False
        self.events: list[str] = []  # recent schedule events, to explain a reauth

    # -- the shared pieces -----------------------------------------------------------------

    def note(self, text: str) -> None:
        """Remember a recent happening (for explaining a reauth)."""
        self.events = [*self.events[-5:], f"day {self.engine.rel() / DAY:.2f} {text}"]

    def prompt(self, cause: str) -> None:
        """Record a reauth prompt and have the user answer it later."""
        if self.reauth_pending:
            return
        self.reauth_pending = True
        self.figures.reauths.append(
            f"day {self.engine.rel() / DAY:.2f}: {cause} (after: {'; '.join(self.events[-3:])})"
        )
        self.engine.at(self.engine.now() + USER_DELAY, self.user_reauth)

    def entry_written(self) -> None:
        """Count a token change; an armed power cut strikes 0.5 s later."""
        self.figures.entry_writes += 1
        if self.cut_armed and self.up:
            self.cut_armed = False
            self.engine.at(self.engine.now() + 0.5, self.cut_now)

    def durable_data(self) -> dict[str, Any]:
        """Return the entry's data as last written to storage."""
        entries = self.hass_storage["core.config_entries"]["data"]["entries"]
        data = next(e for e in entries if e["entry_id"] == self.entry.entry_id)["data"]
        return copy.deepcopy(data)

    async def restart(self, downtime: float) -> None:
        """Graceful: stop (Home Assistant flushes pending saves), start after downtime."""
        if not self.up:
            return
        self.note("graceful restart")
        await self.stop()
        await self.engine.run_until(self.engine.now() + 2)  # the final write
        self.engine.at(self.engine.now() + downtime, self.start)

    async def power_cut(self, downtime: float, mode: str) -> None:
        """Abrupt: now, or 0.5 s after the next token write."""
        self._cut_downtime = downtime
        if mode == "after_refresh":
            self.cut_armed = True
            return
        await self.cut_now()

    async def cut_now(self) -> None:
        """Lose whatever was not durably written, then start from storage."""
        if not self.up:
            return
        self.note("power cut")
        durable = self.durable_data()
        await self.stop()
        # The delayed save still pending in memory dies with the power: the entry is
        # rebuilt from what storage held when the power went.
        self.hass.config_entries.async_update_entry(self.entry, data=durable)
        self.figures.entry_writes -= 1  # the rebuild is not a write of the column's
        self.engine.at(self.engine.now() + self._cut_downtime, self.start)

    async def stop(self) -> None:
        """Home Assistant goes down."""
        raise NotImplementedError

    async def start(self) -> None:
        """Home Assistant comes up."""
        raise NotImplementedError

    async def user_reauth(self) -> None:
        """Answer the reauth prompt, as the user does."""
        raise NotImplementedError

    async def calls(self, n: int) -> None:
        """Make n concurrent API calls."""
        raise NotImplementedError

    def finish(self) -> None:
        """Close the books at the end of the run."""
        self.avail.pause(self.engine.now())
        self.figures.token_call_times = list(self.ring.token_calls)
        self.figures.refresh_reuse = self.ring.emu.counters.refresh_reuse
        self.figures.refresh_rejected = self.ring.emu.counters.refresh_rejected


class RingAuthColumn(Column):
    """Ring Auth, as Home Assistant runs it."""

    name = "ring_auth"

    def __init__(
        self,
        engine: Engine,
        ring: RingSide,
        hass_storage: dict[str, Any],
        partner: bool,
    ) -> None:
        """Create the config entry holding a first login's token."""
        super().__init__(engine, ring, hass_storage)
        self.partner = partner
        client = PARTNER_ID if partner else None
        body = (
            ring.emu.issue_tokens(EMAIL, client)
            if client
            else ring.emu.issue_tokens(EMAIL)
        )
        data: dict[str, Any] = {
            "email": EMAIL,
            "hardware_id": OUR_HW,
            "auth_type": "partner" if partner else "consumer",
            "token": stored(body),
        }
        if partner:
            data["auth_implementation"] = DOMAIN
        # The soak's own bursts are the account's use; the devices are read at each start
        # only (polling them every minute is the bench's subject, not the soak's).
        self.entry = MockConfigEntry(
            domain=DOMAIN,
            title=EMAIL,
            unique_id=str(ACCOUNT_ID),
            data=data,
            pref_disable_polling=True,
        )
        self.entry.add_to_hass(self.hass)
        self.seen_flows: set[str] = set()
        engine.observers.append(self._observe)
        self.hass.bus.async_listen(ir.EVENT_REPAIRS_ISSUE_REGISTRY_UPDATED, self._issue)

    def _issue(self, event: HassEvent[ir.EventIssueRegistryUpdatedData]) -> None:
        if event.data["domain"] != DOMAIN:
            return
        if event.data["action"] == "create":
            self.figures.issues_raised += 1
            self.figures.issue_kinds.add(event.data["issue_id"].rsplit("_", 1)[0])
        elif event.data["action"] == "remove":
            self.figures.issues_cleared += 1

    def usable(self) -> bool:
        """Return whether the login is usable (what the token sensors show)."""
        if self.entry.state is not ConfigEntryState.LOADED:
            return False
        return self.entry.runtime_data.manager.login_usable

    def _observe(self, before: float, after: float) -> None:
        """Track availability across a jump of the clock; notice new reauth flows."""
        if not self.up:
            return
        if self.entry.state is ConfigEntryState.LOADED:
            manager = self.entry.runtime_data.manager
            expires = float(manager.token["expires_at"])
            if (
                not manager.health.login_lost
                and manager.health.consecutive_failures > 0
                and before < expires <= after
            ):
                self.avail.mark(expires, available=False)
        self.check()

    def check(self) -> None:
        """Record availability now and any new reauth flow."""
        if not self.up:
            return
        self.avail.mark(self.engine.now(), available=self.usable())
        for flow in self.hass.config_entries.flow.async_progress_by_handler(DOMAIN):
            if flow["context"].get("source") != SOURCE_REAUTH:
                continue
            if flow["flow_id"] in self.seen_flows:
                continue
            self.seen_flows.add(flow["flow_id"])
            reason = "?"
            if self.entry.state is ConfigEntryState.LOADED:
                reason = str(self.entry.runtime_data.manager.health.login_lost_reason)
            self.prompt(f"login lost ({reason})")

    async def start(self) -> None:
        """Set the entry up (Home Assistant started)."""
        if self.up:
            return
        self.up = True
        self.note("start")
        await self.engine.pump(
            [self.hass.config_entries.async_setup(self.entry.entry_id)]
        )
        self.check()

    async def stop(self) -> None:
        """Unload the entry (Home Assistant stopping)."""
        self.check()
        self.avail.pause(self.engine.now())
        self.up = False
        await self.engine.pump(
            [self.hass.config_entries.async_unload(self.entry.entry_id)]
        )

    async def calls(self, n: int) -> None:
        """Make n concurrent API calls through the integration's RingApi."""
        if not self.up:
            return
        self.figures.api_calls += n
        healthy = self.ring.healthy
        if self.entry.state is not ConfigEntryState.LOADED:
            failed = n
        else:
            api = self.entry.runtime_data.api
            results = await self.engine.pump(
                [api.async_get_devices() for _ in range(n)]
            )
            failed = sum(isinstance(r, BaseException) for r in results)
        self.figures.api_failed += failed
        if healthy and self.ring.healthy:
            self.figures.api_failed_healthy += failed
        self.check()

    async def user_reauth(self) -> None:
        """Log in again as the user does (password + SMS code; partners re-link)."""
        flows = [
            f
            for f in self.hass.config_entries.flow.async_progress_by_handler(DOMAIN)
            if f["context"].get("source") == SOURCE_REAUTH
        ]
        if self.up and not flows:
            self.reauth_pending = False  # the prompt went away on its own
            return
        if not self.up or not self.ring.healthy:
            self.engine.at(self.engine.now() + RETRY_USER, self.user_reauth)
            return
        flow_id = flows[0]["flow_id"]
        manager = self.hass.config_entries.flow
        if self.partner:
            # Account linking is a browser step; its result is a fresh partner token.
            token = await async_store_login(
                self.hass,
                self.entry,
                stored(self.ring.emu.issue_tokens(EMAIL, PARTNER_ID)),
            )
            manager.async_abort(flow_id)
            self.hass.config_entries.async_update_entry(
                self.entry, data={**self.entry.data, "token": token}
            )
            await self.engine.pump(
                [self.hass.config_entries.async_reload(self.entry.entry_id)]
            )
        else:
            [result] = await self.engine.pump(
                [manager.async_configure(flow_id, {"password": PASSWORD})]
            )
            code = self.ring.emu.last_code(EMAIL)
            [result] = await self.engine.pump(
                [manager.async_configure(flow_id, {"code": code})]
            )
            if (
                not isinstance(result, dict)
                or result.get("reason") != "reauth_successful"
            ):
                self.engine.at(self.engine.now() + RETRY_USER, self.user_reauth)
                return
        self.reauth_pending = False
        self.note("user logged in again")
        self.check()


class _Redirect:
    """The shared aiohttp session, with Ring's hosts pointed at the emulator."""

    def __init__(self, session: Any, base: str) -> None:
        self._session = session
        self._base = base

    def request(self, method: str, url: Any, **kwargs: Any) -> Any:
        url = (
            str(url)
            .replace("https://oauth.ring.com", self._base)
            .replace("https://api.ring.com", self._base)
        )
        if isinstance(kwargs.get("timeout"), int | float):
            kwargs["timeout"] = aiohttp.ClientTimeout(total=kwargs["timeout"])
        return self._session.request(method, url, **kwargs)


class CoreColumn(Column):
    """python-ring-doorbell 0.9.14 as Home Assistant's core `ring` integration drives it."""

    name = "core ring (python-ring-doorbell)"

    def __init__(
        self, engine: Engine, ring: RingSide, hass_storage: dict[str, Any]
    ) -> None:
        """Create a `ring` config entry holding a first login's token (oauthlib form)."""
        super().__init__(engine, ring, hass_storage)
        body = ring.emu.issue_tokens(EMAIL)
        token = {**body, "expires_at": time.time() + body["expires_in"]}
        self.entry = MockConfigEntry(
            domain="ring",
            title=EMAIL,
            unique_id=str(ACCOUNT_ID),
            version=1,
            minor_version=3,
            data={"username": EMAIL, "token": token, "device_id": CORE_HW},
        )
        self.entry.add_to_hass(self.hass)
        self.auth: Auth | None = None
        self.ring_api: Ring | None = None
        self.set_up = False
        self.tries = 0
        self.gen = 0
        self.next_grid = 0.0
        self.planned = 0.0
        self.halted = False  # ConfigEntryAuthFailed stopped the coordinator
        self.ok = False

    # -- the integration's pieces, as core has them --------------------------------------------

    def _token_updater(self, token: dict[str, Any]) -> None:
        """homeassistant/components/ring/__init__.py: token_updater."""
        self.hass.config_entries.async_update_entry(
            self.entry, data={**self.entry.data, "token": token}
        )

    def _session(self) -> _Redirect:
        assert self.ring.emu.url is not None
        return _Redirect(async_get_clientsession(self.hass), self.ring.emu.url)

    async def start(self) -> None:
        """async_setup_entry: Auth from the entry's token, then the first refresh."""
        if self.up:
            return
        self.up = True
        self.note("start")
        self.tries = 0
        self.set_up = False
        self.auth = Auth(
            CORE_UA,
            self.entry.data["token"],
            self._token_updater,
            hardware_id=self.entry.data["device_id"],
            http_client_session=self._session(),  # type: ignore[arg-type]
        )
        self.ring_api = Ring(self.auth)
        if self.halted:
            self._set_ok(ok=False)
            return
        await self._setup_attempt(self.gen)

    async def stop(self) -> None:
        """Unload: polling ends."""
        self.catch_up()
        self.avail.pause(self.engine.now())
        self.up = False
        self.gen += 1
        self.auth = None
        self.ring_api = None

    def _set_ok(self, *, ok: bool) -> None:
        self.ok = ok
        if self.up:
            self.avail.mark(self.engine.now(), available=ok)

    async def _update(self) -> bool:
        """One coordinator update; False on UpdateFailed; AuthenticationError halts it."""
        assert self.ring_api is not None
        self.figures.polls_sent += 1
        self.figures.api_calls += 1
        healthy = self.ring.healthy
        [result] = await self.engine.pump([self.ring_api.async_update_devices()])
        if result is None:
            return True
        self.figures.api_failed += 1
        if healthy and self.ring.healthy:
            self.figures.api_failed_healthy += 1
        if isinstance(result, AuthenticationError):
            self.prompt(f"AuthenticationError in a poll: {_short(result)}")
            self.halted = True
        elif not isinstance(result, Exception):
            raise result  # the coordinator logs any other Exception as a failed update
        return False

    async def _setup_attempt(self, gen: int) -> None:
        """async_config_entry_first_refresh, with Home Assistant's setup retry backoff."""
        if gen != self.gen or not self.up or self.halted:
            return
        if await self._update():
            self.set_up = True
            self._set_ok(ok=True)
            self._plan(self.engine.now() + POLL)
            return
        self._set_ok(ok=False)
        if self.halted:
            return  # ConfigEntryAuthFailed: set-up error, a reauth flow
        wait = min(2**self.tries * 5, SETUP_RETRY_MAX)
        self.tries += 1
        self.engine.at(self.engine.now() + wait, lambda: self._setup_attempt(gen))

    # -- polling, sent or counted ------------------------------------------------------------

    def _interesting(self) -> float:
        """Return when a poll could first do more than a plain successful GET."""
        assert self.auth is not None
        client = self.auth._oauth_client._expires_at
        server = self.ring.server_expiry(self.auth._token.get("access_token", ""))
        times = [t for t in (client, server) if t is not None]
        return min(times) if times else self.engine.now()

    def _plan(self, first: float) -> None:
        """Queue the next poll worth sending; the ones before it are counted later."""
        self.gen += 1
        gen = self.gen
        self.next_grid = first
        when = first
        if self.ring.quiet:
            interesting = self._interesting()
            if interesting > first:
                when = first + math.ceil((interesting - first) / POLL) * POLL
        self.planned = when
        self.engine.at(when, lambda: self._poll(gen, when))

    def catch_up(self) -> None:
        """Count the plain polls due up to now (nothing happened that they would see)."""
        if not (self.up and self.set_up) or self.halted:
            return
        # Grid polls before the planned one and not after now.
        now = self.engine.now()
        n = 0
        first = self.next_grid
        while self.next_grid <= now and self.next_grid < self.planned - 1e-6:
            n += 1
            self.next_grid += POLL
        self._counted(n, first)

    def _counted(self, n: int, first: float) -> None:
        """Book n plain successful polls from `first` on (available again at the first)."""
        self.figures.polls_counted += n
        self.figures.api_calls += n
        if n and not self.ok:
            self.ok = True
            self.avail.mark(first, available=True)

    def replan(self) -> None:
        """Something happened: send the next poll on the grid, or skip ahead again."""
        if self.up and self.set_up and not self.halted:
            self._plan(self.next_grid)

    async def _poll(self, gen: int, when: float) -> None:
        if gen != self.gen or not self.up or self.halted:
            return
        # Polls from the grid up to this one (exclusive) were plain successes.
        skipped = round((when - self.next_grid) / POLL)
        self._counted(skipped, self.next_grid)
        ok = await self._update()
        self._set_ok(ok=ok)
        if self.halted:
            return  # ConfigEntryAuthFailed stops the coordinator until the reauth
        self._plan(self.engine.now() + POLL)

    async def calls(self, n: int) -> None:
        """Entity actions / service calls: n concurrent queries through the same Auth."""
        if not self.up:
            return
        self.figures.api_calls += n
        healthy = self.ring.healthy
        if self.ring_api is None or not self.set_up:
            failed = n
        else:
            ring_api = self.ring_api
            results = await self.engine.pump(
                [ring_api.async_update_devices() for _ in range(n)]
            )
            failed = 0
            for result in results:
                if result is None:
                    continue
                failed += 1
                if isinstance(result, AuthenticationError):
                    # ring/entity.py exception_wrap: start a reauth, raise HomeAssistantError.
                    self.prompt(f"AuthenticationError in an action: {_short(result)}")
                elif not isinstance(result, Exception):
                    raise result
        self.figures.api_failed += failed
        if healthy and self.ring.healthy:
            self.figures.api_failed_healthy += failed

    async def user_reauth(self) -> None:
        """Log in again as the user does: password, then the SMS code (core's reauth flow)."""
        if not self.up or not self.ring.healthy:
            self.engine.at(self.engine.now() + RETRY_USER, self.user_reauth)
            return
        auth = Auth(
            CORE_UA,
            None,
            None,
            hardware_id=self.entry.data["device_id"],
            http_client_session=self._session(),  # type: ignore[arg-type]
        )
        [first] = await self.engine.pump([auth.async_fetch_token(EMAIL, PASSWORD)])
        if not isinstance(first, Requires2FAError):
            self.engine.at(self.engine.now() + RETRY_USER, self.user_reauth)
            return
        code = self.ring.emu.last_code(EMAIL)
        [token] = await self.engine.pump(
            [auth.async_fetch_token(EMAIL, PASSWORD, code)]
        )
        if isinstance(token, BaseException):
            self.engine.at(self.engine.now() + RETRY_USER, self.user_reauth)
            return
        # The reauth flow's async_update_reload_and_abort: one write, then a reload.
        self._token_updater(token)
        self.reauth_pending = False
        self.halted = False
        self.note("user logged in again")
        await self.stop()
        await self.start()


def _short(err: BaseException) -> str:
    text = str(err) or type(err).__name__
    return text.splitlines()[0][:60]


async def run_year(  # noqa: C901
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    monkeypatch: Any,
    config: RunConfig,
    schedule: Schedule,
) -> dict[str, Any]:
    """Live through the schedule with both columns; return their figures."""
    engine = Engine(hass, freezer, config.days)
    ours_ring = RingSide(engine, config)
    core_ring = RingSide(engine, config)
    url = await ours_ring.emu.start("127.0.0.1", 0)
    await core_ring.emu.start("127.0.0.1", 0)
    monkeypatch.setenv("RING_AUTH_BASE_URL", url)
    if config.partner:
        from homeassistant.components.application_credentials import (
            ClientCredential,
            async_import_client_credential,
        )
        from homeassistant.setup import async_setup_component

        await async_setup_component(hass, "application_credentials", {})
        await async_import_client_credential(
            hass, DOMAIN, ClientCredential(PARTNER_ID, PARTNER_SECRET, "Partner app")
        )
    ours = RingAuthColumn(engine, ours_ring, hass_storage, config.partner)
    core = CoreColumn(engine, core_ring, hass_storage)
    columns: list[Column] = [ours, core]

    entries = hass.config_entries
    update_entry = entries.async_update_entry

    def counting_update(entry: ConfigEntry, **kwargs: Any) -> bool:
        before = entry.data.get("token")
        changed = update_entry(entry, **kwargs)
        if changed and entry.data.get("token") != before:
            for column in columns:
                if column.entry is entry:
                    column.entry_written()
        return changed

    monkeypatch.setattr(entries, "async_update_entry", counting_update)
    # The starting point is durable: both entries on "disk".
    entries._async_schedule_save()
    await engine.run_until(engine.now() + 2)

    def every(ev: Event, action: Callable[[Column], Awaitable[None]]) -> None:
        async def run() -> None:
            core.catch_up()
            for column in columns:
                await action(column)
            core.replan()

        engine.at(engine.t0 + ev.at, run)

    def window(ev: Event, kind: str, retry_after: int = 0) -> None:
        async def opened() -> None:
            core.catch_up()
            for side, column in ((ours_ring, ours), (core_ring, core)):
                side.open(kind, retry_after)
                column.note(f"{kind} starts")
            core.replan()

        async def closed() -> None:
            core.catch_up()
            for side, column in ((ours_ring, ours), (core_ring, core)):
                side.close(kind, retry_after)
                column.note(f"{kind} ends")
            core.replan()

        engine.at(engine.t0 + ev.at, opened)
        engine.at(engine.t0 + ev.at + ev.args["duration"], closed)

    for ev in schedule.events:
        match ev.kind:
            case "calls":
                n = ev.args["n"]
                every(ev, lambda c, n=n: c.calls(n))
            case "outage":
                window(ev, f"outage_{ev.args['mode']}")
            case "storm":
                window(ev, "storm", ev.args["retry_after"])
            case "network_loss":
                window(ev, "network")
            case "malformed":
                fault, where = ev.args["fault"], ev.args["where"]

                async def inject(
                    c: Column, fault: str = fault, where: str = where
                ) -> None:
                    c.ring.single(fault, where)
                    c.note(f"{fault} queued")

                every(ev, inject)
            case "restart":
                downtime = ev.args["downtime"]
                every(ev, lambda c, d=downtime: c.restart(d))
            case "power_cut":
                downtime, mode = ev.args["downtime"], ev.args["mode"]
                every(ev, lambda c, d=downtime, m=mode: c.power_cut(d, m))
            case "clock_step":
                step = ev.args["step"]

                async def clock(c: Column, step: float = step) -> None:
                    # The skew between the hub's clock and Ring's steps: Ring's clock moves.
                    c.ring.emu.clock.offset -= step
                    c.note(f"clock step {step:+.0f} s")

                every(ev, clock)

    for column in columns:
        await column.start()
    core.replan()
    started = os.times().elapsed  # not frozen
    await engine.run()
    core.catch_up()
    for column in columns:
        column.finish()
        if column.up:
            await column.stop()
    await ours_ring.emu.stop()
    await core_ring.emu.stop()
    outage_windows = [
        (ev.at, ev.at + ev.args["duration"])
        for ev in schedule.events
        if ev.kind in ("outage", "network_loss")
    ]
    return {
        "config": config,
        "schedule": schedule,
        "ours": ours.figures,
        "core": core.figures,
        "longest_outage": longest_merged(outage_windows),
        "longest_5xx_hang": max(
            (ev.args["duration"] for ev in schedule.events if ev.kind == "outage"),
            default=0.0,
        ),
        "seconds": os.times().elapsed - started,
        "steps": engine.steps,
    }


def longest_merged(windows: list[tuple[float, float]]) -> float:
    """Return the longest stretch covered by overlapping windows."""
    best = 0.0
    cur_start: float | None = None
    cur_end = 0.0
    for start, end in sorted(windows):
        if cur_start is None or start > cur_end:
            if cur_start is not None:
                best = max(best, cur_end - cur_start)
            cur_start, cur_end = start, end
        else:
            cur_end = max(cur_end, end)
    if cur_start is not None:
        best = max(best, cur_end - cur_start)
    return best
