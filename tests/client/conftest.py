"""Fixtures for the Ring client tests: the emulator's login and API, and a scripted Ring."""

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web
import pytest

from custom_components.ring_auth.ringclient import (
    AbstractAuth,
    RingApi,
    RingAuthClient,
    RingDevicesApi,
    Token,
    TwoFactorRequired,
)
from ring_emulator import RingEmulator
from tests.conftest import EMAIL, PASSWORD

HARDWARE_ID = "9b2f4c1e-5d6a-4e7b-8c9d-0a1b2c3d4e5f"

type Script = Callable[[web.Request], web.StreamResponse]


@pytest.fixture(autouse=True)
def _loopback_sockets(socket_enabled: None) -> None:
    """Let the emulator listen on loopback (the HA plugin blocks sockets otherwise)."""


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """Return a plain aiohttp client session, closed after the test."""
    async with aiohttp.ClientSession() as client_session:
        yield client_session


@pytest.fixture
def client(emulator: RingEmulator, session: aiohttp.ClientSession) -> RingAuthClient:
    """Return a Ring client with a fixed hardware id, pointed at the emulator."""
    return RingAuthClient(session, HARDWARE_ID)


class CountingAuth(AbstractAuth):
    """A minimal auth: one lock, refresh only when the rejected token is still current."""

    def __init__(self, client: RingAuthClient, token: Token) -> None:
        """Hold the token."""
        self.client = client
        self.token = token
        self.lock = asyncio.Lock()
        self.refreshes = 0

    async def async_get_access_token(self) -> str:
        """Return the held access token as is."""
        return self.token.access_token

    async def async_refresh_after_unauthorized(self, rejected_access_token: str) -> str:
        """Refresh once for everyone who saw the same rejected token."""
        async with self.lock:
            if self.token.access_token == rejected_access_token:
                self.refreshes += 1
                self.token = await self.client.async_refresh(self.token.refresh_token)
            return self.token.access_token


class FixedAuth(AbstractAuth):
    """An auth that hands out one token and declines to refresh (a token just refreshed)."""

    def __init__(self, access_token: str) -> None:
        """Hold the token."""
        self.access_token = access_token
        self.declined = 0

    async def async_get_access_token(self) -> str:
        """Return the token."""
        return self.access_token

    async def async_refresh_after_unauthorized(self, rejected_access_token: str) -> str:
        """Decline: return the same token."""
        self.declined += 1
        return self.access_token


@pytest.fixture
async def token(client: RingAuthClient, emulator: RingEmulator) -> Token:
    """Log in through 2FA and return the token."""
    assert isinstance(await client.async_login(EMAIL, PASSWORD), TwoFactorRequired)
    result = await client.async_login(EMAIL, PASSWORD, emulator.last_code(EMAIL))
    assert isinstance(result, Token)
    return result


@pytest.fixture
def auth(client: RingAuthClient, token: Token) -> CountingAuth:
    """Return the counting auth holding the logged-in token."""
    return CountingAuth(client, token)


@pytest.fixture
def api(session: aiohttp.ClientSession, auth: CountingAuth) -> RingApi:
    """Return the API client on the emulator (no session opened yet)."""
    return RingApi(session, auth, HARDWARE_ID)


@dataclass
class ScriptedRing:
    """A loopback server that plays queued answers to any request and records what it got."""

    url: str
    answers: list[Script] = field(default_factory=list)
    seen: list[tuple[str, str, dict[str, str], bytes]] = field(default_factory=list)

    def add(self, status: int, body: Any = None, **headers: str) -> None:
        """Queue an answer: JSON for dicts and lists, text for str, nothing for None."""
        self.answers.append(answer(status, body, **headers))

    def paths(self) -> list[str]:
        """Return "METHOD path" of every request received."""
        return [f"{method} {path}" for method, path, _, _ in self.seen]


def answer(status: int, body: Any = None, **headers: str) -> Script:
    """Return a script step answering with this status, body and headers."""
    if body is None:
        return lambda _: web.Response(status=status, headers=headers)
    if isinstance(body, bytes):
        return lambda _: web.Response(status=status, body=body, headers=headers)
    if isinstance(body, str):
        return lambda _: web.Response(status=status, text=body, headers=headers)
    return lambda _: web.json_response(body, status=status, headers=headers)


@pytest.fixture
async def scripted_ring() -> AsyncIterator[ScriptedRing]:
    """Return a scripted Ring on loopback; every request takes the next queued answer."""
    ring = ScriptedRing("")

    async def handler(request: web.Request) -> web.StreamResponse:
        body = await request.read()
        ring.seen.append((request.method, request.path_qs, dict(request.headers), body))
        result = ring.answers.pop(0)(request)
        if isinstance(result, web.StreamResponse):
            return result
        return await result  # a coroutine script that looks at the request

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    ring.url = f"http://127.0.0.1:{runner.addresses[0][1]}"
    yield ring
    await runner.cleanup()


@pytest.fixture
def scripted(
    scripted_ring: ScriptedRing, session: aiohttp.ClientSession
) -> tuple[RingAuthClient, list[Script]]:
    """Return a token client on the scripted Ring and its answer queue."""
    client = RingAuthClient(session, HARDWARE_ID, oauth_url=scripted_ring.url)
    return client, scripted_ring.answers


@pytest.fixture
def scripted_api(
    scripted_ring: ScriptedRing, session: aiohttp.ClientSession
) -> RingApi:
    """Return an API client on the scripted Ring whose auth holds "access-1" and never refreshes."""
    return RingApi(
        session, FixedAuth("access-1"), HARDWARE_ID, api_url=scripted_ring.url
    )


def assert_no_secrets(err: BaseException, *secrets: str | None) -> None:
    """Fail when an exception's str or repr (or its cause's) shows any of the secrets."""
    texts = []
    current: BaseException | None = err
    while current is not None:
        texts += [str(current), repr(current)]
        current = current.__cause__
    for secret in filter(None, secrets):
        for text in texts:
            assert secret not in text, f"a secret leaked into {text!r}"


@pytest.fixture
def devices_api(api: RingApi) -> RingDevicesApi:
    """Return the device endpoints on the emulator."""
    return RingDevicesApi(api)
