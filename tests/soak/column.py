"""What both columns share: figures, availability, restarts, power cuts and reauth prompts."""

import copy
from typing import Any, NamedTuple

from homeassistant.config_entries import ConfigEntry

from .engine import Engine
from .figures import Figures, Unavailability
from .ring_side import RingSide
from .schedule import DAY, HOUR


class RingState(NamedTuple):
    """What a column's Ring was doing when calls started."""

    healthy: bool
    blocked: bool
    singles: frozenset[int]  # the single bad replies still queued (identities)


USER_DELAY = 12 * HOUR  # how long a reauth prompt waits for the user
RETRY_USER = 1 * HOUR  # the user tries again when Ring is down at that moment


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
        self.avail = Unavailability(self.figures, engine.t0)
        self.up = False
        self.entry: ConfigEntry
        self.reauth_pending = False
        self.cut_armed = False
        self._cut_downtime = 0.0
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
        self.figures.reauth_times.append(self.engine.rel())
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
        self.ring.book_token_calls(self.engine.now())
        self.figures.token_call_times = list(self.ring.token_calls)
        self.figures.refresh_reuse = self.ring.emu.counters.refresh_reuse
        self.figures.refresh_rejected = self.ring.emu.counters.refresh_rejected

    def ring_state(self) -> RingState:
        """Return what this column's Ring is doing now, to book the calls made from now."""
        return RingState(self.ring.healthy, self.ring.blocked, self.ring.singles())

    def book_failures(self, n: int, before: RingState) -> None:
        """Count n failed API calls made since `before`.

        Healthy: no window open before or after them. A bad reply: one of the schedule's
        single malformed or lost replies was served meanwhile.
        """
        self.figures.failed(
            n,
            healthy=before.healthy and self.ring.healthy,
            bad_reply=bool(before.singles - self.ring.singles()),
            blocked=before.blocked or self.ring.blocked,
            at=self.engine.rel(),
        )
