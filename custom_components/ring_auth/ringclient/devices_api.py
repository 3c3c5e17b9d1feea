"""Ring's device endpoints, on a RingApi (its shared refresh, retries and error classes)."""

from collections.abc import Iterable
from datetime import datetime

from .api import RingApi
from .devices import DeviceFamily, DeviceHealth, RingDevice, RingEvent
from .exceptions import RingApiError, RingMalformedResponseError
from .parse import (
    parse_devices,
    parse_dings,
    parse_health,
    parse_history,
    parse_snapshot_times,
)

HISTORY_MAX = 100  # Ring answers at most 100 events per request
SIREN_MAX = 120  # seconds; python-ring-doorbell's SIREN_DURATION_MAX
IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF8", b"RIFF")

type DeviceRef = RingDevice | int


def _id(device: DeviceRef) -> int:
    """Return the API id of a device or id."""
    return device if isinstance(device, int) else device.id


class RingDevicesApi:
    """The account's devices, their health, history, snapshots, floodlights and sirens.

    Every call goes through the wrapped RingApi, so it shares the token handling and raises the
    client's exceptions (RingTransientError subclasses for outages, RingApiError for others).
    """

    def __init__(self, api: RingApi) -> None:
        """Wrap an API client."""
        self.api = api

    async def async_get_devices(self) -> list[RingDevice]:
        """Return the account's devices (GET ring_devices), each id once."""
        return parse_devices(await self.api.async_get_devices())

    async def async_get_health(self, device: RingDevice) -> DeviceHealth:
        """Return a device's health (chimes/{id}/health for chimes, else doorbots/{id}/health)."""
        family = "chimes" if device.family is DeviceFamily.CHIME else "doorbots"
        body = await self.api.async_request("GET", f"/{family}/{device.id}/health")
        if not isinstance(body, dict):
            raise RingMalformedResponseError("Device health is not a JSON object")
        return parse_health(device.id, body)

    async def async_get_history(
        self, device: DeviceRef, limit: int = 10
    ) -> list[RingEvent]:
        """Return up to `limit` (1..100) recent events of a device, newest first."""
        if not 1 <= limit <= HISTORY_MAX:
            raise ValueError(f"limit must be 1..{HISTORY_MAX}")
        dev_id = _id(device)
        body = await self.api.async_request(
            "GET", f"/doorbots/{dev_id}/history", params={"limit": str(limit)}
        )
        if body is None:
            return []
        if not isinstance(body, list):
            raise RingMalformedResponseError("Device history is not a JSON list")
        return parse_history(dev_id, body)

    async def async_get_active_dings(self) -> list[RingEvent]:
        """Return the dings and motions Ring lists as fresh (GET dings/active), for every device.

        Ring lists each one once per hardware id, for about 180 s: a client that polls sees
        every ding of every device in one call, and sees it once.
        """
        return parse_dings(await self.api.async_request("GET", "/dings/active"))

    async def async_get_snapshot_times(
        self, devices: Iterable[DeviceRef]
    ) -> dict[int, datetime]:
        """Return when each device's newest snapshot was taken (one call for all devices)."""
        ids = [_id(d) for d in devices]
        if not ids:
            return {}
        body = await self.api.async_request(
            "POST", "/snapshots/timestamps", json={"doorbot_ids": ids}
        )
        return parse_snapshot_times(body)

    async def async_get_snapshot(self, device: DeviceRef) -> bytes | None:
        """Return the newest snapshot image of a device, or None when Ring has none (404)."""
        try:
            data = await self.api.async_request_bytes(
                "GET", f"/snapshots/image/{_id(device)}"
            )
        except RingApiError as err:
            if err.status == 404:
                return None
            raise
        if not data:
            return None
        if not data.startswith(IMAGE_MAGIC):
            raise RingMalformedResponseError("Snapshot answer is not an image")
        return data

    async def async_set_light(self, device: DeviceRef, on: bool) -> None:
        """Turn a floodlight on or off (Ring turns it off again after its set duration)."""
        if isinstance(device, RingDevice) and not device.has_light:
            raise ValueError(f"{device.name} has no light")
        state = "on" if on else "off"
        await self.api.async_request(
            "PUT", f"/doorbots/{_id(device)}/floodlight_light_{state}"
        )

    async def async_set_siren(
        self, device: DeviceRef, on: bool, *, duration: int | None = None
    ) -> None:
        """Sound a siren (for `duration` seconds, 1..120, when given) or stop it."""
        if isinstance(device, RingDevice) and not device.has_siren:
            raise ValueError(f"{device.name} has no siren")
        if duration is not None and not 1 <= duration <= SIREN_MAX:
            raise ValueError(f"duration must be 1..{SIREN_MAX} seconds")
        params = {"duration": str(duration)} if on and duration is not None else None
        state = "on" if on else "off"
        await self.api.async_request(
            "PUT", f"/doorbots/{_id(device)}/siren_{state}", params=params
        )
