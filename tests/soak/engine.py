"""The soak's clock: frozen, moved in jumps from event to event and timer to timer.

Time is frozen (freezegun, as the `freezer` fixture) and moved in jumps: from one scheduled
event to the next, and in between from one pending event-loop timer to the next (Home
Assistant's timers, the integration's backoff and retry sleeps, aiohttp's timeouts). Nothing
sleeps for real. Before each jump the loop is *settled*: every callback scheduled to run
soon has run, no executor job is running, and no HTTP request is in flight except the ones
an emulator deliberately hangs. All of it is read through public interfaces: the loop's
`call_soon` and `run_in_executor` are wrapped to see what they schedule, an aiohttp
`TraceConfig` on Home Assistant's shared session counts the requests in flight, and each
emulator's `traffic` gauges count the requests it serves and the ones it holds.
"""

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from datetime import UTC, datetime
import heapq
import itertools
import time
from typing import Any

import aiohttp
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.util.async_ import get_scheduled_timer_handles
from pytest_homeassistant_custom_component.common import async_fire_time_changed_exact

from ring_emulator import RingEmulator

from .schedule import DAY

START = datetime(2026, 1, 5, tzinfo=UTC)  # a Monday
# A settle that never ends is a bug in the soak or a busy loop in the code under test.
MAX_SPINS = 2_000_000


class LoopWatch:
    """What the event loop still has to do without a clock jump: callbacks and thread jobs."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        """Wrap the loop's `call_soon` and `run_in_executor` (public methods) to track them."""
        self._soon: set[asyncio.Handle] = set()
        self._threads: set[asyncio.Future[Any]] = set()
        call_soon, run_in_executor = loop.call_soon, loop.run_in_executor
        soon = self._soon

        def tracked_call_soon(
            callback: Callable[..., object], *args: Any, context: Any = None
        ) -> asyncio.Handle:
            def run(*args: Any) -> None:
                soon.discard(handle)
                callback(*args)

            handle = call_soon(run, *args, context=context)
            soon.add(handle)
            return handle

        # Work handed to threads (imports, executor jobs) finishes in real time: the clock
        # must not jump while a thread is still busy.
        def tracked_run_in_executor(
            executor: Any, func: Callable[..., Any], *args: Any
        ) -> asyncio.Future[Any]:
            fut = run_in_executor(executor, func, *args)
            self._threads.add(fut)
            fut.add_done_callback(self._threads.discard)
            return fut

        loop.call_soon = tracked_call_soon  # type: ignore[method-assign]
        loop.run_in_executor = tracked_run_in_executor  # type: ignore[method-assign]

    def busy(self) -> bool:
        """Return whether a scheduled callback has not run yet, or a thread job is running."""
        if self._threads:
            return True
        for handle in [h for h in self._soon if h.cancelled()]:
            self._soon.discard(handle)  # a cancelled callback never runs
        return bool(self._soon)


class RequestWatch:
    """HTTP requests in flight on Home Assistant's shared session (both columns use it)."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        """Count requests from their start to their answer or failure (aiohttp tracing)."""
        self.in_flight = 0
        trace = aiohttp.TraceConfig()
        trace.on_request_start.append(self._started)
        trace.on_request_end.append(self._ended)
        trace.on_request_exception.append(self._ended)
        trace.freeze()
        session.trace_configs.append(trace)

    async def _started(self, *_: Any) -> None:
        self.in_flight += 1

    async def _ended(self, *_: Any) -> None:
        self.in_flight -= 1


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
        self.observers: list[Callable[[float, float], None]] = []
        self.steps = 0
        self._loop = LoopWatch(hass.loop)
        self._requests = RequestWatch(async_get_clientsession(hass))

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
        whens = [
            h.when() for h in get_scheduled_timer_handles(loop) if not h.cancelled()
        ]
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
        """Yield until nothing is scheduled to run and no request is in flight (bar hung ones).

        Two quiet spins in a row: what the selector reports in one loop iteration runs in
        that iteration, and whatever it schedules is seen in the next.
        """
        quiet = 0
        spins = 0
        while quiet < 2:
            await asyncio.sleep(0)
            spins += 1
            if spins > MAX_SPINS:
                raise RuntimeError("soak stuck in settle")
            if self._loop.busy() or self._http_busy():
                quiet = 0
            else:
                quiet += 1

    def _http_busy(self) -> bool:
        """Return whether a request is in flight that no emulator is deliberately holding."""
        hanging = sum(emu.traffic.hanging for emu in self.emulators)
        if self._requests.in_flight > hanging:
            return True
        return any(
            emu.traffic.in_flight > emu.traffic.hanging for emu in self.emulators
        )
