"""Fixtures: python-ring-doorbell 0.9.14 aimed at the emulator over loopback."""

from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
import pytest
from ring_doorbell.auth import Auth

from ring_emulator import RingEmulator
from tests.redirect import RingRedirect

HARDWARE_ID = "5f0c2a9e-1b7d-4c3e-9a8f-6d5e4c3b2a10"
USER_AGENT = "ring-auth-judge/1.0"

type AuthFactory = Callable[[dict[str, Any] | None], Auth]


@pytest.fixture(autouse=True)
def _loopback(socket_enabled: None) -> None:
    """Let the emulator listen on loopback (Ring's rules, sessions required, are the default)."""


@pytest.fixture
async def redirect(emulator: RingEmulator) -> AsyncIterator[RingRedirect]:
    """Return a session that sends Ring's hosts to the emulator."""
    assert emulator.url is not None
    async with aiohttp.ClientSession() as session:
        yield RingRedirect(session, emulator.url)


@pytest.fixture
def updates() -> list[dict[str, Any]]:
    """Collect every token python-ring-doorbell hands its token updater."""
    return []


@pytest.fixture
def make_auth(redirect: RingRedirect, updates: list[dict[str, Any]]) -> AuthFactory:
    """Return a factory of python-ring-doorbell Auth objects on the emulator."""

    def factory(token: dict[str, Any] | None = None) -> Auth:
        return Auth(
            USER_AGENT,
            token,
            updates.append,
            hardware_id=HARDWARE_ID,
            http_client_session=redirect,  # type: ignore[arg-type]
        )

    return factory
