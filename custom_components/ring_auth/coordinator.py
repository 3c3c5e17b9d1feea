"""The device coordinator: the account's Ring devices, their state and events, on the kept login.

It sits beside the token manager and calls Ring through the same `RingApi` (the manager is its
`AbstractAuth`: one refresh for every caller). What each poll asks for is `PollPlan`'s call;
every event goes through `DeviceEvents` (one `RingEventSource`), fed by the polls now and by
`async_push_event` (a real-time listener, later). Platforms read `RingDevicesData` only. Ring
errors become Home Assistant errors through `manager.ha_error` alone: a failed poll is
`UpdateFailed`, a lost login `ConfigEntryAuthFailed` (one reauth).
"""

import asyncio
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from types import MappingProxyType
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .const import LOGGER
from .device_data import EMPTY, PollStats, RingDevicesData
from .device_events import DeviceEvents
from .poll_plan import HISTORY_LIMIT, PollPlan
from .registry import DevicePresence
from .ringclient import (
    DeviceHealth,
    RingApiError,
    RingDevice,
    RingDevicesApi,
    RingError,
    RingEvent,
)
from .snapshots import SnapshotCache
from .token_manager import RingTokenManager

MAX_RETRY_AFTER = 3600.0  # seconds; a longer Retry-After from Ring is not waited out


@dataclass(frozen=True, slots=True)
class NeedsHealth:
    """The listener context of an entity that shows a device's health (its Wi-Fi signal)."""

    device_id: int


async def _unless_missing[T](
    request: Awaitable[T], what: str, device: RingDevice
) -> T | None:
    """Return the answer, or None when Ring has none for this device (404, assumed for odd kinds)."""
    try:
        return await request
    except RingApiError as err:
        if err.status != 404:
            raise
        LOGGER.debug("Ring keeps no %s of device %s", what, device.id)
        return None


