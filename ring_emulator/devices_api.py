"""The client API's device endpoints: health, history, snapshots, floodlight, siren, dings.

Every route goes through `RingEmulator.serve_authorized` (counted, faults applied, 401 without
a live access token). A device id the account does not see is 404, as if it did not exist.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
import contextlib
import json
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .device_views import device_json, ding_entry, health_body, history_entry
from .devices import GROUPS, EmuDevice
from .household import Household
from .reply import Reply, error
from .settings import Account

if TYPE_CHECKING:
    from .server import RingEmulator

type Respond = Callable[[Account, web.Request], Awaitable[Reply]]

PREFIX = "/clients_api"
HISTORY_DEFAULT = 20
HISTORY_MAX = 100  # Ring answers at most 100 events per page
SIREN_MAX = 120  # python-ring-doorbell's SIREN_DURATION_MAX
NOT_FOUND = {"error": "device not found"}
NO_SNAPSHOT = {"error": "no snapshot"}


def _int(text: str | None) -> int | None:
    """Parse an integer path or query value (None when it is not one)."""
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


class DevicesApi:
    """Handlers of the device endpoints, bound to one emulator."""

    def __init__(self, emu: RingEmulator) -> None:
        """Bind to the emulator."""
        self.emu = emu

    @property
    def household(self) -> Household:
        """Return the emulator's household."""
        return self.emu.household

    def _device(self, account: Account, request: web.Request) -> EmuDevice | None:
        """Return the device named in the path if the account sees it."""
        dev_id = _int(request.match_info["device_id"])
        return None if dev_id is None else self.household.visible(account, dev_id)

    async def doorbot_health(self, account: Account, request: web.Request) -> Reply:
        """GET doorbots/{id}/health: any device but a chime."""
        dev = self._device(account, request)
        if dev is None or dev.group == "chimes":
            return error(404, NOT_FOUND)
        return Reply(200, health_body(dev, self.emu.clock.now()))

    async def chime_health(self, account: Account, request: web.Request) -> Reply:
        """GET chimes/{id}/health: chimes only."""
        dev = self._device(account, request)
        if dev is None or dev.group != "chimes":
            return error(404, NOT_FOUND)
        return Reply(200, health_body(dev, self.emu.clock.now()))

    async def history(self, account: Account, request: web.Request) -> Reply:
        """GET doorbots/{id}/history?limit=N[&older_than=ID]: newest first."""
        dev = self._device(account, request)
        if dev is None or not dev.has_history:
            return error(404, NOT_FOUND)
        limit = _int(request.query.get("limit"))
        limit = (
            HISTORY_DEFAULT if limit is None or limit < 1 else min(limit, HISTORY_MAX)
        )
        older_than = _int(request.query.get("older_than"))
        owner = self.household.owner(dev)
        events = self.household.history(dev, limit, older_than)
        return Reply(200, [history_entry(dev, e, owner) for e in events])

    async def light(self, account: Account, request: web.Request) -> Reply:
        """PUT doorbots/{id}/floodlight_light_on|off."""
        return self._command(account, request, "light")

    async def siren(self, account: Account, request: web.Request) -> Reply:
        """PUT doorbots/{id}/siren_on[?duration=S] | siren_off."""
        return self._command(account, request, "siren")

    def _command(self, account: Account, request: web.Request, what: str) -> Reply:
        """Switch a light or siren; Ring wants a JSON content type on PUTs (else 422)."""
        dev = self._device(account, request)
        if dev is None or not (dev.has_light if what == "light" else dev.has_siren):
            return error(404, NOT_FOUND)
        if request.content_type != "application/json":
            return error(422, {"error": "unprocessable entity"})
        on = request.path.endswith("_on")
        if what == "light":
            self.household.set_light(dev.id, on)
            return Reply(204, None)
        duration = _int(request.query.get("duration"))
        if "duration" in request.query and (duration is None or duration < 0):
            return error(422, {"error": "duration must be a number of seconds"})
        seconds = None if not duration else min(duration, SIREN_MAX)
        self.household.set_siren(dev.id, on, seconds)
        return Reply(204, None)

    async def snapshot_timestamps(
        self, account: Account, request: web.Request
    ) -> Reply:
        """POST snapshots/timestamps {"doorbot_ids": [...]}: when each snapshot was taken (ms)."""
        body: Any = None
        with contextlib.suppress(ValueError):
            body = json.loads(await request.read() or b"null")
        ids = body.get("doorbot_ids") if isinstance(body, dict) else None
        if not isinstance(ids, list):
            return error(400, {"error": "doorbot_ids must be a list of device ids"})
        now = self.emu.clock.now()
        stamps = []
        for dev_id in ids:
            dev = (
                self.household.visible(account, dev_id)
                if isinstance(dev_id, int)
                else None
            )
            taken = None if dev is None else dev.snapshot_time(now)
            if dev is not None and taken is not None:
                stamps.append({"doorbot_id": dev.id, "timestamp": int(taken * 1000)})
        return Reply(200, {"timestamps": stamps})

    async def snapshot_image(self, account: Account, request: web.Request) -> Reply:
        """GET snapshots/image/{id}: the newest snapshot as a JPEG (404 when there is none)."""
        dev = self._device(account, request)
        taken = None if dev is None else dev.snapshot_time(self.emu.clock.now())
        if dev is None or taken is None:
            return error(404, NO_SNAPSHOT)
        image = self.emu.snapshot_images.image(dev.id, dev.description, dev.kind, taken)
        return Reply(200, image, content_type="image/jpeg")

    async def active_dings(self, account: Account, request: web.Request) -> Reply:
        """GET dings/active: fresh dings and motions, each listed once per hardware id."""
        hardware_id = request.headers.get("hardware_id", "")
        fresh = self.household.active_dings(account, hardware_id)
        return Reply(200, [ding_entry(dev, event) for dev, event in fresh])


