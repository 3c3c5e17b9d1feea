"""The HTTP control API under /_emulator/ (for demos, e2e tests and subprocess use)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
import json
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .faults import make_spec
from .oauth import CONSUMER_CLIENT_ID

if TYPE_CHECKING:
    from .server import RingEmulator

type Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class BadRequest(Exception):
    """A control request the emulator cannot act on."""


async def _json(request: web.Request) -> dict[str, Any]:
    """Read a JSON object body."""
    try:
        data: Any = json.loads(await request.read() or b"{}")
    except ValueError as err:
        raise BadRequest("body is not JSON") from err
    if not isinstance(data, dict):
        raise BadRequest("body must be a JSON object")
    return data


def _opt_int(value: Any) -> int | None:
    """Return an optional integer parameter."""
    return None if value is None else int(value)


def _guard(handler: Handler) -> Handler:
    """Turn BadRequest/KeyError/ValueError/TypeError into 400/404 JSON answers."""

    async def wrapped(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except KeyError as err:
            return web.json_response({"error": f"unknown account {err}"}, status=404)
        except (BadRequest, ValueError, TypeError) as err:
            return web.json_response({"error": str(err)}, status=400)

    return wrapped


def add_control_routes(app: web.Application, emu: RingEmulator) -> None:
    """Register the /_emulator/ routes for this emulator."""

    async def get_settings(request: web.Request) -> web.StreamResponse:
        return web.json_response(emu.settings.to_json())

    async def post_settings(request: web.Request) -> web.StreamResponse:
        emu.settings.update_from_json(await _json(request))
        return web.json_response(emu.settings.to_json())

    async def post_fault(request: web.Request) -> web.StreamResponse:
        data = await _json(request)
        spec = make_spec(
            str(data.get("fault", "")),
            int(data.get("count", 1)),
            str(data.get("where", "any")),
            status=_opt_int(data.get("status")),
            retry_after=_opt_int(data.get("retry_after")),
            expires_in=_opt_int(data.get("expires_in")),
        )
        emu.faults.add(spec)
        return web.json_response({"queued": len(emu.faults.pending())})

    async def get_faults(request: web.Request) -> web.StreamResponse:
        pending = [
            {"fault": str(s.fault), "remaining": s.remaining, "where": s.where}
            for s in emu.faults.pending()
        ]
        return web.json_response(pending)

    async def post_revoke(request: web.Request) -> web.StreamResponse:
        data = await _json(request)
        password = data.get("password")
        revoked = emu.revoke(str(data.get("email", "")), new_password=password)
        return web.json_response({"revoked": revoked})

    async def post_clock(request: web.Request) -> web.StreamResponse:
        advance = (await _json(request)).get("advance", 0)
        if isinstance(advance, bool) or not isinstance(advance, int | float):
            raise BadRequest("advance must be a number of seconds")
        emu.clock.advance(advance)
        return web.json_response({"now": emu.clock.now(), "offset": emu.clock.offset})

    async def get_counters(request: web.Request) -> web.StreamResponse:
        return web.json_response(emu.counters.as_dict())

    async def get_code(request: web.Request) -> web.StreamResponse:
        email = request.match_info["email"]
        if emu.settings.find_account(email) is None:
            raise KeyError(email)
        return web.json_response({"code": emu.last_code(email)})

    async def post_reset(request: web.Request) -> web.StreamResponse:
        emu.reset()
        return web.json_response({"ok": True})

    async def post_tokens(request: web.Request) -> web.StreamResponse:
        data = await _json(request)
        client_id = str(data.get("client_id", CONSUMER_CLIENT_ID))
        return web.json_response(
            emu.issue_tokens(str(data.get("email", "")), client_id)
        )

    routes: list[tuple[str, str, Handler]] = [
        ("GET", "/_emulator/settings", get_settings),
        ("POST", "/_emulator/settings", post_settings),
        ("GET", "/_emulator/faults", get_faults),
        ("POST", "/_emulator/faults", post_fault),
        ("POST", "/_emulator/revoke", post_revoke),
        ("POST", "/_emulator/clock", post_clock),
        ("GET", "/_emulator/counters", get_counters),
        ("GET", "/_emulator/codes/{email}", get_code),
        ("POST", "/_emulator/reset", post_reset),
        ("POST", "/_emulator/tokens", post_tokens),
    ]
    for method, path, handler in routes:
        app.router.add_route(method, path, _guard(handler))
