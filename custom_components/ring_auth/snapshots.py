"""Camera stills: Ring's snapshot times read in one call for all cameras, images fetched on change."""

import asyncio
from collections.abc import Iterable
from datetime import datetime, timedelta

from homeassistant.util import dt as dt_util

from .device_data import PollStats
from .ringclient import RingDevice, RingDevicesApi


class SnapshotCache:
    """The newest snapshot of each camera, fetched only when Home Assistant asks for it.

    Nothing is asked of Ring while nobody looks at a camera. When Home Assistant wants an
    image, the snapshot times of all cameras are read in one call (at most once per
    `min_age`), and a camera's image is fetched only when its time moved since the last one.
    """

    def __init__(
        self, api: RingDevicesApi, stats: PollStats, min_age: timedelta
    ) -> None:
        """Fetch through `api`, count the calls in `stats`."""
        self._api = api
        self._stats = stats
        self._min_age = min_age
        self._lock = asyncio.Lock()
        self._times: dict[int, datetime] = {}
        self._times_read: datetime | None = None
        self._images: dict[int, tuple[datetime, bytes]] = {}

    def cached(self, device_id: int) -> bytes | None:
        """Return the last image fetched of a camera (None before the first)."""
        found = self._images.get(device_id)
        return None if found is None else found[1]

    async def async_image(
        self, camera: RingDevice, cameras: Iterable[RingDevice]
    ) -> bytes | None:
        """Return the camera's newest snapshot (None when Ring has none); raises Ring errors."""
        async with self._lock:
            now = dt_util.utcnow()
            if self._times_read is None or now - self._times_read >= self._min_age:
                self._stats.calls["snapshot_times"] += 1
                self._times = await self._api.async_get_snapshot_times(cameras)
                self._times_read = now
            taken = self._times.get(camera.id)
            cached = self._images.get(camera.id)
            if taken is None or (cached is not None and cached[0] == taken):
                return self.cached(camera.id)
            self._stats.calls["snapshot_image"] += 1
            if (image := await self._api.async_get_snapshot(camera)) is not None:
                self._images[camera.id] = (taken, image)
            return self.cached(camera.id)

    def forget(self, device_id: int) -> None:
        """Drop a removed camera's image."""
        self._images.pop(device_id, None)
        self._times.pop(device_id, None)