def add_device_routes(app: web.Application, emu: RingEmulator) -> None:
    """Register the device endpoints of the client API."""
    api = DevicesApi(emu)
    doorbot = PREFIX + "/doorbots/{device_id}"
    routes: list[tuple[str, str, Respond]] = [
        ("GET", doorbot + "/health", api.doorbot_health),
        ("GET", PREFIX + "/chimes/{device_id}/health", api.chime_health),
        ("GET", doorbot + "/history", api.history),
        ("PUT", doorbot + "/floodlight_light_on", api.light),
        ("PUT", doorbot + "/floodlight_light_off", api.light),
        ("PUT", doorbot + "/siren_on", api.siren),
        ("PUT", doorbot + "/siren_off", api.siren),
        ("POST", PREFIX + "/snapshots/timestamps", api.snapshot_timestamps),
        ("GET", PREFIX + "/snapshots/image/{device_id}", api.snapshot_image),
        ("GET", PREFIX + "/dings/active", api.active_dings),
    ]
    for method, path, respond in routes:
        app.router.add_route(method, path, _authorized(emu, respond))


def _authorized(
    emu: RingEmulator, respond: Respond
) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """Wrap a handler in the emulator's token check, counters and faults."""

    async def handler(request: web.Request) -> web.StreamResponse:
        return await emu.serve_authorized(
            request, lambda account: respond(account, request)
        )

    return handler


def ring_devices_body(
    household: Household, account: Account, now: float
) -> dict[str, Any]:
    """Return GET ring_devices for an account: its devices, and doorbells shared with it."""
    body: dict[str, Any] = {group: [] for group in GROUPS}
    body["base_stations"] = []  # ring-client-api reads these two lists as well
    body["beams_bridges"] = []
    for dev in household.devices(account.email):
        group = dev.group if dev.owner == account.key else "authorized_doorbots"
        body[group].append(device_json(dev, household.owner(dev), account.key, now))
    return body
