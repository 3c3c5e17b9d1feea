"""The REST API behind the token: session, the device list and light groups (devices_api.py: the rest)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
import contextlib
import json
from typing import TYPE_CHECKING, Any

from aiohttp import web

from . import api
from .devices_api import ring_devices_body
from .reply import Reply, error
from .settings import Account

if TYPE_CHECKING:
    from .server import RingEmulator

type Answer = Callable[[Account], Awaitable[Reply]]

REALM = "api.ring.com"
INVALID_TOKEN = {
    "error": "invalid_token",
    "error_description": "access token is invalid or expired",
}


def challenge(token: str) -> str:
    """Return the WWW-Authenticate value of a 401 (RFC 6750 3.1: no error without a token)."""
    if not token:
        return f'Bearer realm="{REALM}"'
    return (
        f'Bearer realm="{REALM}", error="invalid_token", '
        f'error_description="{INVALID_TOKEN["error_description"]}"'
    )


def session_missing(hardware_id: str) -> Reply:
    """Answer a call whose hardware id has no session (wording as ring-client-api expects)."""
    return error(404, {"error": f"Session not found for {hardware_id}"})


class ClientApi:
    """Handlers of the API routes, bound to one emulator."""

    def __init__(self, emu: RingEmulator) -> None:
        """Bind to the emulator."""
        self.emu = emu

    async def authorized(
        self, request: web.Request, answer: Answer, *, needs_session: bool = True
    ) -> web.StreamResponse:
        """Check the bearer token (and the session), then answer; faults apply first."""
        emu = self.emu
        emu.counters.api_calls += 1

        async def process() -> Reply:
            token = api.bearer_token(request.headers.get("Authorization", ""))
            key = emu.tokens.check_access(token) if token else None
            account = None if key is None else emu.settings.find_account(key)
            if account is None:
                emu.counters.unauthorized += 1
                return error(
                    401, INVALID_TOKEN, **{"WWW-Authenticate": challenge(token)}
                )
            hardware_id = request.headers.get("hardware_id", "")
            emu.counters.add_device(account.email, hardware_id)
            if (
                needs_session
                and emu.settings.require_session
                and not emu.sessions.knows(account.key, hardware_id)
            ):
                emu.counters.session_missing += 1
                return session_missing(hardware_id)
            return await answer(account)

        return await emu.serve(request, "api", process)

    async def session(self, request: web.Request) -> web.StreamResponse:
        """POST /clients_api/session: open a session for the body's (else the header's) hardware id."""

        async def answer(account: Account) -> Reply:
            hardware_id = request.headers.get("hardware_id", "")
            with contextlib.suppress(ValueError):
                body: Any = json.loads(await request.read() or b"{}")
                device = body.get("device") if isinstance(body, dict) else None
                if isinstance(device, dict) and isinstance(
                    device.get("hardware_id"), str
                ):
                    hardware_id = device["hardware_id"]
            self.emu.counters.add_device(account.email, hardware_id)
            self.emu.sessions.open(account.key, hardware_id)
            self.emu.counters.sessions_opened += 1
            status = self.emu.settings.session_status
            return Reply(status, self.emu.sessions.body(account))

        return await self.authorized(request, answer, needs_session=False)

    async def ring_devices(self, request: web.Request) -> web.StreamResponse:
        """GET /clients_api/ring_devices."""

        async def answer(account: Account) -> Reply:
            now = self.emu.clock.now()
            return Reply(200, ring_devices_body(self.emu.household, account, now))

        return await self.authorized(request, answer)

    async def groups(self, request: web.Request) -> web.StreamResponse:
        """GET /groups/v1/locations/{location_id}/groups: no light groups at the account's locations."""
        location = request.match_info["location_id"]

        async def answer(account: Account) -> Reply:
            locations = {
                d.location_id for d in self.emu.household.devices(account.email)
            }
            if location not in locations:
                return error(404, {"error": f"Location {location} not found"})
            return Reply(200, {"device_groups": []})

        # Not a clients_api path: ring-client-api re-opens sessions for clients_api only.
        return await self.authorized(request, answer, needs_session=False)


def add_client_api_routes(app: web.Application, emu: RingEmulator) -> None:
    """Register the API routes for this emulator."""
    handlers = ClientApi(emu)
    app.router.add_post("/clients_api/session", handlers.session)
    app.router.add_get("/clients_api/ring_devices", handlers.ring_devices)
    app.router.add_get("/groups/v1/locations/{location_id}/groups", handlers.groups)
