"""Control of the web sign-in over HTTP: GET/POST /_emulator/websignin (demos, e2e)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .webpages import Tamper, make_fault

if TYPE_CHECKING:
    from .websignin import WebSignIn


def state(signin: WebSignIn) -> dict[str, Any]:
    """Return the tampering, extra redirects and pending failures as JSON."""
    return {
        "tamper": sorted(signin.tampers),
        "extra_redirects": signin.extra_redirects,
        "faults": [fault.to_json() for fault in signin.faults.pending],
        "sessions": len(signin.sessions),
        "codes": len(signin.codes),
    }


def apply(signin: WebSignIn, data: dict[str, Any]) -> None:
    """Apply {"tamper": [...], "extra_redirects": n, "fail": {...}}, validated first."""
    if unknown := set(data) - {"tamper", "extra_redirects", "fail"}:
        raise ValueError(f"unknown keys: {sorted(unknown)}")
    tampers = signin.tampers
    if "tamper" in data:
        if not isinstance(data["tamper"], list):
            raise ValueError("tamper must be a list")
        tampers = {Tamper(str(name)) for name in data["tamper"]}
    hops = data.get("extra_redirects", signin.extra_redirects)
    if isinstance(hops, bool) or not isinstance(hops, int) or hops < 0:
        raise ValueError("extra_redirects must be a whole number")
    fault = None
    if "fail" in data:
        if not isinstance(data["fail"], dict):
            raise ValueError("fail must be an object")
        fault = make_fault(data["fail"])
    signin.tampers = tampers
    signin.extra_redirects = hops
    if fault is not None:
        signin.faults.add(fault)


def add_control_routes(app: web.Application, signin: WebSignIn) -> None:
    """Register GET and POST /_emulator/websignin."""

    async def get(request: web.Request) -> web.StreamResponse:
        return web.json_response(state(signin))

    async def post(request: web.Request) -> web.StreamResponse:
        try:
            data: Any = json.loads(await request.read() or b"{}")
            if not isinstance(data, dict):
                raise TypeError("body must be a JSON object")  # noqa: TRY301
            apply(signin, data)
        except (ValueError, TypeError) as err:
            return web.json_response({"error": str(err)}, status=400)
        return web.json_response(state(signin))

    app.router.add_get("/_emulator/websignin", get)
    app.router.add_post("/_emulator/websignin", post)
