"""Fixtures: a running emulator on a free loopback port and a client session."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from ring_emulator import Account, EmulatorSettings, RingEmulator

from .common import (
    EMAIL,
    NOFA,
    PARTNER_ID,
    PARTNER_SECRET,
    PASSWORD,
    SMS,
    TOTP,
    TOTP_CODE,
)
from .websignin_steps import Browser


@pytest.fixture
def emulator_settings() -> EmulatorSettings:
    """Return settings with one account per 2FA method and a partner client."""
    return EmulatorSettings(
        access_token_lifetime=3600,
        refresh_token_lifetime=30 * 86400,
        grace=60,
        accounts=[
            Account(
                email=SMS,
                password=PASSWORD,
                tsv_state="sms",
                phone="+15555550189",
                account_id=111,
            ),
            Account(email=EMAIL, password=PASSWORD, tsv_state="email", account_id=222),
            Account(email=TOTP, password=PASSWORD, tsv_state="totp", code=TOTP_CODE),
            Account(email=NOFA, password=PASSWORD, tsv_state=None),
        ],
        partner_clients={PARTNER_ID: PARTNER_SECRET},
        # Each test here looks at one thing; the session rule has its own (test_sessions.py).
        require_session=False,
    )


@pytest.fixture
async def emulator(
    emulator_settings: EmulatorSettings, socket_enabled: None
) -> AsyncIterator[RingEmulator]:
    """Start the emulator on 127.0.0.1 with a free port (the HA plugin blocks sockets otherwise)."""
    emu = RingEmulator(emulator_settings)
    await emu.start(host="127.0.0.1", port=0)
    yield emu
    await emu.stop()


@pytest.fixture
async def session(socket_enabled: None) -> AsyncIterator[aiohttp.ClientSession]:
    """Return a plain aiohttp client session."""
    async with aiohttp.ClientSession() as client:
        yield client


@pytest.fixture
async def jar_session(socket_enabled: None) -> AsyncIterator[aiohttp.ClientSession]:
    """Return a session whose jar keeps the emulator's cookies (an IP host: unsafe jar)."""
    async with aiohttp.ClientSession(
        cookie_jar=aiohttp.CookieJar(unsafe=True)
    ) as client:
        yield client


@pytest.fixture
def browser(emulator: RingEmulator, jar_session: aiohttp.ClientSession) -> Browser:
    """Return a fresh web sign-in on the emulator, driven step by step."""
    return Browser(jar_session, emulator)
