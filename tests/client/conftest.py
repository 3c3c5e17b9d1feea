"""Fixtures for the Ring client tests: a session, a client, a login and an API on the emulator."""

import asyncio
from collections.abc import AsyncIterator

import aiohttp
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
    """Return the API client on the emulator."""
    return RingApi(session, auth, HARDWARE_ID)


@pytest.fixture
def devices_api(api: RingApi) -> RingDevicesApi:
    """Return the device endpoints on the emulator."""
    return RingDevicesApi(api)
