"""The managers' wake-ups (background refresh or the end of a backoff), ended on unload.

Each account plans one wake-up at a time through its ``RefreshTimer``. The plans of all
accounts share one Home Assistant timer, armed for the earliest (``RefreshTimers``, one per
``hass``): an account costs a dictionary slot instead of a timer handle, a job and their
callbacks (``make bench`` row 5). When that timer fires, every plan due by the time it fired
for runs, as the per-account timers did; the timer is dropped with the last plan.
"""

from datetime import UTC, datetime
import math
import time
from typing import Protocol

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_call_later
from homeassistant.util.hass_dict import HassKey

from .const import DOMAIN

_TIMERS: HassKey[RefreshTimers] = HassKey(f"{DOMAIN}_refresh_timers")


class RefreshTimers:
    """Every account's planned wake-up, and one Home Assistant timer for the earliest."""

    __slots__ = ("_due", "_hass", "_unsub", "_wake")

    def __init__(self, hass: HomeAssistant) -> None:
        """Plan nothing yet."""
        self._hass = hass
        self._due: dict[RefreshTimer, float] = {}
        self._unsub: CALLBACK_TYPE | None = None
        self._wake = math.inf

    @classmethod
    def of(cls, hass: HomeAssistant) -> RefreshTimers:
        """Return the instance's shared timers (made on first use)."""
        if (timers := hass.data.get(_TIMERS)) is None:
            timers = hass.data[_TIMERS] = cls(hass)
        return timers

    def planned(self, timer: RefreshTimer) -> bool:
        """Return whether the timer has a wake-up planned."""
        return timer in self._due

    def plan(self, timer: RefreshTimer, when: float) -> None:
        """Plan (or move) the timer's wake-up."""
        self._due[timer] = when
        if when < self._wake:
            self._arm(when)

    def drop(self, timer: RefreshTimer) -> None:
        """Forget the timer's wake-up; with the last one, the Home Assistant timer goes."""
        if self._due.pop(timer, None) is not None and not self._due:
            self._disarm()
        # Otherwise an early wake-up may stay armed: it finds nothing due and re-arms.

    def _arm(self, when: float) -> None:
        self._disarm()
        self._wake = when
        self._unsub = async_call_later(
            self._hass, max(0.0, when - time.time()), self._fired
        )

    def _disarm(self) -> None:
        if self._unsub is not None:
            self._unsub()
            self._unsub = None
        self._wake = math.inf

    @callback
    def _fired(self, now: datetime) -> None:
        """Run every plan due by now (or by the time this wake-up was armed for)."""
        until = max(now.timestamp(), self._wake)
        self._unsub = None
        self._wake = math.inf
        due = [timer for timer, when in self._due.items() if when <= until]
        for timer in due:
            del self._due[timer]
        for timer in due:
            timer.fire()
        if self._due and self._unsub is None:
            self._arm(min(self._due.values()))


class TimerOwner(Protocol):
    """Whose wake-ups a timer plans: an entry's, run as its background task."""

    hass: HomeAssistant
    entry: ConfigEntry

    async def async_wake(self) -> None:
        """Do what the wake-up was planned for."""


class RefreshTimer:
    """Runs its owner's `async_wake` as the entry's background task at the planned time.

    One plan at a time.
    """

    __slots__ = ("_closed", "_owner")

    def __init__(self, owner: TimerOwner) -> None:
        """Plan nothing yet."""
        self._owner = owner
        self._closed = False

    @property
    def pending(self) -> bool:
        """Return whether a wake-up is planned."""
        return RefreshTimers.of(self._owner.hass).planned(self)

    def at(self, when: float) -> datetime | None:
        """Plan the wake-up (replacing any other); return its time, None once closed."""
        if self._closed:
            return None
        RefreshTimers.of(self._owner.hass).plan(self, when)
        return datetime.fromtimestamp(when, UTC)

    def cancel(self) -> None:
        """Drop the planned wake-up."""
        RefreshTimers.of(self._owner.hass).drop(self)

    def close(self) -> None:
        """Drop the plan and accept no new one (the entry unloads)."""
        self._closed = True
        self.cancel()

    @callback
    def fire(self) -> None:
        """Start the wake-up now (the shared timer calls this when the plan is due)."""
        owner = self._owner
        owner.entry.async_create_background_task(
            owner.hass, owner.async_wake(), f"{DOMAIN} background refresh"
        )
