"""The HTTP control API under /_emulator/ (for demos, e2e tests and subprocess use)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
import json
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .oauth import CONSUMER_CLIENT_ID

if TYPE_CHECKING:
    from .server import RingEmulator

type Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class ControlError(Exception):
    """A control request the emulator cannot act on (answered 400)."""


async def read_object(request: web.Request) -> dict[str, Any]:
    """Read a JSON object body (an empty body is an empty object)."""
    try:
        data: Any = json.loads(await request.read() or b"{}")
    except ValueError as err:
        raise ControlError("body is not JSON") from err
    if not isinstance(data, dict):
        raise ControlError("body must be a JSON object")
    return data


def _opt_int(value: Any) -> int | None:
    """Return an optional integer parameter."""
    return None if value is None else int(value)


def _opt_str(value: Any) -> str | None:
    """Return an optional string parameter."""
    return None if value is None else str(value)


def guarded(handler: Handler) -> Handler:
    """Turn an unknown account or device (KeyError) into 404, and bad input into 400."""

    async def wrapped(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except KeyError as err:
            return web.json_response(
                {"error": f"unknown account or device {err}"}, status=404
            )
        except (ControlError, ValueError, TypeError) as err:
            return web.json_response({"error": str(err)}, status=400)

    return wrapped


class ControlApi:
    """Handlers of /_emulator/..., bound to one emulator."""

    def __init__(self, emu: RingEmulator) -> None:
        """Bind to the emulator."""
        self.emu = emu

    async def get_settings(self, request: web.Request) -> web.StreamResponse:
        """GET /_emulator/settings."""
        return web.json_response(self.emu.settings.to_json())

    async def post_settings(self, request: web.Request) -> web.StreamResponse:
        """POST /_emulator/settings: a partial update."""
        self.emu.settings.update_from_json(await read_object(request))
        return web.json_response(self.emu.settings.to_json())

    async def post_fault(self, request: web.Request) -> web.StreamResponse:
        """POST /_emulator/faults (the arguments of RingEmulator.inject, "fault" required)."""
        data = await read_object(request)
        expires_in = data.get("expires_in")
        for_seconds = data.get("for_seconds")
        self.emu.inject(
            str(data.get("fault", "")),
            int(data.get("count", 1)),
            str(data.get("where", "any")),
            status=_opt_int(data.get("status")),
            retry_after=_opt_int(data.get("retry_after")),
            expires_in=expires_in
            if isinstance(expires_in, str)
            else _opt_int(expires_in),
            body=None if data.get("body") is None else str(data["body"]),
            for_seconds=None if for_seconds is None else float(for_seconds),
        )
        return web.json_response({"queued": len(self.emu.faults.pending())})

    async def get_faults(self, request: web.Request) -> web.StreamResponse:
        """GET /_emulator/faults: the pending queue."""
        pending = [
            {
                "fault": str(s.fault),
                "remaining": s.remaining,
                "where": s.where,
                "until": s.until,
            }
            for s in self.emu.faults.pending()
        ]
        return web.json_response(pending)

    async def post_revoke(self, request: web.Request) -> web.StreamResponse:
        """POST /_emulator/revoke: {"email": ..., "password": optional new password}."""
        data = await read_object(request)
        password = data.get("password")
        revoked = self.emu.revoke(str(data.get("email", "")), new_password=password)
        return web.json_response({"revoked": revoked})

    async def post_clock(self, request: web.Request) -> web.StreamResponse:
        """POST /_emulator/clock: {"advance": seconds}."""
        advance = (await read_object(request)).get("advance", 0)
        if isinstance(advance, bool) or not isinstance(advance, int | float):
            raise ControlError("advance must be a number of seconds")
        self.emu.clock.advance(advance)
        clock = self.emu.clock
        return web.json_response({"now": clock.now(), "offset": clock.offset})

    async def get_counters(self, request: web.Request) -> web.StreamResponse:
        """GET /_emulator/counters."""
        return web.json_response(self.emu.counters.as_dict())

    async def get_code(self, request: web.Request) -> web.StreamResponse:
        """GET /_emulator/codes/{email}."""
        email = request.match_info["email"]
        if self.emu.settings.find_account(email) is None:
            raise KeyError(email)
        return web.json_response({"code": self.emu.last_code(email)})

    async def post_reset(self, request: web.Request) -> web.StreamResponse:
        """POST /_emulator/reset: clear faults, counters, tokens, linking codes and 2FA state."""
        self.emu.reset()
        return web.json_response({"ok": True})

    async def get_state(self, request: web.Request) -> web.StreamResponse:
        """GET /_emulator/state: the state file, whether it was loaded, the live logins."""
        return web.json_response(self.emu.state_summary())

    async def post_tokens(self, request: web.Request) -> web.StreamResponse:
        """POST /_emulator/tokens: mint a pair.

        {"email", "client_id", "access_token", "refresh_token", "expires_in"}: all but the
        email optional; chosen token strings must be new.
        """
        data = await read_object(request)
        client_id = str(data.get("client_id", CONSUMER_CLIENT_ID))
        expires_in = data.get("expires_in")
        body = self.emu.issue_tokens(
            str(data.get("email", "")),
            client_id,
            access_token=_opt_str(data.get("access_token")),
            refresh_token=_opt_str(data.get("refresh_token")),
            expires_in=None if expires_in is None else float(expires_in),
        )
        return web.json_response(body)

    async def post_forget_sessions(self, request: web.Request) -> web.StreamResponse:
        """POST /_emulator/sessions/forget: {"email"}; its API calls get 404 until re-opened."""
        forgotten = self.emu.forget_sessions(
            str((await read_object(request)).get("email", ""))
        )
        return web.json_response({"forgotten": forgotten})

    async def get_session_body(self, request: web.Request) -> web.StreamResponse:
        """GET /_emulator/session_body/{email}: what POST /clients_api/session answers."""
        return web.json_response(self.emu.session_body(request.match_info["email"]))

    async def post_session_body(self, request: web.Request) -> web.StreamResponse:
        """POST /_emulator/session_body: {"email", "body": object or null (the default)}."""
        data = await read_object(request)
        self.emu.set_session_body(str(data.get("email", "")), data.get("body"))
        return web.json_response({"ok": True})


def add_control_routes(app: web.Application, emu: RingEmulator) -> None:
    """Register the /_emulator/ routes for this emulator."""
    api = ControlApi(emu)
    routes: list[tuple[str, str, Handler]] = [
        ("GET", "/_emulator/settings", api.get_settings),
        ("POST", "/_emulator/settings", api.post_settings),
        ("GET", "/_emulator/faults", api.get_faults),
        ("POST", "/_emulator/faults", api.post_fault),
        ("POST", "/_emulator/revoke", api.post_revoke),
        ("POST", "/_emulator/clock", api.post_clock),
        ("GET", "/_emulator/counters", api.get_counters),
        ("GET", "/_emulator/codes/{email}", api.get_code),
        ("POST", "/_emulator/reset", api.post_reset),
        ("POST", "/_emulator/tokens", api.post_tokens),
        ("POST", "/_emulator/sessions/forget", api.post_forget_sessions),
        ("GET", "/_emulator/session_body/{email}", api.get_session_body),
        ("POST", "/_emulator/session_body", api.post_session_body),
        ("GET", "/_emulator/state", api.get_state),
    ]
    for method, path, handler in routes:
        app.router.add_route(method, path, guarded(handler))
