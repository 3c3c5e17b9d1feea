"""Fixtures for the Ring client tests: a plain aiohttp session and a client on the emulator."""

from collections.abc import AsyncIterator

import aiohttp
import pytest

from custom_components.ring_auth.ringclient import RingAuthClient
from ring_emulator import RingEmulator

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
