"""Control routes for the household: list, add, change, share and remove devices; ring them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .control import ControlError, guarded, read_object
from .devices import EmuDevice

if TYPE_CHECKING:
    from .server import RingEmulator

type Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def path_id(request: web.Request) -> int:
    """Return the device id in the path."""
    try:
        return int(request.match_info["device_id"])
    except ValueError as err:
        raise KeyError(request.match_info["device_id"]) from err


class HouseholdControl:
    """Handlers of /_emulator/devices and /_emulator/ding."""

    def __init__(self, emu: RingEmulator) -> None:
        """Bind to the emulator."""
        self.emu = emu

    def view(self, dev: EmuDevice) -> dict[str, Any]:
        """Return the control view of a device."""
        owner = self.emu.household.owner(dev)
        return dev.summary(owner.email, self.emu.clock.now())

    async def list_devices(self, request: web.Request) -> web.StreamResponse:
        """GET /_emulator/devices[?email=...]."""
        devices = self.emu.household.devices(request.query.get("email"))
        return web.json_response([self.view(d) for d in devices])

    async def add_device(self, request: web.Request) -> web.StreamResponse:
        """POST /_emulator/devices {"email", "kind", "name", "battery"?, "light"?, "siren"?, "group"?}."""
        data = await read_object(request)
        for name in ("email", "kind", "name"):
            if not isinstance(data.get(name), str) or not data[name]:
                raise ControlError(f"{name} must be a non-empty string")
        options = {
            k: data[k] for k in ("group", "battery", "light", "siren") if k in data
        }
        for name in ("light", "siren"):
            if name in options and not isinstance(options[name], bool):
                raise ControlError(f"{name} must be true or false")
        battery = options.get("battery")
        if isinstance(battery, bool) or not isinstance(battery, int | None):
            raise ControlError("battery must be a percentage or null")
        dev = self.emu.household.add_device(
            data["email"], data["kind"], data["name"], **options
        )
        return web.json_response(self.view(dev), status=201)

    async def change_device(self, request: web.Request) -> web.StreamResponse:
        """PATCH /_emulator/devices/{id}: name, battery, rssi, wifi_name, online, ..."""
        data = await read_object(request)
        dev = self.emu.household.update(path_id(request), **data)
        return web.json_response(self.view(dev))

    async def remove_device(self, request: web.Request) -> web.StreamResponse:
        """DELETE /_emulator/devices/{id}."""
        dev = self.emu.household.remove_device(path_id(request))
        return web.json_response(dev.summary(dev.owner, self.emu.clock.now()))

    async def share_device(self, request: web.Request) -> web.StreamResponse:
        """POST /_emulator/devices/{id}/share {"email": ...}."""
        email = (await read_object(request)).get("email")
        if not isinstance(email, str):
            raise ControlError("email must be a string")
        dev = self.emu.household.share(path_id(request), email)
        return web.json_response(self.view(dev))

    async def ding(self, request: web.Request) -> web.StreamResponse:
        """POST /_emulator/ding {"device_id", "kind": ding|motion|on_demand, "answered"?}."""
        data = await read_object(request)
        dev_id, kind = data.get("device_id"), data.get("kind", "ding")
        if isinstance(dev_id, bool) or not isinstance(dev_id, int):
            raise ControlError("device_id must be an integer")
        if not isinstance(kind, str):
            raise ControlError("kind must be a string")
        event = self.emu.household.ding(
            dev_id, kind, answered=bool(data.get("answered"))
        )
        return web.json_response(
            {
                "device_id": dev_id,
                "id": event.id,
                "kind": event.kind,
                "created_at": event.at,
            },
            status=201,
        )


def add_household_routes(app: web.Application, emu: RingEmulator) -> None:
    """Register the household's /_emulator/ routes."""
    control = HouseholdControl(emu)
    routes: list[tuple[str, str, Handler]] = [
        ("GET", "/_emulator/devices", control.list_devices),
        ("POST", "/_emulator/devices", control.add_device),
        ("PATCH", "/_emulator/devices/{device_id}", control.change_device),
        ("DELETE", "/_emulator/devices/{device_id}", control.remove_device),
        ("POST", "/_emulator/devices/{device_id}/share", control.share_device),
        ("POST", "/_emulator/ding", control.ding),
    ]
    for method, path, handler in routes:
        app.router.add_route(method, path, guarded(handler))
