"""RingEmulator: the aiohttp app, its lifecycle and fault injection."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
import contextlib
import json
import logging
import os
from types import TracebackType
from typing import Any, Literal, Self

from aiohttp import web
from yarl import URL

from . import api
from .control import add_control_routes
from .counters import Counters
from .exchanges import log_exchange
from .faults import Fault, FaultQueue, FaultSpec, make_spec
from .linking import Linking
from .oauth import CONSUMER_CLIENT_ID, TokenEndpoint, read_params, token_body
from .reply import Reply, error
from .settings import Account, AccountsState, Clock, EmulatorSettings
from .state import EmulatorState
from .tokens import TokenStore
from .twofactor import CodeListener, TwoFactor

_LOGGER = logging.getLogger(__name__)

HANG_POLL = 0.05
HTML_PAGE = (
    "<html><head><title>502 Bad Gateway</title></head><body>Bad Gateway</body></html>"
)
CUT_TOKEN = b'{"access_token": "eyJhbGciOiJSUzI1NiIsInR5'
UNAUTHORIZED = {
    "error": "invalid_token",
    "error_description": "access token is invalid or expired",
}

type Area = Literal["token", "api"]
type Process = Callable[[], Awaitable[Reply]]

FAULT_KEY = web.RequestKey("fault", FaultSpec)


def canned_response(spec: FaultSpec, lifetime: int) -> web.Response | None:
    """Return the fixed answer of a fault that never processes the request, if it is one."""
    match spec.fault:
        case Fault.SERVER_ERROR:
            return web.json_response(
                {"error": "service unavailable"}, status=spec.status
            )
        case Fault.RATE_LIMIT:
            body = {"error": "too_many_requests", "error_description": "rate limited"}
            headers = {"Retry-After": str(spec.retry_after)}
            return web.json_response(body, status=429, headers=headers)
        case Fault.HTML:
            return web.Response(text=HTML_PAGE, content_type="text/html")
        case Fault.NO_TOKEN:
            no_token = {
                "expires_in": lifetime,
                "scope": "client",
                "token_type": "Bearer",
            }
            return web.json_response(no_token)
    return None


class RingEmulator:
    """An in-process fake of Ring's OAuth server and client API."""

    def __init__(
        self,
        settings: EmulatorSettings | None = None,
        *,
        on_code: CodeListener | None = None,
        state_file: str | os.PathLike[str] | None = None,
    ) -> None:
        """Create the emulator (not yet listening); on_code(email, method, code) hears every send.

        With a state_file, the state saved there is loaded now (StateFileError if it is
        unreadable) and every change is written back before the answer that made it.
        """
        self.clock = Clock()
        self.counters = Counters()
        self.faults = FaultQueue()
        self._settings = settings if settings is not None else EmulatorSettings()
        self.tokens = TokenStore(self.clock, self._settings)
        self.twofactor = TwoFactor(self.clock, self._settings, self.counters, on_code)
        self.linking = Linking(self.clock, self._settings)
        self.endpoint = TokenEndpoint(
            self._settings, self.tokens, self.twofactor, self.counters, self.linking
        )
        self.url: str | None = None
        self._runner: web.AppRunner | None = None
        self._stopping = asyncio.Event()
        # One registry of what survives a restart; new components register here.
        self.state = EmulatorState(state_file)
        self.state.register("accounts", AccountsState(lambda: self._settings))
        self.state.register("clock", self.clock)
        self.state.register("tokens", self.tokens)
        self.state.register("twofactor", self.twofactor)
        self.state.register("linking", self.linking)
        self.state.register("counters", self.counters)
        self.state.load()

    @property
    def settings(self) -> EmulatorSettings:
        """Return the live settings object."""
        return self._settings

    @settings.setter
    def settings(self, value: EmulatorSettings) -> None:
        """Swap in a new settings object everywhere."""
        self._settings = value
        self.tokens.settings = value
        self.twofactor.settings = value
        self.linking.settings = value
        self.endpoint.settings = value

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Start listening; return the base URL (port 0 picks a free port)."""
        if self._runner is not None:
            raise RuntimeError("emulator already started")
        self._stopping = asyncio.Event()
        app = web.Application(middlewares=[self.state.middleware])
        app.router.add_post("/oauth/token", self._token)
        app.router.add_get("/oauth/authorize", self._authorize)
        app.router.add_post("/clients_api/session", self._api)
        app.router.add_get("/clients_api/ring_devices", self._api)
        add_control_routes(app, self)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=5.0)
        await runner.setup()
        try:
            await web.TCPSite(runner, host, port).start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        actual_port = runner.addresses[0][1]
        self.url = str(URL.build(scheme="http", host=host, port=actual_port))
        _LOGGER.debug("Ring emulator listening on %s", self.url)
        await self.state.save()
        return self.url

    async def stop(self) -> None:
        """Stop listening; hanging requests are released first. Safe to call twice."""
        self._stopping.set()
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()
        self.url = None
        await self.state.save()

    def state_summary(self) -> dict[str, Any]:
        """Return the state file (None when off), whether it was loaded, and the live logins."""
        path = self.state.path
        live = []
        for key in self.tokens.live_accounts():
            account = self.settings.find_account(key)
            live.append(key if account is None else account.email)
        return {
            "file": None if path is None else str(path),
            "loaded": self.state.loaded,
            "live_logins": live,
        }

    async def save_state(self) -> None:
        """Write the state file now (for changes made through the Python API, e.g. clock.advance)."""
        await self.state.save()

    async def __aenter__(self) -> Self:
        """Start on a free loopback port."""
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop the server."""
        await self.stop()

    def inject(
        self,
        fault: Fault | str,
        count: int = 1,
        where: str = "any",
        *,
        status: int | None = None,
        retry_after: int | None = None,
        expires_in: int | None = None,
    ) -> None:
        """Queue a fault for the next `count` requests matching `where`."""
        spec = make_spec(
            fault,
            count,
            where,
            status=status,
            retry_after=retry_after,
            expires_in=expires_in,
        )
        self.faults.add(spec)

    def _account(self, email: str) -> Account:
        """Return a configured account or raise KeyError."""
        account = self.settings.find_account(email)
        if account is None:
            raise KeyError(email)
        return account

    def revoke(self, email: str, *, new_password: str | None = None) -> int:
        """Kill every token of the account (optionally change its password); return the count."""
        account = self._account(email)
        if new_password is not None:
            account.password = new_password
        return self.tokens.revoke(account.key)

    def last_code(self, email: str) -> str | None:
        """Return the last 2FA code sent to the account (None for none or unknown)."""
        account = self.settings.find_account(email)
        return None if account is None else self.twofactor.last_code(account)

    def issue_tokens(
        self, email: str, client_id: str = CONSUMER_CLIENT_ID
    ) -> dict[str, Any]:
        """Mint a token pair directly (e.g. a partner token before account linking exists)."""
        account = self._account(email)
        return token_body(self.tokens.issue(account.key, client_id))

    def reset(self) -> None:
        """Clear faults, counters, tokens, linking codes and 2FA state."""
        self.faults.clear()
        self.counters.clear()
        self.tokens.clear()
        self.twofactor.clear()
        self.linking.clear()

    async def _authorize(self, request: web.Request) -> web.StreamResponse:
        """GET /oauth/authorize: the partner consent page (a browser step, no faults)."""
        return self.linking.authorize(request.query)

    async def _token(self, request: web.Request) -> web.StreamResponse:
        """POST /oauth/token."""
        params = await read_params(request)
        grant = (params or {}).get("grant_type") or "invalid_request"
        self.counters.count_grant(grant)
        replies: list[Reply] = []

        async def process() -> Reply:
            if params is None:
                return error(400, {"error": "invalid_request"})
            replies.append(self.endpoint.handle(params, request.headers))
            return replies[-1]

        response = await self._serve(request, "token", process)
        transport = request.transport
        dropped = transport is None or transport.is_closing()
        log_exchange(
            params,
            replies[-1] if replies else None,
            response,
            dropped=dropped,
            fault=request.get(FAULT_KEY),
        )
        return response

    async def _api(self, request: web.Request) -> web.StreamResponse:
        """POST /clients_api/session and GET /clients_api/ring_devices."""
        self.counters.api_calls += 1

        async def process() -> Reply:
            token = api.bearer_token(request.headers.get("Authorization", ""))
            key = self.tokens.check_access(token) if token else None
            account = None if key is None else self.settings.find_account(key)
            if account is None:
                self.counters.unauthorized += 1
                return error(401, UNAUTHORIZED, **{"WWW-Authenticate": "Bearer"})
            self.counters.add_device(account.email, request.headers.get("hardware_id"))
            if request.path.endswith("/ring_devices"):
                return Reply(200, api.devices_body(account))
            with contextlib.suppress(ValueError):
                body: Any = json.loads(await request.read() or b"{}")
                device = body.get("device") if isinstance(body, dict) else None
                if isinstance(device, dict) and isinstance(
                    device.get("hardware_id"), str
                ):
                    self.counters.add_device(account.email, device["hardware_id"])
            return Reply(200, api.session_body(account))

        return await self._serve(request, "api", process)

    async def _serve(
        self, request: web.Request, area: Area, process: Process
    ) -> web.StreamResponse:
        """Answer a request, applying the next matching fault if one is queued."""
        spec = self.faults.take(area)
        if spec is None:
            return (await process()).to_response()
        _LOGGER.debug("injecting %s on %s", spec.fault, request.path)
        request[FAULT_KEY] = spec
        return await self._apply(spec, request, area, process)

    async def _apply(
        self, spec: FaultSpec, request: web.Request, area: Area, process: Process
    ) -> web.StreamResponse:
        """Produce what a fault makes the client see."""
        response = canned_response(spec, int(self.settings.access_token_lifetime))
        if response is not None:
            return response
        match spec.fault:
            case Fault.HANG:
                await self._hang(request)
                return self._drop(request)
            case Fault.RESET:
                return self._drop(request)
            case Fault.RESET_AFTER_ROTATE:
                await process()
                return self._drop(request)
            case Fault.TRUNCATED_JSON:
                raw = (await process()).raw() if area == "api" else CUT_TOKEN
                return web.Response(
                    body=raw[: max(1, len(raw) // 2)], content_type="application/json"
                )
        reply = await process()
        if reply.status == 200 and isinstance(reply.body, dict):
            if spec.fault is Fault.MISSING_EXPIRES_IN:
                reply.body.pop("expires_in", None)
            else:
                reply.body["expires_in"] = spec.expires_in
        return reply.to_response()

    async def _hang(self, request: web.Request) -> None:
        """Wait until the emulator stops or the client goes away."""
        while not self._stopping.is_set():
            transport = request.transport
            if transport is None or transport.is_closing():
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), HANG_POLL)

    @staticmethod
    def _drop(request: web.Request) -> web.StreamResponse:
        """Close the connection without an answer (the returned response is never sent)."""
        request.protocol.force_close()  # closes the transport, keep-alive off
        return web.Response(status=204)
