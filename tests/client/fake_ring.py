"""A loopback stand-in for Ring's sign-in pages whose answers each test scripts.

For answers the emulator does not give (other page layouts, other statuses): by default it
plays the happy path of the web sign-in and records every request it sees.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
import json
from typing import Any

from aiohttp import web

CALLBACK = "https://ring.com/signin/callback"
CSRF = "csrf-from-the-page-0123456789"
COOKIE = "session-cookie-value-abcdef"
VERIFIED_COOKIE = "verified-cookie-value-ghijkl"
CODE = "authorization-code-mnopqr"
ACCESS = "access-token-stuvwx"
REFRESH = "refresh-token-yz0123"
PAGE = '<html><script id="oauth-args" type="application/json">{args}</script></html>'

type Script = Callable[
    [web.Request], web.StreamResponse | Awaitable[web.StreamResponse]
]


@dataclass(frozen=True, slots=True)
class Seen:
    """One request as the fake saw it."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    form: dict[str, str]


def page(args: Any) -> web.Response:
    """Return a sign-in page whose oauth-args script holds args (JSON, or text as is)."""
    text = args if isinstance(args, str) else json.dumps(args)
    return web.Response(text=PAGE.format(args=text), content_type="text/html")


def answer(status: int, body: Any = None, **headers: str) -> Script:
    """Return a script step: this status with a JSON body (or text) and headers."""
    if isinstance(body, str):
        return lambda _: web.Response(status=status, text=body, headers=headers)
    return lambda _: web.json_response(body, status=status, headers=headers)


def redirect(location: str) -> Script:
    """Return a script step answering 302 to location."""
    return answer(302, "", Location=location)


class FakeRing:
    """The routes of the web sign-in; scripted answers first, then the happy path."""

    def __init__(self) -> None:
        """Start with no scripts and nothing seen."""
        self.seen: list[Seen] = []
        self.scripts: dict[str, list[Script]] = {}
        self.state = ""

    def on(self, key: str, *steps: Script) -> None:
        """Queue answers for "METHOD /path" ("GET /oauth/v2/authorize?" is the first call)."""
        self.scripts.setdefault(key, []).extend(steps)

    def app(self) -> web.Application:
        """Return the aiohttp application."""
        app = web.Application()
        for method, path in (
            ("GET", "/oauth/v2/authorize"),
            ("GET", "/oauth/v2/next"),
            ("GET", "/oauth/v2/signin"),
            ("POST", "/oauth/v2/signin"),
            ("POST", "/oauth/v2/2fa/verify"),
            ("POST", "/oauth/token"),
        ):
            app.router.add_route(method, path, self.handle)
        return app

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Record the request, then play its script or the happy path."""
        form = {k: str(v) for k, v in (await request.post()).items()}
        self.seen.append(
            Seen(
                request.method,
                request.path,
                dict(request.query),
                dict(request.headers),
                form,
            )
        )
        key = f"{request.method} {request.path}"
        if request.path == "/oauth/v2/authorize" and request.query:
            self.state = request.query.get("state", "")
            key += "?"
        queue = self.scripts.get(key)
        if queue:
            result = queue.pop(0)(request)
            return result if isinstance(result, web.StreamResponse) else await result
        return self.happy(key)

    def happy(self, key: str) -> web.StreamResponse:
        """Answer as Ring does when all goes well."""
        match key:
            case "GET /oauth/v2/authorize?":
                response = web.Response(
                    status=302, headers={"Location": "/oauth/v2/signin"}
                )
                response.set_cookie("sid", COOKIE, httponly=True, path="/")
                return response
            case "GET /oauth/v2/signin":
                return page({"csrf-token": CSRF, "client_id": "ring_official_android"})
            case "POST /oauth/v2/signin":
                body = {
                    "tsv_state": "sms",
                    "phone": "+1xxxxxxxx89",
                    "next_time_in_secs": 60,
                }
                return web.json_response(body, status=412)
            case "POST /oauth/v2/2fa/verify":
                body = {
                    "redirect_url": "/oauth/v2/authorize",
                    "status": "auth-completed",
                }
                response = web.json_response(body, status=201)
                response.set_cookie(
                    "verified", VERIFIED_COOKIE, httponly=True, path="/"
                )
                return response
            case "GET /oauth/v2/authorize":
                location = f"{CALLBACK}?code={CODE}&state={self.state}"
                return web.Response(status=302, headers={"Location": location})
            case "POST /oauth/token":
                body = {
                    "access_token": ACCESS,
                    "refresh_token": REFRESH,
                    "expires_in": 3600,
                }
                return web.json_response(body)
        return web.Response(status=404)

    def requests(self, method: str, path: str) -> list[Seen]:
        """Return the requests seen for one route."""
        return [s for s in self.seen if (s.method, s.path) == (method, path)]
