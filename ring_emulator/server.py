"""RingEmulator: the aiohttp app, its lifecycle, fault injection and the test hooks."""

from __future__ import annotations

import asyncio
import logging
import os
from types import TracebackType
from typing import Any, Self

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware
from yarl import URL

from . import faultserve
from .clientapi import Answer, ClientApi, add_client_api_routes
from .control import add_control_routes
from .counters import Counters
from .devices_api import add_device_routes
from .exchanges import ExchangeListener, report_exchange
from .faults import Area, Fault, FaultQueue, FaultSpec, make_spec
from .faultserve import Process
from .hooks import EmulatorHooks
from .household import Household
from .household_control import add_household_routes
from .linking import Linking
from .oauth import TokenEndpoint, read_params
from .reply import Reply, error
from .sessions import Sessions
from .settings import AccountsState, Clock, EmulatorSettings
from .snapshots import SnapshotImages
from .state import EmulatorState
from .tokens import TokenListener, TokenStore
from .traffic import Traffic
from .twofactor import CodeListener, TwoFactor
from .websignin import WebSignIn, add_websignin_routes

_LOGGER = logging.getLogger(__name__)

HANG_POLL = 0.05
# The fault a request was answered with, for the exchange log.
FAULT_KEY = web.RequestKey("fault", FaultSpec)


def endpoint_counter(counters: Counters) -> Middleware:
    """Return a middleware counting each request by method and route (not /_emulator/)."""

    @web.middleware
    async def count(request: web.Request, handler: Handler) -> web.StreamResponse:
        resource = request.match_info.route.resource
        if resource is not None and not request.path.startswith("/_emulator/"):
            counters.count_endpoint(f"{request.method} {resource.canonical}")
        return await handler(request)

    return count


class RingEmulator(EmulatorHooks):
    """An in-process fake of Ring's OAuth server and client API."""

    def __init__(
        self,
        settings: EmulatorSettings | None = None,
        *,
        on_code: CodeListener | None = None,
        on_tokens: TokenListener | None = None,
        on_exchange: ExchangeListener | None = None,
        state_file: str | os.PathLike[str] | None = None,
    ) -> None:
        """Create the emulator (not yet listening).

        on_code(email, method, code) hears every 2FA code sent; on_tokens(account_key, pair)
        every token pair issued; on_exchange(TokenExchange) every answer of the token
        endpoint, once it is ready and before it is sent (what the exchange log says). With
        a state_file, the state saved there is loaded now (StateFileError if it is
        unreadable) and every change is written back before the answer that made it.
        """
        self.clock = Clock()
        self.counters = Counters()
        self.traffic = Traffic()
        self.faults = FaultQueue()
        self._settings = settings if settings is not None else EmulatorSettings()
        self.tokens = TokenStore(self.clock, self._settings, on_tokens)
        self.twofactor = TwoFactor(self.clock, self._settings, self.counters, on_code)
        self.linking = Linking(self.clock, self._settings)
        self.sessions = Sessions()
        self.household = Household(self.clock, lambda: self.settings.accounts)
        self.snapshot_images = SnapshotImages()
        self.endpoint = TokenEndpoint(
            self._settings, self.tokens, self.twofactor, self.counters, self.linking
        )
        self.websignin = WebSignIn(
            self.clock, self._settings, self.counters, self.twofactor, self.endpoint
        )
        # Public: tests, the bench and e2e may set it at any time.
        self.exchange_listener = on_exchange
        self.url: str | None = None
        self._runner: web.AppRunner | None = None
        self._stopping = asyncio.Event()
        # One registry of what survives a restart; new components register here.
        self.state = EmulatorState(state_file)
        self.state.register("accounts", AccountsState(lambda: self._settings))
        self.state.register("clock", self.clock)
        self.state.register("tokens", self.tokens)
        self.state.register("sessions", self.sessions)
        self.state.register("twofactor", self.twofactor)
        self.state.register("linking", self.linking)
        self.state.register("counters", self.counters)
        self.state.register("household", self.household)
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
        self.websignin.settings = value
        self.websignin.codes.settings = value

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Start listening; return the base URL (port 0 picks a free port)."""
        if self._runner is not None:
            raise RuntimeError("emulator already started")
        self._stopping = asyncio.Event()
        app = web.Application(
            middlewares=[
                self.traffic.middleware,
                endpoint_counter(self.counters),
                self.state.middleware,
            ]
        )
        app.router.add_post("/oauth/token", self._token)
        app.router.add_get("/oauth/authorize", self._authorize)
        add_client_api_routes(app, self)
        add_device_routes(app, self)
        add_control_routes(app, self)
        add_household_routes(app, self)
        add_websignin_routes(app, self.websignin)
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
        expires_in: int | str | None = None,
        body: str | None = None,
        for_seconds: float | None = None,
    ) -> None:
        """Queue a fault for the next `count` requests matching `where`.

        With `for_seconds`, for every matching request until the emulator's clock has moved
        that far instead (count is then ignored).
        """
        if for_seconds is not None and for_seconds <= 0:
            raise ValueError("for_seconds must be positive")
        until = None if for_seconds is None else self.clock.now() + for_seconds
        self.faults.add(
            make_spec(
                fault,
                count,
                where,
                status=status,
                retry_after=retry_after,
                expires_in=expires_in,
                body=body,
                until=until,
            )
        )

    def reset(self) -> None:
        """Clear faults, counters, tokens, sessions, linking codes, 2FA and web sign-in state.

        The households go back to their defaults.
        """
        self.faults.clear()
        self.counters.clear()
        self.tokens.clear()
        self.twofactor.clear()
        self.linking.clear()
        self.websignin.clear()
        self.sessions.clear()
        self.household.clear()
        self.snapshot_images.clear()

    async def serve(
        self,
        request: web.Request,
        area: Area,
        process: Process,
        grant: str | None = None,
    ) -> web.StreamResponse:
        """Answer a request, applying the next matching fault if one is queued."""
        spec = self.faults.take(area, grant, self.clock.now())
        if spec is None:
            return (await process()).to_response()
        request[FAULT_KEY] = spec
        _LOGGER.debug("injecting %s on %s", spec.fault, request.path)
        lifetime = int(self.settings.access_token_lifetime)
        return await faultserve.play(
            spec, request, area, process, lifetime=lifetime, hang=self._hang
        )

    async def serve_authorized(
        self, request: web.Request, respond: Answer
    ) -> web.StreamResponse:
        """Serve a client-API call for the account of its access token (and its session).

        Counted, faults applied, 401 without a live access token, 404 without a session.
        """
        return await ClientApi(self).authorized(request, respond)

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

        response = await self.serve(request, "token", process, grant)
        transport = request.transport
        report_exchange(
            self.exchange_listener,
            params,
            replies[-1] if replies else None,
            response,
            at=self.clock.now(),
            dropped=transport is None or transport.is_closing(),
            fault=request.get(FAULT_KEY),
        )
        return response

    async def _hang(self, request: web.Request) -> None:
        """Wait until the emulator stops or the client goes away."""
        await self.traffic.hang(
            request, self._stopping, self.settings.hang_poll or HANG_POLL
        )
