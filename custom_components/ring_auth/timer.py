"""The manager's one wake-up (background refresh or the end of a backoff), ended on unload."""

from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
import time
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_call_later

from .const import DOMAIN


class RefreshTimer:
    """Runs `job` as the entry's background task at the planned time; one plan at a time."""

    __slots__ = ("_closed", "_entry", "_hass", "_job", "_unsub")

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        job: Callable[[], Coroutine[Any, Any, None]],
    ) -> None:
        """Plan nothing yet."""
        self._hass = hass
        self._entry = entry
        self._job = job
        self._unsub: CALLBACK_TYPE | None = None
        self._closed = False

    @property
    def pending(self) -> bool:
        """Return whether a wake-up is planned."""
        return self._unsub is not None

    def at(self, when: float) -> datetime | None:
        """Plan the wake-up (replacing any other); return its time, None once closed."""
        if self._closed:
            return None
        self.cancel()
        self._unsub = async_call_later(
            self._hass, max(0.0, when - time.time()), self._fired
        )
        return datetime.fromtimestamp(when, UTC)

    def cancel(self) -> None:
        """Drop the planned wake-up."""
        if self._unsub is not None:
            self._unsub()
            self._unsub = None

    def close(self) -> None:
        """Drop the plan and accept no new one (the entry unloads)."""
        self._closed = True
        self.cancel()

    @callback
    def _fired(self, _now: datetime) -> None:
        self._unsub = None
        self._entry.async_create_background_task(
            self._hass, self._job(), f"{DOMAIN} background refresh"
        )
