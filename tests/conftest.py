"""Fixtures shared by every test: the Ring emulator on a free loopback port."""

from collections.abc import AsyncIterator

import pytest

from custom_components.ring_auth.ringclient import BASE_URL_ENV
from ring_emulator import Account, EmulatorSettings, RingEmulator

EMAIL = "user@example.com"
PASSWORD = "correct horse battery staple"
ACCOUNT_ID = 4242


@pytest.fixture
def emulator_settings() -> EmulatorSettings:
    """Return the emulator's settings: one SMS account, a 60 s grace window."""
    return EmulatorSettings(
        accounts=[
            Account(
                email=EMAIL,
                password=PASSWORD,
                tsv_state="sms",
                phone="+15555550189",
                account_id=ACCOUNT_ID,
            )
        ],
        grace=60,
        partner_clients={"partner-id": "partner-secret"},
    )


@pytest.fixture
async def emulator(
    emulator_settings: EmulatorSettings,
    monkeypatch: pytest.MonkeyPatch,
    socket_enabled: None,
) -> AsyncIterator[RingEmulator]:
    """Run the emulator on loopback and point the client at it (RING_AUTH_BASE_URL).

    The Home Assistant test plugin blocks sockets unless a test asks for them.
    """
    emu = RingEmulator(emulator_settings)
    url = await emu.start("127.0.0.1", 0)
    monkeypatch.setenv(BASE_URL_ENV, url)
    yield emu
    await emu.stop()