class RingDevicesCoordinator(DataUpdateCoordinator[RingDevicesData]):
    """Polls the account's devices; publishes their state and each new event once."""

    config_entry: ConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        manager: RingTokenManager,
        api: RingDevicesApi,
        interval: timedelta,
    ) -> None:
        """Poll through `api` every `interval`."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name="Ring devices",
            update_interval=interval,
        )
        self.manager = manager
        self.api = api
        self.plan = PollPlan(interval)
        self.stats = PollStats()
        self.events = DeviceEvents(self.stats)
        self.snapshots = SnapshotCache(api, self.stats, interval)
        self.presence = DevicePresence()
        self.data = EMPTY
        self._health: dict[int, DeviceHealth] = {}
        self._polls_started = 0

    @property
    def polls_started(self) -> int:
        """Return how many polls have started (a later poll's data postdates a command)."""
        return self._polls_started

    async def _async_update_data(self) -> RingDevicesData:
        """Poll Ring: every call first, then the bookkeeping, so a failed poll changes nothing."""
        self._polls_started += 1
        poll = self._polls_started
        now = dt_util.utcnow()
        catchup = self.plan.catchup_due(now)
        try:
            listed = await self._call("ring_devices", self.api.async_get_devices())
            devices = {device.id: device for device in listed}
            dings = await self._call("dings_active", self.api.async_get_active_dings())
            histories = await self._each(
                self._async_history,
                (
                    d
                    for d in devices.values()
                    if d.has_history
                    and (catchup or not self.events.source.primed(d.id))
                ),
            )
            healths = await self._each(
                self._async_health,
                (
                    devices[dev_id]
                    for dev_id in self._health_wanted(devices)
                    if self.plan.health_due(dev_id, now)
                ),
            )
        except RingError as err:
            self.stats.failed_polls += 1
            self.plan.poll_failed()
            raise self._update_failed(err) from err
        removed = self.presence.async_track(self.hass, self.config_entry, devices)
        for dev_id in [*removed, *self._unlisted(devices)]:
            self._forget(dev_id)
        self.events.take_poll(devices, dings, histories)
        for dev_id, health in healths.items():
            self.plan.health_read(dev_id, now)
            if health is not None:
                self._health[dev_id] = health
        if catchup:
            self.plan.caught_up(now)
            self.stats.catch_ups += 1
        self.stats.polls += 1
        self.stats.last_poll = now
        return self._publish(poll, devices, removed)

    @callback
    def async_push_event(self, event: RingEvent) -> bool:
        """Take an event pushed in real time; return whether it fired (an event fires once)."""
        if event.device_id not in self.data.devices or not self.events.push(event):
            return False
        self.data = self._publish(self.data.poll, self.data.devices, frozenset())
        self.async_update_listeners()
        return event in self.data.new_events

    async def async_set_light(self, device: RingDevice, on: bool) -> None:
        """Turn a floodlight on or off; a failure is a translated HomeAssistantError."""
        self.stats.calls["light"] += 1
        await self._command(self.api.async_set_light(device, on))

    async def async_set_siren(
        self, device: RingDevice, on: bool, duration: int | None = None
    ) -> None:
        """Sound a siren (for `duration` seconds) or stop it; failures as for the light."""
        self.stats.calls["siren"] += 1
        await self._command(self.api.async_set_siren(device, on, duration=duration))

    async def _command(self, request: Coroutine[Any, Any, None]) -> None:
        try:
            await request
        except RingError as err:
            raise self.manager.ha_error(err, HomeAssistantError) from err

    async def _call[T](self, endpoint: str, request: Coroutine[Any, Any, T]) -> T:
        self.stats.calls[endpoint] += 1
        return await request

    async def _each[T](
        self, fetch: Callable[[RingDevice], Awaitable[T]], devices: Iterable[RingDevice]
    ) -> dict[int, T]:
        """Fetch something of each device at once; the first Ring error fails the poll."""
        targets = list(devices)
        results = await asyncio.gather(
            *(fetch(device) for device in targets), return_exceptions=True
        )
        for result in results:
            if isinstance(result, BaseException):
                raise result
        return {d.id: r for d, r in zip(targets, results, strict=True)}  # type: ignore[misc]

    async def _async_history(self, device: RingDevice) -> list[RingEvent] | None:
        """Return a device's recent events (None when Ring keeps none for it)."""
        self.stats.calls["history"] += 1
        return await _unless_missing(
            self.api.async_get_history(device, HISTORY_LIMIT), "history", device
        )

    async def _async_health(self, device: RingDevice) -> DeviceHealth | None:
        """Return a device's health (None when Ring has none for it)."""
        self.stats.calls["health"] += 1
        return await _unless_missing(
            self.api.async_get_health(device), "health", device
        )

    def _health_wanted(self, devices: Mapping[int, RingDevice]) -> list[int]:
        """Return the listed devices whose health an enabled entity shows."""
        wanted = {
            context.device_id
            for context in self.async_contexts()
            if isinstance(context, NeedsHealth)
        }
        return sorted(wanted & devices.keys())

    def _update_failed(self, err: RingError) -> HomeAssistantError:
        """Return the translated error of a failed poll, waiting as long as Ring asked."""
        failure = self.manager.ha_error(err, UpdateFailed)
        wait = getattr(err, "retry_after", None)
        if (
            isinstance(failure, UpdateFailed)
            and isinstance(wait, int | float)
            and wait > self.plan.interval.total_seconds()
        ):
            failure.retry_after = min(float(wait), MAX_RETRY_AFTER)
        return failure

    def _unlisted(self, devices: Mapping[int, RingDevice]) -> list[int]:
        """Return devices known here that Ring no longer lists and that are not kept a while."""
        known = {*self.events.last, *self._health}
        return [i for i in known - devices.keys() if not self.presence.missing(i)]

    def _forget(self, dev_id: int) -> None:
        """Drop everything known of a device that is gone."""
        self._health.pop(dev_id, None)
        self.events.forget(dev_id)
        self.plan.forget(dev_id)
        self.snapshots.forget(dev_id)

    def _publish(
        self, poll: int, devices: Mapping[int, RingDevice], removed: frozenset[int]
    ) -> RingDevicesData:
        """Return the next publication: the state, and the events to fire with it."""
        return RingDevicesData(
            devices=MappingProxyType(dict(devices)),
            health=MappingProxyType(dict(self._health)),
            last_events=MappingProxyType(dict(self.events.last)),
            new_events=self.events.due(dt_util.utcnow()),
            removed=removed,
            poll=poll,
            seq=self.data.seq + 1,
        )
